//! 规范性文件清理 on every backend: a government's decision lists its departments' documents
//! with verdicts (a reason required to end one), refuses what is no public document of its
//! tree, and when published ends the repealed and expired documents on its day — in the
//! transaction that publishes it — while the kept ones stay in force, each naming the decision.

use crate::common;

use gongkai_core::Role;
use gongkai_core::cleanup::{Entry, Verdict};
use gongkai_core::item::{DisclosureAttr, Validity};
use gongkai_store::{AuditCtx, ItemDraft, Need, StoreError};

fn no_interpretation() -> Need {
    Need { needed: Some(false), drafting_org_id: None, note: "本测试不涉及解读".into() }
}

#[tokio::test]
async fn a_cleanup_decision_ends_documents_when_it_is_published() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区人民政府办公室").await;
        let other = common::org(store, None, "11500115009130039T", "重庆市武隆区人民政府").await;
        let gov_editor = common::staff(store, "11500114009130039C", "gov-editor", vec![Role::Editor]).await;
        let gov_reviewer = common::staff(store, "11500114009130039C", "gov-reviewer", vec![Role::Reviewer]).await;
        let gov_approver = common::staff(store, "11500114009130039C", "gov-approver", vec![Role::Approver]).await;
        let editor = common::staff(store, "11500114709480021G", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114709480021G", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114709480021G", "approver", vec![Role::Approver]).await;
        let w_editor = common::staff(store, "11500115009130039T", "w-editor", vec![Role::Editor]).await;
        let w_reviewer = common::staff(store, "11500115009130039T", "w-reviewer", vec![Role::Reviewer]).await;
        let w_approver = common::staff(store, "11500115009130039T", "w-approver", vec![Role::Approver]).await;
        let draft = |title: &str, genre: &str| ItemDraft {
            title: title.into(),
            genre: genre.into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            ..Default::default()
        };
        let mut docs = Vec::new();
        for (title, genre) in [
            ("黔江区城市停车管理办法", "行政规范性文件"),
            ("黔江区城区机动车停放管理暂行办法", "行政规范性文件"),
            ("黔江区2015年度财政专项资金管理办法", "行政规范性文件"),
            ("关于召开全区安全生产会议的通知", "通知"),
        ] {
            let item = store.create_item(&ctx, &editor, editor.org_id, draft(title, genre)).await.expect("item");
            store.set_interpretation_need(&ctx, &editor, item.id, no_interpretation()).await.expect("need");
            common::publish(store, item.id, &editor, &reviewer, &approver).await;
            docs.push(item.id);
        }
        let elsewhere =
            store.create_item(&ctx, &w_editor, other.id, draft("武隆区某办法", "行政规范性文件")).await.expect("item");
        store.set_interpretation_need(&ctx, &w_editor, elsewhere.id, no_interpretation()).await.expect("need");
        common::publish(store, elsewhere.id, &w_editor, &w_reviewer, &w_approver).await;

        let decision = store
            .create_item(&ctx, &gov_editor, gov_editor.org_id, draft("关于公布行政规范性文件清理结果的通知", "通知"))
            .await
            .expect("decision");
        let e = |target: i64, verdict: Verdict, note: &str| Entry { target, verdict, note: note.into() };
        let refused = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Invalid(_)));
        assert!(refused(store.save_cleanup(&ctx, &gov_editor, decision.id, vec![e(docs[3], Verdict::Keep, "")]).await));
        assert!(refused(
            store.save_cleanup(&ctx, &gov_editor, decision.id, vec![e(elsewhere.id, Verdict::Keep, "")]).await
        ));
        assert!(refused(
            store.save_cleanup(&ctx, &gov_editor, decision.id, vec![e(docs[1], Verdict::Repeal, "")]).await
        ));
        assert!(matches!(
            store.save_cleanup(&ctx, &editor, decision.id, vec![e(docs[0], Verdict::Keep, "")]).await,
            Err(StoreError::Forbidden(_))
        ));
        let entries = vec![
            e(docs[0], Verdict::Keep, ""),
            e(docs[1], Verdict::Repeal, "已被《黔江区城市停车管理办法》替代"),
            e(docs[2], Verdict::Expire, "适用期已过"),
        ];
        store.save_cleanup(&ctx, &gov_editor, decision.id, entries).await.expect("saved");
        assert_eq!(store.cleanup_rows(decision.id).await.expect("rows").len(), 3);
        // Nothing changes before publication.
        assert_eq!(store.item(docs[1]).await.expect("item").expect("doc").validity.0, Validity::Valid);
        assert!(store.cleaned_by(docs[1]).await.expect("cleaned").is_none());

        let published = common::publish(store, decision.id, &gov_editor, &gov_reviewer, &gov_approver).await;
        let day = gongkai_core::index_no::beijing_date(published.published_at.expect("published"));
        let validity = |id: i64| async move {
            let i = store.item(id).await.expect("item").expect("doc");
            (i.validity.0, i.repealed_on)
        };
        assert_eq!(validity(docs[0]).await, (Validity::Valid, None), "{}", t.name);
        assert_eq!(validity(docs[1]).await, (Validity::Repealed, Some(day)), "{}", t.name);
        assert_eq!(validity(docs[2]).await, (Validity::Expired, Some(day)), "{}", t.name);
        let by = store.cleaned_by(docs[1]).await.expect("cleaned").expect("named");
        assert_eq!((by.decision_id, by.verdict), (decision.id, Verdict::Repeal));
        assert_eq!(store.cleaned_by(docs[0]).await.expect("cleaned").map(|c| c.verdict), Some(Verdict::Keep));
        assert!(store.cleanup_rows(decision.id).await.expect("rows").iter().all(|r| r.applied_at.is_some()));
        // Published: the decision's list is final, and an ended document is not cleaned again.
        assert!(matches!(
            store.save_cleanup(&ctx, &gov_editor, decision.id, vec![e(docs[0], Verdict::Keep, "")]).await,
            Err(StoreError::Conflict(_))
        ));
        let next =
            store.create_item(&ctx, &gov_editor, gov_editor.org_id, draft("第二次清理", "通知")).await.expect("item");
        assert!(refused(store.save_cleanup(&ctx, &gov_editor, next.id, vec![e(docs[1], Verdict::Keep, "")]).await));
    }
}
