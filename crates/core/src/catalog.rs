//! The lists that ship as data (`data/`): the topic classification (主题分类), the genres
//! (体裁分类) and the baseline catalogs (主动公开基本目录) of a district and of a town. They are
//! compiled in, so every deployment starts with them; deployments add to them by settings.

/// One section of a baseline catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineSection {
    /// Section name.
    pub name: String,
    /// How often it must be updated (更新时限), as the source states it.
    pub update_rule: String,
}

/// Which baseline catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// 区/市政府 and their departments.
    District,
    /// 镇、开发区、街道.
    Town,
}

impl Baseline {
    /// Parses `district` / `town`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "district" | "区县" => Some(Self::District),
            "town" | "乡镇" => Some(Self::Town),
            _ => None,
        }
    }
}

fn lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The shipped topic classification.
pub fn topics() -> Vec<&'static str> {
    lines(include_str!("../../../data/topics.txt")).collect()
}

/// The shipped genres.
pub fn genres() -> Vec<&'static str> {
    lines(include_str!("../../../data/genres.txt")).collect()
}

/// A baseline catalog's sections, in order.
pub fn baseline(kind: Baseline) -> Vec<BaselineSection> {
    let data = match kind {
        Baseline::District => include_str!("../../../data/catalogs/district.txt"),
        Baseline::Town => include_str!("../../../data/catalogs/town.txt"),
    };
    lines(data)
        .map(|l| {
            let (name, rule) = l.split_once('|').unwrap_or((l, ""));
            BaselineSection { name: name.trim().to_string(), update_rule: rule.trim().to_string() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_are_complete() {
        assert_eq!(topics().len(), 22);
        assert_eq!(topics()[1], "综合政务");
        assert!(genres().contains(&"行政规范性文件") && genres().contains(&"通知"));
        let district = baseline(Baseline::District);
        assert_eq!(district.len(), 15);
        assert_eq!(district[0].name, "行政法规、规章和规范性文件");
        assert_eq!(district[3].update_rule, "每年");
        assert_eq!(baseline(Baseline::Town).len(), 7);
    }
}
