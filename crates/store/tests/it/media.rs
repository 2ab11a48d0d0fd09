//! 政务新媒体 and training on every backend: an account registered, edited, updated (the
//! latest update only moves forward; an item republished must be public), merged and closed
//! (an ended account takes no updates); an org's editor keeps its own accounts only, the
//! office those below it. A training saved with its attendees; coverage counts the working
//! staff trained that year; a hearing per org and year; an editor cannot list another org's
//! staff as attendees.

use crate::common;
use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::item::DisclosureAttr;
use gongkai_core::media::{AccountInput, AccountState, Platform};
use gongkai_core::training::{TrainingInput, TrainingKind};
use gongkai_store::media::NewMediaUpdate;
use gongkai_store::{AuditCtx, ItemDraft, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn account(name: &str) -> AccountInput {
    AccountInput {
        platform: Some(Platform::Wechat),
        name: name.into(),
        handle: "qjfb".into(),
        url: "https://mp.weixin.qq.com/qjfb".into(),
        operator: "区融媒体中心".into(),
        review: "编辑初审、科室负责人复审、分管领导终审".into(),
        opened_on: Some(d(2018, 3, 1)),
    }
}

const GOV: &str = "11500114009130039C";
const DEPT: &str = "11500114MB1A12345U";

#[tokio::test]
async fn accounts_are_kept_updated_and_ended_by_their_org_or_the_office() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, GOV, "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some(GOV), DEPT, "重庆市黔江区教育委员会").await;
        let office = common::staff(store, GOV, "office", vec![Role::Supervisor]).await;
        let editor = common::staff(store, DEPT, "editor", vec![Role::Editor]).await;
        let reviewer = common::staff(store, DEPT, "reviewer", vec![Role::Reviewer]).await;
        let approver = common::staff(store, DEPT, "approver", vec![Role::Approver]).await;
        let gov_editor = common::staff(store, GOV, "goveditor", vec![Role::Editor]).await;

        let id = store.create_media_account(&ctx, &editor, dept.id, &account(" 黔江教育 ")).await.expect("create");
        let a = store.media_account(id).await.expect("read").expect("there");
        assert_eq!((a.name.as_str(), a.state, a.last_update), ("黔江教育", AccountState::Active, None), "{}", t.name);
        // Another org's editor may not touch it; the office above may.
        let refused = store.create_media_account(&ctx, &gov_editor, dept.id, &account("x")).await;
        assert!(matches!(refused, Err(StoreError::Forbidden(_))), "{}: {refused:?}", t.name);
        let bad = store
            .create_media_account(&ctx, &editor, dept.id, &AccountInput { review: " ".into(), ..account("y") })
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");
        store
            .edit_media_account(&ctx, &office, id, &AccountInput { handle: "qjjy".into(), ..account("黔江教育") })
            .await
            .expect("office edits");
        assert_eq!(store.media_account(id).await.expect("read").expect("there").handle, "qjjy");

        // Updates move the latest date forward only.
        let up = |on: NaiveDate, title: &str| NewMediaUpdate {
            posted_on: Some(on),
            title: title.into(),
            ..Default::default()
        };
        store.record_media_update(&ctx, &editor, id, &up(d(2026, 11, 20), "秋季开学安全提示")).await.expect("update");
        store.record_media_update(&ctx, &editor, id, &up(d(2026, 10, 1), "国庆假期安排")).await.expect("older");
        assert_eq!(store.media_account(id).await.expect("read").expect("there").last_update, Some(d(2026, 11, 20)));
        let future = store.record_media_update(&ctx, &editor, id, &up(d(2099, 1, 1), "明年")).await;
        assert!(matches!(future, Err(StoreError::Invalid(_))), "{future:?}");

        // An item republished: only a public one, its title taken when none is typed.
        let mut draft = ItemDraft {
            title: "关于2027年春季学期开学时间的通知".into(),
            body: "<p>正文</p>".into(),
            disclosure_attr: Some(DisclosureAttr::Proactive),
            ..Default::default()
        };
        draft.written_on = Some(d(2026, 11, 25));
        let item = store.create_item(&ctx, &editor, dept.id, draft).await.expect("draft");
        let as_item = NewMediaUpdate { posted_on: Some(d(2026, 11, 26)), item_id: Some(item.id), ..Default::default() };
        let not_public = store.record_media_update(&ctx, &editor, id, &as_item).await;
        assert!(matches!(not_public, Err(StoreError::Invalid(_))), "{not_public:?}");
        common::publish(store, item.id, &editor, &reviewer, &approver).await;
        store.record_media_update(&ctx, &editor, id, &as_item).await.expect("republished");
        let re = store.republications(item.id).await.expect("republications");
        assert_eq!(re.len(), 1);
        assert_eq!((re[0].0.title.as_str(), re[0].1.id), ("关于2027年春季学期开学时间的通知", id));
        let updates = store.media_updates(id, 10).await.expect("updates");
        assert_eq!(
            updates.iter().map(|u| u.posted_on).collect::<Vec<_>>(),
            [d(2026, 11, 26), d(2026, 11, 20), d(2026, 10, 1)]
        );

        // Merged into the government's account, then nothing more.
        let main = store.create_media_account(&ctx, &office, gov.id, &account("黔江发布")).await.expect("gov account");
        let to_self = store.end_media_account(&ctx, &office, id, Some(id), "并入", d(2026, 12, 1)).await;
        assert!(matches!(to_self, Err(StoreError::Invalid(_))), "{to_self:?}");
        let editor_merges = store.end_media_account(&ctx, &editor, id, Some(main), "并入", d(2026, 12, 1)).await;
        assert!(
            matches!(editor_merges, Err(StoreError::Forbidden(_))),
            "the editor does not keep the government's account"
        );
        store
            .end_media_account(&ctx, &office, id, Some(main), "整合到区政府发布", d(2026, 12, 1))
            .await
            .expect("merge");
        let a = store.media_account(id).await.expect("read").expect("there");
        assert_eq!((a.state, a.merged_into, a.ended_on), (AccountState::Merged, Some(main), Some(d(2026, 12, 1))));
        let late = store.record_media_update(&ctx, &editor, id, &up(d(2026, 12, 2), "再发")).await;
        assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
        let reason = store.end_media_account(&ctx, &office, main, None, " ", d(2026, 12, 1)).await;
        assert!(matches!(reason, Err(StoreError::Invalid(_))), "{reason:?}");
        store.end_media_account(&ctx, &office, main, None, "长期无更新", d(2026, 12, 2)).await.expect("close");
        let all = store.media_accounts(None).await.expect("all");
        assert_eq!(all.iter().map(|a| a.state).collect::<Vec<_>>(), [AccountState::Closed, AccountState::Merged]);
        assert_eq!(store.media_accounts(Some(&[dept.id])).await.expect("dept").len(), 1);
        let audit = common::count(&t, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'media_account'").await;
        assert_eq!(audit, Some(8), "{}", t.name);
    }
}

#[tokio::test]
async fn trainings_count_coverage_and_hearings_per_org_and_year() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, GOV, "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some(GOV), DEPT, "重庆市黔江区教育委员会").await;
        let office = common::staff(store, GOV, "office", vec![Role::Supervisor]).await;
        let editor = common::staff(store, DEPT, "editor", vec![Role::Editor]).await;
        let handler = common::staff(store, DEPT, "handler", vec![Role::RequestHandler]).await;
        let _admin = common::staff(store, DEPT, "sysadmin", vec![Role::Admin]).await;
        let session = |attendees: Vec<i64>, held_on: NaiveDate| TrainingInput {
            kind: TrainingKind::Training,
            held_on,
            topic: "政府信息公开条例解读".into(),
            hours: 3,
            lecturer: "公开办".into(),
            place: "区行政中心".into(),
            note: String::new(),
            attendees,
            others: 12,
        };
        let id = store
            .create_training(&ctx, &office, gov.id, &session(vec![editor.user_id, office.user_id], d(2026, 6, 18)))
            .await
            .expect("training");
        store
            .create_training(&ctx, &office, gov.id, &session(vec![handler.user_id], d(2025, 6, 18)))
            .await
            .expect("last year");
        // An editor records for its own org, with its own staff only.
        let outside =
            store.create_training(&ctx, &editor, dept.id, &session(vec![office.user_id], d(2026, 7, 1))).await;
        assert!(matches!(outside, Err(StoreError::Forbidden(_))), "{}: {outside:?}", t.name);
        let hearing = TrainingInput {
            kind: TrainingKind::Hearing,
            topic: "委务会听取2026年政务公开工作汇报".into(),
            attendees: vec![],
            others: 0,
            hours: 0,
            ..session(vec![], d(2026, 3, 10))
        };
        store.create_training(&ctx, &editor, dept.id, &hearing).await.expect("hearing");

        let (t0, attendees) = store.training(id).await.expect("read").expect("there");
        assert_eq!((t0.others, attendees.len()), (12, 2));
        let listed = store.trainings_of(&[gov.id, dept.id], Some(2026)).await.expect("list");
        assert_eq!(
            listed.iter().map(|(t, n)| (t.kind, *n)).collect::<Vec<_>>(),
            [(TrainingKind::Training, 2), (TrainingKind::Hearing, 0)]
        );
        assert_eq!(store.trainings_of(&[gov.id], None).await.expect("all years").len(), 2);

        let (staff, trained) = store.training_coverage(&[gov.id, dept.id], 2026).await.expect("coverage");
        let dept_staff = staff.get(&dept.id).cloned().unwrap_or_default();
        assert_eq!(dept_staff.len(), 2, "{}: the system administrator is not working staff", t.name);
        let c = gongkai_core::training::Coverage::of(&dept_staff, &trained);
        assert_eq!((c.trained, c.percent()), (1, Some(50)), "the handler was trained last year only");
        let hearings = store.hearings(2026).await.expect("hearings");
        assert_eq!((hearings.get(&dept.id), hearings.get(&gov.id)), (Some(&d(2026, 3, 10)), None));
        assert!(store.hearings(2025).await.expect("last year").is_empty());
    }
}

#[tokio::test]
async fn an_org_profile_is_saved_whole_by_its_editor_or_the_office() {
    use gongkai_core::org_profile::{Leader, Profile};
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let gov = common::org(store, None, GOV, "重庆市黔江区人民政府").await;
        let dept = common::org(store, Some(GOV), DEPT, "重庆市黔江区教育委员会").await;
        let editor = common::staff(store, DEPT, "editor", vec![Role::Editor]).await;
        let office = common::staff(store, GOV, "office", vec![Role::Supervisor]).await;
        assert!(store.org_profile(dept.id).await.expect("empty").updated_at.is_none());
        let p =
            Profile {
                functions: "负责全区教育工作。".into(), address: " 城西路 2 号 ".into(), ..Default::default()
            };
        let leader = |name: &str, title: &str| Leader { name: name.into(), title: title.into(), ..Default::default() };
        store
            .save_org_profile(&ctx, &editor, dept.id, &p, &[leader("张明", "主任"), leader("李华", "副主任")])
            .await
            .expect("save");
        store.save_org_profile(&ctx, &office, dept.id, &p, &[leader("王强", "主任")]).await.expect("office saves");
        let stored = store.org_profile(dept.id).await.expect("read");
        assert_eq!(
            (stored.profile.address.as_str(), stored.leaders.len(), stored.updated_by.as_str()),
            ("城西路 2 号", 1, "office"),
            "{}",
            t.name
        );
        let other = store.save_org_profile(&ctx, &editor, gov.id, &p, &[]).await;
        assert!(matches!(other, Err(StoreError::Forbidden(_))), "{other:?}");
        let bad = store.save_org_profile(&ctx, &editor, dept.id, &p, &[leader("", "主任")]).await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))));
        assert_eq!(
            store.org_profile(dept.id).await.expect("read").leaders[0].name,
            "王强",
            "a refusal changes nothing"
        );
    }
}
