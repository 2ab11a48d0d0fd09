//! Reading a document as a clerk would: from the text of a government document (often
//! copied from a web page) find its title, 发文字号, 索引号, issuing org, dates, the
//! metadata header when there is one (索引号 / 发文字号 / 主题分类 / 体裁分类 / 成文日期 /
//! 发布日期 / 发布机构 / 有效性, as disclosure sites print it), and the body without the
//! page's chrome (breadcrumbs, share links, footers). Damaged text is read as far as it can
//! be, and every guess or repair is reported as a warning; nothing here fails.

use crate::html;
use crate::item::{DisclosureAttr, Validity};
use crate::{DocNo, index_no};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;
use std::sync::LazyLock;

/// What was read from one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedDoc {
    /// 标题.
    pub title: String,
    /// 发文字号, normalised; empty when none or unreadable.
    pub doc_no: String,
    /// 索引号 as printed.
    pub index_no: Option<String>,
    /// 发布机构 / the signing org as printed.
    pub issuer: Option<String>,
    /// 主题分类.
    pub topic: Option<String>,
    /// 体裁分类.
    pub genre: Option<String>,
    /// 成文日期.
    pub written_on: Option<NaiveDate>,
    /// 发布日期 (Beijing time).
    pub published_at: Option<NaiveDateTime>,
    /// 废止日期.
    pub repealed_on: Option<NaiveDate>,
    /// 有效性.
    pub validity: Option<Validity>,
    /// 公开属性, when the source states it.
    pub disclosure_attr: Option<DisclosureAttr>,
    /// 内容概述.
    pub summary: String,
    /// 转载: where a republished document came from, when the record says.
    pub reprint: crate::item::Reprint,
    /// The body as plain text, one paragraph a line.
    pub body: String,
    /// What could not be read, and every guess made.
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    IndexNo,
    DocNo,
    Topic,
    Genre,
    Other,
    Written,
    Published,
    Repealed,
    Title,
    Issuer,
    Validity,
    Summary,
    Attr,
}

/// Header labels and the field each fills (simplified and traditional forms).
const LABELS: &[(&str, Field)] = &[
    ("索引号", Field::IndexNo),
    ("索引號", Field::IndexNo),
    ("发文字号", Field::DocNo),
    ("發文字號", Field::DocNo),
    ("文件编号", Field::DocNo),
    ("文件編號", Field::DocNo),
    ("文号", Field::DocNo),
    ("主题分类", Field::Topic),
    ("主題分類", Field::Topic),
    ("体裁分类", Field::Genre),
    ("體裁分類", Field::Genre),
    ("组配分类", Field::Other),
    ("組配分類", Field::Other),
    ("成文日期", Field::Written),
    ("产生日期", Field::Written),
    ("生成日期", Field::Written),
    ("發布日期", Field::Published),
    ("发布日期", Field::Published),
    ("公开日期", Field::Published),
    ("废止日期", Field::Repealed),
    ("廢止日期", Field::Repealed),
    ("文件标题", Field::Title),
    ("信息名称", Field::Title),
    ("文件標題", Field::Title),
    ("发布机构", Field::Issuer),
    ("發布機構", Field::Issuer),
    ("发文机关", Field::Issuer),
    ("发文单位", Field::Issuer),
    ("有效性", Field::Validity),
    ("时效性", Field::Validity),
    ("内容概述", Field::Summary),
    ("内容概要", Field::Summary),
    ("公开属性", Field::Attr),
    ("公开方式", Field::Attr),
];

/// Lines of page chrome before the document (dropped wherever they are).
const CHROME: &[&str] = &[
    "您当前位置",
    "您现在所在的位置",
    "当前位置",
    "您的位置",
    "分享到",
    "【字体",
    "字体：",
    "字号：",
    "打印本页",
    "关闭窗口",
    "来源:",
    "来源：",
    "图解>>",
    "浏览次数",
    "访问量",
    "【打印】",
    "【关闭】",
];

/// Lines where a web page's footer starts (everything after is dropped).
const FOOTER: &[&str] = &[
    "扫一扫在手机打开",
    "关于本网",
    "网站标识码",
    "版权所有",
    "主 办:",
    "主 办：",
    "主办单位",
    "备案序号",
    "ICP备",
    "- 国家部委网站 -",
    "相关链接",
    "网站地图",
    "联系我们|",
    "上一篇",
    "下一篇",
];

const TITLE_ENDINGS: &[&str] = &[
    "通知",
    "意见",
    "方案",
    "办法",
    "规定",
    "决定",
    "公告",
    "通告",
    "报告",
    "批复",
    "函",
    "要点",
    "规划",
    "计划",
    "细则",
    "条例",
    "规则",
    "纲要",
    "意見",
    "辦法",
    "規定",
    "決定",
    "報告",
    "規劃",
    "計劃",
    "細則",
    "實施方案",
    "总结",
    "通報",
    "通报",
];

static DEBRIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]?/(?:span|td|tr|div|p|a|font|strong)>|</?(?:span|td|tr|div|p|a|font|strong)[^>]*>")
        .expect("static regex")
});
static INDEX_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9A-Z]{9}(?:[0-9A-Z]{9})?/[0-9]{4}-[0-9]{3,6}").expect("static regex"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\?|[0-9]{4}|[0-9]{3})\s*[-年/.]\s*([0-9]{1,2})\s*[-月/.]\s*([0-9]{1,2})(?:\s*日)?(?:\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?").expect("static regex")
});
static CN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([〇零一二三四五六七八九○]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")
        .expect("static regex")
});
static SIGNATURE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$").expect("static regex"));
static PRINTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日\s*印发").expect("static regex"));
static DECIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"就(.{4,40}?)(?:制定|提出|作出)如下(意见|方案|通知|规定|决定)").expect("static regex")
});

fn cn_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32).or(match c {
        '零' | '○' => Some(0),
        _ => None,
    })
}

fn cn_number(s: &str) -> Option<u32> {
    // 一 … 九, 十, 十一 … 十九, 二十 … 三十一.
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d != '十' => cn_digit(*d),
        ['十'] => Some(10),
        ['十', d] => cn_digit(*d).map(|v| 10 + v),
        [t, '十'] => cn_digit(*t).map(|v| v * 10),
        [t, '十', d] => Some(cn_digit(*t)? * 10 + cn_digit(*d)?),
        _ => None,
    }
}

/// A date written as `2017-06-01`, `2017年6月1日`, `2017/6/1`, `2017.06.01` or
/// `二〇一五年三月十八日`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(c) = CN_DATE.captures(s) {
        let year: u32 = c[1].chars().try_fold(0u32, |a, ch| cn_digit(ch).map(|d| a * 10 + d))?;
        return NaiveDate::from_ymd_opt(year as i32, cn_number(&c[2])?, cn_number(&c[3])?);
    }
    let c = DATE.captures(s)?;
    if c[1].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let c = DATE.captures(s.trim())?;
    if c[1].len() != 4 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    let time = match (c.get(4), c.get(5)) {
        (Some(h), Some(m)) => NaiveTime::from_hms_opt(
            h.as_str().parse().ok()?,
            m.as_str().parse().ok()?,
            c.get(6).and_then(|s| s.as_str().parse().ok()).unwrap_or(0),
        )?,
        _ => NaiveTime::MIN,
    };
    Some(date.and_time(time))
}

/// A date whose year lost digits to damage (`?018-07-26`, `018-07-26`), repaired from a
/// year known elsewhere in the document when the surviving digits agree.
fn repair_date(s: &str, known_year: Option<i32>) -> Option<NaiveDate> {
    let c = DATE.captures(s.trim())?;
    let year = known_year?;
    let frag = &c[1];
    let ok = match frag {
        "?" => true,
        f => year.to_string().ends_with(f),
    };
    if !ok {
        return None;
    }
    NaiveDate::from_ymd_opt(year, c[2].parse().ok()?, c[3].parse().ok()?)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Removes spaces between two CJK characters (web pages break titles with them).
fn join_cjk(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_some_and(is_cjk) && next.is_some_and(|n| is_cjk(*n) || matches!(n, '《' | '（' | '(')) {
                continue;
            }
            if out.ends_with(' ') {
                continue;
            }
            out.push(' ');
        } else {
            out.push(*c);
        }
    }
    out
}

fn clean_value(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '•' | '·' | '|' | '\u{a0}')).to_string()
}

/// Damage markers: replacement characters and `?` standing for lost CJK characters or digits.
fn damage_count(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            **c == '\u{fffd}'
                || (**c == '?' && {
                    let prev = i.checked_sub(1).and_then(|j| chars.get(j));
                    let next = chars.get(i + 1);
                    prev.is_some_and(|p| is_cjk(*p) || p.is_ascii_digit())
                        || next.is_some_and(|n| is_cjk(*n) || n.is_ascii_digit())
                })
        })
        .count()
}

/// Splits a header line into (field, value) pairs; a line may carry several labels.
fn header_pairs(line: &str) -> Vec<(Field, String, &'static str)> {
    let mut hits: Vec<(usize, usize, Field, &'static str)> = Vec::new();
    for (label, field) in LABELS {
        let mut from = 0;
        while let Some(pos) = line[from..].find(label) {
            let at = from + pos;
            // Prefer the longer label where two overlap (文号 inside 发文字号 is not a label there).
            if !hits.iter().any(|(s, e, _, _)| at < *e && at + label.len() > *s) {
                hits.push((at, at + label.len(), *field, label));
            }
            from = at + label.len();
        }
    }
    hits.sort_by_key(|h| h.0);
    let mut out = Vec::new();
    for (i, (_, end, field, label)) in hits.iter().enumerate() {
        let stop = hits.get(i + 1).map(|h| h.0).unwrap_or(line.len());
        out.push((*field, clean_value(&line[*end..stop]), *label));
    }
    out
}

fn looks_like_title(line: &str) -> bool {
    let n = line.chars().count();
    (6..=90).contains(&n)
        && !line.ends_with([':', '：', '。', '，', ','])
        && (TITLE_ENDINGS.iter().any(|e| line.ends_with(e)) || (line.contains("关于") && !line.contains('。')))
        && !line.starts_with(['各', '（', '('])
}

/// Reads a plain-text document.
pub fn parse_text(raw: &str) -> ParsedDoc {
    let mut doc = ParsedDoc::default();
    let text = raw.replace("\r\n", "\n").replace(['\r', '\u{3000}', '\u{a0}'], " ");
    let damaged = damage_count(&text);
    let mut lines: Vec<String> = Vec::new();
    let mut debris_lines = Vec::new();
    let mut debris = 0;
    for l in text.lines() {
        let cleaned = DEBRIS.replace_all(l, " ");
        if cleaned != l {
            debris += DEBRIS.find_iter(l).count();
            debris_lines.push(lines.len());
        }
        lines.push(cleaned.trim().to_string());
    }
    if damaged > 0 || debris > 0 {
        doc.warnings.push(format!(
            "文本有损坏：{damaged} 处字符无法识别（以「?」或「\u{fffd}」出现），{debris} 处网页标记残留已清除；相关字段请人工核对"
        ));
    }

    // The footer: from the first footer marker on, everything goes.
    if let Some(cut) = lines.iter().position(|l| FOOTER.iter().any(|m| l.contains(m))) {
        lines.truncate(cut);
    }

    // The metadata header: labelled lines near the top.
    let mut header: Vec<(Field, String, bool)> = Vec::new();
    let mut consumed = vec![false; lines.len()];
    let head_span = lines.len().min(30);
    for i in 0..head_span {
        let l = lines[i].trim_start_matches(['•', '·', '-', '*', ' ']).trim();
        if l.is_empty() {
            continue;
        }
        if CHROME.iter().any(|m| l.starts_with(m) || lines[i].contains(m)) {
            consumed[i] = true;
            continue;
        }
        let pairs = header_pairs(l);
        let starts_with_label = pairs.first().is_some_and(|(_, _, label)| l.starts_with(label));
        if starts_with_label && l.chars().count() < 400 {
            consumed[i] = true;
            let suspect = debris_lines.contains(&i) || damage_count(l) > 0;
            for (f, v, _) in pairs {
                header.push((f, v, suspect));
            }
        } else if lines[i].starts_with('•') {
            // A bullet with only a date and time is the publication time on many sites.
            if let Some(dt) = parse_datetime(l).filter(|_| l.chars().count() <= 20) {
                header.push((Field::Published, dt.format("%Y-%m-%d %H:%M").to_string(), false));
                consumed[i] = true;
            }
        } else if let Some(idx) = INDEX_NO.find(l).filter(|_| i < 10 && l.chars().count() < 40) {
            // A damaged label (`号:014109453/2018-00070`): the value still has its shape.
            header.push((Field::IndexNo, idx.as_str().to_string(), true));
            consumed[i] = true;
        }
    }
    let get = |f: Field| header.iter().find(|(hf, v, _)| *hf == f && !v.is_empty()).map(|(_, v, s)| (v.clone(), *s));

    // 索引号.
    if let Some((v, _)) = get(Field::IndexNo) {
        match INDEX_NO.find(&v) {
            Some(m) => doc.index_no = Some(m.as_str().to_string()),
            None if index_no::looks_like(&v) || !v.contains('?') => doc.index_no = Some(v),
            None => doc.warnings.push(format!("索引号无法识别：「{v}」")),
        }
    }
    let index_year: Option<i32> = doc
        .index_no
        .as_deref()
        .and_then(|n| n.split_once('/'))
        .and_then(|(_, r)| r.get(..4))
        .and_then(|y| y.parse().ok());

    // Body lines: what the header and chrome did not take.
    let body_lines: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !consumed[*i] && !l.is_empty())
        .map(|(i, l)| (i, l.as_str()))
        .collect();

    // 发文字号: the header, else a line of its own near the top.
    let mut doc_no_line = None;
    match get(Field::DocNo) {
        Some((v, _)) => match DocNo::parse(&v) {
            Ok(no) if damage_count(&v) == 0 => doc.doc_no = no.to_string(),
            _ => doc.warnings.push(format!("发文字号无法识别：「{v}」")),
        },
        None => {
            for (i, l) in body_lines.iter().take(12) {
                if l.chars().count() <= 30
                    && (l.ends_with('号') || l.ends_with('號'))
                    && let Ok(no) = DocNo::parse(l)
                {
                    doc.doc_no = no.to_string();
                    doc_no_line = Some(*i);
                    break;
                }
            }
        }
    }

    // 发布机构 / issuer: the header unless damaged, else the red-header line (XXX文件), else
    // the signature before the first standalone date.
    let red_header = body_lines.iter().take(12).find_map(|(_, l)| {
        l.strip_suffix("文件")
            .filter(|o| o.chars().count() >= 4 && o.chars().count() <= 30 && !o.contains(['，', '。']))
            .map(str::to_string)
    });
    let signature = body_lines.windows(2).find_map(|w| {
        let (name, date) = (w[0].1, w[1].1);
        let is_date = SIGNATURE_DATE.is_match(date) || CN_DATE.is_match(date);
        (is_date && name.chars().count() <= 30 && !name.contains(['，', '。', ',', ':']))
            .then(|| (name.to_string(), date.to_string()))
    });
    doc.issuer = match get(Field::Issuer) {
        Some((v, false)) if !v.is_empty() => Some(v),
        Some((v, true)) => {
            let alt = red_header.clone().or_else(|| signature.as_ref().map(|s| s.0.clone()));
            doc.warnings.push(format!(
                "发布机构「{v}」有损坏{}",
                alt.as_ref().map(|a| format!("，已按正文改为「{a}」")).unwrap_or_default()
            ));
            alt
        }
        _ => red_header.clone().or_else(|| signature.as_ref().map(|s| s.0.clone())),
    };

    // Dates.
    let date_field = |f: Field, what: &str, warnings: &mut Vec<String>| -> Option<NaiveDate> {
        let (v, _) = get(f)?;
        if let Some(d) = parse_date(&v) {
            return Some(d);
        }
        if let Some(d) = repair_date(&v, index_year) {
            warnings.push(format!("{what}「{v}」年份有损坏，已按索引号年份修复为 {d}"));
            return Some(d);
        }
        if !v.is_empty() {
            warnings.push(format!("{what}无法识别：「{v}」"));
        }
        None
    };
    doc.written_on = date_field(Field::Written, "成文日期", &mut doc.warnings);
    doc.repealed_on = date_field(Field::Repealed, "废止日期", &mut doc.warnings);
    if doc.written_on.is_none() {
        doc.written_on = signature.as_ref().and_then(|s| parse_date(&s.1));
    }
    doc.published_at = match get(Field::Published) {
        Some((v, _)) => parse_datetime(&v).or_else(|| {
            let repaired = repair_date(&v, index_year).map(|d| d.and_time(NaiveTime::MIN));
            match repaired {
                Some(d) => doc.warnings.push(format!("发布日期「{v}」年份有损坏，已按索引号年份修复为 {}", d.date())),
                None => doc.warnings.push(format!("发布日期无法识别：「{v}」")),
            }
            repaired
        }),
        None => None,
    };
    if doc.published_at.is_none()
        && let Some(c) = lines.iter().rev().find_map(|l| PRINTED.captures(l))
    {
        let d =
            NaiveDate::from_ymd_opt(c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
        if let Some(d) = d {
            doc.published_at = Some(d.and_time(NaiveTime::MIN));
            doc.warnings.push(format!("未注明发布日期，已取印发日期 {d}"));
        }
    }

    doc.topic = get(Field::Topic).map(|(v, _)| v).filter(|v| damage_count(v) == 0);
    doc.genre = get(Field::Genre).map(|(v, _)| v).filter(|v| damage_count(v) == 0);
    doc.summary = get(Field::Summary).map(|(v, _)| v).unwrap_or_default();
    doc.validity = get(Field::Validity).and_then(|(v, _)| Validity::parse(&v));
    doc.disclosure_attr = get(Field::Attr).and_then(|(v, _)| DisclosureAttr::parse(&v));

    // 标题.
    let header_title = get(Field::Title).map(|(v, s)| (join_cjk(&v), s));
    let mut title_line = None;
    doc.title = match header_title {
        Some((t, suspect)) if damage_count(&t) > 0 || suspect => {
            // Repair from a body line that matches with each damaged run standing for 1-3 characters.
            let pattern = t.split(['?', '\u{fffd}']).map(regex::escape).collect::<Vec<_>>().join(".{1,3}");
            let re = Regex::new(&format!("^{pattern}$")).ok();
            match body_lines.iter().find(|(_, l)| re.as_ref().is_some_and(|r| r.is_match(&join_cjk(l)))) {
                Some((i, l)) => {
                    doc.warnings.push(format!("标题「{t}」有损坏，已按正文修复为「{}」", join_cjk(l)));
                    title_line = Some(*i);
                    join_cjk(l)
                }
                None => {
                    doc.warnings.push(format!("标题「{t}」有损坏，无法修复"));
                    t
                }
            }
        }
        Some((t, _)) => t,
        None => {
            let candidate = body_lines.iter().take(15).find(|(_, l)| looks_like_title(l));
            match candidate {
                Some((i, l)) => {
                    title_line = Some(*i);
                    join_cjk(l)
                }
                None => match (&doc.issuer, DECIDE.captures(&text)) {
                    (Some(issuer), Some(c)) => {
                        let t = format!("{issuer}关于{}的{}", &c[1], &c[2]);
                        doc.warnings.push(format!("原文没有标题，已按正文拟为「{t}」，请核对"));
                        t
                    }
                    _ => {
                        let marker = body_lines.iter().find_map(|(_, l)| {
                            l.strip_prefix('【')
                                .and_then(|r| r.strip_suffix('】'))
                                .map(|t| t.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
                        });
                        match marker {
                            Some(m) if !m.is_empty() => {
                                doc.warnings.push(format!("原文没有标题，已用文中标注「{m}」代替，请核对"));
                                m
                            }
                            _ => {
                                doc.warnings.push("原文没有标题，请补充".to_string());
                                String::new()
                            }
                        }
                    }
                },
            }
        }
    };

    // The body: the rest, without the lines near the top that repeat the title (whole, or
    // broken over two lines as red-header documents print it) and the 文号.
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let title_squashed = squash(&doc.title);
    let doc_no_squashed = squash(&doc.doc_no);
    let mut skip = std::collections::HashSet::new();
    skip.extend(title_line);
    skip.extend(doc_no_line);
    for (k, (i, l)) in body_lines.iter().enumerate().take(12) {
        let sq = squash(l);
        if sq.is_empty() {
            continue;
        }
        if sq == title_squashed
            || (!doc_no_squashed.is_empty()
                && DocNo::parse(&sq).is_ok_and(|n| squash(&n.to_string()) == doc_no_squashed))
        {
            skip.insert(*i);
        } else if let Some((j, next)) = body_lines.get(k + 1)
            && !title_squashed.is_empty()
            && format!("{sq}{}", squash(next)) == title_squashed
        {
            skip.insert(*i);
            skip.insert(*j);
        }
    }
    let body: Vec<&str> = body_lines.iter().filter(|(i, _)| !skip.contains(i)).map(|(_, l)| *l).collect();
    doc.body = body.join("\n");
    if doc.body.trim().is_empty() {
        doc.warnings.push("正文为空".to_string());
    }
    doc
}

/// Reads an HTML page: tags out, then as text.
pub fn parse_html(raw: &str) -> ParsedDoc {
    static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<(script|style|noscript)[^>]*>.*?</(script|style|noscript)>").expect("static regex")
    });
    let without = SCRIPT.replace_all(raw, "");
    parse_text(&html::to_text(&without))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_every_usual_form() {
        assert_eq!(parse_date("2017-06-01"), d(2017, 6, 1));
        assert_eq!(parse_date("2015年3月18日"), d(2015, 3, 18));
        assert_eq!(parse_date("2018/7/4"), d(2018, 7, 4));
        assert_eq!(parse_date("二〇一五年三月十八日"), d(2015, 3, 18));
        assert_eq!(parse_date("二〇一八年十二月三十一日"), d(2018, 12, 31));
        assert_eq!(parse_date("?018-07-26"), None);
        assert_eq!(repair_date("?018-07-26", Some(2018)), d(2018, 7, 26));
        assert_eq!(repair_date("018-07-26", Some(2018)), d(2018, 7, 26));
        assert_eq!(repair_date("?017-07-26", Some(2018)), None);
        assert_eq!(repair_date("017-07-26", Some(2018)), None, "surviving digits disagree");
    }

    #[test]
    fn a_metadata_header_is_read_field_by_field() {
        let text = "您当前位置: 首页/政务公开\n  • 索引号 11500114009130039C/2017-00861\n  • 发文字号 黔江府办发〔2017〕53号\n  • 主题分类 其他\n  • 体裁分类 行政规范性文件\n  • 成文日期 2017-06-01\n  • 发布日期 2017-06-01\n  • 文件标题 重庆市黔江区人民政府办公室 关于认真落实政务公开重点任务分工和有关工作的通知\n  • 发布机构 黔江区人民政府\n  • 有效性\n\n重庆市黔江区人民政府办公室 关于认真落实政务公开重点任务分工和有关工作的通知\n\n黔江府办发〔2017〕53号\n\n各乡、镇人民政府：\n正文。";
        let doc = parse_text(text);
        assert_eq!(doc.index_no.as_deref(), Some("11500114009130039C/2017-00861"));
        assert_eq!(doc.doc_no, "黔江府办发〔2017〕53号");
        assert_eq!(doc.title, "重庆市黔江区人民政府办公室关于认真落实政务公开重点任务分工和有关工作的通知");
        assert_eq!(doc.topic.as_deref(), Some("其他"));
        assert_eq!(doc.genre.as_deref(), Some("行政规范性文件"));
        assert_eq!(doc.written_on, d(2017, 6, 1));
        assert_eq!(doc.published_at.map(|t| t.date()), d(2017, 6, 1));
        assert_eq!(doc.issuer.as_deref(), Some("黔江区人民政府"));
        assert_eq!(doc.validity, None);
        assert!(!doc.body.contains("索引号") && !doc.body.contains("您当前位置"));
        assert!(doc.body.starts_with("黔江府办发〔2017〕53号") || doc.body.starts_with("各乡"), "{}", doc.body);
        assert_eq!(doc.warnings, Vec::<String>::new());
    }
}
