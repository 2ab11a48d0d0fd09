//! 公示 over HTTP: an editor sets a 公示 of 5 working days that runs across the New Year
//! holiday; the public lists and reads it and objects within the period (API and portal form,
//! a second objection with the same key is the same letter), and is refused after it with a
//! clear message; a published 公示 may be extended but not shortened; the result announcement
//! is due 5 working days after the period, overdue to the office after that, and links both
//! ways once published.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn a_notice_runs_takes_objections_and_gets_its_result() {
    let app = TestApp::spawn_roomy().await;
    // Tuesday 29 December 2026. 1 January 2027 is 元旦 (the shipped 2027 notice or the
    // statutory provisional calendar agree): 29, 30, 31 Dec, 4, 5 Jan are the 5 working days.
    app.set_today("2026-12-29");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "黔江区2026年度区级文明单位拟表彰名单公示", "genre": "公告",
                "disclosure_attr": "proactive", "body": "<p>拟表彰区级文明单位25个，现予公示。</p>" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let set = |body: Value| {
        let (app, editor) = (&app, editor.clone());
        async move {
            app.client
                .put(app.url(&format!("/api/v1/items/{id}/public-notice")))
                .bearer_auth(editor)
                .json(&body)
                .send()
                .await
                .expect("put")
        }
    };
    let res = set(json!({ "stage": "notice", "from": "2026-12-29", "days": 0, "unit": "workdays" })).await;
    assert_eq!(res.status(), 422, "a period of no days");
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_period");
    let res = set(json!({ "stage": "notice", "from": "2026-12-29", "days": 5, "unit": "workdays",
        "objections": true, "result_required": true }))
    .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["period_until"], "2027-01-05", "{v}");
    assert_eq!(v["result_due_on"], "2027-01-12");
    // Not public before it is published.
    assert_eq!(app.get(&format!("/api/v1/notices/{id}")).await.status(), 404);
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);

    // The public list and page; the item's page carries the banner.
    let list: Value = app.get("/api/v1/notices").await.json().await.expect("json");
    assert_eq!((list["total"].as_i64(), list["rows"][0]["status"].as_str()), (Some(1), Some("open")), "{list}");
    let html = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(html.contains("公示期：2026年12月29日至2027年1月5日（5个工作日）") && html.contains("对公示事项提出异议"));
    assert!(app.get("/notices").await.text().await.expect("html").contains("黔江区2026年度区级文明单位拟表彰名单公示"));

    // Objections: over the API (idempotent), and through the portal form.
    let objection = json!({ "name": "张三", "phone": "13800000000", "subject": "对某单位的异议",
        "text": "该单位今年曾被通报批评，请核实。" });
    let post = |key: &'static str| {
        let (app, objection) = (&app, objection.clone());
        async move {
            app.client
                .post(app.url(&format!("/api/v1/notices/{id}/objections")))
                .header("Idempotency-Key", key)
                .json(&objection)
                .send()
                .await
                .expect("post")
        }
    };
    let res = post("obj-1").await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    assert_eq!(post("obj-1").await.status(), 200, "the same key is the same letter");
    let page = app.get(&format!("/notices/{id}")).await.text().await.expect("html");
    assert!(page.contains("提出异议"));
    let csrf = csrf_in(&page);
    let form = [
        ("csrf", csrf.as_str()),
        ("key", "k-1"),
        ("name", "李四"),
        ("phone", "13900000000"),
        ("subject", "异议"),
        ("text", "名单中的某单位需要核实。"),
    ];
    let res = app.post_form(&format!("/notices/{id}/objections"), &form).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("异议已收到") && html.contains("已收到 2 件"), "{html}");
    // The objection is a letter the writer follows like any other.
    let tracking = filed["tracking_no"].as_str().expect("tracking number");
    let code = filed["query_code"].as_str().expect("query code");
    let status = app.get(&format!("/api/v1/letters/{tracking}/status?code={code}")).await;
    assert_eq!(status.status(), 200);

    // After the period: refused with the day it ended; extended it takes them again.
    app.set_today("2027-01-06");
    let editor = app.token_for("editor").await;
    let res = post("obj-2").await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "objection_closed");
    assert!(body["message"].as_str().unwrap_or("").contains("2027年1月5日"), "{body}");
    let shorter = json!({ "stage": "notice", "from": "2026-12-29", "days": 3, "unit": "workdays",
        "objections": true, "result_required": true });
    let res = app
        .client
        .put(app.url(&format!("/api/v1/items/{id}/public-notice")))
        .bearer_auth(&editor)
        .json(&shorter)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 409, "a published 公示 is not shortened");

    // The result: overdue to the office after 12 January; published on the 13th it concludes
    // the 公示 late and both pages link to each other.
    app.set_today("2027-01-13");
    app.login("qj-admin").await;
    let office = app.get("/admin/notices").await.text().await.expect("html");
    assert!(office.contains("结果公告逾期"), "{office}");
    let dashboard = app.get("/admin").await.text().await.expect("html");
    assert!(dashboard.contains("公示：结果公告逾期"), "the office's dashboard flags it");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "黔江区2026年度区级文明单位表彰名单公告", "genre": "公告",
                "disclosure_attr": "proactive", "body": "<p>公示期满，现予公告。</p>" }),
        )
        .await;
    let rid = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let res = app
        .client
        .put(app.url(&format!("/api/v1/items/{rid}/public-notice")))
        .bearer_auth(&editor)
        .json(&json!({ "stage": "result", "of": id.to_string() }))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 200);
    assert_eq!(app.through_review(rid, &json!({})).await.status(), 200);
    let one: Value = app.get(&format!("/api/v1/notices/{id}")).await.json().await.expect("json");
    assert_eq!((one["status"].as_str(), one["linked_id"].as_i64()), (Some("concluded_late"), Some(rid)), "{one}");
    let html = app.get(&format!("/items/{rid}")).await.text().await.expect("html");
    assert!(html.contains(&format!("href=\"/notices/{id}\"")) && html.contains("的结果公告"));
    let ended = app.get("/notices?status=ended").await.text().await.expect("html");
    assert!(ended.contains("已公告结果（逾期）"));
}
