//! NPC suggestions and CPPCC proposals in the store: records with their co-organising orgs,
//! the reply, the rating and the publication, each step checked by `core::proposal` in the
//! step's transaction and written with its audit row.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::clean;
use crate::{OptCode, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::letter::Satisfaction;
use gongkai_core::proposal::{
    ProposalFacts, ProposalKind, ProposalRefusal, ProposalState, ReplyCategory, check_record, may_publish, may_record,
    may_record_rating, may_reply,
};
use sea_query::Value;
use serde_json::json;

/// A stored suggestion or proposal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ProposalKind,
    pub number: String,
    pub session: String,
    pub title: String,
    pub proposer: String,
    pub summary: String,
    pub office_org_id: i64,
    pub lead_org_id: i64,
    pub assigned_on: NaiveDate,
    pub months: i64,
    #[sqlx(try_from = "String")]
    pub state: ProposalState,
    pub reply: String,
    #[sqlx(try_from = "Option<String>")]
    pub category: OptCode<ReplyCategory>,
    pub replied_on: Option<NaiveDate>,
    pub signed_by: String,
    #[sqlx(try_from = "Option<String>")]
    pub rating: OptCode<Satisfaction>,
    pub rating_note: String,
    pub published_on: Option<NaiveDate>,
    pub unpublished_reason: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, kind, number, session, title, proposer, summary, office_org_id, lead_org_id, assigned_on, \
    months, state, reply, category, replied_on, signed_by, rating, rating_note, published_on, unpublished_reason, \
    version, created_at";

impl Proposal {
    /// The reply clock.
    pub fn clock(&self) -> gongkai_core::clock::MonthClock {
        gongkai_core::proposal::clock(self.assigned_on, u32::try_from(self.months).unwrap_or(0))
    }
}

/// A record to add.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub kind: ProposalKind,
    pub number: String,
    pub session: String,
    pub title: String,
    pub proposer: String,
    pub summary: String,
    pub lead_org_id: i64,
    pub co_org_ids: Vec<i64>,
    pub assigned_on: NaiveDate,
    pub months: u32,
}

/// Errors of proposal steps.
#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The step is not allowed.
    #[error(transparent)]
    Refused(#[from] ProposalRefusal),
}

impl From<sqlx::Error> for ProposalError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<Proposal, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM proposals WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("建议提案 {id}")))
}

/// What a step on a record changes.
pub enum ProposalStep {
    /// The reply letter, signed by the lead org's leader.
    Reply { text: String, category: ReplyCategory },
    /// The proposer's rating.
    Rate { rating: Satisfaction, note: String },
    /// Publish the full reply, or record why not.
    Publish { publish: bool, reason: String },
}

impl Store {
    /// Records a suggestion or proposal assigned to a lead org (the office's work).
    pub async fn record_proposal(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        new: NewProposal,
    ) -> Result<Proposal, ProposalError> {
        check_record(&new.number, &new.title, &new.proposer, new.months)?;
        let mut tx = self.pool.begin().await?;
        let lead = org_path(&mut tx, new.lead_org_id).await?;
        may_record(actor, &actor.org_path, &lead)?;
        for co in &new.co_org_ids {
            if !org_path(&mut tx, *co).await?.is_within(&actor.org_path) {
                return Err(StoreError::Invalid("协办单位须为本单位或下级单位".into()).into());
            }
        }
        let now = tx.now;
        let inserted = tx
            .ex()
            .fetch_one::<(i64,)>(Sql(
                "INSERT INTO proposals (kind, number, session, title, proposer, summary, office_org_id, lead_org_id, \
                 assigned_on, months, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                vec![
                    new.kind.as_str().into(),
                    clean(&new.number, 40).into(),
                    clean(&new.session, 60).into(),
                    clean(&new.title, 200).into(),
                    clean(&new.proposer, 200).into(),
                    clean(&new.summary, 5000).into(),
                    actor.org_id.into(),
                    new.lead_org_id.into(),
                    new.assigned_on.into(),
                    i64::from(new.months).into(),
                    ProposalState::Assigned.as_str().into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("本届次已登记编号为「{}」的{}", new.number.trim(), new.kind.label()))
                }
                e => e,
            })?;
        let id = inserted.0;
        let mut co = new.co_org_ids.clone();
        co.sort_unstable();
        co.dedup();
        co.retain(|o| *o != new.lead_org_id);
        for org in &co {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO proposal_coorgs (proposal_id, org_id) VALUES ($1, $2)",
                    vec![id.into(), (*org).into()],
                ))
                .await?;
        }
        let after =
            json!({ "kind": new.kind.as_str(), "number": new.number, "lead_org_id": new.lead_org_id, "co": co });
        tx.audit(ctx, "proposal.record", "proposal", id.to_string(), String::new(), after.to_string()).await?;
        let p = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// A step on a record, checked by core in its transaction.
    pub async fn proposal_step(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        step: ProposalStep,
    ) -> Result<Proposal, ProposalError> {
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        let office = org_path(&mut tx, before.office_org_id).await?;
        let lead = org_path(&mut tx, before.lead_org_id).await?;
        let facts = ProposalFacts {
            state: before.state,
            office_org: &office,
            lead_org: &lead,
            published: before.published_on.is_some(),
        };
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let mut update = Update::new("proposals");
        update.set("updated_at", tx.now);
        let action = match &step {
            ProposalStep::Reply { text, category } => {
                may_reply(&facts, actor, text)?;
                update.set("state", ProposalState::Replied.as_str());
                update.set("reply", clean(text, 20_000));
                update.set("category", category.as_str());
                update.set("replied_on", today);
                update.set("signed_by", actor.username.as_str());
                "proposal.reply"
            }
            ProposalStep::Rate { rating, note } => {
                may_record_rating(&facts, actor)?;
                update.set("rating", rating.as_str());
                update.set("rating_note", clean(note, 500));
                "proposal.rate"
            }
            ProposalStep::Publish { publish, reason } => {
                may_publish(&facts, actor, *publish, reason)?;
                if *publish {
                    update.set("published_on", today);
                    update.set("unpublished_reason", "");
                } else {
                    update.set("unpublished_reason", clean(reason, 500));
                }
                if *publish { "proposal.publish" } else { "proposal.withhold" }
            }
        };
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("记录已被他人修改，请刷新后重试".into()).into());
        }
        let after = load(&mut tx, id).await?;
        tx.audit(
            ctx,
            action,
            "proposal",
            id.to_string(),
            json!({ "state": before.state.as_str() }).to_string(),
            json!({ "state": after.state.as_str(), "published_on": after.published_on }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A record by id.
    pub async fn proposal(&self, id: i64) -> Result<Option<Proposal>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM proposals WHERE id = $1"), vec![id.into()])).await
    }

    /// The co-organising orgs of a record.
    pub async fn proposal_coorgs(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT org_id FROM proposal_coorgs WHERE proposal_id = $1 ORDER BY org_id",
                vec![id.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(o,)| o).collect())
    }

    /// Records assigned in a year, newest first; only published ones when asked.
    pub async fn proposals_of_year(&self, year: i32, published_only: bool) -> Result<Vec<Proposal>, StoreError> {
        let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return Ok(Vec::new());
        };
        let published = if published_only { " AND published_on IS NOT NULL" } else { "" };
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {COLUMNS} FROM proposals WHERE assigned_on >= $1 AND assigned_on <= $2{published} \
                     ORDER BY assigned_on DESC, id DESC LIMIT 5000"
                ),
                vec![Value::from(from), Value::from(to)],
            ))
            .await
    }

    /// Every record not yet replied (workspaces and dashboards).
    pub async fn open_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM proposals WHERE state = $1 ORDER BY assigned_on, id"),
                vec![ProposalState::Assigned.as_str().into()],
            ))
            .await
    }
}
