//! The self-check's stored inputs on every backend. A site's 表述检查词表: saved by the
//! office under a version, a stale save refused, a list that does not read refused with
//! nothing stored, an editor refused, the office of a department keeping its government's
//! (the site's) list. The home page's probes, counted.

use crate::common;

use gongkai_core::Role;
use gongkai_store::{AuditCtx, StoreError};

#[tokio::test]
async fn the_office_keeps_its_sites_list_under_a_version() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let office = common::staff(store, "11500114709480021G", "gongkaiban", vec![Role::Supervisor]).await;
        let editor = common::staff(store, "11500114709480021G", "editor", vec![Role::Editor]).await;
        assert!(store.wording_list(gov.id).await.expect("read").is_none(), "{}", t.name);

        let list = "领导 | 张三 | 区委副书记、区长\n";
        assert_eq!(store.save_wording_list(&ctx, &office, list, None).await.expect("save"), 1, "{}", t.name);
        let kept = store.wording_list(gov.id).await.expect("read").expect("kept under the site");
        assert_eq!((kept.text.as_str(), kept.version, kept.updated_by.as_str()), (list, 1, "gongkaiban"));
        assert!(matches!(store.save_wording_list(&ctx, &office, list, None).await, Err(StoreError::Conflict(_))));
        assert!(matches!(
            store.save_wording_list(&ctx, &office, "领导 | 王 | 区长", Some(1)).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(store.save_wording_list(&ctx, &editor, list, Some(1)).await.is_err(), "{}: an editor", t.name);
        assert_eq!(store.save_wording_list(&ctx, &office, "领导 | 张三 | 副区长\r\n", Some(1)).await.expect("save"), 2);
        assert_eq!(store.wording_list(gov.id).await.expect("read").expect("kept").text, "领导 | 张三 | 副区长\n");
    }
}

/// Offices saving at once over the same version, or a first list at once: one save wins,
/// every other is refused as stale (never a lost write, never a store error), and the audit
/// trail holds only the saves that happened.
#[tokio::test]
async fn saves_at_once_one_wins_the_others_are_stale() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office = common::staff(store, "11500114009130039C", "gongkaiban", vec![Role::Supervisor]).await;
        for expected in [None, Some(1)] {
            let saves = (0..6).map(|i| {
                let (store, ctx, office) = (store.clone(), ctx.clone(), office.clone());
                tokio::spawn(async move {
                    let list = format!("领导 | 张三{i} | 区长\n");
                    store.save_wording_list(&ctx, &office, &list, expected).await
                })
            });
            let mut won = 0;
            for s in saves.collect::<Vec<_>>() {
                match s.await.expect("join") {
                    Ok(v) => {
                        won += 1;
                        assert_eq!(Some(v), Some(expected.map_or(1, |e| e + 1)), "{}", t.name);
                    }
                    Err(StoreError::Conflict(_)) => {}
                    Err(e) => panic!("{}: {e:?}", t.name),
                }
            }
            assert_eq!(won, 1, "{}: {expected:?}", t.name);
        }
        let kept = store.wording_list(gov.id).await.expect("read").expect("kept");
        assert_eq!(kept.version, 2, "{}", t.name);
        assert_eq!(
            common::count(&t, "SELECT COUNT(*) FROM audit_log WHERE action = 'wording.save'").await,
            Some(2),
            "{}",
            t.name
        );
    }
}

/// The home page's probes on every backend: counted since a time, failures told by status.
#[tokio::test]
async fn probes_of_the_home_page_are_counted() {
    for t in common::all().await {
        let store = &t.store;
        let since = store.now() - chrono::Duration::minutes(1);
        assert_eq!(store.site_probes_since(since).await.expect("count"), None, "{}: not probing", t.name);
        store.record_site_probe(200, 35, "").await.expect("record");
        store.record_site_probe(302, 40, "").await.expect("record");
        store.record_site_probe(502, 12, "").await.expect("record");
        store.record_site_probe(0, 10_000, "operation timed out").await.expect("record");
        let p = store.site_probes_since(since).await.expect("count").expect("probes");
        assert_eq!((p.total, p.failed), (4, 2), "{}", t.name);
    }
}
