//! Interpretation and responding on every backend: an interpretation names many policies
//! (refusals for itself, unknown and foreign ones), the approval gate reads what is
//! submitted in the transaction, coverage reads the first public interpretation; a concern's
//! steps, responses and reassignment with their clocks' timestamps; press events with their
//! record, progress and interview questions as letters.

use crate::common;

use chrono::{DateTime, Utc};
use gongkai_core::concern::{ConcernSource, ConcernStage, ConcernStep, ResponseKind, Severity};
use gongkai_core::interpretation::{InterpDetails, InterpForm};
use gongkai_core::item::{Command, Decision, DisclosureAttr, ItemState};
use gongkai_core::press::{PressKind, PressState, parse_speakers};
use gongkai_core::{OrgPath, Role};
use gongkai_store::{
    AuditCtx, ConcernError, ItemDraft, ItemError, NewConcern, PressInput, PressRecord, TransitionExtra,
};

fn at(s: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time").and_utc() - chrono::Duration::hours(8)
}

#[tokio::test]
async fn interpretations_gate_approval_and_cover_their_policies() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        store.clock().set(Some(at("2026-09-29 10:00")));
        let district = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        common::org(store, None, "11320412014155302Q", "常州市武进区人民政府").await;
        let editor = common::staff(store, "11500114009130039C", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114009130039C", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114009130039C", "approver", vec![Role::Approver]).await;
        let other = common::staff(store, "11320412014155302Q", "wj-editor", vec![Role::Editor]).await;
        let draft = |title: &str, genre: &str| ItemDraft {
            title: title.into(),
            genre: genre.into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            ..Default::default()
        };
        let policy =
            store.create_item(&ctx, &editor, district.id, draft("某某办法", "行政规范性文件")).await.expect("p");
        let second = store.create_item(&ctx, &editor, district.id, draft("某某细则", "通知")).await.expect("p2");
        let interp =
            store.create_item(&ctx, &editor, district.id, draft("《某某办法》解读", "政策解读")).await.expect("i");
        let save = |actor: &gongkai_core::Actor, policies: &[i64]| {
            let (actor, policies) = (actor.clone(), policies.to_vec());
            let ctx = ctx.clone();
            async move {
                store
                    .save_interpretation(&ctx, &actor, interp.id, InterpForm::Text, InterpDetails::default(), &policies)
                    .await
            }
        };
        assert!(save(&editor, &[interp.id]).await.is_err(), "{}: itself", t.name);
        assert!(save(&editor, &[99_999]).await.is_err(), "{}: unknown", t.name);
        assert!(save(&other, &[policy.id]).await.is_err(), "{}: another district", t.name);
        save(&editor, &[policy.id, second.id, policy.id]).await.expect("saved");
        assert_eq!(
            store.interpreted_policies(interp.id).await.expect("read"),
            vec![policy.id, second.id],
            "{}",
            t.name
        );
        assert_eq!(store.interpretation(interp.id).await.expect("row").map(|r| r.form), Some(InterpForm::Text));

        // The policy reaches approval; the interpretation is a draft: refused.
        let submit = Command::Submit;
        store.apply(&ctx, &editor, policy.id, submit.clone(), TransitionExtra::default(), &[]).await.expect("submit");
        let review = Command::Review { decision: Decision::Pass, comment: String::new(), confirms_exception: false };
        store.apply(&ctx, &reviewer, policy.id, review.clone(), TransitionExtra::default(), &[]).await.expect("review");
        let approve = Command::Approve { decision: Decision::Pass, comment: String::new() };
        let refused = store.apply(&ctx, &approver, policy.id, approve.clone(), TransitionExtra::default(), &[]).await;
        assert!(
            matches!(&refused, Err(ItemError::Refused(r)) if r.code() == "interpretation_missing"),
            "{}: {refused:?}",
            t.name
        );
        // The second policy (a 通知) needs none unless marked.
        store.apply(&ctx, &editor, interp.id, submit.clone(), TransitionExtra::default(), &[]).await.expect("submit");
        let approved = store.apply(&ctx, &approver, policy.id, approve.clone(), TransitionExtra::default(), &[]).await;
        assert_eq!(approved.expect("approved").state.0, ItemState::Approved, "{}", t.name);
        store.apply(&ctx, &editor, policy.id, Command::Publish, TransitionExtra::default(), &[]).await.expect("pub");

        let year = |y: &str| at(&format!("{y}-01-01 00:00"));
        let genres = vec!["行政规范性文件".to_string()];
        fn scope(org: &OrgPath, responsible: Option<i64>) -> gongkai_store::CoverageScope<'_> {
            gongkai_store::CoverageScope { org, tree: true, answered_only: false, responsible, page: 1 }
        }
        let rows = store
            .interpretation_coverage(&genres, (year("2026"), year("2027")), scope(&district.path, None))
            .await
            .expect("coverage")
            .rows;
        assert_eq!(rows.len(), 1, "{}", t.name);
        // Listed within its district and for its own org only.
        let wujin = store.org_by_code("11320412014155302Q").await.expect("org").expect("wujin");
        let period = (year("2026"), year("2027"));
        let listed = |scope| store.interpretation_coverage(&genres, period, scope);
        assert!(listed(scope(&wujin.path, None)).await.expect("c").rows.is_empty());
        let theirs = listed(scope(&district.path, Some(wujin.id))).await.expect("c");
        assert!(theirs.rows.is_empty(), "{}", t.name);
        let ours = listed(scope(&district.path, Some(district.id))).await.expect("c");
        assert_eq!(ours.rows.len(), 1, "{}", t.name);
        // The district alone (not a supervisor's tree) issued and answers for it too.
        let alone = listed(gongkai_store::CoverageScope { tree: false, ..scope(&district.path, None) }).await;
        assert_eq!(alone.expect("c").rows.len(), 1, "{}", t.name);
        assert_eq!((rows[0].id, rows[0].interpreted_at), (policy.id, None));
        // Marked, the 通知 is covered too (not yet published, so not listed).
        store
            .set_interpretation_need(
                &ctx,
                &editor,
                second.id,
                gongkai_store::Need { needed: Some(true), drafting_org_id: None, note: String::new() },
            )
            .await
            .expect("marked");
        assert_eq!(store.interpretation_need(second.id).await.expect("need").needed, Some(true));

        store.clock().set(Some(at("2026-10-09 11:00")));
        store.apply(&ctx, &reviewer, interp.id, review, TransitionExtra::default(), &[]).await.expect("review");
        store.apply(&ctx, &approver, interp.id, approve, TransitionExtra::default(), &[]).await.expect("approve");
        store.apply(&ctx, &editor, interp.id, Command::Publish, TransitionExtra::default(), &[]).await.expect("pub");
        let rows = store
            .interpretation_coverage(&genres, (year("2026"), year("2027")), scope(&district.path, None))
            .await
            .expect("coverage")
            .rows;
        assert_eq!(rows[0].interpreted_at, Some(at("2026-10-09 11:00")), "{}", t.name);
        let listed = store.public_interpretations_of(policy.id).await.expect("list");
        assert_eq!((listed.len(), listed[0].form.as_str()), (1, "text"));
        let (page, total) =
            store.public_interpretation_list(&[], Some(InterpForm::Text), 20, 0).await.expect("public list");
        assert_eq!((page.len(), total), (1, 1), "{}", t.name);
        assert!(store.interpretation_ids(&[interp.id, policy.id]).await.expect("ids").contains(&interp.id));
        // Cleared: no longer an interpretation.
        save(&editor, &[]).await.expect("cleared");
        assert!(store.interpretation(interp.id).await.expect("row").is_none(), "{}", t.name);
        assert!(store.public_interpretations_of(policy.id).await.expect("list").is_empty());
        store.clock().set(None);
    }
}

#[tokio::test]
async fn concerns_and_press_events_on_every_backend() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        store.clock().set(Some(at("2026-12-04 10:00")));
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let town = common::org(store, Some("11500114009130039C"), "11500114709480144H", "濯水镇").await;
        let office = common::staff(store, "11500114009130039C", "office", vec![Role::Supervisor]).await;
        let editor = common::staff(store, "11500114709480021G", "editor", vec![Role::Editor]).await;
        let town_editor = common::staff(store, "11500114709480144H", "town", vec![Role::Editor]).await;

        let new = |local: Option<i64>, in_charge: Option<i64>| NewConcern {
            source: ConcernSource::Media,
            source_detail: String::new(),
            first_seen_at: at("2026-12-04 08:00"),
            topic: "某景区游客滞留".into(),
            summary: String::new(),
            severity: Severity::Major,
            local_org_id: local,
            in_charge_org_id: in_charge,
        };
        // 属地 wins over the org in charge; none named: the office.
        let c = store.log_concern(&ctx, &office, new(Some(town.id), Some(dept.id))).await.expect("logged");
        assert_eq!(c.org_id, town.id, "{}", t.name);
        let unclear = store.log_concern(&ctx, &office, new(None, None)).await.expect("logged");
        assert_eq!(unclear.org_id, office.org_id, "{}", t.name);
        // Another department's editor may not act on the town's concern; the office reassigns.
        let consult = ConcernStep::Consult { note: "会商".into() };
        assert!(matches!(
            store.apply_concern_step(&ctx, &editor, c.id, consult.clone()).await,
            Err(ConcernError::Refused(_))
        ));
        let moved = store
            .apply_concern_step(
                &ctx,
                &office,
                c.id,
                ConcernStep::Reassign { org_id: dept.id, reason: "主管部门".into() },
            )
            .await
            .expect("reassigned");
        assert_eq!(moved.org_id, dept.id);
        assert!(store.apply_concern_step(&ctx, &town_editor, c.id, consult.clone()).await.is_err(), "{}", t.name);

        // A press conference held and recorded, then the response by it.
        let e = store
            .schedule_press(
                &ctx,
                &editor,
                PressInput {
                    kind: PressKind::Conference,
                    title: "游客滞留处置情况新闻发布会".into(),
                    starts_at: at("2026-12-04 09:30"),
                    place: String::new(),
                    summary: String::new(),
                },
            )
            .await
            .expect("scheduled");
        let respond = ConcernStep::Respond { kind: ResponseKind::Press, target_id: e.id, note: String::new() };
        assert!(store.apply_concern_step(&ctx, &editor, c.id, respond.clone()).await.is_err(), "not held yet");
        let record = PressRecord {
            speakers: parse_speakers("王明 主任 *"),
            transcript: "实录".into(),
            video_url: String::new(),
            items: Vec::new(),
        };
        let held = store.publish_press_record(&ctx, &editor, e.id, record).await.expect("record");
        assert_eq!((held.state, held.principal), (PressState::Held, true), "{}", t.name);
        // Photos of the held event, up to the limit.
        let photo =
            store.add_press_photo(&ctx, &editor, e.id, "发布会现场", "image/png", 72, "ab12").await.expect("photo");
        assert_eq!(store.press_photos(e.id).await.expect("photos").len(), 1, "{}", t.name);
        store.remove_press_photo(&ctx, &editor, e.id, photo.id).await.expect("removed");
        assert!(store.press_photos(e.id).await.expect("photos").is_empty(), "{}", t.name);
        let after = store.apply_concern_step(&ctx, &editor, c.id, respond).await.expect("responded");
        assert_eq!(after.stage, ConcernStage::Responded);
        assert_eq!(
            (after.first_response_at, after.first_press_at),
            (Some(at("2026-12-04 10:00")), Some(at("2026-12-04 10:00")))
        );
        let (responses, total) = store.public_responses(&[], 20, 0).await.expect("responses");
        assert_eq!((total, responses[0].title.as_str()), (1, "游客滞留处置情况新闻发布会"), "{}", t.name);
        // 批示 tracked to completion.
        store
            .apply_concern_step(&ctx, &office, c.id, ConcernStep::Instruction { note: "请妥善处置".into() })
            .await
            .expect("批示");
        let events = store.concern_events(c.id).await.expect("events");
        let instruction = events.iter().find(|e| e.step == "instruction").expect("instruction").id;
        store
            .apply_concern_step(
                &ctx,
                &editor,
                c.id,
                ConcernStep::InstructionDone { event_id: instruction, note: "已办".into() },
            )
            .await
            .expect("done");
        assert!(
            store
                .apply_concern_step(
                    &ctx,
                    &editor,
                    c.id,
                    ConcernStep::InstructionDone { event_id: instruction, note: "x".into() }
                )
                .await
                .is_err(),
            "{}: done once",
            t.name
        );

        let from = at("2026-01-01 00:00");
        let progress = store.press_progress(from, at("2027-01-01 00:00")).await.expect("progress");
        assert_eq!(progress.get(&dept.id).map(|p| (p.held, p.principal)), Some((1, 1)), "{}", t.name);
        // An interview opens the org's question mailbox once.
        for title in ["访谈一", "访谈二"] {
            let input = PressInput {
                kind: PressKind::Interview,
                title: title.into(),
                starts_at: at("2026-12-10 15:00"),
                place: String::new(),
                summary: String::new(),
            };
            store.schedule_press(&ctx, &editor, input).await.expect("interview");
        }
        let boxes = store.mailboxes().await.expect("mailboxes");
        assert_eq!(boxes.iter().filter(|m| m.org_id == dept.id).count(), 1, "{}", t.name);
        store.clock().set(None);
    }
}

/// Interview plans on every backend: saved whole per org and year by its editors, replaced,
/// removed when emptied; another org's staff are refused.
#[tokio::test]
async fn interview_plans_are_replaced_whole() {
    use gongkai_core::press::parse_plan;
    for t in common::all().await {
        let store = &t.store;
        let ctx = gongkai_store::AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        common::org(store, None, "11320412014155302Q", "常州市武进区人民政府").await;
        let editor = common::staff(store, "11500114009130039C", "editor1", vec![Role::Editor]).await;
        let other = common::staff(store, "11320412014155302Q", "editor2", vec![Role::Editor]).await;
        let plan = parse_plan("3月｜营商环境｜区发展改革委主任\n6月｜停车管理").expect("plan");
        assert!(store.save_interview_plan(&ctx, &other, gov.id, 2026, plan.clone()).await.is_err(), "{}", t.name);
        store.save_interview_plan(&ctx, &editor, gov.id, 2026, plan).await.expect("saved");
        let plans = store.interview_plans(2026).await.expect("plans");
        assert_eq!(plans.len(), 1, "{}", t.name);
        assert_eq!((plans[0].entries[0].month, plans[0].entries[1].topic.as_str()), (3, "停车管理"), "{}", t.name);
        assert!(store.interview_plans(2027).await.expect("plans").is_empty(), "{}", t.name);
        let shorter = parse_plan("9月｜教育惠民").expect("plan");
        store.save_interview_plan(&ctx, &editor, gov.id, 2026, shorter).await.expect("replaced");
        assert_eq!(store.interview_plans(2026).await.expect("plans")[0].entries.len(), 1, "{}", t.name);
        store.save_interview_plan(&ctx, &editor, gov.id, 2026, Vec::new()).await.expect("removed");
        assert!(store.interview_plans(2026).await.expect("plans").is_empty(), "{}", t.name);
    }
}

/// The interpretation figures counted in SQL from the calendar's day table are core's
/// coverage walked policy by policy: 360 policies published over sixteen months at every
/// hour of the Beijing day (some in the last days before today), needing an interpretation
/// by genre or by mark, with a drafting org or not; interpreted before, with, on the last
/// day of, the day off after, and long after the days, by withdrawn or not yet public
/// interpretations, or not at all.
#[tokio::test]
async fn interpretation_counts_in_sql_are_the_clocks_counts() {
    use chrono::Duration;
    use gongkai_core::item::Validity;
    use gongkai_store::{ImportOutcome, ImportedItem};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let now = at("2026-10-09 15:00");
        store.clock().set(Some(now));
        let top = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut n = 0;
        let mut import = |org: i64, genre: &str, published_at: DateTime<Utc>| {
            n += 1;
            let imported = ImportedItem {
                draft: ItemDraft {
                    title: format!("文件{n}"),
                    genre: genre.into(),
                    body: "<p>正文</p>".into(),
                    ..Default::default()
                },
                index_no: None,
                published_at,
                validity: Validity::Valid,
                repealed_on: None,
                source_key: format!("cover-{n}"),
                source: "cover.jsonl".into(),
                attachments: Vec::new(),
            };
            let ctx = ctx.clone();
            async move {
                match store.import_item(&ctx, org, imported).await.expect("import") {
                    ImportOutcome::Created { id, .. } => id,
                    other => panic!("{other:?}"),
                }
            }
        };
        let mut sql = Vec::new();
        for i in 0..360 {
            let org = if i % 3 == 0 { top.id } else { dept.id };
            // A third in the last fortnight, the rest over the sixteen months before.
            let back = if i % 3 == 1 { next(15) } else { next(480) } as i64;
            let published = now - Duration::days(back) - Duration::hours(next(24) as i64);
            let genre = ["行政规范性文件", "行政规范性文件", "通知", "规章"][next(4) as usize];
            let policy = import(org, genre, published).await;
            match next(6) {
                0 => sql.push(format!(
                    "INSERT INTO interpretation_needs (item_id, needed, drafting_org_id, set_by, set_at) \
                     VALUES ({policy}, TRUE, {}, 'test', '2026-01-01T00:00:00Z')",
                    top.id
                )),
                1 => sql.push(format!(
                    "INSERT INTO interpretation_needs (item_id, needed, drafting_org_id, set_by, set_at) \
                     VALUES ({policy}, FALSE, NULL, 'test', '2026-01-01T00:00:00Z')"
                )),
                _ => {}
            }
            for _ in 0..next(3) {
                let within = if next(2) == 0 { 24 * 5 } else { 24 * 20 };
                let offset = Duration::hours(next(within) as i64 - 24);
                let interp = import(org, "政策解读", published + offset).await;
                sql.push(format!(
                    "INSERT INTO item_links (item_id, kind, target_id, created_by, created_at) \
                     VALUES ({interp}, 'interprets', {policy}, 'test', '2026-01-01T00:00:00Z')"
                ));
                if next(8) == 0 {
                    sql.push(format!("UPDATE items SET state = 'withdrawn' WHERE id = {interp}"));
                }
            }
        }
        common::raw(&t, &sql.join(";\n")).await;

        let cal = store.calendar().await.expect("calendar");
        let genres: Vec<String> = gongkai_core::interpretation::DEFAULT_GENRES.iter().map(|g| g.to_string()).collect();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 10, 9).expect("day");
        for (from, to) in [("2026", "2027"), ("2025", "2026")] {
            for days in [1, 3, 5] {
                let period = (at(&format!("{from}-01-01 00:00")), at(&format!("{to}-01-01 00:00")));
                let counted = store.interpretation_counts((&genres, days), &cal, period, today).await.expect("counted");
                let walked =
                    store.interpretation_counts_walked((&genres, days), &cal, period, today).await.expect("walked");
                assert_eq!(counted, walked, "{}: {from}, {days} days", t.name);
                let total = |f: fn(&gongkai_store::CoverageCounts) -> i64| walked.values().map(f).sum::<i64>();
                assert!(total(|c| c.on_time) > 3 && total(|c| c.interpreted - c.on_time) > 3, "{}: {walked:?}", t.name);
                assert!(total(|c| c.missing) > 3, "{}: {walked:?}", t.name);
                if from == "2026" {
                    assert!(total(|c| c.due) > 3, "{}: {days} days {walked:?}", t.name);
                }
            }
        }

        // The list pages through every policy the counts count, newest first, each once.
        let two_years = (at("2025-01-01 00:00"), at("2027-01-01 00:00"));
        let counted = store.interpretation_counts((&genres, 3), &cal, two_years, today).await.expect("counted");
        for (org, tree) in [(&top, true), (&dept, false)] {
            let mut listed = Vec::new();
            for page in 1.. {
                let scope =
                    gongkai_store::CoverageScope { org: &org.path, tree, answered_only: true, responsible: None, page };
                let list = store.interpretation_coverage(&genres, two_years, scope).await.expect("page");
                assert!(list.rows.len() <= gongkai_store::interpretations::COVERAGE_PAGE, "{}", t.name);
                assert!(!list.more || list.rows.len() == gongkai_store::interpretations::COVERAGE_PAGE);
                listed.extend(list.rows);
                if !list.more {
                    break;
                }
            }
            let expected: i64 = counted.iter().filter(|(o, _)| tree || **o == org.id).map(|(_, c)| c.policies).sum();
            assert_eq!(listed.len() as i64, expected, "{}: {}", t.name, org.name);
            assert!(listed.windows(2).all(|w| (w[0].published_at, w[0].id) > (w[1].published_at, w[1].id)));
            assert!(listed.iter().all(|r| tree || r.responsible_org_id == org.id), "{}", t.name);
            if tree {
                assert!(listed.len() > gongkai_store::interpretations::COVERAGE_PAGE, "{}: one page only", t.name);
            }
        }
    }
}
