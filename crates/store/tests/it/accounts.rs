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

#[tokio::test]
async fn the_audit_trail_is_found_by_org_actor_area_and_time() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = |who: &str| AuditCtx { actor: who.into(), origin: "10.0.0.1".into() };
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        common::org(store, Some("11500114009130039C"), "014109453", "黔江区统计局").await;
        common::staff(store, "11500114009130039C", "top1", vec![Role::Admin]).await;
        common::staff(store, "014109453", "low1", vec![Role::Editor]).await;
        // 三员 holds in the store, whoever calls it.
        let both = common::staff(store, "014109453", "both1", vec![Role::Editor]).await;
        let err = store.set_user_roles(&AuditCtx::cli(), both.user_id, &[Role::Admin, Role::Auditor]).await;
        assert!(err.expect_err("refused").to_string().contains("三员分立"), "{}", t.name);
        let t0: chrono::DateTime<chrono::Utc> = "2026-12-04T02:00:00Z".parse().expect("time");
        store.clock().set(Some(t0));
        store.audit_event(&ctx("top1"), "login", "login", "top1").await.expect("row");
        store.audit_event(&ctx("low1"), "login", "login", "low1").await.expect("row");
        store.clock().set(Some(t0 + chrono::Duration::days(2)));
        store.audit_event(&ctx("low1"), "login.failed", "login", "low1").await.expect("row");
        store.audit_event(&ctx("low1"), "logout", "login", "low1").await.expect("row");

        let q = |f: &dyn Fn(&mut gongkai_store::AuditQuery)| {
            let mut q = gongkai_store::AuditQuery { limit: 100, ..Default::default() };
            f(&mut q);
            q
        };
        let actions = |rows: Vec<gongkai_store::AuditRow>| rows.into_iter().map(|r| r.action).collect::<Vec<_>>();
        let bureau = store.org_by_code("014109453").await.expect("read").expect("org").path;
        let rows = store.audit_rows(&q(&|q| q.within = Some(bureau.clone()))).await.expect("rows");
        assert!(rows.iter().all(|r| r.actor == "low1"), "{}: {:?}", t.name, actions(rows));
        let rows = store.audit_rows(&q(&|q| q.action = Some("login".into()))).await.expect("rows");
        assert_eq!(actions(rows), ["login.failed", "login", "login"], "{}: the area, not logout", t.name);
        let rows = store
            .audit_rows(&q(&|q| {
                q.actor = Some("low1".into());
                q.from = Some(t0 + chrono::Duration::days(1));
            }))
            .await
            .expect("rows");
        assert_eq!(actions(rows), ["logout", "login.failed"], "{}", t.name);
        let rows = store.audit_rows(&q(&|q| q.until = Some(t0 + chrono::Duration::hours(1)))).await.expect("rows");
        assert!(rows.iter().all(|r| r.at <= t0), "{}", t.name);
        let all = store.audit_rows(&q(&|_| {})).await.expect("rows");
        let before = all[1].seq;
        let rows = store.audit_rows(&q(&|q| q.before_seq = Some(before))).await.expect("rows");
        assert_eq!(rows.len(), all.len() - 2, "{}: the next page", t.name);
        let rows = store.audit_rows(&q(&|q| q.action = Some("log%".into()))).await.expect("rows");
        assert!(rows.is_empty(), "{}: wildcards are not the caller's", t.name);
        store.audit_event(&ctx("top1"), "spot_check.create", "spot_check", "1").await.expect("row");
        store.audit_event(&ctx("top1"), "spotxcheck.create", "spot_check", "2").await.expect("row");
        let rows = store.audit_rows(&q(&|q| q.action = Some("spot_check".into()))).await.expect("rows");
        assert_eq!(actions(rows), ["spot_check.create"], "{}: an underscore is itself", t.name);
    }
}

#[tokio::test]
async fn a_second_factor_step_is_taken_once_even_when_raced() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let u = common::staff(store, "11500114009130039C", "totp1", vec![Role::Editor]).await;
        assert_eq!(store.second_factor(u.user_id).await.expect("read"), None, "{}", t.name);
        assert!(!store.take_second_factor_step(u.user_id, 5).await.expect("take"), "{}: none to take", t.name);
        store.enable_second_factor(&ctx, u.user_id, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 10).await.expect("on");
        assert_eq!(
            store.second_factor(u.user_id).await.expect("read"),
            Some(("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_string(), Some(10))),
            "{}",
            t.name
        );
        assert!(!store.take_second_factor_step(u.user_id, 10).await.expect("take"), "{}: the set-up's step", t.name);
        let mut races = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (store, id) = (store.clone(), u.user_id);
            races.spawn(async move { store.take_second_factor_step(id, 11).await.expect("take") });
        }
        let won = races.join_all().await.into_iter().filter(|w| *w).count();
        assert_eq!(won, 1, "{}: one of eight concurrent logins with the same code", t.name);
        let (session, _) = store.create_session(u.user_id, chrono::Duration::hours(8)).await.expect("session");
        store.disable_second_factor(&ctx, u.user_id).await.expect("off");
        assert_eq!(store.second_factor(u.user_id).await.expect("read"), None, "{}", t.name);
        assert!(store.session(&session, chrono::Duration::minutes(30)).await.expect("read").is_none(), "{}", t.name);
        assert_eq!(store.login_obligations(u.user_id, 0).await.expect("read"), (false, false), "{}", t.name);
    }
}

#[tokio::test]
async fn guomi_chains_new_rows_with_sm3_and_hashes_passwords_with_sm3() {
    for t in common::all().await {
        common::org(&t.store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let store = t.store.clone().with_guomi(true);
        common::org(&store, Some("11500114009130039C"), "014109453", "黔江区统计局").await;
        let rows = store.recent_audit(None, 2).await.expect("rows");
        assert!(rows[0].hash.starts_with("sm3:") && rows[0].hash.len() == 68, "{}: {}", t.name, rows[0].hash);
        assert!(!rows[1].hash.starts_with("sm3:"), "{}: the row before keeps SHA-256", t.name);
        let report = store.verify_audit_chain().await.expect("verify");
        assert_eq!((report.verified, report.broken), (2, None), "{}", t.name);
        let password = gongkai_core::Password::parse("quiet-harbor-2026").expect("ok");
        let hash = store.hash_password(&password).expect("hash");
        assert!(hash.starts_with("$pbkdf2-sm3$"), "{}", t.name);
        assert!(gongkai_store::auth::verify_password("quiet-harbor-2026", &hash), "{}", t.name);
        assert!(t.store.hash_password(&password).expect("hash").starts_with("$argon2id$"), "{}", t.name);
    }
}

#[tokio::test]
async fn a_field_key_seals_applicants_personal_data_at_rest() {
    const KEY: &str = "00112233445566778899aabbccddeeff";
    for t in common::all().await {
        let ctx = AuditCtx::cli();
        let org = common::org(&t.store, None, "11500114009130039C", "重庆市黔江区人民政府").await.id;
        let on: chrono::NaiveDate = "2026-12-01".parse().expect("date");
        let with_id = |key: Option<&str>| {
            let mut r = gongkai_testkit::requests::new_request(org, on);
            r.applicant.id_number = "11010519491231002X".into();
            r.applicant.email = "zhangsan@example.cn".into();
            r.idempotency_key = key.map(str::to_string);
            r
        };
        // Filed before the key was set: stays plain and readable.
        let (before, _) = t.store.file_request(&ctx, with_id(None)).await.expect("filed");
        let sealed = t.store.clone().with_field_key(Some(KEY)).expect("key");
        let (r, _) = sealed.file_request(&ctx, with_id(Some("k-1"))).await.expect("filed");
        assert_eq!((r.id_number.as_str(), r.phone.as_str()), ("11010519491231002X", "13800000000"), "{}", t.name);
        // A replay compares what was filed, not what is stored.
        let (again, created) = sealed.file_request(&ctx, with_id(Some("k-1"))).await.expect("replayed");
        assert_eq!((again.id, created), (r.id, false), "{}", t.name);
        // Without the key the row is not readable; with it, it is.
        let err = t.store.request(r.id).await.expect_err("sealed");
        assert!(err.to_string().contains("未配置密钥"), "{}: {err}", t.name);
        let read = sealed.request_by_tracking(&r.tracking_no).await.expect("read").expect("there");
        assert_eq!(
            (read.id_number.as_str(), read.email.as_str(), read.address.as_str()),
            ("11010519491231002X", "zhangsan@example.cn", "重庆市黔江区"),
            "{}",
            t.name
        );
        assert_eq!(sealed.request(before.id).await.expect("read").expect("there").id_number, "11010519491231002X");
        // The same applicant is still found across sealed and plain rows (fees per month).
        assert_eq!(sealed.applicant_month_count(&read).await.expect("count"), 2, "{}", t.name);
        let counts = sealed.applicant_month_counts(&[&read]).await.expect("counts");
        assert_eq!(counts.get(&read.id), Some(&2), "{}", t.name);
        // Another key does not open it.
        let other = t.store.clone().with_field_key(Some("ffeeddccbbaa99887766554433221100")).expect("key");
        assert!(other.request(r.id).await.is_err(), "{}", t.name);
        assert!(t.store.clone().with_field_key(Some("short")).is_err(), "{}", t.name);
    }
}
