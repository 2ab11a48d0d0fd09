//! Mailboxes and letters over HTTP: a letter's full path from the public form to the public
//! list with masking, the deadline across the National Day holiday, idempotent filing, bad
//! input of every size, who may take which step, the writer's rating, the figures, and the
//! 60-day alarm on the dashboards.

use crate::common;

use common::{QIANJIANG, TestApp, csrf_in};
use serde_json::{Value, json};

async fn mailbox(app: &TestApp) -> i64 {
    let admin = app.token_for("qj-admin").await;
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/mailboxes"),
            Some(&admin),
            &json!({ "kind": "consult", "name": "政务咨询" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.expect("json");
    assert_eq!(m["reply_days"], 5, "咨询 defaults to 5 working days");
    let editor = app.token_for("editor").await;
    let denied = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/mailboxes"),
            Some(&editor),
            &json!({ "kind": "leader", "name": "x" }),
        )
        .await;
    assert_eq!(denied.status(), 403);
    m["id"].as_i64().expect("id")
}

async fn file(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url("/api/v1/letters")).header("Idempotency-Key", key).json(body).send().await.expect("request")
}

async fn step(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.post_json(&format!("/api/v1/letters/{id}/steps"), Some(token), &body).await
}

#[tokio::test]
async fn a_letter_goes_from_the_form_to_the_public_list_masked() {
    let app = TestApp::spawn().await;
    let mb = mailbox(&app).await;
    // The day before the National Day holiday (1-7 October 2026, with Saturday 10 October
    // worked): five working days are 8, 9, 10, 12 and 13 October.
    app.set_today("2026-09-30");
    let letter = json!({
        "mailbox": mb, "name": "张三丰", "phone": "13912345678", "subject": "社保卡补办",
        "text": "我的身份证号码 11010519491231002X，手机 13912345678，社保卡丢失如何补办？", "consent": true
    });
    let res = file(&app, "letter-1", &letter).await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    assert_eq!(filed["due_on"], "2026-10-13");
    assert_eq!(filed["provisional"], false);
    let (no, code) = (filed["tracking_no"].as_str().expect("no"), filed["query_code"].as_str().expect("code"));
    // The same filing again is the same letter; another with the key is refused.
    let again = file(&app, "letter-1", &letter).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.expect("json")["tracking_no"], no);
    let mut other = letter.clone();
    other["text"] = json!("另一件事情，另一个人");
    let reused = file(&app, "letter-1", &other).await;
    assert_eq!(reused.status(), 422);
    assert_eq!(reused.json::<Value>().await.expect("json")["code"], "idempotency_key_reused");

    // The writer follows it; a wrong code answers like an unknown number.
    let wrong = app.get(&format!("/api/v1/letters/{no}/status?code=AAAAAAAA")).await;
    assert_eq!(wrong.status(), 404);
    let mine: Value = app.get(&format!("/api/v1/letters/{no}/status?code={code}")).await.json().await.expect("json");
    assert_eq!(mine["state"], "received");
    assert!(mine.get("staff").is_none(), "the writer sees no staff detail");

    // Staff: the office assigns it; the clerk drafts; the clerk may not approve; the
    // reviewer does.
    let office = app.token_for("qj-admin").await;
    let clerk = app.token_for("letters").await;
    let list: Value = app.get_with_token("/api/v1/letters?open=true", &office).await.json().await.expect("json");
    let id = list[0]["id"].as_i64().expect("id");
    assert_eq!(
        step(&app, &clerk, id, json!({ "step": "draft_reply", "text": "x", "public": true })).await.status(),
        409
    );
    // The letter's staff view names the orgs it may go to.
    let seen: Value = app.get_with_token(&format!("/api/v1/letters/{id}"), &office).await.json().await.expect("json");
    let targets = seen["staff"]["targets"].as_array().expect("targets");
    let to = targets.iter().find(|t| t[1] == "重庆市黔江区人民政府办公室").expect("the office is a target");
    assert!(targets.iter().all(|t| t[1] != "常州市武进区人民政府"), "only the mailbox org and below");
    let res = step(&app, &office, id, json!({ "step": "assign", "org_id": to[0] })).await;
    assert_eq!(res.status(), 200);
    let seen: Value = app.get_with_token(&format!("/api/v1/letters/{id}"), &clerk).await.json().await.expect("json");
    assert_eq!(seen["staff"]["steps"], json!(["transfer", "draft_reply", "close_invalid", "hand_off"]));
    // The office's approver may extend it while its period runs (to 13 October), not after:
    // the step is no longer offered, and asked for anyway it is refused with the last day.
    let approver = app.token_for("approver").await;
    let steps_of = |token: String| {
        let app = &app;
        async move {
            let seen: Value =
                app.get_with_token(&format!("/api/v1/letters/{id}"), &token).await.json().await.expect("json");
            seen["staff"]["steps"].clone()
        }
    };
    assert_eq!(steps_of(approver.clone()).await, json!(["extend"]));
    // (A session lasts less than the two weeks the clock moves: signed in again.)
    app.set_today("2026-10-14");
    let approver = app.token_for("approver").await;
    assert_eq!(steps_of(approver.clone()).await, json!([]));
    let late = step(&app, &approver, id, json!({ "step": "extend", "days": 5, "reason": "需实地核查" })).await;
    assert_eq!(late.status(), 409);
    let late: Value = late.json().await.expect("json");
    assert_eq!(late["code"], "extension_after_due");
    assert!(late["message"].as_str().is_some_and(|m| m.contains("2026-10-13")), "{late}");
    app.set_today("2026-09-30");
    let clerk = app.token_for("letters").await;
    let empty = step(&app, &clerk, id, json!({ "step": "draft_reply", "text": "  ", "public": true })).await;
    assert_eq!(empty.json::<Value>().await.expect("json")["code"], "empty_reply");
    let reply = "可携带身份证到区社保中心补办，咨询电话 023-79222333。";
    assert_eq!(
        step(&app, &clerk, id, json!({ "step": "draft_reply", "text": reply, "public": true })).await.status(),
        200
    );
    let own = step(&app, &clerk, id, json!({ "step": "approve_reply" })).await;
    assert_eq!(own.status(), 403);
    app.set_today("2026-10-09");
    let reviewer = app.token_for("reviewer").await;
    let done = step(&app, &reviewer, id, json!({ "step": "approve_reply" })).await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.expect("json");
    assert_eq!((done["state"].as_str(), done["replied_on"].as_str()), (Some("replied"), Some("2026-10-09")));
    assert_eq!(step(&app, &reviewer, id, json!({ "step": "approve_reply" })).await.status(), 409);

    // The public sees it with the name and personal data masked, in the API and the portal.
    let public: Value = app.get("/api/v1/letters/public").await.json().await.expect("json");
    assert_eq!(public["total"], 1);
    let shown = public["letters"][0].to_string();
    assert!(shown.contains("张**") && !shown.contains("张三丰"), "{shown}");
    assert!(!shown.contains("11010519491231002X") && !shown.contains("13912345678"), "{shown}");
    let page = app.get(&format!("/mailbox/letters/{id}")).await.text().await.expect("html");
    assert!(page.contains(reply) && !page.contains("11010519491231002X") && !page.contains("张三丰"));
    assert!(app.get("/mailbox").await.text().await.expect("html").contains("社保卡补办"));
    let feed = app.get("/mailbox/feed.atom").await.text().await.expect("atom");
    assert!(feed.contains("<title>社保卡补办</title>") && feed.contains(&format!("/mailbox/letters/{id}")));
    assert!(!feed.contains("11010519491231002X"));

    // The writer rates it once, with the query code.
    let bad = app
        .post_json(&format!("/api/v1/letters/{no}/rating"), None, &json!({ "code": "AAAAAAAA", "rating": "satisfied" }))
        .await;
    assert_eq!(bad.status(), 404);
    let rated = app
        .post_json(&format!("/api/v1/letters/{no}/rating"), None, &json!({ "code": code, "rating": "satisfied" }))
        .await;
    assert_eq!(rated.status(), 200);
    let twice =
        app.post_json(&format!("/api/v1/letters/{no}/rating"), None, &json!({ "code": code, "rating": "basic" })).await;
    assert_eq!(twice.status(), 409);

    // The figures: one received, replied on time in 5 working days (10-08 to 10-09 is 2).
    let stats: Value = app.get("/api/v1/letters/statistics?year=2026").await.json().await.expect("json");
    assert_eq!(stats[0]["year"]["received"], 1);
    assert_eq!(stats[0]["year"]["on_time"], 1);
    assert_eq!(stats[0]["year"]["average_days"], 2.0);
    assert_eq!(stats[0]["months"][8]["received"], 1, "counted in September");

    // FAQ and similar questions.
    let faq = app
        .post_json(
            &format!("/api/v1/letters/{id}/faq"),
            Some(&reviewer),
            &json!({ "topic": "社会保障", "question": "社保卡丢失如何补办？", "answer": reply }),
        )
        .await;
    assert_eq!(faq.status(), 201);
    let similar: Value =
        app.get(&format!("/api/v1/letters/similar?q={}", "社保卡丢了怎么补办")).await.json().await.expect("json");
    assert!(similar.as_array().is_some_and(|s| !s.is_empty()), "{similar}");
}

#[tokio::test]
async fn bad_input_is_named_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    let mb = mailbox(&app).await;
    let res = app.post_json("/api/v1/letters", None, &json!({ "mailbox": mb })).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let fields: Vec<&str> =
        body["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["name", "phone", "subject", "text"], "{body}");
    let huge = "长".repeat(200_000);
    let res = app
        .post_json(
            "/api/v1/letters",
            None,
            &json!({ "mailbox": mb, "name": "李四", "phone": "13800000000", "subject": "x", "text": huge }),
        )
        .await;
    assert!(res.status() == 422 || res.status() == 413, "{}", res.status());
    let res = app.post_json("/api/v1/letters", None, &json!({ "mailbox": 999, "name": "李四", "phone": "13800000000", "subject": "主题", "text": "内容足够长了" })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn the_portal_form_keeps_what_was_typed_and_takes_attachments() {
    let app = TestApp::spawn().await;
    let mb = mailbox(&app).await;
    // The portal form (multipart): CSRF required; a honeypot filled is refused; errors keep
    // what was typed; an attachment that is not an image or PDF is named.
    let post = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, Vec<u8>)>| {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        for (name, bytes) in files {
            form = form.part("files", reqwest::multipart::Part::bytes(bytes).file_name(name));
        }
        app.client.post(app.url("/mailbox/letters")).multipart(form).send()
    };
    let mbs = mb.to_string();
    let no_csrf = post(vec![("mailbox", mbs.clone()), ("name", "李四".into())], vec![]).await.expect("send");
    assert_eq!(no_csrf.status(), 403);
    let form = app.get("/mailbox/write").await.text().await.expect("html");
    let csrf = csrf_in(&form);
    let bot = post(vec![("csrf", csrf.clone()), ("mailbox", mbs.clone()), ("website", "http://spam".into())], vec![])
        .await
        .expect("send");
    assert_eq!(bot.status(), 422);
    let typed = vec![
        ("csrf", csrf.clone()),
        ("key", "k-form".into()),
        ("mailbox", mbs.clone()),
        ("name", "李四<script>".into()),
        ("subject", "路灯".into()),
    ];
    let res = post(typed, vec![]).await.expect("send");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(!html.contains("李四<script>"), "{html}");
    assert!(
        html.contains("李四&#60;script&#62;") && html.contains("id=\"text-err\"") && html.contains("id=\"phone-err\"")
    );
    let good = || {
        vec![
            ("csrf", csrf.clone()),
            ("key", "k-form".to_string()),
            ("mailbox", mbs.clone()),
            ("name", "李四".to_string()),
            ("phone", "13800000000".to_string()),
            ("subject", "路灯".to_string()),
            ("text", "路灯坏了一周了。".to_string()),
            ("consent", "on".to_string()),
        ]
    };
    let res = post(good(), vec![("照片.png", b"MZ\x90\0 not an image".to_vec())]).await.expect("send");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("id=\"files-err\""));
    let res = post(good(), vec![("照片.png", PNG.to_vec())]).await.expect("send");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("来信已提交"));
    // Staff see and download the attachment; the public never.
    let office = app.token_for("qj-admin").await;
    let open: Value = app.get_with_token("/api/v1/letters?open=true", &office).await.json().await.expect("json");
    let id = open[0]["id"].as_i64().expect("id");
    let seen: Value = app.get_with_token(&format!("/api/v1/letters/{id}"), &office).await.json().await.expect("json");
    let file = seen["staff"]["files"][0][0].as_i64().expect("a file");
    assert_eq!(seen["staff"]["files"][0][1], "照片.png");
    app.login("qj-admin").await;
    let res = app.get(&format!("/admin/letters/{id}/files/{file}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PNG);
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

#[tokio::test]
async fn a_letter_open_sixty_days_raises_the_alarm() {
    let app = TestApp::spawn().await;
    let mb = mailbox(&app).await;
    app.set_today("2026-03-02");
    let res = file(&app, "old", &json!({ "mailbox": mb, "name": "王五", "email": "w@example.com", "subject": "宅基地登记", "text": "宅基地登记进度如何？" })).await;
    assert_eq!(res.status(), 201);
    app.set_today("2026-04-30");
    app.login("qj-admin").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(!html.contains("仍未办结"), "day 59: no alarm yet: {html}");
    assert!(html.contains("来信：已逾期"), "overdue is counted on the dashboard");
    app.set_today("2026-05-01");
    app.login("qj-admin").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("有 1 件来信收到已超过 60 天仍未办结"), "day 60: the alarm");
    let list = app.get("/admin/letters").await.text().await.expect("html");
    assert!(list.contains("已超过 60 天未办结"));
    // The letter's own org staff see it too, and a closed letter raises nothing.
    let office = app.token_for("qj-admin").await;
    let open: Value = app.get_with_token("/api/v1/letters?open=true", &office).await.json().await.expect("json");
    assert_eq!(open[0]["clock"]["long_open"], true);
    let id = open[0]["id"].as_i64().expect("id");
    let res = step(&app, &office, id, json!({ "step": "hand_off", "route": "petition", "reason": "属信访事项" })).await;
    assert_eq!(res.status(), 200);
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(!html.contains("仍未办结"));
}
