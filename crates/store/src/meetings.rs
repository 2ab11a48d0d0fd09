//! Meetings the public may attend in the store: the announcement, applications, selection
//! within the seats (counted in the selecting transaction), and the published list; the
//! rules are `core::attendance`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::attendance::{
    ApplicationState, AttendanceRefusal, SeatKind, Seats, Topic, check_application, check_meeting, check_select,
    may_organise,
};
use sea_query::Value;
use serde_json::json;

/// A stored meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub topics: String,
    pub seats: String,
    pub place: String,
    pub held_on: NaiveDate,
    pub apply_by: NaiveDate,
    pub list_published_on: Option<NaiveDate>,
}

const COLUMNS: &str = "id, org_id, title, topics, seats, place, held_on, apply_by, list_published_on";

impl Meeting {
    pub fn topics(&self) -> Vec<Topic> {
        serde_json::from_str(&self.topics).unwrap_or_default()
    }

    pub fn seats(&self) -> Seats {
        serde_json::from_str(&self.seats).unwrap_or_default()
    }
}

/// An application.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub meeting_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: SeatKind,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    pub reason: String,
    #[sqlx(try_from = "String")]
    pub state: ApplicationState,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl Application {
    /// The row as stored, its phone opened with the deployment's field key.
    fn opened(mut self, cipher: Option<&crate::sealed::FieldCipher>) -> Result<Self, StoreError> {
        self.phone = crate::sealed::open(cipher, std::mem::take(&mut self.phone))?;
        Ok(self)
    }
}

const APP_COLUMNS: &str = "id, meeting_id, kind, name, organisation, phone, reason, state, note, created_at";

/// Errors of attendance operations.
#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] AttendanceRefusal),
}

impl From<sqlx::Error> for AttendanceError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<Meeting, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM meetings WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("会议 {id}")))
}

impl Store {
    /// Announces a meeting of the actor's org.
    #[allow(clippy::too_many_arguments)]
    pub async fn announce_meeting(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        title: &str,
        topics: Vec<Topic>,
        seats: Seats,
        place: &str,
        held_on: NaiveDate,
        apply_by: NaiveDate,
    ) -> Result<Meeting, AttendanceError> {
        check_meeting(title, &topics, &seats, apply_by, held_on)?;
        may_organise(actor, &actor.org_path).map_err(AttendanceRefusal::from)?;
        let topics: Vec<Topic> = topics.into_iter().map(|t| Topic { title: clean(&t.title, 300), ..t }).collect();
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO meetings (org_id, title, topics, seats, place, held_on, apply_by, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                vec![
                    actor.org_id.into(),
                    clean(title, 200).into(),
                    serde_json::to_string(&topics).unwrap_or_default().into(),
                    serde_json::to_string(&seats).unwrap_or_default().into(),
                    clean(place, 200).into(),
                    held_on.into(),
                    apply_by.into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "meeting.announce",
            "meeting",
            id.to_string(),
            String::new(),
            json!({ "title": title }).to_string(),
        )
        .await?;
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// A meeting by id.
    pub async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM meetings WHERE id = $1"), vec![id.into()])).await
    }

    /// Every meeting, the latest first.
    pub async fn meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(&format!("SELECT {COLUMNS} FROM meetings ORDER BY held_on DESC, id DESC LIMIT 500"), vec![]))
            .await
    }

    /// Files an application before the day applications close.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_to_attend(
        &self,
        id: i64,
        kind: SeatKind,
        name: &str,
        organisation: &str,
        phone: &str,
        reason: &str,
        key: Option<&str>,
        today: NaiveDate,
    ) -> Result<(Application, bool), AttendanceError> {
        // The same key again answers the application filed with it (a double click, a resend).
        let same = |a: &Application| a.meeting_id == id && a.name == clean(name, 50) && a.phone == clean(phone, 40);
        if let Some(seen) = self.application_by_key(key).await? {
            return if same(&seen) { Ok((seen, false)) } else { Err(StoreError::KeyReused.into()) };
        }
        let m = self.meeting(id).await?.ok_or_else(|| StoreError::NotFound("会议".into()))?;
        check_application(kind, &m.seats(), name, phone, m.apply_by, today)?;
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let inserted: Result<(i64,), StoreError> = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO meeting_applications (meeting_id, kind, name, organisation, phone, reason, state, idempotency_key, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                vec![
                    id.into(),
                    kind.as_str().into(),
                    clean(name, 50).into(),
                    clean(organisation, 100).into(),
                    crate::sealed::seal(self.cipher(), &clean(phone, 40)).into(),
                    clean(reason, 1000).into(),
                    ApplicationState::Pending.as_str().into(),
                    Value::String(key.map(str::to_string)),
                    now.into(),
                ],
            ))
            .await;
        let aid = match inserted {
            Ok((aid,)) => aid,
            // Another request with the key filed first: answer that one.
            Err(StoreError::Conflict(_)) if key.is_some() => {
                drop(tx);
                return match self.application_by_key(key).await? {
                    Some(seen) if same(&seen) => Ok((seen, false)),
                    _ => Err(StoreError::KeyReused.into()),
                };
            }
            Err(e) => return Err(e.into()),
        };
        tx.audit(&AuditCtx::system(), "meeting.apply", "meeting", id.to_string(), String::new(), aid.to_string())
            .await?;
        let a: Application = tx
            .ex()
            .fetch_one(Sql(&format!("SELECT {APP_COLUMNS} FROM meeting_applications WHERE id = $1"), vec![aid.into()]))
            .await?;
        tx.commit().await?;
        Ok((a.opened(self.cipher())?, true))
    }

    async fn application_by_key(&self, key: Option<&str>) -> Result<Option<Application>, StoreError> {
        let Some(key) = key else { return Ok(None) };
        let mut conn = self.pool.conn().await?;
        let a: Option<Application> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {APP_COLUMNS} FROM meeting_applications WHERE idempotency_key = $1"),
                vec![key.into()],
            ))
            .await?;
        a.map(|a| a.opened(self.cipher())).transpose()
    }

    /// A meeting's applications, oldest first.
    pub async fn applications(&self, id: i64) -> Result<Vec<Application>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<Application> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {APP_COLUMNS} FROM meeting_applications WHERE meeting_id = $1 ORDER BY id LIMIT 5000"),
                vec![id.into()],
            ))
            .await?;
        rows.into_iter().map(|a| a.opened(self.cipher())).collect()
    }

    /// Selects an applicant within the seats of their kind, or declines with a note.
    pub async fn decide_application(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        application: i64,
        select: bool,
        note: &str,
    ) -> Result<Application, AttendanceError> {
        let mut tx = self.pool.begin().await?;
        let a: Application = tx
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {APP_COLUMNS} FROM meeting_applications WHERE id = $1"),
                vec![application.into()],
            ))
            .await?
            .ok_or_else(|| StoreError::NotFound("报名".into()))?;
        let a = a.opened(tx.cipher.as_deref())?;
        let m = load(&mut tx, a.meeting_id).await?;
        may_organise(actor, &org_path(&mut tx, m.org_id).await?).map_err(AttendanceRefusal::from)?;
        let state = if select {
            let (n,): (i64,) = tx
                .ex()
                .fetch_one(Sql(
                    "SELECT COUNT(*) FROM meeting_applications WHERE meeting_id = $1 AND kind = $2 AND state = $3",
                    vec![m.id.into(), a.kind.as_str().into(), ApplicationState::Selected.as_str().into()],
                ))
                .await?;
            check_select(a.kind, &m.seats(), u32::try_from(n).unwrap_or(u32::MAX), m.list_published_on.is_some())?;
            ApplicationState::Selected
        } else {
            if m.list_published_on.is_some() {
                return Err(AttendanceRefusal::Published.into());
            }
            if note.trim().is_empty() {
                return Err(AttendanceRefusal::Required("未安排的原因").into());
            }
            ApplicationState::Declined
        };
        tx.ex()
            .execute(Sql(
                "UPDATE meeting_applications SET state = $1, note = $2 WHERE id = $3",
                vec![state.as_str().into(), clean(note, 500).into(), application.into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "meeting.decide",
            "meeting",
            m.id.to_string(),
            a.state.as_str().to_string(),
            json!({ "application": application, "state": state.as_str() }).to_string(),
        )
        .await?;
        let after: Application = tx
            .ex()
            .fetch_one(Sql(
                &format!("SELECT {APP_COLUMNS} FROM meeting_applications WHERE id = $1"),
                vec![application.into()],
            ))
            .await?;
        let after = after.opened(tx.cipher.as_deref())?;
        tx.commit().await?;
        Ok(after)
    }

    /// Publishes the list of attendees (before the meeting).
    pub async fn publish_attendees(&self, ctx: &AuditCtx, actor: &Actor, id: i64) -> Result<Meeting, AttendanceError> {
        let mut tx = self.pool.begin().await?;
        let m = load(&mut tx, id).await?;
        may_organise(actor, &org_path(&mut tx, m.org_id).await?).map_err(AttendanceRefusal::from)?;
        if m.list_published_on.is_some() {
            return Err(AttendanceRefusal::Published.into());
        }
        let today = gongkai_core::index_no::beijing_date(tx.now);
        if today > m.held_on {
            return Err(AttendanceRefusal::TooLate.into());
        }
        tx.ex()
            .execute(Sql("UPDATE meetings SET list_published_on = $1 WHERE id = $2", vec![today.into(), id.into()]))
            .await?;
        tx.audit(ctx, "meeting.publish_list", "meeting", id.to_string(), String::new(), today.to_string()).await?;
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }
}
