//! The five real documents of demo/corpus, read as a clerk would: the fields their text
//! states, and a warning for everything damaged or guessed.

use chrono::NaiveDate;
use gongkai_core::import::{ParsedDoc, parse_text};

fn doc(name: &str) -> ParsedDoc {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/corpus");
    let path = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(name)))
        .expect("corpus file");
    parse_text(&std::fs::read_to_string(path).expect("read"))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn corpus_000_has_no_title_line_and_signs_at_the_end() {
    let d = doc("000");
    eprintln!("{d:#?}");
    assert_eq!(d.title, "常州市武进区人民政府关于进一步做好政府信息公开工作的意见");
    assert_eq!(d.issuer.as_deref(), Some("常州市武进区人民政府"));
    assert_eq!(d.written_on, date(2015, 3, 18));
    assert_eq!(d.published_at.map(|t| t.date()), date(2015, 3, 20));
    assert_eq!(d.doc_no, "");
    assert!(d.body.starts_with("各镇人民政府,开发区管委会"));
    assert!(d.warnings.iter().any(|w| w.contains("原文没有标题")));
}

#[test]
fn corpus_001_is_traditional_and_untitled() {
    let d = doc("001");
    eprintln!("{d:#?}");
    assert!(d.body.contains("政務公開"));
    assert!(d.body.starts_with("六、公開程序"));
    assert_eq!(d.title, "2016鄉鎮政務公開實施方案");
    assert!(d.warnings.iter().any(|w| w.contains("原文没有标题")));
}

#[test]
fn corpus_002_loses_its_web_page_chrome() {
    let d = doc("002");
    eprintln!("{:#?}", ParsedDoc { body: d.body.chars().take(200).collect(), ..d.clone() });
    assert_eq!(d.title, "关于印发《永州市推进政务公开改革实施方案》的通知");
    assert_eq!(d.doc_no, "永政办函〔2018〕42号");
    assert_eq!(d.issuer.as_deref(), Some("永州市人民政府办公室"));
    assert_eq!(d.written_on, date(2018, 7, 4));
    assert_eq!(d.published_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).as_deref(), Some("2018-07-05 15:08"));
    for chrome in ["您现在所在的位置", "分享到", "网站标识码", "版权所有", "扫一扫", "湘ICP备", "【字体"]
    {
        assert!(!d.body.contains(chrome), "{chrome} left in the body");
    }
    assert!(d.body.contains("为全面贯彻落实党的十九大精神"));
    assert!(d.body.starts_with("永州市人民政府办公室\n各县区人民政府"), "{}", &d.body[..100]);
    assert_eq!(d.warnings, Vec::<String>::new());
}

#[test]
fn corpus_003_is_damaged_and_says_what_it_could_not_read() {
    let d = doc("003");
    eprintln!("{:#?}", ParsedDoc { body: d.body.chars().take(200).collect(), ..d.clone() });
    assert_eq!(d.index_no.as_deref(), Some("014109453/2018-00070"));
    assert_eq!(d.title, "市经信委2018年政务公开工作要点实施方案");
    assert_eq!(d.written_on, date(2018, 7, 26));
    assert_eq!(d.published_at.map(|t| t.date()), date(2018, 7, 27));
    assert_eq!(d.issuer.as_deref(), Some("常州市经济和信息化委员会"));
    assert_eq!(d.topic.as_deref(), Some("电子政务"));
    assert_eq!(d.doc_no, "", "the damaged 文号 is not guessed");
    assert!(d.summary.starts_with("为深入贯彻落实"));
    let all = d.warnings.join("\n");
    for expected in ["文本有损坏", "发文字号无法识别", "标题", "成文日期", "发布日期", "发布机构"]
    {
        assert!(all.contains(expected), "no warning about {expected}: {all}");
    }
}

#[test]
fn corpus_004_has_a_full_metadata_header() {
    let d = doc("004");
    assert_eq!(d.index_no.as_deref(), Some("11500114009130039C/2017-00861"));
    assert_eq!(d.doc_no, "黔江府办发〔2017〕53号");
    assert_eq!(d.title, "重庆市黔江区人民政府办公室关于认真落实政务公开重点任务分工和有关工作的通知");
    assert_eq!(d.topic.as_deref(), Some("其他"));
    assert_eq!(d.genre.as_deref(), Some("行政规范性文件"));
    assert_eq!(d.written_on, date(2017, 6, 1));
    assert_eq!(d.published_at.map(|t| t.date()), date(2017, 6, 1));
    assert_eq!(d.issuer.as_deref(), Some("黔江区人民政府"));
    assert!(d.body.contains("2017年政务公开重点工作任务分工"));
    assert!(
        d.body.starts_with("各乡、镇人民政府,各街道办事处,区政府各部门,有关单位:"),
        "the header lines are not repeated: {}",
        &d.body[..200]
    );
    assert_eq!(d.warnings, Vec::<String>::new());
}
