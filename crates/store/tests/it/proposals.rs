//! NPC suggestions and CPPCC proposals on every backend: recording with co-organising orgs,
//! the number unique per session, the reply signed once by the lead org's leader (two at
//! once: one wins), the rating and the publication.

use crate::common;

use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::letter::Satisfaction;
use gongkai_core::proposal::{ProposalKind, ProposalState, ReplyCategory};
use gongkai_store::{AuditCtx, NewProposal, ProposalError, ProposalStep, StoreError};

#[tokio::test]
async fn a_proposal_is_recorded_replied_once_and_published() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let lead = common::org(store, Some("11500114009130039C"), "11500114709480021G", "区政府办公室").await;
        let co = common::org(store, Some("11500114009130039C"), "014109453", "区发展改革委").await;
        let office = common::staff(store, "11500114009130039C", "office1", vec![Role::Supervisor]).await;
        let leader = common::staff(store, "11500114709480021G", "leader1", vec![Role::Approver]).await;
        let new = NewProposal {
            kind: ProposalKind::CppccProposal,
            number: "第0035号".into(),
            session: "区政协第八届五次会议".into(),
            title: "关于发展乡村旅游的提案".into(),
            proposer: "李娟委员".into(),
            summary: String::new(),
            lead_org_id: lead.id,
            co_org_ids: vec![co.id, co.id, lead.id],
            assigned_on: NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
            months: 3,
        };
        assert!(matches!(store.record_proposal(&ctx, &leader, new.clone()).await, Err(ProposalError::Refused(_))));
        let p = store.record_proposal(&ctx, &office, new.clone()).await.expect("recorded");
        assert_eq!(
            store.proposal_coorgs(p.id).await.expect("co"),
            vec![co.id],
            "{}: deduplicated, lead left out",
            t.name
        );
        assert!(matches!(
            store.record_proposal(&ctx, &office, new).await,
            Err(ProposalError::Store(StoreError::Conflict(_)))
        ));
        let reply = || ProposalStep::Reply { text: "正在编制规划。".into(), category: ReplyCategory::B };
        let (a, b) = tokio::join!(
            store.proposal_step(&ctx, &leader, p.id, reply()),
            store.proposal_step(&ctx, &leader, p.id, reply())
        );
        assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{}: one reply", t.name);
        let p = store
            .proposal_step(
                &ctx,
                &leader,
                p.id,
                ProposalStep::Rate { rating: Satisfaction::Satisfied, note: String::new() },
            )
            .await
            .expect("rated");
        assert_eq!((p.state, p.rating.0), (ProposalState::Replied, Some(Satisfaction::Satisfied)));
        let p = store
            .proposal_step(&ctx, &office, p.id, ProposalStep::Publish { publish: true, reason: String::new() })
            .await
            .expect("published");
        assert!(p.published_on.is_some());
        assert_eq!(store.proposals_of_year(2026, true).await.expect("list").len(), 1);
        assert!(store.open_proposals().await.expect("open").is_empty());
    }
}
