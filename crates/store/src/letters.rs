//! Mailboxes and letters in the store: mailboxes per org, letters filed idempotently and
//! durable before their tracking number is shown, steps decided by `core::letter::decide`
//! and applied in one transaction with their event and audit rows, the writer's rating, the
//! FAQ. Writers' personal data is stored here only: audit rows carry the tracking number.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::{clean, new_query_code, new_tracking_no, same_code};
use crate::{OptCode, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::letter::{
    LetterFacts, LetterRefusal, LetterState, LetterStep, MAX_REPLY_DAYS, MailboxKind, Satisfaction, check_publishable,
    decide,
};
use gongkai_core::{Actor, Role};
use sea_query::Value;
use serde_json::json;

/// A mailbox of an org.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Mailbox {
    pub id: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: MailboxKind,
    pub name: String,
    pub reply_days: i64,
    pub public_default: bool,
    pub intro: String,
    pub active: bool,
}

const MAILBOX_COLUMNS: &str = "id, org_id, kind, name, reply_days, public_default, intro, active";

/// A mailbox to create or the new settings of one.
#[derive(Debug, Clone)]
pub struct MailboxInput {
    pub kind: MailboxKind,
    pub name: String,
    pub reply_days: u32,
    pub public_default: bool,
    pub intro: String,
    pub active: bool,
}

/// A stored letter.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub tracking_no: String,
    pub query_code: String,
    pub mailbox_id: i64,
    pub org_id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    pub consent: bool,
    pub submitted_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub reply_days: i64,
    #[sqlx(try_from = "String")]
    pub state: LetterState,
    pub extension_days: i64,
    pub reply: String,
    pub reply_public: bool,
    pub drafted_by: String,
    pub replied_on: Option<NaiveDate>,
    pub closing: Option<String>,
    pub closing_note: String,
    #[sqlx(try_from = "Option<String>")]
    pub satisfaction: OptCode<Satisfaction>,
    pub satisfaction_note: String,
    pub version: i64,
    /// The online interview the letter is a question to.
    pub interview_id: Option<i64>,
    /// The 公示 the letter objects to.
    pub notice_id: Option<i64>,
}

/// A letter carries at most this many attachments.
pub const MAX_FILES: usize = 3;

const LETTER_COLUMNS: &str = "id, tracking_no, query_code, mailbox_id, org_id, name, phone, email, subject, body, consent, \
    submitted_at, received_on, reply_days, state, extension_days, reply, reply_public, drafted_by, replied_on, closing, \
    closing_note, satisfaction, satisfaction_note, version, interview_id, notice_id";

impl Letter {
    /// The reply clock.
    pub fn clock(&self) -> gongkai_core::clock::WorkdayClock {
        reply_clock(self.received_on, self.reply_days, self.extension_days)
    }

    /// True when the letter and its reply are shown publicly.
    pub fn is_public(&self) -> bool {
        self.state == LetterState::Replied && self.reply_public && self.consent
    }
}

/// The reply clock of a letter as stored (days as the columns hold them).
fn reply_clock(received_on: NaiveDate, reply_days: i64, extension_days: i64) -> gongkai_core::clock::WorkdayClock {
    gongkai_core::letter::clock(
        received_on,
        u32::try_from(reply_days).unwrap_or(0),
        u32::try_from(extension_days).unwrap_or(0),
    )
}

/// A letter to file.
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub mailbox_id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    pub consent: bool,
    pub submitted_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub idempotency_key: Option<String>,
    /// Attachments already kept in the file store.
    pub files: Vec<NewLetterFile>,
    /// A question to this online interview (its org's 访谈提问 mailbox).
    pub interview_id: Option<i64>,
    /// An objection to this 公示 (its org's 公示异议 mailbox).
    pub notice_id: Option<i64>,
}

/// An attachment of a letter, its bytes kept in the file store under `sha256`.
#[derive(Debug, Clone)]
pub struct NewLetterFile {
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// A stored attachment of a letter.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterFile {
    pub id: i64,
    pub letter_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// An event on a letter's timeline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterEvent {
    pub step: String,
    pub actor: String,
    pub org_id: i64,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A letter as lists and figures need it, without the writer's data.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterRow {
    pub id: i64,
    pub tracking_no: String,
    pub mailbox_id: i64,
    pub org_id: i64,
    pub subject: String,
    pub received_on: NaiveDate,
    pub reply_days: i64,
    pub extension_days: i64,
    #[sqlx(try_from = "String")]
    pub state: LetterState,
    pub replied_on: Option<NaiveDate>,
}

impl LetterRow {
    /// The reply clock.
    pub fn clock(&self) -> gongkai_core::clock::WorkdayClock {
        reply_clock(self.received_on, self.reply_days, self.extension_days)
    }
}

const ROW_COLUMNS: &str =
    "id, tracking_no, mailbox_id, org_id, subject, received_on, reply_days, extension_days, state, replied_on";

/// A FAQ entry (咨询问答知识库).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct FaqEntry {
    pub id: i64,
    pub org_id: i64,
    pub topic: String,
    pub question: String,
    pub answer: String,
    pub letter_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Errors of letter steps.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The step is not allowed.
    #[error(transparent)]
    Refused(#[from] LetterRefusal),
}

impl From<sqlx::Error> for LetterError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<Letter, StoreError> {
    let l: Letter = tx
        .ex()
        .fetch_optional(Sql(&format!("SELECT {LETTER_COLUMNS} FROM letters WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("来信 {id}")))?;
    l.opened(tx.cipher.as_deref())
}

impl Letter {
    /// The row as stored, its sealed fields (phone, e-mail) opened with the deployment's
    /// field key.
    fn opened(mut self, cipher: Option<&crate::sealed::FieldCipher>) -> Result<Self, StoreError> {
        for f in [&mut self.phone, &mut self.email] {
            *f = crate::sealed::open(cipher, std::mem::take(f))?;
        }
        Ok(self)
    }
}

async fn event(tx: &mut Tx, letter: &Letter, step: &str, actor: &str, note: &str) -> Result<(), StoreError> {
    let now = tx.now;
    tx.ex()
        .execute(Sql(
            "INSERT INTO letter_events (letter_id, step, actor, org_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![letter.id.into(), step.into(), actor.into(), letter.org_id.into(), note.into(), now.into()],
        ))
        .await?;
    Ok(())
}

fn check_mailbox(m: &MailboxInput) -> Result<(String, String), StoreError> {
    let name = clean(&m.name, 60);
    if name.is_empty() {
        return Err(StoreError::Invalid("请填写信箱名称".into()));
    }
    if m.reply_days == 0 || m.reply_days > MAX_REPLY_DAYS {
        return Err(StoreError::Invalid(format!("答复期限须为 1 至 {MAX_REPLY_DAYS} 个工作日")));
    }
    Ok((name, clean(&m.intro, 1000)))
}

/// The letter filed before with the same key, when this filing is the same (a retry); a
/// different filing with a used key is refused, so no one is answered with another
/// writer's numbers.
fn replay(l: Letter, new: &NewLetter) -> Result<(Letter, bool), StoreError> {
    let same = l.mailbox_id == new.mailbox_id
        && l.name == clean(&new.name, 50)
        && l.phone == clean(&new.phone, 40)
        && l.email == clean(&new.email, 100)
        && l.subject == clean(&new.subject, gongkai_core::letter::MAX_SUBJECT)
        && l.body == clean(&new.body, gongkai_core::letter::MAX_TEXT);
    if same { Ok((l, false)) } else { Err(StoreError::KeyReused) }
}

impl Store {
    /// Creates a mailbox of an org (its admin's work).
    pub async fn create_mailbox(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        m: MailboxInput,
    ) -> Result<Mailbox, StoreError> {
        let (name, intro) = check_mailbox(&m)?;
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, org_id).await?;
        actor.may_administer(&path)?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO mailboxes (org_id, kind, name, reply_days, public_default, intro, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    org_id.into(),
                    m.kind.as_str().into(),
                    name.as_str().into(),
                    i64::from(m.reply_days).into(),
                    m.public_default.into(),
                    intro.into(),
                    m.active.into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("本单位已有名为「{name}」的信箱")),
                e => e,
            })?;
        let after = json!({ "org_id": org_id, "kind": m.kind.as_str(), "name": name, "reply_days": m.reply_days });
        tx.audit(ctx, "mailbox.create", "mailbox", id.to_string(), String::new(), after.to_string()).await?;
        let mb = mailbox_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(mb)
    }

    /// Changes a mailbox's settings (a new period applies to letters received after).
    pub async fn update_mailbox(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        m: MailboxInput,
    ) -> Result<Mailbox, StoreError> {
        let (name, intro) = check_mailbox(&m)?;
        let mut tx = self.pool.begin().await?;
        let before = mailbox_in(&mut tx, id).await?;
        let path = org_path(&mut tx, before.org_id).await?;
        actor.may_administer(&path)?;
        tx.ex()
            .execute(Sql(
                "UPDATE mailboxes SET kind = $1, name = $2, reply_days = $3, public_default = $4, intro = $5, active = $6 WHERE id = $7",
                vec![
                    m.kind.as_str().into(),
                    name.as_str().into(),
                    i64::from(m.reply_days).into(),
                    m.public_default.into(),
                    intro.into(),
                    m.active.into(),
                    id.into(),
                ],
            ))
            .await?;
        let after = mailbox_in(&mut tx, id).await?;
        tx.audit(
            ctx,
            "mailbox.update",
            "mailbox",
            id.to_string(),
            serde_json::to_string(&before).unwrap_or_default(),
            serde_json::to_string(&after).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every mailbox (active or not), by org and name.
    pub async fn mailboxes(&self) -> Result<Vec<Mailbox>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(&format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes ORDER BY org_id, id"), vec![])).await
    }

    /// A mailbox by id.
    pub async fn mailbox(&self, id: i64) -> Result<Option<Mailbox>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Files a letter. With an idempotency key seen before, answers the letter filed then
    /// when the filing is the same (`false`: nothing new was stored) and refuses a different
    /// one. The row is committed before this returns.
    pub async fn file_letter(&self, ctx: &AuditCtx, new: NewLetter) -> Result<(Letter, bool), StoreError> {
        if let Some(seen) = self.letter_by_key(new.idempotency_key.as_deref()).await? {
            return replay(seen, &new);
        }
        let mailbox = self
            .mailbox(new.mailbox_id)
            .await?
            .filter(|m| m.active)
            .ok_or_else(|| StoreError::NotFound("信箱".into()))?;
        // A question to an interview: its clock starts on the day of the interview, where
        // it is answered live or else in writing within the mailbox's days after it.
        let mut received_on = new.received_on;
        if mailbox.kind == MailboxKind::Interview {
            let id = new.interview_id.ok_or_else(|| StoreError::Invalid("请选择要提问的在线访谈".into()))?;
            let interview = self
                .press_event(id)
                .await?
                .filter(|e| {
                    e.kind == gongkai_core::press::PressKind::Interview
                        && e.org_id == mailbox.org_id
                        && e.state == gongkai_core::press::PressState::Scheduled
                })
                .ok_or_else(|| StoreError::Invalid("该在线访谈不在征集提问期间".into()))?;
            received_on = received_on.max(gongkai_core::index_no::beijing_date(interview.starts_at));
        }
        let interview_id = if mailbox.kind == MailboxKind::Interview { new.interview_id } else { None };
        // An objection to a 公示: received only within its period, by the 公示's org.
        let notice_id = if mailbox.kind == MailboxKind::Objection {
            let id = new.notice_id.ok_or_else(|| StoreError::Invalid("请选择要提出异议的公示".into()))?;
            self.check_objection(id, mailbox.org_id, received_on).await?;
            Some(id)
        } else {
            None
        };
        for _ in 0..5 {
            let tracking_no = new_tracking_no("X", new.received_on);
            let mut tx = self.pool.begin().await?;
            let now = tx.now;
            let inserted = tx
                .ex()
                .fetch_one::<(i64,)>(Sql(
                    "INSERT INTO letters (tracking_no, query_code, mailbox_id, org_id, name, phone, email, subject, body, consent, \
                     submitted_at, received_on, reply_days, state, idempotency_key, created_at, updated_at, interview_id, notice_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
                    vec![
                        tracking_no.as_str().into(),
                        new_query_code().into(),
                        mailbox.id.into(),
                        mailbox.org_id.into(),
                        clean(&new.name, 50).into(),
                        crate::sealed::seal(self.cipher(), &clean(&new.phone, 40)).into(),
                        crate::sealed::seal(self.cipher(), &clean(&new.email, 100)).into(),
                        clean(&new.subject, gongkai_core::letter::MAX_SUBJECT).into(),
                        clean(&new.body, gongkai_core::letter::MAX_TEXT).into(),
                        new.consent.into(),
                        new.submitted_at.into(),
                        received_on.into(),
                        mailbox.reply_days.into(),
                        LetterState::Received.as_str().into(),
                        Value::String(new.idempotency_key.clone()),
                        now.into(),
                        now.into(),
                        Value::BigInt(interview_id),
                        Value::BigInt(notice_id),
                    ],
                ))
                .await;
            let id = match inserted {
                Ok((id,)) => id,
                // A tracking number taken already, or the same key filed at the same moment.
                Err(StoreError::Conflict(_)) => {
                    drop(tx);
                    if let Some(seen) = self.letter_by_key(new.idempotency_key.as_deref()).await? {
                        return replay(seen, &new);
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            let letter = load(&mut tx, id).await?;
            for f in new.files.iter().take(MAX_FILES) {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO letter_files (letter_id, name, mime, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        vec![
                            id.into(),
                            clean(&f.name, 200).into(),
                            f.mime.as_str().into(),
                            f.size.into(),
                            f.sha256.as_str().into(),
                            now.into(),
                        ],
                    ))
                    .await?;
            }
            event(&mut tx, &letter, "file", "来信人", &mailbox.name).await?;
            let after = json!({ "mailbox_id": mailbox.id, "received_on": new.received_on });
            tx.audit(ctx, "letter.file", "letter", tracking_no, String::new(), after.to_string()).await?;
            tx.commit().await?;
            return Ok((letter, true));
        }
        Err(StoreError::Conflict("无法生成唯一的来信编号，请重试".into()))
    }

    async fn letter_by_key(&self, key: Option<&str>) -> Result<Option<Letter>, StoreError> {
        let Some(key) = key else { return Ok(None) };
        let mut conn = self.pool.conn().await?;
        let l: Option<Letter> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {LETTER_COLUMNS} FROM letters WHERE idempotency_key = $1"),
                vec![key.into()],
            ))
            .await?;
        l.map(|l| l.opened(self.cipher())).transpose()
    }

    /// A letter by id.
    pub async fn letter(&self, id: i64) -> Result<Option<Letter>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let l: Option<Letter> = conn
            .ex()
            .fetch_optional(Sql(&format!("SELECT {LETTER_COLUMNS} FROM letters WHERE id = $1"), vec![id.into()]))
            .await?;
        l.map(|l| l.opened(self.cipher())).transpose()
    }

    /// A letter by tracking number.
    pub async fn letter_by_tracking(&self, tracking_no: &str) -> Result<Option<Letter>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let l: Option<Letter> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {LETTER_COLUMNS} FROM letters WHERE tracking_no = $1"),
                vec![tracking_no.trim().into()],
            ))
            .await?;
        l.map(|l| l.opened(self.cipher())).transpose()
    }

    /// A letter by tracking number and query code; `None` when either is wrong (the two
    /// cases are not told apart).
    pub async fn letter_for_writer(&self, tracking_no: &str, query_code: &str) -> Result<Option<Letter>, StoreError> {
        let letter = self.letter_by_tracking(tracking_no).await?;
        Ok(letter.filter(|l| same_code(&l.query_code, query_code)))
    }

    /// A letter's attachments.
    pub async fn letter_files(&self, letter_id: i64) -> Result<Vec<LetterFile>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, letter_id, name, mime, size, sha256 FROM letter_files WHERE letter_id = $1 ORDER BY id",
                vec![letter_id.into()],
            ))
            .await
    }

    /// A letter's timeline, oldest first.
    pub async fn letter_events(&self, id: i64) -> Result<Vec<LetterEvent>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT step, actor, org_id, note, at FROM letter_events WHERE letter_id = $1 ORDER BY id",
                vec![id.into()],
            ))
            .await
    }

    /// Applies a step decided by core, with its event and audit row, in one transaction.
    pub async fn apply_letter_step(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        step: LetterStep,
    ) -> Result<Letter, LetterError> {
        // An extension is held to the period (core): the calendar changes once a year, so it
        // is read before the transaction, as for requests.
        let cal = match step {
            LetterStep::Extend { .. } => Some(self.calendar().await?),
            _ => None,
        };
        let mut tx = self.pool.begin().await?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let before = load(&mut tx, id).await?;
        let mailbox = mailbox_in(&mut tx, before.mailbox_id).await?;
        let mailbox_org = org_path(&mut tx, mailbox.org_id).await?;
        let handling_org = org_path(&mut tx, before.org_id).await?;
        let target = match &step {
            LetterStep::Assign { org_id } | LetterStep::Transfer { org_id, .. } => {
                Some(org_path(&mut tx, *org_id).await?)
            }
            _ => None,
        };
        let interview_held = match before.interview_id {
            Some(i) => {
                let state: Option<(String,)> =
                    tx.ex().fetch_optional(Sql("SELECT state FROM press_events WHERE id = $1", vec![i.into()])).await?;
                state.is_some_and(|(s,)| s == gongkai_core::press::PressState::Held.as_str())
            }
            None => false,
        };
        let facts = LetterFacts {
            state: before.state,
            mailbox_org: &mailbox_org,
            handling_org: &handling_org,
            reply_days: u32::try_from(before.reply_days).unwrap_or(0),
            extension_days: u32::try_from(before.extension_days).unwrap_or(0),
            today,
            due_on: cal.as_ref().and_then(|cal| before.clock().due_on(cal).ok()),
            drafted_by: &before.drafted_by,
            consent: before.consent,
            question: &before.body,
            reply: &before.reply,
            interview_held,
        };
        let d = decide(&facts, actor, &step, target.as_ref())?;
        if d.replied && before.reply_public {
            check_publishable(&before.body, &before.reply)?;
        }
        let now = tx.now;
        let mut update = Update::new("letters");
        update.set("state", d.state.as_str());
        update.set("updated_at", now);
        if let Some(org) = d.moves_to {
            update.set("org_id", org);
        }
        if let Some((text, public)) = &d.draft {
            update.set("reply", clean(text, 10_000));
            update.set("reply_public", *public);
            update.set("drafted_by", actor.username.as_str());
        }
        if d.replied {
            update.set("replied_on", today);
        }
        if let Some(days) = d.extension_total {
            update.set("extension_days", i64::from(days));
        }
        if let Some(code) = d.closing {
            update.set("closing", code);
            update.set("closing_note", d.public_note.clone());
        }
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("来信已被他人处理，请刷新后重试".into()).into());
        }
        let after = load(&mut tx, id).await?;
        let note = match &step {
            LetterStep::ReturnReply { reason } => clean(reason, 500),
            _ => d.public_note.clone(),
        };
        event(&mut tx, &after, step.code(), actor.username.as_str(), &note).await?;
        tx.audit(
            ctx,
            &format!("letter.{}", step.code()),
            "letter",
            before.tracking_no.clone(),
            json!({ "state": before.state.as_str(), "org_id": before.org_id }).to_string(),
            json!({ "state": after.state.as_str(), "org_id": after.org_id }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The writer rates a replied letter, once.
    pub async fn rate_letter(
        &self,
        tracking_no: &str,
        query_code: &str,
        rating: Satisfaction,
        note: &str,
    ) -> Result<Letter, StoreError> {
        let letter = self
            .letter_for_writer(tracking_no, query_code)
            .await?
            .ok_or_else(|| StoreError::NotFound("来信（编号或查询码不正确）".into()))?;
        if letter.state != LetterState::Replied {
            return Err(StoreError::Conflict("答复后才能评价".into()));
        }
        if letter.satisfaction.0.is_some() {
            return Err(StoreError::Conflict("已评价过，每件来信只能评价一次".into()));
        }
        let mut tx = self.pool.begin().await?;
        let mut update = Update::new("letters");
        update.set("satisfaction", rating.as_str());
        update.set("satisfaction_note", clean(note, 500));
        if !update.run(&mut tx, letter.id, letter.version).await? {
            return Err(StoreError::Conflict("已评价过，每件来信只能评价一次".into()));
        }
        event(&mut tx, &letter, "rate", "来信人", rating.label()).await?;
        let ctx = AuditCtx::system();
        tx.audit(&ctx, "letter.rate", "letter", letter.tracking_no.clone(), String::new(), rating.as_str().to_string())
            .await?;
        let after = load(&mut tx, letter.id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Letters with one of these orgs, newest first; open ones only when asked.
    pub async fn letters_with(&self, org_ids: &[i64], open_only: bool) -> Result<Vec<LetterRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let open = if open_only {
            format!(
                " AND state IN {}",
                crate::db::code_list(LetterState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()))
            )
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM letters WHERE org_id IN ({}){open} ORDER BY received_on DESC, id DESC LIMIT 2000",
            crate::db::placeholders(1, org_ids.len())
        );
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(&sql, org_ids.iter().map(|i| Value::from(*i)).collect())).await
    }

    /// Every open letter of the platform (dashboards and supervision: a few hundred rows).
    pub async fn open_letters(&self) -> Result<Vec<LetterRow>, StoreError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM letters WHERE state IN {} ORDER BY received_on, id",
            crate::db::code_list(LetterState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()))
        );
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(&sql, vec![])).await
    }

    /// Letters received from `from` up to and including `to` (figures).
    pub async fn letters_received(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<LetterRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {ROW_COLUMNS} FROM letters WHERE received_on >= $1 AND received_on <= $2 ORDER BY id"),
                vec![from.into(), to.into()],
            ))
            .await
    }

    /// Public letters (replied, public, with the writer's consent), newest reply first, of one
    /// org's mailboxes or all, a page at a time; and how many there are.
    pub async fn public_letters(
        &self,
        org_id: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Letter>, i64), StoreError> {
        let mut filter =
            format!("state = '{}' AND reply_public = TRUE AND consent = TRUE", LetterState::Replied.as_str());
        let mut values: Vec<Value> = Vec::new();
        if let Some(org) = org_id {
            values.push(org.into());
            filter.push_str(" AND mailbox_id IN (SELECT id FROM mailboxes WHERE org_id = $1)");
        }
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) =
            conn.ex().fetch_one(Sql(&format!("SELECT COUNT(*) FROM letters WHERE {filter}"), values.clone())).await?;
        let n = values.len();
        values.push(limit.clamp(1, 100).into());
        values.push(offset.max(0).into());
        let rows = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {LETTER_COLUMNS} FROM letters WHERE {filter} ORDER BY replied_on DESC, id DESC LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                ),
                values,
            ))
            .await?;
        let rows: Vec<Letter> = rows;
        let rows = rows.into_iter().map(|l| l.opened(self.cipher())).collect::<Result<_, _>>()?;
        Ok((rows, total))
    }

    /// Promotes a replied letter's question and answer (as edited, personal data removed)
    /// to the FAQ of the org that replied.
    pub async fn promote_faq(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        letter_id: i64,
        topic: &str,
        question: &str,
        answer: &str,
    ) -> Result<FaqEntry, LetterError> {
        let (topic, question, answer) = (clean(topic, 30), clean(question, 1000), clean(answer, 5000));
        if topic.is_empty() || question.is_empty() || answer.is_empty() {
            return Err(StoreError::Invalid("请填写主题、问题和解答".into()).into());
        }
        check_publishable(&question, &answer)?;
        let mut tx = self.pool.begin().await?;
        let letter = load(&mut tx, letter_id).await?;
        if letter.state != LetterState::Replied {
            return Err(StoreError::Conflict("答复后的来信才能选入知识库".into()).into());
        }
        let path = org_path(&mut tx, letter.org_id).await?;
        if actor.may_work_in(Role::Reviewer, &path).is_err() {
            actor.may_work_in(Role::LetterHandler, &path).map_err(StoreError::from)?;
        }
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO faq_entries (org_id, topic, question, answer, letter_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    letter.org_id.into(),
                    topic.as_str().into(),
                    gongkai_core::letter::public_text(&question).into(),
                    gongkai_core::letter::public_text(&answer).into(),
                    letter.id.into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(ctx, "faq.create", "faq", id.to_string(), String::new(), json!({ "topic": topic }).to_string())
            .await?;
        let entry = tx
            .ex()
            .fetch_one(Sql(
                "SELECT id, org_id, topic, question, answer, letter_id, created_at FROM faq_entries WHERE id = $1",
                vec![id.into()],
            ))
            .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The FAQ, by topic.
    pub async fn faq_entries(&self) -> Result<Vec<FaqEntry>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, org_id, topic, question, answer, letter_id, created_at FROM faq_entries ORDER BY topic, id DESC LIMIT 2000",
                vec![],
            ))
            .await
    }
}

/// Opens the org's mailbox of `kind` (named by its kind) when it has none: the mailbox a
/// capability's messages go to (访谈提问, 公示异议), created by the first use. Returns its id.
pub(crate) async fn ensure_mailbox(
    tx: &mut Tx,
    org_id: i64,
    kind: MailboxKind,
    reply_days: i64,
    intro: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let found: Option<(i64,)> = tx
        .ex()
        .fetch_optional(Sql(
            "SELECT id FROM mailboxes WHERE org_id = $1 AND kind = $2 ORDER BY id LIMIT 1",
            vec![org_id.into(), kind.as_str().into()],
        ))
        .await?;
    if let Some((id,)) = found {
        return Ok(id);
    }
    let (id,): (i64,) = tx
        .ex()
        .fetch_one(Sql(
            "INSERT INTO mailboxes (org_id, kind, name, reply_days, public_default, intro, active, created_at) \
             VALUES ($1, $2, $3, $4, TRUE, $5, TRUE, $6) RETURNING id",
            vec![org_id.into(), kind.as_str().into(), kind.label().into(), reply_days.into(), intro.into(), now.into()],
        ))
        .await?;
    Ok(id)
}

async fn mailbox_in(tx: &mut Tx, id: i64) -> Result<Mailbox, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("信箱 {id}")))
}
