//! Information requests over the API: filing, status with enumeration resistance, staff
//! steps with their refusals, and the workspace.

use crate::common;

use common::{QIANJIANG_OFFICE, TestApp};
use serde_json::{Value, json};

fn filing() -> Value {
    json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
            "phone": "13800000000", "email": "zhang@example.com", "address": "重庆市黔江区某路1号",
            "description": "2025年黔江区城市道路改造项目的立项批复文件", "org": QIANJIANG_OFFICE, "form": "电子邮件" })
}

#[tokio::test]
async fn a_citizen_files_and_follows_a_request_and_staff_handle_it() {
    let app = TestApp::spawn().await;
    // Filed on 2026-11-20; clarified on the 23rd, so the clock stands at the 27th after filing.
    app.set_today("2026-11-20");
    // Idempotent filing.
    let send = |body: Value| {
        app.client.post(app.url("/api/v1/requests")).header("Idempotency-Key", "form-123").json(&body).send()
    };
    let res = send(filing()).await.expect("request");
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    let tracking = filed["tracking_no"].as_str().expect("tracking").to_string();
    app.set_today("2026-11-27");
    let code = filed["query_code"].as_str().expect("code").to_string();
    assert!(filed["due_on"].is_string());
    let again = send(filing()).await.expect("request");
    assert_eq!(again.status(), 200, "the retry stores nothing new");
    assert_eq!(again.json::<Value>().await.expect("json")["tracking_no"], tracking.as_str());
    // Another applicant sending the same key gets neither the first one's numbers nor a
    // silently dropped filing.
    let mut other = filing();
    other["name"] = json!("李四");
    other["description"] = json!("黔江区2025年度部门预算公开表");
    let res = send(other).await.expect("request");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "idempotency_key_reused");
    assert!(body.get("tracking_no").is_none() && body.get("query_code").is_none());

    // Status: right code works; a wrong code and an unknown number answer alike.
    let status: Value = app.get(&format!("/api/v1/requests/{tracking}?code={code}")).await.json().await.expect("json");
    assert_eq!(status["state"], "received");
    assert_eq!(status["timeline"][0]["label"], "收到申请");
    assert!(status.get("staff").is_none(), "no personal data in the public view");
    let wrong = app.get(&format!("/api/v1/requests/{tracking}?code=AAAAAAAA")).await;
    let unknown = app.get(&format!("/api/v1/requests/2026010100000000?code={code}")).await;
    assert_eq!((wrong.status().as_u16(), unknown.status().as_u16()), (404, 404));
    assert_eq!(wrong.text().await.expect("body"), unknown.text().await.expect("body"));

    // Staff handle it: clarification, then a refusal with its reason.
    let handler = app.token_for("handler").await;
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/clarify"),
            Some(&handler),
            &json!({ "comment": "请说明项目名称" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.post_json(&format!("/api/v1/requests/{tracking}/clarify"), Some(&handler), &json!({})).await;
    assert_eq!(res.status(), 409, "once only, and not from 待补正");
    for (bad, why) in [("1990-01-01", "before the receipt"), ("2099-01-01", "after today")] {
        let res = app
            .post_json(&format!("/api/v1/requests/{tracking}/clarified"), Some(&handler), &json!({ "on": bad }))
            .await;
        assert_eq!(res.status(), 422, "{why}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["code"], "date_out_of_range");
        assert_eq!(body["message"], format!("日期 {bad} 须在收到申请之日（2026-11-20）至今天（2026-11-27）之间"));
    }
    let res = app
        .post_json(&format!("/api/v1/requests/{tracking}/clarified"), Some(&handler), &json!({ "on": "2026-11-23" }))
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/reply"),
            Some(&handler),
            &json!({ "outcome": "withheld.process_info" }),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "reason_required");
    let res =
        app.post_json(&format!("/api/v1/requests/{tracking}/extend"), Some(&handler), &json!({ "days": 10 })).await;
    assert_eq!(res.status(), 403, "extensions are approved by an approver");
    let approver = app.token_for("approver").await;
    let res =
        app.post_json(&format!("/api/v1/requests/{tracking}/extend"), Some(&approver), &json!({ "days": 25 })).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "extension_too_long");
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/reply"),
            Some(&handler),
            &json!({ "outcome": "withheld.process_info", "reason": "所申请信息为讨论记录，属于过程性信息" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let staff_view: Value = res.json().await.expect("json");
    assert_eq!(staff_view["state"], "signing_off", "a refusal waits for the approver's sign-off");
    assert!(staff_view["reply"].is_null(), "nothing went out yet");
    assert_eq!(staff_view["staff"]["proposal"]["outcome"], "withheld.process_info");
    let res = app.post_json(&format!("/api/v1/requests/{tracking}/sign"), Some(&handler), &json!({})).await;
    assert_eq!(res.status(), 403, "a handler does not sign off");
    let res = app.post_json(&format!("/api/v1/requests/{tracking}/sign"), Some(&approver), &json!({})).await;
    assert_eq!(res.status(), 200);
    let staff_view: Value = res.json().await.expect("json");
    assert_eq!(staff_view["staff"]["name"], "张*", "an approver does not handle requests: the applicant is masked");
    assert_eq!(staff_view["staff"]["masked"], true);
    assert_eq!(staff_view["reply"]["outcome_label"], "属于四类过程性信息");
    let handled: Value =
        app.get_with_token(&format!("/api/v1/requests/{tracking}"), &handler).await.json().await.expect("json");
    assert_eq!((handled["staff"]["name"].as_str(), handled["staff"]["masked"].as_bool()), (Some("张三"), Some(false)));

    let status: Value = app.get(&format!("/api/v1/requests/{tracking}?code={code}")).await.json().await.expect("json");
    assert_eq!(status["state_label"], "已答复");
    assert_eq!(status["reply"]["group_label"], "不予公开");
    let labels: Vec<&str> =
        status["timeline"].as_array().expect("timeline").iter().map(|e| e["label"].as_str().expect("label")).collect();
    assert_eq!(labels, ["收到申请", "告知补正", "收到补正材料，答复期限重新计算", "已答复"], "sign-off is internal");

    // Another district cannot see it at all.
    let outsider = app.token_for("wj-admin").await;
    assert_eq!(app.get_with_token(&format!("/api/v1/requests/{tracking}"), &outsider).await.status(), 404);
}

#[tokio::test]
async fn bad_filings_list_every_field_in_error_and_the_public_is_rate_limited() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { public_posts_per_minute: 3, ..Default::default() }).await;
    let res = app.post_json("/api/v1/requests", None, &json!({ "applicant_type": "natural_person", "name": "李四", "id_type": "居民身份证", "id_number": "110105194912310021", "description": "短", "form": "电子邮件" })).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "invalid_fields");
    let fields: Vec<&str> =
        body["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().expect("field")).collect();
    assert_eq!(fields, ["id_number", "phone", "description", "email"]);
    let res = app.post_json("/api/v1/requests", None, &json!({ "applicant_type": "commercial", "name": "某公司", "credit_code": "91110000802100433X", "phone": "010-12345678", "description": "某项目环评批复", "form": "纸质" })).await;
    let body: Value = res.json().await.expect("json");
    let fields: Vec<&str> =
        body["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().expect("field")).collect();
    assert_eq!(fields, ["credit_code", "legal_rep", "contact_person"]);
    assert_eq!(app.post_json("/api/v1/requests", None, &filing()).await.status(), 201, "the third post in a minute");
    let res = app.post_json("/api/v1/requests", None, &filing()).await;
    assert_eq!(res.status(), 429, "the fourth public post in a minute");
}

#[tokio::test]
async fn the_workspace_lists_open_requests_with_their_clock() {
    let app = TestApp::spawn().await;
    // Three people (three ID numbers): the same person filing three times is one applicant.
    for id_number in ["110105198001010016", "110105198001010024", "110105198001010032"] {
        let mut f = filing();
        f["name"] = json!(format!("申请人{}", rand_suffix()));
        f["id_number"] = json!(id_number);
        assert_eq!(app.post_json("/api/v1/requests", None, &f).await.status(), 201);
    }
    let handler = app.token_for("handler").await;
    let rows: Value = app.get_with_token("/api/v1/requests", &handler).await.json().await.expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["clock"]["days_left"], 20);
    assert_eq!(rows[0]["clock"]["status"], "ok");
    assert!(
        rows[0]["flags"].as_array().expect("flags").contains(&json!("many_applicants")),
        "three applicants asked for the same information"
    );
    // Recording a letter fixes the receipt date by article 31.
    let res = app
        .post_json(
            "/api/v1/requests/record",
            Some(&handler),
            &json!({ "channel": "registered_post", "submitted_on": "2026-11-02", "applicant_type": "natural_person", "name": "王五", "id_type": "护照", "id_number": "E12345678", "address": "某地", "description": "某项目的批复文件", "form": "纸质" }),
        )
        .await;
    assert_eq!(res.status(), 422, "registered post needs the signing date");
    assert!(res.json::<Value>().await.expect("json")["message"].as_str().expect("m").contains("签收"));
    let res = app
        .post_json(
            "/api/v1/requests/record",
            Some(&handler),
            &json!({ "channel": "registered_post", "signed_on": "2026-02-06", "applicant_type": "natural_person", "name": "王五", "id_type": "护照", "id_number": "E12345678", "address": "某地", "description": "某项目的批复文件", "form": "纸质" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    assert_eq!((filed["received_on"].as_str(), filed["due_on"].as_str()), (Some("2026-02-06"), Some("2026-03-12")));
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
