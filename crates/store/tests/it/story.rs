//! The store's story, written once and run against every backend available (SQLite
//! always, PostgreSQL when GONGKAI_TEST_PG_URL is set).

use crate::common;

use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::auth::hash_password;
use gongkai_store::{AuditCtx, NewOrg, NewUser, Store, StoreError};

fn new_org(parent: Option<&str>, code: &str, name: &str, kind: OrgKind) -> NewOrg {
    NewOrg {
        parent_code: parent.map(str::to_string),
        ident: OrgIdent::parse(code).expect("valid code"),
        name: name.into(),
        short_name: String::new(),
        kind,
    }
}

fn hash(p: &str) -> String {
    hash_password(&Password::parse(p).expect("valid password")).expect("hash")
}

async fn district_with_department(store: &Store) {
    let ctx = AuditCtx::cli();
    store
        .create_org(&ctx, new_org(None, "11500114009130039C", "重庆市黔江区人民政府", OrgKind::Government))
        .await
        .expect("district");
    store
        .create_org(
            &ctx,
            new_org(Some("11500114009130039C"), "014109453", "黔江区发展和改革委员会", OrgKind::Department),
        )
        .await
        .expect("department");
}

#[tokio::test]
async fn orgs_form_a_tree_with_paths_and_refuse_duplicates() {
    for t in common::all().await {
        let store = &t.store;
        district_with_department(store).await;
        let orgs = store.orgs().await.expect("list");
        assert_eq!(orgs.len(), 2, "{}", t.name);
        assert_eq!(orgs[0].name, "重庆市黔江区人民政府");
        assert_eq!(orgs[0].short_name, "重庆市黔江区人民政府");
        assert_eq!(orgs[1].parent_id, Some(orgs[0].id));
        assert!(orgs[1].path.is_within(&orgs[0].path), "{}", t.name);
        assert_eq!(orgs[1].path.as_str(), format!("/{}/{}/", orgs[0].id, orgs[1].id));
        assert_eq!(orgs[1].index_prefix(), "014109453");

        let dup_code =
            store.create_org(&AuditCtx::cli(), new_org(None, "014109453", "另一个单位", OrgKind::Department)).await;
        assert!(
            matches!(dup_code, Err(StoreError::Conflict(ref m)) if m.contains("014109453")),
            "{}: {dup_code:?}",
            t.name
        );
        let dup_name = store
            .create_org(
                &AuditCtx::cli(),
                new_org(None, "91110000802100433B", "重庆市黔江区人民政府", OrgKind::Government),
            )
            .await;
        assert!(matches!(dup_name, Err(StoreError::Conflict(ref m)) if m.contains("已存在")), "{}", t.name);
        let orphan = store
            .create_org(&AuditCtx::cli(), new_org(Some("000000000"), "91110000802100433B", "某单位", OrgKind::Town))
            .await;
        assert!(matches!(orphan, Err(StoreError::Invalid(_))), "{}", t.name);
        assert_eq!(store.orgs().await.expect("list").len(), 2, "{}: refused orgs left nothing behind", t.name);

        let by_code = store.org_by_code("01410945-3").await.expect("lookup").expect("found");
        assert_eq!(by_code.name, "黔江区发展和改革委员会");
        assert!(store.org_by_code("91110000802100433B").await.expect("lookup").is_none());
    }
}

#[tokio::test]
async fn users_log_in_hold_roles_and_lose_sessions_on_password_change() {
    for t in common::all().await {
        let store = &t.store;
        district_with_department(store).await;
        let ctx = AuditCtx::cli();
        let user = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: "014109453".into(),
                    username: Username::parse("Li.Ming").expect("valid"),
                    display_name: "李明".into(),
                    password_hash: hash("gongkai2026!"),
                    roles: vec![Role::Reviewer, Role::Editor, Role::Editor],
                },
            )
            .await
            .expect("user");
        assert_eq!(user.roles, vec![Role::Editor, Role::Reviewer], "{}", t.name);
        let name = Username::parse("li.ming").expect("valid");
        let (found, stored_hash) = store.user_for_login(&name).await.expect("lookup").expect("found");
        assert_eq!(found.display_name, "李明");
        assert!(gongkai_store::auth::verify_password("gongkai2026!", &stored_hash));

        let again = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: "014109453".into(),
                    username: name.clone(),
                    display_name: String::new(),
                    password_hash: hash("gongkai2026!"),
                    roles: vec![],
                },
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}", t.name);

        let (secret, csrf) = store.create_session(user.id, chrono::Duration::hours(8)).await.expect("session");
        let (actor, stored_csrf) =
            store.session(&secret, chrono::Duration::minutes(30)).await.expect("lookup").expect("live");
        assert_eq!(stored_csrf, csrf);
        assert_eq!(actor.username, name);
        assert!(actor.has(Role::Reviewer) && !actor.has(Role::Admin));
        assert!(store.session("s_not-a-session", chrono::Duration::minutes(30)).await.expect("lookup").is_none());

        store.set_password(&ctx, &name, hash("newpassword-1")).await.expect("set password");
        assert!(
            store.session(&secret, chrono::Duration::minutes(30)).await.expect("lookup").is_none(),
            "{}: sessions end on password change",
            t.name
        );
        let missing = store.set_password(&ctx, &Username::parse("nobody").expect("valid"), hash("newpassword-1")).await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))));
    }
}

#[tokio::test]
async fn tokens_authenticate_until_revoked() {
    for t in common::all().await {
        let store = &t.store;
        district_with_department(store).await;
        let ctx = AuditCtx::cli();
        let user = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: "11500114009130039C".into(),
                    username: Username::parse("admin").expect("valid"),
                    display_name: "管理员".into(),
                    password_hash: hash("gongkai2026!"),
                    roles: vec![Role::Admin],
                },
            )
            .await
            .expect("user");
        let (token, secret) = store.create_token(&ctx, user.id, "脚本").await.expect("token");
        let actor = store.actor_by_token(&secret).await.expect("lookup").expect("live");
        assert_eq!(actor.user_id, user.id, "{}", t.name);
        let listed = store.tokens_of(user.id).await.expect("list");
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some(), "{}: use is recorded", t.name);
        store.revoke_token(&ctx, token.id).await.expect("revoke");
        assert!(store.actor_by_token(&secret).await.expect("lookup").is_none(), "{}", t.name);
        assert!(matches!(store.revoke_token(&ctx, token.id).await, Err(StoreError::Conflict(_))));
        assert!(matches!(store.revoke_token(&ctx, 9999).await, Err(StoreError::NotFound(_))));
    }
}

#[tokio::test]
async fn audit_chain_records_every_change_and_resists_tampering() {
    for t in common::all().await {
        let store = &t.store;
        district_with_department(store).await;
        let report = store.verify_audit_chain().await.expect("verify");
        assert_eq!(report.verified, 2, "{}", t.name);
        assert_eq!(report.broken, None);
        let rows = store.recent_audit(Some(("org", "014109453")), 10).await.expect("audit rows");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].action, "org.create");
        assert_eq!(rows[0].actor, "cli");
        assert!(rows[0].after.contains("黔江区发展和改革委员会"));

        // The database itself refuses edits and deletions.
        let edit = sqlx_exec(&t.url, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").await;
        assert!(edit.is_err(), "{}: audit rows cannot be updated", t.name);
        let delete = sqlx_exec(&t.url, "DELETE FROM audit_log WHERE seq = 2").await;
        assert!(delete.is_err(), "{}: audit rows cannot be deleted", t.name);
    }
}

#[tokio::test]
async fn audit_chain_detects_a_row_rewritten_behind_the_triggers() {
    let t = common::sqlite().await;
    district_with_department(&t.store).await;
    sqlx_exec(&t.url, "DROP TRIGGER audit_log_no_update").await.expect("drop trigger");
    sqlx_exec(&t.url, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").await.expect("tamper");
    let report = t.store.verify_audit_chain().await.expect("verify");
    assert_eq!(report.verified, 0);
    assert_eq!(report.broken, Some(gongkai_core::ChainBreak::HashMismatch { seq: 1 }));
}

#[tokio::test]
async fn concurrent_writers_keep_the_chain_linear() {
    for t in common::all().await {
        let store = t.store.clone();
        district_with_department(&store).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let ctx = AuditCtx::cli();
                for j in 0..5 {
                    store
                        .create_user(
                            &ctx,
                            NewUser {
                                org_code: "014109453".into(),
                                username: Username::parse(&format!("u{i}-{j}")).expect("valid"),
                                display_name: String::new(),
                                password_hash: "$argon2id$placeholder".into(),
                                roles: vec![Role::Editor],
                            },
                        )
                        .await
                        .expect("concurrent create");
                }
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let report = store.verify_audit_chain().await.expect("verify");
        assert_eq!(report, gongkai_store::ChainReport { verified: 42, broken: None }, "{}", t.name);
    }
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    for t in common::all().await {
        sqlx_exec(
            &t.url,
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99991231000000, 'from the future', TRUE, X'00', 0)",
        )
        .await
        .or(sqlx_exec(
            &t.url,
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99991231000000, 'from the future', TRUE, '\\x00', 0)",
        )
        .await)
        .expect("fake newer migration");
        let err = Store::open_and_migrate(&t.url).await.expect_err("newer schema refused");
        assert!(matches!(err, StoreError::NewerSchema { database: 99991231000000, .. }), "{}: {err}", t.name);
        assert!(err.to_string().contains("新"), "{err}");
    }
}

#[tokio::test]
async fn unknown_url_schemes_fail_loudly() {
    let err = Store::open("mysql://root:pw@localhost/gk").await.expect_err("refused");
    assert!(matches!(err, StoreError::UnsupportedUrl(ref u) if u == "mysql://root:***@localhost/gk"));
}

/// Runs raw SQL on a fresh connection, outside the store's API (to play the attacker).
async fn sqlx_exec(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await?;
        sqlx::raw_sql(sql).execute(&mut c).await?;
    } else {
        let mut c = sqlx::PgConnection::connect(url).await?;
        sqlx::raw_sql(sql).execute(&mut c).await?;
    }
    Ok(())
}

/// Failed logins count per key and lock at the limit, on every backend; a success clears
/// the account's count, never the client's.
#[tokio::test]
async fn failed_logins_lock_at_the_limit_and_a_success_clears_the_account() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = gongkai_store::AuditCtx { actor: "editor".into(), origin: "203.0.113.5".into() };
        let keys = ["user:editor".to_string(), "ip:203.0.113.5".to_string()];
        let lock = chrono::Duration::minutes(15);
        for i in 0..4 {
            assert_eq!(store.login_failed(&ctx, &keys, 5, lock).await.expect("count"), None, "{} {i}", t.name);
        }
        let until = store.login_failed(&ctx, &keys, 5, lock).await.expect("count").expect("locked");
        // PostgreSQL keeps microseconds.
        let near =
            |t: Option<chrono::DateTime<chrono::Utc>>| t.is_some_and(|t| (t - until).num_milliseconds().abs() < 1);
        assert!(near(store.login_locked(&keys[..1]).await.expect("read")), "{}", t.name);
        store.login_succeeded(&ctx, &keys[0]).await.expect("success");
        assert_eq!(store.login_locked(&keys[..1]).await.expect("read"), None, "{}: the account is free", t.name);
        assert!(near(store.login_locked(&keys[1..]).await.expect("read")), "{}: the client stays locked", t.name);
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None);
    }
}
