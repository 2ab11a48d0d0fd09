//! Attachments over the API: upload (multipart, field `file`), list, download and remove.
//! The type is told by content; the text of PDF and DOCX files is extracted at upload and
//! joins the privacy check of the item.

use super::ApiPath;
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::files::{Blobs, detect, extract_text};
use gongkai_store::{Attachment, NewAttachment};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let (schemas, paths, upload_router) = routes!(list, upload);
    OpenApiRouter::new()
        .routes((schemas, paths, upload_router.layer(DefaultBodyLimit::disable())))
        .routes(routes!(download, remove))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    id: i64,
    name: String,
    mime: String,
    size: i64,
    sha256: String,
    text_chars: usize,
    public: bool,
}

impl From<&Attachment> for AttachmentView {
    fn from(a: &Attachment) -> Self {
        Self {
            id: a.id,
            name: a.name.clone(),
            mime: a.mime.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            text_chars: a.text.chars().count(),
            public: a.added_rev.is_some() && a.removed_rev.is_none(),
        }
    }
}

async fn staff_org_check(state: &AppState, actor: &gongkai_core::Actor, item_id: i64) -> Result<(), AppError> {
    let item = state.store.item(item_id).await?.ok_or_else(|| AppError::NotFound(format!("信息 {item_id}")))?;
    let org = state.store.org_by_id(item.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_supervise(&org.path)?;
    Ok(())
}

/// 上传附件（multipart/form-data，字段 file）；按内容判断类型，抽取 PDF、DOCX 文字参与隐私检查。
#[utoipa::path(post, path = "/items/{id}/attachments", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path, description = "信息编号")), request_body(content_type = "multipart/form-data", description = "字段 file：附件"), responses((status = 201, body = AttachmentView), (status = 400, description = "请求格式有误", body = crate::handlers::api::ErrorBody), (status = 401, description = "未登录或令牌无效", body = crate::handlers::api::ErrorBody), (status = 403, description = "无权操作", body = crate::handlers::api::ErrorBody), (status = 409, description = "当前状态不允许", body = crate::handlers::api::ErrorBody), (status = 422, description = "输入有误或被退回", body = crate::handlers::api::ErrorBody)))]
async fn upload(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    check_upload(&state, &actor, id).await?;
    let upload = read_upload(&state, &mut multipart).await?;
    if upload.name.is_empty() && upload.bytes.is_empty() {
        return Err(AppError::BadRequest { code: "bad_upload", message: "缺少名为 file 的文件字段".into() }.into());
    }
    let att = attach(&state, &actor, &ip, id, upload).await?;
    Ok((StatusCode::CREATED, Json(AttachmentView::from(&att))))
}

/// Before an upload's body is read: the uploader's rate, then whether they may change this
/// item's attachments at all (a refused upload must not leave its file behind).
pub async fn check_upload(state: &AppState, actor: &gongkai_core::Actor, item_id: i64) -> Result<(), AppError> {
    if state.upload_limiter.check_key(&actor.user_id).is_err() {
        return Err(AppError::TooManyRequests);
    }
    staff_org_check(state, actor, item_id).await?;
    Ok(state.store.check_attachment_edit(actor, item_id).await?)
}

/// A multipart upload as read: the `file` field and the other (text) fields.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub fields: std::collections::HashMap<String, String>,
}

/// Reads a multipart upload, refusing a file over the attachment limit as it arrives.
pub async fn read_upload(state: &AppState, multipart: &mut Multipart) -> Result<Upload, AppError> {
    let limit = state.config.attachment_limit_bytes;
    let bad = |m: String| AppError::BadRequest { code: "bad_upload", message: m };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut fields = std::collections::HashMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| bad(format!("上传内容有误：{e}")))? {
        if field.name() != Some("file") {
            let name = field.name().unwrap_or("").to_string();
            let value = field.text().await.map_err(|e| bad(format!("上传内容有误：{e}")))?;
            fields.insert(name, value.chars().take(1000).collect());
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| bad(format!("上传中断：{e}")))? {
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::Invalid {
                    code: "file_too_large",
                    message: format!("附件不能超过 {} MB", limit / 1024 / 1024),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some((name, bytes));
    }
    let (name, bytes) = file.unwrap_or_default();
    Ok(Upload { name, bytes, fields })
}

/// Keeps an uploaded file and adds it to the item's working copy: the type is told by
/// content; the text of PDF and DOCX files is extracted for the privacy check.
pub async fn attach(
    state: &AppState,
    actor: &gongkai_core::Actor,
    ip: &str,
    item_id: i64,
    upload: Upload,
) -> Result<Attachment, AppError> {
    let Upload { name, bytes, .. } = upload;
    if bytes.is_empty() {
        return Err(AppError::invalid_field("empty_file", "file", "请选择要上传的文件（不能为空）"));
    }
    let kind = detect(&bytes).ok_or_else(|| {
        AppError::invalid_field(
            "unsupported_type",
            "file",
            "附件只能是 PDF、Word、Excel、OFD 或图片（按文件内容判断，与扩展名无关）",
        )
    })?;
    let blobs = state.blobs.clone();
    let (sha256, text) = tokio::task::spawn_blocking(move || -> std::io::Result<(String, String)> {
        let sha = blobs.put(&bytes)?;
        Ok((sha, extract_text(kind, &bytes)))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| AppError::Internal(e.into()))?;
    let size = std::fs::metadata(state.blobs.path(&sha256)).map(|m| m.len() as i64).unwrap_or(0);
    let ctx = audit_ctx(actor, ip.to_string());
    Ok(state.store.add_attachment(&ctx, actor, item_id, NewAttachment { name, kind, size, sha256, text }).await?)
}

/// 工作稿的附件。
#[utoipa::path(get, path = "/items/{id}/attachments", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path, description = "信息编号")), responses((status = 200, body = Vec<AttachmentView>), (status = 401, description = "未登录或令牌无效", body = crate::handlers::api::ErrorBody), (status = 403, description = "无权操作", body = crate::handlers::api::ErrorBody), (status = 404, description = "不存在", body = crate::handlers::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    staff_org_check(&state, &actor, id).await?;
    Ok(Json(state.store.attachments(id).await?.iter().map(AttachmentView::from).collect()))
}

/// 下载附件（工作人员）。
#[utoipa::path(get, path = "/items/{id}/attachments/{aid}", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path, description = "信息编号"), ("aid" = i64, Path, description = "附件编号")), responses((status = 200, description = "文件内容"), (status = 401, description = "未登录或令牌无效", body = crate::handlers::api::ErrorBody), (status = 403, description = "无权操作", body = crate::handlers::api::ErrorBody), (status = 404, description = "不存在", body = crate::handlers::api::ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    staff_org_check(&state, &actor, id).await?;
    let att = state.store.attachment(id, aid).await?.ok_or_else(|| AppError::NotFound(format!("附件 {aid}")))?;
    Ok(serve_file(&state.blobs, &att)?)
}

/// 从工作稿删除附件。
#[utoipa::path(delete, path = "/items/{id}/attachments/{aid}", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path, description = "信息编号"), ("aid" = i64, Path, description = "附件编号")), responses((status = 204), (status = 401, description = "未登录或令牌无效", body = crate::handlers::api::ErrorBody), (status = 403, description = "无权操作", body = crate::handlers::api::ErrorBody), (status = 404, description = "不存在", body = crate::handlers::api::ErrorBody), (status = 409, description = "当前状态不允许", body = crate::handlers::api::ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    staff_org_check(&state, &actor, id).await?;
    let ctx = audit_ctx(&actor, ip);
    state.store.remove_attachment(&ctx, &actor, id, aid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A stored file as a download, named in the header for browsers in any language.
pub fn serve_file(blobs: &Blobs, att: &Attachment) -> Result<Response, AppError> {
    let bytes = blobs
        .get(&att.sha256)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("attachment {} missing: {e}", att.id)))?;
    let encoded = crate::util::url_encode(&att.name).replace('/', "%2F");
    let disposition = format!("attachment; filename=\"attachment-{}\"; filename*=UTF-8''{encoded}", att.id);
    Ok((
        [
            (header::CONTENT_TYPE, att.mime.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response())
}
