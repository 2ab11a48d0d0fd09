//! A request's delivery records: the files released with the reply (type told by content,
//! text checked for others' personal data before it is kept), which the applicant downloads
//! with the query code, and how the reply was delivered (送达).

use crate::app::attachments::Upload;
use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::privacy::{FindingKind, scan};
use gongkai_core::request::{DeliveryMethod, RequestState};
use gongkai_core::{Actor, Role};
use gongkai_store::files::{detect, extract_text};
use gongkai_store::{AuditCtx, Delivery, NewRequestFile, Request, RequestFile};

/// The request as its handler may add records to it (not once it left the org: transferred
/// out or withdrawn).
async fn handled(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<Request, AppError> {
    let r = super::staff_request(state, actor, tracking_no).await?;
    let org = state.store.org_by_id(r.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_work_in(Role::RequestHandler, &org.path)?;
    if matches!(r.state(), RequestState::Transferred | RequestState::Withdrawn) {
        return Err(AppError::Conflict {
            code: "invalid_transition",
            message: format!("申请当前状态为「{}」，不能再提供文件或登记送达", r.state().label()),
        });
    }
    Ok(r)
}

/// Before an upload's body is read: the uploader's rate and their right to the request.
pub async fn check_upload(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<(), AppError> {
    if state.upload_limiter.check_key(&actor.user_id).is_err() {
        return Err(AppError::TooManyRequests);
    }
    handled(state, actor, tracking_no).await.map(|_| ())
}

/// Keeps a file to be released with the reply. Its text (PDF, DOCX) is scanned: ID numbers,
/// mobile numbers and bank cards found are listed and the file refused unless the uploader
/// confirms (`confirm_privacy`) they are the applicant's own or were masked as 第十五条
/// requires; a secrecy marking is always refused.
pub async fn add_file(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    upload: Upload,
) -> Result<RequestFile, AppError> {
    let r = handled(state, actor, tracking_no).await?;
    let confirmed = upload.fields.get("confirm_privacy").is_some_and(|v| !v.is_empty());
    let Upload { name, bytes, .. } = upload;
    if bytes.is_empty() {
        return Err(AppError::invalid_field("empty_file", "file", "请选择要提供的文件（不能为空）"));
    }
    let kind = detect(&bytes).ok_or_else(|| {
        AppError::invalid_field("unsupported_type", "file", "文件只能是 PDF、Word、Excel、OFD 或图片（按文件内容判断）")
    })?;
    let sha256 = state.blobs.put(&bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let text = tokio::task::spawn_blocking(move || extract_text(kind, &bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let findings = scan("file", &text, &state.config.negative_list);
    if findings.iter().any(|f| f.kind == FindingKind::SecrecyMarking) {
        return Err(AppError::invalid_field("secrecy_marking", "file", "文件中有密级标志，不能向申请人提供"));
    }
    let personal: Vec<_> = findings.iter().filter(|f| f.kind.maskable()).collect();
    if !personal.is_empty() && !confirmed {
        let mut kinds: Vec<&str> = personal.iter().map(|f| f.kind.label()).collect();
        kinds.dedup();
        return Err(AppError::invalid_field(
            "personal_data",
            "file",
            format!(
                "文件中发现 {} 处个人信息（{}）。如属申请人本人信息或已作遮盖处理，请勾选确认后重新提供；否则请先处理（《条例》第十五条、第三十七条）",
                personal.len(),
                kinds.join("、")
            ),
        ));
    }
    let file = NewRequestFile { name, mime: kind.mime().to_string(), size, sha256 };
    Ok(state.store.add_request_file(ctx, r.id, actor.username.as_str(), file).await?)
}

/// Takes a file off the reply.
pub async fn remove_file(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    file_id: i64,
) -> Result<(), AppError> {
    let r = handled(state, actor, tracking_no).await?;
    Ok(state.store.remove_request_file(ctx, r.id, file_id).await?)
}

/// A file of a request with its bytes, for staff who may see the request.
pub async fn staff_file(
    state: &AppState,
    actor: &Actor,
    tracking_no: &str,
    file_id: i64,
) -> Result<(RequestFile, Vec<u8>), AppError> {
    let r = super::staff_request(state, actor, tracking_no).await?;
    file_of(state, &r, file_id).await
}

/// A file released with the reply, for the applicant with the query code (none before the
/// reply; a wrong code answers like an unknown number).
pub async fn applicant_file(
    state: &AppState,
    tracking_no: &str,
    code: &str,
    file_id: i64,
) -> Result<(RequestFile, Vec<u8>), AppError> {
    let not_found = || AppError::NotFound("文件".into());
    let r = state.store.request_for_applicant(tracking_no, code).await?.ok_or_else(not_found)?;
    if r.outcome().is_none() {
        return Err(not_found());
    }
    file_of(state, &r, file_id).await
}

async fn file_of(state: &AppState, r: &Request, file_id: i64) -> Result<(RequestFile, Vec<u8>), AppError> {
    let f = state
        .store
        .request_files(r.id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or_else(|| AppError::NotFound("文件".into()))?;
    let bytes = state
        .blobs
        .get(&f.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("request file {file_id} missing: {e}")))?;
    Ok((f, bytes))
}

/// A 送达 record as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DeliveryBody {
    /// online, email, post, in_person, fax.
    #[serde(default)]
    pub method: String,
    /// 送达日期.
    pub delivered_on: Option<NaiveDate>,
    /// 送达凭证：送达回证编号、邮件回执、邮寄单号.
    #[serde(default)]
    pub proof: String,
}

/// Records how the reply reached the applicant: only after the reply, dated between the reply
/// and today, with its proof where paper changed hands.
pub async fn deliver(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    b: DeliveryBody,
) -> Result<Delivery, AppError> {
    let r = handled(state, actor, tracking_no).await?;
    let Some(replied_on) = r.replied_on.filter(|_| r.outcome().is_some()) else {
        return Err(AppError::Conflict {
            code: "not_replied", message: "尚未答复，答复后再登记送达".into()
        });
    };
    let method = DeliveryMethod::parse(&b.method).ok_or_else(|| {
        AppError::invalid_field(
            "invalid_method",
            "method",
            "请选择送达方式：平台在线获取、电子邮件、邮寄、当面领取或传真",
        )
    })?;
    let today = state.today();
    let on = b.delivered_on.unwrap_or(today);
    if on < replied_on || on > today {
        return Err(AppError::invalid_field(
            "date_out_of_range",
            "delivered_on",
            format!("送达日期须在答复之日（{replied_on}）至今天（{today}）之间"),
        ));
    }
    if method.needs_proof() && b.proof.trim().is_empty() {
        let what = if method == DeliveryMethod::Post { "邮寄单号" } else { "送达回证编号或签收人" };
        return Err(AppError::invalid_field("proof_required", "proof", format!("{}须填写{what}", method.label())));
    }
    Ok(state.store.add_delivery(ctx, r.id, actor.username.as_str(), method, on, &b.proof).await?)
}
