//! 索引号 (index numbers): assigned at first publication from a per-deployment pattern whose
//! default is the org's code, `/`, the year, `-` and a five-digit sequence per org and year
//! (`11500114009130039C/2017-00861`). Sequences are never reused. Imported items keep the
//! index number they came with, whatever local variant it follows; a public one that came
//! without one is numbered at import in the year of its publication date.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The default pattern.
pub const DEFAULT_PATTERN: &str = "{code}/{year}-{seq:05}";

/// Formats an index number. Placeholders: `{code}`, `{year}`, `{seq}` and `{seq:0N}`
/// (zero-padded to N digits).
pub fn format(pattern: &str, code: &str, year: i32, seq: i64) -> String {
    let mut out = pattern.replace("{code}", code).replace("{year}", &year.to_string());
    if let Some(start) = out.find("{seq")
        && let Some(len) = out[start..].find('}')
    {
        let spec = &out[start + 4..start + len];
        let width = spec.strip_prefix(":0").and_then(|w| w.parse::<usize>().ok()).unwrap_or(0);
        let formatted = format!("{seq:0width$}");
        out.replace_range(start..=start + len, &formatted);
    }
    out
}

/// True when `s` looks like an index number: a code of 9 or 18 characters, `/`, a year,
/// `-` and a sequence (the national form); local variants are accepted on import as they are.
pub fn looks_like(s: &str) -> bool {
    let Some((code, rest)) = s.split_once('/') else {
        return false;
    };
    let Some((year, seq)) = rest.split_once('-') else {
        return false;
    };
    matches!(code.len(), 9 | 18)
        && code.chars().all(|c| c.is_ascii_alphanumeric())
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !seq.is_empty()
        && seq.chars().all(|c| c.is_ascii_digit())
}

/// Beijing time (UTC+8 all year: China keeps no daylight saving).
pub fn beijing(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset")))
}

/// The calendar date in Beijing of an instant.
pub fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    beijing(t).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn default_pattern_gives_the_national_form() {
        assert_eq!(format(DEFAULT_PATTERN, "11500114009130039C", 2017, 861), "11500114009130039C/2017-00861");
        assert_eq!(format("{code}-{year}-{seq}", "014109453", 2018, 70), "014109453-2018-70");
        assert_eq!(format("{code}/{year}-{seq:06}", "014109453", 2018, 70), "014109453/2018-000070");
    }

    #[test]
    fn index_numbers_are_recognised() {
        assert!(looks_like("11500114009130039C/2017-00861"));
        assert!(looks_like("014109453/2018-00070"));
        assert!(!looks_like("黔江府办发〔2017〕53号"));
        assert!(!looks_like("014109453/18-00070"));
    }

    #[test]
    fn the_year_turns_at_midnight_in_beijing() {
        let t = Utc.with_ymd_and_hms(2017, 12, 31, 16, 30, 0).single().expect("valid");
        assert_eq!(beijing_date(t), NaiveDate::from_ymd_opt(2018, 1, 1).expect("valid"));
    }
}
