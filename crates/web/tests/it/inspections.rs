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
