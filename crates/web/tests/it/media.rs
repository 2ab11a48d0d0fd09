//! 政务新媒体 and training over HTTP: an account registered by the org's editor (not by
//! another org's), updated, an item recorded as republished on it; the self-check warns of it
//! near the two-week rule and fails it past; an update clears it; closing ends it and the
//! public page no longer lists it. A training with attendees raises its org's coverage; a
//! hearing is recorded; the dashboard's year milestones; the console pages and forms.

use crate::common;

use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

fn media_findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "media_stale")
        .map(|f| {
            (f["severity"].as_str().unwrap_or_default().to_string(), f["href"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

async fn site_check(app: &TestApp, token: &str) -> Value {
    let res = app.post_json("/api/v1/site-check/runs", Some(token), &json!({})).await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json")
}

#[tokio::test]
async fn an_account_is_kept_fresh_by_its_updates_and_ends_when_closed() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-01");
    let editor = app.token_for("editor").await;
    let admin = app.token_for("qj-admin").await;
    let new = json!({ "org": QIANJIANG_OFFICE, "platform": "wechat", "name": "黔江政务", "handle": "qjzw",
        "operator": "区政府办公室综合科", "review": "科室负责人复审、分管领导终审", "opened_on": "2020-05-01" });
    let res = app.post_json("/api/v1/media-accounts", Some(&editor), &new).await;
    assert_eq!(res.status(), 201);
    let page: Value = res.json().await.expect("json");
    let id = page["account"]["id"].as_i64().expect("id");
    assert_eq!(page["account"]["platform_label"], "微信公众号");
    // No update yet: due two weeks after it opened, long past.
    assert_eq!(page["account"]["freshness"], "stale");

    // Bad input: a clear Chinese message and a code; another org's staff are refused.
    let no_review = json!({ "org": QIANJIANG_OFFICE, "platform": "weibo", "name": "x", "operator": "y", "review": "" });
    let res = app.post_json("/api/v1/media-accounts", Some(&editor), &no_review).await;
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.expect("json")["message"].as_str().unwrap_or_default().contains("审核机制"));
    let bad_platform =
        json!({ "org": QIANJIANG_OFFICE, "platform": "myspace", "name": "x", "operator": "y", "review": "z" });
    let res = app.post_json("/api/v1/media-accounts", Some(&editor), &bad_platform).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_platform");
    let on_gov = json!({ "org": QIANJIANG, "platform": "wechat", "name": "x", "operator": "y", "review": "z" });
    assert_eq!(app.post_json("/api/v1/media-accounts", Some(&editor), &on_gov).await.status(), 403);

    // An update on 11-20: fresh on 12-01 (due 12-04, within the warning: 3 days left).
    let up = json!({ "posted_on": "2026-11-20", "title": "冬季供暖便民提示" });
    assert_eq!(app.post_json(&format!("/api/v1/media-accounts/{id}/updates"), Some(&editor), &up).await.status(), 201);
    let future = json!({ "posted_on": "2026-12-02" });
    assert_eq!(
        app.post_json(&format!("/api/v1/media-accounts/{id}/updates"), Some(&editor), &future).await.status(),
        422
    );
    let report = site_check(&app, &admin).await;
    assert_eq!(media_findings(&report), [("warn".to_string(), format!("/admin/media/{id}"))]);
    app.set_today("2026-12-05");
    // Sessions idle for days have ended: sign in again.
    let (admin, editor) = (app.token_for("qj-admin").await, app.token_for("editor").await);
    let report = site_check(&app, &admin).await;
    assert_eq!(media_findings(&report), [("veto".to_string(), format!("/admin/media/{id}"))]);

    // An item republished on it clears the risk and shows on the item's console page.
    let item_id = app.publish_notice("关于2027年元旦假期安排的通知").await;
    let cookie_page = {
        app.login("editor").await;
        app.get(&format!("/admin/items/{item_id}")).await.text().await.expect("html")
    };
    assert!(cookie_page.contains("政务新媒体转发") && cookie_page.contains("微信公众号「黔江政务」"));
    let csrf = csrf_in(&cookie_page);
    let id_s = id.to_string();
    let res = app
        .post_form(
            &format!("/admin/items/{item_id}/republications"),
            &[("csrf", &csrf), ("account", &id_s), ("posted_on", "2026-12-05"), ("url", "")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let after = app.get(&format!("/admin/items/{item_id}")).await.text().await.expect("html");
    assert!(after.contains("2026-12-05 转发至微信公众号「黔江政务」"), "the item lists where it went");
    assert!(media_findings(&site_check(&app, &admin).await).is_empty(), "an update clears the risk");
    let one: Value =
        app.get_with_token(&format!("/api/v1/media-accounts/{id}"), &editor).await.json().await.expect("json");
    assert_eq!(
        (one["account"]["last_update"].as_str(), one["updates"][0]["item_id"].as_i64()),
        (Some("2026-12-05"), Some(item_id))
    );

    // The public directory lists it until it is closed; a closed account takes no update.
    let public = app.get("/media").await.text().await.expect("html");
    assert!(public.contains("黔江政务") && public.contains("区政府办公室综合科"));
    let end = json!({ "how": "close", "reason": "" });
    assert_eq!(app.post_json(&format!("/api/v1/media-accounts/{id}/ending"), Some(&editor), &end).await.status(), 422);
    let end = json!({ "how": "close", "reason": "整合到区政府门户网站发布" });
    let res = app.post_json(&format!("/api/v1/media-accounts/{id}/ending"), Some(&editor), &end).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["account"]["state_label"], "已关停");
    assert_eq!(app.post_json(&format!("/api/v1/media-accounts/{id}/updates"), Some(&editor), &up).await.status(), 409);
    assert!(!app.get("/media").await.text().await.expect("html").contains("黔江政务"));
    assert!(media_findings(&site_check(&app, &admin).await).is_empty(), "a closed account is not checked");

    // The console: list, account page, a form refused with its message kept on the page.
    let list = app.get("/admin/media").await.text().await.expect("html");
    assert!(list.contains("微信公众号「黔江政务」") && list.contains("已关停"));
    let csrf = csrf_in(&list);
    let res = app
        .post_form(
            "/admin/media",
            &[
                ("csrf", &csrf),
                ("org", QIANJIANG_OFFICE),
                ("platform", "douyin"),
                ("name", "黔江办"),
                ("operator", ""),
                ("review", "三审"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("运营单位"));
    let res = app
        .post_form(
            "/admin/media",
            &[
                ("csrf", &csrf),
                ("org", QIANJIANG_OFFICE),
                ("platform", "douyin"),
                ("name", "黔江办"),
                ("operator", "综合科"),
                ("review", "三审"),
                ("opened_on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().expect("location").to_string();
    let page = app.get(&to).await.text().await.expect("html");
    assert!(page.contains("抖音「黔江办」") && page.contains("应于 2026-12-15 前再次更新"));
    let res = app.post_form(&format!("{to}/updates"), &[("csrf", "wrong"), ("posted_on", "2026-12-05")]).await;
    assert_eq!(res.status(), 403, "CSRF");
}

#[tokio::test]
async fn trainings_raise_coverage_and_hearings_are_recorded() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-04");
    let admin = app.token_for("qj-admin").await;
    let editor = app.token_for("editor").await;
    let coverage = |v: &Value, code: &str| -> (i64, i64, Option<i64>) {
        let row = v.as_array().expect("rows").iter().find(|r| r["org_code"] == code).expect("org row").clone();
        (row["staff"].as_i64().unwrap_or(-1), row["trained"].as_i64().unwrap_or(-1), row["percent"].as_i64())
    };
    let before: Value =
        app.get_with_token("/api/v1/trainings/coverage?year=2026", &admin).await.json().await.expect("json");
    assert_eq!(coverage(&before, QIANJIANG_OFFICE), (5, 0, Some(0)), "the office's five working staff, none trained");

    let session = json!({ "org": QIANJIANG, "kind": "training", "held_on": "2026-06-18", "topic": "条例解读与依申请公开实务",
        "hours": 4, "lecturer": "区政务公开办", "attendees": ["editor", "reviewer", "handler"], "others": 20 });
    assert_eq!(
        app.post_json("/api/v1/trainings", Some(&editor), &session).await.status(),
        403,
        "an editor records its own org only"
    );
    let res = app.post_json("/api/v1/trainings", Some(&admin), &session).await;
    assert_eq!(res.status(), 201);
    let page: Value = res.json().await.expect("json");
    assert_eq!(page["attendees"].as_array().map(Vec::len), Some(3));
    let unknown =
        json!({ "org": QIANJIANG, "kind": "training", "held_on": "2026-06-18", "topic": "x", "attendees": ["nobody"] });
    let res = app.post_json("/api/v1/trainings", Some(&admin), &unknown).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "unknown_attendee");
    let future = json!({ "org": QIANJIANG, "kind": "training", "held_on": "2026-12-05", "topic": "x", "others": 3 });
    assert_eq!(app.post_json("/api/v1/trainings", Some(&admin), &future).await.status(), 422);

    let after: Value =
        app.get_with_token("/api/v1/trainings/coverage?year=2026", &admin).await.json().await.expect("json");
    assert_eq!(coverage(&after, QIANJIANG_OFFICE), (5, 3, Some(60)));
    let last_year: Value =
        app.get_with_token("/api/v1/trainings/coverage?year=2025", &admin).await.json().await.expect("json");
    assert_eq!(coverage(&last_year, QIANJIANG_OFFICE).1, 0, "coverage is per year");

    // Coverage is an indicator the office may weigh in its 考核 scheme.
    app.publish_notice("关于开展政务公开培训的通知").await;
    let scheme = json!({ "indicators": [
        { "measure": "training_coverage", "weight": 100, "scoring": { "kind": "linear", "zero": 0.0, "full": 1.0 } },
    ]});
    let res = app
        .client
        .put(app.url("/api/v1/assessments/2026/scheme"))
        .bearer_auth(&admin)
        .json(&scheme)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 200);
    let board: Value = res.json().await.expect("json");
    let office =
        board["rows"].as_array().expect("rows").iter().find(|r| r["org_code"] == QIANJIANG_OFFICE).expect("office row");
    assert_eq!(office["score"]["total"], 60.0, "three of five trained: {office}");

    // The dashboard's milestones: the hearing and the training due by 31 December.
    app.login("editor").await;
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("年度工作节点") && dash.contains("主要负责人听取本年度政务公开工作汇报"), "{dash}");
    assert!(dash.contains("本年度政务公开工作人员培训全覆盖"));

    // The editor records the office's hearing in the console; the milestone goes.
    let list = app.get("/admin/trainings").await.text().await.expect("html");
    assert!(list.contains("条例解读与依申请公开实务") && list.contains("60%"));
    let csrf = csrf_in(&list);
    let res = app
        .post_form(
            "/admin/trainings",
            &[
                ("csrf", &csrf),
                ("kind", "hearing"),
                ("org", QIANJIANG_OFFICE),
                ("held_on", "2026-11-28"),
                ("topic", "主任办公会听取政务公开工作汇报"),
                ("hours", "0"),
                ("others", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().expect("location").to_string();
    assert!(app.get(&to).await.text().await.expect("html").contains("主任办公会听取政务公开工作汇报"));
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(!dash.contains("主要负责人听取本年度政务公开工作汇报"), "recorded, no longer due");
    let res = app
        .post_form(
            "/admin/trainings",
            &[("csrf", &csrf), ("kind", "training"), ("org", QIANJIANG_OFFICE), ("held_on", ""), ("topic", "x")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("请填写举办日期"));
}
