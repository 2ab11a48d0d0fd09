//! The website self-check's runs and the 考核 scheme and adjustments on every backend: one
//! daily run a day (a second node's is dropped), findings read back by org in their order,
//! old runs pruned; the columns fold subsections into their parents; a scheme saved with its
//! version (a stale one refused), adjustments need a reason and stay within the office's tree.

use crate::common;

use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::assessment::{Indicator, Measure, Scheme, Scoring, default_scheme};
use gongkai_core::catalog::Baseline;
use gongkai_core::site_check::{Finding, Rule, Severity, Target};
use gongkai_store::assessments::NewAdjustment;
use gongkai_store::site_checks::{NewSiteCheck, RUNS_KEPT};
use gongkai_store::{AuditCtx, StoreError};

fn finding(org_id: i64, rule: Rule, severity: Severity) -> (Finding, String) {
    (
        Finding {
            org_id,
            rule,
            severity,
            subject: "栏目".into(),
            detail: "说明".into(),
            target: Target::Sections(org_id),
            days_left: Some(-3),
        },
        "/orgs/x".into(),
    )
}

#[tokio::test]
async fn site_check_runs_are_stored_once_a_day_and_pruned() {
    for t in common::all().await {
        let store = &t.store;
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区人民政府办公室").await;
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        let run = |daily: bool, checked_on: NaiveDate| NewSiteCheck {
            checked_on,
            daily,
            by_user: String::new(),
            items_checked: 3,
            links_checked: 2,
            files_checked: 1,
        };
        let findings = vec![
            finding(gov.id, Rule::EmptyColumn, Severity::Veto),
            finding(office.id, Rule::BrokenLink, Severity::Deduct),
        ];
        let first = store.save_site_check(&run(true, day), &findings).await.expect("save").expect("stored");
        assert_eq!(store.save_site_check(&run(true, day), &findings).await.expect("again"), None, "{}", t.name);
        assert_eq!(store.daily_site_check(day).await.expect("daily"), Some(first));
        let manual = store.save_site_check(&run(false, day), &findings).await.expect("manual").expect("stored");
        assert!(manual > first);
        assert_eq!(store.latest_site_check().await.expect("latest").map(|r| r.id), Some(manual));
        let office_only = store.site_check_findings(manual, Some(&[office.id])).await.expect("findings");
        assert_eq!(office_only.len(), 1);
        assert_eq!((office_only[0].rule, office_only[0].days_left), (Rule::BrokenLink, Some(-3)));
        let all = store.site_check_findings(manual, None).await.expect("findings");
        assert_eq!(all.iter().map(|f| f.severity).collect::<Vec<_>>(), vec![Severity::Veto, Severity::Deduct]);
        for _ in 0..RUNS_KEPT {
            store.save_site_check(&run(false, day), &findings[..1]).await.expect("more");
        }
        assert!(store.site_check_findings(first, None).await.expect("old").is_empty(), "old runs go: {}", t.name);

        // Columns: a subsection's items count in its parent; nothing public, nothing counted.
        store.apply_baseline(&AuditCtx::cli(), None, office.id, Baseline::District).await.expect("baseline");
        let columns = store.site_columns().await.expect("columns");
        assert_eq!(columns.iter().filter(|c| c.org_id == office.id).count(), 54, "{}", t.name);
        assert!(columns.iter().all(|c| c.count == 0 && c.last.is_none()));
        assert_eq!(store.last_public_date_under(&gov.path).await.expect("last"), None);
    }
}

#[tokio::test]
async fn schemes_keep_their_version_and_adjustments_their_reason() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区人民政府办公室").await;
        let other = common::org(store, None, "11320412014155302Q", "常州市武进区人民政府").await;
        let supervisor = common::staff(store, "11500114009130039C", "gkb", vec![Role::Supervisor]).await;
        let editor = common::staff(store, "11500114009130039C", "ed", vec![Role::Editor]).await;
        let scheme = default_scheme();
        assert!(store.assessment_scheme(gov.id, 2026).await.expect("read").is_none());
        assert_eq!(
            store.save_assessment_scheme(&ctx, &supervisor, gov.id, 2026, &scheme, None).await.expect("save"),
            1
        );
        let two = Scheme {
            indicators: vec![Indicator::measured(Measure::Published, 100, Scoring::PassFail { at_least: 10.0 })],
        };
        assert!(matches!(
            store.save_assessment_scheme(&ctx, &supervisor, gov.id, 2026, &two, None).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.save_assessment_scheme(&ctx, &supervisor, gov.id, 2026, &two, Some(1)).await.expect("v2"), 2);
        let stored = store.assessment_scheme(gov.id, 2026).await.expect("read").expect("stored");
        assert_eq!((stored.scheme, stored.version, stored.updated_by.as_str()), (two.clone(), 2, "gkb"));
        assert!(matches!(
            store.save_assessment_scheme(&ctx, &editor, gov.id, 2026, &two, Some(2)).await,
            Err(StoreError::Forbidden(_))
        ));
        let mut unsound = two.clone();
        unsound.indicators[0].weight = 90;
        assert!(matches!(
            store.save_assessment_scheme(&ctx, &supervisor, gov.id, 2026, &unsound, Some(2)).await,
            Err(StoreError::Invalid(_))
        ));

        let adj = |org_id: i64, points: f64, reason: &'static str| NewAdjustment {
            scheme_org: gov.id,
            year: 2026,
            org_id,
            points,
            reason,
        };
        assert!(matches!(
            store.add_assessment_adjustment(&ctx, &supervisor, adj(office.id, -2.0, "  ")).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            store.add_assessment_adjustment(&ctx, &supervisor, adj(office.id, f64::NAN, "理由")).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            store.add_assessment_adjustment(&ctx, &supervisor, adj(other.id, 1.0, "别的区")).await,
            Err(StoreError::Forbidden(_))
        ));
        let a = store
            .add_assessment_adjustment(&ctx, &supervisor, adj(office.id, -2.5, "信息未标注有效性"))
            .await
            .expect("adjust");
        assert_eq!(a.points, -2.5);
        let list = store.assessment_adjustments(gov.id, 2026).await.expect("list");
        assert_eq!(list.len(), 1, "{}", t.name);
        assert_eq!((list[0].org_id, list[0].reason.as_str()), (office.id, "信息未标注有效性"));
        assert!(store.assessment_adjustments(gov.id, 2025).await.expect("list").is_empty());

        // Manual scores: a value with its evidence, replaced when scored again, within the tree.
        let manual = |value: f64, evidence: &'static str| {
            store.set_manual_score(&ctx, &supervisor, gov.id, 2026, "组织领导", office.id, value, evidence)
        };
        assert!(matches!(manual(0.8, " ").await, Err(StoreError::Invalid(_))));
        assert!(matches!(manual(1.2, "依据").await, Err(StoreError::Invalid(_))));
        manual(0.5, "会议纪要未见研究部署").await.expect("score");
        manual(0.9, "补充了 3 月的常务会议纪要").await.expect("again");
        let other_tree = store.set_manual_score(&ctx, &supervisor, gov.id, 2026, "组织领导", other.id, 0.5, "x").await;
        assert!(matches!(other_tree, Err(StoreError::Forbidden(_))), "{other_tree:?}");
        let by_editor = store.set_manual_score(&ctx, &editor, gov.id, 2026, "组织领导", office.id, 0.5, "x").await;
        assert!(matches!(by_editor, Err(StoreError::Forbidden(_))));
        let scores = store.manual_scores(gov.id, 2026).await.expect("scores");
        assert_eq!(scores.len(), 1, "{}", t.name);
        assert_eq!((scores[0].value, scores[0].evidence.as_str()), (0.9, "补充了 3 月的常务会议纪要"));
        let audited =
            common::count(&t, "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.manual_score'").await;
        assert_eq!(audited, Some(2), "each score audited");
    }
}

#[tokio::test]
async fn spot_checks_keep_their_seed_and_follow_their_rectification() {
    use gongkai_core::spot_check::{RectState, SampleKind};
    use gongkai_store::spot_checks::NewSpotCheck;
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区人民政府办公室").await;
        let supervisor = common::staff(store, "11500114009130039C", "gkb", vec![Role::Supervisor]).await;
        let clerk = common::staff(store, "11500114709480021G", "clerk", vec![Role::Editor]).await;
        let labels = (1..=20).map(|i| (i, format!("记录{i}"))).collect();
        let new = |size: usize| NewSpotCheck {
            org_id: office.id,
            kind: SampleKind::Items,
            seed: u64::MAX - 7,
            population: (1..=20).collect(),
            size,
            note: "季度抽查".into(),
        };
        assert!(matches!(store.create_spot_check(&ctx, &clerk, new(3), &labels).await, Err(StoreError::Forbidden(_))));
        assert!(matches!(
            store.create_spot_check(&ctx, &supervisor, new(0), &labels).await,
            Err(StoreError::Invalid(_))
        ));
        let id = store.create_spot_check(&ctx, &supervisor, new(3), &labels).await.expect("create");
        let (check, records) = store.spot_check(id).await.expect("read").expect("stored");
        assert_eq!(check.seed, (u64::MAX - 7).to_string(), "a seed beyond i64 is kept whole: {}", t.name);
        let drawn = gongkai_core::spot_check::sample(u64::MAX - 7, &check.population_ids(), 3);
        assert_eq!(records.iter().map(|r| r.record_id).collect::<Vec<_>>(), drawn);
        assert_eq!(records[0].label, format!("记录{}", drawn[0]));
        let due = NaiveDate::from_ymd_opt(2099, 1, 1);
        let r = store.record_spot_finding(&ctx, &supervisor, id, 0, true, "未标注有效性", due).await.expect("find");
        assert_eq!((r.state, r.due_on), (RectState::Open, due));
        assert!(matches!(
            store.answer_rectification(&ctx, &supervisor, id, 0, "已补").await,
            Err(StoreError::Forbidden(_))
        ));
        let r = store.answer_rectification(&ctx, &clerk, id, 0, "已补充标注").await.expect("answer");
        assert_eq!((r.state, r.answered_by.as_str()), (RectState::Answered, "clerk"));
        let r = store.review_rectification(&ctx, &supervisor, id, 0, true).await.expect("accept");
        assert_eq!(r.state, RectState::Accepted);
        assert!(matches!(
            store.review_rectification(&ctx, &supervisor, id, 0, true).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.spot_checks_of(&[office.id]).await.expect("list").len(), 1);
    }
}
