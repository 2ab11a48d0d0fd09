//! Self-inspection on every backend: withheld items with their grounds and review dates,
//! the information requests concentrated on, recommendations, answers (a reason needed to
//! keep withholding), submission only when all are answered, and who may do what.

use crate::common;
use gongkai_core::inspection::{Advice, EntryKind};

use chrono::NaiveDate;
use gongkai_core::item::{DisclosureAttr, Validity};
use gongkai_core::request::{OUTCOMES, Step};
use gongkai_core::{Actor, Role};
use gongkai_store::import::ImportedItem;
use gongkai_store::{AuditCtx, ItemDraft, NewRequest, StepExtra, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn user(store: &Store, name: &str, roles: Vec<Role>) -> Actor {
    common::staff(store, "11500114009130039C", name, roles).await
}

fn request(org_id: i64, description: &str, doc_ref: &str, key: &str) -> NewRequest {
    NewRequest {
        description: description.into(),
        doc_ref: doc_ref.into(),
        idempotency_key: Some(key.into()),
        ..gongkai_testkit::requests::new_request(org_id, d(2026, 3, 2))
    }
}

#[tokio::test]
async fn withheld_items_and_concentrated_requests_are_answered_and_submitted() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let org = gongkai_testkit::stores::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office = user(store, "gongkaiban", vec![Role::Supervisor]).await;
        let editor = user(store, "editor", vec![Role::Editor]).await;
        let handler = user(store, "handler", vec![Role::RequestHandler]).await;
        for (key, title, review_on) in
            [("w1", "某专项审计工作底稿", Some(d(2027, 6, 30))), ("w2", "某征收项目内部讨论记录", Some(d(2026, 6, 30)))]
        {
            store
                .import_item(
                    &ctx,
                    org.id,
                    ImportedItem {
                        draft: ItemDraft {
                            title: title.into(),
                            body: "<p>内容</p>".into(),
                            disclosure_attr: Some(DisclosureAttr::Withheld),
                            withhold_reason: "属于过程性信息（条例第十六条第二款）".into(),
                            withhold_review_on: review_on,
                            ..Default::default()
                        },
                        index_no: None,
                        published_at: gongkai_store::Clock::system().now(),
                        validity: Validity::Valid,
                        repealed_on: None,
                        source_key: key.into(),
                        source: "test".into(),
                        attachments: Vec::new(),
                    },
                )
                .await
                .expect("import");
        }
        // Two requests for the same approval (one disclosed), two for the same document by
        // number with other punctuation (withheld), one alone.
        let disclosed = OUTCOMES.iter().find(|o| o.code == "disclosed").copied().expect("o");
        let (a, _) = store
            .file_request(&AuditCtx::system(), request(org.id, "城南路改造项目立项批复", "", "a"))
            .await
            .expect("a");
        store.file_request(&AuditCtx::system(), request(org.id, "城南路改造项目，立项批复", "", "b")).await.expect("b");
        store
            .file_request(&AuditCtx::system(), request(org.id, "征收补偿方案", "黔江府办发〔2025〕3号", "c"))
            .await
            .expect("c");
        store
            .file_request(&AuditCtx::system(), request(org.id, "补偿方案", "黔江府办发[2025]3号", "e"))
            .await
            .expect("e");
        store.file_request(&AuditCtx::system(), request(org.id, "别的信息", "", "f")).await.expect("f");
        store
            .apply_request_step(
                &ctx,
                &handler,
                a.id,
                Step::Reply { outcome: disclosed, reason: String::new() },
                StepExtra { on: Some(d(2026, 3, 10)), ..Default::default() },
            )
            .await
            .expect("reply");

        let today = d(2026, 11, 22);
        let denied = store.start_inspection(&ctx, Some(&editor), &org, 2026, today).await;
        assert!(matches!(denied, Err(StoreError::Forbidden(_))), "{}", t.name);
        let ins = store.start_inspection(&ctx, Some(&office), &org, 2026, today).await.expect("start");
        let again = store.start_inspection(&ctx, Some(&office), &org, 2026, today).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}", t.name);
        let entries = store.inspection_entries(ins.id).await.expect("entries");
        let rec =
            |subject: &str| entries.iter().find(|e| e.subject.starts_with(subject)).map(|e| e.recommendation.as_str());
        assert_eq!(rec("某专项审计工作底稿"), Some("keep"), "review date not reached");
        assert_eq!(rec("某征收项目内部讨论记录"), Some("publish"), "review date passed");
        assert_eq!(rec("城南路改造项目立项批复"), Some("publish"), "asked twice, disclosed once");
        assert_eq!(rec("征收补偿方案"), Some("keep"), "asked twice by number, never disclosed");
        assert_eq!(entries.len(), 4, "{}: the single request is not a concentration", t.name);
        assert_eq!(entries.iter().find(|e| e.kind == EntryKind::Requested && e.requests == 2).map(|_| ()), Some(()));

        // Answers: keeping needs a reason; submission needs every answer.
        let keep = entries.iter().find(|e| e.subject.starts_with("某专项")).expect("entry");
        let no_reason = store.answer_entry(&ctx, &editor, keep.id, Advice::Keep, " ").await;
        assert!(matches!(no_reason, Err(StoreError::Invalid(_))), "{}", t.name);
        store
            .answer_entry(&ctx, &editor, keep.id, Advice::Keep, "审计尚未终结，公开会影响审计工作")
            .await
            .expect("answer");
        let early = store.submit_inspection(&ctx, &editor, ins.id).await;
        assert!(matches!(early, Err(StoreError::Invalid(_))), "{}", t.name);
        for e in entries.iter().filter(|e| e.id != keep.id) {
            store.answer_entry(&ctx, &editor, e.id, Advice::Publish, "").await.expect("answer");
        }
        let submitted = store.submit_inspection(&ctx, &editor, ins.id).await.expect("submit");
        assert!(submitted.submitted_at.is_some());
        let late = store.answer_entry(&ctx, &editor, keep.id, Advice::Publish, "").await;
        assert!(matches!(late, Err(StoreError::Conflict(_))), "{}", t.name);
        assert_eq!(store.inspections_of_year(2026).await.expect("list").len(), 1);

        // Carried out: each 予以公开 answer gets its item (the withheld one reopened as a
        // 主动公开 draft, a new draft for requested information), once however often it runs.
        let publish: Vec<_> = entries.iter().filter(|e| e.id != keep.id && e.kind != EntryKind::Matter).collect();
        let n = store.follow_up_inspection(&ctx, &editor, ins.id, d(2027, 1, 5)).await.expect("follow up");
        assert_eq!(n, publish.len(), "{}", t.name);
        assert_eq!(store.follow_up_inspection(&ctx, &editor, ins.id, d(2027, 1, 5)).await.expect("again"), n);
        let follow = store.inspection_followups(&[org.id]).await.expect("list");
        assert!(follow.iter().all(|f| !f.done && f.due_on == d(2027, 1, 5)), "{follow:?}");
        for f in &follow {
            let item = store.item(f.item_id).await.expect("read").expect("item");
            assert_eq!(
                (item.state.0, item.disclosure_attr.0),
                (gongkai_core::item::ItemState::Draft, Some(DisclosureAttr::Proactive)),
                "{}: {}",
                t.name,
                f.subject
            );
        }
    }
}
