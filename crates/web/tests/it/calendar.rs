//! The working-day calendar over the API, loading a new year, and article 26 on items.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn calendar_answers_provisionally_for_a_year_not_announced_until_loaded() {
    let app = TestApp::spawn().await;
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-02-06&n=20").await.json().await.expect("json");
    assert_eq!(res, json!({ "date": "2026-03-12", "provisional": false }));
    let res: Value = app.get("/api/v1/calendar/is-workday?date=2024-02-04").await.json().await.expect("json");
    assert_eq!(res["workday"], true);
    // RULES §6: 2027 has no notice yet; 2027-01-01 (Fri) is 元旦 by the law.
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-12-04&n=20").await.json().await.expect("json");
    assert_eq!(res, json!({ "date": "2027-01-04", "provisional": true }));
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-12-20&n=20").await.json().await.expect("json");
    assert_eq!(res, json!({ "date": "2027-01-18", "provisional": true }));
    // Before the 2024 rules, a year without its notice is still refused.
    let res = app.get("/api/v1/calendar/add-workdays?from=2007-06-01&n=1").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "year_not_loaded");
    assert!(body["message"].as_str().expect("message").starts_with("2007 年的节假日安排尚未载入"));
    let res = app.get("/api/v1/calendar/add-workdays?from=2026-13-01&n=1").await;
    assert_eq!(res.status(), 400);
    let years: Value = app.get("/api/v1/calendar/years").await.json().await.expect("json");
    assert_eq!(years.as_array().expect("array").len(), 19);
    assert_eq!(years[16]["notice"], "国办发明电〔2023〕7号");

    // Loading 2027: only an admin of a top-level org.
    let file =
        "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕99号\n2027-01-01 休 元旦\n";
    let editor = app.token_for("editor").await;
    assert_eq!(app.load_year(&editor, file).await.status(), 403);
    let admin = app.token_for("qj-admin").await;
    assert_eq!(app.load_year(&admin, "2027-01-04 班 元旦\n").await.status(), 422, "a make-up day on a Monday");
    assert_eq!(app.load_year(&admin, file).await.status(), 201);
    let res: Value = app.get("/api/v1/calendar/add-workdays?from=2026-12-20&n=20").await.json().await.expect("json");
    assert_eq!(
        res,
        json!({ "date": "2027-01-18", "provisional": false }),
        "2027-01-01 is off; the rest are plain weekdays"
    );
}

/// A request filed on 2026-12-04 is due in January 2027, before the 2027 notice exists: its
/// deadline is provisional everywhere it is shown, and loading the notice recomputes it and
/// lists it for the handler.
#[tokio::test]
async fn a_filing_in_december_gets_a_provisional_deadline_recomputed_when_the_year_is_loaded() {
    let app = TestApp::spawn().await;
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T02:00:00Z").expect("time").to_utc();
    app.store.clock().set(Some(at));
    let filing = json!({
        "org": common::QIANJIANG_OFFICE, "applicant_type": "natural_person", "name": "王小明", "id_type": "居民身份证",
        "id_number": "11010519491231002X", "phone": "13800000000", "email": "wang@example.com",
        "address": "重庆市黔江区城东街道1号", "description": "2026年黔江区城市道路改造项目的立项批复文件", "form": "电子邮件"
    });
    let res = app.post_json("/api/v1/requests", None, &filing).await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    assert_eq!(filed["received_on"], "2026-12-04");
    assert_eq!(filed["due_on"], "2027-01-04");
    assert_eq!(filed["provisional"], true);
    let no = filed["tracking_no"].as_str().expect("no").to_string();
    let code = filed["query_code"].as_str().expect("code").to_string();

    // The applicant's status page and the acknowledgement say 暂定; nothing is left blank.
    let page = app.get(&format!("/requests/status?tracking_no={no}&code={code}")).await.text().await.expect("html");
    assert!(page.contains("2027-01-04 <abbr class=\"tag warn\""), "the status page marks the date");
    let handler = app.token_for("handler").await;
    let notice = app
        .get_with_token(&format!("/api/v1/requests/{no}/notices/acknowledgement"), &handler)
        .await
        .text()
        .await
        .expect("html");
    assert!(notice.contains("（即2027年1月4日前）") && notice.contains("暂按《全国年节及纪念日放假办法》"), "{notice}");
    assert!(!notice.contains("____"));
    // The handler's workspace too.
    let rows: Value = app.get_with_token("/api/v1/requests", &handler).await.json().await.expect("json");
    assert_eq!(rows[0]["clock"]["provisional"], true);
    assert_eq!(rows[0]["clock"]["due_on"], "2027-01-04");

    // The notice comes: 2027-01-04 is a day off after all (say). The deadline moves to 01-05
    // and the request is listed as recomputed.
    let admin = app.token_for("qj-admin").await;
    let file = "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕99号\n2027-01-01 休 元旦\n2027-01-04 休 元旦\n";
    let res = app.load_year(&admin, file).await;
    assert_eq!(res.status(), 201);
    let loaded: Value = res.json().await.expect("json");
    assert_eq!(
        loaded["recomputed"],
        json!([{ "tracking_no": no, "org_name": "重庆市黔江区人民政府办公室", "before": "2027-01-04", "after": "2027-01-05" }])
    );
    let rows: Value = app.get_with_token("/api/v1/requests", &handler).await.json().await.expect("json");
    assert_eq!(rows[0]["clock"]["provisional"], false);
    assert_eq!(rows[0]["clock"]["due_on"], "2027-01-05");
}

#[tokio::test]
async fn the_office_is_warned_of_next_years_notice_from_october() {
    let app = TestApp::spawn().await;
    app.store.clock().set(Some(chrono::DateTime::parse_from_rfc3339("2026-10-01T02:00:00Z").expect("t").to_utc()));
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = common::csrf_in(&page);
    app.post_form("/login", &[("username", "qj-admin"), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("2027 年节假日安排通知尚未载入"), "the dashboard warns");
    let html = app.get("/admin/calendar").await.text().await.expect("html");
    assert!(html.contains("2027-02-09 春节（补假）"), "the calendar shows the provisional days");
    app.store.clock().set(Some(chrono::DateTime::parse_from_rfc3339("2026-09-30T02:00:00Z").expect("t").to_utc()));
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(!html.contains("节假日安排通知尚未载入"), "not before October");
}

#[tokio::test]
async fn items_published_late_show_the_delay_in_working_days() {
    let app = TestApp::spawn().await;
    // Published on 2026-03-16 (Beijing): the 20th working day was 03-12, so 2 working days late.
    let (_, res) = app
        .publish_item(
            &json!({ "title": "关于做好春节后复工工作的通知", "disclosure_attr": "proactive", "written_on": "2026-02-06" }),
            &json!({ "at": "2026-03-16T02:00:00Z" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let item: Value = res.json().await.expect("json");
    assert_eq!(item["late_workdays"], 2);
    assert_eq!(item["published_at"], "2026-03-16T02:00:00Z");
}

#[tokio::test]
async fn a_top_level_admin_loads_a_year_in_the_console() {
    let app = TestApp::spawn().await;
    let login = |user: &'static str| {
        let app = &app;
        async move {
            let page = app.get("/login").await.text().await.expect("html");
            let csrf = common::csrf_in(&page);
            app.post_form("/login", &[("username", user), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
            common::csrf_in(&app.get("/admin/calendar").await.text().await.expect("html"))
        }
    };
    let csrf = login("editor").await;
    let html = app.get("/admin/calendar").await.text().await.expect("html");
    assert!(html.contains("2026") && !html.contains("载入新一年"), "editors see the years only");
    assert_eq!(app.post_form("/admin/calendar", &[("csrf", &csrf), ("text", "x")]).await.status(), 403);
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = login("qj-admin").await;
    let bad = app
        .post_form("/admin/calendar", &[("csrf", &csrf), ("text", "title = x\nnotice = y\n2027-13-01 休 元旦\n")])
        .await;
    assert_eq!(bad.status(), 422);
    let year =
        "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕1号\n2027-01-01 休 元旦\n";
    let res = app.post_form("/admin/calendar", &[("csrf", &csrf), ("text", year)]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("已载入 2027 年节假日安排。没有未办结申请的答复期限因此改变。"));
    let html = app.get("/admin/calendar").await.text().await.expect("html");
    assert!(html.contains("国办发明电〔2026〕1号"));
    let day = app.get("/api/v1/calendar/is-workday?date=2027-01-01").await;
    assert_eq!(day.json::<serde_json::Value>().await.expect("json")["workday"], false);
}
