//! The government gazette (政府公报), the use cases: the public browses issues by year, reads an
//! issue's table of contents by section (and its print view), searches within the gazette,
//! and sees on an item's page the issues that carried it; the office opens issues, selects
//! published items into them, publishes them with the official PDF, and follows departments'
//! submissions on the 5-working-day clock; departments submit their 规范性文件.

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::clock::{Completion, Urgency};
use gongkai_core::gazette::{GazetteSection, status_label, submit_clock, submit_status};
use gongkai_store::{Article, AuditCtx, Issue, Org};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An issue as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssueView {
    pub id: i64,
    pub org_name: String,
    pub year: i64,
    pub number: i64,
    pub total: i64,
    /// 2026年第3期（总第58期）.
    pub label: String,
    pub title: String,
    pub state: String,
    pub state_label: &'static str,
    pub published_on: Option<NaiveDate>,
    pub pdf_url: String,
}

fn issue_view(i: &Issue, orgs: &HashMap<i64, Org>) -> IssueView {
    IssueView {
        id: i.id,
        org_name: orgs.get(&i.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        year: i.year,
        number: i.number,
        total: i.total,
        label: i.label(),
        title: i.title.clone(),
        state: i.state.as_str().into(),
        state_label: i.state.label(),
        published_on: i.published_on,
        pdf_url: i.pdf_url.clone(),
    }
}

/// An article in a table of contents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    pub item_id: i64,
    pub section: String,
    pub section_label: &'static str,
    pub title: String,
    pub doc_no: String,
    pub org_name: String,
}

fn article_view(a: &Article) -> ArticleView {
    ArticleView {
        item_id: a.item_id,
        section: a.section.as_str().into(),
        section_label: a.section.label(),
        title: a.title.clone(),
        doc_no: a.doc_no.clone(),
        org_name: a.org_name.clone(),
    }
}

/// An issue with its table of contents, grouped by section in printing order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuePage {
    pub issue: IssueView,
    pub articles: Vec<ArticleView>,
}

impl IssuePage {
    /// The sections that have articles, each with its articles.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&ArticleView>)> {
        GazetteSection::ALL
            .iter()
            .map(|s| (s.label(), self.articles.iter().filter(|a| a.section == s.as_str()).collect::<Vec<_>>()))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }
}

async fn orgs_by_id(state: &AppState) -> Result<HashMap<i64, Org>, AppError> {
    Ok(state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect())
}

/// The published issues of a year (the latest year when none is given), with the years.
pub async fn public_year(state: &AppState, year: Option<i32>) -> Result<(Vec<i64>, i64, Vec<IssueView>), AppError> {
    let years = state.store.gazette_years().await?;
    let year = year
        .map(i64::from)
        .or_else(|| years.first().copied())
        .unwrap_or_else(|| i64::from(chrono::Datelike::year(&state.store.today())));
    let orgs = orgs_by_id(state).await?;
    let issues = state.store.gazette_issues(Some(year as i32), true).await?;
    Ok((years, year, issues.iter().map(|i| issue_view(i, &orgs)).collect()))
}

/// A published issue (404 while it is being edited).
pub async fn public_issue(state: &AppState, id: i64) -> Result<IssuePage, AppError> {
    let gone = || AppError::NotFound("未找到该期公报".into());
    let issue = state.store.gazette_issue(id).await?.ok_or_else(gone)?;
    if issue.published_on.is_none() {
        return Err(gone());
    }
    let orgs = orgs_by_id(state).await?;
    let articles = state.store.gazette_articles(id).await?.iter().map(article_view).collect();
    Ok(IssuePage { issue: issue_view(&issue, &orgs), articles })
}

/// Articles of published issues whose title or document number contains `q`.
pub async fn search(state: &AppState, q: &str) -> Result<Vec<(IssueView, ArticleView)>, AppError> {
    let hits = state.store.search_gazette(q).await?;
    let orgs = orgs_by_id(state).await?;
    let mut issues: HashMap<i64, IssueView> = HashMap::new();
    let mut out = Vec::new();
    for (issue_id, a) in hits {
        if !issues.contains_key(&issue_id)
            && let Some(i) = state.store.gazette_issue(issue_id).await?
        {
            issues.insert(issue_id, issue_view(&i, &orgs));
        }
        if let Some(i) = issues.get(&issue_id) {
            out.push((i.clone(), article_view(&a)));
        }
    }
    Ok(out)
}

/// The published issues that carried an item, as (id, label).
pub async fn issues_of_item(state: &AppState, item_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .gazette_issues_of(item_id)
        .await?
        .iter()
        .map(|i| (i.id, format!("{}{}", i.title, i.label())))
        .collect())
}

/// The gazette's government for the office: the top org the actor supervises.
async fn gov_of(state: &AppState, actor: &Actor) -> Result<Org, AppError> {
    crate::app::orgs::own(state, actor).await
}

/// Every issue (drafts included) of the governments the actor oversees.
pub async fn staff_issues(state: &AppState, actor: &Actor) -> Result<Vec<IssueView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    Ok(state
        .store
        .gazette_issues(None, false)
        .await?
        .iter()
        .filter(|i| orgs.get(&i.org_id).is_some_and(|o| actor.may_supervise(&o.path).is_ok()))
        .map(|i| issue_view(i, &orgs))
        .collect())
}

/// True when the actor edits the gazette of their own org (its office).
pub fn edits(actor: &Actor) -> bool {
    gongkai_core::gazette::may_edit(actor, &actor.org_path).is_ok()
}

/// An issue for the office, drafts included.
pub async fn staff_issue(state: &AppState, actor: &Actor, id: i64) -> Result<IssuePage, AppError> {
    let issue = state.store.gazette_issue(id).await?.ok_or_else(|| AppError::NotFound("未找到该期公报".into()))?;
    let orgs = orgs_by_id(state).await?;
    if let Some(o) = orgs.get(&issue.org_id) {
        actor.may_supervise(&o.path)?;
    }
    let articles = state.store.gazette_articles(id).await?.iter().map(article_view).collect();
    Ok(IssuePage { issue: issue_view(&issue, &orgs), articles })
}

/// Opens the next issue of the actor's government.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: Option<i32>,
    title: &str,
) -> Result<IssueView, AppError> {
    let gov = gov_of(state, actor).await?;
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.store.today()));
    let issue = state.store.create_gazette_issue(ctx, actor, gov.id, year, title).await?;
    Ok(issue_view(&issue, &orgs_by_id(state).await?))
}

/// Adds a published item to a draft issue, in a section.
pub async fn add_article(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    issue_id: i64,
    item_id: i64,
    section: &str,
) -> Result<(), AppError> {
    let section = GazetteSection::parse(section)
        .ok_or_else(|| AppError::invalid("invalid", "栏目应为：政府规章、政府文件、部门文件、人事任免、其他"))?;
    Ok(state.store.add_gazette_article(ctx, actor, issue_id, item_id, section).await?)
}

/// Takes an article out of a draft issue.
pub async fn remove_article(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    issue_id: i64,
    item_id: i64,
) -> Result<(), AppError> {
    Ok(state.store.remove_gazette_article(ctx, actor, issue_id, item_id).await?)
}

/// Publishes a draft issue with the official PDF's address.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    issue_id: i64,
    pdf_url: &str,
) -> Result<IssueView, AppError> {
    let issue = state.store.publish_gazette_issue(ctx, actor, issue_id, pdf_url).await?;
    Ok(issue_view(&issue, &orgs_by_id(state).await?))
}

/// A department's document on the submission clock.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmissionView {
    pub item_id: i64,
    pub title: String,
    pub genre: String,
    pub org_id: i64,
    pub org_name: String,
    pub published_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub submission_id: Option<i64>,
    pub submitted_on: Option<NaiveDate>,
    /// on_time, late, due, near, overdue.
    pub status: &'static str,
    pub status_label: &'static str,
    /// submitted, selected, declined.
    pub state: String,
    pub reason: String,
    pub issue_id: Option<i64>,
}

/// Per org: documents due, submitted on time, late, and overdue.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SubmissionFigures {
    pub org_id: i64,
    pub org_name: String,
    pub documents: i64,
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
}

/// The departments' documents of the last 12 months under the actor's government, newest
/// first, with the per-org figures (overdue ones flagged).
/// For anyone else, their own org's documents.
pub async fn submissions(
    state: &AppState,
    actor: &Actor,
) -> Result<(Vec<SubmissionView>, Vec<SubmissionFigures>), AppError> {
    let own = gov_of(state, actor).await?;
    let today = state.store.today();
    let since = today - chrono::Duration::days(365);
    // The office sees the departments below its government; a department its own documents.
    let exclude = if edits(actor) { own.id } else { 0 };
    let rows = state.store.gazette_submittables(exclude, own.path.as_str(), since).await?;
    let cal = state.calendar().await?;
    let mut out = Vec::new();
    let mut figures: Vec<SubmissionFigures> = Vec::new();
    for r in rows {
        let published_on = gongkai_core::index_no::beijing_date(r.published_at);
        let status = submit_status(&cal, published_on, r.submitted_on, today).ok();
        // Carried by the office without a submission: nothing is left to submit.
        let carried = r.submission_id.is_none() && r.issue_id.is_some();
        let (code, label) = match status {
            _ if carried => ("carried", "已直接选登"),
            None => ("due", "待报送"),
            Some(s) => {
                let code = match s {
                    Completion::OnTime => "on_time",
                    Completion::Late => "late",
                    Completion::Overdue => "overdue",
                    Completion::Due(Urgency::Near) => "near",
                    Completion::Due(_) => "due",
                };
                (code, status_label(s))
            }
        };
        let f = match figures.iter_mut().find(|f| f.org_id == r.org_id) {
            Some(f) => f,
            None => {
                figures.push(SubmissionFigures {
                    org_id: r.org_id,
                    org_name: r.org_name.clone(),
                    ..Default::default()
                });
                figures.last_mut().expect("pushed")
            }
        };
        f.documents += 1;
        match code {
            "on_time" => f.on_time += 1,
            "late" => f.late += 1,
            "overdue" => f.overdue += 1,
            _ => {}
        }
        out.push(SubmissionView {
            item_id: r.item_id,
            title: r.title,
            genre: r.genre,
            org_id: r.org_id,
            org_name: r.org_name,
            published_on,
            due_on: submit_clock(published_on).due_on(&cal).ok(),
            submission_id: r.submission_id,
            submitted_on: r.submitted_on,
            status: code,
            status_label: label,
            state: r.state.unwrap_or_else(|| if carried { "selected".into() } else { String::new() }),
            reason: r.reason.unwrap_or_default(),
            issue_id: r.issue_id,
        });
    }
    figures.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.org_name.cmp(&b.org_name)));
    Ok((out, figures))
}

/// The documents of one org, and of one status (`overdue`, `late`, …), when asked: what a
/// figure of the per-org table stands for.
pub fn narrowed(submissions: Vec<SubmissionView>, org_id: Option<i64>, status: Option<&str>) -> Vec<SubmissionView> {
    submissions
        .into_iter()
        .filter(|s| org_id.is_none_or(|o| s.org_id == o) && status.is_none_or(|st| s.status == st))
        .collect()
}

/// Submits an item of the actor's org to the gazette.
pub async fn submit(state: &AppState, actor: &Actor, ctx: &AuditCtx, item_id: i64) -> Result<i64, AppError> {
    Ok(state.store.submit_to_gazette(ctx, actor, item_id).await?)
}

/// Declines a submission, with the reason.
pub async fn decline(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64, reason: &str) -> Result<(), AppError> {
    Ok(state.store.decline_gazette_submission(ctx, actor, id, reason).await?)
}

/// An issue to open (API).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CreateBody {
    /// 年度（缺省今年）.
    pub year: Option<i32>,
    /// 刊名（缺省“某某人民政府公报”）.
    #[serde(default)]
    pub title: String,
}
