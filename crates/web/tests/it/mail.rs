//! E-mail through the file transport (each message an .eml file): the applicant gets the
//! tracking number and query code; handlers get the daily reminder of requests due or
//! overdue. The SMTP transport is the same code with another transport.

use crate::common;

use base64::Engine;
use common::{QIANJIANG_OFFICE, TestApp};
use gongkai_store::AuditCtx;
use gongkai_web::WebConfig;
use serde_json::{Value, json};
use std::time::Duration;

fn bodies(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let raw = std::fs::read_to_string(e.path()).unwrap_or_default();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let text = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        out.push((head.to_string(), text));
    }
    out
}

#[tokio::test]
async fn applicants_get_their_numbers_and_handlers_their_reminders() {
    let dir = tempfile::tempdir().expect("dir");
    let config = WebConfig { mail_transport: "file".into(), mail_dir: dir.path().to_path_buf(), ..Default::default() };
    let app = TestApp::spawn_with(config.clone()).await;
    let res = app
        .post_json(
            "/api/v1/requests",
            None,
            &json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
                     "phone": "13800000000", "email": "zhang@example.com", "address": "重庆市黔江区某路1号",
                     "description": "2025年黔江区城市道路改造项目的立项批复文件", "org": QIANJIANG_OFFICE, "form": "电子邮件" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    let (tracking, code) = (filed["tracking_no"].as_str().expect("no"), filed["query_code"].as_str().expect("code"));
    let mut mails = Vec::new();
    for _ in 0..50 {
        mails = bodies(dir.path());
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(mails.len(), 1, "one confirmation");
    let (head, text) = &mails[0];
    assert!(head.contains("To: zhang@example.com"), "{head}");
    assert!(text.contains(tracking) && text.contains(code) && text.contains("/requests/status?tracking_no="), "{text}");

    // The reminder: an overdue request of the office goes to its handler's address.
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    let handler = app
        .store
        .user_by_username(&gongkai_core::Username::parse("handler").expect("name"))
        .await
        .expect("user")
        .expect("handler");
    assert!(app.store.set_user_email(&AuditCtx::cli(), handler.id, "not an address").await.is_err());
    app.store.set_user_email(&AuditCtx::cli(), handler.id, "handler@qianjiang.gov.cn").await.expect("email");
    let old = gongkai_store::NewRequest {
        channel: gongkai_core::request::Channel::InPerson,
        description: "某小区规划许可".into(),
        idempotency_key: Some("old".into()),
        ..gongkai_testkit::requests::new_request(office.id, chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"))
    };
    let (overdue, _) = app.store.file_request(&AuditCtx::system(), old).await.expect("file");
    let state = gongkai_web::AppState::new(app.store.clone(), config);
    let sent = gongkai_web::mail::send_reminders(&state).await.expect("reminders");
    assert_eq!(sent, 1);
    let reminder =
        bodies(dir.path()).into_iter().find(|(h, _)| h.contains("handler@qianjiang.gov.cn")).expect("reminder");
    assert!(reminder.1.contains(&overdue.tracking_no) && reminder.1.contains("已逾期"), "{}", reminder.1);
}
