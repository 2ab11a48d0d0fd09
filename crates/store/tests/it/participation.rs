//! Participation on every backend: meeting applications (the same idempotency key sent twice
//! at once files one application; the key with another person's details is refused) and the
//! phone confirmation of surveys (codes bounded in time, tries and number).

use crate::common;

use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::attendance::{SeatKind, Topic};
use gongkai_store::{AttendanceError, AuditCtx, StoreError};

#[tokio::test]
async fn one_application_per_key_even_when_sent_twice_at_once() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office = common::staff(store, "11500114009130039C", "office1", vec![Role::Supervisor]).await;
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        let topics = vec![Topic { title: "审议停车管理办法".into(), consulted: true }];
        let m = store
            .announce_meeting(&ctx, &office, "区政府第46次常务会议", topics, [2, 0, 0, 0], "", day(15), day(10))
            .await
            .expect("announced");
        let apply = |name: &'static str, key: &'static str| {
            store.apply_to_attend(m.id, SeatKind::Public, name, "居民", "13912345678", "", Some(key), day(1))
        };
        let (a, b) = tokio::join!(apply("陈晓华", "k-1"), apply("陈晓华", "k-1"));
        let (a, b) = (a.expect("first"), b.expect("second"));
        assert_eq!(a.0.id, b.0.id, "{}: the same application", t.name);
        assert_eq!(u8::from(a.1) + u8::from(b.1), 1, "{}: filed once", t.name);
        assert!(
            matches!(apply("林峰", "k-1").await, Err(AttendanceError::Store(StoreError::KeyReused))),
            "{}: the key with another person",
            t.name
        );
        assert_eq!(store.applications(m.id).await.expect("applications").len(), 1, "{}", t.name);
    }
}

/// A survey confirmed by phone on every backend: codes once a minute and five a day, five
/// wrong tries use a code up, the right one answers once for the number.
#[tokio::test]
async fn survey_codes_bound_sends_and_tries() {
    use gongkai_core::survey::{Answer, Question, QuestionKind, SurveyRefusal};
    use gongkai_store::{SurveyError, Voter};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office = common::staff(store, "11500114009130039C", "office1", vec![Role::Supervisor]).await;
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        let q = Question {
            text: "是否赞成".into(),
            kind: QuestionKind::Single,
            options: vec!["是".into(), "否".into()],
            required: true,
        };
        let s =
            store.create_survey(&ctx, &office, "停车调查", "", vec![q], day(1), day(31), true).await.expect("survey");
        let t0: chrono::DateTime<chrono::Utc> = "2026-12-04T02:00:00Z".parse().expect("time");
        store.clock().set(Some(t0));
        let refused = |r: Result<(), SurveyError>| match r {
            Err(SurveyError::Refused(r)) => Some(r),
            _ => None,
        };
        store.record_survey_code(s.id, "p1", "c1", day(4)).await.expect("first code");
        assert_eq!(
            refused(store.record_survey_code(s.id, "p1", "c2", day(4)).await),
            Some(SurveyRefusal::CodeTooSoon),
            "{}",
            t.name
        );
        let answers = || vec![Some(Answer::Choices(vec![0]))];
        let by_phone = |code: &'static str| {
            store.answer_survey(s.id, Voter::Phone { phone_hash: "p1", code_hash: code }, answers(), day(4))
        };
        for _ in 0..5 {
            assert_eq!(refused(by_phone("wrong").await), Some(SurveyRefusal::CodeWrong), "{}", t.name);
        }
        assert_eq!(refused(by_phone("c1").await), Some(SurveyRefusal::CodeTries), "{}: five wrong tries", t.name);
        store.clock().set(Some(t0 + chrono::Duration::seconds(61)));
        store.record_survey_code(s.id, "p1", "c3", day(4)).await.expect("a new code after a minute");
        by_phone("c3").await.expect("answered");
        assert_eq!(
            refused(store.answer_survey(s.id, Voter::Browser("token"), answers(), day(4)).await),
            Some(SurveyRefusal::PhoneRequired),
            "{}",
            t.name
        );
        for i in 2..5 {
            store.clock().set(Some(t0 + chrono::Duration::seconds(61 * i)));
            store.record_survey_code(s.id, "p1", "cx", day(4)).await.expect("within the day");
        }
        store.clock().set(Some(t0 + chrono::Duration::seconds(61 * 6)));
        assert_eq!(
            refused(store.record_survey_code(s.id, "p1", "cy", day(4)).await),
            Some(SurveyRefusal::CodesPerDay),
            "{}",
            t.name
        );
    }
}
