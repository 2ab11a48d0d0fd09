//! Meeting attendance over HTTP: the office announces a meeting with its topics and seats,
//! people apply before the day (the form and the API), the office selects within the seats
//! and declines with a reason, and the published list shows names and organisations, never
//! phones.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn applicants_are_selected_within_the_seats_and_listed() {
    let app = TestApp::spawn().await;
    app.set_today("2026-12-01");
    let office = app.token_for("qj-admin").await;
    let body = json!({ "title": "区政府第46次常务会议", "held_on": "2026-12-15", "apply_by": "2026-12-10",
        "seats": [1, 0, 1, 0], "topics": [{ "title": "审议《城市停车管理办法》", "consulted": true }] });
    let handler = app.token_for("handler").await;
    assert_eq!(app.post_json("/api/v1/meetings", Some(&handler), &body).await.status(), 403);
    let res = app.post_json("/api/v1/meetings", Some(&office), &body).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    let apply = |kind: &str, name: &str| json!({ "kind": kind, "name": name, "phone": "13912345678", "organisation": "城东街道居民" });
    let url = format!("/api/v1/meetings/{id}/applications");
    assert_eq!(app.post_json(&url, None, &apply("public", "陈晓华")).await.status(), 201);
    assert_eq!(app.post_json(&url, None, &apply("expert", "杨教授")).await.status(), 422, "no expert seats");
    let page = app.get(&format!("/meetings/{id}")).await.text().await.expect("html");
    let csrf = csrf_in(&page);
    let res = app
        .post_form(
            &format!("/meetings/{id}/applications"),
            &[("csrf", &csrf), ("kind", "public"), ("name", "林峰"), ("phone", "13800000000")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("报名已收到"));

    let staff: Value = app.get_with_token(&url, &office).await.json().await.expect("json");
    let apps = staff["attendees"].as_array().expect("applications");
    assert_eq!(apps.len(), 2);
    let (a, b) = (apps[0]["id"].as_i64().expect("id"), apps[1]["id"].as_i64().expect("id"));
    let decide = |aid: i64, body: Value| {
        let app = &app;
        let office = office.clone();
        async move { app.post_json(&format!("/api/v1/meetings/applications/{aid}"), Some(&office), &body).await.status() }
    };
    assert_eq!(decide(a, json!({ "select": true })).await, 204);
    assert_eq!(decide(b, json!({ "select": true })).await, 409, "one public seat");
    assert_eq!(decide(b, json!({ "select": false })).await, 422, "a reason to decline");
    assert_eq!(decide(b, json!({ "select": false, "note": "席位已满" })).await, 204);

    // Before publication the public sees no names; after, the selected ones without phones.
    let public: Value = app.get(&format!("/api/v1/meetings/{id}")).await.json().await.expect("json");
    assert_eq!(public["attendees"], json!([]));
    assert_eq!(app.post_empty(&format!("/api/v1/meetings/{id}/attendees"), &office).await.status(), 200);
    assert_eq!(app.post_empty(&format!("/api/v1/meetings/{id}/attendees"), &office).await.status(), 409);
    let public: Value = app.get(&format!("/api/v1/meetings/{id}")).await.json().await.expect("json");
    let list = public["attendees"].to_string();
    assert!(list.contains("陈晓华") && !list.contains("林峰") && !list.contains("13912345678"), "{list}");
    app.set_today("2026-12-11");
    assert_eq!(app.post_json(&url, None, &apply("public", "迟到者")).await.status(), 409, "applications closed");
}
