//! Training and the leaders' hearings in the store: a session saved with its attendees in
//! one transaction and an audit row; coverage read as the working staff of each org and who
//! of them attended a training in a year. The rules are `core::training`; who may record
//! for an org is `Actor::may_keep_registers`, for the org and for each attendee's org.

use crate::audit::AuditCtx;
use crate::db::{Sql, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::training::{self, TrainingInput, TrainingKind, TrainingRefusal};
use gongkai_core::{Actor, Role};
use sea_query::Value;
use serde_json::json;
use std::collections::{HashMap, HashSet};

impl From<TrainingRefusal> for StoreError {
    fn from(e: TrainingRefusal) -> Self {
        Self::Invalid(e.to_string())
    }
}

/// A session.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Training {
    pub id: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: TrainingKind,
    pub held_on: NaiveDate,
    pub topic: String,
    pub hours: i64,
    pub lecturer: String,
    pub place: String,
    pub note: String,
    /// Attendees without an account here.
    pub others: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A staff member who attended.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Attendee {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub org_id: i64,
}

/// The roles whose holders do the work and are to be trained (not the three administrators).
const WORK_ROLES: [Role; 6] =
    [Role::Editor, Role::Reviewer, Role::Approver, Role::RequestHandler, Role::LetterHandler, Role::Supervisor];

const COLUMNS: &str = "id, org_id, kind, held_on, topic, hours, lecturer, place, note, others, created_by, created_at";

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

impl Store {
    /// Records a session held by `org_id`; answers its id.
    pub async fn create_training(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        input: &TrainingInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        actor.may_keep_registers(&org_path(&mut tx, org_id).await?)?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let t = training::check(input, today)?;
        if !t.attendees.is_empty() {
            let orgs: Vec<(i64, i64)> = tx
                .ex()
                .fetch_all(Sql(
                    &format!(
                        "SELECT id, org_id FROM users WHERE id IN ({})",
                        crate::db::placeholders(1, t.attendees.len())
                    ),
                    t.attendees.iter().map(|i| Value::from(*i)).collect(),
                ))
                .await?;
            if orgs.len() != t.attendees.len() {
                return Err(StoreError::Invalid("参训人员中有不存在的账号".into()));
            }
            let distinct: HashSet<i64> = orgs.iter().map(|(_, o)| *o).collect();
            for o in distinct {
                actor.may_keep_registers(&org_path(&mut tx, o).await?)?;
            }
        }
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO trainings (org_id, kind, held_on, topic, hours, lecturer, place, note, others, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                vec![
                    org_id.into(),
                    t.kind.as_str().into(),
                    t.held_on.into(),
                    t.topic.clone().into(),
                    t.hours.into(),
                    t.lecturer.clone().into(),
                    t.place.clone().into(),
                    t.note.clone().into(),
                    t.others.into(),
                    String::from(actor.username.clone()).into(),
                    now.into(),
                ],
            ))
            .await?;
        let rows: Vec<Vec<Value>> = t.attendees.iter().map(|u| vec![id.into(), (*u).into()]).collect();
        crate::db::insert_rows(&mut tx, "training_attendees (training_id, user_id)", rows).await?;
        tx.audit(
            ctx,
            "training.create",
            "training",
            id.to_string(),
            String::new(),
            json!({
                "org_id": org_id, "kind": t.kind, "held_on": t.held_on, "topic": t.topic, "hours": t.hours,
                "attendees": t.attendees, "others": t.others,
            })
            .to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The sessions held by these orgs or attended by their staff in `year` (every year when
    /// `None`), newest first, each with how many staff attended.
    pub async fn trainings_of(&self, org_ids: &[i64], year: Option<i32>) -> Result<Vec<(Training, i64)>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = org_ids.iter().map(|i| Value::from(*i)).collect();
        // Held by these orgs, or attended by their staff (a training the office held for them).
        let list = crate::db::placeholders(1, org_ids.len());
        let mut cond = format!(
            "(t.org_id IN ({list}) OR EXISTS (SELECT 1 FROM training_attendees a JOIN users u ON u.id = a.user_id \
             WHERE a.training_id = t.id AND u.org_id IN ({list})))"
        );
        if let Some(y) = year {
            let (from, to) = year_bounds(y);
            cond += &format!(" AND t.held_on >= ${} AND t.held_on <= ${}", values.len() + 1, values.len() + 2);
            values.push(from.into());
            values.push(to.into());
        }
        let mut conn = self.pool.conn().await?;
        let trainings: Vec<Training> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {} FROM trainings t WHERE {cond} ORDER BY t.held_on DESC, t.id DESC LIMIT 1000",
                    COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ")
                ),
                values,
            ))
            .await?;
        if trainings.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = trainings.iter().map(|t| t.id).collect();
        let counts: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT training_id, CAST(COUNT(*) AS BIGINT) FROM training_attendees WHERE training_id IN ({}) \
                     GROUP BY training_id",
                    crate::db::placeholders(1, ids.len())
                ),
                ids.iter().map(|i| Value::from(*i)).collect(),
            ))
            .await?;
        let counts: HashMap<i64, i64> = counts.into_iter().collect();
        Ok(trainings
            .into_iter()
            .map(|t| {
                let n = counts.get(&t.id).copied().unwrap_or(0);
                (t, n)
            })
            .collect())
    }

    /// One session and its staff attendees.
    pub async fn training(&self, id: i64) -> Result<Option<(Training, Vec<Attendee>)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let Some(t) = conn
            .ex()
            .fetch_optional::<Training>(Sql(&format!("SELECT {COLUMNS} FROM trainings WHERE id = $1"), vec![id.into()]))
            .await?
        else {
            return Ok(None);
        };
        let attendees = conn
            .ex()
            .fetch_all(Sql(
                "SELECT u.id AS user_id, u.username, u.display_name, u.org_id FROM training_attendees a \
                 JOIN users u ON u.id = a.user_id WHERE a.training_id = $1 ORDER BY u.org_id, u.username",
                vec![id.into()],
            ))
            .await?;
        Ok(Some((t, attendees)))
    }

    /// Each org's working staff (enabled accounts holding a work role), and every staff
    /// member who attended a training in `year`.
    pub async fn training_coverage(
        &self,
        org_ids: &[i64],
        year: i32,
    ) -> Result<(HashMap<i64, Vec<i64>>, HashSet<i64>), StoreError> {
        if org_ids.is_empty() {
            return Ok((HashMap::new(), HashSet::new()));
        }
        let n = org_ids.len();
        let roles: Vec<Value> = WORK_ROLES.iter().map(|r| Value::from(r.as_str())).collect();
        let mut values: Vec<Value> = org_ids.iter().map(|i| Value::from(*i)).collect();
        values.extend(roles);
        let mut conn = self.pool.conn().await?;
        let staff: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT u.id, u.org_id FROM users u WHERE u.active AND u.org_id IN ({}) AND EXISTS \
                     (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ({})) ORDER BY u.id",
                    crate::db::placeholders(1, n),
                    crate::db::placeholders(n + 1, WORK_ROLES.len())
                ),
                values,
            ))
            .await?;
        let (from, to) = year_bounds(year);
        let attended: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT DISTINCT a.user_id FROM training_attendees a JOIN trainings t ON t.id = a.training_id \
                 WHERE t.kind = 'training' AND t.held_on >= $1 AND t.held_on <= $2",
                vec![from.into(), to.into()],
            ))
            .await?;
        let mut by_org: HashMap<i64, Vec<i64>> = HashMap::new();
        for (user, org) in staff {
            by_org.entry(org).or_default().push(user);
        }
        Ok((by_org, attended.into_iter().map(|(u,)| u).collect()))
    }

    /// The latest hearing of the work report each org recorded in `year`.
    pub async fn hearings(&self, year: i32) -> Result<HashMap<i64, NaiveDate>, StoreError> {
        let (from, to) = year_bounds(year);
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, NaiveDate)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT org_id, MAX(held_on) FROM trainings WHERE kind = 'hearing' AND held_on >= $1 AND held_on <= $2 \
                 GROUP BY org_id",
                vec![from.into(), to.into()],
            ))
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The enabled staff of these orgs: (id, login name, name, org), by org and login name.
    pub async fn staff_of(&self, org_ids: &[i64]) -> Result<Vec<Attendee>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT id AS user_id, username, display_name, org_id FROM users WHERE active AND org_id IN ({}) \
                     ORDER BY org_id, username LIMIT 5000",
                    crate::db::placeholders(1, org_ids.len())
                ),
                org_ids.iter().map(|i| Value::from(*i)).collect(),
            ))
            .await
    }
}
