//! Consultations over HTTP: an org opens one on its draft (30 days for a 规章 unless
//! justified), the public comments (masked when shown, contact private, idempotent), staff
//! moderate, the feedback report waits for the period's end and a reason for every group not
//! adopted, is published by a leader other than its drafter, and only then can the final
//! policy be published.

use crate::common;

use common::{TestApp, csrf_in};
use serde_json::{Value, json};

async fn moderate(app: &TestApp, token: &str, cid: i64, body: Value) -> reqwest::Response {
    app.post_json(&format!("/api/v1/consultations/comments/{cid}/moderation"), Some(token), &body).await
}

#[tokio::test]
async fn a_draft_is_consulted_and_its_final_policy_waits_for_the_feedback() {
    let app = TestApp::spawn().await;
    app.set_today("2026-11-02");
    // The final policy, approved and waiting to be published.
    let final_id = app
        .approved_item(
            &json!({ "title": "黔江区城市停车管理办法", "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
        )
        .await;
    let editor = app.token_for("editor").await;

    let open = json!({ "kind": "rule", "title": "关于《黔江区城市停车管理办法（征求意见稿）》公开征求意见的公告",
        "explanation": "为规范停车秩序……", "closes_on": "2026-11-16", "final_item_id": final_id });
    let short = app.post_json("/api/v1/consultations", Some(&editor), &open).await;
    assert_eq!(short.status(), 422, "15 days for a 规章 without a reason");
    let mut open = open;
    open["closes_on"] = json!("2026-12-01");
    let handler = app.token_for("handler").await;
    assert_eq!(app.post_json("/api/v1/consultations", Some(&handler), &open).await.status(), 403);
    let res = app.post_json("/api/v1/consultations", Some(&editor), &open).await;
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.expect("json");
    let id = c["id"].as_i64().expect("id");
    assert_eq!((c["days"].as_i64(), c["stage"].as_str()), (Some(30), Some("open")));

    // The final policy cannot go out while the consultation has no published feedback.
    let blocked = app.post_empty(&format!("/api/v1/items/{final_id}/publish"), &editor).await;
    assert_eq!(blocked.status(), 409);
    assert_eq!(blocked.json::<Value>().await.expect("json")["code"], "feedback_pending");
    app.login("editor").await;
    let page = app.get(&format!("/admin/items/{final_id}")).await.text().await.expect("html");
    assert!(page.contains("意见采纳情况公布前，本文件不能发布"), "the editor is told why");

    // An org's sub-site lists its own consultations only.
    let page = app.get(&format!("/consultations?org={}", common::QIANJIANG_OFFICE)).await.text().await.expect("html");
    assert!(page.contains("重庆市黔江区人民政府办公室 · 意见征集") && page.contains(&format!("/consultations/{id}")));
    let none: Value =
        app.get(&format!("/api/v1/consultations?org={}", common::WUJIN)).await.json().await.expect("json");
    assert_eq!(none, json!([]));
    assert_eq!(app.get("/api/v1/consultations?org=NOSUCHORG").await.status(), 404);

    let feed = app.get("/consultations/feed.atom").await.text().await.expect("atom");
    assert!(feed.contains("黔江区城市停车管理办法") && feed.contains(&format!("/consultations/{id}")));

    // The public comments, by the API and the portal form.
    let comment =
        json!({ "name": "赵六", "contact": "13912345678", "article": "第五条", "body": "建议夜间路侧停车免费。" });
    let first = app
        .client
        .post(app.url(&format!("/api/v1/consultations/{id}/comments")))
        .header("Idempotency-Key", "c-1")
        .json(&comment)
        .send()
        .await
        .expect("send");
    assert_eq!(first.status(), 201);
    let again = app
        .client
        .post(app.url(&format!("/api/v1/consultations/{id}/comments")))
        .header("Idempotency-Key", "c-1")
        .json(&comment)
        .send()
        .await
        .expect("send");
    assert_eq!(again.status(), 200);
    let page = app.get(&format!("/consultations/{id}")).await.text().await.expect("html");
    let csrf = csrf_in(&page);
    let res = app
        .post_form(
            &format!("/consultations/{id}/comments"),
            &[("csrf", &csrf), ("key", "form-1"), ("body", "停车收费标准应公开听证。")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("您的意见已收到"));
    let empty = app
        .post_form(
            &format!("/consultations/{id}/comments"),
            &[("csrf", &csrf), ("key", "form-2"), ("contact", "不告诉你"), ("article", "第九条"), ("body", "")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.expect("html");
    assert!(
        html.contains("意见有 2 处需要修改") && html.contains("id=\"body-err\"") && html.contains("id=\"contact-err\"")
    );
    assert!(html.contains("value=\"第九条\""), "what was typed is kept");

    // Moderation: one accepted, one rejected with its reason (a reason is required).
    let review: Value =
        app.get_with_token(&format!("/api/v1/consultations/{id}/review"), &editor).await.json().await.expect("json");
    let comments = review["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["contact"], "13912345678", "staff see the contact");
    let (a, b) = (comments[0]["id"].as_i64().expect("id"), comments[1]["id"].as_i64().expect("id"));

    assert_eq!(moderate(&app, &editor, a, json!({ "accept": true })).await.status(), 204);
    assert_eq!(moderate(&app, &editor, b, json!({ "accept": false })).await.status(), 422);
    assert_eq!(moderate(&app, &editor, b, json!({ "accept": false, "reason": "与本办法无关" })).await.status(), 204);
    let public: Value = app.get(&format!("/api/v1/consultations/{id}")).await.json().await.expect("json");
    let shown = public["comments"].to_string();
    assert!(shown.contains("赵**") && !shown.contains("13912345678") && !shown.contains("听证"), "{shown}");

    // The feedback: not while open; a reason for what is not adopted; another leader publishes.
    let groups = json!({ "groups": [
        { "summary": "夜间路侧停车免费", "count": 1, "adoption": "partly", "reason": "" }
    ] });
    assert_eq!(
        app.client
            .put(app.url(&format!("/api/v1/consultations/{id}/feedback")))
            .bearer_auth(&editor)
            .json(&groups)
            .send()
            .await
            .expect("send")
            .status(),
        409
    );
    app.set_today("2026-12-02");
    let editor = app.token_for("editor").await;
    let approver = app.token_for("approver").await;
    let res = app
        .client
        .put(app.url(&format!("/api/v1/consultations/{id}/feedback")))
        .bearer_auth(&editor)
        .json(&groups)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "reason_required");
    let groups = json!({ "groups": [
        { "summary": "夜间路侧停车免费", "count": 1, "adoption": "partly", "reason": "22时至次日7时免费，其余时段按标准收费" }
    ], "note": "共收到意见 2 条，收录 1 条。" });
    let res = app
        .client
        .put(app.url(&format!("/api/v1/consultations/{id}/feedback")))
        .bearer_auth(&editor)
        .json(&groups)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let unpublished: Value = app.get(&format!("/api/v1/consultations/{id}")).await.json().await.expect("json");
    assert_eq!(unpublished["feedback"], json!([]), "the public sees the report only once published");
    assert_eq!(app.post_empty(&format!("/api/v1/items/{final_id}/publish"), &editor).await.status(), 409);
    let res = app.post_empty(&format!("/api/v1/consultations/{id}/feedback/publish"), &approver).await;
    assert_eq!(res.status(), 200);
    let page = app.get(&format!("/consultations/{id}")).await.text().await.expect("html");
    assert!(page.contains("意见采纳情况") && page.contains("部分采纳") && page.contains("22时至次日7时免费"));
    assert_eq!(app.post_empty(&format!("/api/v1/items/{final_id}/publish"), &editor).await.status(), 200);

    // Supervision counts it: one closed consultation, its feedback published.
    let login = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&login);
    app.post_form("/login", &[("username", "qj-admin"), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
    let page = app.get("/admin/supervision").await.text().await.expect("html");
    let row = page
        .split("<h2>政民互动</h2>")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .expect("the participation table");
    assert!(row.contains("重庆市黔江区人民政府办公室") && row.contains(">1</a></td>"), "{row}");
    // The figure drills down to the org's consultations.
    let link = row.split("/admin/consultations?org=").nth(1).and_then(|s| s.split('"').next()).expect("a link");
    let page = app.get(&format!("/admin/consultations?org={link}")).await.text().await.expect("html");
    assert!(page.contains("显示一个单位的意见征集") && page.contains(&format!("/admin/consultations/{id}")));
    let list = page.split("<tbody>").nth(1).expect("rows");
    assert!(list.contains(">1</td>"), "the accepted comment counted: {list}");
}

/// A consultation that only warns: the editor is told on the item page that the feedback is not
/// yet published, the final policy goes out, and its publication records the warning.
#[tokio::test]
async fn a_final_policy_of_a_warning_consultation_goes_out_with_the_warning_recorded() {
    let app = TestApp::spawn().await;
    app.set_today("2026-11-02");
    let final_id = app
        .approved_item(
            &json!({ "title": "黔江区公共自行车管理规定", "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
        )
        .await;
    let editor = app.token_for("editor").await;
    let open = json!({ "kind": "normative", "title": "关于公共自行车管理规定（征求意见稿）的公告",
        "explanation": "为方便群众出行……", "closes_on": "2026-12-02", "final_item_id": final_id, "block_final": false });
    let res = app.post_json("/api/v1/consultations", Some(&editor), &open).await;
    assert_eq!(res.status(), 201);

    app.login("editor").await;
    let page = app.get(&format!("/admin/items/{final_id}")).await.text().await.expect("html");
    assert!(page.contains("意见采纳情况尚未公布") && page.contains("此时发布将在发布记录中注明"), "the warning");
    assert!(!page.contains("本文件不能发布"), "warn mode does not block");

    assert_eq!(app.post_empty(&format!("/api/v1/items/{final_id}/publish"), &editor).await.status(), 200);
    let page = app.get(&format!("/admin/items/{final_id}")).await.text().await.expect("html");
    assert!(
        page.contains("提示：《关于公共自行车管理规定（征求意见稿）的公告》的意见采纳情况尚未公布"),
        "the publication records the warning"
    );
}
