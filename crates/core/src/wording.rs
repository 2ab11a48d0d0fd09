//! 表述错误: forms that are wrong wherever they stand — the state's name misspelt
//! (中华人民共合国), a basic formulation garbled (一国两治), a word every dictionary writes one
//! way (布署 for 部署). 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号) fails a site that
//! shows a serious one (严重表述错误, 单项否决) and deducts points for 错别字. The list ships in
//! `data/wording.txt`; a site adds its own forms and its office holders ([`Kept`]): a holder's
//! name written next to a title that is not theirs (副区长张三 for 区长张三) is the commonest
//! serious error in practice. A [`Checker`] finds all of it in a text in one pass.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// How much a wrong form weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// 严重表述错误: the site fails the inspection.
    Serious,
    /// 错别字: points are lost.
    Typo,
}

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrong {
    pub weight: Weight,
    pub wrong: String,
    pub right: String,
}

/// A wrong form found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub weight: Weight,
    pub wrong: String,
    pub right: String,
    /// Times it occurs.
    pub count: usize,
}

/// Reads the list: `严重|一般 | wrong | right` a line, `#` comments.
pub fn parse(text: &str) -> Result<Vec<Wrong>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [weight, wrong, right] = parts[..] else {
            return Err(format!("第 {} 行应为“严重|一般 | 错误写法 | 正确写法”", n + 1));
        };
        let weight = match weight {
            "严重" => Weight::Serious,
            "一般" => Weight::Typo,
            other => return Err(format!("第 {} 行：程度「{other}」应为“严重”或“一般”", n + 1)),
        };
        if wrong.is_empty() || right.is_empty() || wrong == right {
            return Err(format!("第 {} 行：错误写法和正确写法须都填写且不同", n + 1));
        }
        out.push(Wrong { weight, wrong: wrong.into(), right: right.into() });
    }
    Ok(out)
}

/// An office holder of the site: a name and the titles it holds (区委副书记、区长).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub titles: Vec<String>,
}

/// What a site keeps beside the shipped list: its own wrong forms and its office holders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    pub wrong: Vec<Wrong>,
    pub holders: Vec<Holder>,
}

/// The most lines a kept list may have.
pub const MAX_KEPT: usize = 2000;

/// Reads a site's list: `严重|一般 | wrong | right` or `领导 | 姓名 | 职务、职务` a line, `#`
/// comments. A form already shipped, or one whose right form holds a wrong one, is refused.
pub fn parse_kept(text: &str) -> Result<Kept, String> {
    let mut kept = Kept::default();
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.len() > MAX_KEPT {
        return Err(format!("词表最多 {MAX_KEPT} 行，现有 {} 行", lines.len()));
    }
    for (n, line) in lines {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        match parts[..] {
            ["领导", name, titles] => {
                let titles: Vec<String> = titles
                    .split(['、', '，', ',', ' '])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                let name_len = name.chars().count();
                if !(2..=10).contains(&name_len) || titles.is_empty() {
                    return Err(format!("第 {n} 行应为“领导 | 姓名 | 职务、职务”，姓名 2 至 10 个字"));
                }
                if titles.iter().any(|t| t.chars().count() > 30) {
                    return Err(format!("第 {n} 行：职务过长"));
                }
                kept.holders.push(Holder { name: name.into(), titles });
            }
            [_, _, _] => {
                let one = parse(line).map_err(|e| e.replacen("第 1 行", &format!("第 {n} 行"), 1))?;
                let w = one.into_iter().next().ok_or_else(|| format!("第 {n} 行无法读取"))?;
                if w.wrong.chars().count() > 50 || w.right.chars().count() > 50 {
                    return Err(format!("第 {n} 行：写法过长（最多 50 个字）"));
                }
                if shipped().iter().any(|s| s.wrong == w.wrong) {
                    return Err(format!("第 {n} 行：「{}」已在平台内置词表中", w.wrong));
                }
                kept.wrong.push(w);
            }
            _ => return Err(format!("第 {n} 行应为“严重|一般 | 错误写法 | 正确写法”或“领导 | 姓名 | 职务”")),
        }
    }
    let all: Vec<&Wrong> = shipped().iter().chain(&kept.wrong).collect();
    for w in &kept.wrong {
        if let Some(o) = all.iter().find(|o| w.right.contains(&o.wrong)) {
            return Err(format!("「{}」的正确写法含有错误写法「{}」，正确的文字也会被标出", w.wrong, o.wrong));
        }
    }
    Ok(kept)
}

/// Titles a name may stand beside, beyond the holders' own: a title found next to a holder's
/// name that is none of theirs is an error.
const TITLES: &[&str] = &[
    "书记",
    "副书记",
    "区委书记",
    "区委副书记",
    "县委书记",
    "县委副书记",
    "市委书记",
    "市委副书记",
    "镇党委书记",
    "乡党委书记",
    "党委书记",
    "党组书记",
    "区长",
    "副区长",
    "常务副区长",
    "县长",
    "副县长",
    "常务副县长",
    "市长",
    "副市长",
    "常务副市长",
    "镇长",
    "副镇长",
    "乡长",
    "副乡长",
    "主任",
    "副主任",
    "局长",
    "副局长",
    "主席",
    "副主席",
    "部长",
    "副部长",
    "秘书长",
    "副秘书长",
    "委员长",
    "副委员长",
    "总理",
    "副总理",
    "总书记",
    "主任委员",
    "人大常委会主任",
    "政协主席",
    "街道党工委书记",
    "街道办事处主任",
];

/// Finds wrong forms (shipped and kept) and holders' names beside a wrong title.
pub struct Checker {
    list: Vec<Wrong>,
    matcher: Option<AhoCorasick>,
    holders: Vec<Holder>,
    names: Option<AhoCorasick>,
    titles: Vec<String>,
}

impl Checker {
    /// The shipped list with a site's own.
    pub fn new(kept: &Kept) -> Self {
        let list: Vec<Wrong> = shipped().iter().cloned().chain(kept.wrong.iter().cloned()).collect();
        let matcher = AhoCorasick::new(list.iter().map(|w| w.wrong.as_str())).ok();
        let names = if kept.holders.is_empty() {
            None
        } else {
            AhoCorasick::new(kept.holders.iter().map(|h| h.name.as_str())).ok()
        };
        let mut titles: Vec<String> = TITLES.iter().map(|t| t.to_string()).collect();
        titles.extend(kept.holders.iter().flat_map(|h| h.titles.iter().cloned()));
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        titles.dedup();
        Self { list, matcher, holders: kept.holders.clone(), names, titles }
    }

    /// The longest title that `text` starts with (`after`) or ends with.
    fn title_at<'a>(&'a self, text: &str, after: bool) -> Option<&'a str> {
        self.titles
            .iter()
            .find(|t| if after { text.starts_with(t.as_str()) } else { text.ends_with(t.as_str()) })
            .map(String::as_str)
    }

    /// The wrong forms in `text`, serious ones first, each once with its count.
    pub fn scan(&self, text: &str) -> Vec<Slip> {
        let mut out: Vec<Slip> = Vec::new();
        if let Some(matcher) = &self.matcher {
            let mut counts = vec![0usize; self.list.len()];
            for m in matcher.find_iter(text) {
                counts[m.pattern().as_usize()] += 1;
            }
            out = self
                .list
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(w, count)| Slip { weight: w.weight, wrong: w.wrong.clone(), right: w.right.clone(), count })
                .collect();
        }
        if let Some(names) = &self.names {
            for m in names.find_iter(text) {
                let h = &self.holders[m.pattern().as_usize()];
                let found =
                    [(self.title_at(&text[m.end()..], true), true), (self.title_at(&text[..m.start()], false), false)];
                for (title, after) in found {
                    let Some(title) = title else { continue };
                    if h.titles.iter().any(|t| t == title) {
                        continue;
                    }
                    let wrong = if after { format!("{}{title}", h.name) } else { format!("{title}{}", h.name) };
                    let right = format!("{}（{}）", h.name, h.titles.join("、"));
                    match out.iter_mut().find(|s| s.wrong == wrong) {
                        Some(s) => s.count += 1,
                        None => out.push(Slip { weight: Weight::Serious, wrong, right, count: 1 }),
                    }
                }
            }
        }
        out.sort_by_key(|s| s.weight != Weight::Serious);
        out
    }
}

/// The shipped list, with its matcher.
static SHIPPED: LazyLock<(Vec<Wrong>, Checker)> = LazyLock::new(|| {
    let list = parse(include_str!("../../../data/wording.txt")).unwrap_or_default();
    let matcher = AhoCorasick::new(list.iter().map(|w| w.wrong.as_str())).ok();
    let titles = TITLES.iter().map(|t| t.to_string()).collect();
    (list.clone(), Checker { list, matcher, holders: Vec::new(), names: None, titles })
});

/// The shipped list.
pub fn shipped() -> &'static [Wrong] {
    &SHIPPED.0
}

/// The wrong forms of the shipped list in `text`, serious ones first, each once with its
/// count.
pub fn scan(text: &str) -> Vec<Slip> {
    SHIPPED.1.scan(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_reads_and_each_wrong_form_is_not_right_elsewhere() {
        let list = shipped();
        assert!(list.len() >= 25, "{}", list.len());
        assert!(list.iter().any(|w| w.weight == Weight::Serious));
        // No right form contains a wrong one (the check would flag correct text).
        for w in list {
            assert!(list.iter().all(|o| !w.right.contains(&o.wrong)), "{} contains a wrong form", w.right);
        }
    }

    #[test]
    fn a_text_is_scanned_in_one_pass_serious_first() {
        let text = "认真贯切落实党中央决策布署，坚持一国两治……再次强调布署要求。中华人民共和国";
        let slips = scan(text);
        let found: Vec<(&str, usize)> = slips.iter().map(|s| (s.wrong.as_str(), s.count)).collect();
        assert_eq!(found, vec![("一国两治", 1), ("布署", 2), ("贯切落实", 1)]);
        assert_eq!(slips[0].weight, Weight::Serious);
        assert_eq!(slips[0].right, "一国两制");
        assert!(scan("中华人民共和国政府信息公开条例").is_empty());
    }

    fn kept() -> Kept {
        parse_kept(
            "# 本区词表\n严重 | 黔江区人名政府 | 黔江区人民政府\n领导 | 张三 | 区委副书记、区长\n领导 | 李四 | 副区长\n",
        )
        .expect("kept")
    }

    #[test]
    fn a_holder_beside_a_title_not_theirs_is_serious() {
        let c = Checker::new(&kept());
        let slips =
            c.scan("副区长张三主持召开会议，区长张三讲话，张三区长强调；李四区长出席，副区长李四参加。张三同志。");
        let found: Vec<(&str, usize)> = slips.iter().map(|s| (s.wrong.as_str(), s.count)).collect();
        assert_eq!(found, vec![("副区长张三", 1), ("李四区长", 1)], "longest title wins: 副区长 is not 区长");
        assert!(slips.iter().all(|s| s.weight == Weight::Serious));
        assert_eq!(slips[0].right, "张三（区委副书记、区长）");
        assert!(c.scan("区委副书记、区长张三").is_empty(), "a title of theirs, after 、");
        assert_eq!(c.scan("黔江区人名政府办公室")[0].right, "黔江区人民政府", "the site's own forms");
        assert!(c.scan("中华人民共合国")[0].weight == Weight::Serious, "and the shipped ones");
    }

    #[test]
    fn a_kept_list_refuses_what_it_cannot_check() {
        assert!(parse_kept("领导 | 张 | 区长").expect_err("short name").contains("第 1 行"));
        assert!(parse_kept("领导 | 张三 | ").is_err());
        assert!(parse_kept("一般 | 布署 | 部署").expect_err("shipped").contains("内置"));
        assert!(
            parse_kept("一般 | 公开 | 公布\n一般 | 信息 | 信息公开").expect_err("right holds wrong").contains("公开")
        );
        assert!(parse_kept("\n#只有注释\n").expect("empty").holders.is_empty());
        let many = "一般 | 甲乙 | 丙丁\n".repeat(MAX_KEPT + 1);
        assert!(parse_kept(&many).expect_err("too many").contains("最多"));
    }

    #[test]
    fn a_bad_line_is_named() {
        assert!(parse("严重 | 只有两栏").expect_err("two columns").contains("第 1 行"));
        assert!(parse("很严重 | a | b").expect_err("weight").contains("程度"));
        assert!(parse("一般 | a | a").is_err());
    }
}
