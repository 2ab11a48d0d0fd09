//! Attachments, the use cases: the checks before an upload's body is read, keeping a file
//! (type told by content, the text of PDF, Word and Excel files extracted for the privacy check), the working
//! copy's files for its org's staff, removal, and the files of a published revision.

use crate::{AppError, AppState};
use gongkai_core::Actor;
pub use gongkai_store::Attachment;
use gongkai_store::AuditCtx;
use gongkai_store::NewAttachment;
use gongkai_store::files::{detect, extract_text};

/// An upload as the adapter read it: the `file` field and the other (text) fields.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub fields: std::collections::HashMap<String, String>,
}

async fn staff_org_check(state: &AppState, actor: &Actor, item_id: i64) -> Result<(), AppError> {
    let item = state.store.item(item_id).await?.ok_or_else(|| AppError::NotFound(format!("信息 {item_id}")))?;
    let org = state.store.org_by_id(item.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_supervise(&org.path)?;
    Ok(())
}

/// Before an upload's body is read: the uploader's rate, then whether they may change this
/// item's attachments at all (a refused upload must not leave its file behind).
pub async fn check_upload(state: &AppState, actor: &Actor, item_id: i64) -> Result<(), AppError> {
    if state.upload_limiter.check_key(&actor.user_id).is_err() {
        return Err(AppError::TooManyRequests);
    }
    staff_org_check(state, actor, item_id).await?;
    Ok(state.store.check_attachment_edit(actor, item_id).await?)
}

/// Keeps an uploaded file and adds it to the item's working copy: the type is told by
/// content; the text of PDF and DOCX files is extracted for the privacy check.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    item_id: i64,
    upload: Upload,
) -> Result<Attachment, AppError> {
    let Upload { name, bytes, .. } = upload;
    let new = keep(state, name, bytes).await?;
    Ok(state.store.add_attachment(ctx, actor, item_id, new).await?)
}

/// Keeps a file's bytes by content and reads its kind and text.
async fn keep(state: &AppState, name: String, bytes: Vec<u8>) -> Result<NewAttachment, AppError> {
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
    let sha256 = state.blobs.put(&bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let text = tokio::task::spawn_blocking(move || extract_text(kind, &bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(NewAttachment { name, kind, size, sha256, text })
}

/// Puts `bytes` — a new revision of an attachment's file, such as its de-identified copy —
/// in the attachment's place: kept by content, its text extracted again.
pub async fn replace(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    item_id: i64,
    id: i64,
    bytes: Vec<u8>,
) -> Result<Attachment, AppError> {
    let new = keep(state, String::new(), bytes).await?;
    Ok(state.store.replace_attachment(ctx, actor, item_id, id, new).await?)
}

/// The working copy's attachments, for the org's staff.
pub async fn of_item(state: &AppState, actor: &Actor, item_id: i64) -> Result<Vec<Attachment>, AppError> {
    staff_org_check(state, actor, item_id).await?;
    Ok(state.store.attachments(item_id).await?)
}

/// One attachment of the working copy, for the org's staff.
pub async fn one(state: &AppState, actor: &Actor, item_id: i64, id: i64) -> Result<Attachment, AppError> {
    staff_org_check(state, actor, item_id).await?;
    state.store.attachment(item_id, id).await?.ok_or_else(|| AppError::NotFound(format!("附件 {id}")))
}

/// Removes an attachment from the working copy.
pub async fn remove(state: &AppState, actor: &Actor, ctx: &AuditCtx, item_id: i64, id: i64) -> Result<(), AppError> {
    staff_org_check(state, actor, item_id).await?;
    Ok(state.store.remove_attachment(ctx, actor, item_id, id).await?)
}

/// An attachment of an item's published revision, for anyone.
pub async fn public(state: &AppState, item_id: i64, id: i64) -> Result<Attachment, AppError> {
    let not_found = || AppError::NotFound("附件".into());
    let item = state.store.public_item(item_id).await?.ok_or_else(not_found)?;
    state.store.public_attachments(item.id, item.rev).await?.into_iter().find(|a| a.id == id).ok_or_else(not_found)
}

/// The stored bytes of an attachment.
pub async fn content(state: &AppState, att: &Attachment) -> Result<Vec<u8>, AppError> {
    let id = att.id;
    state.blobs.get(&att.sha256).await.map_err(|e| AppError::Internal(anyhow::anyhow!("attachment {id} missing: {e}")))
}

/// Reads the text of the spreadsheets attached before their text was read (Excel files were
/// not checked before 2026-12), so the privacy check sees their cells: run once at start,
/// in the background, a hundred files at a time. A file that cannot be read is left as it is.
pub async fn read_old_spreadsheets(state: AppState) {
    use gongkai_store::files::FileKind;
    let mimes = [FileKind::Xlsx.mime(), FileKind::Xls.mime()];
    let mut after = 0;
    let mut read = 0;
    loop {
        let batch = match state.store.attachments_without_text(&mimes, after, 100).await {
            Ok(b) if !b.is_empty() => b,
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "reading old spreadsheets");
                return;
            }
        };
        for (id, sha256, mime) in batch {
            after = id;
            let (Some(kind), Ok(bytes)) = (FileKind::from_mime(&mime), state.blobs.get(&sha256).await) else {
                continue;
            };
            let text = tokio::task::spawn_blocking(move || extract_text(kind, &bytes)).await.unwrap_or_default();
            if !text.is_empty() && state.store.set_attachment_text(id, &text).await.is_ok() {
                read += 1;
            }
        }
    }
    if read > 0 {
        tracing::info!(attachments = read, "text of earlier spreadsheets read for the privacy check");
    }
}
