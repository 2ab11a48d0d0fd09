//! Information requests in the store: filing (idempotent, durable before it is confirmed),
//! handling steps decided by `core::request::step` and applied in one transaction with the
//! event and audit rows, consultation pauses, review and litigation records. Personal data
//! of applicants is stored here and nowhere else: audit rows carry the tracking number only.

use crate::audit::AuditCtx;
use crate::db::Update;
use crate::db::{Sql, Tx};
use crate::tracking::{clean, new_query_code, new_tracking_no, same_code};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::Calendar;
use gongkai_core::report::{RemedyKind, RemedyResult};
use gongkai_core::request::{
    Applicant, ApplicantKey, ApplicantType, Channel, Clock, Effect, FeeChoice, Outcome, RequestFacts, RequestState,
    Step, StepInput, StepRefusal, decide,
};
use gongkai_core::{Actor, OrgPath};
use sea_query::Value;
use serde_json::json;

/// A stored request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Request {
    pub id: i64,
    pub tracking_no: String,
    pub query_code: String,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    #[sqlx(try_from = "String")]
    pub applicant_type: ApplicantType,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub credit_code: String,
    pub legal_rep: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub description: String,
    pub doc_ref: String,
    pub purpose: String,
    pub form: String,
    pub delivery: String,
    pub submitted_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub clock_start: NaiveDate,
    pub extension_days: i64,
    pub clarification_asked: bool,
    #[sqlx(try_from = "String")]
    pub state: RequestState,
    pub outcome: Option<String>,
    pub reason: String,
    pub replied_on: Option<NaiveDate>,
    pub fee_basis: String,
    pub fee_amount: i64,
    pub fee_notified_on: Option<NaiveDate>,
    pub fee_paid_on: Option<NaiveDate>,
    /// A reply waiting for sign-off: its outcome, reason, date and proposer.
    pub proposed_outcome: Option<String>,
    pub proposed_reason: String,
    pub proposed_on: Option<NaiveDate>,
    pub proposed_by: Option<i64>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Request {
    /// The row as stored, its sealed fields (ID number, phone, e-mail, address) opened with
    /// the deployment's field key.
    pub(crate) fn opened(mut self, cipher: Option<&crate::sealed::FieldCipher>) -> Result<Self, StoreError> {
        for f in [&mut self.id_number, &mut self.phone, &mut self.email, &mut self.address] {
            *f = crate::sealed::open(cipher, std::mem::take(f))?;
        }
        Ok(self)
    }

    /// The state (a stored code core does not know is an error when the row is read).
    pub fn state(&self) -> RequestState {
        self.state
    }

    /// The outcome as a value.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(Outcome::parse)
    }

    /// The applicant type.
    pub fn applicant_type(&self) -> ApplicantType {
        self.applicant_type
    }

    /// The applicant as the application named them.
    pub fn applicant(&self) -> Applicant {
        Applicant {
            kind: self.applicant_type,
            name: self.name.clone(),
            id_type: self.id_type.clone(),
            id_number: self.id_number.clone(),
            credit_code: self.credit_code.clone(),
            legal_rep: self.legal_rep.clone(),
            contact_person: self.contact_person.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            postcode: self.postcode.clone(),
        }
    }

    /// Who the applicant is across requests.
    pub fn applicant_key(&self) -> ApplicantKey {
        ApplicantKey::of(&self.id_number, &self.credit_code, &self.name)
    }

    /// The reply waiting for sign-off, if any.
    pub fn proposal(&self) -> Option<gongkai_core::request::Proposal> {
        if self.state != RequestState::SigningOff {
            return None;
        }
        Some(gongkai_core::request::Proposal {
            outcome: self.proposed_outcome.as_deref().and_then(Outcome::parse)?,
            reason: self.proposed_reason.clone(),
            by: self.proposed_by?,
        })
    }

    /// The statutory clock, given the request's pauses.
    pub fn clock(&self, pauses: &[Pause]) -> Clock {
        clock_of(self.clock_start, self.extension_days, pauses)
    }
}

/// A request's statutory clock: from its start, extended by its days, paused by its pauses.
fn clock_of(clock_start: NaiveDate, extension_days: i64, pauses: &[Pause]) -> Clock {
    Clock {
        start: Some(clock_start),
        extension_days: extension_days.max(0) as u32,
        pauses: pauses.iter().map(|p| (p.started_on, p.ended_on)).collect(),
    }
}

/// `AND r.state IN (…open states…)` when `open_only`, else nothing.
fn open_condition(open_only: bool) -> String {
    if open_only {
        let open = RequestState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str());
        format!(" AND r.state IN {}", crate::db::code_list(open))
    } else {
        String::new()
    }
}

/// What the figures need of a request — its org, clock and where it stands — without the
/// applicant or the text (supervision and the monthly trend read every request under an org;
/// at a city's 200,000 requests a whole row each was most of their time).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestSummary {
    pub id: i64,
    pub org_id: i64,
    pub tracking_no: String,
    pub received_on: NaiveDate,
    pub clock_start: NaiveDate,
    pub extension_days: i64,
    #[sqlx(try_from = "String")]
    pub state: RequestState,
    pub replied_on: Option<NaiveDate>,
}

impl RequestSummary {
    /// The state.
    pub fn state(&self) -> RequestState {
        self.state
    }

    /// The handling clock, with the request's consultation pauses.
    pub fn clock(&self, pauses: &[Pause]) -> Clock {
        clock_of(self.clock_start, self.extension_days, pauses)
    }
}

/// The columns of [`RequestSummary`], on `requests r`.
const SUMMARY_COLUMNS: &str =
    "r.id, r.org_id, r.tracking_no, r.received_on, r.clock_start, r.extension_days, r.state, r.replied_on";

/// Keeps on request `r`, as it now stands in `tx`, what it counts in the supervision figures
/// once concluded (core's [`Clock::concluded`], on `cal` — read in `tx` when not given —
/// beside that calendar's stamp), or clears them while it is open: a tree's concluded
/// requests are then summed from the figures' index (`Store::request_counts_under`). A
/// calendar read before the transaction is safe: the stamp says which one counted.
async fn keep_figures(tx: &mut Tx, r: &Request, cal: Option<&Calendar>) -> Result<(), StoreError> {
    let (stamp, kept) = match r.replied_on.filter(|_| !r.state().is_open()) {
        Some(replied) => {
            let read;
            let cal = match cal {
                Some(cal) => cal,
                None => {
                    read = crate::calendar::calendar_in(tx.ex()).await?;
                    &read
                }
            };
            let pauses: Vec<Pause> = tx.ex().fetch_all(Sql(PAUSES_OF, vec![r.id.into()])).await?;
            (Some(cal.stamp()), Some(r.clock(&pauses).concluded(cal, replied)))
        }
        None => (None, None),
    };
    tx.ex()
        .execute(Sql(
            "UPDATE requests SET kept_calendar = $1, kept_on_time = $2, kept_workdays = $3 WHERE id = $4",
            vec![
                stamp.into(),
                kept.map(|k| k.on_time).into(),
                kept.and_then(|k| k.workdays).map(i64::from).into(),
                r.id.into(),
            ],
        ))
        .await?;
    Ok(())
}

/// The consultation pauses of request `$1`, in order.
const PAUSES_OF: &str =
    "SELECT id, request_id, started_on, ended_on, party FROM request_pauses WHERE request_id = $1 ORDER BY id";

/// The concluded requests (of `requests r`) without figures kept on the calendar whose stamp
/// is the parameter `stamp` (`$1`): not kept, kept on an older stamp or on a newer one. The
/// three are ranges of the index `requests_kept`; [`unkept_ids`] reads them so, the keeping
/// job (which walks the requests by id) as one condition.
fn unkept_ranges(stamp: &str) -> [String; 3] {
    let closed = crate::db::code_list(RequestState::ALL.iter().filter(|s| !s.is_open()).map(|s| s.as_str()));
    ["IS NULL".to_string(), format!("< {stamp}"), format!("> {stamp}")]
        .map(|range| format!("r.state IN {closed} AND r.replied_on IS NOT NULL AND r.kept_calendar {range}"))
}

/// [`unkept_ranges`] as one condition on `requests r`.
fn unkept_condition(stamp: &str) -> String {
    format!("(({}))", unkept_ranges(stamp).join(") OR ("))
}

/// The ids of the requests [`unkept_ranges`] finds, each range read from `requests_kept`:
/// none once the keeping job has run, so a look costs three empty index ranges.
pub(crate) fn unkept_ids(backend: crate::db::Backend, stamp: &str) -> String {
    let kept_index = crate::db::indexed_by(backend, "requests r", "requests_kept");
    unkept_ranges(stamp).map(|c| format!("SELECT r.id FROM {kept_index} WHERE {c}")).join(" UNION ALL ")
}

/// A consultation pause.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pause {
    pub id: i64,
    pub request_id: i64,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub party: String,
}

/// A handling event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestEvent {
    pub id: i64,
    pub step: String,
    pub actor: String,
    pub comment: String,
    pub public: bool,
    pub state_after: String,
    pub at: DateTime<Utc>,
}

/// An administrative review or litigation record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Remedy {
    pub id: i64,
    pub request_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: RemedyKind,
    pub body: String,
    pub filed_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub result: RemedyResult,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A review or litigation record to add.
#[derive(Debug, Clone)]
pub struct NewRemedy {
    pub kind: RemedyKind,
    /// 复议机关 or 法院.
    pub body: String,
    pub filed_on: NaiveDate,
    pub result: RemedyResult,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
}

/// A request to file.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub org_id: i64,
    pub channel: Channel,
    pub applicant: Applicant,
    pub description: String,
    pub doc_ref: String,
    pub purpose: String,
    pub form: String,
    pub delivery: String,
    pub submitted_at: DateTime<Utc>,
    /// Fixed under article 31 by the caller (`core::request::receipt_date`).
    pub received_on: NaiveDate,
    pub idempotency_key: Option<String>,
}

/// What a step carries besides itself.
#[derive(Debug, Clone, Default)]
pub struct StepExtra {
    /// The day the step happened (defaults to today in Beijing).
    pub on: Option<NaiveDate>,
    /// Who was consulted.
    pub party: String,
    /// How the fee is charged, for a fee notice.
    pub fee: Option<FeeChoice>,
    /// The target org of a transfer inside the platform.
    pub target_org: Option<i64>,
    /// A comment for the record.
    pub comment: String,
    /// The outcomes whose reply needs sign-off (`web.sign_off_outcomes`).
    pub sign_off: Vec<String>,
}

/// The applicant's requests (by ID number or credit code, else name) in the calendar month of
/// `r`'s receipt, up to and including `r`.
async fn month_count(
    ex: crate::db::Ex<'_>,
    r: &Request,
    cipher: Option<&crate::sealed::FieldCipher>,
) -> Result<i64, StoreError> {
    let month_start = chrono::Datelike::with_day0(&r.received_on, 0).unwrap_or(r.received_on);
    let next = month_start.checked_add_months(chrono::Months::new(1)).unwrap_or(month_start);
    let (col, key) = match r.applicant_key() {
        ApplicantKey::IdNumber(k) => ("id_number", k),
        ApplicantKey::CreditCode(k) => ("credit_code", k),
        ApplicantKey::Name(k) => ("name", k),
    };
    // An ID number is stored sealed where the deployment has a field key (and plain if filed
    // before it): look for both.
    let sealed = if col == "id_number" { crate::sealed::seal(cipher, &key) } else { key.clone() };
    let (n,): (i64,) = ex
        .fetch_one(Sql(
            &format!(
                "SELECT COUNT(*) FROM requests WHERE ({col} = $1 OR {col} = $5) AND received_on >= $2 AND received_on < $3 AND id <= $4"
            ),
            vec![key.into(), month_start.into(), next.into(), r.id.into(), sealed.into()],
        ))
        .await?;
    Ok(n)
}

/// Errors of request operations.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The step is not allowed.
    #[error(transparent)]
    Refused(#[from] StepRefusal),
}

impl From<sqlx::Error> for RequestError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

pub(crate) const COLUMNS: &str = "id, tracking_no, query_code, org_id, channel, applicant_type, name, id_type, id_number, credit_code, \
    legal_rep, contact_person, phone, email, address, postcode, description, doc_ref, purpose, form, delivery, \
    submitted_at, received_on, clock_start, extension_days, clarification_asked, state, outcome, reason, replied_on, fee_basis, \
    fee_amount, fee_notified_on, fee_paid_on, proposed_outcome, proposed_reason, proposed_on, proposed_by, version, \
    created_at, updated_at";

async fn load(tx: &mut Tx, id: i64) -> Result<Request, StoreError> {
    let r: Request = tx
        .ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("申请 {id}")))?;
    r.opened(tx.cipher.as_deref())
}

async fn event(
    tx: &mut Tx,
    id: i64,
    step: &str,
    actor: &str,
    comment: &str,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let public = gongkai_core::request::event_is_public(step);
    tx.ex()
        .execute(Sql(
            "INSERT INTO request_events (request_id, step, actor, comment, public, state_after, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![id.into(), step.into(), actor.into(), comment.into(), public.into(), state.into(), now.into()],
        ))
        .await?;
    Ok(())
}

/// The request filed before with the same idempotency key, when this is the same filing
/// again (a retry, a double click); a different filing with a used key is refused, so no one
/// is ever answered with another applicant's tracking number and query code.
fn replay(r: Request, new: &NewRequest) -> Result<(Request, bool), StoreError> {
    let same = r.org_id == new.org_id
        && r.applicant_type == new.applicant.kind
        && r.name == clean(&new.applicant.name, 100)
        && r.id_number == clean(&new.applicant.id_number, 40)
        && r.credit_code == clean(&new.applicant.credit_code, 20)
        && r.phone == clean(&new.applicant.phone, 40)
        && r.email == clean(&new.applicant.email, 100)
        && r.description == clean(&new.description, 5000);
    if same { Ok((r, false)) } else { Err(StoreError::KeyReused) }
}

impl Store {
    /// Files a request. With an idempotency key seen before, answers the request filed then
    /// when the filing is the same (`false`: nothing new was stored), and refuses a different
    /// one ([`StoreError::KeyReused`]). The row is committed before this returns, so a
    /// confirmation shown to the applicant always names a stored request.
    pub async fn file_request(&self, ctx: &AuditCtx, new: NewRequest) -> Result<(Request, bool), StoreError> {
        if let Some(key) = &new.idempotency_key {
            let mut conn = self.pool.conn().await?;
            let seen: Option<Request> = conn
                .ex()
                .fetch_optional(Sql(
                    &format!("SELECT {COLUMNS} FROM requests WHERE idempotency_key = $1"),
                    vec![key.as_str().into()],
                ))
                .await?;
            if let Some(r) = seen {
                return replay(r.opened(self.cipher())?, &new);
            }
        }
        let now = self.now();
        let seal = |text: &str| crate::sealed::seal(self.cipher(), text);
        for _ in 0..5 {
            let tracking_no = new_tracking_no("", new.received_on);
            let mut tx = self.pool.begin().await?;
            let result = tx
                .ex()
                .fetch_one::<(i64,)>(Sql(
                    "INSERT INTO requests (tracking_no, query_code, org_id, channel, applicant_type, name, id_type, id_number, credit_code, \
                     legal_rep, contact_person, phone, email, address, description, doc_ref, purpose, form, delivery, submitted_at, \
                     received_on, clock_start, state, idempotency_key, created_at, updated_at, postcode) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27) RETURNING id",
                    vec![
                        tracking_no.as_str().into(),
                        new_query_code().into(),
                        new.org_id.into(),
                        new.channel.as_str().into(),
                        new.applicant.kind.as_str().into(),
                        clean(&new.applicant.name, 100).into(),
                        clean(&new.applicant.id_type, 20).into(),
                        seal(&clean(&new.applicant.id_number, 40)).into(),
                        clean(&new.applicant.credit_code, 20).into(),
                        clean(&new.applicant.legal_rep, 50).into(),
                        clean(&new.applicant.contact_person, 50).into(),
                        seal(&clean(&new.applicant.phone, 40)).into(),
                        seal(&clean(&new.applicant.email, 100)).into(),
                        seal(&clean(&new.applicant.address, 200)).into(),
                        clean(&new.description, 5000).into(),
                        clean(&new.doc_ref, 300).into(),
                        clean(&new.purpose, 1000).into(),
                        clean(&new.form, 20).into(),
                        clean(&new.delivery, 100).into(),
                        new.submitted_at.into(),
                        new.received_on.into(),
                        new.received_on.into(),
                        RequestState::Received.as_str().into(),
                        Value::String(new.idempotency_key.clone()),
                        now.into(),
                        now.into(),
                        clean(&new.applicant.postcode, 6).into(),
                    ],
                ))
                .await;
            let id = match result {
                Ok((id,)) => id,
                // A tracking number taken already (or the same key filed concurrently): try again.
                Err(StoreError::Conflict(_)) => {
                    if let Some(key) = &new.idempotency_key {
                        let mut conn = self.pool.conn().await?;
                        let seen: Option<Request> = conn
                            .ex()
                            .fetch_optional(Sql(
                                &format!("SELECT {COLUMNS} FROM requests WHERE idempotency_key = $1"),
                                vec![key.as_str().into()],
                            ))
                            .await?;
                        if let Some(r) = seen {
                            return replay(r.opened(self.cipher())?, &new);
                        }
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            event(&mut tx, id, "file", &ctx.actor, new.channel.label(), RequestState::Received.as_str(), now).await?;
            tx.audit(
                ctx,
                "request.file",
                "request",
                tracking_no.clone(),
                String::new(),
                json!({ "org_id": new.org_id, "channel": new.channel.as_str(), "received_on": new.received_on })
                    .to_string(),
            )
            .await?;
            let r = load(&mut tx, id).await?;
            tx.commit().await?;
            return Ok((r, true));
        }
        Err(StoreError::Conflict("无法生成唯一的申请编号，请重试".into()))
    }

    /// A request by id.
    pub async fn request(&self, id: i64) -> Result<Option<Request>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let r: Option<Request> = conn
            .ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"), vec![id.into()]))
            .await?;
        r.map(|r| r.opened(self.cipher())).transpose()
    }

    /// A request by tracking number (for staff).
    pub async fn request_by_tracking(&self, tracking_no: &str) -> Result<Option<Request>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let r: Option<Request> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {COLUMNS} FROM requests WHERE tracking_no = $1"),
                vec![tracking_no.trim().into()],
            ))
            .await?;
        r.map(|r| r.opened(self.cipher())).transpose()
    }

    /// A request by tracking number and query code; `None` when either is wrong (the two
    /// cases are not told apart).
    pub async fn request_for_applicant(
        &self,
        tracking_no: &str,
        query_code: &str,
    ) -> Result<Option<Request>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let r: Option<Request> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {COLUMNS} FROM requests WHERE tracking_no = $1"),
                vec![tracking_no.trim().into()],
            ))
            .await?;
        r.filter(|r| same_code(&r.query_code, query_code)).map(|r| r.opened(self.cipher())).transpose()
    }

    /// Requests of the orgs whose path starts with `path` (an org and those below it),
    /// open ones or all, the newest `limit` by receipt, newest first (a workspace capped at
    /// 10,000 of a city's 200,000 requests showed the oldest, all long closed, and none of
    /// the open ones).
    pub async fn requests_under(
        &self,
        path: &OrgPath,
        open_only: bool,
        limit: i64,
    ) -> Result<Vec<Request>, StoreError> {
        let cols: String = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
        let cond = open_condition(open_only);
        let mut conn = self.pool.conn().await?;
        let rows: Vec<Request> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {cols} FROM requests r JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE $1{cond} ORDER BY r.received_on DESC, r.id DESC LIMIT $2"),
                vec![format!("{}%", path.as_str()).into(), limit.into()],
            ))
            .await?;
        rows.into_iter().map(|r| r.opened(self.cipher())).collect()
    }

    /// The summaries of every request of `org` and below (`tree`), or of the org alone —
    /// only those still open with `open_only` — by org, then received day, then id.
    pub async fn request_summaries(
        &self,
        org: &crate::Org,
        tree: bool,
        open_only: bool,
    ) -> Result<Vec<RequestSummary>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (cond, value): (&str, sea_query::Value) = if tree {
            ("JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE $1", format!("{}%", org.path.as_str()).into())
        } else {
            ("WHERE r.org_id = $1", org.id.into())
        };
        let open = open_condition(open_only);
        let mut rows: Vec<RequestSummary> = conn
            .ex()
            .fetch_all(Sql(&format!("SELECT {SUMMARY_COLUMNS} FROM requests r {cond}{open}"), vec![value]))
            .await?;
        rows.sort_by_key(|r| (r.org_id, r.received_on, r.id));
        Ok(rows)
    }

    /// The consultation pauses of every request under an org, by request (one query for a
    /// workspace, a reminder run or a recomputation, instead of one per request).
    pub async fn request_pauses_under(
        &self,
        path: &OrgPath,
    ) -> Result<std::collections::HashMap<i64, Vec<Pause>>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<Pause> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT p.id, p.request_id, p.started_on, p.ended_on, p.party FROM request_pauses p \
                 JOIN requests r ON r.id = p.request_id JOIN orgs o ON o.id = r.org_id \
                 WHERE o.path LIKE $1 ORDER BY p.id",
                vec![format!("{}%", path.as_str()).into()],
            ))
            .await?;
        let mut out: std::collections::HashMap<i64, Vec<Pause>> = Default::default();
        for p in rows {
            out.entry(p.request_id).or_default().push(p);
        }
        Ok(out)
    }

    /// Keeps the figures of every concluded request that has none kept on `cal` (concluded
    /// before figures were kept, or kept on a calendar since changed), each as
    /// [`Clock::concluded`] counts it, a thousand to a transaction; answers how many. Until
    /// then the counts count such requests on the calendar's day table, so the figures are
    /// right either way; kept, they are a sum.
    pub async fn keep_request_figures(&self, cal: &Calendar) -> Result<u64, StoreError> {
        let (mut n, mut after) = (0, 0);
        while let (read, Some(last)) = self.keep_figures_after(cal, after, 1000).await? {
            n += read;
            after = last;
        }
        Ok(n)
    }

    /// Whether any concluded request has no figures kept on `cal` (one row looked for).
    pub async fn request_figures_to_keep(&self, cal: &Calendar) -> Result<bool, StoreError> {
        let mut conn = self.pool.conn().await?;
        let found: Option<(i64,)> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("{} LIMIT 1", unkept_ids(self.pool.backend(), "$1")),
                vec![cal.stamp().into()],
            ))
            .await?;
        Ok(found.is_some())
    }

    /// [`Store::keep_request_figures`] for up to `limit` requests after id `after`: how many
    /// were read, and the last id read (`None`: no more).
    async fn keep_figures_after(
        &self,
        cal: &Calendar,
        after: i64,
        limit: i64,
    ) -> Result<(u64, Option<i64>), StoreError> {
        let stamp = cal.stamp();
        let mut tx = self.pool.begin().await?;
        let rows: Vec<RequestSummary> = tx
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM requests r WHERE {} AND r.id > $2 ORDER BY r.id LIMIT $3",
                    unkept_condition("$1")
                ),
                vec![stamp.into(), after.into(), limit.into()],
            ))
            .await?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id)) else {
            return Ok((0, None));
        };
        let pauses: Vec<Pause> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT id, request_id, started_on, ended_on, party FROM request_pauses \
                 WHERE request_id >= $1 AND request_id <= $2 ORDER BY id",
                vec![first.into(), last.into()],
            ))
            .await?;
        let mut by_request: std::collections::HashMap<i64, Vec<Pause>> = Default::default();
        for p in pauses {
            by_request.entry(p.request_id).or_default().push(p);
        }
        for r in &rows {
            let Some(replied) = r.replied_on else { continue };
            let kept = r.clock(by_request.get(&r.id).map(Vec::as_slice).unwrap_or_default()).concluded(cal, replied);
            // Only as read: a request changed since is kept by its own step.
            tx.ex()
                .execute(Sql(
                    "UPDATE requests SET kept_calendar = $1, kept_on_time = $2, kept_workdays = $3 \
                     WHERE id = $4 AND state = $5 AND replied_on = $6 AND clock_start = $7 AND extension_days = $8",
                    vec![
                        stamp.into(),
                        kept.on_time.into(),
                        kept.workdays.map(i64::from).into(),
                        r.id.into(),
                        r.state.as_str().into(),
                        replied.into(),
                        r.clock_start.into(),
                        r.extension_days.into(),
                    ],
                ))
                .await?;
        }
        tx.commit().await?;
        Ok((rows.len() as u64, Some(last)))
    }

    /// The consultation pauses of a request.
    pub async fn request_pauses(&self, id: i64) -> Result<Vec<Pause>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(PAUSES_OF, vec![id.into()])).await
    }

    /// The events of a request, oldest first.
    pub async fn request_events(&self, id: i64) -> Result<Vec<RequestEvent>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, step, actor, comment, public, state_after, at FROM request_events WHERE request_id = $1 ORDER BY id",
                vec![id.into()],
            ))
            .await
    }

    /// How many requests an applicant (by ID number or credit code, else name) filed in the
    /// calendar month of `on` up to and including `id` (for 按件 fees and the excess flag).
    pub async fn applicant_month_count(&self, r: &Request) -> Result<i64, StoreError> {
        let mut conn = self.pool.conn().await?;
        month_count(conn.ex(), r, self.cipher()).await
    }

    /// For each request, what [`Store::applicant_month_count`] answers, for many requests at
    /// once (the workspace): one query per 300 applicants instead of one per request.
    pub async fn applicant_month_counts(
        &self,
        rs: &[&Request],
    ) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
        use std::collections::{BTreeSet, HashMap};
        let month = |d: NaiveDate| (chrono::Datelike::year(&d), chrono::Datelike::month(&d));
        let keys: BTreeSet<(u8, String)> = rs
            .iter()
            .map(|r| match r.applicant_key() {
                ApplicantKey::IdNumber(k) => (0, k),
                ApplicantKey::CreditCode(k) => (1, k),
                ApplicantKey::Name(k) => (2, k),
            })
            .collect();
        let (Some(first), Some(last)) =
            (rs.iter().map(|r| r.received_on).min(), rs.iter().map(|r| r.received_on).max())
        else {
            return Ok(HashMap::new());
        };
        let from = chrono::Datelike::with_day0(&first, 0).unwrap_or(first);
        let last_month = chrono::Datelike::with_day0(&last, 0).unwrap_or(last);
        let until = last_month.checked_add_months(chrono::Months::new(1)).unwrap_or(last);
        type Row = (i64, String, String, String, NaiveDate);
        let mut found: Vec<Row> = Vec::new();
        let keys: Vec<(u8, String)> = keys.into_iter().collect();
        let mut conn = self.pool.conn().await?;
        for chunk in keys.chunks(300) {
            let mut values: Vec<Value> = vec![from.into(), until.into()];
            let mut lists: [Vec<String>; 3] = Default::default();
            for (kind, k) in chunk {
                values.push(k.as_str().into());
                lists[usize::from(*kind)].push(format!("${}", values.len()));
                if *kind == 0 && self.cipher().is_some() {
                    values.push(crate::sealed::seal(self.cipher(), k).into());
                    lists[0].push(format!("${}", values.len()));
                }
            }
            let conds: Vec<String> = ["id_number", "credit_code", "name"]
                .iter()
                .zip(&lists)
                .filter(|(_, l)| !l.is_empty())
                .map(|(col, l)| format!("{col} IN ({})", l.join(", ")))
                .collect();
            let rows: Vec<Row> = conn
                .ex()
                .fetch_all(Sql(
                    &format!(
                        "SELECT id, id_number, credit_code, name, received_on FROM requests \
                         WHERE received_on >= $1 AND received_on < $2 AND ({})",
                        conds.join(" OR ")
                    ),
                    values,
                ))
                .await?;
            for (id, id_number, credit_code, name, on) in rows {
                found.push((id, crate::sealed::open(self.cipher(), id_number)?, credit_code, name, on));
            }
        }
        found.sort_by_key(|r| r.0);
        found.dedup_by_key(|r| r.0);
        Ok(rs
            .iter()
            .map(|r| {
                let same = |row: &&Row| match r.applicant_key() {
                    ApplicantKey::IdNumber(k) => row.1 == k,
                    ApplicantKey::CreditCode(k) => row.2 == k,
                    ApplicantKey::Name(k) => row.3 == k,
                };
                let n = found
                    .iter()
                    .filter(same)
                    .filter(|row| row.0 <= r.id && month(row.4) == month(r.received_on))
                    .count();
                (r.id, n as i64)
            })
            .collect())
    }

    /// Applies a handling step.
    pub async fn apply_request_step(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        s: Step,
        extra: StepExtra,
    ) -> Result<Request, RequestError> {
        // A clarification (article 30's 7 working days), an extension (within the period,
        // article 33) and a concluding step (the figures it keeps) need the calendar; it
        // changes once a year, so it is read before the transaction.
        let needs_calendar = matches!(s, Step::RequestClarification | Step::Extend { .. }) || s.may_conclude();
        let cal = if needs_calendar { Some(self.calendar().await?) } else { None };
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let today = gongkai_core::index_no::beijing_date(now);
        let before = load(&mut tx, id).await?;
        let cipher = tx.cipher.clone();
        let (path,): (String,) =
            tx.ex().fetch_one(Sql("SELECT path FROM orgs WHERE id = $1", vec![before.org_id.into()])).await?;
        let path = OrgPath::from_stored(path);
        let facts = RequestFacts {
            state: before.state(),
            org_path: &path,
            clarification_asked: before.clarification_asked,
            extension_days: u32::try_from(before.extension_days).unwrap_or(0),
            received_on: before.received_on,
            today,
            // Judged on the day the clarification was asked; a calendar that cannot answer (a
            // year before 2008) never blocks the step.
            clarify_late: cal.as_ref().is_some_and(|cal| {
                gongkai_core::request::clarify_window(cal, before.received_on, extra.on.unwrap_or(today))
                    == Ok(gongkai_core::request::ClarifyWindow::Late)
            }),
            // Read in this transaction: the fee notice counts the applicant's requests as
            // they stand when it is sent.
            applicant_nth_this_month: match (&s, extra.fee) {
                (Step::NotifyFee, Some(FeeChoice::ByCount)) => {
                    u32::try_from(month_count(tx.ex(), &before, cipher.as_deref()).await?).unwrap_or(u32::MAX)
                }
                _ => 0,
            },
            sign_off: &extra.sign_off,
            proposal: before.proposal(),
            // The period as it stands in this transaction (its pauses and extensions).
            due_on: match (&s, &cal) {
                (Step::Extend { .. }, Some(cal)) => {
                    let pauses: Vec<Pause> = tx.ex().fetch_all(Sql(PAUSES_OF, vec![id.into()])).await?;
                    before.clock(&pauses).due_on(cal).ok().flatten()
                }
                _ => None,
            },
        };
        let input =
            StepInput { on: extra.on, party: extra.party.clone(), fee: extra.fee, target_org: extra.target_org };
        let decided = decide(&facts, actor, &s, &input)?;
        // Core decided; each effect is one column (or a pause row) here.
        let mut update = Update::new("requests");
        update.set("state", decided.state.as_str());
        update.set("updated_at", now);
        // The event keeps the reason as given: the extension notice quotes it to the applicant
        // (who approved is the event's actor, in the internal record only).
        let mut comment = extra.comment.trim().to_string();
        let mut outcome = None;
        for effect in &decided.effects {
            match effect {
                Effect::ClarificationAsked => update.set("clarification_asked", true),
                Effect::ClockRestarts(on) => update.set("clock_start", *on),
                Effect::PauseFrom { on, party } => {
                    tx.ex()
                        .execute(Sql(
                            "INSERT INTO request_pauses (request_id, started_on, party) VALUES ($1, $2, $3)",
                            vec![id.into(), (*on).into(), party.as_str().into()],
                        ))
                        .await?;
                }
                Effect::PauseUntil(on) => {
                    tx.ex()
                        .execute(Sql(
                            "UPDATE request_pauses SET ended_on = $1 WHERE request_id = $2 AND ended_on IS NULL",
                            vec![(*on).into(), id.into()],
                        ))
                        .await?;
                }
                Effect::ExtensionTotal(days) => update.set("extension_days", i64::from(*days)),
                Effect::FeeNotified { fee, on } => {
                    update.set("fee_basis", fee.basis());
                    update.set("fee_amount", i64::from(fee.amount_yuan()));
                    update.set("fee_notified_on", *on);
                }
                Effect::FeePaid(on) => update.set("fee_paid_on", *on),
                Effect::Reason(reason) => update.set("reason", reason.as_str()),
                Effect::Concluded(on) => update.set("replied_on", *on),
                Effect::MovesTo(target) => {
                    let exists: Option<(String,)> = tx
                        .ex()
                        .fetch_optional(Sql("SELECT name FROM orgs WHERE id = $1", vec![(*target).into()]))
                        .await?;
                    let (name,) = exists.ok_or_else(|| StoreError::Invalid(format!("单位 {target} 不存在")))?;
                    update.set("org_id", *target);
                    if let Step::Transfer { reason, .. } = &s {
                        comment = format!("转至{name}：{reason}");
                    }
                }
                Effect::Outcome(o) => {
                    outcome = Some(*o);
                    update.set("outcome", o.code);
                }
                Effect::Proposed { outcome, reason, on } => {
                    update.set("proposed_outcome", outcome.code);
                    update.set("proposed_reason", reason.as_str());
                    update.set("proposed_on", *on);
                    update.set("proposed_by", actor.user_id);
                    if comment.is_empty() {
                        comment = format!("拟{}", outcome.label);
                    }
                }
                Effect::ProposalCleared => update.set("proposed_outcome", None::<String>),
            }
        }
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("该申请已被他人处理，请刷新后重试".into()).into());
        }
        let r = load(&mut tx, id).await?;
        if !decided.state.is_open() || !before.state().is_open() {
            keep_figures(&mut tx, &r, cal.as_ref()).await?;
        }
        event(&mut tx, id, decided.event, actor.username.as_str(), &comment, decided.state.as_str(), now).await?;
        tx.audit(
            ctx,
            "request.step",
            "request",
            before.tracking_no.clone(),
            json!({ "state": before.state }).to_string(),
            json!({ "step": decided.event, "state": decided.state.as_str(), "outcome": outcome.map(|o| o.code) })
                .to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Records an administrative review or a lawsuit about a request.
    pub async fn add_remedy(&self, ctx: &AuditCtx, request_id: i64, new: NewRemedy) -> Result<Remedy, StoreError> {
        let NewRemedy { kind, body, filed_on, result, decided_on, note } = new;
        result.check_decided(decided_on).map_err(|m| StoreError::Invalid(m.into()))?;
        let (kind, result) = (kind.as_str(), result.as_str());
        let mut tx = self.pool.begin().await?;
        let r = load(&mut tx, request_id).await?;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO request_remedies (request_id, kind, body, filed_on, result, decided_on, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    request_id.into(),
                    kind.into(),
                    body.trim().into(),
                    filed_on.into(),
                    result.into(),
                    Value::ChronoDate(decided_on),
                    note.trim().into(),
                    self.now().into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "request.remedy",
            "request",
            r.tracking_no,
            String::new(),
            json!({ "kind": kind, "result": result, "filed_on": filed_on }).to_string(),
        )
        .await?;
        let remedy: Remedy =
            tx.ex().fetch_one(Sql("SELECT * FROM request_remedies WHERE id = $1", vec![id.into()])).await?;
        tx.commit().await?;
        Ok(remedy)
    }

    /// Records the result of a review or litigation case once decided.
    pub async fn decide_remedy(
        &self,
        ctx: &AuditCtx,
        request_id: i64,
        remedy_id: i64,
        result: RemedyResult,
        decided_on: Option<NaiveDate>,
    ) -> Result<Remedy, StoreError> {
        result.check_decided(decided_on).map_err(|m| StoreError::Invalid(m.into()))?;
        let mut tx = self.pool.begin().await?;
        let r = load(&mut tx, request_id).await?;
        let n = tx
            .ex()
            .execute(Sql(
                "UPDATE request_remedies SET result = $1, decided_on = $2 WHERE id = $3 AND request_id = $4",
                vec![result.as_str().into(), Value::ChronoDate(decided_on), remedy_id.into(), request_id.into()],
            ))
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("复议诉讼记录 {remedy_id}")));
        }
        tx.audit(
            ctx,
            "request.remedy_decided",
            "request",
            r.tracking_no,
            String::new(),
            json!({ "remedy": remedy_id, "result": result, "decided_on": decided_on }).to_string(),
        )
        .await?;
        let remedy: Remedy =
            tx.ex().fetch_one(Sql("SELECT * FROM request_remedies WHERE id = $1", vec![remedy_id.into()])).await?;
        tx.commit().await?;
        Ok(remedy)
    }

    /// The review and litigation records of a request.
    pub async fn remedies(&self, request_id: i64) -> Result<Vec<Remedy>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql("SELECT * FROM request_remedies WHERE request_id = $1 ORDER BY id", vec![request_id.into()]))
            .await
    }
}
