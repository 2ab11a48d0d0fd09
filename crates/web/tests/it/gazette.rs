//! The gazette over HTTP: a department's 规范性文件 is due at the gazette 5 working days after
//! publication, across the National Day holiday, and shown overdue to the office after that;
//! issues are numbered per year and in total; only public items are carried; an empty issue
//! is not published; the published issue's contents, print view, search and the item's link
//! back work for the public, and a draft issue stays unseen.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn a_department_document_reaches_the_gazette() {
    let app = TestApp::spawn_roomy().await;
    // Tuesday 29 September 2026; 1–7 October is the National Day holiday, 10 October a make-up day.
    app.set_today("2026-09-29");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "黔江区城市道路挖掘管理办法", "genre": "行政规范性文件", "doc_no": "黔江府办发〔2026〕31号",
                "disclosure_attr": "proactive", "body": "<p>第一条 为加强城市道路挖掘管理……</p>" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    // Interpreted with the policy it amends (not the gazette's concern here).
    app.no_interpretation(id).await;
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);

    app.login("qj-admin").await;
    let office = app.get("/admin/gazette").await.text().await.expect("html");
    assert!(
        office.contains("黔江区城市道路挖掘管理办法") && office.contains("2026-10-12"),
        "due on the 5th working day"
    );
    assert!(office.contains("待报送"));
    app.set_today("2026-10-13");
    app.login("qj-admin").await;
    let office = app.get("/admin/gazette").await.text().await.expect("html");
    assert!(office.contains("逾期未报送"), "overdue after 12 October");
    // The office follows the figure to the documents behind it.
    let office_org = app.store.org_by_code(common::QIANJIANG_OFFICE).await.expect("org").expect("office").id;
    let drill = format!("/admin/gazette?org={office_org}&amp;status=overdue#details");
    assert!(office.contains(&drill), "the overdue count links to its documents");
    let overdue = app.get(&format!("/admin/gazette?org={office_org}&status=overdue")).await.text().await.expect("html");
    assert!(overdue.contains("只显示：重庆市黔江区人民政府办公室 · 逾期未报送（1 件）"), "{overdue}");
    assert!(overdue.contains("黔江区城市道路挖掘管理办法"));
    let on_time = app.get(&format!("/admin/gazette?org={office_org}&status=on_time")).await.text().await.expect("html");
    assert!(on_time.contains("没有符合条件的文件") && !on_time.contains("黔江区城市道路挖掘管理办法"));

    let editor = app.token_for("editor").await;
    let submit = format!("/api/v1/items/{id}/gazette-submission");
    assert_eq!(app.post_empty(&submit, &editor).await.status(), 201);
    assert_eq!(app.post_empty(&submit, &editor).await.status(), 409, "submitted once");
    assert!(app.get("/admin/gazette").await.text().await.expect("html").contains("逾期报送"));

    // Issues numbered per year and in total; only the office opens them.
    let res = app.post_json("/api/v1/gazette", Some(&editor), &json!({})).await;
    assert_eq!(res.status(), 403);
    let admin = app.token_for("qj-admin").await;
    let first: Value = app.post_json("/api/v1/gazette", Some(&admin), &json!({})).await.json().await.expect("json");
    let second: Value = app.post_json("/api/v1/gazette", Some(&admin), &json!({})).await.json().await.expect("json");
    let next_year: Value =
        app.post_json("/api/v1/gazette", Some(&admin), &json!({ "year": 2027 })).await.json().await.expect("json");
    assert_eq!(first["label"], "2026年第1期（总第1期）");
    assert_eq!(second["label"], "2026年第2期（总第2期）");
    assert_eq!(next_year["label"], "2027年第1期（总第3期）");
    let (i1, i2) = (first["id"].as_i64().expect("id"), second["id"].as_i64().expect("id"));

    // A draft item is not carried; the published one is, and its submission is selected.
    let draft = app
        .post_json("/api/v1/items", Some(&editor), &json!({ "title": "未公开的草稿", "disclosure_attr": "proactive" }))
        .await
        .json::<Value>()
        .await
        .expect("json")["id"]
        .as_i64()
        .expect("id");
    let add = |item: i64| json!({ "item_id": item, "section": "department" });
    let res = app.post_json(&format!("/api/v1/gazette/{i1}/articles"), Some(&admin), &add(draft)).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "not_ready");
    let res = app.post_json(&format!("/api/v1/gazette/{i1}/articles"), Some(&admin), &add(id)).await;
    assert_eq!(res.status(), 204);
    assert!(app.get("/admin/gazette").await.text().await.expect("html").contains("已选登"));
    let res = app.post_json(&format!("/api/v1/gazette/{i2}/publish"), Some(&admin), &json!({})).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "not_ready", "an empty issue");
    let res = app
        .post_json(&format!("/api/v1/gazette/{i1}/publish"), Some(&admin), &json!({ "pdf_url": "javascript:alert(1)" }))
        .await;
    assert_eq!(res.status(), 422);
    let res =
        app.post_json(&format!("/api/v1/gazette/{i1}/publish"), Some(&admin), &json!({ "pdf_url": "/files/1" })).await;
    assert_eq!(res.status(), 200);
    let res = app.post_json(&format!("/api/v1/gazette/{i1}/articles"), Some(&admin), &add(id)).await;
    assert_eq!(res.status(), 409, "a published issue does not change");

    // The public.
    let index = app.get("/gazette").await.text().await.expect("html");
    assert!(index.contains("2026年第1期（总第1期）") && !index.contains("第2期"), "drafts unseen");
    let issue = app.get(&format!("/gazette/{i1}")).await.text().await.expect("html");
    assert!(
        issue.contains("部门文件")
            && issue.contains("黔江区城市道路挖掘管理办法")
            && issue.contains("黔江府办发〔2026〕31号")
    );
    assert!(issue.contains("href=\"/files/1\""));
    assert_eq!(app.get(&format!("/gazette/{i1}/print")).await.status(), 200);
    assert_eq!(app.get(&format!("/gazette/{i2}")).await.status(), 404);
    assert_eq!(app.get("/gazette/abc").await.status(), 404);
    let found = app.get("/gazette?q=%E6%8C%96%E6%8E%98").await.text().await.expect("html");
    assert!(found.contains("搜索结果（1）"));
    let item_page = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(item_page.contains("刊登于") && item_page.contains(&format!("/gazette/{i1}")));
    let api = app.get(&format!("/api/v1/gazette/{i1}")).await.json::<Value>().await.expect("json");
    assert_eq!(api["articles"][0]["section_label"], "部门文件");

    // Site search has a 公报 facet: the carried document is in it, another public one is not.
    let (other, _) = app
        .publish_item(
            &json!({ "title": "黔江区道路养护工作动态", "genre": "工作动态", "disclosure_attr": "proactive",
            "body": "<p>道路挖掘修复……</p>" }),
            &json!({}),
        )
        .await;
    app.index_now().await;
    let all: Value = app.get("/api/v1/search?q=%E6%8C%96%E6%8E%98").await.json().await.expect("json");
    assert_eq!(all["total"], 2, "{all}");
    assert_eq!(all["facets"]["source"][0], json!({ "value": "gazette", "count": 1 }));
    let carried: Value =
        app.get("/api/v1/search?q=%E6%8C%96%E6%8E%98&source=gazette").await.json().await.expect("json");
    assert_eq!((carried["total"].as_u64(), carried["hits"][0]["id"].as_i64()), (Some(1), Some(id)), "{carried}");
    assert_ne!(Some(id), other["id"].as_i64());
    let page = app.get("/search?q=%E6%8C%96%E6%8E%98").await.text().await.expect("html");
    assert!(page.contains("政府公报刊登") && page.contains("source=gazette"), "the facet on the page");
}
