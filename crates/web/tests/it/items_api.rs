//! The items API as an editor, a reviewer, an approver and the public use it.

use crate::common;

use common::{QIANJIANG_OFFICE, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn an_item_travels_the_workflow_over_the_api() {
    let app = TestApp::spawn().await;
    let editor = app.token_for("editor").await;
    let reviewer = app.token_for("reviewer").await;
    let approver = app.token_for("approver").await;

    // A draft with an ID number and no disclosure attribute.
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于公布2026年政务公开工作要点的通知", "doc_no": "黔江府办发(2026)12号",
                     "body": "<p>联系人：张三，身份证号 11010519491231002X。</p><script>alert(1)</script>",
                     "topic": "综合政务", "genre": "通知" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let item: Value = res.json().await.expect("json");
    let id = item["id"].as_i64().expect("id");
    assert_eq!(item["doc_no"], "黔江府办发〔2026〕12号");
    assert_eq!(item["org"], QIANJIANG_OFFICE);
    assert_eq!(item["state"], "draft");
    assert!(!item["body"].as_str().expect("body").contains("script"));

    // The public cannot see a draft.
    let res = app.get(&format!("/api/v1/items/{id}")).await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "not_found");

    // 退文: no attribute.
    let res = app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "submission_returned");
    assert_eq!(body["problems"][0]["code"], "no_attribute");

    // With the attribute, the ID number blocks it, with its place.
    let res = app
        .client
        .put(app.url(&format!("/api/v1/items/{id}")))
        .bearer_auth(&editor)
        .json(&json!({ "title": item["title"], "doc_no": item["doc_no"], "body": item["body"], "disclosure_attr": "proactive", "version": item["version"] }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let res = app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "privacy_findings");
    assert_eq!(
        body["findings"],
        json!([{ "kind": "id_number", "field": "body", "start": 12, "end": 30, "text": "11010519491231002X" }])
    );

    // One click masks it; then it goes through.
    let res = app.post_empty(&format!("/api/v1/items/{id}/deidentify"), &editor).await;
    assert_eq!(res.status(), 200);
    assert!(res.json::<Value>().await.expect("json")["body"].as_str().expect("body").contains("110105********002X"));
    let findings: Value =
        app.get_with_token(&format!("/api/v1/items/{id}/privacy"), &editor).await.json().await.expect("json");
    assert_eq!(findings["findings"], json!([]));
    assert_eq!(app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await.status(), 200);

    // Wrong role, wrong state, missing decision.
    let res = app.post_json(&format!("/api/v1/items/{id}/review"), Some(&editor), &json!({ "decision": "pass" })).await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "forbidden_role");
    let res =
        app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "invalid_transition");
    assert_eq!(body["message"], "当前状态为「待审查」，不能审批");
    let res = app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_decision");

    // Review, approval, publication.
    let res = app
        .post_json(
            &format!("/api/v1/items/{id}/review"),
            Some(&reviewer),
            &json!({ "decision": "pass", "comment": "无涉密内容" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            &format!("/api/v1/items/{id}/approve"),
            Some(&approver),
            &json!({ "decision": "pass", "comment": "同意" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.post_empty(&format!("/api/v1/items/{id}/publish"), &editor).await;
    assert_eq!(res.status(), 200);
    let published: Value = res.json().await.expect("json");
    assert_eq!(published["state"], "published");
    let index_no = published["index_no"].as_str().expect("index no");
    assert!(index_no.starts_with(&format!("{QIANJIANG_OFFICE}/")) && index_no.ends_with("-00001"), "{index_no}");

    // The public reads it now, without the staff fields.
    let public: Value = app.get(&format!("/api/v1/items/{id}")).await.json().await.expect("json");
    assert_eq!(public["title"], "关于公布2026年政务公开工作要点的通知");
    assert_eq!(public["index_no"], index_no);
    assert!(public.get("state").is_none() && public.get("withhold_reason").is_none());
    let list: Value = app.get(&format!("/api/v1/items?org={QIANJIANG_OFFICE}")).await.json().await.expect("json");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    let register: Value =
        app.get_with_token(&format!("/api/v1/items/{id}/register"), &approver).await.json().await.expect("json");
    assert_eq!(register[0]["author"], "editor");
    assert_eq!(register[0]["reviewer"], "reviewer");
    assert_eq!(register[0]["approver"], "approver");

    // Withdrawal needs a reason and takes it off the public side.
    let res = app.post_json(&format!("/api/v1/items/{id}/withdraw"), Some(&approver), &json!({})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "reason_required");
    let res =
        app.post_json(&format!("/api/v1/items/{id}/withdraw"), Some(&approver), &json!({ "reason": "附件有误" })).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get(&format!("/api/v1/items/{id}")).await.status(), 404);

    // Bad input answers in the API's format.
    let res = app.post_json("/api/v1/items", Some(&editor), &json!({ "title": "x", "doc_no": "第12号" })).await;
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.expect("json")["message"].as_str().expect("message").contains("发文字号"));
    let res =
        app.post_json("/api/v1/items", Some(&editor), &json!({ "title": "x", "disclosure_attr": "secret" })).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_disclosure_attr");
    let res = app.get("/api/v1/items?page=abc").await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "bad_query");
    let res = app.post_json("/api/v1/items", None, &json!({ "title": "x" })).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn staff_of_another_org_cannot_touch_or_see_drafts() {
    let app = TestApp::spawn().await;
    let editor = app.token_for("editor").await;
    let outsider = app.token_for("wj-admin").await;
    let res = app
        .post_json("/api/v1/items", Some(&editor), &json!({ "title": "内部草稿", "disclosure_attr": "withheld" }))
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let res = app.get_with_token(&format!("/api/v1/items/{id}"), &outsider).await;
    assert_eq!(res.status(), 404, "a draft of another org does not exist for them");
    let res = app.post_empty(&format!("/api/v1/items/{id}/submit"), &outsider).await;
    assert_eq!(res.status(), 403);
    let res = app.get_with_token(&format!("/api/v1/items?org={QIANJIANG_OFFICE}&state=draft"), &outsider).await;
    assert_eq!(res.status(), 403);
    let res = app.get_with_token(&format!("/api/v1/items?org={QIANJIANG_OFFICE}&state=draft"), &editor).await;
    assert_eq!(res.json::<Value>().await.expect("json")["total"], 1);
}

#[tokio::test]
async fn a_justified_privacy_exception_needs_the_reviewers_confirmation() {
    let app = TestApp::spawn().await;
    let editor = app.token_for("editor").await;
    let reviewer = app.token_for("reviewer").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于公布举报电话的公告", "disclosure_attr": "proactive",
                     "body": "<p>举报手机：13800000000</p>", "privacy_exception": "该号码为公开的举报电话，依法应当公开" }),
        )
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    assert_eq!(app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await.status(), 200);
    let res =
        app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "exception_unconfirmed");
    assert_eq!(body["findings"][0]["text"], "13800000000");
    let res = app
        .post_json(
            &format!("/api/v1/items/{id}/review"),
            Some(&reviewer),
            &json!({ "decision": "pass", "confirm_exception": true, "comment": "已核实为公开电话" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "reviewed");
}
