//! Interpretation links on every backend: who may set them, refusals, and only public
//! interpretations listed on the policy.

mod common;

use common::{org, staff};
use gongkai_core::Role;
use gongkai_store::{AuditCtx, ItemDraft};

#[tokio::test]
async fn interpretations_on_every_backend() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let district = org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        org(store, None, "11320412014155302Q", "常州市武进区人民政府").await;
        let editor = staff(store, "11500114009130039C", "editor", vec![Role::Editor]).await;
        let other = staff(store, "11320412014155302Q", "wj-editor", vec![Role::Editor]).await;
        let draft = |title: &str| ItemDraft { title: title.into(), ..Default::default() };
        let policy = store.create_item(&ctx, &editor, district.id, draft("某某办法")).await.expect("policy");
        let interp = store.create_item(&ctx, &editor, district.id, draft("《某某办法》解读")).await.expect("interp");
        assert!(store.set_interprets(&ctx, &editor, interp.id, Some(interp.id)).await.is_err(), "itself");
        assert!(store.set_interprets(&ctx, &editor, interp.id, Some(99_999)).await.is_err(), "unknown");
        assert!(store.set_interprets(&ctx, &other, interp.id, Some(policy.id)).await.is_err(), "another district");
        store.set_interprets(&ctx, &editor, interp.id, Some(policy.id)).await.expect("link");
        assert_eq!(store.interprets(interp.id).await.expect("read"), Some(policy.id), "{}", t.name);
        // Drafts are not public: nothing listed on the policy yet.
        assert!(store.public_interpretations(policy.id).await.expect("list").is_empty());
        store.set_interprets(&ctx, &editor, interp.id, None).await.expect("clear");
        assert_eq!(store.interprets(interp.id).await.expect("read"), None);
    }
}
