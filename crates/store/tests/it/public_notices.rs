//! 公示 on every backend: a 公示's period set in working days, objections received within it
//! only (as letters to the org's 公示异议 mailbox, opened by the first 公示 that asks for
//! one), a published 公示 that may grow but not shrink, and its result announcement linked,
//! due five working days after the period and flagged when late.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_core::Role;
use gongkai_core::item::DisclosureAttr;
use gongkai_core::letter::MailboxKind;
use gongkai_core::public_notice::{NoticePeriod, NoticeSpec, NoticeStatus, PeriodUnit};
use gongkai_store::public_notices::NoticeFilter;
use gongkai_store::{AuditCtx, ItemDraft, NewLetter, StoreError};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn objection(mailbox: i64, notice: Option<i64>, on: NaiveDate) -> NewLetter {
    let at = on.and_hms_opt(2, 0, 0).expect("time").and_utc();
    NewLetter {
        mailbox_id: mailbox,
        name: "李四".into(),
        phone: "13800000000".into(),
        email: String::new(),
        subject: "对拟补助企业名单的异议".into(),
        body: "名单中某企业去年已停产，不应列入。".into(),
        consent: false,
        submitted_at: at,
        received_on: on,
        idempotency_key: None,
        files: Vec::new(),
        interview_id: None,
        notice_id: notice,
    }
}

#[tokio::test]
async fn a_notice_takes_objections_in_its_period_and_its_result_is_due_after() {
    for t in common::all().await {
        let store = &t.store;
        // Monday 7 December 2026, 10:00 in Beijing.
        store.clock().set(Some(Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).single().expect("time")));
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区发展和改革委员会").await;
        let editor = common::staff(store, "11500114709480021G", "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, "11500114709480021G", "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, "11500114709480021G", "approver", vec![Role::Approver]).await;
        let outsider = common::staff(store, "11500114009130039C", "outsider", vec![Role::Editor]).await;
        let draft = |title: &str| ItemDraft {
            title: title.into(),
            genre: "公告".into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            ..Default::default()
        };
        let notice =
            store.create_item(&ctx, &editor, dept.id, draft("2026年化解过剩产能奖补企业名单公示")).await.expect("item");
        let cal = store.calendar().await.expect("calendar");
        let period = NoticePeriod::new(&cal, d("2026-12-07"), 5, PeriodUnit::Workdays).expect("period");
        assert_eq!(period.until, d("2026-12-11"));
        let spec = NoticeSpec::Notice { period, objections: true, result_required: true };
        assert!(
            matches!(
                store.save_public_notice(&ctx, &outsider, notice.id, Some(spec.clone())).await,
                Err(StoreError::Forbidden(_))
            ),
            "{}: another org's editor",
            t.name
        );
        assert!(store.objection_mailbox(dept.id).await.expect("mailbox").is_none());
        store.save_public_notice(&ctx, &editor, notice.id, Some(spec.clone())).await.expect("saved");
        let mailbox = store.objection_mailbox(dept.id).await.expect("mailbox").expect("opened by the 公示");
        assert_eq!((mailbox.kind, mailbox.reply_days), (MailboxKind::Objection, 10));

        // Not public yet: no objection, and not on the public list.
        let today = store.today();
        assert!(store.file_letter(&ctx, objection(mailbox.id, Some(notice.id), today)).await.is_err());
        common::publish(store, notice.id, &editor, &reviewer, &approver).await;
        let (open, n) = store.public_notice_list(&[], NoticeFilter::Open, today, 20, 0).await.expect("list");
        assert_eq!(
            (n, open[0].id, open[0].status(&cal, today).ok()),
            (1, notice.id, Some(NoticeStatus::Open)),
            "{}",
            t.name
        );

        // Within the period an objection is a letter carrying the 公示; one without it, or
        // after the period, is refused.
        let (letter, _) =
            store.file_letter(&ctx, objection(mailbox.id, Some(notice.id), today)).await.expect("objection");
        assert_eq!(letter.notice_id, Some(notice.id));
        assert!(matches!(
            store.file_letter(&ctx, objection(mailbox.id, None, today)).await,
            Err(StoreError::Invalid(_))
        ));
        let late = store.file_letter(&ctx, objection(mailbox.id, Some(notice.id), d("2026-12-12"))).await;
        assert!(
            matches!(late, Err(StoreError::Invalid(ref m)) if m.contains("公示期已于 2026年12月11日 结束")),
            "{}: {late:?}",
            t.name
        );
        assert_eq!(store.objections_to(notice.id).await.expect("objections").len(), 1);

        // Published: the period may be extended, never shortened, and the 公示 stays one.
        let shorter = NoticePeriod::new(&cal, d("2026-12-07"), 3, PeriodUnit::Workdays).expect("period");
        let refused = NoticeSpec::Notice { period: shorter, objections: true, result_required: true };
        assert!(matches!(
            store.save_public_notice(&ctx, &editor, notice.id, Some(refused)).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(store.save_public_notice(&ctx, &editor, notice.id, None).await, Err(StoreError::Conflict(_))));
        let longer = NoticePeriod::new(&cal, d("2026-12-07"), 7, PeriodUnit::Workdays).expect("period");
        assert_eq!(longer.until, d("2026-12-15"));
        let spec = NoticeSpec::Notice { period: longer, objections: true, result_required: true };
        store.save_public_notice(&ctx, &editor, notice.id, Some(spec)).await.expect("extended");

        // After the period (Wednesday 16 December) the result is due by Wednesday 23 December;
        // on the 28th it is overdue; the result announcement published then concludes it late.
        let after = d("2026-12-28");
        let (ended, _) = store.public_notice_list(&[dept.id], NoticeFilter::Ended, after, 20, 0).await.expect("list");
        assert_eq!(ended[0].status(&cal, after).ok(), Some(NoticeStatus::ResultOverdue), "{}", t.name);
        let result =
            store.create_item(&ctx, &editor, dept.id, draft("2026年化解过剩产能奖补企业名单公告")).await.expect("item");
        let other = store.create_item(&ctx, &editor, dept.id, draft("其他信息")).await.expect("item");
        assert!(
            matches!(
                store.save_public_notice(&ctx, &editor, result.id, Some(NoticeSpec::Result { of: other.id })).await,
                Err(StoreError::Invalid(_))
            ),
            "{}: a result of something that is no 公示",
            t.name
        );
        store
            .save_public_notice(&ctx, &editor, result.id, Some(NoticeSpec::Result { of: notice.id }))
            .await
            .expect("result");
        assert!(
            matches!(
                store.save_public_notice(&ctx, &editor, other.id, Some(NoticeSpec::Result { of: notice.id })).await,
                Err(StoreError::Conflict(_))
            ),
            "{}: one result per 公示",
            t.name
        );
        assert_eq!(store.notice_result(notice.id).await.expect("result"), Some(result.id));
        store.clock().set(Some(Utc.with_ymd_and_hms(2026, 12, 28, 2, 0, 0).single().expect("time")));
        common::publish(store, result.id, &editor, &reviewer, &approver).await;
        let (ended, _) = store.public_notice_list(&[dept.id], NoticeFilter::Ended, after, 20, 0).await.expect("list");
        assert_eq!(ended[0].result_id, Some(result.id));
        assert_eq!(ended[0].status(&cal, after).ok(), Some(NoticeStatus::ConcludedLate), "{}", t.name);
        assert_eq!(ended[0].objection_count, 1);
    }
}
