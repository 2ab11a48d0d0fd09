//! Online surveys (网上调查), the use cases: an org's editors or office create one, the public
//! answers once per browser (the token's hash is the voter; the adapters add the rate limit
//! per address), the org's leader publishes the results after the period with how they were
//! used, and the results are shown as counts and server-rendered SVG charts. The rules are
//! `core::survey`.

use crate::{AppError, AppState};
use chrono::NaiveDate;
pub use gongkai_core::survey::{Answer, Question, QuestionKind, QuestionResult};
use gongkai_core::survey::{CODE_DIGITS, CODE_MINUTES, SurveyRefusal, bar_chart, mobile, tally};
use gongkai_core::{Actor, Role};
use gongkai_store::{AuditCtx, Org, Survey, Voter};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::HashMap;

/// A survey to create.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SurveyBody {
    pub title: String,
    #[serde(default)]
    pub intro: String,
    /// [{text, kind: single|multiple|rating|text, options, required}].
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<Question>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: NaiveDate,
    /// One answer per mobile number, confirmed by an SMS code (needs `web.sms_transport`).
    #[serde(default)]
    pub confirm_phone: bool,
}

/// One question's results with its chart.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultView {
    #[schema(value_type = Object)]
    pub result: QuestionResult,
    /// An SVG bar chart (choices and ratings), safe to embed.
    pub chart: String,
}

/// A survey as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SurveyView {
    pub id: i64,
    pub org_name: String,
    pub org_code: String,
    pub title: String,
    pub intro: String,
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<Question>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub open: bool,
    /// Answers are confirmed by a code sent to the person's mobile.
    pub confirm_phone: bool,
    /// This browser answered already.
    pub answered: bool,
    pub responses: usize,
    pub results_published_on: Option<NaiveDate>,
    pub usage: String,
    /// Shown once published (staff: always).
    pub results: Vec<ResultView>,
    /// Staff: may publish the results now.
    pub may_publish: bool,
}

/// The voter a browser token stands for: its hash, never the token itself.
pub fn voter_of(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// What a view shows of the answers: all of them (one survey, tallied) or their count (a list).
enum Answers {
    All(Vec<Vec<Option<Answer>>>),
    Count(usize),
}

async fn view(
    state: &AppState,
    s: &Survey,
    org: Option<&Org>,
    answers: Answers,
    voter: Option<&str>,
    staff: Option<&Actor>,
) -> Result<SurveyView, AppError> {
    let today = state.today();
    let questions = s.questions();
    let show = s.results_published_on.is_some() || staff.is_some();
    let (responses, results) = match answers {
        Answers::Count(n) => (n, Vec::new()),
        Answers::All(all) if show => (
            all.len(),
            tally(&questions, &all)
                .into_iter()
                .map(|r| ResultView {
                    chart: if r.kind == QuestionKind::Text { String::new() } else { bar_chart(&r.text, &r.counts) },
                    result: r,
                })
                .collect(),
        ),
        Answers::All(all) => (all.len(), Vec::new()),
    };
    let answered = match voter {
        Some(v) => state.store.has_answered(s.id, v).await?,
        None => false,
    };
    let may_publish = staff.is_some_and(|a| {
        org.is_some_and(|o| a.may_work_in(Role::Approver, &o.path).is_ok())
            && today > s.closes_on
            && s.results_published_on.is_none()
    });
    Ok(SurveyView {
        id: s.id,
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        title: s.title.clone(),
        intro: s.intro.clone(),
        questions,
        opens_on: s.opens_on,
        closes_on: s.closes_on,
        open: s.is_open(today),
        confirm_phone: s.confirm_phone,
        answered,
        responses,
        results_published_on: s.results_published_on,
        usage: s.usage.clone(),
        results,
        may_publish,
    })
}

/// One survey with all its answers.
async fn full_view(
    state: &AppState,
    s: &Survey,
    voter: Option<&str>,
    staff: Option<&Actor>,
) -> Result<SurveyView, AppError> {
    let org = state.store.org_by_id(s.org_id).await?;
    let answers = Answers::All(state.store.survey_answers(s.id).await?);
    view(state, s, org.as_ref(), answers, voter, staff).await
}

/// Surveys as a list shows them (answers counted), of one org when asked and only those
/// `keep` lets through.
async fn listed(
    state: &AppState,
    of: Option<i64>,
    staff: Option<&Actor>,
    keep: impl Fn(&Survey, &Org) -> bool,
) -> Result<Vec<SurveyView>, AppError> {
    let orgs: HashMap<i64, Org> = state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect();
    let counts = state.store.survey_response_counts().await?;
    let mut out = Vec::new();
    for s in state.store.surveys().await?.iter().filter(|s| of.is_none_or(|o| o == s.org_id)) {
        let Some(org) = orgs.get(&s.org_id) else { continue };
        if keep(s, org) {
            let n = counts.get(&s.id).copied().unwrap_or(0);
            out.push(view(state, s, Some(org), Answers::Count(n), None, staff).await?);
        }
    }
    Ok(out)
}

/// Creates a survey of the staff member's org.
pub async fn create(state: &AppState, actor: &Actor, ctx: &AuditCtx, b: SurveyBody) -> Result<SurveyView, AppError> {
    let opens_on = b.opens_on.unwrap_or_else(|| state.today());
    if b.confirm_phone && state.sms.is_none() {
        return Err(gongkai_store::SurveyError::from(SurveyRefusal::NoSms).into());
    }
    let s = state
        .store
        .create_survey(ctx, actor, &b.title, &b.intro, b.questions, opens_on, b.closes_on, b.confirm_phone)
        .await?;
    full_view(state, &s, None, Some(actor)).await
}

/// Every survey that has started, open ones first; of one org on its sub-site.
pub async fn public_list(state: &AppState, of: Option<&Org>) -> Result<Vec<SurveyView>, AppError> {
    let today = state.today();
    let mut out = listed(state, of.map(|o| o.id), None, |s, _| s.opens_on <= today).await?;
    out.sort_by_key(|v| !v.open);
    Ok(out)
}

/// One survey for the public, with whether this browser answered.
pub async fn public_one(state: &AppState, id: i64, voter: Option<&str>) -> Result<SurveyView, AppError> {
    let s = state
        .store
        .survey(id)
        .await?
        .filter(|s| s.opens_on <= state.today())
        .ok_or_else(|| AppError::NotFound("未找到调查".into()))?;
    full_view(state, &s, voter, None).await
}

/// One survey for its org's staff (and the office above), with live results.
pub async fn for_staff(state: &AppState, actor: &Actor, id: i64) -> Result<SurveyView, AppError> {
    let s = state.store.survey(id).await?.ok_or_else(|| AppError::NotFound("未找到调查".into()))?;
    let org = state.store.org_by_id(s.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    actor.may_supervise(&org.path)?;
    full_view(state, &s, None, Some(actor)).await
}

/// The surveys of the orgs a staff member oversees; of one org when asked.
pub async fn workspace(state: &AppState, actor: &Actor, of: Option<i64>) -> Result<Vec<SurveyView>, AppError> {
    listed(state, of, Some(actor), |_, org| actor.may_supervise(&org.path).is_ok()).await
}

/// A mobile number confirming answers: the number given and the code sent to it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PhoneCode {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub code: String,
}

/// What is kept of a number for a survey: a hash with the survey's id (one answer per number
/// per survey; the number itself is not stored).
fn phone_hash(id: i64, mobile: &str) -> String {
    voter_of(&format!("survey:{id}:mobile:{mobile}"))
}

fn code_hash(id: i64, mobile: &str, code: &str) -> String {
    voter_of(&format!("survey:{id}:mobile:{mobile}:code:{}", code.trim()))
}

fn refused(r: SurveyRefusal) -> AppError {
    gongkai_store::SurveyError::from(r).into()
}

/// A random code of `CODE_DIGITS` digits.
fn new_code() -> String {
    loop {
        let mut b = [0u8; 4];
        // getrandom fails only when the OS has no entropy source at all.
        getrandom::fill(&mut b).expect("operating system random source");
        let n = u32::from_le_bytes(b);
        // Below the largest multiple of 10^6, every code is equally likely.
        if n < 4_294_000_000 {
            return format!("{:0width$}", n % 1_000_000, width = CODE_DIGITS);
        }
    }
}

/// Sends a confirmation code to the number for a survey that asks for one; answers the
/// number masked (138****5678).
pub async fn send_code(state: &AppState, id: i64, phone: &str) -> Result<String, AppError> {
    let mobile = mobile(phone).ok_or_else(|| refused(SurveyRefusal::BadPhone))?;
    let sms = state.sms.clone().ok_or_else(|| refused(SurveyRefusal::NoSms))?;
    let s = state.store.survey(id).await?.ok_or_else(|| AppError::NotFound("未找到调查".into()))?;
    let code = new_code();
    state.store.record_survey_code(id, &phone_hash(id, &mobile), &code_hash(id, &mobile, &code), state.today()).await?;
    let text = format!(
        "您参加网上调查《{}》的验证码为 {code}，{CODE_MINUTES} 分钟内有效。如非本人操作，请忽略本短信。",
        s.title.chars().take(30).collect::<String>()
    );
    if let Err(e) = sms.send(&mobile, &text, state.now()).await {
        tracing::warn!(error = %e, "survey code not sent");
        return Err(AppError::Conflict {
            code: "sms_failed",
            message: "短信发送失败，请 1 分钟后重新获取验证码".into(),
        });
    }
    Ok(format!("{}****{}", &mobile[..3], &mobile[7..]))
}

/// Records a person's answers: once per browser (`voter`, the hash of its token), or once per
/// mobile number confirmed by its code when the survey asks for that.
pub async fn answer(
    state: &AppState,
    id: i64,
    voter: &str,
    phone: &PhoneCode,
    answers: Vec<Option<Answer>>,
) -> Result<(), AppError> {
    let s = state.store.survey(id).await?.ok_or_else(|| AppError::NotFound("未找到调查".into()))?;
    let today = state.today();
    if !s.confirm_phone {
        return Ok(state.store.answer_survey(id, Voter::Browser(voter), answers, today).await?);
    }
    if phone.phone.trim().is_empty() {
        return Err(refused(SurveyRefusal::PhoneRequired));
    }
    let mobile = mobile(&phone.phone).ok_or_else(|| refused(SurveyRefusal::BadPhone))?;
    let (p, c) = (phone_hash(id, &mobile), code_hash(id, &mobile, &phone.code));
    Ok(state.store.answer_survey(id, Voter::Phone { phone_hash: &p, code_hash: &c }, answers, today).await?)
}

/// Publishes the results with how they were used.
pub async fn publish_results(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    usage: &str,
) -> Result<SurveyView, AppError> {
    let s = state.store.publish_survey_results(ctx, actor, id, usage).await?;
    full_view(state, &s, None, Some(actor)).await
}
