//! 抽查 and 整改 over HTTP: the office draws a spot check whose sample is reproducible from
//! its recorded seed; a problem gets a deadline; the org answers, the office returns and then
//! accepts; an overdue 整改 reaches the office's dashboard and an open one the org's; who may
//! take which step; the console pages.

use crate::common;

use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

async fn step(app: &TestApp, token: &str, id: i64, position: i64, body: Value) -> reqwest::Response {
    app.post_json(&format!("/api/v1/spot-checks/{id}/records/{position}"), Some(token), &body).await
}

#[tokio::test]
async fn a_spot_check_is_reproducible_and_its_rectification_followed_through() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    for title in ["关于做好冬季安全生产工作的通知", "黔江区2026年11月空气质量状况", "关于调整城区公交线路的公告"]
    {
        app.publish_notice(title).await;
    }
    let admin = app.token_for("qj-admin").await;
    let editor = app.token_for("editor").await;
    let new = json!({ "org": QIANJIANG_OFFICE, "kind": "items", "size": 2, "note": "2026年第四季度抽查" });
    assert_eq!(
        app.post_json("/api/v1/spot-checks", Some(&editor), &new).await.status(),
        403,
        "an editor draws no check"
    );
    let bad = app
        .post_json("/api/v1/spot-checks", Some(&admin), &json!({ "org": QIANJIANG_OFFICE, "kind": "items", "size": 0 }))
        .await;
    assert_eq!(bad.status(), 422);
    let bad = app
        .post_json("/api/v1/spot-checks", Some(&admin), &json!({ "org": QIANJIANG_OFFICE, "kind": "votes", "size": 2 }))
        .await;
    assert_eq!(bad.json::<Value>().await.expect("json")["code"], "invalid_kind");
    let res = app.post_json("/api/v1/spot-checks", Some(&admin), &new).await;
    assert_eq!(res.status(), 201);
    let check: Value = res.json().await.expect("json");
    let id = check["id"].as_i64().expect("id");
    assert_eq!((check["population"].as_i64(), check["records"].as_array().map(Vec::len)), (Some(3), Some(2)));
    assert_eq!(check["replayed"], true);

    // Anyone with the seed and the population draws the same records.
    let (stored, records) = app.store.spot_check(id).await.expect("read").expect("stored");
    let seed: u64 = check["seed"].as_str().expect("seed").parse().expect("u64");
    let again = gongkai_core::spot_check::sample(seed, &stored.population_ids(), 2);
    assert_eq!(again, records.iter().map(|r| r.record_id).collect::<Vec<_>>());

    // A problem needs its note and deadline; the other record is fine.
    let res = step(&app, &admin, id, 0, json!({ "step": "find", "problem": true, "note": "未标注有效性" })).await;
    assert_eq!(res.status(), 422);
    let res = step(
        &app,
        &admin,
        id,
        0,
        json!({ "step": "find", "problem": true, "note": "未标注有效性", "due_on": "2026-12-17" }),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(step(&app, &admin, id, 1, json!({ "step": "find", "problem": false })).await.status(), 200);
    assert_eq!(
        step(&app, &editor, id, 1, json!({ "step": "find", "problem": true, "note": "x", "due_on": "2026-12-31" }))
            .await
            .status(),
        403
    );
    let dash = {
        app.login("editor").await;
        app.get("/admin").await.text().await.expect("html")
    };
    assert!(dash.contains("抽查整改：待本单位整改"), "the org sees what it owes");

    // The org answers; the office may not answer for it; the office returns it.
    assert_eq!(step(&app, &admin, id, 0, json!({ "step": "answer", "text": "已补" })).await.status(), 403);
    assert_eq!(step(&app, &editor, id, 0, json!({ "step": "answer", "text": " " })).await.status(), 422);
    assert_eq!(step(&app, &editor, id, 0, json!({ "step": "answer", "text": "已补充有效性标注" })).await.status(), 200);
    assert_eq!(
        step(&app, &editor, id, 0, json!({ "step": "accept" })).await.status(),
        403,
        "the org does not accept its own"
    );
    let res = step(&app, &admin, id, 0, json!({ "step": "return" })).await;
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["records"][0]["state"], "open");

    // Past the deadline it is overdue, to the office.
    app.set_today("2026-12-18");
    // Sessions made two weeks ago have lapsed: sign in again.
    let admin = app.token_for("qj-admin").await;
    let editor = app.token_for("editor").await;
    let v: Value = app.get_with_token(&format!("/api/v1/spot-checks/{id}"), &admin).await.json().await.expect("json");
    assert_eq!((v["overdue"].as_i64(), v["records"][0]["overdue"].as_bool()), (Some(1), Some(true)));
    app.login("qj-admin").await;
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("抽查整改：逾期未整改"), "the office sees the overdue 整改");
    assert_eq!(
        step(&app, &editor, id, 0, json!({ "step": "answer", "text": "已补充有效性标注并重新发布" })).await.status(),
        200
    );
    let v: Value = step(&app, &admin, id, 0, json!({ "step": "accept" })).await.json().await.expect("json");
    assert_eq!((v["records"][0]["state"].as_str(), v["open"].as_i64()), (Some("accepted"), Some(0)));
    assert_eq!(step(&app, &admin, id, 0, json!({ "step": "accept" })).await.status(), 409, "accepted stays accepted");

    // The console: the list and the check, with the seed and the replay.
    let csrf = app.login("qj-admin").await;
    let list = app.get("/admin/spot-checks").await.text().await.expect("html");
    assert!(list.contains("2026年第四季度抽查") && list.contains("随机抽取"), "{list}");
    let page = app.get(&format!("/admin/spot-checks/{id}")).await.text().await.expect("html");
    assert!(
        page.contains(&check["seed"].as_str().expect("seed").to_string()) && page.contains("按种子重新抽取，结果一致")
    );
    let res = app
        .post_form(
            "/admin/spot-checks",
            &[("csrf", &csrf), ("org", QIANJIANG_OFFICE), ("kind", "letters"), ("size", "3")],
        )
        .await;
    assert_eq!(res.status(), 422, "no letters to draw from");
    assert!(res.text().await.expect("html").contains("没有可抽查的留言办理"));
    let _ = csrf_in(&page);
}

#[tokio::test]
async fn a_round_of_checks_draws_each_org_from_its_own_seed() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    for title in ["关于做好冬季安全生产工作的通知", "黔江区2026年11月空气质量状况"] {
        app.publish_notice(title).await;
    }
    let admin = app.token_for("qj-admin").await;
    let round =
        json!({ "orgs": [QIANJIANG_OFFICE, QIANJIANG], "kind": "items", "size": 1, "note": "第四季度全区抽查" });
    let res = app.post_json("/api/v1/spot-checks/batch", Some(&admin), &round).await;
    assert_eq!(res.status(), 201);
    let out: Value = res.json().await.expect("json");
    assert_eq!(out["checks"].as_array().map(Vec::len), Some(1), "the government has no items: {out}");
    assert_eq!(out["skipped"][0], "重庆市黔江区人民政府");
    assert_eq!(out["checks"][0]["org_code"], QIANJIANG_OFFICE);
    let outside = json!({ "orgs": [QIANJIANG_OFFICE, "11320412014155302Q"], "kind": "items", "size": 1 });
    let res = app.post_json("/api/v1/spot-checks/batch", Some(&admin), &outside).await;
    assert_eq!(res.status(), 403, "every org within the office, or nothing is drawn");
    assert_eq!(
        app.store
            .spot_checks_of(&[app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("o").id])
            .await
            .expect("checks")
            .len(),
        1
    );
    let none = json!({ "orgs": [], "kind": "items", "size": 1 });
    assert_eq!(app.post_json("/api/v1/spot-checks/batch", Some(&admin), &none).await.status(), 422);

    // The console's checkboxes: two orgs ticked, one drawn, the other named.
    let csrf = app.login("qj-admin").await;
    let res = app
        .post_form(
            "/admin/spot-checks",
            &[("csrf", &csrf), ("orgs", QIANJIANG_OFFICE), ("orgs", QIANJIANG), ("kind", "items"), ("size", "1")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("已对 1 个单位各抽取一次") && html.contains("未抽取：重庆市黔江区人民政府"), "{html}");
}
