//! Supervision indicators: a district's orgs ranked for a period, the drill-down to stale
//! sections, items with metadata problems and overdue requests, CSV, and who may see them.

use crate::common;

use chrono::NaiveDate;
use common::{PASSWORD, QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use gongkai_core::catalog::Baseline;
use gongkai_core::item::Validity;
use gongkai_core::request::Channel;
use gongkai_store::import::ImportedItem;
use gongkai_store::{AuditCtx, ItemDraft, NewRequest};
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn request(org_id: i64, received_on: NaiveDate, key: &str) -> NewRequest {
    NewRequest {
        channel: Channel::InPerson,
        idempotency_key: Some(key.into()),
        ..gongkai_testkit::requests::new_request(org_id, received_on)
    }
}

#[tokio::test]
async fn supervisors_see_every_org_ranked_and_the_items_behind_the_numbers() {
    let app = TestApp::spawn().await;
    let ctx = AuditCtx::cli();
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store.apply_baseline(&ctx, None, office.id, Baseline::District).await.expect("baseline");
    // A normative document without its 发文字号, published this year.
    let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now()));
    app.store
        .import_item(
            &ctx,
            office.id,
            ImportedItem {
                draft: ItemDraft {
                    title: "关于规范行政事业性收费管理的通知".into(),
                    body: "<p>各单位：现就有关事项通知如下。</p>".into(),
                    genre: "行政规范性文件".into(),
                    topic: "综合政务".into(),
                    ..Default::default()
                },
                index_no: Some("11500114709480021G/2026-00001".into()),
                published_at: gongkai_store::Clock::system().now() - chrono::Duration::days(3),
                validity: Validity::Valid,
                repealed_on: None,
                source_key: "meta-test".into(),
                source: "test".into(),
                attachments: Vec::new(),
            },
        )
        .await
        .expect("import");
    // A request received long ago and never answered: overdue now.
    app.store.file_request(&AuditCtx::system(), request(office.id, d(year, 1, 5), "old")).await.expect("file");

    // The district's admin-supervisor sees both orgs. The district government published
    // nothing and had no request: it is shown last, unranked, not first for doing nothing.
    let admin = app.token_for("qj-admin").await;
    let res = app.get_with_token("/api/v1/supervision", &admin).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    let orgs = body["orgs"].as_array().expect("orgs");
    assert_eq!(orgs.len(), 2);
    assert_eq!((orgs[1]["org_code"].as_str(), orgs[1]["rank"].as_i64()), (Some(QIANJIANG), Some(0)), "{body}");
    let office_row = &orgs[0];
    assert_eq!(office_row["org_code"], QIANJIANG_OFFICE);
    assert_eq!(office_row["overdue_now"], 1);
    assert_eq!(office_row["metadata_issues"], 1);
    assert_eq!(office_row["requests_received"], 1);
    assert!(
        office_row["stale_sections"].as_i64().expect("stale") >= 1,
        "yearly sections with nothing published are stale"
    );
    assert_eq!(orgs[0]["rank"], 1);

    let detail: Value = app
        .get_with_token(&format!("/api/v1/supervision/{QIANJIANG_OFFICE}"), &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["metadata"][0]["problems"][0], "规章、规范性文件缺少发文字号");
    assert_eq!(detail["overdue"].as_array().map(Vec::len), Some(1));
    assert!(detail["sections"].as_array().expect("sections").iter().any(|s| s["freshness"]["status"] == "stale"));

    let csv = app.get_with_token("/api/v1/supervision?format=csv", &admin).await;
    assert!(csv.headers()["content-type"].to_str().unwrap_or("").starts_with("text/csv"));
    let text = csv.text().await.expect("csv");
    assert!(text.contains("排名,单位") && text.contains("重庆市黔江区人民政府办公室"));
    let bad = app.get_with_token("/api/v1/supervision?from=2026-13-01", &admin).await;
    assert_eq!(bad.status(), 422);

    // Another district's admin may not look; an editor sees only their own org.
    let wujin = app.token_for("wj-admin").await;
    assert_eq!(app.get_with_token(&format!("/api/v1/supervision?org={QIANJIANG}"), &wujin).await.status(), 403);
    let editor = app.token_for("editor").await;
    assert_eq!(app.get_with_token(&format!("/api/v1/supervision?org={QIANJIANG}"), &editor).await.status(), 403);

    // The console page: ranked table, drill-down with links to the item and the request.
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let html = app.get("/admin/supervision").await.text().await.expect("html");
    assert!(
        html.contains(&format!("/admin/supervision/{QIANJIANG_OFFICE}")) && html.contains("年度报告期限"),
        "{html}"
    );
    let html = app.get(&format!("/admin/supervision/{QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(html.contains("规章、规范性文件缺少发文字号") && html.contains("逾期未办结的申请（1 件）"));
    assert!(html.contains("/admin/requests/"));
}
