//! Annual reports over HTTP: the draft for staff only, approval refused with the problems
//! listed, approval and publication by an approver, the published report for everyone as
//! JSON in the template's shape, Markdown, XLSX (read back) and a portal page; the console
//! editor with CSRF on its forms.

use crate::common;

use calamine::{Reader, Xlsx};
use chrono::Datelike;
use common::{PASSWORD, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

fn filing() -> Value {
    json!({ "applicant_type": "legal_service", "name": "重庆某律师事务所", "credit_code": "11500114009130039C",
            "legal_rep": "李四", "contact_person": "王五",
            "phone": "13800000000", "email": "law@example.com", "address": "重庆市黔江区某路1号",
            "description": "2025年黔江区城市道路改造项目的立项批复文件", "org": QIANJIANG_OFFICE, "form": "电子邮件" })
}

#[tokio::test]
async fn a_report_is_drafted_refused_approved_published_and_read_in_every_format() {
    let app = TestApp::spawn().await;
    let year = gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now()).year();
    let path = format!("/api/v1/orgs/{QIANJIANG_OFFICE}/reports/{year}");
    assert_eq!(app.get(&path).await.status(), 404, "nothing published yet");

    // One request this year, replied.
    let res = app.post_json("/api/v1/requests", None, &filing()).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
    let tracking = res.json::<Value>().await.expect("json")["tracking_no"].as_str().expect("no").to_string();
    let handler = app.token_for("handler").await;
    let res = app
        .post_json(&format!("/api/v1/requests/{tracking}/reply"), Some(&handler), &json!({ "outcome": "disclosed" }))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());

    // The editor sees the draft computed live, in the template's shape.
    let editor = app.token_for("editor").await;
    let draft: Value = app.get_with_token(&path, &editor).await.json().await.expect("json");
    assert_eq!(draft["state"], "none");
    let t = &draft["report"]["requests"];
    assert_eq!(t["columns"].as_array().map(Vec::len), Some(7));
    assert_eq!(t["rows"].as_array().map(Vec::len), Some(25));
    assert_eq!(t["rows"][0]["label"], "一、本年新收政府信息公开申请数量");
    assert_eq!(t["rows"][0]["values"], json!([0, 0, 0, 0, 1, 0, 1]), "法律服务机构");
    assert_eq!(t["rows"][2]["values"][6], 1, "（一）予以公开");
    assert_eq!(t["rows"][23]["label"], "（七）总计");
    let codes: Vec<&str> =
        draft["problems"].as_array().expect("problems").iter().filter_map(|p| p["code"].as_str()).collect();
    assert!(codes.contains(&"report.overview_missing"), "{codes:?}");
    assert_eq!(draft["due_on"], format!("{}-01-31", year + 1), "a department reports by 31 January");

    // Save without the entered figures: approval is refused with the problems.
    let put = |body: Value| {
        let app = &app;
        let editor = editor.clone();
        let path = path.clone();
        async move { app.client.put(app.url(&path)).bearer_auth(editor).json(&body).send().await.expect("put") }
    };
    let res = put(json!({ "overview": "（一）主动公开\n本年度共主动公开政府信息……", "problems": "一是……" })).await;
    assert_eq!(res.status(), 200);
    let approver = app.token_for("approver").await;
    let res = app.post_empty(&format!("{path}/approve"), &approver).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "report_problems");
    assert!(body["problems"].as_array().expect("problems").iter().any(|p| p["code"] == "report.figure_missing"));
    let bad = put(json!({ "entered": { "licensing": { "value": -1, "source": "x" } } })).await;
    assert_eq!(bad.status(), 422, "negative figures are refused");

    let e = |v: i64| json!({ "value": v, "source": "区政务服务中心审批系统" });
    let res = put(json!({ "overview": "（一）主动公开\n本年度共主动公开政府信息……", "problems": "一是……",
                          "entered": { "licensing": e(12), "penalty": e(3), "coercion": e(0), "charges_yuan": e(250_000) } }))
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.post_empty(&format!("{path}/approve"), &editor).await.status(), 403, "editors do not approve");
    assert_eq!(app.post_empty(&format!("{path}/publish"), &approver).await.status(), 409, "not approved yet");
    let res = app.post_empty(&format!("{path}/approve"), &approver).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "approved");
    assert_eq!(app.get(&path).await.status(), 404, "approved is not yet published");
    let res = app.post_empty(&format!("{path}/publish"), &approver).await;
    assert_eq!(res.status(), 200);

    // Everyone reads it now.
    let public: Value = app.get(&path).await.json().await.expect("json");
    assert_eq!(public["state"], "published");
    assert!(public["published_on"].is_string());
    assert_eq!(public["report"]["proactive"][3]["rows"][0]["values"][0], 25.0, "250000 元 = 25 万元");
    let md = app.get(&format!("{path}?format=md")).await;
    assert!(md.headers()["content-type"].to_str().unwrap_or("").starts_with("text/markdown"));
    let md = md.text().await.expect("md");
    assert!(md.contains("## 三、收到和处理政府信息公开申请情况") && md.contains("发布日期"));
    let xlsx = app.get(&format!("{path}?format=xlsx")).await.bytes().await.expect("xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("open");
    let sheet = book.worksheet_range("三、依申请公开").expect("sheet");
    assert_eq!(sheet.get_value((4, 7)).map(|c| c.to_string()), Some("1".into()), "一、法律服务机构");
    let list: Value = app.get(&format!("/api/v1/orgs/{QIANJIANG_OFFICE}/reports")).await.json().await.expect("json");
    assert_eq!(list[0]["year"], year);
    // The portal's 年报 column lists every org's published reports by year; the home page
    // links to it.
    let all = app.get("/reports").await.text().await.expect("html");
    assert!(all.contains(&format!("{year} 年度")), "{all}");
    assert!(all.contains(&format!("href=\"/orgs/{QIANJIANG_OFFICE}/reports/{year}\"")), "{all}");
    assert!(app.get("/").await.text().await.expect("html").contains("href=\"/reports\""));

    let page = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/reports/{year}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"));
    assert!(html.contains("rowspan=\"22\""), "三、本年度办理结果 spans its rows");
    let index = app.get(&format!("/orgs/{QIANJIANG_OFFICE}/reports")).await.text().await.expect("html");
    assert!(index.contains(&format!("/orgs/{QIANJIANG_OFFICE}/reports/{year}")));

    // Published reports are final.
    assert_eq!(put(json!({ "overview": "改" })).await.status(), 409);
}

#[tokio::test]
async fn the_console_editor_saves_with_csrf_and_shows_deadlines() {
    let app = TestApp::spawn().await;
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "editor"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let list = app.get("/admin/reports?year=2025").await.text().await.expect("html");
    assert!(list.contains("重庆市黔江区人民政府办公室") && list.contains("2026-01-31"), "{list}");
    let editor_path = format!("/admin/reports/{QIANJIANG_OFFICE}/2025");
    let html = app.get(&editor_path).await.text().await.expect("html");
    assert!(html.contains("（五）监督保障"), "the editor offers the template's prompts");
    let csrf = csrf_in(&html);
    let forged = app.post_form(&editor_path, &[("csrf", "forged"), ("overview", "x")]).await;
    assert_eq!(forged.status(), 403);
    let bad =
        app.post_form(&editor_path, &[("csrf", &csrf), ("overview", "总体情况正文"), ("licensing", "十二")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("html").contains("总体情况正文"), "what was typed is kept");
    let ok = app
        .post_form(
            &editor_path,
            &[("csrf", &csrf), ("overview", "总体情况正文"), ("licensing", "12"), ("licensing_source", "审批系统")],
        )
        .await;
    assert_eq!(ok.status(), 303, "redirected back to the editor");
    let html = app.get(&editor_path).await.text().await.expect("html");
    assert!(html.contains("总体情况正文") && html.contains("审批系统"));
    assert!(!html.contains("审核通过（冻结数据）"), "an editor is not offered approval");
}
