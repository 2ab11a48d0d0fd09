//! A writer killed with SIGKILL in the middle of its transactions leaves the database
//! consistent: no half-written org or user, the audit chain intact and matching the data.
//! The writer is this same test binary run again as a child process with
//! `GK_KILL_CHILD_URL` set, so what gets killed is the real store code.

use crate::common;

use gongkai_core::{CreditCode, OrgIdent, OrgKind, Role, Username};
use gongkai_store::{AuditCtx, NewOrg, NewUser, Store};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The child's body: write orgs and users with three roles each, forever.
#[tokio::test]
async fn child_writer() {
    let Ok(url) = std::env::var("GK_KILL_CHILD_URL") else {
        return;
    };
    let ready = PathBuf::from(std::env::var("GK_KILL_CHILD_READY").expect("ready path"));
    let store = Store::open(&url).await.expect("open");
    let ctx = AuditCtx::system();
    let start = store.orgs().await.expect("orgs").len();
    for i in start.. {
        let code = CreditCode::complete(&format!("91320412{i:09}")).expect("code");
        store
            .create_org(
                &ctx,
                NewOrg {
                    parent_code: None,
                    ident: OrgIdent::Credit(code.clone()),
                    name: format!("单位{i}"),
                    short_name: String::new(),
                    kind: OrgKind::Department,
                },
            )
            .await
            .expect("org");
        store
            .create_user(
                &ctx,
                NewUser {
                    org_code: code.as_str().to_string(),
                    username: Username::parse(&format!("w{i}")).expect("name"),
                    display_name: String::new(),
                    password_hash: "$argon2id$v=19$m=19456,t=2,p=1$placeholder".into(),
                    roles: vec![Role::Editor, Role::Reviewer, Role::Approver],
                },
            )
            .await
            .expect("user");
        if i == start + 3 {
            std::fs::write(&ready, b"ready").expect("ready file");
        }
    }
}

fn kill_a_writer(url: &str, round: u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ready = dir.path().join("ready");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "kill::child_writer", "--nocapture", "--test-threads=1"])
        .env("GK_KILL_CHILD_URL", url)
        .env("GK_KILL_CHILD_READY", &ready)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "writer never became ready");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("writer exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // Let it write for a varying while, then kill it without warning (SIGKILL).
    std::thread::sleep(Duration::from_millis(37 * round + 11));
    child.kill().expect("kill writer");
    child.wait().expect("reap writer");
}

async fn assert_consistent(t: &common::TestStore) {
    let store = &t.store;
    let orgs = store.orgs().await.expect("orgs");
    assert!(orgs.len() >= 4, "{}: the writer wrote before being killed", t.name);
    for org in &orgs {
        assert_eq!(org.path.as_str(), format!("/{}/", org.id), "{}: org {} half-written", t.name, org.id);
        let users = store.users_in_org(org.id).await.expect("users");
        assert!(users.len() <= 1);
        for u in users {
            assert_eq!(u.roles.len(), 3, "{}: user {} lost roles", t.name, u.username.as_str());
        }
    }
    let report = store.verify_audit_chain().await.expect("verify");
    assert_eq!(report.broken, None, "{}", t.name);
    let users: usize = {
        let mut n = 0;
        for org in &orgs {
            n += store.users_in_org(org.id).await.expect("users").len();
        }
        n
    };
    assert_eq!(report.verified as usize, orgs.len() + users, "{}: one audit row per committed change", t.name);
}

#[tokio::test]
async fn killing_a_writer_mid_transaction_leaves_the_database_consistent() {
    if std::env::var("GK_KILL_CHILD_URL").is_ok() {
        return;
    }
    for t in common::all().await {
        for round in 1..=3 {
            kill_a_writer(&t.url, round);
            // Reopen as a new process would, and check after every kill.
            let reopened = common::TestStore {
                name: t.name,
                store: Store::open_and_migrate(&t.url).await.expect("reopen"),
                url: t.url.clone(),
                _dir: None,
            };
            assert_consistent(&reopened).await;
        }
        if t.name == "sqlite" {
            use sqlx::Connection;
            let mut c = sqlx::SqliteConnection::connect(&t.url).await.expect("connect");
            let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut c).await.expect("check");
            assert_eq!(check, "ok");
        }
    }
}
