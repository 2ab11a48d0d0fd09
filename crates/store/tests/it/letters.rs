//! Mailboxes and letters on every backend: a letter's full path from filing to a rated
//! reply, idempotent filing, separation of drafting and review, two reviewers at once, and
//! who may do what.

use crate::common;

use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::letter::{InvalidGround, LetterRefusal, LetterState, LetterStep, MailboxKind, Satisfaction};
use gongkai_store::{AuditCtx, LetterError, MailboxInput, NewLetter, StoreError};

fn letter(mailbox_id: i64, key: Option<&str>, body: &str) -> NewLetter {
    NewLetter {
        mailbox_id,
        name: "王小明".into(),
        phone: "13800138000".into(),
        email: String::new(),
        subject: "小区路灯长期不亮".into(),
        body: body.into(),
        consent: true,
        submitted_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("time"),
        received_on: NaiveDate::from_ymd_opt(2026, 9, 25).expect("date"),
        idempotency_key: key.map(str::to_string),
        files: Vec::new(),
        interview_id: None,
        notice_id: None,
    }
}

/// 区长信箱: 10 working days, published by default.
fn leader_box() -> MailboxInput {
    MailboxInput {
        kind: MailboxKind::Leader,
        name: "区长信箱".into(),
        reply_days: 10,
        public_default: true,
        intro: String::new(),
        active: true,
    }
}

#[tokio::test]
async fn a_letter_goes_from_the_form_to_a_rated_reply() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let dept =
            common::org(store, Some("11500114009130039C"), "11500114709480021G", "重庆市黔江区住房和城乡建设委员会")
                .await;
        let admin = common::staff(store, "11500114009130039C", "admin1", vec![Role::Admin]).await;
        let office = common::staff(store, "11500114009130039C", "office1", vec![Role::Supervisor]).await;
        let clerk = common::staff(store, "11500114709480021G", "clerk1", vec![Role::LetterHandler]).await;
        let chief =
            common::staff(store, "11500114709480021G", "chief1", vec![Role::Reviewer, Role::LetterHandler]).await;
        let leader = common::staff(store, "11500114709480021G", "leader1", vec![Role::Approver]).await;

        let input = leader_box();
        let denied = store.create_mailbox(&ctx, &clerk, gov.id, input.clone()).await;
        assert!(matches!(denied, Err(StoreError::Forbidden(_))), "{}", t.name);
        let mb = store.create_mailbox(&ctx, &admin, gov.id, input.clone()).await.expect("mailbox");
        let again = store.create_mailbox(&ctx, &admin, gov.id, input).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}: one name per org", t.name);

        // Filing is idempotent: the same filing again answers the same letter; another
        // filing with the key is refused and never sees the first writer's numbers.
        let (l, created) =
            store.file_letter(&ctx, letter(mb.id, Some("k-1"), "路灯不亮已两周。")).await.expect("filed");
        assert!(created);
        let (same, created) =
            store.file_letter(&ctx, letter(mb.id, Some("k-1"), "路灯不亮已两周。")).await.expect("again");
        assert!(!created && same.id == l.id && same.query_code == l.query_code, "{}", t.name);
        let other = store.file_letter(&ctx, letter(mb.id, Some("k-1"), "另一件事")).await;
        assert!(matches!(other, Err(StoreError::KeyReused)), "{}", t.name);
        assert!(l.tracking_no.starts_with("X20260925"), "{}", l.tracking_no);
        assert_eq!((l.state, l.org_id, l.reply_days), (LetterState::Received, gov.id, 10));
        assert!(store.letter_for_writer(&l.tracking_no, "WRONG123").await.expect("q").is_none());
        assert!(store.letter_for_writer(&l.tracking_no, &l.query_code.to_lowercase()).await.expect("q").is_some());

        // A department's handler cannot take the district's letter; the office assigns it.
        let step = LetterStep::Assign { org_id: dept.id };
        assert!(matches!(
            store.apply_letter_step(&ctx, &clerk, l.id, step.clone()).await,
            Err(LetterError::Refused(_))
        ));
        let l = store.apply_letter_step(&ctx, &office, l.id, step).await.expect("assigned");
        assert_eq!((l.state, l.org_id), (LetterState::Assigned, dept.id));

        // Extended within the period (10 working days from 25 September, the National Day
        // holiday between and 10 October worked: the last day is 15 October); after it,
        // refused with that day.
        let at = |day: u32| NaiveDate::from_ymd_opt(2026, 10, day).expect("date").and_hms_opt(2, 0, 0).expect("time");
        store.clock().set(Some(at(16).and_utc()));
        let late = store
            .apply_letter_step(&ctx, &leader, l.id, LetterStep::Extend { days: 5, reason: "需现场核查".into() })
            .await;
        assert!(
            matches!(&late, Err(LetterError::Refused(LetterRefusal::ExtensionAfterDue { due })) if due.to_string() == "2026-10-15"),
            "{}: {late:?}",
            t.name
        );
        store.clock().set(Some(at(15).and_utc()));
        let l = store
            .apply_letter_step(&ctx, &leader, l.id, LetterStep::Extend { days: 5, reason: "需现场核查".into() })
            .await
            .expect("extended");
        store.clock().set(None);
        assert_eq!(l.extension_days, 5);
        let l = store
            .apply_letter_step(
                &ctx,
                &clerk,
                l.id,
                LetterStep::DraftReply { text: "经核查，路灯已于本周修复。".into(), public: true },
            )
            .await
            .expect("drafted");
        assert_eq!((l.state, l.drafted_by.as_str(), l.reply_public), (LetterState::InReview, "clerk1", true));
        // Two reviewers at once: one reply goes out, the other is told it was handled.
        let (a, b) = tokio::join!(
            store.apply_letter_step(&ctx, &chief, l.id, LetterStep::ApproveReply),
            store.apply_letter_step(&ctx, &chief, l.id, LetterStep::ApproveReply),
        );
        assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{}: exactly one approval", t.name);
        let l = store.letter(l.id).await.expect("read").expect("exists");
        assert_eq!(l.state, LetterState::Replied);
        assert!(l.replied_on.is_some() && l.is_public());

        let (public, total) = store.public_letters(Some(gov.id), 0, 20).await.expect("public");
        assert_eq!((public.len(), total), (1, 1), "{}", t.name);
        let (_, none) = store.public_letters(Some(dept.id), 0, 20).await.expect("public");
        assert_eq!(none, 0, "letters are listed under their mailbox's org");

        assert!(store.rate_letter(&l.tracking_no, "BADCODE1", Satisfaction::Satisfied, "").await.is_err());
        let l = store.rate_letter(&l.tracking_no, &l.query_code, Satisfaction::Basic, "还算及时").await.expect("rated");
        assert_eq!(l.satisfaction.0, Some(Satisfaction::Basic));
        assert!(matches!(
            store.rate_letter(&l.tracking_no, &l.query_code, Satisfaction::Satisfied, "").await,
            Err(StoreError::Conflict(_))
        ));
        let steps: Vec<String> = store.letter_events(l.id).await.expect("events").into_iter().map(|e| e.step).collect();
        assert_eq!(steps, ["file", "assign", "extend", "draft_reply", "approve_reply", "rate"], "{}", t.name);

        let faq = store
            .promote_faq(
                &ctx,
                &chief,
                l.id,
                "市政设施",
                "路灯坏了找谁？",
                "可向区住房城乡建委反映，电话 023-12345678。",
            )
            .await
            .expect("faq");
        assert_eq!(store.faq_entries().await.expect("faq").len(), 1);
        assert_eq!(faq.org_id, dept.id);

        // A letter that is not valid is closed with its ground, and takes no more steps.
        let (spam, _) = store.file_letter(&ctx, letter(mb.id, None, "低价出售发票，联系QQ")).await.expect("filed");
        let closed = store
            .apply_letter_step(
                &ctx,
                &office,
                spam.id,
                LetterStep::CloseInvalid { ground: InvalidGround::Advertising, reason: String::new() },
            )
            .await
            .expect("closed");
        assert_eq!((closed.state, closed.closing.as_deref()), (LetterState::Invalid, Some("advertising")));
        assert!(store.apply_letter_step(&ctx, &office, spam.id, LetterStep::Assign { org_id: dept.id }).await.is_err());
        let open = store.open_letters().await.expect("open");
        assert!(open.is_empty(), "{}: nothing open", t.name);
    }
}

#[tokio::test]
async fn a_field_key_seals_writers_phones_and_email_at_rest() {
    for t in common::all().await {
        let ctx = AuditCtx::cli();
        let gov = common::org(&t.store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let admin = common::staff(&t.store, "11500114009130039C", "admin1", vec![Role::Admin]).await;
        let input = leader_box();
        let mb = t.store.create_mailbox(&ctx, &admin, gov.id, input).await.expect("mailbox");
        let store = t.store.clone().with_field_key(Some("00112233445566778899aabbccddeeff")).expect("key");
        let mut new = letter(mb.id, Some("k-9"), "路灯不亮已两周。");
        new.email = "wang@example.cn".into();
        let (l, _) = store.file_letter(&ctx, new.clone()).await.expect("filed");
        assert_eq!((l.phone.as_str(), l.email.as_str()), ("13800138000", "wang@example.cn"), "{}", t.name);
        let (again, created) = store.file_letter(&ctx, new).await.expect("again");
        assert_eq!((again.id, created), (l.id, false), "{}: the replay compares what was filed", t.name);
        assert!(t.store.letter(l.id).await.is_err(), "{}: sealed, unreadable without the key", t.name);
        let read = store.letter_by_tracking(&l.tracking_no).await.expect("read").expect("there");
        assert_eq!(read.phone, "13800138000", "{}", t.name);
    }
}
