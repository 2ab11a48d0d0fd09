//! Files over HTTP, for every adapter: reading a multipart upload within the attachment
//! limit, and answering a stored file as a download.

use crate::app::attachments::{Attachment, Upload};
use crate::{AppError, AppState};
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Reads a multipart upload, refusing a file over the attachment limit as it arrives.
pub async fn read_upload(state: &AppState, multipart: &mut Multipart) -> Result<Upload, AppError> {
    let (fields, files) = read_form_with_files(state, multipart, "file", 1, 1000).await?;
    let (name, bytes) = files.into_iter().next().unwrap_or_default();
    Ok(Upload { name, bytes, fields })
}

/// Reads a multipart form: its text fields (each cut at `field_chars` characters) and up to
/// `max_files` files of the field `file_field` (empty file inputs skipped), each refused as
/// it arrives when over the attachment limit.
pub async fn read_form_with_files(
    state: &AppState,
    multipart: &mut Multipart,
    file_field: &str,
    max_files: usize,
    field_chars: usize,
) -> Result<(std::collections::HashMap<String, String>, Vec<(String, Vec<u8>)>), AppError> {
    let limit = state.config.attachment_limit_bytes;
    let bad = |m: String| AppError::BadRequest { code: "bad_upload", message: m };
    let mut files = Vec::new();
    let mut fields = std::collections::HashMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| bad(format!("上传内容有误：{e}")))? {
        if field.name() != Some(file_field) {
            let name = field.name().unwrap_or("").to_string();
            let value = field.text().await.map_err(|e| bad(format!("上传内容有误：{e}")))?;
            fields.insert(name, value.chars().take(field_chars).collect());
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
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        if files.len() == max_files {
            return Err(AppError::invalid("too_many_files", format!("附件最多 {max_files} 个")));
        }
        files.push((name, bytes));
    }
    Ok((fields, files))
}

/// A stored file as a download, named in the header for browsers in any language.
pub fn serve_file(att: &Attachment, bytes: Vec<u8>) -> Response {
    serve_bytes(att.id, &att.name, &att.mime, bytes, "public, max-age=86400")
}

/// Bytes as a download named `name`, with the cache policy given (`private, no-store` for
/// what only staff may see).
pub fn serve_bytes(id: i64, name: &str, mime: &str, bytes: Vec<u8>, cache: &str) -> Response {
    let encoded = crate::util::url_encode(name).replace('/', "%2F");
    let disposition = format!("attachment; filename=\"attachment-{id}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        bytes,
    )
        .into_response()
}
