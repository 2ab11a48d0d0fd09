//! Surveys over HTTP: an org creates one, a person answers once per browser (the form and
//! the API), answers are checked against the questions, results stay hidden until the
//! leader publishes them after the period with their use, and the public page shows the
//! counts as SVG charts without JavaScript.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn one_answer_per_person_and_results_after_the_period() {
    let app = TestApp::spawn().await;
    app.set_today("2026-11-02");
    let editor = app.token_for("editor").await;
    let body = json!({ "title": "政务公开满意度调查", "closes_on": "2026-11-30", "questions": [
        { "text": "总体评价", "kind": "single", "options": ["满意", "不满意"], "required": true },
        { "text": "常用渠道", "kind": "multiple", "options": ["网站", "微信", "窗口"] },
        { "text": "效率打分", "kind": "rating", "required": true },
        { "text": "其他建议", "kind": "text" }
    ] });
    assert_eq!(app.post_json("/api/v1/surveys", Some(&app.token_for("handler").await), &body).await.status(), 403);
    let res = app.post_json("/api/v1/surveys", Some(&editor), &body).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    // The API: a voter token answers once; a wrong answer is named.
    let answer = json!({ "voter": "browser-token-0001-abcdef", "answers": [[0], [0, 2], [5], "多公开预算"] });
    assert_eq!(app.post_json(&format!("/api/v1/surveys/{id}/answers"), None, &answer).await.status(), 201);
    let twice = app.post_json(&format!("/api/v1/surveys/{id}/answers"), None, &answer).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(twice.json::<Value>().await.expect("json")["code"], "already_answered");
    let bad = json!({ "voter": "browser-token-0002-abcdef", "answers": [[0], null, [9], null] });
    let res = app.post_json(&format!("/api/v1/surveys/{id}/answers"), None, &bad).await;
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.expect("json")["message"].as_str().expect("msg").contains("第 3 题"));

    // The form: the page sets the browser's token; the same browser answers once.
    let page = app.get(&format!("/surveys/{id}")).await.text().await.expect("html");
    let csrf = csrf_in(&page);
    let form = [("csrf", csrf.as_str()), ("q0", "1"), ("q1", "0"), ("q1", "1"), ("q2", "3"), ("q3", "")];
    let res = app.post_form(&format!("/surveys/{id}/answers"), &form).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("感谢参与"));
    let again = app.post_form(&format!("/surveys/{id}/answers"), &form).await;
    assert_eq!(again.status(), 409);
    let page = app.get(&format!("/surveys/{id}")).await.text().await.expect("html");
    assert!(page.contains("您已参加本次调查") && !page.contains("<svg"), "no results before publication");

    // Results: not while open; then with their use, as charts.
    let approver = app.token_for("approver").await;
    let publish = json!({ "usage": "已据此调整公开目录。" });
    assert_eq!(app.post_json(&format!("/api/v1/surveys/{id}/results"), Some(&approver), &publish).await.status(), 409);
    app.set_today("2026-12-01");
    let approver = app.token_for("approver").await;
    assert_eq!(
        app.post_json(&format!("/api/v1/surveys/{id}/results"), Some(&approver), &json!({ "usage": " " }))
            .await
            .status(),
        422
    );
    let res = app.post_json(&format!("/api/v1/surveys/{id}/results"), Some(&approver), &publish).await;
    assert_eq!(res.status(), 200);
    let s: Value = app.get(&format!("/api/v1/surveys/{id}")).await.json().await.expect("json");
    assert_eq!(s["responses"], 2);
    assert_eq!(s["results"][0]["result"]["counts"], json!([["满意", 1], ["不满意", 1]]));
    assert_eq!(s["results"][2]["result"]["average"], 4.0);
    let page = app.get(&format!("/surveys/{id}")).await.text().await.expect("html");
    assert!(page.contains("<svg") && page.contains("1（50%）") && page.contains("已据此调整公开目录。"));
    assert!(!page.contains(&format!("action=\"/surveys/{id}/answers\"")), "a closed survey takes no answers");

    // Lists count the answers; an org's sub-site shows its own; supervision drills down to them.
    let list: Value =
        app.get(&format!("/api/v1/surveys?org={}", common::QIANJIANG_OFFICE)).await.json().await.expect("json");
    assert_eq!((list[0]["id"].as_i64(), list[0]["responses"].as_i64()), (Some(id), Some(2)));
    let other: Value = app.get(&format!("/api/v1/surveys?org={}", common::WUJIN)).await.json().await.expect("json");
    assert_eq!(other, json!([]));
    assert_eq!(app.get("/surveys?org=NOSUCHORG").await.status(), 404);
    let page = app.get(&format!("/surveys?org={}", common::QIANJIANG_OFFICE)).await.text().await.expect("html");
    assert!(page.contains("重庆市黔江区人民政府办公室 · 网上调查") && page.contains(&format!("/surveys/{id}")));
    let page = app.get(&format!("/surveys?org={}", common::WUJIN)).await.text().await.expect("html");
    assert!(page.contains("暂无调查"));
    app.login("qj-admin").await;
    let sup = app.get("/admin/supervision").await.text().await.expect("html");
    let link = sup.split("/admin/surveys?org=").nth(1).and_then(|s| s.split('"').next()).expect("a drill-down link");
    let page = app.get(&format!("/admin/surveys?org={link}")).await.text().await.expect("html");
    assert!(page.contains("显示一个单位的网上调查") && page.contains(&format!("/admin/surveys/{id}")), "{page}");
}

/// The code sent to a number, read from the `file` SMS transport's directory (the newest).
fn code_in(dir: &std::path::Path, phone: &str) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("sms dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(&format!("-{phone}.txt")))
        .collect();
    files.sort();
    let text = std::fs::read_to_string(files.last().expect("a message")).expect("text");
    let at = text.find("验证码为 ").expect("the code") + "验证码为 ".len();
    text[at..at + 6].to_string()
}

/// A survey that asks for phone confirmation: one answer per mobile number, confirmed by the
/// code sent to it (once a minute, valid 10 minutes, a wrong code costs a try), over the API
/// and the portal form (the answers chosen kept while the code is fetched).
#[tokio::test]
async fn a_phone_confirmed_survey_takes_one_answer_per_number() {
    let sms = tempfile::tempdir().expect("dir");
    let config = gongkai_web::WebConfig {
        sms_transport: "file".into(),
        sms_dir: sms.path().to_path_buf(),
        public_posts_per_minute: 60,
        ..Default::default()
    };
    let app = TestApp::spawn_with(config).await;
    app.set_today("2026-11-02");
    let editor = app.token_for("editor").await;
    let body = json!({ "title": "城市停车收费调整意见调查", "closes_on": "2026-11-30", "confirm_phone": true,
        "questions": [{ "text": "是否赞成", "kind": "single", "options": ["赞成", "反对"], "required": true }] });
    let res = app.post_json("/api/v1/surveys", Some(&editor), &body).await;
    assert_eq!(res.status(), 201);
    let s: Value = res.json().await.expect("json");
    assert_eq!(s["confirm_phone"], true);
    let id = s["id"].as_i64().expect("id");
    let answers = |phone: &str, code: &str| json!({ "phone": phone, "code": code, "answers": [[0]] });
    let url = format!("/api/v1/surveys/{id}/answers");

    // A browser token alone does not answer it.
    let res = app.post_json(&url, None, &json!({ "voter": "browser-token-0001-abcdef", "answers": [[0]] })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_phone");
    let code_url = format!("/api/v1/surveys/{id}/code");
    let res = app.post_json(&code_url, None, &json!({ "phone": "12345" })).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_phone");
    let res = app.post_json(&code_url, None, &json!({ "phone": "+86 138-1234-5678" })).await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.expect("json")["sent_to"], "138****5678");
    let res = app.post_json(&code_url, None, &json!({ "phone": "13812345678" })).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "code_too_soon");
    let code = code_in(sms.path(), "13812345678");

    // A wrong code costs a try; the right one answers; the code is then used up.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app.post_json(&url, None, &answers("13812345678", wrong)).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_code");
    assert_eq!(app.post_json(&url, None, &answers("13812345678", &code)).await.status(), 201);
    assert_eq!(app.post_json(&url, None, &answers("13812345678", &code)).await.status(), 422, "used");
    // A new code a minute later still does not answer twice for the number.
    let now = app.store.clock().now();
    app.store.clock().set(Some(now + chrono::Duration::seconds(61)));
    assert_eq!(app.post_json(&code_url, None, &json!({ "phone": "13812345678" })).await.status(), 202);
    let again = code_in(sms.path(), "13812345678");
    let res = app.post_json(&url, None, &answers("13812345678", &again)).await;
    assert_eq!(
        (res.status().as_u16(), res.json::<Value>().await.expect("json")["code"].clone()),
        (409, json!("already_answered"))
    );
    // A code expires after 10 minutes.
    assert_eq!(app.post_json(&code_url, None, &json!({ "phone": "13900001111" })).await.status(), 202);
    let late = code_in(sms.path(), "13900001111");
    app.store.clock().set(Some(now + chrono::Duration::seconds(61 + 601)));
    let res = app.post_json(&url, None, &answers("13900001111", &late)).await;
    assert!(res.text().await.expect("body").contains("验证码已过期"));

    // The portal: 获取验证码 keeps the choice, then the answer goes in with the code.
    let page = app.get(&format!("/surveys/{id}")).await.text().await.expect("html");
    assert!(page.contains("手机验证") && page.contains(&format!("formaction=\"/surveys/{id}/code#confirm\"")));
    let csrf = csrf_in(&page);
    let res =
        app.post_form(&format!("/surveys/{id}/code"), &[("csrf", &csrf), ("q0", "1"), ("phone", "13700002222")]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("验证码已发送至 137****2222") && html.contains("value=\"1\" checked"), "the choice is kept");
    let code = code_in(sms.path(), "13700002222");
    let res = app
        .post_form(
            &format!("/surveys/{id}/answers"),
            &[("csrf", &csrf), ("q0", "1"), ("phone", "13700002222"), ("code", "999")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"code-err\"") && html.contains("value=\"13700002222\""), "the error beside the code");
    let res = app
        .post_form(
            &format!("/surveys/{id}/answers"),
            &[("csrf", &csrf), ("q0", "1"), ("phone", "13700002222"), ("code", &code)],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("感谢参与"));
    let staff: Value =
        app.get_with_token(&format!("/api/v1/surveys/{id}/results"), &editor).await.json().await.expect("json");
    assert_eq!(staff["responses"], 2);
    // A robot filling the hidden field is turned away.
    let res = app
        .post_form(
            &format!("/surveys/{id}/answers"),
            &[
                ("csrf", &csrf),
                ("website", "http://spam.example"),
                ("q0", "0"),
                ("phone", "13700003333"),
                ("code", "123456"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("提交未通过校验"));
}

/// Without a way to send text messages a survey cannot ask for phone confirmation.
#[tokio::test]
async fn phone_confirmation_needs_sms() {
    let app = TestApp::spawn().await;
    app.set_today("2026-11-02");
    let editor = app.token_for("editor").await;
    let body = json!({ "title": "调查", "closes_on": "2026-11-30", "confirm_phone": true,
        "questions": [{ "text": "是否赞成", "kind": "single", "options": ["赞成", "反对"] }] });
    let res = app.post_json("/api/v1/surveys", Some(&editor), &body).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "sms_off");
}
