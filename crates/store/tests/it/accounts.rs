//! Passwords on every backend: one an administrator set must be changed by its owner; with a
//! maximum age an old one too; the owner's change clears both and ends every session.

use crate::common;

use gongkai_core::{Role, Username};
use gongkai_store::{AuditCtx, NewUser};

#[tokio::test]
async fn password_changes_are_due_when_an_admin_set_it_or_it_is_old() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let t0: chrono::DateTime<chrono::Utc> = "2026-12-04T02:00:00Z".parse().expect("time");
        store.clock().set(Some(t0));
        let own = common::staff(store, "11500114009130039C", "own1", vec![Role::Editor]).await;
        assert!(!store.password_change_due(own.user_id, 90).await.expect("due"), "{}", t.name);
        let new = NewUser {
            org_code: "11500114009130039C".into(),
            username: Username::parse("given1").expect("name"),
            display_name: String::new(),
            password_hash: "x".into(),
            roles: vec![Role::Editor],
        };
        let given = store.create_user_by_admin(&ctx, new).await.expect("user");
        assert!(store.password_change_due(given.id, 0).await.expect("due"), "{}: set by an admin", t.name);
        let (session, _) = store.create_session(given.id, chrono::Duration::hours(8)).await.expect("session");
        store.change_own_password(&ctx, given.id, "y".into()).await.expect("changed");
        assert!(!store.password_change_due(given.id, 0).await.expect("due"), "{}", t.name);
        assert!(store.session(&session, chrono::Duration::minutes(30)).await.expect("session").is_none(), "{}", t.name);
        // 91 days later, with a 90-day maximum age, both are due; without one, neither.
        store.clock().set(Some(t0 + chrono::Duration::days(91)));
        assert!(store.password_change_due(own.user_id, 90).await.expect("due"), "{}", t.name);
        assert!(store.password_change_due(given.id, 90).await.expect("due"), "{}", t.name);
        assert!(!store.password_change_due(given.id, 0).await.expect("due"), "{}", t.name);
        // An administrator's reset makes it due again.
        store.set_password(&ctx, &Username::parse("own1").expect("name"), "z".into()).await.expect("reset");
        assert!(store.password_change_due(own.user_id, 0).await.expect("due"), "{}", t.name);
    }
}
