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
