//! Text messages (短信): the confirmation code of a survey that asks for one. Off unless
//! configured. `file` writes each message as a text file in `sms_dir` (for checking a
//! deployment, and in tests and the demo); `http` posts `{"phone": …, "text": …}` as JSON to
//! `sms_http_url` — the deployment's SMS gateway (政务短信平台) or a small adapter in front of
//! one — with `sms_token` as a bearer token when set. A 2xx answer counts as sent.

use std::path::PathBuf;

/// A configured way to send.
pub enum Sms {
    File(PathBuf),
    Http { client: reqwest::Client, url: String, token: String },
}

impl Sms {
    /// From the configuration; `None` when text messages are off.
    pub fn from_config(c: &crate::WebConfig) -> Result<Option<Self>, String> {
        match c.sms_transport.as_str() {
            "" | "off" => Ok(None),
            "file" => {
                std::fs::create_dir_all(&c.sms_dir).map_err(|e| format!("无法创建 {}：{e}", c.sms_dir.display()))?;
                Ok(Some(Self::File(c.sms_dir.clone())))
            }
            "http" => {
                let url = c.sms_http_url.trim();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err("sms_http_url 须为 http:// 或 https:// 开头的短信网关地址".into());
                }
                let client = reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .map_err(|e| format!("无法创建短信网关客户端：{e}"))?;
                Ok(Some(Self::Http { client, url: url.to_string(), token: c.sms_token.clone() }))
            }
            other => Err(format!("sms_transport「{other}」无效，可选：off、file、http")),
        }
    }

    /// Sends `text` to the mobile number `phone` (11 digits) at `at`.
    pub async fn send(&self, phone: &str, text: &str, at: chrono::DateTime<chrono::Utc>) -> Result<(), String> {
        match self {
            Self::File(dir) => {
                // In order of sending, also under a clock that stands still (tests).
                static SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = SENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let name = format!("{}-{n:06}-{phone}.txt", at.format("%Y%m%dT%H%M%S"));
                tokio::fs::write(dir.join(name), format!("{phone}\n{text}\n")).await.map_err(|e| e.to_string())
            }
            Self::Http { client, url, token } => {
                let mut req = client.post(url).json(&serde_json::json!({ "phone": phone, "text": text }));
                if !token.is_empty() {
                    req = req.bearer_auth(token);
                }
                let res = req.send().await.map_err(|e| format!("短信网关无法连接：{e}"))?;
                if res.status().is_success() { Ok(()) } else { Err(format!("短信网关答复 {}", res.status())) }
            }
        }
    }
}
