//! Search as a citizen uses it: the API and the page, after an item is published.

use crate::common;

use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp};
use serde_json::Value;

const DOC_004: &str = include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt");
const DOC_001: &str = include_str!("../../../../demo/corpus/001_48fbd0a234bc08f9.txt");

#[tokio::test]
async fn a_citizen_searches_and_opens_an_item() {
    let app = TestApp::spawn().await;
    app.import_office_doc("004.txt", DOC_004).await;
    app.import_office_doc("001.txt", DOC_001).await;

    let r: Value = app.get("/api/v1/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80").await.json().await.expect("json"); // 政务公开
    assert_eq!(r["total"], 2);
    assert!(r["hits"][0]["snippet"].as_str().expect("snippet").contains("<b>"));
    assert_eq!(r["facets"]["org"][0]["value"], QIANJIANG_OFFICE);
    let r: Value = app
        .get("/api/v1/search?q=%E9%BB%94%E6%B1%9F%E5%BA%9C%E5%8A%9E%E5%8F%91(2017)53%E5%8F%B7")
        .await
        .json()
        .await
        .expect("json"); // 黔江府办发(2017)53号
    assert_eq!(r["hits"][0]["doc_no"], "黔江府办发〔2017〕53号");
    let url = r["hits"][0]["url"].as_str().expect("url").to_string();
    let r: Value = app
        .get(&format!("/api/v1/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&org={QIANJIANG}&year=2017"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(r["total"], 1, "the district's filter includes its office; the year narrows");

    let page = app.get("/search?q=%E6%94%BF%E5%8B%99%E5%85%AC%E9%96%8B").await.text().await.expect("html"); // 政務公開
    assert!(page.contains("共找到 2 条"), "traditional finds both");
    assert!(page.contains("2016鄉鎮政務公開實施方案"));
    assert!(page.contains("<b>"), "highlighted");
    assert!(
        page.contains("发布机构") && page.contains("重庆市黔江区人民政府办公室</a> <small class=\"muted\">(2)</small>")
    );
    let item = app.get(&url).await.text().await.expect("html");
    assert!(item.contains("黔江府办发〔2017〕53号"));
    // A mistyped title is offered the title's words; nothing under the filters chosen is
    // offered the same words without them.
    let typo = "乡镇政务公开实施方按";
    let r: Value =
        app.get(&format!("/api/v1/search?q={}", gongkai_web::util::url_encode(typo))).await.json().await.expect("json");
    assert_eq!(r["suggestion"], "乡镇政务公开实施方案", "{r}");
    let page = app.get(&format!("/search?q={}", gongkai_web::util::url_encode(typo))).await.text().await.expect("html");
    assert!(page.contains("您是不是要找：<a href=\"/search?q=%E4%B9%A1%E9%95%87"), "a link to the correction");
    let page = app.get("/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&year=2030").await.text().await.expect("html");
    assert!(page.contains("共找到 0 条"));
    assert!(page.contains("<a href=\"/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80\">在全部信息中搜索“政务公开”</a>"));
    let bad = app.get("/search?q=%EF%BC%8C%E3%80%82").await; // ，。
    assert_eq!(bad.status(), 200);
    assert!(bad.text().await.expect("html").contains("只有标点符号无法检索"));
}

/// What a hostile reader may type must not stop the server: many words, a long phrase and
/// a wall of punctuation each get an answer, and the server answers after them.
#[tokio::test]
async fn huge_queries_are_answered_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    app.import_office_doc("004.txt", DOC_004).await;

    // Words and a phrase the document has, so every clause is built and scored.
    let words = ["政务", "公开", "工作", "乡镇", "实施", "方案"]
        .iter()
        .cycle()
        .take(300)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let passage: String =
        DOC_004.lines().map(str::trim).filter(|l| l.chars().count() > 60).collect::<Vec<_>>().concat();
    let phrase = format!("\"{}\"", passage.chars().take(2_000).collect::<String>());
    let punctuation = "!,.;:?()[]-".chars().cycle().take(10_000).collect::<String>();
    let a_plus = "a ".repeat(60);
    for q in [&a_plus, &phrase, &punctuation, &words] {
        for path in ["/search", "/api/v1/search"] {
            let res = app.client.get(app.url(path)).query(&[("q", q.as_str())]).send().await.expect("answered");
            assert_eq!(res.status(), 200, "{path} with {} characters", q.chars().count());
            let body = res.text().await.expect("body");
            if q == &words {
                assert!(body.contains("搜索词过多，只按前 12 个词检索"), "{path}: the cut is said");
            }
            if q == &punctuation {
                assert!(body.contains("只有标点符号无法检索"), "{path}: punctuation alone is said");
            }
            let health = app.get("/healthz").await;
            assert_eq!(health.status(), 200, "alive after {path}");
        }
    }
    // A query within the bounds still finds what it names.
    let r: Value = app.get("/api/v1/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80").await.json().await.expect("json");
    assert_eq!(r["total"], 1);
}
