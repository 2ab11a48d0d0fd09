//! Meeting attendance over HTTP: the office announces a meeting with its topics and seats,
//! people apply before the day (the form and the API), the office selects within the seats
//! and declines with a reason, and the published list shows names and organisations, never
//! phones.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn applicants_are_selected_within_the_seats_and_listed() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { public_posts_per_minute: 30, ..Default::default() }).await;
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
    // Every wrong field is named beside it, and what was typed is kept.
    let res = app
        .post_form(
            &format!("/meetings/{id}/applications"),
            &[
                ("csrf", &csrf),
                ("key", "k-form-0"),
                ("kind", "public"),
                ("name", " "),
                ("phone", "12"),
                ("reason", "关注停车"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("报名有 2 处需要修改"), "{html}");
    assert!(
        html.contains("id=\"name-err\"") && html.contains("id=\"phone-err\"") && html.contains("电话号码格式不正确")
    );
    assert!(html.contains("关注停车"), "the reason typed is kept");
    // A double click (the same form key twice) files one application.
    let form =
        [("csrf", csrf.as_str()), ("key", "k-form-1"), ("kind", "public"), ("name", "林峰"), ("phone", "13800000000")];
    let res = app.post_form(&format!("/meetings/{id}/applications"), &form).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("报名已收到"));
    assert_eq!(app.post_form(&format!("/meetings/{id}/applications"), &form).await.status(), 200);
    // Over the API: the same Idempotency-Key answers the first; with another body it is refused.
    let keyed = |key: &'static str, body: Value| {
        let (app, url) = (&app, url.clone());
        async move {
            let res =
                app.client.post(app.url(&url)).header("Idempotency-Key", key).json(&body).send().await.expect("send");
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    assert_eq!(keyed("m-1", apply("public", "王芳")).await.0, 201);
    assert_eq!(keyed("m-1", apply("public", "王芳")).await.0, 200);
    let (status, body) = keyed("m-1", apply("public", "另一人")).await;
    assert_eq!((status.as_u16(), body["code"].as_str()), (422, Some("idempotency_key_reused")));
    let (status, body) = keyed("m-2", json!({ "kind": "x", "name": "", "phone": "" })).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        body["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["kind", "name", "phone"]);

    let staff: Value = app.get_with_token(&url, &office).await.json().await.expect("json");
    let apps = staff["attendees"].as_array().expect("applications");
    assert_eq!(apps.len(), 3, "陈晓华, 林峰 once, 王芳 once");
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
