//! 机构概况 and 领导之窗: what 条例第二十条第（二）项 asks every organ to publish about itself —
//! 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名 — kept by the org as fields, and
//! its leaders with their 分工 (seed 003: the leader in charge of the work "列入领导工作分工，
//! 并对外公布"). Checked here; the store keeps one profile per org and its leaders in order.

/// Longest functions or departments text, in characters.
pub const MAX_TEXT: usize = 5000;
/// Longest short field (address, hours, phone, names, titles), in characters.
pub const MAX_FIELD: usize = 200;
/// Most leaders listed.
pub const MAX_LEADERS: usize = 30;

/// An org's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// 机关职能.
    #[serde(default)]
    pub functions: String,
    /// 内设机构 (one a line).
    #[serde(default)]
    pub departments: String,
    /// 办公地址.
    #[serde(default)]
    pub address: String,
    /// 办公时间.
    #[serde(default)]
    pub office_hours: String,
    /// 联系电话.
    #[serde(default)]
    pub phone: String,
    /// 传真.
    #[serde(default)]
    pub fax: String,
    /// 负责人姓名.
    #[serde(default)]
    pub head: String,
}

/// A leader as 领导之窗 shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Leader {
    pub name: String,
    /// 职务.
    pub title: String,
    /// 工作分工.
    #[serde(default)]
    pub duties: String,
    /// 简历.
    #[serde(default)]
    pub resume: String,
}

/// Why a profile is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileRefusal {
    #[error("「{0}」不超过 {1} 字")]
    TooLong(&'static str, usize),
    #[error("第 {0} 位领导须有姓名和职务")]
    Leader(usize),
    #[error("领导之窗至多列 {MAX_LEADERS} 位")]
    TooMany,
}

/// Checks and tidies a profile and its leaders (each field trimmed).
pub fn check(p: &Profile, leaders: &[Leader]) -> Result<(Profile, Vec<Leader>), ProfileRefusal> {
    let t = |s: &str| s.trim().to_string();
    let p = Profile {
        functions: t(&p.functions),
        departments: t(&p.departments),
        address: t(&p.address),
        office_hours: t(&p.office_hours),
        phone: t(&p.phone),
        fax: t(&p.fax),
        head: t(&p.head),
    };
    let len = |s: &str| s.chars().count();
    for (name, v, max) in [
        ("机关职能", &p.functions, MAX_TEXT),
        ("内设机构", &p.departments, MAX_TEXT),
        ("办公地址", &p.address, MAX_FIELD),
        ("办公时间", &p.office_hours, MAX_FIELD),
        ("联系电话", &p.phone, MAX_FIELD),
        ("传真", &p.fax, MAX_FIELD),
        ("负责人姓名", &p.head, MAX_FIELD),
    ] {
        if len(v) > max {
            return Err(ProfileRefusal::TooLong(name, max));
        }
    }
    if leaders.len() > MAX_LEADERS {
        return Err(ProfileRefusal::TooMany);
    }
    let mut out = Vec::with_capacity(leaders.len());
    for (i, l) in leaders.iter().enumerate() {
        let l = Leader { name: t(&l.name), title: t(&l.title), duties: t(&l.duties), resume: t(&l.resume) };
        if l.name.is_empty() || l.title.is_empty() {
            return Err(ProfileRefusal::Leader(i + 1));
        }
        if len(&l.name) > MAX_FIELD || len(&l.title) > MAX_FIELD {
            return Err(ProfileRefusal::TooLong("姓名或职务", MAX_FIELD));
        }
        if len(&l.duties) > MAX_TEXT || len(&l.resume) > MAX_TEXT {
            return Err(ProfileRefusal::TooLong("分工或简历", MAX_TEXT));
        }
        out.push(l);
    }
    Ok((p, out))
}

/// Reads leaders typed one a line as `姓名 | 职务 | 分工 | 简历` (分工 and 简历 optional).
pub fn parse_leaders(text: &str) -> Vec<Leader> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split(['|', '｜']).map(str::trim);
            Leader {
                name: parts.next().unwrap_or_default().to_string(),
                title: parts.next().unwrap_or_default().to_string(),
                duties: parts.next().unwrap_or_default().to_string(),
                resume: parts.collect::<Vec<_>>().join("｜"),
            }
        })
        .collect()
}

/// Leaders written as [`parse_leaders`] reads them.
pub fn leaders_text(leaders: &[Leader]) -> String {
    leaders
        .iter()
        .map(|l| {
            let mut line = format!("{} | {}", l.name, l.title);
            if !l.duties.is_empty() || !l.resume.is_empty() {
                line += &format!(" | {}", l.duties);
            }
            if !l.resume.is_empty() {
                line += &format!(" | {}", l.resume);
            }
            line + "\n"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_are_read_one_a_line_and_need_a_name_and_a_title() {
        let text = "张三 | 主任 | 主持全面工作\n\n李四｜副主任｜分管政务公开、信息化｜1975年生\n王五 | ";
        let leaders = parse_leaders(text);
        assert_eq!(leaders.len(), 3);
        assert_eq!((leaders[1].duties.as_str(), leaders[1].resume.as_str()), ("分管政务公开、信息化", "1975年生"));
        assert_eq!(check(&Profile::default(), &leaders), Err(ProfileRefusal::Leader(3)));
        let (_, ok) = check(&Profile::default(), &leaders[..2]).expect("valid");
        assert_eq!(parse_leaders(&leaders_text(&ok)), ok, "the text reads back the same");
    }

    #[test]
    fn fields_are_bounded_and_trimmed() {
        let p = Profile { address: " 行政中心 1 号 ".into(), ..Default::default() };
        assert_eq!(check(&p, &[]).map(|(p, _)| p.address), Ok("行政中心 1 号".into()));
        let long = Profile { phone: "1".repeat(MAX_FIELD + 1), ..Default::default() };
        assert_eq!(check(&long, &[]), Err(ProfileRefusal::TooLong("联系电话", MAX_FIELD)));
        let many: Vec<Leader> = (0..=MAX_LEADERS)
            .map(|i| Leader { name: format!("甲{i}"), title: "副主任".into(), ..Default::default() })
            .collect();
        assert_eq!(check(&Profile::default(), &many), Err(ProfileRefusal::TooMany));
    }
}
