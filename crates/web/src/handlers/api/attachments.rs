//! Attachments over the API: upload (multipart, field `file`), list, download and remove.
//! The type is told by content; the text of PDF and DOCX files is extracted at upload and
//! joins the privacy check of the item.

use super::ApiPath;
use super::errors::*;
use crate::app::attachments::{self, Attachment};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::handlers::files::{read_upload, serve_file};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
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

/// 上传附件（multipart/form-data，字段 file）；按内容判断类型，抽取 PDF、DOCX 文字参与隐私检查。
#[utoipa::path(post, path = "/items/{id}/attachments", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body(content_type = "multipart/form-data", description = "字段 file：附件"),
    responses((status = 201, body = AttachmentView), E400, E401, E403, E409, E422))]
async fn upload(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    attachments::check_upload(&state, &actor, id).await?;
    let upload = read_upload(&state, &mut multipart).await?;
    if upload.name.is_empty() && upload.bytes.is_empty() {
        return Err(AppError::BadRequest { code: "bad_upload", message: "缺少名为 file 的文件字段".into() }.into());
    }
    let att = attachments::attach(&state, &actor, &audit_ctx(&actor, ip), id, upload).await?;
    Ok((StatusCode::CREATED, Json(AttachmentView::from(&att))))
}

/// 工作稿的附件。
#[utoipa::path(get, path = "/items/{id}/attachments", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = Vec<AttachmentView>), E401, E403, E404))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    Ok(Json(attachments::of_item(&state, &actor, id).await?.iter().map(AttachmentView::from).collect()))
}

/// 下载附件（工作人员）。
#[utoipa::path(get, path = "/items/{id}/attachments/{aid}", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号"), ("aid" = i64, Path, description = "附件编号")),
    responses((status = 200, description = "文件内容"), E401, E403, E404))]
async fn download(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let att = attachments::one(&state, &actor, id, aid).await?;
    Ok(serve_file(&att, attachments::content(&state, &att).await?))
}

/// 从工作稿删除附件。
#[utoipa::path(delete, path = "/items/{id}/attachments/{aid}", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号"), ("aid" = i64, Path, description = "附件编号")),
    responses((status = 204), E401, E403, E404, E409))]
async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    attachments::remove(&state, &actor, &audit_ctx(&actor, ip), id, aid).await?;
    Ok(StatusCode::NO_CONTENT)
}
