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
    /// Why it is there (公开依据): the 条例's article and item, or the document naming it.
    pub basis: String,
    /// The list kinds (`data/lists`) whose tables belong in it, by code.
    pub lists: Vec<String>,
    /// The top-level section it is a subsection of, by name.
    pub parent: Option<String>,
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
    let mut top: Option<String> = None;
    lines(data)
        .map(|l| {
            let (child, l) = match l.strip_prefix("- ") {
                Some(rest) => (true, rest),
                None => (false, l),
            };
            let mut parts = l.split('|').map(str::trim);
            let name = parts.next().unwrap_or_default().to_string();
            let update_rule = parts.next().unwrap_or_default().to_string();
            let basis = parts.next().unwrap_or_default().to_string();
            let lists = parts
                .next()
                .unwrap_or_default()
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            let parent = if child { top.clone() } else { None };
            if !child {
                top = Some(name.clone());
            }
            BaselineSection { name, update_rule, basis, lists, parent }
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
        let top: Vec<&BaselineSection> = district.iter().filter(|s| s.parent.is_none()).collect();
        // Article 20's fifteen items, article 21's seven areas, and 国资国企.
        assert_eq!(top.len(), 23);
        assert_eq!(top[0].name, "行政法规、规章和规范性文件");
        assert_eq!(top[14].basis, "条例第二十条第（十五）项");
        assert_eq!(top[15].name, "市政建设");
        let pilot: Vec<&str> =
            district.iter().filter(|s| s.basis.contains("26个试点领域")).map(|s| s.name.as_str()).collect();
        assert_eq!(pilot.len(), 26, "the 26 pilot areas of 基层政务公开");
        let budget = district.iter().find(|s| s.name == "部门预决算和“三公”经费").expect("三公");
        assert_eq!(
            (budget.parent.as_deref(), budget.lists.as_slice()),
            (Some("财政预算、决算信息"), &["three_public".to_string()][..])
        );
        let town = baseline(Baseline::Town);
        assert!(town.iter().any(|s| s.name == "筹资筹劳" && s.basis == "条例第二十一条"));
        // Every list named is a shipped list kind; no section is named twice under one parent.
        let kinds: Vec<String> = crate::list::shipped().iter().map(|k| k.code.clone()).collect();
        for s in district.iter().chain(&town) {
            for l in &s.lists {
                assert!(kinds.contains(l), "{}: unknown list kind {l}", s.name);
            }
            assert!(!s.update_rule.is_empty() && !s.basis.is_empty(), "{}", s.name);
        }
        for c in [&district, &town] {
            let mut seen = std::collections::HashSet::new();
            for s in c.iter() {
                assert!(seen.insert((s.parent.clone(), s.name.clone())), "{} twice", s.name);
            }
        }
    }
}
