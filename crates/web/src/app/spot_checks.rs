//! 抽查 and 整改, the use cases: the office draws a spot check of an org's published items,
//! requests or letters from a fresh random seed it records; records its findings; the org
//! answers each 整改 by its deadline; the office accepts or returns it. Anyone who may see the
//! check can replay the draw from its seed and population. Open and overdue 整改 reach the
//! dashboards.

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::spot_check::{self, RectState, SampleKind};
use gongkai_store::spot_checks::{NewSpotCheck, SpotCheck, SpotRecord};
use gongkai_store::{AuditCtx, Org};

/// A spot check as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CheckView {
    pub id: i64,
    pub org_code: String,
    pub org_name: String,
    /// `items`, `requests` or `letters`.
    pub kind: String,
    pub kind_label: String,
    /// The seed the sample was drawn with (decimal).
    pub seed: String,
    /// How many records it was drawn from.
    pub population: usize,
    /// True when drawing again from the seed and population gives the same records.
    pub replayed: bool,
    pub note: String,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The day it was drawn (Beijing).
    pub created_on: NaiveDate,
    pub records: Vec<RecordView>,
    /// Records with an open or answered 整改.
    pub open: usize,
    /// Open past their deadline.
    pub overdue: usize,
}

/// A record drawn.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RecordView {
    pub position: i64,
    pub record_id: i64,
    pub label: String,
    /// The record in the console.
    pub href: String,
    /// `unchecked`, `none`, `open`, `answered`, `accepted`.
    pub state: String,
    pub state_label: String,
    pub note: String,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub answer: String,
    pub answered_by: String,
}

fn view(check: &SpotCheck, records: &[SpotRecord], org: &Org, today: NaiveDate) -> CheckView {
    let population = check.population_ids();
    let replayed = check.seed.parse::<u64>().is_ok_and(|seed| {
        spot_check::sample(seed, &population, records.len()) == records.iter().map(|r| r.record_id).collect::<Vec<_>>()
    });
    let records: Vec<RecordView> = records
        .iter()
        .map(|r| RecordView {
            position: r.position,
            record_id: r.record_id,
            label: r.label.clone(),
            href: match check.kind {
                SampleKind::Items => format!("/admin/items/{}", r.record_id),
                SampleKind::Requests => format!("/admin/requests/{}", r.label),
                SampleKind::Letters => format!("/admin/letters/{}", r.record_id),
            },
            state: r.state.as_str().into(),
            state_label: r.state.label().into(),
            note: r.note.clone(),
            due_on: r.due_on,
            overdue: spot_check::is_overdue(r.state, r.due_on, today),
            answer: r.answer.clone(),
            answered_by: r.answered_by.clone(),
        })
        .collect();
    CheckView {
        id: check.id,
        org_code: org.code().to_string(),
        org_name: org.name.clone(),
        kind: check.kind.as_str().into(),
        kind_label: check.kind.label().into(),
        seed: check.seed.clone(),
        population: population.len(),
        replayed,
        note: check.note.clone(),
        created_by: check.created_by.clone(),
        created_at: check.created_at,
        created_on: gongkai_core::index_no::beijing_date(check.created_at),
        open: records.iter().filter(|r| matches!(r.state.as_str(), "open" | "answered")).count(),
        overdue: records.iter().filter(|r| r.overdue).count(),
        records,
    }
}

/// The spot checks of the orgs a staff member answers for, newest first.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<CheckView>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let today = state.today();
    Ok(state
        .store
        .spot_checks_of(&ids)
        .await?
        .iter()
        .filter_map(|(c, r)| orgs.iter().find(|o| o.id == c.org_id).map(|o| view(c, r, o, today)))
        .collect())
}

/// Most orgs drawn in one batch.
pub const MAX_ORGS: usize = 100;

/// Draws one spot check per org in `codes` (each from its own seed), for a round of checks
/// across the orgs at once; an org with nothing of `kind` to sample is passed over and
/// named. Answers the checks drawn and the orgs passed over.
pub async fn create_many(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    codes: &[String],
    kind: &str,
    size: usize,
    note: &str,
) -> Result<(Vec<i64>, Vec<String>), AppError> {
    let mut codes: Vec<&str> = codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    codes.dedup();
    if codes.is_empty() || codes.len() > MAX_ORGS {
        return Err(AppError::invalid_field("orgs", "orgs", format!("请选择 1 到 {MAX_ORGS} 个被抽查单位")));
    }
    actor.must_oversee()?;
    // Every org known and within the office before anything is drawn.
    let mut orgs = Vec::with_capacity(codes.len());
    for code in &codes {
        let org = super::orgs::by_code(state, code).await?;
        actor.may_supervise(&org.path)?;
        orgs.push(org);
    }
    let sample = SampleKind::parse(kind).ok_or_else(|| {
        AppError::invalid(
            "invalid_kind",
            "抽查对象应为 items（主动公开信息）、requests（依申请公开）或 letters（留言）",
        )
    })?;
    let (mut drawn, mut skipped) = (Vec::new(), Vec::new());
    for org in orgs {
        if state.store.spot_population(sample, org.id).await?.is_empty() {
            skipped.push(org.name.clone());
            continue;
        }
        drawn.push(create(state, actor, ctx, org.code(), kind, size, note).await?);
    }
    if drawn.is_empty() {
        return Err(AppError::invalid(
            "nothing_to_sample",
            format!("所选单位都没有可抽查的{}：{}", sample.label(), skipped.join("、")),
        ));
    }
    Ok((drawn, skipped))
}

/// One spot check, for the office over the org or the org's own staff.
pub async fn one(state: &AppState, actor: &Actor, id: i64) -> Result<CheckView, AppError> {
    let (check, records) =
        state.store.spot_check(id).await?.ok_or_else(|| AppError::NotFound("没有这次抽查".into()))?;
    let org = state.store.org_by_id(check.org_id).await?.ok_or_else(|| AppError::NotFound("没有这个单位".into()))?;
    actor.may_supervise(&org.path)?;
    Ok(view(&check, &records, &org, state.today()))
}

/// Draws a spot check of `size` records of the org with `code` (the office).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    kind: &str,
    size: usize,
    note: &str,
) -> Result<i64, AppError> {
    let kind = SampleKind::parse(kind).ok_or_else(|| {
        AppError::invalid(
            "invalid_kind",
            "抽查对象应为 items（主动公开信息）、requests（依申请公开）或 letters（留言）",
        )
    })?;
    let org = super::orgs::by_code(state, code).await?;
    let population = state.store.spot_population(kind, org.id).await?;
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).map_err(|e| AppError::Internal(anyhow::anyhow!("random seed: {e}")))?;
    let labels = population.iter().cloned().collect();
    let new = NewSpotCheck {
        org_id: org.id,
        kind,
        seed: u64::from_le_bytes(seed),
        population: population.iter().map(|(id, _)| *id).collect(),
        size,
        note: note.to_string(),
    };
    Ok(state.store.create_spot_check(ctx, actor, new, &labels).await?)
}

/// A step on a record: `find` (with `problem`, `note`, `due_on`), `answer` (with `text`),
/// `accept` or `return`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct Step {
    pub step: String,
    #[serde(default)]
    pub problem: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub text: String,
}

/// Takes a step on a record of a spot check.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    position: i64,
    s: &Step,
) -> Result<RectState, AppError> {
    let r = match s.step.as_str() {
        "find" => state.store.record_spot_finding(ctx, actor, id, position, s.problem, &s.note, s.due_on).await?,
        "answer" => state.store.answer_rectification(ctx, actor, id, position, &s.text).await?,
        "accept" => state.store.review_rectification(ctx, actor, id, position, true).await?,
        "return" => state.store.review_rectification(ctx, actor, id, position, false).await?,
        other => {
            return Err(AppError::invalid(
                "invalid_step",
                format!("没有「{other}」这一步：可选 find、answer、accept、return"),
            ));
        }
    };
    Ok(r.state)
}

/// 整改 for a staff member's dashboard: (owed by their own org, overdue among the orgs they
/// oversee).
pub async fn alarms(state: &AppState, actor: &Actor) -> Result<(usize, usize), AppError> {
    let checks = list(state, actor).await?;
    let own_code = super::orgs::own(state, actor).await?.code().to_string();
    let own = checks
        .iter()
        .filter(|c| c.org_code == own_code)
        .flat_map(|c| c.records.iter())
        .filter(|r| r.state == RectState::Open.as_str())
        .count();
    let overdue = checks.iter().map(|c| c.overdue).sum();
    Ok((own, overdue))
}
