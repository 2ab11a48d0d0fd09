//! A JSONL file of many documents imported as `gongkai import` does it: in batches of one
//! transaction each, every line reported in the file's order, a bad line costing only
//! itself, the same line twice one item, and the audit chain intact.

use crate::common;

use gongkai_store::importer::{DocReport, ImportTarget, import_path};
use gongkai_store::{AuditCtx, ImportOutcome, PublicQuery};

#[tokio::test]
async fn a_large_jsonl_file_goes_in_by_batches_line_by_line() {
    for ts in common::all().await {
        let store = &ts.store;
        let org = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("laws.jsonl");
        let mut lines: Vec<String> = Vec::new();
        for i in 0..1203 {
            lines.push(match i {
                // Not JSON: refused on its own, in its place.
                700 => "{not json".to_string(),
                // No title: refused by the store, inside a batch that otherwise goes in.
                900 => r#"{"title": "  ", "body": "没有标题的正文"}"#.to_string(),
                // The same line as line 1: one item.
                1100 => lines[0].clone(),
                _ => format!(
                    r#"{{"title": "第{i}号测试条例", "body": "第一条 为了测试批量导入，制定本条例。编号{i}。", "written_on": "2019-02-17"}}"#
                ),
            });
        }
        std::fs::write(&path, lines.join("\n")).expect("write");
        let mut seen: Vec<DocReport> = Vec::new();
        let summary =
            import_path(store, &AuditCtx::cli(), ImportTarget { org_id: org.id, section_id: None }, &path, &mut |r| {
                seen.push(r.clone())
            })
            .await
            .expect("import");
        assert_eq!((summary.imported, summary.skipped, summary.failed), (1200, 1, 2), "{}", ts.name);
        let order: Vec<usize> = seen
            .iter()
            .map(|r| r.source.rsplit(':').next().and_then(|n| n.parse().ok()).expect("line number"))
            .collect();
        assert_eq!(order, (1..=1203).collect::<Vec<_>>(), "{}: reported in the file's order", ts.name);
        assert!(seen[700].outcome.as_ref().is_err_and(|e| e.contains("JSON 格式有误")), "{}", ts.name);
        assert!(seen[900].outcome.as_ref().is_err_and(|e| e.contains("标题")), "{}", ts.name);
        assert!(matches!(seen[1100].outcome, Ok(ImportOutcome::Skipped { .. })), "{}", ts.name);
        // Each line's report names the item made of that line (items go in many to a
        // statement, and the rows come back in no promised order).
        for (line, report) in seen.iter().enumerate().step_by(37) {
            let Ok(ImportOutcome::Created { id, .. }) = &report.outcome else { continue };
            let item = store.item(*id).await.expect("item").expect("stored");
            assert_eq!(item.title, format!("第{line}号测试条例"), "{}: line {}", ts.name, line + 1);
        }
        let (_, total) = store.public_items(&PublicQuery { per_page: 1, ..Default::default() }).await.expect("list");
        assert_eq!(total, 1200, "{}", ts.name);
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None, "{}", ts.name);
        // Again: nothing new.
        let again =
            import_path(store, &AuditCtx::cli(), ImportTarget { org_id: org.id, section_id: None }, &path, &mut |_| {})
                .await
                .expect("import again");
        assert_eq!((again.imported, again.skipped, again.failed), (0, 1201, 2), "{}", ts.name);
    }
}

/// A batch writes its items' rows together at its end, so it must know what it wrote itself:
/// a source twice in one batch is one item, a 索引号 twice keeps the first (the second item
/// is numbered afresh, past the numbers the batch's own items keep), and every item still
/// gets its revision, register row, event, outbox row and audit row.
#[tokio::test]
async fn a_batch_knows_what_it_wrote_itself() {
    use gongkai_store::{ImportedItem, ItemDraft};
    for ts in common::all().await {
        let store = &ts.store;
        let org = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let doc = |key: &str, title: &str, index_no: Option<&str>| ImportedItem {
            draft: ItemDraft { title: title.into(), body: "<p>正文</p>".into(), ..Default::default() },
            index_no: index_no.map(str::to_string),
            published_at: gongkai_store::Clock::system().now() - chrono::Duration::days(1),
            validity: gongkai_core::item::Validity::Valid,
            repealed_on: None,
            source_key: key.into(),
            source: format!("{key}.html"),
            attachments: Vec::new(),
        };
        let ctx = AuditCtx::cli();
        let first = store.import_item(&ctx, org.id, doc("stored", "已有的文件", Some("A-1"))).await.expect("import");
        let ImportOutcome::Created { id: stored, .. } = first else { panic!("{first:?}") };
        let head_before = store.outbox_head().await.expect("head");
        // The number the org's counter would give first, already printed on an imported
        // document.
        let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(
            gongkai_store::Clock::system().now() - chrono::Duration::days(1),
        ));
        let kept = format!("11500114009130039C/{year}-00001");
        let out = store
            .import_items(
                &ctx,
                org.id,
                vec![
                    doc("a", "甲文件", Some("A-2")),
                    doc("a", "甲文件（重复）", None),
                    doc("b", "乙文件", Some("A-2")),
                    doc("c", "丙文件", Some("A-1")),
                    doc("d", "   ", None),
                    doc("stored", "已有的文件", Some("A-1")),
                    doc("e", "戊文件", Some(&kept)),
                ],
            )
            .await
            .expect("batch");
        let ids: Vec<i64> = out
            .iter()
            .filter_map(|o| match o {
                Ok(ImportOutcome::Created { id, .. }) | Ok(ImportOutcome::Skipped { id }) => Some(*id),
                Err(_) => None,
            })
            .collect();
        assert_eq!(ids.len(), 6, "{}: {out:?}", ts.name);
        assert!(matches!(out[1], Ok(ImportOutcome::Skipped { id }) if id == ids[0]), "{}: {out:?}", ts.name);
        for (i, taken_by, seq) in [(2, ids[0], 2), (3, stored, 3)] {
            let Ok(ImportOutcome::Created { id, warnings }) = &out[i] else { panic!("{}: {out:?}", ts.name) };
            let numbered = format!("11500114009130039C/{year}-{seq:05}");
            assert!(
                warnings.iter().any(|w| w.contains(&format!("已被信息 {taken_by} 使用，本条另编索引号 {numbered}"))),
                "{}: {warnings:?}",
                ts.name
            );
            assert_eq!(
                store.item(*id).await.expect("item").expect("stored").index_no.as_deref(),
                Some(numbered.as_str()),
                "{}",
                ts.name
            );
        }
        assert_eq!(
            store.item(ids[5]).await.expect("item").expect("stored").index_no.as_deref(),
            Some(kept.as_str()),
            "{}",
            ts.name
        );
        assert!(out[4].as_ref().is_err_and(|e| e.to_string().contains("标题")), "{}", ts.name);
        assert!(matches!(out[5], Ok(ImportOutcome::Skipped { id }) if id == stored), "{}", ts.name);
        assert_eq!(store.item(ids[0]).await.expect("item").expect("stored").index_no.as_deref(), Some("A-2"));
        let created = [ids[0], ids[2], ids[3], ids[5]];
        let changed: Vec<i64> =
            store.outbox_after(head_before, 100).await.expect("outbox").into_iter().map(|(_, _, id)| id).collect();
        assert_eq!(changed, created, "{}: one outbox row per new item, in order", ts.name);
        for id in created {
            let public = store.public_item(id).await.expect("public").expect("public revision");
            assert_eq!(public.id, id, "{}", ts.name);
            assert_eq!(public.body, "<p>正文</p>", "{}: the public revision keeps the body", ts.name);
            let register = store.register(None, Some(id), 10).await.expect("register");
            assert_eq!(register.len(), 1, "{}", ts.name);
            assert_eq!((register[0].event.as_str(), register[0].rev), ("import", Some(1)), "{}", ts.name);
            let events = store.item_events(id).await.expect("events");
            assert_eq!(events.len(), 1, "{}", ts.name);
        }
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None, "{}", ts.name);
        let imports = store
            .recent_audit(None, 100)
            .await
            .expect("audit")
            .into_iter()
            .filter(|r| r.action == "item.import")
            .count();
        assert_eq!(imports, 5, "{}: one audit row per new item", ts.name);
    }
}

/// A new SQLite database gets 16 KB pages (an item's body on one page, not spilling into an
/// overflow page) in WAL mode; a database made before with 4 KB pages opens and works as it is.
#[tokio::test]
async fn a_new_sqlite_database_has_large_pages_and_an_old_one_keeps_its_own() {
    use sqlx::Connection;
    let ask = |url: String| async move {
        let mut c = sqlx::SqliteConnection::connect(&url).await.expect("connect");
        let size: (i64,) = sqlx::query_as("PRAGMA page_size").fetch_one(&mut c).await.expect("page size");
        let mode: (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut c).await.expect("mode");
        (size.0, mode.0)
    };
    let ts = common::sqlite().await;
    assert_eq!(ask(ts.url.clone()).await, (16384, "wal".to_string()));
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    {
        let mut c = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc")).await.expect("create");
        sqlx::query("PRAGMA page_size = 4096").execute(&mut c).await.expect("size");
        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut c).await.expect("wal");
        sqlx::query("CREATE TABLE before_us (x INTEGER)").execute(&mut c).await.expect("table");
    }
    let store = gongkai_store::Store::open_and_migrate(&url).await.expect("open the old database");
    common::org(&store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
    assert_eq!(ask(url).await, (4096, "wal".to_string()));
}
