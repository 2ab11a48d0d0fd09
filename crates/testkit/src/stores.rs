//! Fresh stores: a SQLite file always, and a fresh PostgreSQL database when
//! `GONGKAI_TEST_PG_URL` names a server (CI sets it), so each story runs on both.

use gongkai_store::Store;
use sqlx::Connection;

pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    pub url: String,
    pub _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("gongkai.db").display());
    let store = Store::open_and_migrate(&url).await.expect("sqlite store");
    TestStore { name: "sqlite", store, url, _dir: Some(dir) }
}

/// A new, empty database on the test PostgreSQL server, if one is configured.
pub async fn postgres() -> Option<TestStore> {
    let admin_url = std::env::var("GONGKAI_TEST_PG_URL").ok().filter(|s| !s.is_empty())?;
    let db = format!("gk_test_{}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to GONGKAI_TEST_PG_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let url = match admin_url.rfind('/') {
        Some(i) if admin_url[..i].contains("://") && i > admin_url.find("://").unwrap_or(0) + 2 => {
            let (base, rest) = admin_url.split_at(i);
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{base}/{db}{query}")
        }
        _ => format!("{admin_url}/{db}"),
    };
    let store = Store::open_and_migrate(&url).await.expect("postgres store");
    Some(TestStore { name: "postgres", store, url, _dir: None })
}

/// Every backend available to this test run.
pub async fn all() -> Vec<TestStore> {
    let mut stores = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        stores.push(pg);
    }
    stores
}

/// Adds an org (under `parent`, or a root) with a code and a name: a government at the
/// root, a department below.
pub async fn org(store: &Store, parent: Option<&str>, code: &str, name: &str) -> gongkai_store::Org {
    let kind = if parent.is_none() { gongkai_core::OrgKind::Government } else { gongkai_core::OrgKind::Department };
    org_of_kind(store, parent, code, name, kind).await
}

/// Adds a staff member of an org with roles; answers the acting identity.
pub async fn staff(store: &Store, org_code: &str, name: &str, roles: Vec<gongkai_core::Role>) -> gongkai_core::Actor {
    let u = store
        .create_user(
            &gongkai_store::AuditCtx::cli(),
            gongkai_store::NewUser {
                org_code: org_code.into(),
                username: gongkai_core::Username::parse(name).expect("user name"),
                display_name: String::new(),
                password_hash: "x".into(),
                roles,
            },
        )
        .await
        .expect("user");
    store.actor(u.id).await.expect("actor").expect("active")
}

/// Runs a statement behind the store's back (to damage a row on purpose).
pub async fn raw(t: &TestStore, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if t.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&t.url).await.expect("connect");
        sqlx::raw_sql(sql).execute(&mut c).await.expect("raw statement");
    } else {
        let mut c = sqlx::PgConnection::connect(&t.url).await.expect("connect");
        sqlx::raw_sql(sql).execute(&mut c).await.expect("raw statement");
    }
}

/// The one number a query answers, read outside the store (`None` when it fails, as when the
/// table is not there yet).
pub async fn count(t: &TestStore, sql: &str) -> Option<i64> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if t.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&t.url).await.ok()?;
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut c).await.ok()
    } else {
        let mut c = sqlx::PgConnection::connect(&t.url).await.ok()?;
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut c).await.ok()
    }
}

/// The planner's plan for a query, as text (SQLite's `EXPLAIN QUERY PLAN` details, or
/// PostgreSQL's `EXPLAIN` with sequential scans discouraged, as on a table of a million
/// rows rather than a test's dozen).
pub async fn plan(t: &TestStore, sql: &str) -> String {
    if t.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&t.url).await.expect("connect");
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(&mut c)
                .await
                .expect("plan");
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
    } else {
        let mut c = sqlx::PgConnection::connect(&t.url).await.expect("connect");
        sqlx::raw_sql("SET enable_seqscan = off").execute(&mut c).await.expect("set");
        let rows: Vec<(String,)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}"))).fetch_all(&mut c).await.expect("plan");
        rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
    }
}

/// Adds an org of a kind (under `parent`, or a root) with a code and a name.
pub async fn org_of_kind(
    store: &Store,
    parent: Option<&str>,
    code: &str,
    name: &str,
    kind: gongkai_core::OrgKind,
) -> gongkai_store::Org {
    store
        .create_org(
            &gongkai_store::AuditCtx::cli(),
            gongkai_store::NewOrg {
                parent_code: parent.map(str::to_string),
                ident: gongkai_core::OrgIdent::parse(code).expect("org code"),
                name: name.into(),
                short_name: String::new(),
                kind,
            },
        )
        .await
        .expect("org")
}

/// Takes a draft item through the 三审 to publication: submitted and published by `editor`,
/// passed by `reviewer`, approved by `approver`.
pub async fn publish(
    store: &Store,
    item: i64,
    editor: &gongkai_core::Actor,
    reviewer: &gongkai_core::Actor,
    approver: &gongkai_core::Actor,
) -> gongkai_store::Item {
    use gongkai_core::item::{Command, Decision};
    let ctx = gongkai_store::AuditCtx::cli();
    let x = gongkai_store::TransitionExtra::default;
    store.apply(&ctx, editor, item, Command::Submit, x(), &[]).await.expect("submit");
    let review = Command::Review { decision: Decision::Pass, comment: String::new(), confirms_exception: false };
    store.apply(&ctx, reviewer, item, review, x(), &[]).await.expect("review");
    let approve = Command::Approve { decision: Decision::Pass, comment: String::new() };
    store.apply(&ctx, approver, item, approve, x(), &[]).await.expect("approve");
    store.apply(&ctx, editor, item, Command::Publish, x(), &[]).await.expect("publish")
}
