//! 表述错误: forms that are wrong wherever they stand — the state's name misspelt
//! (中华人民共合国), a basic formulation garbled (一国两治), a word every dictionary writes one
//! way (布署 for 部署). 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号) fails a site that
//! shows a serious one (严重表述错误, 单项否决) and deducts points for 错别字. The list ships in
//! `data/wording.txt`; [`scan`] finds its entries in a text in one pass.

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

/// The shipped list, with its matcher.
static SHIPPED: LazyLock<(Vec<Wrong>, Option<AhoCorasick>)> = LazyLock::new(|| {
    let list = parse(include_str!("../../../data/wording.txt")).unwrap_or_default();
    let matcher = AhoCorasick::new(list.iter().map(|w| w.wrong.as_str())).ok();
    (list, matcher)
});

/// The shipped list.
pub fn shipped() -> &'static [Wrong] {
    &SHIPPED.0
}

/// The wrong forms of the shipped list in `text`, serious ones first, each once with its
/// count.
pub fn scan(text: &str) -> Vec<Slip> {
    let (list, Some(matcher)) = &*SHIPPED else { return Vec::new() };
    let mut counts = vec![0usize; list.len()];
    for m in matcher.find_iter(text) {
        counts[m.pattern().as_usize()] += 1;
    }
    let mut out: Vec<Slip> = list
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(w, count)| Slip { weight: w.weight, wrong: w.wrong.clone(), right: w.right.clone(), count })
        .collect();
    out.sort_by_key(|s| s.weight != Weight::Serious);
    out
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

    #[test]
    fn a_bad_line_is_named() {
        assert!(parse("严重 | 只有两栏").expect_err("two columns").contains("第 1 行"));
        assert!(parse("很严重 | a | b").expect_err("weight").contains("程度"));
        assert!(parse("一般 | a | a").is_err());
    }
}
