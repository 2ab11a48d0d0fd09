//! The website self-check (网站自查) in the store: the columns as the portal shows them (the
//! public items of a section and its subsections, and the rows of the lists it shows), and
//! the runs with their findings. The rules are `core::site_check`; the links and files are
//! opened by the application layer.

use crate::db::Sql;
use crate::public::public_from;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::OrgPath;
use gongkai_core::index_no::beijing_date;
use gongkai_core::site_check::{Column, Finding, Rule, Severity};
use sea_query::Value;
use std::collections::HashMap;

/// Findings kept per run at most (a site with more has bigger problems than the list shows).
pub const MAX_FINDINGS: usize = 5000;
/// Runs kept; older ones go when a new one is saved.
pub const RUNS_KEPT: i64 = 120;

/// A stored run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteCheckRun {
    pub id: i64,
    pub checked_on: NaiveDate,
    /// `daily` or `manual`.
    pub trigger_kind: String,
    pub by_user: String,
    pub ran_at: DateTime<Utc>,
    pub items_checked: i64,
    pub links_checked: i64,
    pub files_checked: i64,
}

/// A run to store.
#[derive(Debug, Clone)]
pub struct NewSiteCheck {
    pub checked_on: NaiveDate,
    pub daily: bool,
    pub by_user: String,
    pub items_checked: i64,
    pub links_checked: i64,
    pub files_checked: i64,
}

/// A stored finding, its target already a link.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct FindingRow {
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub rule: Rule,
    #[sqlx(try_from = "String")]
    pub severity: Severity,
    pub subject: String,
    pub detail: String,
    pub href: String,
    pub days_left: Option<i64>,
}

type SectionRow = (i64, i64, Option<i64>, String, String, String, String);

impl Store {
    /// Every org's columns as the portal shows them: a top-level section counts the public
    /// items of its subsections and the live rows of the lists it shows (by the org).
    pub async fn site_columns(&self) -> Result<Vec<Column>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let sections: Vec<SectionRow> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT id, org_id, parent_id, name, update_rule, basis, list_kinds FROM catalog_sections ORDER BY org_id, parent_id IS NOT NULL, position, id",
                vec![],
            ))
            .await?;
        let stats: Vec<(i64, i64, Option<DateTime<Utc>>)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT r.section_id, COUNT(*), MAX(i.published_at) {} AND r.section_id IS NOT NULL GROUP BY r.section_id",
                    public_from!()
                ),
                vec![self.now().into()],
            ))
            .await?;
        let lists: Vec<(i64, String, i64, Option<NaiveDate>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT org_id, kind, COUNT(*), MAX(updated_on) FROM list_rows WHERE removed_on IS NULL GROUP BY org_id, kind",
                vec![],
            ))
            .await?;
        let stats: HashMap<i64, (i64, Option<NaiveDate>)> =
            stats.into_iter().map(|(s, n, last)| (s, (n, last.map(beijing_date)))).collect();
        let lists: HashMap<(i64, &str), (i64, Option<NaiveDate>)> =
            lists.iter().map(|(o, k, n, last)| ((*o, k.as_str()), (*n, *last))).collect();
        let mut columns: Vec<Column> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for (id, org_id, parent_id, name, update_rule, basis, list_kinds) in &sections {
            let (mut count, mut last) = stats.get(id).copied().unwrap_or((0, None));
            for code in list_kinds.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                if let Some((n, l)) = lists.get(&(*org_id, code)) {
                    count += n;
                    last = last.max(*l);
                }
            }
            // A subsection shows on its own and in its parent.
            if let Some(parent) = parent_id.and_then(|p| index.get(&p).copied()).and_then(|at| columns.get_mut(at)) {
                parent.count += count;
                parent.last = parent.last.max(last);
            }
            index.insert(*id, columns.len());
            columns.push(Column {
                org_id: *org_id,
                section_id: *id,
                name: name.clone(),
                update_rule: update_rule.clone(),
                basis: basis.clone(),
                count,
                last,
            });
        }
        Ok(columns)
    }

    /// The latest publication of an org's tree (a site: its home page lists them), as a
    /// Beijing date.
    pub async fn last_public_date_under(&self, root: &OrgPath) -> Result<Option<NaiveDate>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (last,): (Option<DateTime<Utc>>,) = conn
            .ex()
            .fetch_one(Sql(
                &format!("SELECT MAX(i.published_at) {} AND o.path LIKE $2", public_from!()),
                vec![self.now().into(), format!("{}%", root.as_str()).into()],
            ))
            .await?;
        Ok(last.map(beijing_date))
    }

    /// Stores a run and its findings (at most [`MAX_FINDINGS`]); `None` when a daily run of
    /// that day is already stored (another node made it). Old runs beyond [`RUNS_KEPT`] go.
    pub async fn save_site_check(
        &self,
        run: &NewSiteCheck,
        findings: &[(Finding, String)],
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql(
                "INSERT INTO site_check_runs (checked_on, trigger_kind, by_user, ran_at, items_checked, links_checked, files_checked) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (checked_on) WHERE trigger_kind = 'daily' DO NOTHING RETURNING id",
                vec![
                    run.checked_on.into(),
                    (if run.daily { "daily" } else { "manual" }).into(),
                    run.by_user.clone().into(),
                    self.now().into(),
                    run.items_checked.into(),
                    run.links_checked.into(),
                    run.files_checked.into(),
                ],
            ))
            .await?;
        let Some((id,)) = id else {
            return Ok(None);
        };
        let rows: Vec<Vec<Value>> = findings
            .iter()
            .take(MAX_FINDINGS)
            .enumerate()
            .map(|(i, (f, href))| {
                vec![
                    id.into(),
                    (i as i64).into(),
                    f.org_id.into(),
                    f.rule.as_str().into(),
                    f.severity.as_str().into(),
                    f.subject.clone().into(),
                    f.detail.clone().into(),
                    href.clone().into(),
                    f.days_left.into(),
                ]
            })
            .collect();
        crate::db::insert_rows(
            &mut tx,
            "site_check_findings (run_id, position, org_id, rule, severity, subject, detail, href, days_left)",
            rows,
        )
        .await?;
        let oldest_kept = "(SELECT MIN(id) FROM (SELECT id FROM site_check_runs ORDER BY id DESC LIMIT $1) kept)";
        tx.ex()
            .execute(Sql(
                &format!("DELETE FROM site_check_findings WHERE run_id < {oldest_kept}"),
                vec![RUNS_KEPT.into()],
            ))
            .await?;
        tx.ex()
            .execute(Sql(&format!("DELETE FROM site_check_runs WHERE id < {oldest_kept}"), vec![RUNS_KEPT.into()]))
            .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The latest run.
    pub async fn latest_site_check(&self) -> Result<Option<SiteCheckRun>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT id, checked_on, trigger_kind, by_user, ran_at, items_checked, links_checked, files_checked \
                 FROM site_check_runs ORDER BY id DESC LIMIT 1",
                vec![],
            ))
            .await
    }

    /// The daily run of a day, if one is stored.
    pub async fn daily_site_check(&self, day: NaiveDate) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64,)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT id FROM site_check_runs WHERE checked_on = $1 AND trigger_kind = 'daily'",
                vec![day.into()],
            ))
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// A run's findings about these orgs (all when `None`), in their order.
    pub async fn site_check_findings(&self, run_id: i64, orgs: Option<&[i64]>) -> Result<Vec<FindingRow>, StoreError> {
        let mut values: Vec<Value> = vec![run_id.into()];
        let filter = match orgs {
            Some([]) => return Ok(Vec::new()),
            Some(ids) => {
                values.extend(ids.iter().map(|i| Value::from(*i)));
                format!(" AND org_id IN ({})", crate::db::placeholders(2, ids.len()))
            }
            None => String::new(),
        };
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT org_id, rule, severity, subject, detail, href, days_left FROM site_check_findings \
                     WHERE run_id = $1{filter} ORDER BY position"
                ),
                values,
            ))
            .await
    }
}

impl Store {
    /// Records one probe of the home page: its HTTP status (0: no answer), the time it took
    /// and what went wrong. Probes older than 40 days leave.
    pub async fn record_site_probe(&self, status: u16, elapsed_ms: i64, detail: &str) -> Result<(), StoreError> {
        let now = self.now();
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .execute(Sql(
                "INSERT INTO site_probes (at, status, elapsed_ms, detail) VALUES ($1, $2, $3, $4)",
                vec![
                    now.into(),
                    i64::from(status).into(),
                    elapsed_ms.into(),
                    detail.chars().take(200).collect::<String>().into(),
                ],
            ))
            .await?;
        conn.ex()
            .execute(Sql("DELETE FROM site_probes WHERE at < $1", vec![(now - chrono::Duration::days(40)).into()]))
            .await?;
        Ok(())
    }

    /// The probes since `since` and how many of them did not open the page (no answer, or a
    /// status outside 200–399); `None` when there were none (probing is off).
    pub async fn site_probes_since(
        &self,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<gongkai_core::site_check::Probes>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (total, failed): (i64, i64) = conn
            .ex()
            .fetch_one(Sql(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status BETWEEN 200 AND 399 THEN 0 ELSE 1 END), 0) \
                 FROM site_probes WHERE at >= $1",
                vec![since.into()],
            ))
            .await?;
        Ok((total > 0).then(|| gongkai_core::site_check::Probes {
            total: u64::try_from(total).unwrap_or(0),
            failed: u64::try_from(failed).unwrap_or(0),
        }))
    }
}
