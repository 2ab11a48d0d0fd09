//! Files over HTTP, for every adapter: reading a multipart upload within the attachment
//! limit, and answering a stored file as a download.

use crate::app::attachments::{Attachment, Upload};
use crate::{AppError, AppState};
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

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

/// A stored file as a download, named in the header for browsers in any language.
pub fn serve_file(att: &Attachment, bytes: Vec<u8>) -> Response {
    let encoded = crate::util::url_encode(&att.name).replace('/', "%2F");
    let disposition = format!("attachment; filename=\"attachment-{}\"; filename*=UTF-8''{encoded}", att.id);
    (
        [
            (header::CONTENT_TYPE, att.mime.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response()
}
