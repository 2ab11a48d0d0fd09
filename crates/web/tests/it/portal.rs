//! The public pages: home, an org's sub-site, an item page with its metadata table and the
//! validity banner, the Atom feed and the CSV catalog.

use crate::common;

use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp};
use gongkai_store::AuditCtx;
use gongkai_store::importer::import_document;
use serde_json::json;

const DOC_004: &str = include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt");
const DOC_002: &str = include_str!("../../../../demo/corpus/002_b0d84d08535e947a.txt");

#[tokio::test]
async fn item_pages_show_the_metadata_and_a_banner_when_replaced() {
    let app = TestApp::spawn().await;
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("lookup").expect("org");
    let ctx = AuditCtx::cli();
    let target = gongkai_store::importer::ImportTarget { org_id: office.id, section_id: None };
    let old = import_document(&app.store, &ctx, target, "004.txt", DOC_004.as_bytes(), "txt").await;
    let new = import_document(&app.store, &ctx, target, "002.txt", DOC_002.as_bytes(), "txt").await;
    let (
        Ok(gongkai_store::ImportOutcome::Created { id: old, .. }),
        Ok(gongkai_store::ImportOutcome::Created { id: new, .. }),
    ) = (old.outcome, new.outcome)
    else {
        panic!("imports")
    };

    let html = app.get(&format!("/items/{old}")).await.text().await.expect("html");
    for expected in [
        "<th scope=\"row\">索引号</th><td>11500114009130039C/2017-00861</td>",
        "<th scope=\"row\">发文字号</th><td>黔江府办发〔2017〕53号</td>",
        "<th scope=\"row\">体裁分类</th><td>行政规范性文件</td>",
        "<th scope=\"row\">成文日期</th><td>2017-06-01</td>",
        "<th scope=\"row\">有效性</th><td>有效</td>",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("本文件已废止"));

    // Repeal it, naming its replacement: the banner links there.
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            &format!("/api/v1/items/{old}/set-validity"),
            Some(&editor),
            &json!({ "validity": "repealed", "replaced_by": new, "repealed_on": "2018-07-05" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = app.get(&format!("/items/{old}")).await.text().await.expect("html");
    assert!(html.contains("<strong>本文件已废止</strong>（2018-07-05），现行文件：<a href=\"/items/"), "banner");
    assert!(html.contains(&format!("<a href=\"/items/{new}\">关于印发《永州市推进政务公开改革实施方案》的通知</a>")));

    // The org page lists both, the repealed one marked; the filter keeps the query in the URL.
    let html = app.get(&format!("/orgs/{QIANJIANG}")).await.text().await.expect("html");
    assert!(html.contains("共 2 条"));
    assert!(html.contains("<span class=\"tag warn\">已废止</span>"));
    let html = app.get(&format!("/orgs/{QIANJIANG}?validity=repealed")).await.text().await.expect("html");
    assert!(html.contains("共 1 条"));
    let html = app.get(&format!("/orgs/{QIANJIANG}?year=nonsense&page=-3")).await.text().await.expect("html");
    assert!(html.contains("共 2 条"), "unreadable filters are ignored");

    let feed = app.get(&format!("/orgs/{QIANJIANG}/feed.atom")).await;
    assert_eq!(feed.headers()["content-type"], "application/atom+xml; charset=utf-8");
    let feed = feed.text().await.expect("xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert!(feed.contains("发文字号：黔江府办发〔2017〕53号"));

    let csv = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/catalog.csv")).await.text().await.expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}索引号,标题,发文字号,发布机构,主题分类,体裁分类,成文日期,发布日期,有效性,链接")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| r.starts_with("11500114009130039C/2017-00861,重庆市黔江区人民政府办公室关于认真落实政务公开重点任务分工和有关工作的通知,黔江府办发〔2017〕53号,黔江区人民政府,其他,行政规范性文件,2017-06-01,2017-06-01,已废止,")));

    let home = app.get("/").await.text().await.expect("html");
    assert!(home.contains(&format!("<a href=\"/items/{new}\">")));
    assert_eq!(app.get("/items/99999").await.status(), 404);
    assert_eq!(app.get("/items/abc").await.status(), 404);
    assert_eq!(app.get("/orgs/000000000").await.status(), 404);
}

#[tokio::test]
async fn sections_topics_and_genres_over_the_api_and_on_the_org_page() {
    let app = TestApp::spawn().await;
    let admin = app.token_for("qj-admin").await;
    let wj = app.token_for("wj-admin").await;
    let topics: serde_json::Value = app.get("/api/v1/topics").await.json().await.expect("json");
    assert_eq!(topics.as_array().expect("array").len(), 22);
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG_OFFICE}/sections/baseline"),
            Some(&wj),
            &json!({ "kind": "district" }),
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG_OFFICE}/sections/baseline"),
            Some(&admin),
            &json!({ "kind": "district" }),
        )
        .await;
    assert_eq!(res.json::<serde_json::Value>().await.expect("json")["added"], 54);
    let sections: serde_json::Value =
        app.get(&format!("/api/v1/orgs/{QIANJIANG_OFFICE}/sections")).await.json().await.expect("json");
    let first = sections[0]["id"].as_i64().expect("id");

    // An editor files an item under a section, with a topic from the list.
    let editor = app.token_for("editor").await;
    let res = app.post_json("/api/v1/items", Some(&editor), &json!({ "title": "x", "topic": "不存在的分类" })).await;
    assert_eq!(res.json::<serde_json::Value>().await.expect("json")["code"], "invalid_topic");
    let res = app
        .post_json("/api/v1/items", Some(&editor), &json!({ "title": "关于印发某办法的通知", "topic": "综合政务", "genre": "通知", "section": first, "disclosure_attr": "proactive" }))
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let reviewer = app.token_for("reviewer").await;
    let approver = app.token_for("approver").await;
    app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
    app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
    app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await;
    assert_eq!(app.post_empty(&format!("/api/v1/items/{id}/publish"), &editor).await.status(), 200);

    let html = app.get(&format!("/orgs/{QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(html.contains(&format!("<a href=\"/orgs/{QIANJIANG_OFFICE}?section={first}\">行政法规、规章和规范性文件</a> <small class=\"muted\">(1)</small>")));
    let html = app.get(&format!("/orgs/{QIANJIANG_OFFICE}?section={first}")).await.text().await.expect("html");
    assert!(html.contains("共 1 条") && html.contains("关于印发某办法的通知"));
    let other = sections[1]["id"].as_i64().expect("id");
    let html = app.get(&format!("/orgs/{QIANJIANG_OFFICE}?section={other}")).await.text().await.expect("html");
    assert!(html.contains("共 0 条"));
    // A section of article 20 shows its basis, the lists that feed it and its subsections
    // (the 26 pilot areas and the seeds' domains).
    let by_name = |n: &str| {
        sections.as_array().expect("array").iter().find(|s| s["name"] == n).map(|s| s["id"].as_i64().expect("id"))
    };
    let budget = by_name("财政预算、决算信息").expect("budget section");
    let three = by_name("部门预决算和“三公”经费").expect("三公 subsection");
    let html = app.get(&format!("/orgs/{QIANJIANG_OFFICE}?section={budget}")).await.text().await.expect("html");
    assert!(html.contains("公开依据：条例第二十条第（七）项"), "the basis");
    assert!(html.contains(&format!("href=\"/lists/three_public?org={QIANJIANG_OFFICE}\"")), "the list that feeds it");
    let list = app.get(&format!("/lists/three_public?org={QIANJIANG_OFFICE}")).await;
    assert_eq!(list.status(), 200, "the link leads to the org's rows of that list");
    assert!(list.text().await.expect("html").contains("只显示重庆市黔江区人民政府办公室公开的条目"));
    assert!(html.contains(&format!("?section={three}\"")), "its subsections are listed");
    let feed =
        app.get(&format!("/orgs/{QIANJIANG_OFFICE}/sections/{first}/feed.atom")).await.text().await.expect("xml");
    assert_eq!(feed.matches("<entry>").count(), 1);
    let list: serde_json::Value = app.get(&format!("/api/v1/items?section={first}")).await.json().await.expect("json");
    assert_eq!(list["total"], 1);

    // Deleting a section with items is refused.
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/sections/{first}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn each_org_has_a_guide_built_from_its_data() {
    let app = TestApp::spawn().await;
    let office = app.store.org_by_code(common::QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store
        .apply_baseline(&gongkai_store::AuditCtx::cli(), None, office.id, gongkai_core::catalog::Baseline::District)
        .await
        .expect("baseline");
    app.store
        .set_org_contact(&gongkai_store::AuditCtx::cli(), office.id, "区政府办公室政务公开科，电话 023-79220000", "")
        .await
        .expect("contact");
    let res = app.get(&format!("/orgs/{}/guide", common::QIANJIANG_OFFICE)).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    for part in [
        "政府信息公开指南",
        "行政法规、规章和规范性文件",
        "023-79220000",
        "20 个工作日",
        "信息处理费",
        "第二十三条第一款第（四）项",
        "重庆市黔江区人民政府",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    // An example number, not the pattern's placeholders.
    let year = chrono::Datelike::year(&app.store.today());
    assert!(
        html.contains(&format!("<code>{}/{year}-00001</code>", common::QIANJIANG_OFFICE)),
        "an example index number"
    );
    assert!(!html.contains("{seq"), "no raw pattern");
    assert_eq!(app.get("/orgs/000000000/guide").await.status(), 404);
}

#[tokio::test]
async fn pages_revalidate_with_etags_and_large_text_is_a_cookie_away() {
    let app = TestApp::spawn().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().expect("etag").to_string();
    let home = app.get("/").await.text().await.expect("html");
    for link in [
        format!("<a href=\"/orgs/{QIANJIANG}/guide\">政府信息公开指南</a>"),
        format!("<a href=\"/orgs/{QIANJIANG}/rules\">政府信息公开制度</a>"),
        "<a href=\"/requests/new\">依申请公开</a>".to_string(),
        "<a href=\"/reports\">政府信息公开年报</a>".to_string(),
        ">政策文件</a>".to_string(),
        "<a href=\"/interpretations\">政策解读</a>".to_string(),
        "<a href=\"/responses\">回应关切</a>".to_string(),
        "<a href=\"/press\">新闻发布会</a>".to_string(),
        "<a href=\"/interviews\">在线访谈</a>".to_string(),
    ] {
        assert!(home.contains(&link), "the home page's columns: {link}");
    }
    let policies =
        app.get("/search?genre=%E8%A1%8C%E6%94%BF%E8%A7%84%E8%8C%83%E6%80%A7%E6%96%87%E4%BB%B6&sort=date").await;
    assert_eq!(policies.status(), 200, "browsing a genre without a query");
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let again = app.client.get(app.url("/")).header("if-none-match", &etag).send().await.expect("get");
    assert_eq!(again.status(), 304);
    assert!(again.text().await.expect("body").is_empty());
    let css =
        app.client.get(app.url("/static/site.css")).header("if-none-match", "\"other\"").send().await.expect("get");
    assert_eq!(css.status(), 200);

    // The 关怀版: the preference stylesheet changes with the cookie, remembered for a year;
    // the switch goes back to the page; the console keeps its standard look.
    let standard = app.get("/prefs.css").await.text().await.expect("css");
    assert!(!standard.contains("关怀版") && !standard.contains("font-size"), "{standard}");
    let res =
        app.client.get(app.url("/prefs/care")).header("referer", app.url("/search?q=x")).send().await.expect("get");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/search?q=x");
    let cookies: Vec<&str> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().expect("ascii")).collect();
    assert!(cookies.iter().any(|c| c.starts_with("gk_mode=care;") && c.contains("Max-Age=31536000")), "{cookies:?}");
    let css = app.get("/prefs.css").await.text().await.expect("css");
    assert!(css.contains("关怀版") && css.contains("font-size: 24px"), "{css}");
    let home = app.get("/").await.text().await.expect("html");
    assert!(home.contains("href=\"/prefs.css\"") && home.contains("退出关怀版"), "the switch back is on the page");
    app.login("editor").await;
    let console = app.get("/admin/items").await.text().await.expect("html");
    assert!(!console.contains("/prefs.css"), "the console is not restyled");
    // Back to the standard version.
    assert_eq!(app.get("/prefs/care").await.status(), 303);
    assert!(!app.get("/prefs.css").await.text().await.expect("css").contains("关怀版"));
    // A reader who chose the 大字版 before keeps the larger text, as the 关怀版.
    let old = app.client.get(app.url("/prefs.css")).header("cookie", "gk_text=large").send().await.expect("get");
    assert!(old.text().await.expect("css").contains("关怀版"));
    let evil =
        app.client.get(app.url("/prefs/care")).header("referer", "https://evil.example//x").send().await.expect("get");
    assert!(evil.headers()["location"].to_str().expect("loc").starts_with('/'));
}

/// Hot pages are kept rendered; a change made here shows at once, one made by another node
/// (another handle on the same database) or a scheduled publication coming due shows once
/// the follower has run.
#[tokio::test]
async fn kept_pages_follow_changes_here_elsewhere_and_in_time() {
    let app = TestApp::spawn().await;
    let editor = app.token_for("editor").await;
    let reviewer = app.token_for("reviewer").await;
    let approver = app.token_for("approver").await;
    let publish = |title: &'static str, at: Option<String>| {
        let app = &app;
        let (editor, reviewer, approver) = (editor.clone(), reviewer.clone(), approver.clone());
        async move {
            let res = app
                .post_json("/api/v1/items", Some(&editor), &json!({ "title": title, "disclosure_attr": "proactive" }))
                .await;
            let id = res.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
            app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
            app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
            app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" }))
                .await;
            let res = app.post_json(&format!("/api/v1/items/{id}/publish"), Some(&editor), &json!({ "at": at })).await;
            assert_eq!(res.status(), 200);
            id
        }
    };
    let id = publish("关于开展安全生产检查的通知", None).await;
    let page = format!("/items/{id}");
    let first = app.get(&page).await.text().await.expect("html");
    assert!(first.contains("关于开展安全生产检查的通知"));
    assert!(!app.state.pages.is_empty(), "the page is kept");
    assert_eq!(app.get(&page).await.text().await.expect("html"), first);
    // A conditional request is answered from the kept page too.
    let etag = app.get(&page).await.headers()["etag"].to_str().expect("etag").to_string();
    let res = app.client.get(app.url(&page)).header("if-none-match", &etag).send().await.expect("get");
    assert_eq!(res.status(), 304);

    // A change made here: shown at once.
    let res = app
        .post_json(
            &format!("/api/v1/items/{id}/set-validity"),
            Some(&editor),
            &json!({ "validity": "expired", "repealed_on": "2026-01-01" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(app.get(&page).await.text().await.expect("html").contains("<th scope=\"row\">有效性</th><td>已失效</td>"));

    // A change made by another node: the page is kept until the follower sees the change.
    let other = gongkai_store::Store::open(&app.database_url()).await.expect("second handle");
    let username = gongkai_core::Username::parse("editor").expect("name");
    let user = other.user_by_username(&username).await.expect("user").expect("editor");
    let actor = other.actor(user.id).await.expect("actor").expect("editor");
    other
        .apply(
            &AuditCtx::cli(),
            &actor,
            id,
            gongkai_core::item::Command::SetValidity,
            gongkai_store::items::TransitionExtra {
                validity: Some(gongkai_core::item::Validity::Valid),
                ..Default::default()
            },
            &[],
        )
        .await
        .expect("set valid on the other node");
    assert!(app.get(&page).await.text().await.expect("html").contains("<td>已失效</td>"), "still the kept page");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let follower = tokio::spawn(app.state.clone().follow_store(async move {
        let _ = stop_rx.await;
    }));
    let shown = async {
        for _ in 0..50 {
            if app.get(&page).await.text().await.expect("html").contains("<th scope=\"row\">有效性</th><td>有效</td>")
            {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        false
    };
    assert!(shown.await, "the follower emptied the cache within 10 s");

    // A scheduled publication: not on the org page until its time, then there.
    let at = (gongkai_store::Clock::system().now() + chrono::Duration::seconds(3)).to_rfc3339();
    publish("关于举办消防演练的公告", Some(at)).await;
    assert!(!app.get(&format!("/orgs/{QIANJIANG}")).await.text().await.expect("html").contains("消防演练"));
    let shown = async {
        for _ in 0..50 {
            if app.get(&format!("/orgs/{QIANJIANG}")).await.text().await.expect("html").contains("消防演练") {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        false
    };
    assert!(shown.await, "the scheduled item appears once due");
    // The follower's look for publications that came due put it in the index too.
    let found = async {
        for _ in 0..50 {
            let r: serde_json::Value =
                app.get("/api/v1/search?q=%E6%B6%88%E9%98%B2%E6%BC%94%E7%BB%83").await.json().await.expect("json");
            if r["total"] == 1 {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        false
    };
    assert!(found.await, "the scheduled item is found by search once due");
    let _ = stop_tx.send(());
    follower.await.expect("follower");
}

/// A title with a formula and control characters: stored without the control characters,
/// the Atom feed stays well-formed, and the catalog CSV holds the formula as text.
#[tokio::test]
async fn hostile_titles_stay_text_in_feeds_and_spreadsheets() {
    let app = TestApp::spawn().await;
    let title = "=HYPERLINK(\"http://evil.example\",\"点此\")\u{1}关于\u{b}印发的通知";
    let (item, res) = app
        .publish_item(
            &json!({ "title": title, "disclosure_attr": "proactive", "written_on": "2026-11-02" }),
            &json!({}),
        )
        .await;
    assert_eq!(
        item["title"], "=HYPERLINK(\"http://evil.example\",\"点此\") 关于 印发的通知",
        "control characters refused at input"
    );
    assert_eq!(res.status(), 200);

    let csv = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/catalog.csv")).await.text().await.expect("csv");
    let row = csv.lines().nth(1).expect("a row");
    assert!(row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点此\"\") 关于 印发的通知\","), "{row}");
    let feed = app.get("/feed.atom").await.text().await.expect("xml");
    assert!(!feed.chars().any(|c| c.is_control() && c != '\n'), "no control character in the feed");
    assert!(
        feed.contains("<title>=HYPERLINK(&quot;http://evil.example&quot;,&quot;点此&quot;) 关于 印发的通知</title>")
    );
}

#[tokio::test]
async fn robots_sitemap_and_icon_are_served() {
    let app = TestApp::spawn().await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status(), 200);
    let text = robots.text().await.expect("text");
    assert!(text.contains("Disallow: /admin") && text.contains("Disallow: /api/"), "{text}");
    let host = app.url("");
    assert!(text.contains(&format!("Sitemap: {host}/sitemap.xml")), "the server's own address: {text}");
    let (item, res) = app
        .publish_item(
            &json!({ "title": "黔江区2026年第三季度政务公开工作情况", "genre": "工作动态", "topic": "综合政务",
                "disclosure_attr": "proactive", "body": "<p>第三季度共发布信息 120 条。</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = item["id"].as_i64().expect("id");
    let index = app.get("/sitemap.xml").await.text().await.expect("xml");
    assert!(index.contains("/sitemap-pages.xml") && index.contains("/sitemap-items-1.xml"), "{index}");
    assert!(!index.contains("/sitemap-items-2.xml"));
    let items = app.get("/sitemap-items-1.xml").await.text().await.expect("xml");
    assert!(items.contains(&format!("{host}/items/{id}</loc><lastmod>")), "{items}");
    assert_eq!(app.get("/sitemap-items-2.xml").await.status(), 404);
    // Feeds and the catalog CSV link to this server too, not to the default 127.0.0.1:8080.
    let feed = app.get("/feed.atom").await.text().await.expect("xml");
    assert!(feed.contains(&format!("<link href=\"{host}/items/{id}\"/>")), "{feed}");
    let csv = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/catalog.csv")).await.text().await.expect("csv");
    assert!(csv.contains(&format!("{host}/items/{id}")), "{csv}");
    assert_eq!(app.get("/sitemap-items-x.xml").await.status(), 404);
    let pages = app.get("/sitemap-pages.xml").await.text().await.expect("xml");
    assert!(
        pages.contains(&format!("{host}/orgs/{QIANJIANG}/guide")) && pages.contains(&format!("{host}/gazette")),
        "{pages}"
    );
    for path in ["/favicon.svg", "/favicon.ico"] {
        let res = app.get(path).await;
        assert_eq!(res.headers()["content-type"], "image/svg+xml", "{path}");
    }
    assert!(app.get("/").await.text().await.expect("html").contains("<link rel=\"icon\" href=\"/favicon.svg\""));
}

/// The catalog page's counts are kept between changes, and a publication (or any write)
/// shows in them at once: each render below has its own query string, so no kept page is
/// used, only the kept figures.
#[tokio::test]
async fn catalog_counts_follow_each_publication() {
    let app = TestApp::spawn().await;
    let total = |html: String| -> i64 {
        let after = html.split("共 ").nth(1).unwrap_or_else(|| panic!("a total: {html}"));
        after.split(' ').next().and_then(|n| n.parse().ok()).expect("number")
    };
    let page = |n: u32| {
        let app = &app;
        async move { app.get(&format!("/orgs/{QIANJIANG_OFFICE}?page=1&n={n}")).await.text().await.expect("html") }
    };
    let before = total(page(1).await);
    assert_eq!(total(page(2).await), before, "the same, from the kept count");
    let (_, res) = app
        .publish_item(
            &json!({ "title": "关于目录计数的通知", "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(total(page(3).await), before + 1, "the new item counted at once");
    // Another node's write reaches this one by the follower emptying the caches.
    app.state.pages.clear();
    assert_eq!(total(page(4).await), before + 1);
}

#[tokio::test]
async fn pages_carry_the_government_website_meta_tags_and_forms_validate() {
    let app = TestApp::spawn().await;
    app.set_today("2026-12-04");
    let (item, res) = app
        .publish_item(
            &json!({ "title": "关于2027年元旦放假安排的通知", "genre": "通知", "topic": "综合政务",
                "disclosure_attr": "proactive", "summary": "元旦放假一天", "body": "<p>正文。</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = item["id"].as_i64().expect("id");
    let html = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    let meta = |name: &str| {
        let prefix = format!("<meta name=\"{name}\" content=\"");
        let at = html.find(&prefix).unwrap_or_else(|| panic!("{name} missing"));
        let rest = &html[at + prefix.len()..];
        rest[..rest.find('"').expect("end")].to_string()
    };
    assert_eq!(meta("ArticleTitle"), "关于2027年元旦放假安排的通知");
    assert_eq!(meta("ContentSource"), "重庆市黔江区人民政府办公室");
    assert!(meta("PubDate").starts_with("2026-12-04 ") && meta("PubDate").len() == 16, "{}", meta("PubDate"));
    assert!(meta("Url").ends_with(&format!("/items/{id}")));
    assert_eq!(meta("SiteDomain"), app.addr.to_string(), "the request's host when no public address is set");
    assert_eq!(meta("Keywords"), "综合政务,通知");
    assert!(html.contains("<meta name=\"description\" content=\"元旦放假一天\">"));
    let org = app.get(&format!("/orgs/{QIANJIANG}")).await.text().await.expect("html");
    assert!(
        org.contains("<meta name=\"ColumnType\" content=\"政府信息公开目录\">")
            && org.contains("<meta name=\"SiteName\"")
    );

    // The request form: no reference to an error that is not there; an address field a
    // one-line input may carry.
    let form = app.get("/requests/new").await.text().await.expect("html");
    for (at, _) in form.match_indices("aria-describedby=\"") {
        let id = &form[at + 18..];
        let id = &id[..id.find('"').expect("end")];
        for one in id.split_whitespace() {
            assert!(form.contains(&format!("id=\"{one}\"")), "aria-describedby names #{one}, which is not on the page");
        }
    }
    assert!(!form.contains("street-address"));
}

#[tokio::test]
async fn the_site_map_contact_page_and_error_report_lead_somewhere() {
    let app = TestApp::spawn().await;
    let map = app.get("/sitemap").await.text().await.expect("html");
    assert!(map.contains("网站地图") && map.contains(&format!("/orgs/{QIANJIANG_OFFICE}")), "every org listed");
    assert!(map.contains("href=\"/requests/new\"") && map.contains("href=\"/media\""));
    let contact = app.get("/contact").await.text().await.expect("html");
    assert!(contact.contains("联系我们") && contact.contains("重庆市黔江区人民政府办公室"));
    let home = app.get("/").await.text().await.expect("html");
    assert!(home.contains("href=\"/sitemap\"") && home.contains("href=\"/report-error\""), "the footer links them");

    // No error-report mailbox yet: a clear message; one opened: the form names the page.
    let res = app.get("/report-error?page=/items/1").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("html").contains("尚未开通网站找错信箱"));
    let admin = app.token_for("qj-admin").await;
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/mailboxes"),
            Some(&admin),
            &json!({ "kind": "error_report", "name": "我为网站找错" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mailbox: serde_json::Value = res.json().await.expect("json");
    assert_eq!(mailbox["reply_days"], 3, "网民纠错 answered within 3 working days");
    let res = app.get("/report-error?page=http://127.0.0.1/items/1?x=1%26y").await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().expect("location").to_string();
    assert!(to.starts_with(&format!("/mailbox/write?mailbox={}&about=", mailbox["id"])), "{to}");
    let form = app.get(&to).await.text().await.expect("html");
    assert!(form.contains("出错页面：http://127.0.0.1/items/1?x=1&#38;y"), "the page written into the letter");
}

#[tokio::test]
async fn an_org_keeps_its_profile_and_leaders_and_the_public_reads_them() {
    let app = TestApp::spawn().await;
    let page = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/about")).await.text().await.expect("html");
    assert!(page.contains("机构概况") && page.contains("尚未公布"));
    let csrf = app.login("editor").await;
    let form = app.get("/admin/org-profile").await.text().await.expect("html");
    assert!(form.contains("重庆市黔江区人民政府办公室"), "the editor's own org");
    let leaders = "张明 | 主任 | 主持全面工作\n李华 | 副主任 | 分管政务公开、信息化 | 1978年生，大学学历";
    let res = app
        .post_form(
            "/admin/org-profile",
            &[
                ("csrf", &csrf),
                ("org", QIANJIANG_OFFICE),
                ("functions", "负责区政府机关日常运转。\n承担政务公开工作。"),
                ("departments", "秘书科\n政务公开科"),
                ("address", "重庆市黔江区行政中心"),
                ("office_hours", "工作日 9:00-17:30"),
                ("phone", "023-79220000"),
                ("fax", ""),
                ("head", "张明"),
                ("leaders", leaders),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/about")).await.text().await.expect("html");
    for part in ["承担政务公开工作。", "<li>政务公开科</li>", "023-79220000", "分管政务公开、信息化", "1978年生"]
    {
        assert!(page.contains(part), "{part} missing");
    }
    // Another org's profile is refused; a leader without a title is refused, the text kept.
    let res = app
        .post_form("/admin/org-profile", &[("csrf", &csrf), ("org", QIANJIANG), ("functions", "x"), ("leaders", "")])
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .post_form("/admin/org-profile", &[("csrf", &csrf), ("org", QIANJIANG_OFFICE), ("leaders", "赵六 | ")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("第 1 位领导须有姓名和职务") && html.contains("赵六 | "));
    let org = app.get(&format!("/orgs/{QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(org.contains(&format!("/orgs/{QIANJIANG_OFFICE}/about")), "the sub-site links it");
}
