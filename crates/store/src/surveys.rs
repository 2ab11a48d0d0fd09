//! Online surveys in the store: a survey with its questions, answers one per voter (the
//! unique pair of survey and voter hash decides a race between two tabs), and the results'
//! publication; the rules are `core::survey`.

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::survey::{
    Answer, Question, SentCode, SurveyRefusal, check_answers, check_code, check_survey, may_send_code,
};
use serde_json::json;

/// A stored survey.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Survey {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub intro: String,
    pub questions: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub results_published_on: Option<NaiveDate>,
    pub usage: String,
    /// One answer per mobile number, confirmed by an SMS code (else one per browser).
    pub confirm_phone: bool,
}

const COLUMNS: &str =
    "id, org_id, title, intro, questions, opens_on, closes_on, results_published_on, usage, confirm_phone";

/// Who answers: a browser (the hash of its token), or a mobile number confirmed by the code
/// sent to it (both as hashes).
#[derive(Debug, Clone, Copy)]
pub enum Voter<'a> {
    Browser(&'a str),
    Phone { phone_hash: &'a str, code_hash: &'a str },
}

impl Survey {
    /// The questions.
    pub fn questions(&self) -> Vec<Question> {
        serde_json::from_str(&self.questions).unwrap_or_default()
    }

    /// Open on `today`.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }
}

/// Errors of survey operations.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] SurveyRefusal),
}

impl From<sqlx::Error> for SurveyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

impl Store {
    /// Creates a survey of the actor's org (its editors or office).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_survey(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        title: &str,
        intro: &str,
        questions: Vec<Question>,
        opens_on: NaiveDate,
        closes_on: NaiveDate,
        confirm_phone: bool,
    ) -> Result<Survey, SurveyError> {
        if title.trim().is_empty() {
            return Err(SurveyRefusal::Required("标题").into());
        }
        check_survey(&questions, opens_on, closes_on)?;
        gongkai_core::consultation::may_run(actor, &actor.org_path).map_err(SurveyRefusal::from)?;
        let questions: Vec<Question> = questions
            .into_iter()
            .map(|q| Question {
                text: clean(&q.text, 300),
                options: q.options.iter().map(|o| clean(o, 100)).collect(),
                ..q
            })
            .collect();
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO surveys (org_id, title, intro, questions, opens_on, closes_on, confirm_phone, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                vec![
                    actor.org_id.into(),
                    clean(title, 200).into(),
                    clean(intro, 5000).into(),
                    serde_json::to_string(&questions).unwrap_or_else(|_| "[]".into()).into(),
                    opens_on.into(),
                    closes_on.into(),
                    confirm_phone.into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(ctx, "survey.create", "survey", id.to_string(), String::new(), json!({ "title": title }).to_string())
            .await?;
        let s =
            tx.ex().fetch_one(Sql(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"), vec![id.into()])).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// A survey by id.
    pub async fn survey(&self, id: i64) -> Result<Option<Survey>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"), vec![id.into()])).await
    }

    /// Every survey, newest first.
    pub async fn surveys(&self) -> Result<Vec<Survey>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM surveys ORDER BY opens_on DESC, id DESC LIMIT 1000"),
                vec![],
            ))
            .await
    }

    /// Records one voter's answers while the survey is open; a second answer by the same
    /// voter is refused.
    pub async fn answer_survey(
        &self,
        id: i64,
        voter: Voter<'_>,
        answers: Vec<Option<Answer>>,
        today: NaiveDate,
    ) -> Result<(), SurveyError> {
        let s = self.survey(id).await?.ok_or_else(|| StoreError::NotFound("调查".into()))?;
        if !s.is_open(today) {
            return Err(SurveyRefusal::NotOpen.into());
        }
        if s.confirm_phone && matches!(voter, Voter::Browser(_)) {
            return Err(SurveyRefusal::PhoneRequired.into());
        }
        check_answers(&s.questions(), &answers)?;
        let answers: Vec<Option<Answer>> = answers
            .into_iter()
            .map(|a| match a {
                Some(Answer::Text(t)) => {
                    Some(Answer::Text(clean(&t, 1000))).filter(|a| *a != Answer::Text(String::new()))
                }
                a => a,
            })
            .collect();
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let voter = match voter {
            Voter::Browser(v) => v,
            Voter::Phone { phone_hash, code_hash } => {
                // The latest code sent to the number decides; a wrong one costs a try.
                let row: Option<(i64, String, DateTime<Utc>, i64, bool)> = tx
                    .ex()
                    .fetch_optional(Sql(
                        "SELECT id, code_hash, sent_at, attempts, used FROM survey_codes \
                         WHERE survey_id = $1 AND phone_hash = $2 ORDER BY id DESC LIMIT 1",
                        vec![id.into(), phone_hash.into()],
                    ))
                    .await?;
                let sent = row.as_ref().map(|(_, _, sent_at, attempts, used)| SentCode {
                    sent_at: *sent_at,
                    attempts: u32::try_from(*attempts).unwrap_or(u32::MAX),
                    used: *used,
                });
                let matches = row.as_ref().is_some_and(|(_, h, ..)| h == code_hash);
                let code_id = row.as_ref().map(|r| r.0).unwrap_or_default();
                match check_code(sent, matches, now) {
                    Ok(()) => {
                        tx.ex()
                            .execute(Sql("UPDATE survey_codes SET used = TRUE WHERE id = $1", vec![code_id.into()]))
                            .await?;
                    }
                    Err(SurveyRefusal::CodeWrong) => {
                        tx.ex()
                            .execute(Sql(
                                "UPDATE survey_codes SET attempts = attempts + 1 WHERE id = $1",
                                vec![code_id.into()],
                            ))
                            .await?;
                        tx.commit().await?;
                        return Err(SurveyRefusal::CodeWrong.into());
                    }
                    Err(e) => return Err(e.into()),
                }
                phone_hash
            }
        };
        let inserted = tx
            .ex()
            .execute(Sql(
                "INSERT INTO survey_answers (survey_id, voter, answers, created_at) VALUES ($1, $2, $3, $4)",
                vec![id.into(), voter.into(), serde_json::to_string(&answers).unwrap_or_default().into(), now.into()],
            ))
            .await;
        match inserted {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => return Err(SurveyRefusal::AlreadyAnswered.into()),
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a code sent to a number for a survey that asks for phone confirmation, when
    /// the number may have another (`core::survey::may_send_code`); the caller sends it.
    pub async fn record_survey_code(
        &self,
        id: i64,
        phone_hash: &str,
        code_hash: &str,
        today: NaiveDate,
    ) -> Result<(), SurveyError> {
        let s = self.survey(id).await?.ok_or_else(|| StoreError::NotFound("调查".into()))?;
        if !s.is_open(today) {
            return Err(SurveyRefusal::NotOpen.into());
        }
        if !s.confirm_phone {
            return Err(SurveyRefusal::NoPhoneConfirmation.into());
        }
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let recent: Vec<(DateTime<Utc>,)> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT sent_at FROM survey_codes WHERE survey_id = $1 AND phone_hash = $2 AND sent_at > $3",
                vec![id.into(), phone_hash.into(), (now - chrono::Duration::hours(24)).into()],
            ))
            .await?;
        let recent: Vec<DateTime<Utc>> = recent.into_iter().map(|(t,)| t).collect();
        may_send_code(&recent, now)?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO survey_codes (survey_id, phone_hash, code_hash, sent_at) VALUES ($1, $2, $3, $4)",
                vec![id.into(), phone_hash.into(), code_hash.into(), now.into()],
            ))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// True when this voter answered the survey.
    pub async fn has_answered(&self, id: i64, voter: &str) -> Result<bool, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (n,): (i64,) = conn
            .ex()
            .fetch_one(Sql(
                "SELECT COUNT(*) FROM survey_answers WHERE survey_id = $1 AND voter = $2",
                vec![id.into(), voter.into()],
            ))
            .await?;
        Ok(n > 0)
    }

    /// How many answers each survey has (surveys without any are left out).
    pub async fn survey_response_counts(&self) -> Result<std::collections::HashMap<i64, usize>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql("SELECT survey_id, COUNT(*) FROM survey_answers GROUP BY survey_id", vec![]))
            .await?;
        Ok(rows.into_iter().map(|(id, n)| (id, usize::try_from(n).unwrap_or(0))).collect())
    }

    /// Every answer to a survey.
    pub async fn survey_answers(&self, id: i64) -> Result<Vec<Vec<Option<Answer>>>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String,)> = conn
            .ex()
            .fetch_all(Sql("SELECT answers FROM survey_answers WHERE survey_id = $1 ORDER BY id", vec![id.into()]))
            .await?;
        Ok(rows.into_iter().filter_map(|(a,)| serde_json::from_str(&a).ok()).collect())
    }

    /// Publishes the results after the period, with how they were used (the org's approver).
    pub async fn publish_survey_results(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        usage: &str,
    ) -> Result<Survey, SurveyError> {
        if usage.trim().is_empty() {
            return Err(SurveyRefusal::UsageRequired.into());
        }
        let mut tx = self.pool.begin().await?;
        let s: Survey = tx
            .ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"), vec![id.into()]))
            .await?
            .ok_or_else(|| StoreError::NotFound("调查".into()))?;
        let path = crate::db::org_path(&mut tx, s.org_id).await?;
        actor.may_work_in(gongkai_core::Role::Approver, &path).map_err(SurveyRefusal::from)?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        if today <= s.closes_on {
            return Err(SurveyRefusal::StillOpen.into());
        }
        tx.ex()
            .execute(Sql(
                "UPDATE surveys SET results_published_on = $1, usage = $2 WHERE id = $3",
                vec![today.into(), clean(usage, 5000).into(), id.into()],
            ))
            .await?;
        tx.audit(ctx, "survey.publish_results", "survey", id.to_string(), String::new(), today.to_string()).await?;
        let s =
            tx.ex().fetch_one(Sql(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"), vec![id.into()])).await?;
        tx.commit().await?;
        Ok(s)
    }
}
