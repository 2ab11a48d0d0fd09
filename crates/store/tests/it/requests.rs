//! Information requests on every backend: idempotent filing, the handling steps and their
//! refusals, the clock's facts, review records, and two handlers deciding at once.

use crate::common;
use gongkai_core::report::{RemedyKind, RemedyResult};

use chrono::NaiveDate;
use gongkai_core::request::{FeeChoice, Outcome, RequestState, Step, StepRefusal};
use gongkai_core::{Actor, Role, Username};
use gongkai_store::{AuditCtx, NewRemedy, NewRequest, NewUser, RequestError, StepExtra, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn setup(store: &Store) -> (i64, Actor, Actor, i64) {
    let ctx = AuditCtx::cli();
    let gov = gongkai_testkit::stores::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
    let dept = gongkai_testkit::stores::org(store, Some("11500114009130039C"), "014109453", "黔江区发改委").await;
    let mut actors = Vec::new();
    for (name, role) in [("handler", Role::RequestHandler), ("approver", Role::Approver)] {
        let u = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: "11500114009130039C".into(),
                    username: Username::parse(name).expect("name"),
                    display_name: String::new(),
                    password_hash: "x".into(),
                    roles: vec![role],
                },
            )
            .await
            .expect("user");
        actors.push(store.actor(u.id).await.expect("actor").expect("active"));
    }
    let a = actors.pop().expect("approver");
    let h = actors.pop().expect("handler");
    (gov.id, h, a, dept.id)
}

fn new_request(org_id: i64, key: Option<&str>) -> NewRequest {
    let base = gongkai_testkit::requests::new_request(org_id, d(2026, 2, 6));
    NewRequest {
        applicant: gongkai_core::request::Applicant {
            id_number: "11010519491231002X".into(),
            email: "zhang@example.com".into(),
            ..base.applicant.clone()
        },
        description: "2025年黔江区城市道路改造项目的立项批复文件".into(),
        form: "电子邮件".into(),
        idempotency_key: key.map(str::to_string),
        ..base
    }
}

async fn step(
    store: &Store,
    who: &Actor,
    id: i64,
    s: Step,
    extra: StepExtra,
) -> Result<gongkai_store::Request, RequestError> {
    store.apply_request_step(&AuditCtx::cli(), who, id, s, extra).await
}

#[tokio::test]
async fn a_request_is_filed_once_and_handled_to_a_reply() {
    for t in common::all().await {
        let store = &t.store;
        let (org, h, a, dept) = setup(store).await;
        let ctx = AuditCtx::system();
        let (r, created) = store.file_request(&ctx, new_request(org, Some("key-1"))).await.expect("filed");
        assert!(created);
        assert_eq!(r.tracking_no.len(), 16);
        assert_eq!(r.query_code.len(), 8);
        assert_eq!(r.state(), RequestState::Received);
        let (again, created) = store.file_request(&ctx, new_request(org, Some("key-1"))).await.expect("replayed");
        assert!(!created, "{}: a retry with the same key stores nothing", t.name);
        assert_eq!((again.id, &again.query_code), (r.id, &r.query_code));

        // The applicant's view needs both numbers; a wrong code looks like an unknown number.
        assert!(
            store.request_for_applicant(&r.tracking_no, &r.query_code.to_lowercase()).await.expect("lookup").is_some()
        );
        assert!(store.request_for_applicant(&r.tracking_no, "WRONGCOD").await.expect("lookup").is_none());
        assert!(store.request_for_applicant("2026000000000000", &r.query_code).await.expect("lookup").is_none());

        // Clarification once, then the clock restarts from the clarified application.
        // Asked on the third working day (within article 30's 7); a week later it is too late.
        let on = |day| StepExtra { on: Some(day), ..Default::default() };
        let late = step(store, &h, r.id, Step::RequestClarification, on(d(2026, 2, 26))).await;
        assert!(matches!(late, Err(RequestError::Refused(StepRefusal::ClarificationLate))), "{}: {late:?}", t.name);
        let r = step(store, &h, r.id, Step::RequestClarification, on(d(2026, 2, 11))).await.expect("clarify");
        assert!(r.clarification_asked);
        let again = step(store, &h, r.id, Step::Clarified { received_on: d(2026, 2, 10) }, StepExtra::default())
            .await
            .expect("clarified");
        assert_eq!(again.clock_start, d(2026, 2, 10));
        let twice = step(store, &h, r.id, Step::RequestClarification, on(d(2026, 2, 11))).await;
        assert!(matches!(twice, Err(RequestError::Refused(StepRefusal::AlreadyClarified))), "{}", t.name);

        // A consultation pauses the clock; an approver extends it.
        step(
            store,
            &h,
            r.id,
            Step::StartConsultation,
            StepExtra { on: Some(d(2026, 2, 11)), party: "某公司".into(), ..Default::default() },
        )
        .await
        .expect("consult");
        let r2 =
            step(store, &h, r.id, Step::EndConsultation, StepExtra { on: Some(d(2026, 2, 26)), ..Default::default() })
                .await
                .expect("end");
        let pauses = store.request_pauses(r.id).await.expect("pauses");
        assert_eq!(
            (pauses[0].started_on, pauses[0].ended_on, pauses[0].party.as_str()),
            (d(2026, 2, 11), Some(d(2026, 2, 26)), "某公司")
        );
        let cal = gongkai_core::calendar::Calendar::shipped();
        // 20 working days from 02-10 is 03-16; the pause (02-12, 02-13, 02-14 Sat worked, 02-24..26 = 6) moves it to 03-24.
        assert_eq!(r2.clock(&pauses).due_on(&cal), Ok(Some(d(2026, 3, 24))));
        assert!(matches!(
            step(store, &h, r.id, Step::Extend { days: 10 }, on(d(2026, 3, 2))).await,
            Err(RequestError::Refused(StepRefusal::Denied(_)))
        ));
        // Article 33: not once the period has ended (the day after 03-24, or today).
        for after in [on(d(2026, 3, 25)), StepExtra::default()] {
            let late = step(store, &a, r.id, Step::Extend { days: 10 }, after).await;
            assert!(
                matches!(late, Err(RequestError::Refused(StepRefusal::ExtensionAfterDue { due })) if due == d(2026, 3, 24)),
                "{}: {late:?}",
                t.name
            );
        }
        let r3 = step(store, &a, r.id, Step::Extend { days: 10 }, on(d(2026, 3, 24))).await.expect("extended");
        assert_eq!(r3.extension_days, 10);
        let unkept = format!("SELECT COUNT(*) FROM requests WHERE id = {} AND kept_calendar IS NULL", r.id);
        assert_eq!(common::count(&t, &unkept).await, Some(1), "{}: open, nothing kept", t.name);

        // A refusal must state its reason; then it is replied and closed.
        let refusal = Outcome::parse("withheld.third_party").expect("outcome");
        let no_reason =
            step(store, &h, r.id, Step::Reply { outcome: refusal, reason: String::new() }, StepExtra::default()).await;
        assert!(matches!(no_reason, Err(RequestError::Refused(StepRefusal::ReasonRequired(_)))));
        let replied = step(
            store,
            &h,
            r.id,
            Step::Reply { outcome: refusal, reason: "涉及第三方商业秘密，第三方不同意公开".into() },
            StepExtra { on: Some(d(2026, 3, 20)), ..Default::default() },
        )
        .await
        .expect("replied");
        assert_eq!(
            (replied.state(), replied.outcome().map(|o| o.code), replied.replied_on),
            (RequestState::Replied, Some("withheld.third_party"), Some(d(2026, 3, 20)))
        );
        // Concluded, it keeps what it counts in the supervision figures, on this calendar:
        // on time (due 03-24 and ten more days), and the working days used less the pause.
        let store_cal = store.calendar().await.expect("calendar");
        let kept = r3.clock(&pauses).concluded(&store_cal, d(2026, 3, 20));
        assert_eq!(kept, gongkai_core::request::Concluded { on_time: true, workdays: Some(18) }, "{}", t.name);
        let kept_sql = format!(
            "SELECT kept_workdays FROM requests WHERE id = {} AND kept_calendar = {} AND kept_on_time = TRUE",
            r.id,
            store_cal.stamp()
        );
        assert_eq!(common::count(&t, &kept_sql).await, Some(18), "{}", t.name);
        step(store, &h, r.id, Step::Close, StepExtra::default()).await.expect("closed");
        assert_eq!(common::count(&t, &kept_sql).await, Some(18), "{}: still kept when closed", t.name);

        let steps: Vec<String> =
            store.request_events(r.id).await.expect("events").into_iter().map(|e| e.step).collect();
        assert_eq!(
            steps,
            ["file", "clarify.request", "clarify.received", "consult.start", "consult.end", "extend", "reply", "close"]
        );

        let remedy = store
            .add_remedy(
                &ctx,
                r.id,
                NewRemedy {
                    kind: RemedyKind::Review,
                    body: "重庆市黔江区人民政府".into(),
                    filed_on: d(2026, 4, 1),
                    result: RemedyResult::Pending,
                    decided_on: None,
                    note: String::new(),
                },
            )
            .await
            .expect("remedy");
        assert_eq!(remedy.result, RemedyResult::Pending);
        let bad = store
            .add_remedy(
                &ctx,
                r.id,
                NewRemedy {
                    kind: RemedyKind::LitigationDirect,
                    body: String::new(),
                    filed_on: d(2026, 4, 1),
                    result: RemedyResult::Upheld,
                    decided_on: None,
                    note: String::new(),
                },
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))), "a decided case needs its decision date");

        // Transfer inside the platform moves the request with its clock.
        let (other, _) = store.file_request(&ctx, new_request(org, None)).await.expect("filed");
        let moved = step(
            store,
            &h,
            other.id,
            Step::Transfer { inside: true, reason: "属发改委职责".into() },
            StepExtra { target_org: Some(dept), ..Default::default() },
        )
        .await
        .expect("transferred");
        assert_eq!((moved.org_id, moved.state(), moved.clock_start), (dept, RequestState::Received, d(2026, 2, 6)));
        // The handler of the old org can no longer act on it.
        assert!(matches!(
            step(store, &h, other.id, Step::Accept, StepExtra::default()).await,
            Err(RequestError::Refused(StepRefusal::Denied(_)))
        ));

        // Fees.
        let (third, _) = store.file_request(&ctx, new_request(org, None)).await.expect("filed");
        let n = store.applicant_month_count(&third).await.expect("count");
        assert_eq!(n, 3, "{}: the applicant's third request this month", t.name);
        // The workspace asks for many at once and must get the same answers.
        let mut other_applicant = new_request(org, None);
        other_applicant.applicant.id_number = "110105194912310021".into();
        let (solo, _) = store.file_request(&ctx, other_applicant).await.expect("filed");
        let batch = store.applicant_month_counts(&[&third, &solo, &r]).await.expect("counts");
        for one in [&third, &solo, &r] {
            let single = store.applicant_month_count(one).await.expect("count");
            assert_eq!(batch.get(&one.id), Some(&single), "{}: request {}", t.name, one.id);
        }
        assert_eq!(batch.get(&solo.id), Some(&1), "{}", t.name);
        let fee = step(
            store,
            &h,
            third.id,
            Step::NotifyFee,
            StepExtra { fee: Some(FeeChoice::ByPages { pages: 120 }), ..Default::default() },
        )
        .await
        .expect("fee");
        assert_eq!((fee.fee_amount, fee.state()), (1100, RequestState::AwaitingFee));
        let lapsed = step(store, &h, third.id, Step::FeeLapsed, StepExtra::default()).await.expect("lapsed");
        assert_eq!(
            (lapsed.state(), lapsed.outcome().map(|o| o.code)),
            (RequestState::Closed, Some("other.fee_unpaid"))
        );
        // 按件: the store counts the applicant's requests in the fee notice's transaction
        // (the 4th this month: within the 10 free ones, so 0 元, its place named).
        let (fourth, _) = store.file_request(&ctx, new_request(org, None)).await.expect("filed");
        let by_count = step(
            store,
            &h,
            fourth.id,
            Step::NotifyFee,
            StepExtra { fee: Some(FeeChoice::ByCount), ..Default::default() },
        )
        .await
        .expect("fee by count");
        assert_eq!(by_count.fee_amount, 0, "{}", t.name);
        assert!(by_count.fee_basis.contains("第 4 件"), "{}: {}", t.name, by_count.fee_basis);
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None);
    }
}

#[tokio::test]
async fn two_handlers_replying_at_once_one_wins() {
    for t in common::all().await {
        let store = &t.store;
        let (org, h, _, _) = setup(store).await;
        let h2 = {
            let u = store
                .create_user(
                    &AuditCtx::cli(),
                    NewUser {
                        org_code: "11500114009130039C".into(),
                        username: Username::parse("handler2").expect("n"),
                        display_name: String::new(),
                        password_hash: "x".into(),
                        roles: vec![Role::RequestHandler],
                    },
                )
                .await
                .expect("user");
            store.actor(u.id).await.expect("a").expect("a")
        };
        let (r, _) = store.file_request(&AuditCtx::system(), new_request(org, None)).await.expect("filed");
        let disclosed = Outcome::parse("disclosed").expect("o");
        let (a, b) = tokio::join!(
            step(store, &h, r.id, Step::Reply { outcome: disclosed, reason: String::new() }, StepExtra::default()),
            step(store, &h2, r.id, Step::Reply { outcome: disclosed, reason: String::new() }, StepExtra::default())
        );
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|x| **x).count(), 1, "{}", t.name);
        let replies = store.request_events(r.id).await.expect("events").iter().filter(|e| e.step == "reply").count();
        assert_eq!(replies, 1);
    }
}

/// Two approvers extend the same request at once by 10 and 15 working days: together they
/// would pass the 20 of article 33, so one is refused (or loses the race), and the stored
/// extension never exceeds 20.
#[tokio::test]
async fn two_approvers_extending_at_once_never_pass_twenty_days() {
    for t in common::all().await {
        let store = &t.store;
        let (org, _h, a, _) = setup(store).await;
        for round in 0..5 {
            let (r, _) = store.file_request(&AuditCtx::system(), new_request(org, None)).await.expect("filed");
            let within = || StepExtra { on: Some(d(2026, 2, 20)), ..Default::default() };
            let (one, two) = tokio::join!(
                step(store, &a, r.id, Step::Extend { days: 10 }, within()),
                step(store, &a, r.id, Step::Extend { days: 15 }, within()),
            );
            let ok = [&one, &two].iter().filter(|r| r.is_ok()).count();
            assert_eq!(ok, 1, "{} round {round}: exactly one extension holds ({one:?} / {two:?})", t.name);
            for refused in [one, two].into_iter().filter_map(Result::err) {
                assert!(
                    matches!(
                        refused,
                        RequestError::Refused(StepRefusal::ExtensionTooLong { .. })
                            | RequestError::Store(StoreError::Conflict(_))
                    ),
                    "{}: {refused:?}",
                    t.name
                );
            }
            let stored = store.request(r.id).await.expect("read").expect("request");
            assert!(
                stored.extension_days == 10 || stored.extension_days == 15,
                "{}: {}",
                t.name,
                stored.extension_days
            );
        }
    }
}

/// A request row in a state core does not know is an error when read, never a received one.
#[tokio::test]
async fn a_request_row_in_an_unknown_state_is_an_error() {
    for t in common::all().await {
        let store = &t.store;
        let (org, ..) = setup(store).await;
        let (r, _) = store.file_request(&AuditCtx::system(), new_request(org, None)).await.expect("filed");
        common::raw(&t, &format!("UPDATE requests SET state = 'limbo' WHERE id = {}", r.id)).await;
        assert!(store.request(r.id).await.is_err(), "{}: must not read as received", t.name);
    }
}

/// Notices issued at once by several writers: one notice per place (request, kind, seq),
/// and every number of an org's year used once, in order, with no gaps left by the loser
/// of a race (its transaction rolls the counter back).
#[tokio::test]
async fn notices_issued_at_once_keep_one_per_place_and_unique_numbers() {
    use gongkai_core::notice::Notice;
    for t in common::all().await {
        let store = &t.store;
        let (org, _h, _a, _) = setup(store).await;
        let blank = || Notice {
            title: "政府信息公开申请受理回执".into(),
            doc_no: String::new(),
            reference: String::new(),
            salutation: "张三：".into(),
            paragraphs: vec!["本机关已收到您的申请。".into()],
            signature: "重庆市黔江区人民政府".into(),
            date: "2026年2月6日".into(),
        };
        let mut ids = Vec::new();
        for _ in 0..4 {
            ids.push(store.file_request(&AuditCtx::system(), new_request(org, None)).await.expect("filed").0.id);
        }
        let ctx = AuditCtx::system();
        let on = d(2026, 2, 6);
        // The same place twice at once, and four requests at once.
        let (x, y) = tokio::join!(
            store.issue_notice(&ctx, ids[0], "acknowledgement", 1, on, blank()),
            store.issue_notice(&ctx, ids[0], "acknowledgement", 1, on, blank()),
        );
        let (x, y) = (x.expect("issued"), y.expect("issued"));
        assert_eq!((x.id, &x.doc_no), (y.id, &y.doc_no), "{}: one notice for one place", t.name);
        let (a, b, c) = tokio::join!(
            store.issue_notice(&ctx, ids[1], "acknowledgement", 1, on, blank()),
            store.issue_notice(&ctx, ids[2], "acknowledgement", 1, on, blank()),
            store.issue_notice(&ctx, ids[3], "acknowledgement", 1, on, blank()),
        );
        let mut numbers: Vec<String> = [a, b, c].into_iter().map(|n| n.expect("issued").doc_no).collect();
        numbers.push(x.doc_no.clone());
        numbers.sort();
        let expected: Vec<String> = (1..=4).map(|n| format!("重庆市黔江区人民政府信公开〔2026〕{n}号")).collect();
        assert_eq!(numbers, expected, "{}: unique and without gaps", t.name);
        let stored = store.request_notices(ids[0]).await.expect("notices");
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].notice.paragraphs, blank().paragraphs, "kept as composed");
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None, "{}", t.name);
    }
}
