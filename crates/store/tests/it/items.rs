//! The publishing story on every backend: draft, 退文, privacy block, review, approval,
//! publication with an index number, the register, revisions, withdrawal, validity, and two
//! reviewers deciding at once.

use crate::common;

use gongkai_core::item::{Command, Decision, DisclosureAttr, ItemState, Problem, Refusal, Validity};
use gongkai_core::{Actor, Role, Username};
use gongkai_store::{AuditCtx, ItemDraft, ItemError, NewUser, PublicQuery, Store, StoreError, TransitionExtra};

const ORG: &str = "11500114009130039C";

async fn setup(store: &Store) -> (Actor, Actor, Actor, Actor, i64) {
    let ctx = AuditCtx::cli();
    let org = gongkai_testkit::stores::org(store, None, ORG, "重庆市黔江区人民政府").await;
    let mut actors = Vec::new();
    for (name, roles) in [
        ("editor", vec![Role::Editor]),
        ("reviewer", vec![Role::Reviewer]),
        ("reviewer2", vec![Role::Reviewer]),
        ("approver", vec![Role::Approver]),
    ] {
        let u = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: ORG.into(),
                    username: Username::parse(name).expect("name"),
                    display_name: String::new(),
                    password_hash: "x".into(),
                    roles,
                },
            )
            .await
            .expect("user");
        actors.push(store.actor(u.id).await.expect("actor").expect("active"));
    }
    let mut it = actors.into_iter();
    let (e, r, r2, a) = (it.next().expect("e"), it.next().expect("r"), it.next().expect("r2"), it.next().expect("a"));
    (e, r, r2, a, org.id)
}

fn draft(title: &str, body: &str, attr: Option<DisclosureAttr>) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        doc_no: "黔江府办发[2017]53号".into(),
        body: body.into(),
        disclosure_attr: attr,
        topic: "其他".into(),
        genre: "通知".into(),
        ..Default::default()
    }
}

fn review(d: Decision, c: &str) -> Command {
    Command::Review { decision: d, comment: c.into(), confirms_exception: false }
}

fn approve(d: Decision, c: &str) -> Command {
    Command::Approve { decision: d, comment: c.into() }
}

async fn apply(store: &Store, who: &Actor, id: i64, cmd: Command) -> Result<gongkai_store::Item, ItemError> {
    store.apply(&AuditCtx::cli(), who, id, cmd, TransitionExtra::default(), &[]).await
}

#[tokio::test]
async fn an_item_goes_from_draft_to_published_with_register_and_index_number() {
    for t in common::all().await {
        let store = &t.store;
        let (editor, reviewer, _, approver, org_id) = setup(store).await;
        let ctx = AuditCtx::cli();
        let item = store
            .create_item(
                &ctx,
                &editor,
                org_id,
                draft(
                    "关于认真落实政务公开重点任务分工的通知",
                    "<p>正文<script>x</script></p><p>联系人身份证 11010519491231002X</p>",
                    None,
                ),
            )
            .await
            .expect("draft");
        assert_eq!(item.doc_no, "黔江府办发〔2017〕53号", "{}: normalised", t.name);
        assert!(!item.body.contains("script"));
        assert_eq!(item.issuer_name, "重庆市黔江区人民政府");

        // 退文: no attribute.
        let err = apply(store, &editor, item.id, Command::Submit).await.expect_err("returned");
        assert!(
            matches!(err, ItemError::Refused(Refusal::Returned(ref p)) if p == &vec![Problem::NoAttribute]),
            "{}: {err:?}",
            t.name
        );
        // With the attribute, the ID number blocks it.
        let mut d = draft("关于认真落实政务公开重点任务分工的通知", &item.body, Some(DisclosureAttr::Proactive));
        let item = store.update_item(&ctx, &editor, item.id, d.clone(), Some(item.version)).await.expect("edit");
        let err = apply(store, &editor, item.id, Command::Submit).await.expect_err("blocked");
        let ItemError::Refused(Refusal::Privacy(findings)) = err else { panic!("{}: expected privacy block", t.name) };
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].field, "body");
        assert_eq!(findings[0].text, "11010519491231002X");
        // A stale version is refused.
        let stale = store.update_item(&ctx, &editor, item.id, d.clone(), Some(item.version - 1)).await;
        assert!(matches!(stale, Err(ItemError::Store(StoreError::Conflict(_)))));
        d.body = gongkai_core::privacy::deidentify(&item.body);
        let item = store.update_item(&ctx, &editor, item.id, d, Some(item.version)).await.expect("deidentified");
        assert!(item.body.contains("110105********002X"));
        apply(store, &editor, item.id, Command::Submit).await.expect("submitted");

        // The author cannot review; a reviewer returns it, then passes it after resubmission.
        let err = apply(store, &editor, item.id, review(Decision::Pass, "")).await.expect_err("no role");
        assert!(matches!(err, ItemError::Refused(Refusal::Denied(_))));
        let back =
            apply(store, &reviewer, item.id, review(Decision::Return, "请补充解读材料")).await.expect("returned");
        assert_eq!(back.state.0, ItemState::Draft);
        apply(store, &editor, item.id, Command::Submit).await.expect("resubmitted");
        apply(store, &reviewer, item.id, review(Decision::Pass, "")).await.expect("reviewed");
        assert!(store.public_item(item.id).await.expect("read").is_none(), "not public before publication");
        apply(store, &approver, item.id, approve(Decision::Pass, "同意发布")).await.expect("approved");
        let published = apply(store, &editor, item.id, Command::Publish).await.expect("published");
        let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now()));
        assert_eq!(published.index_no.as_deref(), Some(format!("{ORG}/{year}-00001").as_str()), "{}", t.name);
        assert_eq!(published.public_rev, Some(1));

        let public = store.public_item(item.id).await.expect("read").expect("public");
        assert_eq!(public.title, "关于认真落实政务公开重点任务分工的通知");
        assert_eq!(public.org_code, ORG);
        let register = store.register(None, Some(item.id), 10).await.expect("register");
        assert_eq!(register.len(), 1);
        let r = &register[0];
        assert_eq!(
            (
                r.event.as_str(),
                r.author.as_str(),
                r.reviewer.as_str(),
                r.approver.as_str(),
                r.publisher.as_str(),
                r.channel.as_str()
            ),
            ("publish", "editor", "reviewer", "approver", "editor", "网站")
        );
        let events: Vec<String> =
            store.item_events(item.id).await.expect("events").into_iter().map(|e| e.event).collect();
        assert_eq!(
            events,
            ["create", "edit", "edit", "submit", "review.return", "submit", "review.pass", "approve.pass", "publish"]
        );

        // An edit after publication is a new working copy; the public keeps revision 1.
        let mut d2 =
            draft("关于认真落实政务公开重点任务分工和有关工作的通知", &published.body, Some(DisclosureAttr::Proactive));
        d2.summary = "修订".into();
        let edited = store.update_item(&ctx, &editor, item.id, d2, None).await.expect("edit published");
        assert_eq!(edited.state.0, ItemState::Draft);
        assert_eq!(
            store.public_item(item.id).await.expect("read").expect("still public").title,
            "关于认真落实政务公开重点任务分工的通知"
        );
        // Search snippets read the public revision's text, not the working copy's.
        let texts = store.public_texts_by_ids(&[item.id, item.id + 1000], &[item.id]).await.expect("texts");
        assert_eq!(texts.len(), 1, "{}: only public items", t.name);
        assert_eq!((texts[0].id, texts[0].summary.as_str()), (item.id, ""));
        assert!(texts[0].body.contains("110105********002X") && texts[0].attachments.is_empty());
        // Asked for no text: whether the public may see it, and nothing of its text.
        let bare = store.public_texts_by_ids(&[item.id, item.id + 1000], &[]).await.expect("bare");
        assert_eq!(bare.iter().map(|t| (t.id, t.body.as_str())).collect::<Vec<_>>(), [(item.id, "")], "{}", t.name);
        apply(store, &editor, item.id, Command::Submit).await.expect("submit rev 2");
        apply(store, &reviewer, item.id, review(Decision::Pass, "")).await.expect("review rev 2");
        apply(store, &approver, item.id, approve(Decision::Pass, "")).await.expect("approve rev 2");
        let rev2 = apply(store, &approver, item.id, Command::Publish).await.expect("publish rev 2");
        assert_eq!(rev2.index_no, published.index_no, "the index number stays");
        let public = store.public_item(item.id).await.expect("read").expect("public");
        assert_eq!((public.rev, public.title.as_str()), (2, "关于认真落实政务公开重点任务分工和有关工作的通知"));
        let texts = store.public_texts_by_ids(&[item.id], &[item.id]).await.expect("texts");
        assert_eq!(texts.iter().map(|t| t.summary.as_str()).collect::<Vec<_>>(), ["修订"], "{}", t.name);

        // Withdrawal takes it off the public side and is registered.
        let err = apply(store, &approver, item.id, Command::Withdraw { reason: " ".into() })
            .await
            .expect_err("reason needed");
        assert!(matches!(err, ItemError::Refused(Refusal::NoReason)));
        apply(store, &approver, item.id, Command::Withdraw { reason: "内容需更正".into() }).await.expect("withdrawn");
        assert!(store.public_item(item.id).await.expect("read").is_none());
        assert_eq!(store.public_texts_by_ids(&[item.id], &[item.id]).await.expect("texts"), vec![]);
        assert_eq!(store.public_texts_by_ids(&[item.id], &[]).await.expect("bare"), vec![]);
        let register = store.register(Some(org_id), None, 10).await.expect("register");
        assert_eq!(register.iter().map(|r| r.event.as_str()).collect::<Vec<_>>(), ["withdraw", "publish", "publish"]);
        assert_eq!(store.verify_audit_chain().await.expect("verify").broken, None);
    }
}

async fn publish_new(
    store: &Store,
    e: &Actor,
    r: &Actor,
    a: &Actor,
    org_id: i64,
    title: &str,
    attr: DisclosureAttr,
) -> i64 {
    let mut d = draft(title, "<p>正文</p>", Some(attr));
    d.doc_no = String::new();
    d.withhold_reason = "《条例》第十六条：内部事务信息".into();
    d.withhold_review_on = chrono::NaiveDate::from_ymd_opt(2027, 6, 30);
    let item = store.create_item(&AuditCtx::cli(), e, org_id, d).await.expect("draft");
    apply(store, e, item.id, Command::Submit).await.expect("submit");
    apply(store, r, item.id, review(Decision::Pass, "")).await.expect("review");
    apply(store, a, item.id, approve(Decision::Pass, "")).await.expect("approve");
    item.id
}

#[tokio::test]
async fn withheld_items_never_go_public_and_validity_links_to_the_replacement() {
    for t in common::all().await {
        let store = &t.store;
        let (e, r, _, a, org_id) = setup(store).await;
        let withheld = publish_new(store, &e, &r, &a, org_id, "内部工作方案", DisclosureAttr::Withheld).await;
        let err = apply(store, &e, withheld, Command::Publish).await.expect_err("not published");
        assert!(matches!(err, ItemError::Refused(Refusal::NotPublicAttr(DisclosureAttr::Withheld))), "{}", t.name);

        let old = publish_new(store, &e, &r, &a, org_id, "旧办法", DisclosureAttr::Proactive).await;
        apply(store, &e, old, Command::Publish).await.expect("publish old");
        let new = publish_new(store, &e, &r, &a, org_id, "新办法", DisclosureAttr::Proactive).await;
        let extra =
            TransitionExtra { validity: Some(Validity::Repealed), replaced_by: Some(new), ..Default::default() };
        let err = store
            .apply(&AuditCtx::cli(), &e, old, Command::SetValidity, extra.clone(), &[])
            .await
            .expect_err("replacement not public yet");
        assert!(matches!(err, ItemError::Refused(Refusal::ReplacementNotPublic(n)) if n == new), "{}: {err:?}", t.name);
        apply(store, &e, new, Command::Publish).await.expect("publish new");
        store.apply(&AuditCtx::cli(), &e, old, Command::SetValidity, extra, &[]).await.expect("repealed");
        let public = store.public_item(old).await.expect("read").expect("still public");
        assert_eq!((public.validity(), public.replaced_by), (Validity::Repealed, Some(new)));
        assert!(public.repealed_on.is_some());

        let (list, total) =
            store.public_items(&PublicQuery { page: 1, per_page: 10, ..Default::default() }).await.expect("list");
        assert_eq!(total, 2, "{}: the withheld item is not listed", t.name);
        assert_eq!(list[0].title, "新办法");
        let (_, repealed) = store
            .public_items(&PublicQuery {
                validity: Some(Validity::Repealed),
                page: 1,
                per_page: 10,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(repealed, 1);
        let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now()));
        let (_, this_year) = store
            .public_items(&PublicQuery { year: Some(year), page: 1, per_page: 10, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(this_year, 2);
        let (_, last_year) = store
            .public_items(&PublicQuery { year: Some(year - 1), page: 1, per_page: 10, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(last_year, 0);
        // Counting can stop early (a "more than" answer) or be skipped; the page is the same.
        let capped = |n| PublicQuery { page: 1, per_page: 10, count_up_to: Some(n), ..Default::default() };
        let (list1, more) = store.public_items(&capped(1)).await.expect("list");
        assert_eq!((list1.len(), more), (2, 2), "{}: counted to 1, one more means more", t.name);
        assert_eq!(store.public_items(&capped(5)).await.expect("list").1, 2, "under the cap: exact");
        let (list0, none) = store.public_items(&capped(0)).await.expect("list");
        assert_eq!((list0.len(), none), (2, 0), "not counted");
        // Index numbers follow one another per org and year.
        let a_no = store.item(old).await.expect("read").expect("item").index_no.expect("no");
        let b_no = store.item(new).await.expect("read").expect("item").index_no.expect("no");
        assert_eq!(a_no, format!("{ORG}/{year}-00001"));
        assert_eq!(b_no, format!("{ORG}/{year}-00002"));
    }
}

#[tokio::test]
async fn two_reviewers_deciding_at_once_one_wins_the_other_gets_a_conflict() {
    for t in common::all().await {
        let store = &t.store;
        let (e, r1, r2, _, org_id) = setup(store).await;
        for round in 0..5 {
            let item = store
                .create_item(
                    &AuditCtx::cli(),
                    &e,
                    org_id,
                    draft(&format!("通知{round}"), "<p>正文</p>", Some(DisclosureAttr::Proactive)),
                )
                .await
                .expect("draft");
            apply(store, &e, item.id, Command::Submit).await.expect("submit");
            let (a, b) = tokio::join!(
                apply(store, &r1, item.id, review(Decision::Pass, "")),
                apply(store, &r2, item.id, review(Decision::Return, "不同意"))
            );
            let oks = [a.is_ok(), b.is_ok()].iter().filter(|x| **x).count();
            assert_eq!(oks, 1, "{}: exactly one decision wins", t.name);
            let loser = if a.is_ok() { b } else { a };
            assert!(
                matches!(
                    loser,
                    Err(ItemError::Refused(Refusal::NotInState { .. }))
                        | Err(ItemError::Store(StoreError::Conflict(_)))
                ),
                "{}: the other is a conflict: {loser:?}",
                t.name
            );
            let decisions = store
                .item_events(item.id)
                .await
                .expect("events")
                .into_iter()
                .filter(|e| e.event.starts_with("review"))
                .count();
            assert_eq!(decisions, 1);
        }
    }
}

#[tokio::test]
async fn sections_are_seeded_from_the_baseline_and_guarded() {
    use gongkai_core::catalog::Baseline;
    use gongkai_store::SectionInput;
    for t in common::all().await {
        let store = &t.store;
        let (e, _, _, _, org_id) = setup(store).await;
        let ctx = AuditCtx::cli();
        // Article 20's fifteen items, article 21's seven areas and 国资国企, with the 26 pilot
        // areas and the seeds' domains as subsections.
        assert_eq!(store.apply_baseline(&ctx, None, org_id, Baseline::District).await.expect("seed"), 54, "{}", t.name);
        assert_eq!(store.apply_baseline(&ctx, None, org_id, Baseline::District).await.expect("again"), 0, "idempotent");
        let sections = store.sections(org_id).await.expect("list");
        assert_eq!(sections.len(), 54);
        assert_eq!(sections[0].name, "行政法规、规章和规范性文件");
        let named = |n: &str| sections.iter().find(|s| s.name == n).cloned().expect(n);
        let budget = named("财政预算、决算信息");
        let three = named("部门预决算和“三公”经费");
        assert_eq!((three.parent_id, three.list_codes()), (Some(budget.id), vec!["three_public"]), "{}", t.name);
        assert_eq!(budget.basis, "条例第二十条第（七）项");
        // An editor is no admin.
        let denied = store
            .create_section(&ctx, Some(&e), org_id, SectionInput { name: "新栏目".into(), ..Default::default() })
            .await;
        assert!(matches!(denied, Err(StoreError::Forbidden(_))), "{}", t.name);
        let dup = store
            .create_section(
                &ctx,
                None,
                org_id,
                SectionInput { name: "财政预算、决算信息".into(), ..Default::default() },
            )
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))));
        let unknown =
            SectionInput { name: "某清单".into(), list_kinds: vec!["nonesuch".into()], ..Default::default() };
        assert!(matches!(store.create_section(&ctx, None, org_id, unknown).await, Err(StoreError::Invalid(_))));
        let exams = named("公务员招考的职位、名额、报考条件等事项以及录用结果");
        let child = store
            .create_section(
                &ctx,
                None,
                org_id,
                SectionInput { parent_id: Some(exams.id), name: "2026年公务员招考".into(), ..Default::default() },
            )
            .await
            .expect("child");
        let busy = store.delete_section(&ctx, None, exams.id).await;
        assert!(matches!(busy, Err(StoreError::Conflict(ref m)) if m.contains("1 个子栏目")), "{}: {busy:?}", t.name);
        // File an item under the child section; then the child cannot go either.
        let mut d = draft("2026年公务员考试录用公告", "<p>招考</p>", Some(DisclosureAttr::Proactive));
        d.section_id = Some(child.id);
        store.create_item(&ctx, &e, org_id, d).await.expect("item in section");
        assert!(matches!(store.delete_section(&ctx, None, child.id).await, Err(StoreError::Conflict(_))));
        let order = named("治安管理");
        let renamed = store
            .update_section(
                &ctx,
                None,
                order.id,
                SectionInput {
                    name: "治安管理信息".into(),
                    position: 5,
                    update_rule: "每季度".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("rename");
        assert_eq!(
            (renamed.name.as_str(), renamed.position, renamed.basis.as_str()),
            ("治安管理信息", 5, "条例第二十一条")
        );
        store.delete_section(&ctx, None, order.id).await.expect("empty section deleted");
        assert_eq!(store.sections(org_id).await.expect("list").len(), 54);
    }
}

#[tokio::test]
async fn a_deployment_pattern_shapes_new_index_numbers() {
    for t in common::all().await {
        let store = t.store.clone().with_index_pattern("{code}-{year}-{seq:06}").expect("pattern");
        assert!(
            matches!(t.store.clone().with_index_pattern("{code}/{year}"), Err(StoreError::Invalid(_))),
            "a pattern without {{seq}} is refused"
        );
        let (e, r, _, a, org_id) = setup(&store).await;
        let id = publish_new(&store, &e, &r, &a, org_id, "按本地格式编号的信息", DisclosureAttr::Proactive).await;
        let item = apply(&store, &e, id, Command::Publish).await.expect("published");
        let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(gongkai_store::Clock::system().now()));
        assert_eq!(item.index_no, Some(format!("{ORG}-{year}-000001")), "{}", t.name);
    }
}

/// 一事一审 whatever roles one holds: a person who wrote a revision (drafted, rewrote
/// someone else's draft, amended a published item) neither reviews nor approves it, and
/// the reviewer does not approve it.
#[tokio::test]
async fn one_person_never_takes_two_of_write_review_and_approve_on_a_revision() {
    for t in common::all().await {
        let store = &t.store;
        let (e, r, _r2, a, org_id) = setup(store).await;
        let all =
            gongkai_testkit::stores::staff(store, ORG, "all-roles", vec![Role::Editor, Role::Reviewer, Role::Approver])
                .await;
        let ctx = AuditCtx::cli();
        let duty = |res: Result<gongkai_store::Item, ItemError>| {
            matches!(res, Err(ItemError::Refused(Refusal::DutyTaken(_) | Refusal::SameAsAuthor)))
        };
        // Reviewer and approver in one person: reviews, then may not approve.
        let item = store
            .create_item(&ctx, &e, org_id, draft("关于甲事项的通知", "<p>正文</p>", Some(DisclosureAttr::Proactive)))
            .await
            .expect("draft");
        apply(store, &e, item.id, Command::Submit).await.expect("submit");
        apply(store, &all, item.id, review(Decision::Pass, "")).await.expect("review");
        assert!(duty(apply(store, &all, item.id, approve(Decision::Pass, "")).await), "{}: reviewer approving", t.name);
        apply(store, &a, item.id, approve(Decision::Pass, "")).await.expect("another approves");

        // Someone else's draft rewritten: the rewriter takes it no further alone.
        let item = store
            .create_item(&ctx, &e, org_id, draft("关于乙事项的通知", "<p>正文</p>", Some(DisclosureAttr::Proactive)))
            .await
            .expect("draft");
        store
            .update_item(
                &ctx,
                &all,
                item.id,
                draft("关于乙事项的通知", "<p>改写后的正文</p>", Some(DisclosureAttr::Proactive)),
                None,
            )
            .await
            .expect("rewrite");
        apply(store, &all, item.id, Command::Submit).await.expect("submit");
        assert!(duty(apply(store, &all, item.id, review(Decision::Pass, "")).await), "{}: writer reviewing", t.name);
        apply(store, &r, item.id, review(Decision::Pass, "")).await.expect("review");
        assert!(duty(apply(store, &all, item.id, approve(Decision::Pass, "")).await), "{}: writer approving", t.name);

        // A published item amended: the amender is the new revision's writer.
        let id = publish_new(store, &e, &r, &a, org_id, "关于丙事项的通知", DisclosureAttr::Proactive).await;
        apply(store, &e, id, Command::Publish).await.expect("publish");
        store
            .update_item(
                &ctx,
                &all,
                id,
                draft("关于丙事项的通知", "<p>修正后的正文</p>", Some(DisclosureAttr::Proactive)),
                None,
            )
            .await
            .expect("amend");
        apply(store, &all, id, Command::Submit).await.expect("submit");
        assert!(duty(apply(store, &all, id, review(Decision::Pass, "")).await), "{}: amender reviewing", t.name);
        apply(store, &r, id, review(Decision::Pass, "")).await.expect("review");
        assert!(duty(apply(store, &all, id, approve(Decision::Pass, "")).await), "{}: amender approving", t.name);
        apply(store, &a, id, approve(Decision::Pass, "")).await.expect("a third person approves");
    }
}

/// A masked file replaces its attachment in place: at once while it was never public; kept
/// for the public until the next revision once it was. Unread spreadsheets are listed once.
#[tokio::test]
async fn an_attachment_is_replaced_by_its_new_revision() {
    use gongkai_store::NewAttachment;
    use gongkai_store::files::FileKind;
    for t in common::all().await {
        let store = &t.store;
        let (editor, _, _, _, org_id) = setup(store).await;
        let ctx = AuditCtx::cli();
        let item =
            store.create_item(&ctx, &editor, org_id, draft("关于补助名单的公示", "见附件", None)).await.expect("item");
        let file = |sha: &str, kind: FileKind, text: &str| NewAttachment {
            name: "名单.xlsx".into(),
            kind,
            size: 10,
            sha256: sha.into(),
            text: text.into(),
        };
        let first = store.add_attachment(&ctx, &editor, item.id, file("a1", FileKind::Xlsx, "")).await.expect("add");
        let unread = store.attachments_without_text(&[FileKind::Xlsx.mime(), FileKind::Xls.mime()], 0, 10).await;
        assert_eq!(unread.expect("read"), vec![(first.id, "a1".to_string(), FileKind::Xlsx.mime().to_string())]);
        store.set_attachment_text(first.id, "张某某 13800138000").await.expect("text");
        assert!(store.attachments_without_text(&[FileKind::Xlsx.mime()], 0, 10).await.expect("read").is_empty());

        let masked = store.replace_attachment(
            &ctx,
            &editor,
            item.id,
            first.id,
            file("a2", FileKind::Xlsx, "张某某 138****8000"),
        );
        let masked = masked.await.expect("replace");
        let list = store.attachments(item.id).await.expect("list");
        assert_eq!(list.len(), 1, "{}: never public, the old one is gone", t.name);
        assert_eq!((list[0].id, list[0].name.as_str(), list[0].position), (masked.id, "名单.xlsx", first.position));
        let again = store.replace_attachment(&ctx, &editor, item.id, first.id, file("a3", FileKind::Xlsx, "")).await;
        assert!(again.is_err(), "{}: the old revision cannot be replaced again", t.name);
    }
}

/// 转载: the source is the working copy's, then the revision's. The public sees the source of
/// the revision it reads, an edit waits for publication, an import keeps the source, and an
/// address off the web or without a source is refused with nothing stored.
#[tokio::test]
async fn a_reprint_keeps_its_source_in_each_revision() {
    const URL: &str = "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm";
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let (editor, reviewer, _, approver, org_id) = setup(store).await;
        let reprint = |from: &str, url: &str| ItemDraft {
            reprinted_from: from.into(),
            reprint_url: url.into(),
            doc_no: String::new(),
            ..draft("中华人民共和国政府信息公开条例", "<p>第一条</p>", Some(DisclosureAttr::Proactive))
        };
        for (from, url) in [("国务院", "javascript:alert(1)"), ("", URL), (&*"国".repeat(101), "")] {
            let refused = store.create_item(&ctx, &editor, org_id, reprint(from, url)).await;
            assert!(matches!(refused, Err(ItemError::Store(StoreError::Invalid(_)))), "{} {from} {url}", t.name);
        }
        assert_eq!(common::count(&t, "SELECT COUNT(*) FROM items").await, Some(0), "{}", t.name);

        let item = store.create_item(&ctx, &editor, org_id, reprint(" 中国政府网 ", URL)).await.expect("create");
        assert_eq!((item.reprinted_from.as_str(), item.reprint_url.as_str()), ("中国政府网", URL), "{}", t.name);
        gongkai_testkit::stores::publish(store, item.id, &editor, &reviewer, &approver).await;
        let public = store.public_item(item.id).await.expect("read").expect("public");
        assert_eq!((public.reprinted_from.as_str(), public.reprint_url.as_str()), ("中国政府网", URL), "{}", t.name);

        let now = store.item(item.id).await.expect("read").expect("item");
        store.update_item(&ctx, &editor, item.id, reprint("国务院办公厅", ""), Some(now.version)).await.expect("edit");
        let public = store.public_item(item.id).await.expect("read").expect("public");
        assert_eq!(public.reprinted_from, "中国政府网", "{}: the published revision's source", t.name);
        gongkai_testkit::stores::publish(store, item.id, &editor, &reviewer, &approver).await;
        let public = store.public_item(item.id).await.expect("read").expect("public");
        assert_eq!((public.reprinted_from.as_str(), public.reprint_url.as_str()), ("国务院办公厅", ""), "{}", t.name);
        assert_eq!(
            common::count(&t, "SELECT COUNT(*) FROM item_revisions WHERE reprinted_from = '中国政府网'").await,
            Some(1),
            "{}: the first revision keeps its source",
            t.name
        );

        // An imported record keeps its source too.
        let imported = gongkai_store::ImportedItem {
            draft: reprint("重庆市人民政府", "https://www.cq.gov.cn/"),
            index_no: None,
            published_at: store.now() - chrono::Duration::days(1),
            validity: Validity::Valid,
            repealed_on: None,
            source_key: "reprint".into(),
            source: "reprint.jsonl".into(),
            attachments: Vec::new(),
        };
        let out = store.import_item(&ctx, org_id, imported).await.expect("import");
        let gongkai_store::ImportOutcome::Created { id, .. } = out else { panic!("{out:?}") };
        let public = store.public_item(id).await.expect("read").expect("public");
        assert_eq!(public.reprinted_from, "重庆市人民政府", "{}", t.name);
    }
}

/// `files gc` in the database: a file no row refers to is deleted once it was stored before
/// the cut-off; one an attachment refers to, one stored again since, and a fresh one stay. A
/// dry run deletes nothing. The same bytes put again later are stored whole again.
#[tokio::test]
async fn files_nothing_refers_to_are_collected_once_old() {
    use gongkai_store::NewAttachment;
    use gongkai_store::files::{Blobs, FileKind, FileStorage};
    for t in common::all().await {
        let store = &t.store;
        let (editor, _, _, _, org_id) = setup(store).await;
        let ctx = AuditCtx::cli();
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::for_store(store, FileStorage::Database, dir.path());
        let now = store.now();
        store.clock().set(Some(now - chrono::Duration::days(3)));
        let put = |bytes: &'static [u8]| {
            let blobs = blobs.clone();
            async move { blobs.put(bytes).await.expect("put") }
        };
        let (kept, orphan, again) = (put(b"kept").await, put(b"orphan").await, put(b"again").await);
        let item =
            store.create_item(&ctx, &editor, org_id, draft("关于补助名单的公示", "见附件", None)).await.expect("item");
        let file = NewAttachment {
            name: "名单.xlsx".into(),
            kind: FileKind::Xlsx,
            size: 4,
            sha256: kept.clone(),
            text: String::new(),
        };
        store.add_attachment(&ctx, &editor, item.id, file).await.expect("attach");
        store.clock().set(Some(now));
        assert_eq!(put(b"again").await, again);
        let fresh = put(b"fresh").await;
        let cut = now - chrono::Duration::days(1);
        let all = [&kept, &orphan, &again, &fresh];
        for dry_run in [true, false] {
            let mut collected = Vec::new();
            for sha in all {
                if let Some(size) = store.collect_blob(sha, cut, dry_run).await.expect("collect") {
                    collected.push((sha.clone(), size));
                }
            }
            assert_eq!(collected, vec![(orphan.clone(), 6)], "{}: dry run {dry_run}", t.name);
            assert_eq!(blobs.size(&orphan).await.expect("size").is_some(), dry_run, "{}", t.name);
        }
        for (sha, bytes) in [(&kept, &b"kept"[..]), (&again, b"again"), (&fresh, b"fresh")] {
            assert_eq!(blobs.get(sha).await.expect("kept").as_slice(), bytes, "{}", t.name);
        }
        assert_eq!(put(b"orphan").await, orphan);
        assert_eq!(blobs.get(&orphan).await.expect("again").as_slice(), b"orphan", "{}", t.name);
        assert_eq!(store.collect_blob(&orphan, cut, false).await.expect("collect"), None, "{}: fresh again", t.name);
    }
}
