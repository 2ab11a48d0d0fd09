//! 规范性文件清理 over HTTP: an editor lists documents in the console (one per line, by
//! number), a wrong line is shown next to the field with what was typed kept; the decision is
//! published through the 三审 and the repealed document's page then says so, naming the
//! decision, whose page lists every verdict; the API reads and sets the same list.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

/// A new item of the district office published through the 三审, needing no interpretation.
async fn published(app: &TestApp, title: &str, genre: &str) -> i64 {
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": title, "genre": genre, "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    publish(app, id).await;
    id
}

async fn publish(app: &TestApp, id: i64) {
    app.no_interpretation(id).await;
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);
}

#[tokio::test]
async fn a_cleanup_decision_is_listed_published_and_shown_on_each_document() {
    let app = TestApp::spawn_roomy().await;
    let kept = published(&app, "黔江区城市停车管理办法", "行政规范性文件").await;
    let repealed = published(&app, "黔江区城区机动车停放管理暂行办法", "行政规范性文件").await;
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于公布行政规范性文件清理结果的通知", "genre": "通知", "disclosure_attr": "proactive",
                "body": "<p>经清理，现将结果公布如下。</p>" }),
        )
        .await;
    let decision = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    // The console: a line without a reason for a repeal is refused next to the field, the
    // typed lines kept; corrected, the list is saved.
    app.login("editor").await;
    let page = app.get(&format!("/admin/items/{decision}?cleanup=prefill")).await.text().await.expect("html");
    assert!(page.contains(&format!("{kept} | 继续有效 |")), "prefilled with the documents in force");
    let csrf = csrf_in(&page);
    let typed = format!("{kept} | 继续有效\n{repealed} | 废止");
    let res = app.post_form(&format!("/admin/items/{decision}/cleanup"), &[("csrf", &csrf), ("lines", &typed)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"cl_lines-err\"") && html.contains("须说明理由") && html.contains(&typed), "{html}");
    let lines = format!("{kept} | 继续有效\n{repealed} | 废止 | 已被《黔江区城市停车管理办法》替代 | 暂行办法");
    let res = app.post_form(&format!("/admin/items/{decision}/cleanup"), &[("csrf", &csrf), ("lines", &lines)]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let rows: Value = app
        .client
        .put(app.url(&format!("/api/v1/items/{decision}/cleanup")))
        .bearer_auth(&editor)
        .json(&json!({ "entries": [{ "target": kept.to_string(), "verdict": "keep" },
            { "target": repealed.to_string(), "verdict": "repeal", "note": "已被《黔江区城市停车管理办法》替代" }] }))
        .send()
        .await
        .expect("put")
        .json()
        .await
        .expect("json");
    assert_eq!(rows[1]["verdict_label"], "废止", "{rows}");
    // Not yet public: the document is still in force.
    assert!(!app.get(&format!("/items/{repealed}")).await.text().await.expect("html").contains("本文件已废止"));

    publish(&app, decision).await;
    let html = app.get(&format!("/items/{repealed}")).await.text().await.expect("html");
    assert!(html.contains("本文件已废止"), "the validity banner");
    assert!(html.contains(&format!(
        "经<a href=\"/items/{decision}\">关于公布行政规范性文件清理结果的通知</a>清理：<strong>废止</strong>"
    )));
    let html = app.get(&format!("/items/{kept}")).await.text().await.expect("html");
    assert!(!html.contains("本文件已废止") && html.contains("清理：<strong>继续有效</strong>"));
    let html = app.get(&format!("/items/{decision}")).await.text().await.expect("html");
    assert!(html.contains("清理结果（共 2 件）") && html.contains("黔江区城区机动车停放管理暂行办法"));
    let rows: Value = app.get(&format!("/api/v1/items/{decision}/cleanup")).await.json().await.expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    // Published: final.
    let res = app
        .client
        .put(app.url(&format!("/api/v1/items/{decision}/cleanup")))
        .bearer_auth(&editor)
        .json(&json!({ "entries": [] }))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 409);
}
