//! NPC suggestions and CPPCC proposals over HTTP: the office records one, the 3-month clock
//! (30 November to 28 February), only the lead org's leader signs the reply, the rating and
//! the publication, the public list and the yearly summary, and the console pages.

use crate::common;

use common::{PASSWORD, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn a_suggestion_is_recorded_replied_rated_and_published() {
    let app = TestApp::spawn().await;
    app.set_today("2026-11-30");
    let office = app.token_for("qj-admin").await;
    let record = json!({
        "kind": "npc_suggestion", "number": "第0012号", "session": "区十八届人大五次会议",
        "title": "关于加快城区公共停车场建设的建议", "proposer": "张明代表", "lead_org": QIANJIANG_OFFICE
    });
    let editor = app.token_for("editor").await;
    assert_eq!(app.post_json("/api/v1/proposals", Some(&editor), &record).await.status(), 403);
    let res = app.post_json("/api/v1/proposals", Some(&office), &record).await;
    assert_eq!(res.status(), 201);
    let p: Value = res.json().await.expect("json");
    assert_eq!(p["due_on"], "2027-02-28", "three months from 30 November");
    assert_eq!(p["state"], "assigned");
    let again = app.post_json("/api/v1/proposals", Some(&office), &record).await;
    assert_eq!(again.status(), 409, "one number per session");
    let mut bad = record.clone();
    bad["number"] = json!("");
    assert_eq!(app.post_json("/api/v1/proposals", Some(&office), &bad).await.status(), 422);
    let id = p["id"].as_i64().expect("id");
    app.login("qj-admin").await;
    // Supervision's count drills down to the lead org's records; another org's list is empty.
    let sup = app.get("/admin/supervision").await.text().await.expect("html");
    let link = sup
        .split("/admin/proposals?org=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a drill-down")
        .replace("&amp;", "&");
    let page = app.get(&format!("/admin/proposals?org={link}")).await.text().await.expect("html");
    assert!(page.contains("显示一个主办单位的建议提案") && page.contains("关于加快城区公共停车场建设的建议"));
    let page = app.get("/admin/proposals?org=1").await.text().await.expect("html");
    assert!(!page.contains("关于加快城区公共停车场建设的建议"), "the top org leads none");

    // Only the lead org's leader signs the reply; publishing waits for it.
    let handler = app.token_for("handler").await;
    let reply = json!({ "text": "已纳入年度重点项目。", "category": "a" });
    assert_eq!(app.post_json(&format!("/api/v1/proposals/{id}/reply"), Some(&handler), &reply).await.status(), 403);
    let publish = json!({ "publish": true });
    assert_eq!(
        app.post_json(&format!("/api/v1/proposals/{id}/publication"), Some(&office), &publish).await.status(),
        409
    );
    app.set_today("2027-03-01");
    let approver = app.token_for("approver").await;
    let res = app.post_json(&format!("/api/v1/proposals/{id}/reply"), Some(&approver), &reply).await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.expect("json");
    assert_eq!((p["state"].as_str(), p["replied_in_time"].as_bool()), (Some("replied"), Some(false)), "a day late");
    assert_eq!(app.post_json(&format!("/api/v1/proposals/{id}/reply"), Some(&approver), &reply).await.status(), 409);
    let rating = json!({ "rating": "basic" });
    assert_eq!(app.post_json(&format!("/api/v1/proposals/{id}/rating"), Some(&approver), &rating).await.status(), 200);
    let office = app.token_for("qj-admin").await;
    let withhold = json!({ "publish": false, "reason": "" });
    assert_eq!(
        app.post_json(&format!("/api/v1/proposals/{id}/publication"), Some(&office), &withhold).await.status(),
        422
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/proposals/{id}/publication"), Some(&office), &publish).await.status(),
        200
    );

    // The public list and the summary count it under the year it was assigned.
    assert_eq!(app.get("/api/v1/proposals/public?year=2027").await.json::<Value>().await.expect("json"), json!([]));
    let list: Value = app.get("/api/v1/proposals/public?year=2026").await.json().await.expect("json");
    assert_eq!(list[0]["title"], "关于加快城区公共停车场建设的建议");
    let summary: Value = app.get("/api/v1/proposals/summary?year=2026").await.json().await.expect("json");
    let s = &summary[0]["summary"];
    assert_eq!(
        (s["npc"].as_u64(), s["replied"].as_u64(), s["on_time"].as_u64(), s["published"].as_u64()),
        (Some(1), Some(1), Some(0), Some(1))
    );
    assert_eq!(s["categories"], json!([1, 0, 0]));
    assert_eq!(s["ratings"], json!([0, 1, 0]));
    let page = app.get(&format!("/proposals/{id}")).await.text().await.expect("html");
    assert!(page.contains("已纳入年度重点项目。") && page.contains("A类"));
    let page = app.get("/proposals?year=2026").await.text().await.expect("html");
    assert!(page.contains("办理工作总体情况") && page.contains("关于加快城区公共停车场建设的建议"));

    // The console: the office sees the record; a step without CSRF is refused.
    let login = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&login);
    app.post_form("/login", &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let list = app.get("/admin/proposals?year=2026").await.text().await.expect("html");
    assert!(list.contains("关于加快城区公共停车场建设的建议"));
    let res = app
        .post_form(&format!("/admin/proposals/{id}"), &[("csrf", "forged"), ("step", "rate"), ("rating", "satisfied")])
        .await;
    assert_eq!(res.status(), 403);
}
