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
        let late = import(
            "成文晚于发布",
            ItemDraft { written_on: day("2026-03-03"), ..fine() },
            "2026-03-02T02:00:00Z",
            v,
            "",
        )
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

/// The request figures counted in SQL from the calendar's day table are the figures core's
/// clocks give request by request: over 400 requests in every state, received on working
/// days, weekends and holidays, with extensions, consultations closed, open and ending
/// before they began, replies before the start, on the deadline, on the day off after it
/// and long after, and requests awaiting clarification (never overdue).
#[tokio::test]
async fn request_counts_in_sql_are_the_clocks_counts() {
    use chrono::{Duration, NaiveDate};
    use gongkai_core::request::{Clock, RequestState, Urgency};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let top = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let base = day(2025, 12, 20);
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut sql = Vec::new();
        for i in 0..400 {
            let org = if i % 3 == 0 { top.id } else { dept.id };
            let received = base + Duration::days(next(350) as i64);
            let (r, _) =
                store.file_request(&ctx, gongkai_testkit::requests::new_request(org, received)).await.expect("file");
            let state = RequestState::ALL[next(RequestState::ALL.len() as u64) as usize];
            let start = received + Duration::days(next(4) as i64);
            let extension = [0, 0, 0, 20, 7][next(5) as usize];
            let replied = (!state.is_open()).then(|| start + Duration::days(next(60) as i64 - 3));
            let replied = replied.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into());
            sql.push(format!(
                "UPDATE requests SET state = '{}', clock_start = '{start}', extension_days = {extension}, \
                 replied_on = {replied} WHERE id = {}",
                state.as_str(),
                r.id
            ));
            for _ in 0..next(3).saturating_sub(1) {
                let from = start + Duration::days(next(30) as i64);
                let ended = match next(4) {
                    0 => "NULL".to_string(),
                    1 => format!("'{}'", from - Duration::days(2)),
                    _ => format!("'{}'", from + Duration::days(next(25) as i64)),
                };
                sql.push(format!(
                    "INSERT INTO request_pauses (request_id, started_on, ended_on, party) VALUES ({}, '{from}', {ended}, '第三方')",
                    r.id
                ));
            }
        }
        common::raw(&t, &sql.join(";\n")).await;

        let cal = store.calendar().await.expect("calendar");
        let concluded = common::count(&t, "SELECT COUNT(*) FROM requests WHERE replied_on IS NOT NULL").await;
        let to_keep = || async { store.request_figures_to_keep(&cal).await.expect("look") };
        assert!(to_keep().await, "{}: none kept yet", t.name);
        // Counted on the day table; then kept (a sum); then some kept on another calendar
        // with figures that are wrong on this one (counted again, not summed).
        for round in ["counted", "kept", "stale"] {
            match round {
                "kept" => {
                    assert_eq!(
                        Some(store.keep_request_figures(&cal).await.expect("keep") as i64),
                        concluded,
                        "{}",
                        t.name
                    );
                    assert_eq!(store.keep_request_figures(&cal).await.expect("again"), 0, "{}: all kept", t.name);
                    assert!(!to_keep().await, "{}: nothing to keep", t.name);
                }
                "stale" => {
                    // Kept on another calendar; some moved to the other org; a few removed.
                    let gone = "SELECT id FROM requests WHERE id % 7 = 3";
                    let mut sql = vec![
                        "UPDATE requests SET kept_calendar = kept_calendar + 1, kept_on_time = NOT kept_on_time, \
                         kept_workdays = kept_workdays + 5 WHERE id % 2 = 0"
                            .to_string(),
                        format!(
                            "UPDATE requests SET org_id = CASE WHEN org_id = {} THEN {} ELSE {} END WHERE id % 5 = 1",
                            top.id, dept.id, top.id
                        ),
                    ];
                    for table in [
                        "request_pauses",
                        "request_events",
                        "request_remedies",
                        "request_notices",
                        "request_files",
                        "request_deliveries",
                    ] {
                        sql.push(format!("DELETE FROM {table} WHERE request_id IN ({gone})"));
                    }
                    sql.push(format!("DELETE FROM requests WHERE id IN ({gone})"));
                    common::raw(&t, &sql.join(";\n")).await;
                    assert!(to_keep().await, "{}: kept on a newer calendar", t.name);
                }
                _ => {}
            }
            assert_tallies_are_the_requests(&t, round).await;
            for (from, to, today) in [
                (day(2026, 1, 1), day(2026, 12, 4), day(2026, 12, 4)),
                (day(2026, 3, 1), day(2026, 6, 30), day(2026, 10, 8)),
                (day(2026, 2, 15), day(2026, 5, 10), day(2026, 5, 10)),
                (day(2026, 3, 10), day(2026, 3, 20), day(2026, 10, 8)),
            ] {
                let ranked = store.supervision(&top, &cal, from, to, today).await.expect("ranked");
                for org in [&top, &dept] {
                    let sql_row = ranked.iter().find(|r| r.org_name == org.name).expect("row");
                    let walked = store.org_detail(org, &cal, from, to, today).await.expect("detail").figures;
                    let pick = |f: &gongkai_core::supervision::OrgFigures| {
                        (
                            f.requests_received,
                            f.requests_replied,
                            f.replied_on_time,
                            f.avg_workdays.map(|d| (d * 1000.0).round() as i64),
                            f.overdue_now,
                        )
                    };
                    assert_eq!(
                        pick(sql_row),
                        pick(&walked),
                        "{} ({round}): {} {from}..{to} on {today}",
                        t.name,
                        org.name
                    );
                    // Every period but the ten days has enough to count.
                    let long = to - from > Duration::days(30);
                    assert!(
                        walked.requests_received > 0
                            && walked.overdue_now > 3
                            && (!long || walked.requests_replied > 10),
                        "{}: {walked:?}",
                        t.name
                    );
                }
                // The dashboard's open counts: every open request, overdue and due soon by the
                // clocks (awaiting clarification or in a consultation: neither).
                let counts = store.request_counts_under(&top, &cal, (from, to, today)).await.expect("counts");
                let summaries = store.request_summaries(&top, true, true).await.expect("open");
                let pauses = store.request_pauses_under(&top.path).await.expect("pauses");
                let (mut open, mut overdue, mut near) = (0, 0, 0);
                for r in &summaries {
                    open += 1;
                    let clock: Clock = r.clock(pauses.get(&r.id).map(Vec::as_slice).unwrap_or_default());
                    if r.state() == RequestState::Clarifying || clock.due_on(&cal).is_err() {
                        continue;
                    }
                    match clock.urgency(&cal, today) {
                        Ok(Some(Urgency::Overdue)) => overdue += 1,
                        Ok(Some(Urgency::Near)) => near += 1,
                        _ => {}
                    }
                }
                let sum =
                    |f: fn(&gongkai_store::supervision::RequestCounts) -> i64| counts.values().map(f).sum::<i64>();
                assert_eq!((sum(|c| c.open), sum(|c| c.overdue), sum(|c| c.near)), (open, overdue, near), "{}", t.name);
                assert!(near > 0, "{}: some due soon", t.name);
            }
        }
        // The stale ones are kept again on this calendar.
        let stale =
            common::count(&t, "SELECT COUNT(*) FROM requests WHERE replied_on IS NOT NULL AND id % 2 = 0").await;
        assert_eq!(Some(store.keep_request_figures(&cal).await.expect("keep") as i64), stale, "{}", t.name);
        assert_tallies_are_the_requests(&t, "kept again").await;
        assert!(!to_keep().await, "{}: nothing to keep", t.name);
        common::raw(&t, "UPDATE requests SET kept_calendar = kept_calendar - 1 WHERE id % 2 = 1").await;
        assert!(to_keep().await, "{}: kept on an older calendar", t.name);
    }
}

/// The tallies the triggers keep are the requests grouped by org and month (and by org,
/// years, applicant type and outcome for the annual report), row for row (no row left at
/// nothing), after every kind of write the test made.
async fn assert_tallies_are_the_requests(t: &common::TestStore, round: &str) {
    let month = |column: &str| match t.store.backend() {
        gongkai_store::Backend::Sqlite => format!("date({column}, 'start of month')"),
        gongkai_store::Backend::Postgres => format!("CAST(date_trunc('month', {column}) AS DATE)"),
    };
    let received = format!(
        "SELECT org_id, {}, COUNT(*) FROM requests GROUP BY org_id, {}",
        month("received_on"),
        month("received_on")
    );
    let concluded = format!(
        "SELECT org_id, {m}, kept_calendar, COUNT(*), SUM(CASE WHEN kept_on_time THEN 1 ELSE 0 END), \
         COALESCE(SUM(kept_workdays), 0), COUNT(kept_workdays) FROM requests \
         WHERE kept_calendar IS NOT NULL AND replied_on IS NOT NULL GROUP BY org_id, {m}, kept_calendar",
        m = month("replied_on")
    );
    let year = |column: &str| match t.store.backend() {
        gongkai_store::Backend::Sqlite => format!("CAST(strftime('%Y', {column}) AS INTEGER)"),
        gongkai_store::Backend::Postgres => format!("CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"),
    };
    let by_year = format!(
        "SELECT org_id, {}, COALESCE({}, 0), applicant_type, COALESCE(outcome, ''), COUNT(*) FROM requests \
         GROUP BY org_id, {}, COALESCE({}, 0), applicant_type, COALESCE(outcome, '')",
        year("received_on"),
        year("replied_on"),
        year("received_on"),
        year("replied_on")
    );
    let tallies = [
        ("SELECT org_id, month, n FROM request_received_tallies", received),
        ("SELECT org_id, received_year, replied_year, applicant_type, outcome, n FROM request_year_tallies", by_year),
        ("SELECT org_id, month, calendar, n, on_time, workdays, workdays_n FROM request_concluded_tallies", concluded),
    ];
    for (kept, grouped) in tallies {
        for (a, b) in [(kept, grouped.as_str()), (grouped.as_str(), kept)] {
            let differ = common::count(t, &format!("SELECT COUNT(*) FROM ({a} EXCEPT {b}) x")).await;
            assert_eq!(differ, Some(0), "{} ({round}): {a} EXCEPT {b}", t.name);
        }
        // Before the figures are kept no concluded request counts in the tallies.
        let rows = common::count(t, &format!("SELECT COUNT(*) FROM ({kept}) x")).await;
        let none = round == "counted" && kept.contains("concluded");
        assert_eq!(rows == Some(0), none, "{} ({round}): {kept}", t.name);
    }
    // The counts add the open requests to the concluded tallies: an open request keeping
    // figures would count twice.
    let open: Vec<String> = gongkai_core::request::RequestState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let open = format!("({})", open.join(", "));
    let twice =
        common::count(t, &format!("SELECT COUNT(*) FROM requests WHERE state IN {open} AND kept_calendar IS NOT NULL"))
            .await;
    assert_eq!(twice, Some(0), "{} ({round}): open requests keeping figures", t.name);
}

/// PostgreSQL reads the open requests from their partial index: its states are exactly
/// core's open states, so the counts' `state IN (…)` implies the index's condition (a state
/// added to core and not to the index would leave the planner a pass over every request).
#[tokio::test]
async fn open_requests_are_read_from_their_index() {
    use gongkai_core::request::RequestState;
    for t in common::all().await {
        if t.store.backend() != gongkai_store::Backend::Postgres {
            continue;
        }
        for state in RequestState::ALL {
            let sql = format!(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'requests_open' AND indexdef LIKE '%''{}''%'",
                state.as_str()
            );
            let listed = common::count(&t, &sql).await == Some(1);
            assert_eq!(listed, state.is_open(), "{}: {} in requests_open", t.name, state.as_str());
        }
    }
}
