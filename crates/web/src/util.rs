//! Small helpers the handlers share: time shown in Beijing time, URL encoding of a
//! redirect target, constant-time comparison of secrets.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

/// A UTC timestamp as Beijing time, `YYYY-MM-DD HH:MM`.
pub fn beijing(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

/// A date in Beijing time, `YYYY-MM-DD`.
pub fn beijing_date(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Shanghai).format("%Y-%m-%d").to_string()
}

/// A form's optional date field: blank is `None`; anything but `YYYY-MM-DD` is refused with
/// the field's value named.
pub fn form_date(s: &str) -> Result<Option<chrono::NaiveDate>, crate::AppError> {
    match s.trim() {
        "" => Ok(None),
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| crate::AppError::invalid("invalid_date", format!("日期「{d}」格式有误，应为 YYYY-MM-DD"))),
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Compares two secrets without leaking where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A local path to return to after login; anything else (another host, `//evil`) becomes
/// the console's home, so the login page cannot be used to redirect off-site. Only visible
/// ASCII is taken: browsers drop tabs and line breaks from a `Location` (`/\t/evil` is
/// `//evil` to them), and a control character is not a valid header value at all.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && n.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            n.to_string()
        }
        _ => "/admin".to_string(),
    }
}

/// A CSV field that a spreadsheet program will not run: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is a formula to Excel and WPS (`=HYPERLINK(…)` in a
/// title would be a live link), so it gets a leading `'`. Numbers stay numbers.
pub fn csv_safe(field: &str) -> std::borrow::Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) && field.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// A size as people read it.
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", (b + 1023) / 1024),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_show_in_beijing() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 17, 30, 0).single().expect("valid");
        assert_eq!(beijing(&t), "2026-11-22 01:30");
    }

    #[test]
    fn next_targets_stay_on_site() {
        assert_eq!(safe_next(Some("/admin/tokens")), "/admin/tokens");
        assert_eq!(safe_next(Some("//evil.example/")), "/admin");
        assert_eq!(safe_next(Some("https://evil.example/")), "/admin");
        assert_eq!(safe_next(Some("/\\evil")), "/admin");
        assert_eq!(safe_next(None), "/admin");
        assert_eq!(csv_safe("=HYPERLINK(\"http://x\",\"点此\")"), "'=HYPERLINK(\"http://x\",\"点此\")");
        for f in ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_safe(f).starts_with('\''), "{f:?}");
        }
        for f in ["-3", "+86", "关于印发的通知", "2026-11-20", ""] {
            assert_eq!(csv_safe(f), f);
        }
        assert_eq!(safe_next(Some("/\t/evil.example/")), "/admin", "a tab browsers drop");
        assert_eq!(safe_next(Some("/\n/x")), "/admin", "a line break (was a 500)");
        assert_eq!(safe_next(Some("/ /x")), "/admin");
        assert_eq!(safe_next(Some("/admin/requests?state=open")), "/admin/requests?state=open");
        assert_eq!(url_encode("/admin?x=1"), "/admin%3Fx%3D1");
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum BoolOrText {
    Bool(bool),
    Text(String),
}

/// A flag from JSON (`true`) or an HTML checkbox (`on`, or absent).
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match <BoolOrText as serde::Deserialize>::deserialize(d)? {
        BoolOrText::Bool(b) => b,
        BoolOrText::Text(s) => matches!(s.trim(), "on" | "true" | "1" | "yes"),
    })
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(i64),
    Text(String),
}

/// An optional number from JSON or a form field; empty or unreadable is none.
pub fn lenient_opt_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match <Option<NumberOrText> as serde::Deserialize>::deserialize(d)? {
        Some(NumberOrText::Number(n)) => Some(n),
        Some(NumberOrText::Text(s)) => s.trim().parse().ok(),
        None => None,
    })
}

/// A number from JSON (`3`) or a form field (`"3"`); anything else is 0 (no such record).
pub fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match <NumberOrText as serde::Deserialize>::deserialize(d)? {
        NumberOrText::Number(n) => n,
        NumberOrText::Text(s) => s.trim().parse().unwrap_or(0),
    })
}

/// A file to save (`Content-Disposition: attachment`) of type `mime` under `name` (an ASCII
/// name the caller made).
pub fn file_download(mime: &str, name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// The instant a year begins in Beijing (00:00 on 1 January, 16:00 UTC the day before): the
/// bound of a year's figures over timestamps.
pub fn beijing_year_start(y: i32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.from_utc_datetime(
        &chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default().and_hms_opt(0, 0, 0).unwrap_or_default(),
    ) - chrono::Duration::hours(8)
}
