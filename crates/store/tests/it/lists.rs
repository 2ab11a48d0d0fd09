//! Structured lists on every backend: the shipped kinds are in the store; an adjustment is
//! public only after review and sign-off by others than its drafter; a natural person's
//! 处罚 row is masked in what the public reads and searches; a 公示期限 that ends takes the
//! row off the public table and keeps it stored; 取消 and 调整 write each row's history; a
//! change to a row already removed cannot be signed off.

use crate::common;

use gongkai_core::Role;
use gongkai_core::list::{AdjustKind, RowChange, Values};
use gongkai_core::review::{ReviewState, ReviewStep};
use gongkai_store::{AuditCtx, ListError, NewAdjustment, RowQuery};

use gongkai_testkit::lists::penalty;

#[tokio::test]
async fn adjustments_are_reviewed_then_public_and_masked() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        store.clock().set(Some(today.and_hms_opt(2, 0, 0).expect("t").and_utc()));
        let org = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let editor = common::staff(store, "11500114009130039C", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114009130039C", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114009130039C", "approver", vec![Role::Approver, Role::Editor]).await;

        let kinds = store.list_kinds().await.expect("kinds");
        assert!(kinds.len() >= 16 && kinds[0].kind.code == "power", "{}", t.name);

        let new = |changes: Vec<RowChange>, adjust: AdjustKind| NewAdjustment {
            kind: "penalty".into(),
            org_id: org.id,
            adjust,
            basis: "黔江市监〔2026〕5号".into(),
            effective_on: today,
            changes,
        };
        let add = vec![
            RowChange { row_id: None, values: penalty("王小明", "自然人", "2027-11-01") },
            RowChange {
                row_id: None, values: penalty("黔江区某某食品有限公司", "法人及非法人组织", "2026-12-02")
            },
        ];
        // A bad row refuses the whole adjustment; nothing is stored.
        let mut bad = add.clone();
        bad[1].values.insert("amount".into(), "-1".into());
        assert!(matches!(
            store.draft_list_adjustment(&ctx, &editor, new(bad, AdjustKind::Add)).await,
            Err(ListError::Refused(_))
        ));
        assert!(store.list_adjustments(Some("penalty"), None, false, 10).await.expect("list").is_empty());

        let a = store.draft_list_adjustment(&ctx, &editor, new(add, AdjustKind::Add)).await.expect("draft");
        assert_eq!(a.state, ReviewState::Draft);
        let step = |actor: &gongkai_core::Actor, s: ReviewStep| {
            let actor = actor.clone();
            let ctx = ctx.clone();
            async move { store.list_adjustment_step(&ctx, &actor, a.id, s).await }
        };
        step(&editor, ReviewStep::Submit).await.expect("submit");
        let public = |q: &str| {
            let q = RowQuery { q: q.into(), limit: 20, ..Default::default() };
            async move { store.public_list_rows("penalty", &q, today).await.expect("rows") }
        };
        assert_eq!(public("").await.1, 0, "{}: not public before sign-off", t.name);
        assert!(matches!(step(&editor, ReviewStep::Pass).await, Err(ListError::Review(_))));
        step(&reviewer, ReviewStep::Pass).await.expect("pass");
        let signed = step(&approver, ReviewStep::Approve).await.expect("approve");
        assert_eq!(signed.state, ReviewState::Published);

        // The company's 公示期限 ended yesterday: only the natural person is shown, masked.
        let (rows, total) = public("").await;
        assert_eq!(total, 1, "{}", t.name);
        assert_eq!(rows[0].title, "王小明");
        let kind = store.list_kind("penalty").await.expect("kind").expect("penalty");
        assert_eq!(kind.public_values(&rows[0].values())["subject_name"], "王**");
        assert_eq!(public("王小明").await.1, 0, "{}: the full name finds nothing", t.name);
        assert_eq!(public("罚款 王").await.1, 1, "{}", t.name);
        let expired = store.expire_list_rows(&ctx, today).await.expect("expire");
        assert_eq!(expired, 1, "{}", t.name);
        let company = store.list_row(rows[0].id + 1).await.expect("row").expect("the expired row stays stored");
        assert_eq!(company.removed_as, "expired", "{}", t.name);
        assert_eq!(company.removed_on, chrono::NaiveDate::from_ymd_opt(2026, 12, 3));

        // 调整 then 取消 of the same row: history in order; a second 取消 drafted before the
        // first was signed cannot be signed after it.
        let row = rows[0].id;
        let mut changed = penalty("王小明", "自然人", "2027-11-01");
        changed.insert("amount".into(), "0.8".into());
        let c = store
            .draft_list_adjustment(
                &ctx,
                &editor,
                new(vec![RowChange { row_id: Some(row), values: changed }], AdjustKind::Change),
            )
            .await
            .expect("change");
        let cancel = |n: &str| {
            let n = n.to_string();
            let ctx = ctx.clone();
            let editor = editor.clone();
            async move {
                let mut a = new(vec![RowChange { row_id: Some(row), values: Values::new() }], AdjustKind::Cancel);
                a.basis = n;
                store.draft_list_adjustment(&ctx, &editor, a).await.expect("cancel")
            }
        };
        let x1 = cancel("复议决定撤销").await;
        let x2 = cancel("重复").await;
        for id in [c.id, x1.id, x2.id] {
            store.list_adjustment_step(&ctx, &editor, id, ReviewStep::Submit).await.expect("submit");
            store.list_adjustment_step(&ctx, &reviewer, id, ReviewStep::Pass).await.expect("pass");
        }
        store.list_adjustment_step(&ctx, &approver, c.id, ReviewStep::Approve).await.expect("change signed");
        assert_eq!(public("").await.0[0].values()["amount"], "0.80");
        store.list_adjustment_step(&ctx, &approver, x1.id, ReviewStep::Approve).await.expect("cancel signed");
        assert!(store.list_adjustment_step(&ctx, &approver, x2.id, ReviewStep::Approve).await.is_err());
        assert_eq!(public("").await.1, 0);
        let history = store.list_row_history(row).await.expect("history");
        let kinds: Vec<AdjustKind> = history.iter().map(|h| h.adjust).collect();
        assert_eq!(kinds, vec![AdjustKind::Add, AdjustKind::Change, AdjustKind::Cancel], "{}", t.name);
        assert_eq!(history[2].basis, "复议决定撤销");
        let stored = store.list_row(row).await.expect("row").expect("kept");
        assert_eq!((stored.removed_on, stored.removed_as.as_str()), (Some(today), "cancel"));
    }
}

/// Part 二 of the annual report counts the decisions an org keeps in its lists (dated in the
/// year, not cancelled), over what was typed; a figure the org keeps no list for stays typed.
#[tokio::test]
async fn report_part_two_ties_out_with_the_lists() {
    use gongkai_core::report::{Entered, EnteredFigures, Scope};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        store.clock().set(Some(today.and_hms_opt(2, 0, 0).expect("t").and_utc()));
        let org = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let editor = common::staff(store, "11500114009130039C", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114009130039C", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114009130039C", "approver", vec![Role::Approver]).await;
        let sign = |id: i64| {
            let (ctx, editor, reviewer, approver) = (ctx.clone(), editor.clone(), reviewer.clone(), approver.clone());
            async move {
                store.list_adjustment_step(&ctx, &editor, id, ReviewStep::Submit).await.expect("submit");
                store.list_adjustment_step(&ctx, &reviewer, id, ReviewStep::Pass).await.expect("pass");
                store.list_adjustment_step(&ctx, &approver, id, ReviewStep::Approve).await.expect("approve");
            }
        };
        let dated = |on: &str| {
            let mut v = penalty("某某公司", "法人及非法人组织", "2027-12-31");
            v.insert("decided_on".into(), on.into());
            RowChange { row_id: None, values: v }
        };
        let new = |changes: Vec<RowChange>, adjust: AdjustKind| NewAdjustment {
            kind: "penalty".into(),
            org_id: org.id,
            adjust,
            basis: "双公示".into(),
            effective_on: today,
            changes,
        };
        let changes = vec![dated("2026-03-01"), dated("2026-05-01"), dated("2025-12-30"), dated("2026-12-31")];
        let a = store.draft_list_adjustment(&ctx, &editor, new(changes, AdjustKind::Add)).await.expect("draft");
        sign(a.id).await;
        let rows = store
            .public_list_rows("penalty", &RowQuery { limit: 10, ..Default::default() }, today)
            .await
            .expect("rows")
            .0;
        let may = rows.iter().find(|r| r.values()["decided_on"] == "2026-05-01").expect("row").id;
        let c = store
            .draft_list_adjustment(
                &ctx,
                &editor,
                new(vec![RowChange { row_id: Some(may), values: Values::new() }], AdjustKind::Cancel),
            )
            .await
            .expect("cancel");
        sign(c.id).await;

        let typed = |v: i64| Entered { value: Some(v), source: "台账".into() };
        let draft = gongkai_store::ReportDraft {
            entered: EnteredFigures {
                licensing: typed(7),
                penalty: typed(99),
                coercion: typed(2),
                charges_yuan: typed(1000),
            },
            ..Default::default()
        };
        let report = store.compute_report(&org, 2026, Scope::Org, draft).await.expect("report");
        assert_eq!(
            report.entered.penalty.value,
            Some(2),
            "{}: 1 March and 31 December; the cancelled and 2025 ones not",
            t.name
        );
        assert!(report.entered.penalty.is_from_list() && report.entered.penalty.source.contains("行政处罚决定"));
        assert_eq!(report.entered.licensing, typed(7), "{}: no 许可 list kept, the typed figure stays", t.name);
        let table = report.proactive.iter().find(|t| t.caption == "第二十条第（六）项").expect("table");
        assert_eq!(table.rows[0].values[0], serde_json::json!(2));
        let tree = store.compute_report(&org, 2025, Scope::Tree, Default::default()).await.expect("report");
        assert_eq!(tree.entered.penalty.value, Some(1), "{}", t.name);
    }
}
