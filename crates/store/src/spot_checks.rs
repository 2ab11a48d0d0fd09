//! 抽查 and 整改 in the store: a spot check saved with its seed, its population and the
//! records drawn; findings and 整改 steps saved with their audit rows. The office (the
//! supervisors and administrators over the org) checks and accepts; anyone of the checked
//! org answers. The rules are `core::spot_check`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::spot_check::{self, RectRefusal, RectState, SampleKind};
use gongkai_core::{Actor, Denied};
use sea_query::Value;
use serde_json::json;

impl From<RectRefusal> for StoreError {
    fn from(e: RectRefusal) -> Self {
        match e {
            RectRefusal::State(_) => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// A spot check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpotCheck {
    pub id: i64,
    pub checker_org: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: SampleKind,
    /// The seed, as decimal text (a u64).
    pub seed: String,
    /// JSON: the ids it was drawn from, sorted.
    pub population: String,
    pub note: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl SpotCheck {
    /// The ids it was drawn from.
    pub fn population_ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.population).unwrap_or_default()
    }
}

/// A record drawn, with its finding and 整改.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SpotRecord {
    pub check_id: i64,
    pub position: i64,
    pub record_id: i64,
    pub label: String,
    #[sqlx(try_from = "String")]
    pub state: RectState,
    pub note: String,
    pub due_on: Option<NaiveDate>,
    pub answer: String,
    pub answered_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A spot check to save.
#[derive(Debug, Clone)]
pub struct NewSpotCheck {
    pub org_id: i64,
    pub kind: SampleKind,
    pub seed: u64,
    /// Every id it is drawn from.
    pub population: Vec<i64>,
    /// How many to draw.
    pub size: usize,
    pub note: String,
}

const CHECK_COLUMNS: &str = "id, checker_org, org_id, kind, seed, population, note, created_by, created_at";
const RECORD_COLUMNS: &str =
    "check_id, position, record_id, label, state, note, due_on, answer, answered_by, updated_at";

async fn load_check(tx: &mut Tx, id: i64) -> Result<SpotCheck, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {CHECK_COLUMNS} FROM spot_checks WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound("抽查".into()))
}

async fn load_record(tx: &mut Tx, check_id: i64, position: i64) -> Result<SpotRecord, StoreError> {
    tx.ex()
        .fetch_optional(Sql(
            &format!("SELECT {RECORD_COLUMNS} FROM spot_check_records WHERE check_id = $1 AND position = $2"),
            vec![check_id.into(), position.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::NotFound("抽查记录".into()))
}

impl Store {
    /// What a spot check of `kind` at `org_id` is drawn from: (id, label) of its public items,
    /// its requests, or its letters.
    pub async fn spot_population(&self, kind: SampleKind, org_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let sql = match kind {
            SampleKind::Items => {
                "SELECT id, title FROM items WHERE org_id = $1 AND state = 'published' AND public_rev IS NOT NULL ORDER BY id"
            }
            SampleKind::Requests => "SELECT id, tracking_no FROM requests WHERE org_id = $1 ORDER BY id",
            SampleKind::Letters => "SELECT id, tracking_no FROM letters WHERE org_id = $1 ORDER BY id",
        };
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(sql, vec![org_id.into()])).await
    }

    /// Draws and saves a spot check by the office over the org; answers its id.
    pub async fn create_spot_check(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        new: NewSpotCheck,
        labels: &std::collections::HashMap<i64, String>,
    ) -> Result<i64, StoreError> {
        actor.must_oversee()?;
        let note = gongkai_core::html::multi_line(&new.note);
        if note.chars().count() > spot_check::MAX_TEXT {
            return Err(StoreError::Invalid(format!("说明不超过 {} 字", spot_check::MAX_TEXT)));
        }
        if new.size == 0 || new.size > spot_check::MAX_SAMPLE {
            return Err(StoreError::Invalid(format!("抽查数量应为 1 到 {} 条", spot_check::MAX_SAMPLE)));
        }
        let mut population = new.population.clone();
        population.sort_unstable();
        population.dedup();
        if population.is_empty() {
            return Err(StoreError::Invalid(format!("该单位没有可抽查的{}", new.kind.label())));
        }
        let drawn = spot_check::sample(new.seed, &population, new.size);
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, new.org_id).await?;
        actor.may_supervise(&path)?;
        let by = String::from(actor.username.clone());
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO spot_checks (checker_org, org_id, kind, seed, population, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    actor.org_id.into(),
                    new.org_id.into(),
                    new.kind.as_str().into(),
                    new.seed.to_string().into(),
                    json!(population).to_string().into(),
                    note.clone().into(),
                    by.into(),
                    now.into(),
                ],
            ))
            .await?;
        let rows: Vec<Vec<Value>> = drawn
            .iter()
            .enumerate()
            .map(|(i, rid)| {
                vec![
                    id.into(),
                    (i as i64).into(),
                    (*rid).into(),
                    labels.get(rid).cloned().unwrap_or_default().into(),
                    RectState::Unchecked.as_str().into(),
                    now.into(),
                ]
            })
            .collect();
        crate::db::insert_rows(
            &mut tx,
            "spot_check_records (check_id, position, record_id, label, state, updated_at)",
            rows,
        )
        .await?;
        tx.audit(
            ctx,
            "spot_check.create",
            "spot_check",
            id.to_string(),
            String::new(),
            json!({ "org_id": new.org_id, "kind": new.kind, "seed": new.seed.to_string(), "population": population.len(), "drawn": drawn }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A spot check and its records.
    pub async fn spot_check(&self, id: i64) -> Result<Option<(SpotCheck, Vec<SpotRecord>)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let Some(check) = conn
            .ex()
            .fetch_optional::<SpotCheck>(Sql(
                &format!("SELECT {CHECK_COLUMNS} FROM spot_checks WHERE id = $1"),
                vec![id.into()],
            ))
            .await?
        else {
            return Ok(None);
        };
        let records = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {RECORD_COLUMNS} FROM spot_check_records WHERE check_id = $1 ORDER BY position"),
                vec![id.into()],
            ))
            .await?;
        Ok(Some((check, records)))
    }

    /// The spot checks of these orgs, newest first, each with its records.
    pub async fn spot_checks_of(&self, org_ids: &[i64]) -> Result<Vec<(SpotCheck, Vec<SpotRecord>)>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.conn().await?;
        let checks: Vec<SpotCheck> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {CHECK_COLUMNS} FROM spot_checks WHERE org_id IN ({}) ORDER BY id DESC LIMIT 500",
                    crate::db::placeholders(1, org_ids.len())
                ),
                org_ids.iter().map(|i| Value::from(*i)).collect(),
            ))
            .await?;
        let ids: Vec<i64> = checks.iter().map(|c| c.id).collect();
        let records: Vec<SpotRecord> = if ids.is_empty() {
            Vec::new()
        } else {
            conn.ex()
                .fetch_all(Sql(
                    &format!(
                        "SELECT {RECORD_COLUMNS} FROM spot_check_records WHERE check_id IN ({}) ORDER BY check_id, position",
                        crate::db::placeholders(1, ids.len())
                    ),
                    ids.iter().map(|i| Value::from(*i)).collect(),
                ))
                .await?
        };
        Ok(checks
            .into_iter()
            .map(|c| {
                let r = records.iter().filter(|r| r.check_id == c.id).cloned().collect();
                (c, r)
            })
            .collect())
    }

    /// Records the office's finding on a drawn record: nothing wrong, or a problem with its
    /// 整改 deadline.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_spot_finding(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        check_id: i64,
        position: i64,
        problem: bool,
        note: &str,
        due_on: Option<NaiveDate>,
    ) -> Result<SpotRecord, StoreError> {
        actor.must_oversee()?;
        let note = gongkai_core::html::multi_line(note);
        let mut tx = self.pool.begin().await?;
        let check = load_check(&mut tx, check_id).await?;
        actor.may_supervise(&org_path(&mut tx, check.org_id).await?)?;
        let before = load_record(&mut tx, check_id, position).await?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let state = spot_check::find(before.state, problem, &note, due_on, today)?;
        let (note, due_on) = if state == RectState::None { (note, None) } else { (note, due_on) };
        Self::step_record(&mut tx, ctx, &before, state, note, due_on, None, "spot_check.find").await?;
        let after = load_record(&mut tx, check_id, position).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The checked org answers an open 整改.
    pub async fn answer_rectification(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        check_id: i64,
        position: i64,
        text: &str,
    ) -> Result<SpotRecord, StoreError> {
        let text = gongkai_core::html::multi_line(text);
        let mut tx = self.pool.begin().await?;
        let check = load_check(&mut tx, check_id).await?;
        let path = org_path(&mut tx, check.org_id).await?;
        if actor.org_path != path {
            return Err(Denied::OutsideOrg.into());
        }
        let before = load_record(&mut tx, check_id, position).await?;
        let state = spot_check::answer(before.state, &text)?;
        let (note, due) = (before.note.clone(), before.due_on);
        Self::step_record(
            &mut tx,
            ctx,
            &before,
            state,
            note,
            due,
            Some((text, String::from(actor.username.clone()))),
            "spot_check.answer",
        )
        .await?;
        let after = load_record(&mut tx, check_id, position).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The office accepts an answered 整改 or returns it.
    pub async fn review_rectification(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        check_id: i64,
        position: i64,
        accept: bool,
    ) -> Result<SpotRecord, StoreError> {
        actor.must_oversee()?;
        let mut tx = self.pool.begin().await?;
        let check = load_check(&mut tx, check_id).await?;
        actor.may_supervise(&org_path(&mut tx, check.org_id).await?)?;
        let before = load_record(&mut tx, check_id, position).await?;
        let state = spot_check::review(before.state, accept)?;
        let (note, due) = (before.note.clone(), before.due_on);
        let action = if accept { "spot_check.accept" } else { "spot_check.return" };
        Self::step_record(&mut tx, ctx, &before, state, note, due, None, action).await?;
        let after = load_record(&mut tx, check_id, position).await?;
        tx.commit().await?;
        Ok(after)
    }

    #[allow(clippy::too_many_arguments)]
    async fn step_record(
        tx: &mut Tx,
        ctx: &AuditCtx,
        before: &SpotRecord,
        state: RectState,
        note: String,
        due_on: Option<NaiveDate>,
        answer: Option<(String, String)>,
        action: &str,
    ) -> Result<(), StoreError> {
        let now = tx.now;
        let (answer, by) = answer.unwrap_or_else(|| (before.answer.clone(), before.answered_by.clone()));
        tx.ex()
            .execute(Sql(
                "UPDATE spot_check_records SET state = $3, note = $4, due_on = $5, answer = $6, answered_by = $7, updated_at = $8 \
                 WHERE check_id = $1 AND position = $2",
                vec![
                    before.check_id.into(),
                    before.position.into(),
                    state.as_str().into(),
                    note.clone().into(),
                    due_on.into(),
                    answer.clone().into(),
                    by.into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            action,
            "spot_check",
            format!("{}/{}", before.check_id, before.position),
            before.state.as_str().to_string(),
            json!({ "state": state, "note": note, "due_on": due_on, "answer": answer }).to_string(),
        )
        .await
    }
}
