//! Work plans on every backend: the 34-task table of corpus document 004 imported for a
//! district with its departments and towns, assignments from the responsible cells,
//! progress reports with evidence, completion and overdue per org, reminders, and who may
//! do what.

use crate::common;

use chrono::NaiveDate;
use gongkai_core::workplan;
use gongkai_core::{OrgIdent, OrgKind, Role};
use gongkai_store::{AuditCtx, NewOrg, StoreError};

#[tokio::test]
async fn a_task_table_is_assigned_reported_on_and_reminded() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let org = |parent: Option<&str>, code: &str, name: &str, kind| NewOrg {
            parent_code: parent.map(str::to_string),
            ident: if code.len() == 17 {
                OrgIdent::Credit(gongkai_core::CreditCode::complete(code).expect("code"))
            } else {
                OrgIdent::parse(code).expect("code")
            },
            name: name.into(),
            short_name: String::new(),
            kind,
        };
        let gov = store
            .create_org(&ctx, org(None, "11500114009130039C", "重庆市黔江区人民政府", OrgKind::Government))
            .await
            .expect("org");
        store
            .create_org(&ctx, org(Some("11500114009130039C"), "014109453", "重庆市黔江区统计局", OrgKind::Department))
            .await
            .expect("org");
        store
            .create_org(
                &ctx,
                org(Some("11500114009130039C"), "11500114709480144", "黔江区石会镇人民政府", OrgKind::Town),
            )
            .await
            .expect("org");
        let town_code = gongkai_core::CreditCode::complete("11500114709480144").expect("code").as_str().to_string();
        let office = common::staff(store, "11500114009130039C", "gongkaiban", vec![Role::Supervisor]).await;
        let stats = common::staff(store, "014109453", "stats-editor", vec![Role::Editor]).await;

        let rows =
            workplan::parse_document_table(include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt"), 2017);
        // Only a supervisor (or admin) of the org runs its plans.
        let denied = store
            .import_plan(&ctx, Some(&stats), &gov, 2017, "2017年政务公开重点工作任务分工", "004", rows.clone())
            .await;
        assert!(matches!(denied, Err(StoreError::Forbidden(_))), "{}", t.name);
        let imported = store
            .import_plan(&ctx, Some(&office), &gov, 2017, "2017年政务公开重点工作任务分工", "004", rows)
            .await
            .expect("import");
        assert_eq!(imported.tasks, 34, "{}", t.name);
        assert!(imported.unmatched.contains(&"区审计局".to_string()), "names without an org are reported");
        let today = NaiveDate::from_ymd_opt(2017, 10, 1).expect("date");
        let tasks = store.plan_tasks(imported.plan_id, None, today).await.expect("tasks");
        // Task 2 (区统计局) is assigned to the statistics bureau; task 7 (各乡、镇人民政府 …)
        // to the town.
        assert_eq!(tasks[1].assignments.iter().map(|a| a.org_code.as_str()).collect::<Vec<_>>(), vec!["014109453"]);
        assert!(tasks[6].assignments.iter().any(|a| a.org_code == town_code.as_str()), "{}", t.name);
        assert_eq!(tasks[0].due_on, NaiveDate::from_ymd_opt(2017, 12, 31).expect("date"), "no due date: year end");

        // The statistics bureau reports on its task and marks it done; evidence must be links.
        let bad =
            store.report_task(&ctx, &stats, tasks[1].id, "已召开发布会", &["javascript:alert(1)".into()], false).await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))), "{}", t.name);
        let not_ours = store.report_task(&ctx, &stats, tasks[0].id, "x", &[], false).await;
        assert!(matches!(not_ours, Err(StoreError::Forbidden(_))), "{}: only assigned orgs report", t.name);
        store
            .report_task(
                &ctx,
                &stats,
                tasks[1].id,
                "一季度新闻发布会已召开",
                &["https://example.gov.cn/news/1".into()],
                true,
            )
            .await
            .expect("report");

        // Progress per org after the due date: the town is overdue, the bureau done.
        let late = NaiveDate::from_ymd_opt(2018, 1, 5).expect("date");
        let progress = store.plan_progress(imported.plan_id, late).await.expect("progress");
        let town = progress.iter().find(|p| p.org_code == town_code.as_str()).expect("town");
        assert!(town.overdue > 0 && town.done == 0, "{}", t.name);
        let bureau = progress.iter().find(|p| p.org_code == "014109453").expect("bureau");
        assert_eq!((bureau.done, bureau.overdue), (1, bureau.assigned - 1));
        assert!(progress.windows(2).all(|w| w[0].overdue >= w[1].overdue), "worst first");

        // Reminders: to an open part, not to a done one; not by the assignee.
        let town_id = store.org_by_code(&town_code).await.expect("org").expect("town").id;
        store.remind_task(&ctx, &office, tasks[6].id, town_id, "请于本周内报送进展").await.expect("remind");
        let done = store.remind_task(&ctx, &office, tasks[1].id, stats.org_id, "").await;
        assert!(matches!(done, Err(StoreError::Conflict(_))), "{}", t.name);
        let by_assignee = store.remind_task(&ctx, &stats, tasks[6].id, town_id, "").await;
        assert!(matches!(by_assignee, Err(StoreError::Forbidden(_))), "{}", t.name);
        let mine = store.plan_tasks(imported.plan_id, Some(town_id), late).await.expect("tasks");
        assert!(mine.iter().all(|t| t.assignments.len() == 1));
        assert_eq!(mine.iter().find(|x| x.id == tasks[6].id).expect("task 7").assignments[0].reminders, 1);
        assert_eq!(store.plans_assigning(town_id).await.expect("plans").len(), 1);

        // 区审计局 settled as the statistics bureau (for the test's sake): the office's next
        // table settles it the same way without asking.
        let stats_org = store.org_by_code("014109453").await.expect("read").expect("org");
        let n = store.settle_unmatched(&ctx, &office, imported.plan_id, "区审计局", Some(&stats_org)).await;
        assert!(n.expect("settled") >= 1, "{}", t.name);
        let settled = store.settled_names(gov.id).await.expect("read");
        assert_eq!(settled, vec![workplan::Settled { name: "区审计局".into(), org_id: Some(stats_org.id) }]);
        let rows =
            workplan::parse_document_table(include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt"), 2017);
        let again =
            store.import_plan(&ctx, Some(&office), &gov, 2018, "2018年任务分工", "004", rows).await.expect("import");
        assert!(!again.unmatched.contains(&"区审计局".to_string()), "{}", t.name);
        let n = store.settle_unmatched(&ctx, &office, again.plan_id, "区统计局", None).await;
        assert!(matches!(n, Err(StoreError::NotFound(_))), "{}: 区统计局 was matched, not unmatched", t.name);
    }
}
