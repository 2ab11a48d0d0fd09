//! The gazette on every backend: issues numbered per year and in total; a department's
//! 规范性文件 submitted once to the government above it, listed with its submission, selected
//! when carried; an empty issue not published; search within published issues only.

use crate::common;

use gongkai_core::Role;
use gongkai_core::gazette::{GazetteSection, IssueState};
use gongkai_core::item::DisclosureAttr;
use gongkai_store::{AuditCtx, GazetteError, ItemDraft, Need};

#[tokio::test]
async fn issues_submissions_and_search() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org_of_kind(
            store,
            None,
            "11500114009130039C",
            "重庆市黔江区人民政府",
            gongkai_core::OrgKind::Government,
        )
        .await;
        let dept =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区人民政府办公室").await;
        let office = common::staff(store, "11500114009130039C", "office", vec![Role::Supervisor]).await;
        let editor = common::staff(store, "11500114709480021G", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114709480021G", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114709480021G", "approver", vec![Role::Approver]).await;
        let draft = ItemDraft {
            title: "黔江区城市道路挖掘管理办法".into(),
            genre: "行政规范性文件".into(),
            doc_no: "黔江府办发〔2026〕31号".into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            ..Default::default()
        };
        let item = store.create_item(&ctx, &editor, dept.id, draft).await.expect("item");
        let need = Need { needed: Some(false), drafting_org_id: None, note: "随原办法解读".into() };
        store.set_interpretation_need(&ctx, &editor, item.id, need).await.expect("need");
        assert!(
            matches!(store.submit_to_gazette(&ctx, &editor, item.id).await, Err(GazetteError::Refused(_))),
            "not public yet"
        );
        common::publish(store, item.id, &editor, &reviewer, &approver).await;

        let since = store.today() - chrono::Duration::days(30);
        store.submit_to_gazette(&ctx, &editor, item.id).await.expect("submitted");
        assert!(store.submit_to_gazette(&ctx, &editor, item.id).await.is_err(), "{}: once", t.name);
        let due = store.gazette_submittables(gov.id, gov.path.as_str(), since).await.expect("list");
        assert_eq!(due.len(), 1, "{}", t.name);
        assert_eq!((due[0].state.as_deref(), due[0].issue_id), (Some("submitted"), None));

        assert!(
            store.create_gazette_issue(&ctx, &editor, gov.id, 2026, "").await.is_err(),
            "{}: the office only",
            t.name
        );
        let one = store.create_gazette_issue(&ctx, &office, gov.id, 2026, "").await.expect("1");
        let two = store.create_gazette_issue(&ctx, &office, gov.id, 2026, "").await.expect("2");
        let next = store.create_gazette_issue(&ctx, &office, gov.id, 2027, "").await.expect("3");
        assert_eq!((one.number, one.total, two.number, two.total, next.number, next.total), (1, 1, 2, 2, 1, 3));
        assert_eq!(one.title, "重庆市黔江区人民政府公报");
        assert!(matches!(store.publish_gazette_issue(&ctx, &office, one.id, "").await, Err(GazetteError::Refused(_))));
        store.add_gazette_article(&ctx, &office, one.id, item.id, GazetteSection::Department).await.expect("add");
        let due = store.gazette_submittables(gov.id, gov.path.as_str(), since).await.expect("list");
        assert_eq!((due[0].state.as_deref(), due[0].issue_id), (Some("selected"), Some(one.id)), "{}", t.name);
        assert!(store.search_gazette("挖掘").await.expect("search").is_empty(), "{}: not published yet", t.name);
        let published = store.publish_gazette_issue(&ctx, &office, one.id, "/files/9").await.expect("publish");
        assert_eq!(published.state, IssueState::Published);
        let hits = store.search_gazette("挖掘").await.expect("search");
        assert_eq!(
            (hits.len(), hits[0].0, hits[0].1.doc_no.as_str()),
            (1, one.id, "黔江府办发〔2026〕31号"),
            "{}",
            t.name
        );
        assert_eq!(store.search_gazette("%").await.expect("search").len(), 0, "{}: % is a character", t.name);
        assert_eq!(store.gazette_issues_of(item.id).await.expect("of").len(), 1);
        assert_eq!(store.gazette_years().await.expect("years"), vec![2026]);
    }
}
