//! What nodes on one database share, on every backend: a day's run of a scheduled job is
//! claimed by exactly one of many racing claimants and taken over only when its holder
//! died; rate-limit hits are counted across handles; files kept in the database come back
//! whole, once per content, chunked; a cluster lock is held by one holder at a time; a
//! deadlock PostgreSQL breaks is a conflict to retry.

use crate::common;
use gongkai_store::files::{Blobs, FileStorage};
use std::time::Duration;

#[tokio::test]
async fn a_days_run_is_claimed_once_and_taken_over_when_stale() {
    for t in common::all().await {
        let store = &t.store;
        // The readiness probe's query answers on every backend (it failed on PostgreSQL).
        store.ping().await.unwrap_or_else(|e| panic!("{}: ping: {e}", t.name));
        let t0: chrono::DateTime<chrono::Utc> = "2026-12-04T01:00:00Z".parse().expect("time");
        store.clock().set(Some(t0));
        let lease = Duration::from_secs(1800);
        // Eight nodes race for the same day's reminders: exactly one wins.
        let mut tasks = Vec::new();
        for n in 0..8 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.claim_job("reminders", "2026-12-04", &format!("node{n}"), lease).await.expect("claim")
            }));
        }
        let mut won = 0;
        for task in tasks {
            won += usize::from(task.await.expect("task"));
        }
        assert_eq!(won, 1, "{}: one claimant of eight", t.name);
        assert!(!store.job_done("reminders", "2026-12-04").await.expect("done"), "{}", t.name);
        // Within the lease nobody else may take it; after it, the holder is presumed dead.
        store.clock().set(Some(t0 + chrono::Duration::minutes(29)));
        assert!(!store.claim_job("reminders", "2026-12-04", "late", lease).await.expect("claim"), "{}", t.name);
        store.clock().set(Some(t0 + chrono::Duration::minutes(31)));
        assert!(store.claim_job("reminders", "2026-12-04", "heir", lease).await.expect("claim"), "{}", t.name);
        store.finish_job("reminders", "2026-12-04", "heir").await.expect("finish");
        assert!(store.job_done("reminders", "2026-12-04").await.expect("done"), "{}", t.name);
        // A finished run is never claimed again, however old; the next day is a new run.
        store.clock().set(Some(t0 + chrono::Duration::hours(20)));
        assert!(!store.claim_job("reminders", "2026-12-04", "again", lease).await.expect("claim"), "{}", t.name);
        assert!(store.claim_job("reminders", "2026-12-05", "again", lease).await.expect("claim"), "{}", t.name);
        // Another job the same day is its own run.
        assert!(store.claim_job("site_check", "2026-12-04", "x", lease).await.expect("claim"), "{}", t.name);
    }
}

#[tokio::test]
async fn rate_hits_are_counted_across_handles_per_window() {
    for t in common::all().await {
        let store = &t.store;
        let t0: chrono::DateTime<chrono::Utc> = "2026-12-04T01:00:05Z".parse().expect("time");
        store.clock().set(Some(t0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move { s.rate_hit("post:10.0.0.1", 60).await.expect("hit") }));
        }
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.expect("task"));
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=10).collect::<Vec<i64>>(), "{}: every hit counted once", t.name);
        assert_eq!(store.rate_hit("post:10.0.0.2", 60).await.expect("hit"), 1, "{}: another key", t.name);
        // The next minute starts again.
        store.clock().set(Some(t0 + chrono::Duration::seconds(60)));
        assert_eq!(store.rate_hit("post:10.0.0.1", 60).await.expect("hit"), 1, "{}", t.name);
    }
}

#[tokio::test]
async fn files_in_the_database_come_back_whole_once_per_content() {
    for t in common::all().await {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::for_store(&t.store, FileStorage::Database, dir.path());
        assert!(blobs.is_database(), "{}", t.name);
        // Larger than two chunks, with every byte value.
        let big: Vec<u8> = (0..(2 * gongkai_store::cluster::CHUNK + 12345)).map(|i| (i * 7 % 256) as u8).collect();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (b, bytes) = (blobs.clone(), big.clone());
            tasks.push(tokio::spawn(async move { b.put(&bytes).await.expect("put") }));
        }
        let mut shas = Vec::new();
        for task in tasks {
            shas.push(task.await.expect("task"));
        }
        shas.dedup();
        assert_eq!(shas, vec![Blobs::hash(&big)], "{}: the same content is one file", t.name);
        assert_eq!(blobs.get(&shas[0]).await.expect("get"), big, "{}", t.name);
        assert_eq!(blobs.size(&shas[0]).await.expect("size"), Some(big.len() as u64), "{}", t.name);
        assert!(dir.path().read_dir().expect("dir").next().is_none(), "{}: nothing written to the directory", t.name);
        // A file stored in the directory before the move is still found.
        let old = Blobs::new(dir.path()).put(b"from before").await.expect("old");
        assert_eq!(blobs.get(&old).await.expect("get"), b"from before", "{}", t.name);
        let missing = "0".repeat(64);
        assert!(blobs.get(&missing).await.is_err(), "{}", t.name);
        assert_eq!(blobs.size(&missing).await.expect("size"), None, "{}", t.name);
        assert!(blobs.get("../../etc/passwd").await.is_err(), "{}", t.name);
        // The empty file too.
        let empty = blobs.put(b"").await.expect("empty");
        assert_eq!(blobs.get(&empty).await.expect("get"), b"", "{}", t.name);
    }
}

#[tokio::test]
async fn a_cluster_lock_has_one_holder_at_a_time() {
    for t in common::all().await {
        let store = t.store.clone();
        let inside = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (s, inside, most) = (store.clone(), inside.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                let lock = s.lock("demo").await.expect("lock");
                let now = inside.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                inside.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                lock.release().await;
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        if t.store.backend() == gongkai_store::Backend::Postgres {
            assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1, "{}: one holder at a time", t.name);
        }
    }
}

#[tokio::test]
async fn an_archive_reads_the_revisions_published_in_its_year() {
    use gongkai_core::Role;
    use gongkai_core::item::DisclosureAttr;
    for t in common::all().await {
        let store = &t.store;
        let org = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let e = common::staff(store, "11500114009130039C", "ar-e", vec![Role::Editor]).await;
        let r = common::staff(store, "11500114009130039C", "ar-r", vec![Role::Reviewer]).await;
        let a = common::staff(store, "11500114009130039C", "ar-a", vec![Role::Approver]).await;
        store.clock().set(Some("2025-12-31T15:00:00Z".parse().expect("time")));
        let draft = gongkai_store::ItemDraft {
            title: "关于归档测试的通知".into(),
            body: "<p>正文</p>".into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            topic: "其他".into(),
            genre: "通知".into(),
            ..Default::default()
        };
        let item = store.create_item(&gongkai_store::AuditCtx::cli(), &e, org.id, draft).await.expect("draft");
        // 23:00 on 31 December Beijing time is still 2025; 2026 begins at 16:00 UTC.
        common::publish(store, item.id, &e, &r, &a).await;
        let year = |y: i32| {
            let from = chrono::NaiveDate::from_ymd_opt(y, 1, 1).expect("d").and_hms_opt(0, 0, 0).expect("t").and_utc()
                - chrono::Duration::hours(8);
            (from, from + chrono::Duration::days(365))
        };
        let (f, to) = year(2025);
        let got = store.archive_revisions(org.id, f, to, (0, 0), 10).await.expect("archive");
        assert_eq!(got.len(), 1, "{}", t.name);
        assert_eq!(
            (got[0].item_id, got[0].rev, got[0].title.as_str()),
            (item.id, 1, "关于归档测试的通知"),
            "{}",
            t.name
        );
        let (f, to) = year(2026);
        assert!(store.archive_revisions(org.id, f, to, (0, 0), 10).await.expect("archive").is_empty(), "{}", t.name);
        let (f, to) = year(2025);
        assert!(
            store.archive_revisions(org.id, f, to, (item.id, 1), 10).await.expect("after").is_empty(),
            "{}",
            t.name
        );
        let register = store.register_of(&[item.id]).await.expect("register");
        assert_eq!(register.iter().map(|g| g.event.as_str()).collect::<Vec<_>>(), vec!["publish"], "{}", t.name);
    }
}

/// PostgreSQL breaks a deadlock by failing one of the transactions in it (two nodes moving
/// requests between the same two orgs at once meet on their tally rows): nothing of that
/// transaction was written, and the store says so as a conflict to retry — a message in
/// Chinese — not as a failure of the database.
#[tokio::test]
async fn a_deadlock_is_a_conflict_to_retry() {
    use sqlx::Connection;
    let Some(t) = common::postgres().await else { return };
    let a = common::org(&t.store, None, "11500114009130039C", "重庆市黔江区人民政府").await.id;
    let b = common::org(&t.store, Some("11500114009130039C"), "014109453", "黔江区统计局").await.id;
    let mut first = sqlx::PgConnection::connect(&t.url).await.expect("connect");
    let mut second = sqlx::PgConnection::connect(&t.url).await.expect("connect");
    let touch = "UPDATE orgs SET name = name WHERE id = $1";
    for (c, id) in [(&mut first, a), (&mut second, b)] {
        sqlx::raw_sql("BEGIN").execute(&mut *c).await.expect("begin");
        sqlx::query(touch).bind(id).execute(&mut *c).await.expect("first lock");
    }
    // Each now waits for the row the other holds.
    let waiting = tokio::spawn(async move {
        let r = sqlx::query(touch).bind(b).execute(&mut first).await.map(|_| ());
        (first, r)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r2 = sqlx::query(touch).bind(a).execute(&mut second).await.map(|_| ());
    let (_first, r1) = waiting.await.expect("task");
    let failed: Vec<sqlx::Error> = [r1, r2].into_iter().filter_map(Result::err).collect();
    assert_eq!(failed.len(), 1, "PostgreSQL fails one of the two: {failed:?}");
    for e in failed {
        match gongkai_store::StoreError::from(e) {
            gongkai_store::StoreError::Conflict(message) => assert_eq!(message, "与他人的操作同时进行，未保存：请重试"),
            other => panic!("a deadlock is a conflict to retry, not {other:?}"),
        }
    }
}
