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
