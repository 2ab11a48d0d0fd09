//! Self-inspection in the console: the office starts the year's inspection for its orgs,
//! an org answers (a reason needed to keep withholding) and submits; forms need CSRF.

use crate::common;

use common::{QIANJIANG_OFFICE, TestApp};
use gongkai_core::item::{DisclosureAttr, Validity};
use gongkai_store::import::ImportedItem;
use gongkai_store::{AuditCtx, ItemDraft};

#[tokio::test]
async fn the_office_starts_and_an_org_answers_and_submits() {
    let app = TestApp::spawn().await;
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store
        .import_item(
            &AuditCtx::cli(),
            office.id,
            ImportedItem {
                draft: ItemDraft {
                    title: "某项目内部讨论记录".into(),
                    body: "<p>内容</p>".into(),
                    disclosure_attr: Some(DisclosureAttr::Withheld),
                    withhold_reason: "过程性信息".into(),
                    ..Default::default()
                },
                index_no: None,
                published_at: gongkai_store::Clock::system().now(),
                validity: Validity::Valid,
                repealed_on: None,
                source_key: "w".into(),
                source: "test".into(),
                attachments: Vec::new(),
            },
        )
        .await
        .expect("import");
    let year =
        chrono::Datelike::year(&gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now())).to_string();

    let csrf = app.login("qj-admin").await;
    assert_eq!(app.post_form("/admin/inspections", &[("csrf", "forged"), ("year", &year)]).await.status(), 403);
    assert_eq!(app.post_form("/admin/inspections", &[("csrf", &csrf), ("year", &year)]).await.status(), 303);
    let list = app.get(&format!("/admin/inspections?year={year}")).await.text().await.expect("html");
    assert!(list.contains("自查中（1 项待提意见）"), "{list}");

    // The office's editor answers: keeping needs a reason.
    let ins = app.store.inspections_of_year(year.parse().expect("year")).await.expect("list");
    let mine = ins.iter().find(|i| i.org_id == office.id).expect("inspection");
    let entry = app.store.inspection_entries(mine.id).await.expect("entries")[0].id;
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let csrf = app.login("editor").await;
    let path = format!("/admin/inspections/{}/entries/{entry}", mine.id);
    let res = app.post_form(&path, &[("csrf", &csrf), ("decision", "keep"), ("reason", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("继续不予公开须说明理由"));
    let res = app.post_form(&path, &[("csrf", &csrf), ("decision", "keep"), ("reason", "讨论尚未形成结论")]).await;
    assert_eq!(res.status(), 303);
    let res = app.post_form(&format!("/admin/inspections/{}/submit", mine.id), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let html = app.get(&format!("/admin/inspections/{}", mine.id)).await.text().await.expect("html");
    assert!(html.contains("已于") && html.contains("讨论尚未形成结论") && !html.contains("保存意见"));
}

#[tokio::test]
async fn a_publish_answer_is_carried_out_and_tracked_to_publication() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    let imported = app
        .store
        .import_item(
            &AuditCtx::cli(),
            office.id,
            ImportedItem {
                draft: ItemDraft {
                    title: "黔江区2025年城区停车泊位规划调整方案".into(),
                    body: "<p>方案内容。</p>".into(),
                    disclosure_attr: Some(DisclosureAttr::Withheld),
                    withhold_reason: "过程性信息".into(),
                    ..Default::default()
                },
                index_no: None,
                published_at: gongkai_store::Clock::system().now() - chrono::Duration::days(300),
                validity: Validity::Valid,
                repealed_on: None,
                source_key: "parking".into(),
                source: "test".into(),
                attachments: Vec::new(),
            },
        )
        .await
        .expect("import");
    let item_id = match imported {
        gongkai_store::ImportOutcome::Created { id, .. } => id,
        other => panic!("{other:?}"),
    };
    let ins = app
        .store
        .start_inspection(
            &AuditCtx::cli(),
            None,
            &office,
            2026,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("d"),
        )
        .await
        .expect("start");
    let entry = app.store.inspection_entries(ins.id).await.expect("entries")[0].id;
    let csrf = app.login("editor").await;
    let path = format!("/admin/inspections/{}/entries/{entry}", ins.id);
    assert_eq!(app.post_form(&path, &[("csrf", &csrf), ("decision", "publish"), ("reason", "")]).await.status(), 303);
    assert_eq!(app.post_form(&format!("/admin/inspections/{}/submit", ins.id), &[("csrf", &csrf)]).await.status(), 303);

    // The answer changed something: the item is to be published within 20 working days.
    let follow = app.store.inspection_followups(&[office.id]).await.expect("follow-ups");
    assert_eq!(follow.len(), 1);
    assert_eq!((follow[0].item_id, follow[0].done), (item_id, false));
    assert_eq!(follow[0].due_on.to_string(), "2026-12-31", "20 working days from 3 December");
    let page = app.get(&format!("/admin/inspections/{}", ins.id)).await.text().await.expect("html");
    assert!(page.contains("落实情况") && page.contains("待公开"), "{page}");
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("年度自查：确定公开的事项待发布"), "{dash}");

    // Past the deadline the office sees it overdue.
    app.set_today("2027-01-04");
    app.login("qj-admin").await;
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("年度自查：确定公开的事项逾期未发布"), "{dash}");

    // The answer reopened the withheld item as a draft marked 主动公开; the org sends it
    // through review and publishes it: done.
    let editor = app.token_for("editor").await;
    let item: serde_json::Value =
        app.get_with_token(&format!("/api/v1/items/{item_id}"), &editor).await.json().await.expect("json");
    assert_eq!(
        (item["state"].as_str(), item["disclosure_attr"].as_str()),
        (Some("draft"), Some("proactive")),
        "{item}"
    );
    assert!(!app.store.inspection_followups(&[office.id]).await.expect("f")[0].done);
    assert_eq!(app.through_review(item_id, &serde_json::json!({})).await.status(), 200);
    let follow = app.store.inspection_followups(&[office.id]).await.expect("follow-ups");
    assert!(follow[0].done, "{follow:?}");
}
