//! The working-day calendar over the API, loading a new year, and article 26 on items.

mod common;

use common::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn calendar_answers_and_refuses_unloaded_years_until_loaded() {
    let app = TestApp::spawn().await;
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-02-06&n=20").await.json().await.expect("json");
    assert_eq!(res, json!({ "date": "2026-03-12" }));
    let res: Value = app.get("/api/v1/calendar/is-workday?date=2024-02-04").await.json().await.expect("json");
    assert_eq!(res["workday"], true);
    let res = app.get("/api/v1/calendar/add-workdays?from=2026-12-20&n=20").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "year_not_loaded");
    assert!(body["message"].as_str().expect("message").starts_with("2027 年的节假日安排尚未载入"));
    let res = app.get("/api/v1/calendar/add-workdays?from=2026-13-01&n=1").await;
    assert_eq!(res.status(), 400);
    let years: Value = app.get("/api/v1/calendar/years").await.json().await.expect("json");
    assert_eq!(years.as_array().expect("array").len(), 19);
    assert_eq!(years[16]["notice"], "国办发明电〔2023〕7号");

    // Loading 2027: only an admin of a top-level org.
    let file =
        "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕99号\n2027-01-01 休 元旦\n";
    let editor = app.token_for("editor").await;
    let res = app
        .client
        .post(app.url("/api/v1/calendar/years"))
        .bearer_auth(&editor)
        .body(file)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let admin = app.token_for("qj-admin").await;
    let res = app
        .client
        .post(app.url("/api/v1/calendar/years"))
        .bearer_auth(&admin)
        .body("2027-01-04 班 元旦\n")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422, "a make-up day on a Monday is refused");
    let res = app
        .client
        .post(app.url("/api/v1/calendar/years"))
        .bearer_auth(&admin)
        .body(file)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-12-20&n=20").await.json().await.expect("json");
    assert_eq!(res["date"], "2027-01-18", "2027-01-01 is off; the rest are plain weekdays");
}

#[tokio::test]
async fn items_published_late_show_the_delay_in_working_days() {
    let app = TestApp::spawn().await;
    let editor = app.token_for("editor").await;
    let reviewer = app.token_for("reviewer").await;
    let approver = app.token_for("approver").await;
    let res = app
        .post_json("/api/v1/items", Some(&editor), &json!({ "title": "关于做好春节后复工工作的通知", "disclosure_attr": "proactive", "written_on": "2026-02-06" }))
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
    app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
    app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await;
    // Published on 2026-03-16 (Beijing): the 20th working day was 03-12, so 2 working days late.
    let res = app
        .post_json(&format!("/api/v1/items/{id}/publish"), Some(&editor), &json!({ "at": "2026-03-16T02:00:00Z" }))
        .await;
    assert_eq!(res.status(), 200);
    let item: Value = res.json().await.expect("json");
    assert_eq!(item["late_workdays"], 2);
    assert_eq!(item["published_at"], "2026-03-16T02:00:00Z");
}

#[tokio::test]
async fn a_top_level_admin_loads_a_year_in_the_console() {
    let app = TestApp::spawn().await;
    let login = |user: &'static str| {
        let app = &app;
        async move {
            let page = app.get("/login").await.text().await.expect("html");
            let csrf = common::csrf_in(&page);
            app.post_form("/login", &[("username", user), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
            common::csrf_in(&app.get("/admin/calendar").await.text().await.expect("html"))
        }
    };
    let csrf = login("editor").await;
    let html = app.get("/admin/calendar").await.text().await.expect("html");
    assert!(html.contains("2026") && !html.contains("载入新一年"), "editors see the years only");
    assert_eq!(app.post_form("/admin/calendar", &[("csrf", &csrf), ("text", "x")]).await.status(), 403);
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = login("qj-admin").await;
    let bad = app
        .post_form("/admin/calendar", &[("csrf", &csrf), ("text", "title = x\nnotice = y\n2027-13-01 休 元旦\n")])
        .await;
    assert_eq!(bad.status(), 422);
    let year =
        "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕1号\n2027-01-01 休 元旦\n";
    assert_eq!(app.post_form("/admin/calendar", &[("csrf", &csrf), ("text", year)]).await.status(), 303);
    let html = app.get("/admin/calendar").await.text().await.expect("html");
    assert!(html.contains("国办发明电〔2026〕1号"));
    let day = app.get("/api/v1/calendar/is-workday?date=2027-01-01").await;
    assert_eq!(day.json::<serde_json::Value>().await.expect("json")["workday"], false);
}
