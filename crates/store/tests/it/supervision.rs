//! Supervision's figures on every backend. The ranked table counts each org's published
//! items with metadata problems in one SQL condition; the org's detail lists them by
//! `core::supervision::metadata_problems`. Each rule is crafted once, with the Beijing-day
//! boundary of 成文日期晚于发布日期, and both must give the same answer.

use crate::common;

use gongkai_core::item::Validity;
use gongkai_store::{AuditCtx, ImportOutcome, ImportedItem, ItemDraft};

#[tokio::test]
async fn metadata_counted_in_sql_as_core_finds_it() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let top = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&chrono::Utc);
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let (ctx, dept_id) = (&ctx, dept.id);
        let mut n = 0;
        let mut import =
            |title: &'static str, draft: ItemDraft, published: &str, validity: Validity, repealed: &str| {
                n += 1;
                let imported = ImportedItem {
                    draft: ItemDraft { title: title.into(), body: "<p>正文</p>".into(), ..draft },
                    index_no: None,
                    published_at: at(published),
                    validity,
                    repealed_on: day(repealed),
                    source_key: format!("meta-{n}"),
                    source: format!("meta-{n}.jsonl"),
                    attachments: Vec::new(),
                };
                async move {
                    match store.import_item(ctx, dept_id, imported).await.expect("import") {
                        ImportOutcome::Created { id, .. } => id,
                        other => panic!("{other:?}"),
                    }
                }
            };
        let fine = || ItemDraft {
            topic: "综合政务".into(),
            genre: "通知".into(),
            written_on: day("2026-03-01"),
            ..Default::default()
        };
        let v = Validity::Valid;
        import("完整的通知", fine(), "2026-03-02T02:00:00Z", v, "").await;
        // Written on 2 March, published at 01:00 on 2 March in Beijing (17:00 UTC the day
        // before): the same day, not later.
        import(
            "北京时间当天发布",
            ItemDraft { written_on: day("2026-03-02"), ..fine() },
            "2026-03-01T17:00:00Z",
            v,
            "",
        )
        .await;
        let no_index = import("缺少索引号", fine(), "2026-03-02T02:00:00Z", v, "").await;
        import("缺少主题", ItemDraft { topic: String::new(), ..fine() }, "2026-03-02T02:00:00Z", v, "").await;
        import("缺少体裁", ItemDraft { genre: String::new(), ..fine() }, "2026-03-02T02:00:00Z", v, "").await;
        import(
            "规范性文件无文号",
            ItemDraft { genre: "行政规范性文件".into(), ..fine() },
            "2026-03-02T02:00:00Z",
            v,
            "",
        )
        .await;
        import("文号无法识别", ItemDraft { doc_no: "某某文件".into(), ..fine() }, "2026-03-02T02:00:00Z", v, "").await;
        let late = import("成文晚于发布", ItemDraft { written_on: day("2026-03-03"), ..fine() }, "2026-03-02T02:00:00Z", v, "")
            .await;
        import("废止无日期", fine(), "2026-03-02T02:00:00Z", Validity::Repealed, "").await;
        import("有效却有废止日期", fine(), "2026-03-02T02:00:00Z", v, "2026-04-01").await;
        common::raw(&t, &format!("UPDATE items SET index_no = NULL WHERE id = {no_index}")).await;
        // A published row without a publication time is compared with today, as core does
        // (written on 3 March, long before today: no longer a problem).
        common::raw(&t, &format!("UPDATE items SET published_at = NULL WHERE id = {late}")).await;

        let today = store.today();
        let cal = store.calendar().await.expect("calendar");
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let listed = store.metadata_issues(Some(dept.id), today).await.expect("issues");
        let titles: Vec<&str> = listed.iter().map(|(_, m)| m.title.as_str()).collect();
        assert_eq!(listed.len(), 7, "{}: {titles:?}", t.name);
        assert!(!titles.contains(&"完整的通知") && !titles.contains(&"北京时间当天发布"), "{}: {titles:?}", t.name);
        let ranked = store.supervision(&top, &cal, from, today, today).await.expect("ranked");
        let row = ranked.iter().find(|r| r.org_name == "区政府办公室").expect("row");
        assert_eq!(row.metadata_issues, 7, "{}: the ranked count is the detail's", t.name);
        assert_eq!(row.published, 9, "{}", t.name);
        let detail = store.org_detail(&dept, &cal, from, today, today).await.expect("detail");
        assert_eq!(detail.figures.metadata_issues, 7, "{}", t.name);
        common::raw(&t, &format!("UPDATE items SET written_on = '2099-01-01' WHERE id = {late}")).await;
        let ranked = store.supervision(&top, &cal, from, today, today).await.expect("ranked");
        let row = ranked.iter().find(|r| r.org_name == "区政府办公室").expect("row");
        assert_eq!(row.metadata_issues, 8, "{}: written after today, without a publication time", t.name);
    }
}

/// The count reads the partial index of rows with a problem: the store's condition and the
/// migration's are the same, or the planner would walk every published row.
#[tokio::test]
async fn metadata_problems_are_counted_from_their_index() {
    for t in common::all().await {
        let sql = gongkai_store::supervision::metadata_problem_counts_sql(t.store.backend()).replace("$1", "'/1/%'");
        let plan = common::plan(&t, &sql).await;
        assert!(plan.contains("items_metadata_problems"), "{}: {plan}", t.name);
    }
}
