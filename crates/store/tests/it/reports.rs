//! Annual reports on every backend: a generated year of requests with every outcome and
//! applicant type, whose table 三 must tie out and match counts made independently here;
//! carry-over across two years; approval refused when the carry-over disagrees with last
//! year's published report; the published report frozen against later changes; roles.

use crate::common;

use chrono::{Datelike, NaiveDate};
use gongkai_core::report::{self, Entered, EnteredFigures, Scope};
use gongkai_core::request::{ApplicantType, FeeChoice, OUTCOMES, Outcome, Step};
use gongkai_core::{Actor, Role, Username};
use gongkai_store::{
    AuditCtx, NewRemedy, NewRequest, NewUser, Org, ReportDraft, ReportError, StepExtra, Store, StoreError,
};
use std::collections::HashMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

struct Setup {
    gov: Org,
    dept: Org,
    handler: Actor,
    dept_handler: Actor,
    editor: Actor,
    approver: Actor,
}

async fn user(store: &Store, org: &str, name: &str, role: Role) -> Actor {
    let u = store
        .create_user(
            &AuditCtx::cli(),
            NewUser {
                org_code: org.into(),
                username: Username::parse(name).expect("name"),
                display_name: String::new(),
                password_hash: "x".into(),
                roles: vec![role],
            },
        )
        .await
        .expect("user");
    store.actor(u.id).await.expect("actor").expect("active")
}

async fn setup(store: &Store) -> Setup {
    let gov = gongkai_testkit::stores::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
    let dept = gongkai_testkit::stores::org(store, Some("11500114009130039C"), "014109453", "黔江区发改委").await;
    Setup {
        handler: user(store, "11500114009130039C", "handler", Role::RequestHandler).await,
        dept_handler: user(store, "014109453", "dept-handler", Role::RequestHandler).await,
        editor: user(store, "11500114009130039C", "editor", Role::Editor).await,
        approver: user(store, "11500114009130039C", "approver", Role::Approver).await,
        gov,
        dept,
    }
}

fn new_request(org_id: i64, applicant: ApplicantType, received_on: NaiveDate) -> NewRequest {
    let base = gongkai_testkit::requests::new_request(org_id, received_on);
    let organisation = applicant.is_organisation();
    NewRequest {
        applicant: gongkai_core::request::Applicant {
            kind: applicant,
            name: if organisation { "重庆某某有限公司".into() } else { "张三".into() },
            id_number: if organisation { String::new() } else { "11010519491231002X".into() },
            credit_code: if organisation { "91500114MA5U5X4X0B".into() } else { String::new() },
            ..base.applicant.clone()
        },
        description: "某项目的立项批复文件".into(),
        ..base
    }
}

/// Takes a filed request to the given outcome on the given day, by the steps a handler uses.
async fn conclude(store: &Store, who: &Actor, id: i64, outcome: Outcome, on: NaiveDate) {
    let received = store.request(id).await.expect("read").expect("request").received_on;
    let ctx = AuditCtx::cli();
    let at = |day| StepExtra { on: Some(day), ..Default::default() };
    let run = |s: Step, e: StepExtra| store.apply_request_step(&ctx, who, id, s, e);
    match outcome.code {
        "other.clarification_lapsed" => {
            // Asked the day it came (article 30), lapsed on the day given.
            run(Step::RequestClarification, at(received)).await.expect("clarify");
            run(Step::ClarificationLapsed, at(on)).await.expect("lapse");
        }
        "other.fee_unpaid" => {
            run(
                Step::NotifyFee,
                StepExtra { on: Some(on), fee: Some(FeeChoice::ByPages { pages: 300 }), ..Default::default() },
            )
            .await
            .expect("fee");
            run(Step::FeeLapsed, at(on)).await.expect("lapse");
        }
        "other.other" => {
            run(Step::Withdraw, at(on)).await.expect("withdraw");
        }
        _ => {
            run(Step::Reply { outcome, reason: "依据相关规定".into() }, at(on)).await.expect("reply");
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Expected table 三 cells: (row label, column) → count.
type Expected = HashMap<(String, usize), i64>;

fn bump(e: &mut Expected, row: &str, col: usize) {
    *e.entry((row.to_string(), col)).or_default() += 1;
    *e.entry((row.to_string(), 6)).or_default() += 1;
}

fn row_label(o: &Outcome) -> String {
    let t = report::requests_table(&report::count_requests(&[], 2025));
    let i = OUTCOMES.iter().position(|x| x.code == o.code).expect("outcome");
    t.rows[2 + i].label.clone()
}

fn entered() -> EnteredFigures {
    let e = |v| Entered { value: Some(v), source: "区政务服务管理办公室台账".into() };
    EnteredFigures { licensing: e(120), penalty: e(8), coercion: e(0), charges_yuan: e(35_000) }
}

fn draft() -> ReportDraft {
    ReportDraft {
        overview: "（一）主动公开\n本年度……".into(),
        problems: "一是……二是……".into(),
        entered: entered(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_generated_year_ties_out_and_matches_counts_made_independently() {
    for t in common::all().await {
        let store = &t.store;
        let s = setup(store).await;
        let mut rng = Rng(2025);
        // Expected cells of the 2024 and 2025 reports, counted here as each request is made.
        let mut exp: HashMap<i32, Expected> = HashMap::new();
        for i in 0..130usize {
            let applicant = ApplicantType::ALL[i % 6];
            // Received from 1 Nov 2024 to 31 Dec 2025.
            let received = d(2024, 11, 1) + chrono::Duration::days(rng.next(426) as i64);
            let outcome = OUTCOMES[i % OUTCOMES.len()];
            // Concluded 0–40 days later, or (one in ten) never.
            let concluded = (i % 10 != 7).then(|| received + chrono::Duration::days(rng.next(41) as i64));
            let col = i % 6;
            let (r, _) = store
                .file_request(&AuditCtx::system(), new_request(s.gov.id, applicant, received))
                .await
                .expect("file");
            if let Some(on) = concluded {
                conclude(store, &s.handler, r.id, outcome, on).await;
            }
            for year in [2024, 2025] {
                let e = exp.entry(year).or_default();
                let (first, last) = (d(year, 1, 1), d(year, 12, 31));
                if received > last || concluded.is_some_and(|c| c < first) {
                    continue;
                }
                bump(e, if received >= first { report::ROW_NEW } else { report::ROW_CARRIED_IN }, col);
                match concluded {
                    Some(c) if c <= last => {
                        bump(e, &row_label(&outcome), col);
                        bump(e, report::ROW_TOTAL, col);
                    }
                    _ => bump(e, report::ROW_CARRIED_OUT, col),
                }
            }
        }
        // A request of the department: in the tree report, not in the government's own.
        let (r, _) = store
            .file_request(&AuditCtx::system(), new_request(s.dept.id, ApplicantType::Research, d(2025, 4, 1)))
            .await
            .expect("file");
        conclude(store, &s.dept_handler, r.id, OUTCOMES[0], d(2025, 4, 10)).await;
        // A fee paid in 2025.
        let (r, _) = store
            .file_request(&AuditCtx::system(), new_request(s.gov.id, ApplicantType::Commercial, d(2025, 6, 2)))
            .await
            .expect("file");
        let ctx = AuditCtx::cli();
        let fee = FeeChoice::ByPages { pages: 300 };
        let extra = |on| StepExtra { on: Some(on), fee: Some(fee), ..Default::default() };
        store.apply_request_step(&ctx, &s.handler, r.id, Step::NotifyFee, extra(d(2025, 6, 3))).await.expect("fee");
        store.apply_request_step(&ctx, &s.handler, r.id, Step::FeePaid, extra(d(2025, 6, 9))).await.expect("paid");
        conclude(store, &s.handler, r.id, OUTCOMES[0], d(2025, 6, 20)).await;
        for cell in [(report::ROW_NEW, 1), (&row_label(&OUTCOMES[0]), 1), (report::ROW_TOTAL, 1)] {
            let e = exp.get_mut(&2025).expect("2025");
            bump(e, cell.0, cell.1);
        }
        // Review cases: one decided in the year, one still pending at year end.
        for (filed, result, decided) in
            [(d(2025, 3, 1), "corrected", Some(d(2025, 5, 6))), (d(2025, 12, 1), "upheld", Some(d(2026, 1, 20)))]
        {
            store
                .add_remedy(
                    &ctx,
                    r.id,
                    NewRemedy {
                        kind: report::RemedyKind::Review,
                        body: "重庆市黔江区人民政府".into(),
                        filed_on: filed,
                        result: report::RemedyResult::parse(result).expect("result code"),
                        decided_on: decided,
                        note: String::new(),
                    },
                )
                .await
                .expect("remedy");
        }

        for year in [2024, 2025] {
            let rep = store.compute_report(&s.gov, year, Scope::Org, draft()).await.expect("report");
            let e = &exp[&year];
            for row in &rep.requests.rows {
                for col in 0..7 {
                    let want = e.get(&(row.label.clone(), col)).copied().unwrap_or(0);
                    assert_eq!(row.count(col), want, "{}: {year} {} column {col}", t.name, row.label);
                }
            }
            assert_eq!(report::check(&rep, None), vec![], "{}: {year} ties out", t.name);
        }
        let rep = store.compute_report(&s.gov, 2025, Scope::Org, draft()).await.expect("report");
        assert!(OUTCOMES.iter().all(|o| rep.requests.rows.iter().any(|r| r.label == row_label(o))));
        assert_eq!(
            rep.fees,
            report::FeeSummary {
                requests: 1,
                yuan: gongkai_core::request::Fee::ByPages { pages: 300 }.amount_yuan().into()
            }
        );
        let remedies: Vec<i64> = (0..5).map(|i| rep.remedies.rows[0].count(i)).collect();
        assert_eq!(remedies, vec![0, 1, 0, 1, 2], "{}", t.name);
        let tree = store.compute_report(&s.gov, 2025, Scope::Tree, draft()).await.expect("report");
        assert_eq!(tree.requests.rows[0].count(2), rep.requests.rows[0].count(2) + 1, "{}", t.name);
        assert_eq!(tree.requests.rows[0].count(6), rep.requests.rows[0].count(6) + 1, "{}", t.name);

        // Two years: 2024 is approved and published; 2025's 上年结转 equals its 结转下年度.
        let ctx = AuditCtx::cli();
        let approved = store.approve_report(&ctx, Some(&s.approver), &s.gov, 2024, Scope::Org).await;
        assert!(matches!(approved, Err(ReportError::Store(StoreError::NotFound(_)))), "{}: no draft yet", t.name);
        store.save_report(&ctx, Some(&s.editor), &s.gov, 2024, Scope::Org, ReportDraft::default()).await.expect("save");
        match store.approve_report(&ctx, Some(&s.approver), &s.gov, 2024, Scope::Org).await {
            Err(ReportError::Problems(p)) => {
                let codes: Vec<&str> = p.iter().map(|p| p.code.as_str()).collect();
                assert!(
                    codes.contains(&"report.overview_missing") && codes.contains(&"report.figure_missing"),
                    "{codes:?}"
                );
            }
            other => panic!("{}: an empty draft must not be approved: {other:?}", t.name),
        }
        store.save_report(&ctx, Some(&s.editor), &s.gov, 2024, Scope::Org, draft()).await.expect("save");
        let denied = store.approve_report(&ctx, Some(&s.editor), &s.gov, 2024, Scope::Org).await;
        assert!(
            matches!(denied, Err(ReportError::Store(StoreError::Forbidden(_)))),
            "{}: editors do not approve",
            t.name
        );
        let denied = store.save_report(&ctx, Some(&s.dept_handler), &s.gov, 2024, Scope::Org, draft()).await;
        assert!(matches!(denied, Err(StoreError::Forbidden(_))), "{}: another org's staff", t.name);
        let published = store.publish_report(&ctx, Some(&s.approver), &s.gov, 2024, Scope::Org).await;
        assert!(matches!(published, Err(StoreError::Conflict(_))), "{}: not approved yet", t.name);
        store.approve_report(&ctx, Some(&s.approver), &s.gov, 2024, Scope::Org).await.expect("approve 2024");
        let row = store.publish_report(&ctx, Some(&s.approver), &s.gov, 2024, Scope::Org).await.expect("publish");
        assert!(row.published_at.is_some());
        let prev = store.previous_carried_out(s.gov.id, 2025, Scope::Org).await.expect("prev").expect("published");
        let (now, _) = store.annual_report(&s.gov, 2025, Scope::Org).await.expect("2025");
        assert_eq!((0..7).map(|i| now.requests.rows[1].count(i)).collect::<Vec<_>>(), prev, "{}", t.name);

        // A late-recorded 2024 request changes 2025's carry-over but not the published 2024
        // report: approval of 2025 is refused until the difference is explained.
        let (late, _) = store
            .file_request(&AuditCtx::system(), new_request(s.gov.id, ApplicantType::NaturalPerson, d(2024, 12, 30)))
            .await
            .expect("file");
        let (frozen, _) = store.annual_report(&s.gov, 2024, Scope::Org).await.expect("2024");
        assert_eq!(report::carried_out(&frozen), Some(prev.clone()), "{}: the published report is frozen", t.name);
        store.save_report(&ctx, Some(&s.editor), &s.gov, 2025, Scope::Org, draft()).await.expect("save");
        match store.approve_report(&ctx, Some(&s.approver), &s.gov, 2025, Scope::Org).await {
            Err(ReportError::Problems(p)) => assert_eq!(p[0].code, "report.carry_over", "{}", t.name),
            other => panic!("{}: carry-over mismatch must block approval: {other:?}", t.name),
        }
        let restated =
            ReportDraft { restatement: "补录2024年12月30日收到的纸质申请1件".into(), ..draft() };
        store.save_report(&ctx, Some(&s.editor), &s.gov, 2025, Scope::Org, restated).await.expect("save");
        store.approve_report(&ctx, Some(&s.approver), &s.gov, 2025, Scope::Org).await.expect("approve 2025");
        store.publish_report(&ctx, Some(&s.approver), &s.gov, 2025, Scope::Org).await.expect("publish 2025");
        let (before, _) = store.annual_report(&s.gov, 2025, Scope::Org).await.expect("2025");

        // After publication: new data changes nothing in the published report, and it cannot
        // be edited.
        conclude(store, &s.handler, late.id, OUTCOMES[0], d(2025, 1, 5)).await;
        let (after, row) = store.annual_report(&s.gov, 2025, Scope::Org).await.expect("2025");
        assert_eq!(before, after, "{}", t.name);
        assert_eq!(row.expect("row").state, gongkai_core::report::ReportState::Published);
        let live = store.compute_report(&s.gov, 2025, Scope::Org, draft()).await.expect("live");
        assert_ne!(live.requests, after.requests, "{}: the data did change", t.name);
        let edit = store.save_report(&ctx, Some(&s.editor), &s.gov, 2025, Scope::Org, draft()).await;
        assert!(matches!(edit, Err(StoreError::Conflict(_))), "{}", t.name);
        let listed = store.published_reports(s.gov.id).await.expect("list");
        assert_eq!(listed.iter().map(|r| r.year).collect::<Vec<_>>(), vec![2025, 2024]);
        assert_eq!(report::due_on(s.gov.kind, 2025), d(2026, 3, 31));
        assert_eq!(report::due_on(s.dept.kind, 2025).month(), 1);
    }
}

#[tokio::test]
async fn a_report_row_in_an_unknown_state_is_an_error_not_a_draft() {
    for t in common::all().await {
        let store = &t.store;
        let s = setup(store).await;
        let ctx = AuditCtx::system();
        store.save_report(&ctx, Some(&s.editor), &s.gov, 2025, Scope::Org, draft()).await.expect("save");
        common::raw(&t, "UPDATE annual_reports SET state = 'lost'").await;
        assert!(store.report_row(s.gov.id, 2025, Scope::Org).await.is_err(), "{}: must not read as a draft", t.name);
        let edit = store.save_report(&ctx, Some(&s.editor), &s.gov, 2025, Scope::Org, draft()).await;
        assert!(edit.is_err(), "{}: an unreadable report is not overwritten", t.name);
    }
}

/// Part 二's 规章 and 规范性文件 are counted from the published items, read grouped: two
/// documents alike count twice, one with no 成文日期 is made on its Beijing publication day
/// (17:00 UTC on 31 December is 1 January in Beijing), a repealed one counts as repealed in
/// its year and no longer in force.
#[tokio::test]
async fn normative_documents_are_counted_by_their_beijing_days() {
    use gongkai_core::item::Validity;
    use gongkai_store::{ImportOutcome, ImportedItem, ItemDraft};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&chrono::Utc);
        let docs = [
            ("行政规范性文件", Some(d(2026, 3, 1)), "2026-03-05T02:00:00Z", Validity::Valid, None),
            ("行政规范性文件", Some(d(2026, 3, 1)), "2026-03-05T02:00:00Z", Validity::Valid, None),
            ("行政规范性文件", None, "2025-12-31T17:00:00Z", Validity::Valid, None),
            ("行政规范性文件", None, "2025-12-31T15:00:00Z", Validity::Valid, None),
            ("行政规范性文件", Some(d(2020, 5, 1)), "2020-05-10T02:00:00Z", Validity::Repealed, Some(d(2026, 6, 1))),
            ("规章", Some(d(2019, 1, 1)), "2019-01-05T02:00:00Z", Validity::Valid, None),
        ];
        for (k, (genre, written_on, published, validity, repealed_on)) in docs.into_iter().enumerate() {
            let imported = ImportedItem {
                draft: ItemDraft {
                    title: format!("文件{k}"),
                    genre: genre.into(),
                    topic: "综合政务".into(),
                    written_on,
                    body: "<p>正文</p>".into(),
                    ..Default::default()
                },
                index_no: None,
                published_at: at(published),
                validity,
                repealed_on,
                source_key: format!("rule-{k}"),
                source: format!("rule-{k}.jsonl"),
                attachments: Vec::new(),
            };
            let out = store.import_item(&ctx, gov.id, imported).await.expect("import");
            assert!(matches!(out, ImportOutcome::Created { .. }), "{out:?}");
        }
        let report = store.compute_report(&gov, 2026, Scope::Org, ReportDraft::default()).await.expect("report");
        let table = &report.proactive[0];
        let values = |label: &str| table.rows.iter().find(|r| r.label == label).map(|r| r.values.clone()).expect("row");
        // Made in 2026: the two alike and the one published on 1 January in Beijing.
        assert_eq!(values("行政规范性文件"), [3, 1, 4].map(serde_json::Value::from).to_vec(), "{}", t.name);
        assert_eq!(values("规章"), [0, 0, 1].map(serde_json::Value::from).to_vec(), "{}", t.name);
        assert_rule_tallies_are_the_documents(&t).await;
        // Written to by any path, the tallies follow: one withdrawn, one repealed this year,
        // one moved to another genre and back, one whose 成文日期 moves to last year.
        common::raw(&t, "UPDATE items SET state = 'withdrawn' WHERE source_key = 'rule-0'").await;
        assert_rule_tallies_are_the_documents(&t).await;
        common::raw(
            &t,
            "UPDATE items SET validity = 'repealed', repealed_on = '2026-09-01' WHERE source_key = 'rule-1'",
        )
        .await;
        common::raw(&t, "UPDATE items SET genre = '通知' WHERE source_key = 'rule-5'").await;
        assert_rule_tallies_are_the_documents(&t).await;
        common::raw(&t, "UPDATE items SET genre = '规章' WHERE source_key = 'rule-5'").await;
        common::raw(&t, "UPDATE items SET written_on = '2025-11-30' WHERE source_key = 'rule-2'").await;
        assert_rule_tallies_are_the_documents(&t).await;
        let report = store.compute_report(&gov, 2026, Scope::Org, ReportDraft::default()).await.expect("report");
        let table = &report.proactive[0];
        let values = |label: &str| table.rows.iter().find(|r| r.label == label).map(|r| r.values.clone()).expect("row");
        // Made in 2026: rule-1 (now repealed this year); rule-0 withdrawn, rule-2 made in
        // 2025. Repealed this year: rule-1 and rule-4. In force at the year's end: rule-2
        // and rule-3.
        assert_eq!(values("行政规范性文件"), [1, 2, 2].map(serde_json::Value::from).to_vec(), "{}", t.name);
        assert_eq!(values("规章"), [0, 0, 1].map(serde_json::Value::from).to_vec(), "{}", t.name);
    }
}

/// The tally the triggers keep of the normative documents (migration 58) is the public ones
/// grouped, row for row, no row left at nothing.
async fn assert_rule_tallies_are_the_documents(t: &common::TestStore) {
    let (made, repealed, lapsed) = match t.store.backend() {
        gongkai_store::Backend::Sqlite => (
            "CAST(strftime('%Y', COALESCE(written_on, date(published_at, '+8 hours'))) AS INTEGER)",
            "COALESCE(CAST(strftime('%Y', repealed_on) AS INTEGER), 0)",
            "validity IN ('repealed', 'expired')",
        ),
        gongkai_store::Backend::Postgres => (
            "CAST(EXTRACT(YEAR FROM COALESCE(written_on, ((published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)) AS INTEGER)",
            "COALESCE(CAST(EXTRACT(YEAR FROM repealed_on) AS INTEGER), 0)",
            "validity IN ('repealed', 'expired')",
        ),
    };
    let grouped = format!(
        "SELECT org_id, genre, {made}, {repealed}, {lapsed}, COUNT(*) FROM items \
         WHERE genre IN ('规章', '行政规范性文件') AND public_rev IS NOT NULL AND state = 'published' \
         GROUP BY org_id, genre, {made}, {repealed}, {lapsed}"
    );
    let kept = "SELECT org_id, genre, made_year, repealed_year, lapsed, n FROM rule_year_tallies";
    for (a, b) in [(kept, grouped.as_str()), (grouped.as_str(), kept)] {
        let differ = common::count(t, &format!("SELECT COUNT(*) FROM ({a} EXCEPT {b}) x")).await;
        assert_eq!(differ, Some(0), "{}: {a} EXCEPT {b}", t.name);
    }
    assert_ne!(common::count(t, &format!("SELECT COUNT(*) FROM ({kept}) x")).await, Some(0), "{}", t.name);
}
