//! Annual reports: the facts they are computed from, the draft the office writes, approval
//! (which refuses a report that does not tie out and freezes the computed report as a
//! snapshot) and publication of that snapshot.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx};
use crate::orgs::Org;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::report::{
    self, AnnualReport, EnteredFigures, FeeSummary, Problem, RemedyFact, RemedyKind, RemedyResult, ReportState,
    ReportStep, RequestFact, RuleFact, Scope,
};
use gongkai_core::request::{ApplicantType, Outcome};
use gongkai_core::{Actor, OrgPath, Role};
use sea_query::Value;

/// A report row as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub scope: Scope,
    #[sqlx(try_from = "String")]
    pub state: ReportState,
    pub overview: String,
    pub problems: String,
    pub other: String,
    pub restatement: String,
    /// JSON of [`EnteredFigures`].
    pub entered: String,
    /// JSON of the [`AnnualReport`] frozen at approval.
    pub snapshot: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReportRow {
    /// The entered figures.
    pub fn entered(&self) -> EnteredFigures {
        serde_json::from_str(&self.entered).unwrap_or_default()
    }

    /// The frozen report, once approved.
    pub fn frozen(&self) -> Option<AnnualReport> {
        self.snapshot.as_deref().and_then(|s| serde_json::from_str(s).ok())
    }
}

/// A group of requests as read: applicant type, year received, year replied (0: open),
/// outcome ('' for none), how many.
type RequestRow = (String, i32, i32, String, i64);

/// A group of normative documents as read: genre, year made, year repealed (0: none),
/// lapsed, how many.
type RuleRow = (String, i32, i32, bool, i64);

const COLUMNS: &str = "id, org_id, year, scope, state, overview, problems, other, restatement, entered, snapshot, \
    approved_by, approved_at, published_at, version, created_at, updated_at";

/// What the office writes.
#[derive(Debug, Clone, Default)]
pub struct ReportDraft {
    pub overview: String,
    pub problems: String,
    pub other: String,
    pub restatement: String,
    pub entered: EnteredFigures,
}

/// Why a report was not approved or saved.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The tables do not tie out, or parts are missing.
    #[error("年度报告未通过校验，不能审核通过")]
    Problems(Vec<Problem>),
    /// Anything else.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReportError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// Who may write an org's report: its editors, its disclosure office (supervisors) and its
/// administrators.
pub fn may_draft(actor: &Actor, org: &OrgPath) -> Result<(), gongkai_core::Denied> {
    [Role::Editor, Role::Supervisor, Role::Admin]
        .iter()
        .map(|r| actor.may_work_in(*r, org))
        .find(Result::is_ok)
        .unwrap_or_else(|| actor.may_work_in(Role::Editor, org))
}

/// Who may approve and publish it: its approvers (the leader in charge signs it off).
pub fn may_approve(actor: &Actor, org: &OrgPath) -> Result<(), gongkai_core::Denied> {
    actor.may_work_in(Role::Approver, org)
}

fn scope_cond(scope: Scope) -> &'static str {
    match scope {
        Scope::Org => "o.id = $1",
        Scope::Tree => "o.path LIKE $1",
    }
}

fn scope_value(org: &Org, scope: Scope) -> Value {
    match scope {
        Scope::Org => org.id.into(),
        Scope::Tree => format!("{}%", org.path.as_str()).into(),
    }
}

impl Store {
    /// The requests, remedies and normative documents a report counts, and the fees paid.
    pub async fn report_facts(
        &self,
        org: &Org,
        scope: Scope,
        year: i32,
    ) -> Result<(Vec<RequestFact>, Vec<RemedyFact>, Vec<RuleFact>, FeeSummary), StoreError> {
        let cond = scope_cond(scope);
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        // Four reads apart from one another, at once on their own connections: the page
        // waits for the longest (the requests), not the sum.
        let (requests, remedies, rules, (requests_paid, yuan)) = tokio::try_join!(
            async {
                let mut conn = self.pool.conn().await?;
                // The requests by the years their dates fall in, as the triggers of migration
                // 57 keep them per org: a few rows an org, where grouping the requests passed
                // over every one the tree ever received.
                let rows: Vec<RequestRow> = conn
                    .ex()
                    .fetch_all(Sql(
                        &format!(
                            "SELECT t.applicant_type, t.received_year, t.replied_year, t.outcome, CAST(SUM(t.n) AS BIGINT) \
                             FROM request_year_tallies t JOIN orgs o ON o.id = t.org_id WHERE {cond} AND t.received_year <= $2 \
                             GROUP BY t.applicant_type, t.received_year, t.replied_year, t.outcome"
                        ),
                        vec![scope_value(org, scope), i64::from(year).into()],
                    ))
                    .await?;
                let requests = rows
                    .into_iter()
                    .map(|(t, received_year, replied_year, outcome, n)| RequestFact {
                        applicant: ApplicantType::parse(&t).unwrap_or(ApplicantType::OtherOrg),
                        received_year,
                        // 0: not concluded (the tally's key holds no NULL).
                        concluded_year: (replied_year != 0).then_some(replied_year),
                        outcome: Outcome::parse(&outcome),
                        n,
                    })
                    .collect();
                Ok::<_, StoreError>(requests)
            },
            async {
                let mut conn = self.pool.conn().await?;
                let rows: Vec<(String, NaiveDate, String, Option<NaiveDate>)> = conn
                    .ex()
                    .fetch_all(Sql(
                        &format!(
                            "SELECT m.kind, m.filed_on, m.result, m.decided_on FROM request_remedies m \
                         JOIN requests r ON r.id = m.request_id JOIN orgs o ON o.id = r.org_id \
                         WHERE {cond} AND m.filed_on >= $2 AND m.filed_on <= $3"
                        ),
                        vec![scope_value(org, scope), first.into(), last.into()],
                    ))
                    .await?;
                let remedies = rows
                    .into_iter()
                    .map(|(kind, filed_on, result, decided_on)| {
                        Ok(RemedyFact {
                            kind: RemedyKind::try_from(kind)?,
                            filed_on,
                            result: RemedyResult::try_from(result)?,
                            decided_on,
                        })
                    })
                    .collect::<Result<Vec<_>, gongkai_core::code_enum::UnknownCode>>()
                    .map_err(|e| StoreError::Other(Box::new(e)))?;
                Ok::<_, StoreError>(remedies)
            },
            async {
                let mut conn = self.pool.conn().await?;
                // The normative documents by the years their dates fall in, as the triggers
                // of migration 58 keep them per org: a few rows an org, where the count
                // passed over every normative document the tree ever published.
                let rows: Vec<RuleRow> = conn
                    .ex()
                    .fetch_all(Sql(
                        &format!(
                            "SELECT t.genre, t.made_year, t.repealed_year, t.lapsed, CAST(SUM(t.n) AS BIGINT) \
                             FROM rule_year_tallies t JOIN orgs o ON o.id = t.org_id WHERE {cond} \
                             GROUP BY t.genre, t.made_year, t.repealed_year, t.lapsed"
                        ),
                        vec![scope_value(org, scope)],
                    ))
                    .await?;
                let rules = rows
                    .into_iter()
                    .map(|(genre, made_year, repealed_year, lapsed, n)| RuleFact {
                        is_rule: genre == "规章",
                        made_year,
                        // 0: not repealed (the tally's key holds no NULL).
                        repealed_year: (repealed_year != 0).then_some(repealed_year),
                        lapsed,
                        n,
                    })
                    .collect();
                Ok::<_, StoreError>(rules)
            },
            async {
                let mut conn = self.pool.conn().await?;
                let (requests_paid, yuan): (i64, Option<i64>) = conn
                .ex()
                .fetch_one(Sql(
                    &format!(
                        "SELECT COUNT(*), CAST(COALESCE(SUM(r.fee_amount), 0) AS BIGINT) FROM requests r JOIN orgs o ON o.id = r.org_id \
                         WHERE {cond} AND r.fee_paid_on >= $2 AND r.fee_paid_on <= $3"
                    ),
                    vec![scope_value(org, scope), first.into(), last.into()],
                ))
                .await?;
                Ok::<_, StoreError>((requests_paid, yuan))
            },
        )?;
        Ok((requests, remedies, rules, FeeSummary { requests: requests_paid, yuan: yuan.unwrap_or(0) }))
    }

    /// The stored report row, if the office has started one.
    pub async fn report_row(&self, org_id: i64, year: i32, scope: Scope) -> Result<Option<ReportRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                &format!("SELECT {COLUMNS} FROM annual_reports WHERE org_id = $1 AND year = $2 AND scope = $3"),
                vec![org_id.into(), i64::from(year).into(), scope.as_str().into()],
            ))
            .await
    }

    /// The published reports of an org, newest year first.
    pub async fn published_reports(&self, org_id: i64) -> Result<Vec<ReportRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {COLUMNS} FROM annual_reports WHERE org_id = $1 AND state = $2 ORDER BY year DESC, scope"
                ),
                vec![org_id.into(), ReportState::Published.as_str().into()],
            ))
            .await
    }

    /// Every org's published reports, newest year first, in org order within a year.
    pub async fn all_published_reports(&self) -> Result<Vec<ReportRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM annual_reports WHERE state = $1 ORDER BY year DESC, org_id, scope"),
                vec![ReportState::Published.as_str().into()],
            ))
            .await
    }

    /// Every report row for a year (for the supervision dashboard's deadlines).
    pub async fn report_rows_for_year(&self, year: i32) -> Result<Vec<ReportRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM annual_reports WHERE year = $1 ORDER BY org_id"),
                vec![i64::from(year).into()],
            ))
            .await
    }

    /// The report as it stands: the frozen snapshot once approved, otherwise computed now
    /// from the data and the office's draft. Answers it with the stored row, if any.
    pub async fn annual_report(
        &self,
        org: &Org,
        year: i32,
        scope: Scope,
    ) -> Result<(AnnualReport, Option<ReportRow>), StoreError> {
        let row = self.report_row(org.id, year, scope).await?;
        if let Some(frozen) = row.as_ref().and_then(ReportRow::frozen) {
            return Ok((frozen, row));
        }
        let draft = row
            .as_ref()
            .map(|r| ReportDraft {
                overview: r.overview.clone(),
                problems: r.problems.clone(),
                other: r.other.clone(),
                restatement: r.restatement.clone(),
                entered: r.entered(),
            })
            .unwrap_or_default();
        Ok((self.compute_report(org, year, scope, draft).await?, row))
    }

    /// Computes a report from the data.
    pub async fn compute_report(
        &self,
        org: &Org,
        year: i32,
        scope: Scope,
        mut draft: ReportDraft,
    ) -> Result<AnnualReport, StoreError> {
        let (requests, remedies, rules, fees) = self.report_facts(org, scope, year).await?;
        // Part 二's decisions come from the public lists an org keeps; typed only where it keeps none.
        let prefix = matches!(scope, Scope::Tree).then(|| org.path.as_str());
        for (figure, name, count) in self.list_report_figures(org.id, prefix, year).await? {
            draft.entered.set_from_list(&figure, count, &name);
        }
        let title = match scope {
            Scope::Org => format!("{}{year}年政府信息公开工作年度报告", org.name),
            Scope::Tree => format!("{}（含所属单位）{year}年政府信息公开工作年度报告", org.name),
        };
        Ok(AnnualReport {
            org_code: org.code().to_string(),
            org_name: org.name.clone(),
            year,
            scope,
            title,
            period: report::period(year),
            overview: draft.overview,
            proactive: report::proactive_tables(&rules, year, &draft.entered),
            entered: draft.entered,
            requests: report::requests_table(&report::count_requests(&requests, year)),
            remedies: report::remedies_table(&remedies, year),
            problems: draft.problems,
            other: draft.other,
            fees,
            restatement: draft.restatement,
        })
    }

    /// The 结转下年度 row of last year's published report for the same org and scope.
    pub async fn previous_carried_out(
        &self,
        org_id: i64,
        year: i32,
        scope: Scope,
    ) -> Result<Option<Vec<i64>>, StoreError> {
        Ok(self
            .report_row(org_id, year - 1, scope)
            .await?
            .filter(|r| r.state == ReportState::Published)
            .and_then(|r| r.frozen())
            .and_then(|r| report::carried_out(&r)))
    }

    /// The problems that would stop approval now.
    pub async fn report_problems(&self, report: &AnnualReport, org_id: i64) -> Result<Vec<Problem>, StoreError> {
        let prev = self.previous_carried_out(org_id, report.year, report.scope).await?;
        Ok(report::check(report, prev.as_deref()))
    }

    /// Saves the office's texts and figures (creating the draft). An approved report that is
    /// edited goes back to draft and loses its snapshot; a published one cannot be edited.
    pub async fn save_report(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org: &Org,
        year: i32,
        scope: Scope,
        draft: ReportDraft,
    ) -> Result<ReportRow, StoreError> {
        if let Some(a) = actor {
            may_draft(a, &org.path)?;
        }
        check_year(year)?;
        for (label, text) in [
            ("总体情况", &draft.overview),
            ("存在的主要问题及改进情况", &draft.problems),
            ("其他需要报告的事项", &draft.other),
            ("上年结转数据说明", &draft.restatement),
        ] {
            if text.chars().count() > 50_000 {
                return Err(StoreError::Invalid(format!("“{label}”不超过 50000 字")));
            }
        }
        for (label, e) in draft.entered.labelled() {
            if e.value.is_some_and(|v| v < 0) {
                return Err(StoreError::Invalid(format!("“{label}”不能为负数")));
            }
            if e.source.chars().count() > 200 {
                return Err(StoreError::Invalid(format!("“{label}”的数据来源不超过 200 字")));
            }
        }
        let now = self.now();
        let entered = serde_json::to_string(&draft.entered).unwrap_or_else(|_| "{}".into());
        let mut tx = self.pool.begin().await?;
        let existing = row_in(&mut tx, org.id, year, scope).await?;
        let next = ReportStep::Save.next(existing.as_ref().map(|r| r.state), year)?;
        match &existing {
            Some(r) => {
                tx.ex()
                    .execute(Sql(
                        "UPDATE annual_reports SET state = $8, overview = $1, problems = $2, other = $3, restatement = $4, \
                         entered = $5, snapshot = NULL, approved_by = NULL, approved_at = NULL, version = version + 1, \
                         updated_at = $6 WHERE id = $7",
                        vec![
                            draft.overview.trim().into(),
                            draft.problems.trim().into(),
                            draft.other.trim().into(),
                            draft.restatement.trim().into(),
                            entered.into(),
                            now.into(),
                            r.id.into(),
                            next.as_str().into(),
                        ],
                    ))
                    .await?;
            }
            None => {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO annual_reports (org_id, year, scope, state, overview, problems, other, restatement, entered, \
                         created_at, updated_at) VALUES ($1, $2, $3, $10, $4, $5, $6, $7, $8, $9, $9)",
                        vec![
                            org.id.into(),
                            i64::from(year).into(),
                            scope.as_str().into(),
                            draft.overview.trim().into(),
                            draft.problems.trim().into(),
                            draft.other.trim().into(),
                            draft.restatement.trim().into(),
                            entered.into(),
                            now.into(),
                            next.as_str().into(),
                        ],
                    ))
                    .await?;
            }
        }
        let row = row_in(&mut tx, org.id, year, scope).await?.ok_or_else(|| StoreError::NotFound("年度报告".into()))?;
        tx.audit(
            ctx,
            "report.save",
            "annual_report",
            row.id.to_string(),
            existing.map(|r| r.state.as_str().to_string()).unwrap_or_default(),
            serde_json::json!({ "org": org.code(), "year": year, "scope": scope.as_str() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Approves a report: recomputes it, refuses it when it does not tie out or is
    /// incomplete, and freezes it.
    pub async fn approve_report(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org: &Org,
        year: i32,
        scope: Scope,
    ) -> Result<ReportRow, ReportError> {
        if let Some(a) = actor {
            may_approve(a, &org.path).map_err(StoreError::Forbidden)?;
        }
        let row = self.report_row(org.id, year, scope).await?;
        let next = ReportStep::Approve.next(row.as_ref().map(|r| r.state), year).map_err(StoreError::from)?;
        let Some(row) = row else { return Err(StoreError::NotFound(format!("{year}年度报告")).into()) };
        let (report, _) = self.annual_report(org, year, scope).await?;
        let problems = self.report_problems(&report, org.id).await?;
        if !problems.is_empty() {
            return Err(ReportError::Problems(problems));
        }
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let changed = tx
            .ex()
            .execute(Sql(
                "UPDATE annual_reports SET state = $6, snapshot = $1, approved_by = $2, approved_at = $3, \
                 version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5",
                vec![
                    serde_json::to_string(&report).unwrap_or_default().into(),
                    ctx.actor.as_str().into(),
                    now.into(),
                    row.id.into(),
                    row.version.into(),
                    next.as_str().into(),
                ],
            ))
            .await?;
        if changed == 0 {
            return Err(StoreError::Conflict("报告已被他人修改，请刷新后重试".into()).into());
        }
        tx.audit(
            ctx,
            "report.approve",
            "annual_report",
            row.id.to_string(),
            row.state.as_str().into(),
            next.as_str().into(),
        )
        .await?;
        let row = row_in(&mut tx, org.id, year, scope).await?.ok_or_else(|| StoreError::NotFound("年度报告".into()))?;
        tx.commit().await?;
        Ok(row)
    }

    /// Publishes an approved report (its frozen snapshot).
    pub async fn publish_report(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org: &Org,
        year: i32,
        scope: Scope,
    ) -> Result<ReportRow, StoreError> {
        if let Some(a) = actor {
            may_approve(a, &org.path)?;
        }
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let row = row_in(&mut tx, org.id, year, scope).await?;
        let next = ReportStep::Publish.next(row.as_ref().map(|r| r.state), year)?;
        let Some(row) = row else { return Err(StoreError::NotFound(format!("{year}年度报告"))) };
        tx.ex()
            .execute(Sql(
                "UPDATE annual_reports SET state = $3, published_at = $1, version = version + 1, updated_at = $1 WHERE id = $2",
                vec![now.into(), row.id.into(), next.as_str().into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "report.publish",
            "annual_report",
            row.id.to_string(),
            row.state.as_str().into(),
            next.as_str().into(),
        )
        .await?;
        let row = row_in(&mut tx, org.id, year, scope).await?.ok_or_else(|| StoreError::NotFound("年度报告".into()))?;
        tx.commit().await?;
        Ok(row)
    }
}

fn check_year(year: i32) -> Result<(), StoreError> {
    if (2008..=2100).contains(&year) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("年度 {year} 无效（条例自 2008 年起施行）")))
    }
}

async fn row_in(tx: &mut Tx, org_id: i64, year: i32, scope: Scope) -> Result<Option<ReportRow>, StoreError> {
    tx.ex()
        .fetch_optional(Sql(
            &format!("SELECT {COLUMNS} FROM annual_reports WHERE org_id = $1 AND year = $2 AND scope = $3"),
            vec![org_id.into(), i64::from(year).into(), scope.as_str().into()],
        ))
        .await
}
