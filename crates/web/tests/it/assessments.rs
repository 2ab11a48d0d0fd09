//! 考核 over HTTP: the default scheme scores the orgs from their records (the parts tie out
//! to the figures and the total to the parts); an org with nothing to measure is unranked; a
//! new scheme recomputes at once; an overdue request costs its points; an adjustment needs a
//! reason and moves the total; bad schemes, stale versions and editors are refused; the
//! console page draws the chart and keeps a refused scheme's text.

use crate::common;

use chrono::NaiveDate;
use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use gongkai_core::request::Channel;
use gongkai_store::{AuditCtx, NewRequest};
use serde_json::{Value, json};

fn row<'a>(board: &'a Value, code: &str) -> &'a Value {
    board["rows"].as_array().expect("rows").iter().find(|r| r["org_code"] == code).expect("row")
}

fn part<'a>(row: &'a Value, measure: &str) -> &'a Value {
    row["score"]["parts"].as_array().expect("parts").iter().find(|p| p["measure"] == measure).expect("part")
}

async fn put_scheme(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url("/api/v1/assessments/2026/scheme")).bearer_auth(token).json(body).send().await.expect("put")
}

#[tokio::test]
async fn scores_tie_out_to_the_records_and_follow_the_scheme() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    let (_, res) = app
        .publish_item(
            &json!({ "title": "黔江区2026年第三季度政务公开工作情况", "genre": "工作动态", "topic": "综合政务",
                "disclosure_attr": "proactive", "body": "<p>第三季度共发布信息 120 条。</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let admin = app.token_for("qj-admin").await;
    let res = app.get_with_token("/api/v1/assessments/2026", &admin).await;
    assert_eq!(res.status(), 200);
    let board: Value = res.json().await.expect("json");
    assert_eq!(board["version"], Value::Null, "the default scheme until the office sets one");
    let weights: i64 =
        board["scheme"].as_array().expect("scheme").iter().map(|i| i["weight"].as_i64().expect("w")).sum();
    assert_eq!(weights, 100);

    // The district government published nothing and had no request: unranked, no score.
    let district = row(&board, QIANJIANG);
    assert_eq!((district["rank"].clone(), district["score"]["total"].clone()), (Value::Null, Value::Null), "{board}");
    // The office: the parts are its figures, the total is the parts scaled over what was measured.
    let office = row(&board, QIANJIANG_OFFICE);
    assert_eq!(office["rank"], 1);
    assert_eq!(part(office, "published")["value"], 1.0);
    assert_eq!(part(office, "requests_overdue")["value"], 0.0);
    assert_eq!(part(office, "requests_overdue")["points"], 10.0);
    assert_eq!(part(office, "requests_on_time")["value"], Value::Null, "no request replied: not measured");
    assert_eq!(
        part(office, "report_on_time")["value"],
        0.0,
        "the 2025 report was due on 31 January and is not published"
    );
    let parts = office["score"]["parts"].as_array().expect("parts");
    let got: f64 = parts.iter().filter_map(|p| p["points"].as_f64()).sum();
    let measured: f64 = parts.iter().filter(|p| !p["points"].is_null()).map(|p| p["weight"].as_f64().expect("w")).sum();
    let total = office["score"]["total"].as_f64().expect("total");
    assert!((total - (got / measured * 100.0 * 100.0).round() / 100.0).abs() < 0.011, "{total} vs {got}/{measured}");

    // A new scheme recomputes at once.
    let scheme = json!({ "indicators": [
        { "measure": "published", "weight": 50, "scoring": { "kind": "linear", "zero": 0.0, "full": 1.0 } },
        { "measure": "requests_overdue", "weight": 50, "scoring": { "kind": "deduct", "per_case": 10.0 } },
    ]});
    let res = put_scheme(&app, &admin, &scheme).await;
    assert_eq!(res.status(), 200);
    let board: Value = res.json().await.expect("json");
    assert_eq!(board["version"], 1);
    assert_eq!(row(&board, QIANJIANG_OFFICE)["score"]["total"], 100.0);

    // A request long overdue costs 10 of the 50 points.
    let office_org = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    let old = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let request = NewRequest {
        channel: Channel::InPerson,
        idempotency_key: Some("overdue".into()),
        ..gongkai_testkit::requests::new_request(office_org.id, old)
    };
    app.store.file_request(&AuditCtx::system(), request).await.expect("file");
    let board: Value = app.get_with_token("/api/v1/assessments/2026", &admin).await.json().await.expect("json");
    assert_eq!(row(&board, QIANJIANG_OFFICE)["score"]["total"], 90.0, "{board}");
    assert_eq!(row(&board, QIANJIANG)["rank"], Value::Null);

    // Refused: weights not summing to 100, a stale version, an editor.
    let mut bad = scheme.clone();
    bad["indicators"][0]["weight"] = json!(40);
    bad["version"] = json!(1);
    let res = put_scheme(&app, &admin, &bad).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "scheme_weights");
    let mut stale = scheme.clone();
    stale["version"] = json!(7);
    assert_eq!(put_scheme(&app, &admin, &stale).await.status(), 409);
    let editor = app.token_for("editor").await;
    assert_eq!(put_scheme(&app, &editor, &scheme).await.status(), 403);
    assert_eq!(app.get_with_token("/api/v1/assessments/2026", &editor).await.status(), 403);

    // An adjustment needs a reason; it moves the total.
    let res = app
        .post_json(
            "/api/v1/assessments/2026/adjustments",
            Some(&admin),
            &json!({ "org": QIANJIANG_OFFICE, "points": -5, "reason": " " }),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post_json(
            "/api/v1/assessments/2026/adjustments",
            Some(&admin),
            &json!({ "org": QIANJIANG_OFFICE, "points": -5, "reason": "第三季度抽查发现 2 条信息未按规定标注有效性" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let board: Value = app.get_with_token("/api/v1/assessments/2026", &admin).await.json().await.expect("json");
    let office = row(&board, QIANJIANG_OFFICE);
    assert_eq!((office["score"]["computed"].as_f64(), office["score"]["total"].as_f64()), (Some(90.0), Some(85.0)));
    assert_eq!(board["adjustments"][0]["reason"], "第三季度抽查发现 2 条信息未按规定标注有效性");

    // The console: the chart and the table; a refused scheme keeps its text.
    let csrf = app.login("qj-admin").await;
    let html = app.get("/admin/assessment?year=2026").await.text().await.expect("html");
    assert!(html.contains("<svg class=\"chart\"") && html.contains("85.00") && html.contains("无可考核数据"), "{html}");
    let typed = "主动公开信息发布数量 | 60 | 线性 0 1\n依申请公开逾期件数 | 30 | 扣分 10\n";
    let res = app
        .post_form(
            "/admin/assessment/scheme",
            &[("csrf", &csrf), ("year", "2026"), ("version", "1"), ("scheme", typed)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("权重之和应为 100 分，现为 90 分") && html.contains("扣分 10"), "{html}");
    let typed = "主动公开信息发布数量 | 70 | 线性 0 1\n依申请公开逾期件数 | 30 | 扣分 10\n";
    let res = app
        .post_form(
            "/admin/assessment/scheme",
            &[("csrf", &csrf), ("year", "2026"), ("version", "1"), ("scheme", typed)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let board: Value = app.get_with_token("/api/v1/assessments/2026", &admin).await.json().await.expect("json");
    // 70 + 30 - 10 = 90 of 100, less the 5 adjusted.
    assert_eq!(row(&board, QIANJIANG_OFFICE)["score"]["total"], 85.0, "{board}");
    let _ = csrf_in(&html);

    // The 通报: a page, a DOCX and an XLSX with the ranking and the adjustment's reason.
    let page = app.get("/admin/assessment/bulletin?year=2026").await.text().await.expect("html");
    assert!(page.contains("关于2026年度政务公开工作考核结果的通报") && page.contains("无可考核数据"), "{page}");
    let docx = app.get("/admin/assessment/bulletin?year=2026&format=docx").await;
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(docx.bytes().await.expect("bytes").to_vec())).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document"), &mut xml).expect("read");
    assert!(
        xml.contains("重庆市黔江区人民政府办公室") && xml.contains("85.00") && xml.contains("信息未按规定标注有效性"),
        "{xml}"
    );
    let xlsx = app.get_with_token("/api/v1/assessments/2026/bulletin?format=xlsx", &admin).await;
    assert_eq!(xlsx.status(), 200);
    let cells = gongkai_formats::tables::xlsx_cells(&xlsx.bytes().await.expect("bytes")).expect("xlsx");
    assert_eq!(cells[1][..3], ["1".to_string(), "重庆市黔江区人民政府办公室".to_string(), "85.00".to_string()]);
    assert_eq!(app.get_with_token("/api/v1/assessments/2026/bulletin?format=pdf", &admin).await.status(), 422);
}

#[tokio::test]
async fn the_monthly_trend_counts_each_month_of_the_tree_or_one_org() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-04");
    app.publish_notice("关于做好岁末年初安全生产工作的通知").await;
    let office_org = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    let june = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let request = NewRequest {
        idempotency_key: Some("june".into()),
        ..gongkai_testkit::requests::new_request(office_org.id, june)
    };
    app.store.file_request(&AuditCtx::system(), request).await.expect("file");
    let admin = app.token_for("qj-admin").await;

    let tree: Value = app.get_with_token("/api/v1/assessments/2026/trend", &admin).await.json().await.expect("json");
    let months = tree["months"].as_array().expect("months");
    assert_eq!(months.len(), 12, "January to this December");
    assert_eq!((months[11]["published"].as_i64(), months[5]["received"].as_i64()), (Some(1), Some(1)), "{tree}");
    assert_eq!(months[0]["published"], 0);
    assert_eq!(tree["tree"], true);
    let gov: Value = app
        .get_with_token(&format!("/api/v1/assessments/2026/trend?org={QIANJIANG}"), &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(gov["tree"], true, "the office's own code is its whole tree");
    let office: Value = app
        .get_with_token(&format!("/api/v1/assessments/2026/trend?org={QIANJIANG_OFFICE}"), &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!((office["tree"].as_bool(), office["months"][11]["published"].as_i64()), (Some(false), Some(1)));
    let last: Value = app.get_with_token("/api/v1/assessments/2025/trend", &admin).await.json().await.expect("json");
    assert_eq!(last["months"].as_array().map(Vec::len), Some(12));
    assert!(last["months"].as_array().expect("months").iter().all(|m| m["published"] == 0 && m["received"] == 0));
    let editor = app.token_for("editor").await;
    assert_eq!(app.get_with_token("/api/v1/assessments/2026/trend", &editor).await.status(), 403);

    // Boards of a period: the quarter's publications only; a quarter to come is refused.
    let q4: Value = app.get_with_token("/api/v1/assessments/2026?period=q4", &admin).await.json().await.expect("json");
    assert_eq!((q4["period"].as_str(), q4["period_label"].as_str()), (Some("q4"), Some("2026年第四季度")));
    assert_eq!(part(row(&q4, QIANJIANG_OFFICE), "published")["value"], 1.0);
    let q1: Value = app.get_with_token("/api/v1/assessments/2026?period=q1", &admin).await.json().await.expect("json");
    assert_eq!(part(row(&q1, QIANJIANG_OFFICE), "published")["value"], 0.0, "nothing published in the first quarter");
    let res = app.get_with_token("/api/v1/assessments/2026?period=q9", &admin).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_period");
    app.set_today("2026-03-15");
    let admin = app.token_for("qj-admin").await;
    let res = app.get_with_token("/api/v1/assessments/2026?period=h2", &admin).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "period_not_begun");
    app.set_today("2026-12-04");

    app.login("qj-admin").await;
    let bulletin = app.get("/admin/assessment/bulletin?year=2026&period=q4").await.text().await.expect("html");
    assert!(bulletin.contains("关于2026年第四季度政务公开工作考核结果的通报"));
    let page = app.get(&format!("/admin/assessment?trend={QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(
        page.contains("月度趋势") && !page.contains("<polyline") && page.contains("12月"),
        "no request concluded: no line"
    );
    assert!(
        page.contains("<th scope=\"row\">6 月</th><td class=\"num\">0</td><td class=\"num\">1</td>"),
        "the table beside the chart"
    );
}

#[tokio::test]
async fn a_manual_indicator_is_scored_by_the_office_with_its_evidence() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-04");
    app.publish_notice("关于印发政务公开工作要点的通知").await;
    let admin = app.token_for("qj-admin").await;
    let score = |name: &str, value: f64, evidence: &str| json!({ "name": name, "org": QIANJIANG_OFFICE, "value": value, "evidence": evidence });
    let res = app
        .post_json("/api/v1/assessments/2026/manual-scores", Some(&admin), &score("组织领导", 80.0, "会议纪要"))
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "manual_indicator", "not in the default scheme");

    // The scheme typed in the console with a manual line; it reads back the same way.
    app.login("qj-admin").await;
    let page = app.get("/admin/assessment").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    let text = "人工：组织领导 | 60 | 线性 0% 100%\n主动公开信息发布数量 | 40 | 线性 0 1\n";
    let res = app.post_form("/admin/assessment/scheme", &[("csrf", &csrf), ("year", "2026"), ("scheme", text)]).await;
    assert_eq!(res.status(), 303);
    let page = app.get("/admin/assessment?year=2026").await.text().await.expect("html");
    assert!(page.contains("人工：组织领导 | 60 | 线性 0% 100%"), "the scheme's text keeps the manual line");
    assert!(page.contains("人工评分") && page.contains("组织领导（60分）"));

    // Scored without evidence, out of range: refused; then scored, and the total follows.
    let res =
        app.post_json("/api/v1/assessments/2026/manual-scores", Some(&admin), &score("组织领导", 80.0, " ")).await;
    assert_eq!(res.status(), 422);
    let res =
        app.post_json("/api/v1/assessments/2026/manual-scores", Some(&admin), &score("组织领导", 180.0, "x")).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "manual_value");
    let editor = app.token_for("editor").await;
    let res =
        app.post_json("/api/v1/assessments/2026/manual-scores", Some(&editor), &score("组织领导", 80.0, "x")).await;
    assert_eq!(res.status(), 403);
    let res = app
        .post_json(
            "/api/v1/assessments/2026/manual-scores",
            Some(&admin),
            &score("组织领导", 50.0, "主要负责人听取汇报"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let board: Value = res.json().await.expect("json");
    let office = row(&board, QIANJIANG_OFFICE);
    assert_eq!(part(office, "manual")["points"], 30.0, "half of 60");
    assert_eq!(office["score"]["total"], 70.0, "30 + the 40 of one publication");
    assert_eq!(board["manual_scores"][0]["evidence"], "主要负责人听取汇报");

    // Scored again in the console: replaced.
    let csrf = csrf_in(&page);
    let res = app
        .post_form(
            "/admin/assessment/manual",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("name", "组织领导"),
                ("org", QIANJIANG_OFFICE),
                ("value", "100"),
                ("evidence", "补充材料后复核"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let board: Value = app.get_with_token("/api/v1/assessments/2026", &admin).await.json().await.expect("json");
    assert_eq!(row(&board, QIANJIANG_OFFICE)["score"]["total"], 100.0);
    assert_eq!(board["manual_scores"].as_array().map(Vec::len), Some(1));
    let page = app.get("/admin/assessment?year=2026").await.text().await.expect("html");
    assert!(page.contains("补充材料后复核") && page.contains("100%"));

    // The 通报 made a draft of the office's own org, once a year, for the usual review.
    let bulletin = app.get("/admin/assessment/bulletin?year=2026").await.text().await.expect("html");
    let csrf = csrf_in(&bulletin);
    let res = app.post_form("/admin/assessment/bulletin/draft", &[("csrf", &csrf), ("year", "2026")]).await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().expect("location").to_string();
    let again = app.post_form("/admin/assessment/bulletin/draft", &[("csrf", &csrf), ("year", "2026")]).await;
    assert_eq!(again.headers()["location"].to_str().expect("location"), to, "one draft a year");
    let id: i64 = to.trim_start_matches("/admin/items/").parse().expect("item id");
    let item = app.store.item(id).await.expect("read").expect("item");
    assert_eq!((item.title.as_str(), item.genre.as_str()), ("关于2026年度政务公开工作考核结果的通报", "通报"));
    assert!(item.body.contains("<table>") && item.body.contains("重庆市黔江区人民政府办公室"), "{}", item.body);
    assert_eq!(item.state.0, gongkai_core::item::ItemState::Draft);
    let res = app.post_form("/admin/assessment/bulletin/draft", &[("csrf", "x"), ("year", "2026")]).await;
    assert_eq!(res.status(), 403, "CSRF");
}
