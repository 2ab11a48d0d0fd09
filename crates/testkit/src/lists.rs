//! List rows for tests: the shipped 行政处罚决定 kind's values, as a clerk types them.

use gongkai_core::list::Values;

/// Values from (field key, value) pairs.
pub fn values(pairs: &[(&str, &str)]) -> Values {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A 行政处罚决定 (`penalty`) row of `name`, of subject type `kind` (自然人, 法人及非法人组织 …),
/// public until `until` (YYYY-MM-DD).
pub fn penalty(name: &str, kind: &str, until: &str) -> Values {
    values(&[
        ("subject_name", name),
        ("subject_type", kind),
        ("decision_no", "黔江市监罚〔2026〕8号"),
        ("facts", "经营超过保质期的食品"),
        ("basis", "《中华人民共和国食品安全法》第一百二十四条"),
        ("category", "罚款"),
        ("content", "没收违法所得并罚款"),
        ("amount", "0.6"),
        ("decided_on", "2026-11-02"),
        ("authority", "黔江区市场监督管理局"),
        ("notice_until", until),
    ])
}
