//! A JSONL file of many documents imported as `gongkai import` does it: in batches of one
//! transaction each, every line reported in the file's order, a bad line costing only
//! itself, the same line twice one item, and the audit chain intact.

mod common;

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
