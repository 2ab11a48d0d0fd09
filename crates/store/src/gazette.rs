//! The gazette in the store: issues numbered in the transaction that creates them, articles
//! (published items) by section, publication of an issue by the office, and departments'
//! submissions with the office's 选登 decision — each change with its audit row. The rules
//! are `core::gazette`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::gazette::{
    GazetteRefusal, GazetteSection, IssueState, SUBMITTED_GENRES, SubmissionState, may_edit, may_submit,
};
use sea_query::Value;
use serde_json::json;

/// A stored issue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Issue {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    pub number: i64,
    pub total: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub state: IssueState,
    pub published_on: Option<NaiveDate>,
    pub pdf_url: String,
    pub version: i64,
}

impl Issue {
    /// 2026年第3期（总第58期）.
    pub fn label(&self) -> String {
        gongkai_core::gazette::issue_label(self.year as i32, self.number, self.total)
    }
}

const ISSUE_COLUMNS: &str = "id, org_id, year, number, total, title, state, published_on, pdf_url, version";

/// An article of an issue: the item's public title and numbers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Article {
    pub item_id: i64,
    #[sqlx(try_from = "String")]
    pub section: GazetteSection,
    pub position: i64,
    pub title: String,
    pub doc_no: String,
    pub org_name: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// An article found by a search, with its issue.
#[derive(sqlx::FromRow)]
struct Hit {
    issue_id: i64,
    #[sqlx(flatten)]
    article: Article,
}

/// A document that must go to the gazette, with its submission if made.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Submittable {
    pub item_id: i64,
    pub title: String,
    pub genre: String,
    pub org_id: i64,
    pub org_name: String,
    pub published_at: DateTime<Utc>,
    pub submission_id: Option<i64>,
    pub submitted_on: Option<NaiveDate>,
    pub state: Option<String>,
    pub reason: Option<String>,
    pub issue_id: Option<i64>,
}

/// Errors of gazette operations.
#[derive(Debug, thiserror::Error)]
pub enum GazetteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] GazetteRefusal),
}

impl From<sqlx::Error> for GazetteError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

impl From<gongkai_core::Denied> for GazetteError {
    fn from(e: gongkai_core::Denied) -> Self {
        Self::Refused(e.into())
    }
}

async fn load_issue(tx: &mut Tx, id: i64) -> Result<Issue, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {ISSUE_COLUMNS} FROM gazette_issues WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("公报 {id}")))
}

/// An item public now, with its org's path: (org_id, path, genre).
async fn public_item(tx: &mut Tx, item_id: i64) -> Result<(i64, String, String), GazetteError> {
    let now = tx.now;
    let row: Option<(i64, String, String)> = tx
        .ex()
        .fetch_optional(Sql(
            &format!(
                "SELECT i.org_id, o.path, i.genre {} {} AND i.id = $2",
                crate::public::public_join!(),
                crate::public::public_where!()
            ),
            vec![now.into(), item_id.into()],
        ))
        .await?;
    row.ok_or_else(|| GazetteRefusal::NotPublic.into())
}

const ARTICLE_SELECT: &str = "SELECT a.item_id, a.section, a.position, r.title, COALESCE(r.doc_no, '') AS doc_no, o.name AS org_name, i.published_at \
    FROM gazette_articles a JOIN items i ON i.id = a.item_id JOIN item_revisions r ON r.item_id = i.id AND r.rev = i.public_rev \
    JOIN orgs o ON o.id = i.org_id";

impl Store {
    /// Opens the next issue of `gov_id`'s gazette for `year` (the office), numbered in the
    /// year and in total.
    pub async fn create_gazette_issue(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        gov_id: i64,
        year: i32,
        title: &str,
    ) -> Result<Issue, GazetteError> {
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, gov_id).await?;
        may_edit(actor, &path)?;
        let (number, total): (i64, i64) = tx
            .ex()
            .fetch_one(Sql(
                "SELECT COALESCE(MAX(CASE WHEN year = $2 THEN number END), 0) + 1, COALESCE(MAX(total), 0) + 1 \
                 FROM gazette_issues WHERE org_id = $1",
                vec![gov_id.into(), i64::from(year).into()],
            ))
            .await?;
        let name: (String,) =
            tx.ex().fetch_one(Sql("SELECT name FROM orgs WHERE id = $1", vec![gov_id.into()])).await?;
        let title = if title.trim().is_empty() { format!("{}公报", name.0) } else { clean(title, 200) };
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO gazette_issues (org_id, year, number, total, title, state, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    gov_id.into(),
                    i64::from(year).into(),
                    number.into(),
                    total.into(),
                    title.into(),
                    IssueState::Draft.as_str().into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        let after = json!({ "year": year, "number": number, "total": total });
        tx.audit(ctx, "gazette.issue.create", "gazette_issue", id.to_string(), String::new(), after.to_string())
            .await?;
        let issue = load_issue(&mut tx, id).await?;
        tx.commit().await?;
        Ok(issue)
    }

    /// Puts a public item of the gazette's tree into a draft issue, in a section, last; a
    /// submission of it is marked 选登 into this issue.
    pub async fn add_gazette_article(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        issue_id: i64,
        item_id: i64,
        section: GazetteSection,
    ) -> Result<(), GazetteError> {
        let mut tx = self.pool.begin().await?;
        let issue = load_issue(&mut tx, issue_id).await?;
        let gov = org_path(&mut tx, issue.org_id).await?;
        may_edit(actor, &gov)?;
        if issue.state == IssueState::Published {
            return Err(GazetteRefusal::Published.into());
        }
        let (_, path, _) = public_item(&mut tx, item_id).await?;
        if !gongkai_core::OrgPath::from_stored(path).is_within(&gov) {
            return Err(StoreError::Invalid("只能刊登本级政府及其所属单位的信息".into()).into());
        }
        let (position,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM gazette_articles WHERE issue_id = $1",
                vec![issue_id.into()],
            ))
            .await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO gazette_articles (issue_id, item_id, section, position) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (issue_id, item_id) DO UPDATE SET section = excluded.section",
                vec![issue_id.into(), item_id.into(), section.as_str().into(), position.into()],
            ))
            .await?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        tx.ex()
            .execute(Sql(
                "UPDATE gazette_submissions SET state = $1, issue_id = $2, decided_by = $3, decided_on = $4, reason = '' \
                 WHERE item_id = $5",
                vec![
                    SubmissionState::Selected.as_str().into(),
                    issue_id.into(),
                    actor.username.as_str().into(),
                    today.into(),
                    item_id.into(),
                ],
            ))
            .await?;
        let after = json!({ "item_id": item_id, "section": section.as_str() });
        tx.audit(ctx, "gazette.article.add", "gazette_issue", issue_id.to_string(), String::new(), after.to_string())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an article out of a draft issue.
    pub async fn remove_gazette_article(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        issue_id: i64,
        item_id: i64,
    ) -> Result<(), GazetteError> {
        let mut tx = self.pool.begin().await?;
        let issue = load_issue(&mut tx, issue_id).await?;
        may_edit(actor, &org_path(&mut tx, issue.org_id).await?)?;
        if issue.state == IssueState::Published {
            return Err(GazetteRefusal::Published.into());
        }
        tx.ex()
            .execute(Sql(
                "DELETE FROM gazette_articles WHERE issue_id = $1 AND item_id = $2",
                vec![issue_id.into(), item_id.into()],
            ))
            .await?;
        tx.ex()
            .execute(Sql(
                "UPDATE gazette_submissions SET state = $1, issue_id = NULL, decided_by = '', decided_on = NULL \
                 WHERE item_id = $2 AND issue_id = $3",
                vec![SubmissionState::Submitted.as_str().into(), item_id.into(), issue_id.into()],
            ))
            .await?;
        let before = json!({ "item_id": item_id });
        tx.audit(
            ctx,
            "gazette.article.remove",
            "gazette_issue",
            issue_id.to_string(),
            before.to_string(),
            String::new(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a draft issue with at least one article, with the official PDF's address.
    pub async fn publish_gazette_issue(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        issue_id: i64,
        pdf_url: &str,
    ) -> Result<Issue, GazetteError> {
        let pdf_url = pdf_url.trim();
        if !pdf_url.is_empty() && !gongkai_core::html::is_web_link(pdf_url) {
            return Err(GazetteRefusal::BadLink.into());
        }
        let mut tx = self.pool.begin().await?;
        let issue = load_issue(&mut tx, issue_id).await?;
        may_edit(actor, &org_path(&mut tx, issue.org_id).await?)?;
        if issue.state == IssueState::Published {
            return Err(GazetteRefusal::Published.into());
        }
        let (n,): (i64,) = tx
            .ex()
            .fetch_one(Sql("SELECT COUNT(*) FROM gazette_articles WHERE issue_id = $1", vec![issue_id.into()]))
            .await?;
        if n == 0 {
            return Err(GazetteRefusal::Empty.into());
        }
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let mut update = Update::new("gazette_issues");
        update.set("state", IssueState::Published.as_str());
        update.set("published_on", today);
        update.set("pdf_url", clean(pdf_url, 500));
        if !update.run(&mut tx, issue_id, issue.version).await? {
            return Err(StoreError::Conflict("本期已被他人修改，请刷新后重试".into()).into());
        }
        // The articles are searched as carried in the gazette from now on.
        let articles: Vec<(i64,)> = tx
            .ex()
            .fetch_all(Sql("SELECT item_id FROM gazette_articles WHERE issue_id = $1", vec![issue_id.into()]))
            .await?;
        let now = tx.now;
        for (item,) in articles {
            crate::items::outbox(&mut tx, "item", item, now).await?;
        }
        let after = json!({ "published_on": today, "articles": n });
        tx.audit(ctx, "gazette.issue.publish", "gazette_issue", issue_id.to_string(), String::new(), after.to_string())
            .await?;
        let issue = load_issue(&mut tx, issue_id).await?;
        tx.commit().await?;
        Ok(issue)
    }

    /// An issue by id.
    pub async fn gazette_issue(&self, id: i64) -> Result<Option<Issue>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {ISSUE_COLUMNS} FROM gazette_issues WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Issues, newest first: of one year or all, published only or all.
    pub async fn gazette_issues(&self, year: Option<i32>, published_only: bool) -> Result<Vec<Issue>, StoreError> {
        let mut cond = String::from("1 = 1");
        let mut values: Vec<Value> = Vec::new();
        if let Some(y) = year {
            values.push(i64::from(y).into());
            cond.push_str(&format!(" AND year = ${}", values.len()));
        }
        if published_only {
            cond.push_str(" AND state = 'published'");
        }
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {ISSUE_COLUMNS} FROM gazette_issues WHERE {cond} ORDER BY year DESC, number DESC LIMIT 500"
                ),
                values,
            ))
            .await
    }

    /// The years that have published issues, newest first.
    pub async fn gazette_years(&self) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT DISTINCT year FROM gazette_issues WHERE state = 'published' ORDER BY year DESC",
                vec![],
            ))
            .await?;
        Ok(rows.into_iter().map(|(y,)| y).collect())
    }

    /// An issue's articles in printing order (section, then position); only items still public.
    pub async fn gazette_articles(&self, issue_id: i64) -> Result<Vec<Article>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let mut list: Vec<Article> = conn
            .ex()
            .fetch_all(Sql(
                &format!("{ARTICLE_SELECT} WHERE a.issue_id = $1 AND i.state <> 'withdrawn' ORDER BY a.position"),
                vec![issue_id.into()],
            ))
            .await?;
        list.sort_by_key(|a| (GazetteSection::ALL.iter().position(|s| *s == a.section), a.position));
        Ok(list)
    }

    /// Published issues carrying an item (for its page's link to the gazette).
    pub async fn gazette_issues_of(&self, item_id: i64) -> Result<Vec<Issue>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {} FROM gazette_issues g WHERE g.state = 'published' \
                     AND g.id IN (SELECT issue_id FROM gazette_articles WHERE item_id = $1) ORDER BY g.year, g.number",
                    ISSUE_COLUMNS.split(", ").map(|c| format!("g.{c}")).collect::<Vec<_>>().join(", ")
                ),
                vec![item_id.into()],
            ))
            .await
    }

    /// Published issues whose articles' titles contain `q`, with the matching articles.
    pub async fn search_gazette(&self, q: &str) -> Result<Vec<(i64, Article)>, StoreError> {
        let q: String = q.trim().chars().take(50).collect();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let escaped = crate::db::like_escape(&q);
        let mut conn = self.pool.conn().await?;
        let rows: Vec<Hit> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT a.issue_id, a.item_id, a.section, a.position, r.title, COALESCE(r.doc_no, '') AS doc_no, o.name AS org_name, i.published_at \
                 FROM gazette_articles a JOIN gazette_issues g ON g.id = a.issue_id AND g.state = 'published' \
                 JOIN items i ON i.id = a.item_id JOIN item_revisions r ON r.item_id = i.id AND r.rev = i.public_rev \
                 JOIN orgs o ON o.id = i.org_id WHERE i.state <> 'withdrawn' AND (r.title LIKE $1 ESCAPE '\\' OR COALESCE(r.doc_no, '') LIKE $1 ESCAPE '\\') \
                 ORDER BY g.year DESC, g.number DESC, a.position LIMIT 200",
                vec![format!("%{escaped}%").into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|h| (h.issue_id, h.article)).collect())
    }

    /// Submits a public 规章 or 规范性文件 of the actor's org to the gazette of the government
    /// above it (the nearest government that is not the org itself, else the top org).
    pub async fn submit_to_gazette(&self, ctx: &AuditCtx, actor: &Actor, item_id: i64) -> Result<i64, GazetteError> {
        let mut tx = self.pool.begin().await?;
        let (org_id, path, genre) = public_item(&mut tx, item_id).await?;
        may_submit(actor, &gongkai_core::OrgPath::from_stored(path.clone()))?;
        if !SUBMITTED_GENRES.contains(&genre.as_str()) {
            return Err(StoreError::Invalid("只有规章和行政规范性文件须报送公报".into()).into());
        }
        let gov: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT id FROM orgs WHERE kind = 'government' AND id <> $2 AND $1 LIKE path || '%' \
                 ORDER BY LENGTH(path) DESC LIMIT 1",
                vec![path.clone().into(), org_id.into()],
            ))
            .await?;
        let gov_id = match gov {
            Some((g,)) => g,
            None => org_id,
        };
        let exists: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql("SELECT id FROM gazette_submissions WHERE item_id = $1", vec![item_id.into()]))
            .await?;
        if exists.is_some() {
            return Err(GazetteRefusal::AlreadySubmitted.into());
        }
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO gazette_submissions (item_id, org_id, gov_id, submitted_by, submitted_on, state) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    item_id.into(),
                    org_id.into(),
                    gov_id.into(),
                    actor.username.as_str().into(),
                    today.into(),
                    SubmissionState::Submitted.as_str().into(),
                ],
            ))
            .await?;
        let after = json!({ "item_id": item_id, "gov_id": gov_id });
        tx.audit(ctx, "gazette.submit", "gazette_submission", id.to_string(), String::new(), after.to_string()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Declines a submission (the office), with the reason.
    pub async fn decline_gazette_submission(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<(), GazetteError> {
        if reason.trim().is_empty() {
            return Err(GazetteRefusal::Required("不予选登的理由").into());
        }
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64, String)> = tx
            .ex()
            .fetch_optional(Sql("SELECT gov_id, state FROM gazette_submissions WHERE id = $1", vec![id.into()]))
            .await?;
        let (gov_id, state) = row.ok_or_else(|| StoreError::NotFound(format!("公报报送 {id}")))?;
        may_edit(actor, &org_path(&mut tx, gov_id).await?)?;
        if state != SubmissionState::Submitted.as_str() {
            return Err(GazetteRefusal::Decided.into());
        }
        let today = gongkai_core::index_no::beijing_date(tx.now);
        tx.ex()
            .execute(Sql(
                "UPDATE gazette_submissions SET state = $1, reason = $2, decided_by = $3, decided_on = $4 WHERE id = $5",
                vec![
                    SubmissionState::Declined.as_str().into(),
                    clean(reason, 500).into(),
                    actor.username.as_str().into(),
                    today.into(),
                    id.into(),
                ],
            ))
            .await?;
        let after = json!({ "reason": reason });
        tx.audit(ctx, "gazette.decline", "gazette_submission", id.to_string(), String::new(), after.to_string())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The public 规章 and 规范性文件 of the departments under `gov_path` published since
    /// `since`, each with its submission if made.
    pub async fn gazette_submittables(
        &self,
        gov_id: i64,
        gov_path: &str,
        since: NaiveDate,
    ) -> Result<Vec<Submittable>, StoreError> {
        let now = self.now();
        let since = since.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - chrono::Duration::hours(8)).unwrap_or(now);
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT i.id AS item_id, r.title, i.genre, i.org_id, o.name AS org_name, i.published_at, \
                     s.id AS submission_id, s.submitted_on, s.state, s.reason, \
                     COALESCE(s.issue_id, (SELECT MIN(a.issue_id) FROM gazette_articles a WHERE a.item_id = i.id)) AS issue_id \
                     {} LEFT JOIN gazette_submissions s ON s.item_id = i.id {} \
                     AND i.genre IN ($2, $3) AND o.path LIKE $4 AND i.org_id <> $5 AND i.published_at >= $6 \
                     ORDER BY i.published_at DESC, i.id DESC LIMIT 2000",
                    crate::public::public_join!(),
                    crate::public::public_where!()
                ),
                vec![
                    now.into(),
                    SUBMITTED_GENRES[0].into(),
                    SUBMITTED_GENRES[1].into(),
                    format!("{gov_path}%").into(),
                    gov_id.into(),
                    since.into(),
                ],
            ))
            .await
    }
}

impl Store {
    /// Which of `ids` are carried in a published issue of the gazette (the search's 公报 facet).
    pub async fn gazette_item_ids(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>, StoreError> {
        self.ids_among(
            "SELECT DISTINCT a.item_id FROM gazette_articles a JOIN gazette_issues g ON g.id = a.issue_id \
             WHERE g.state = 'published' AND a.item_id IN ({ids})",
            ids,
        )
        .await
    }
}

/// A historical issue to import: its numbers as printed, its day and its PDF.
#[derive(Debug, Clone)]
pub struct PastIssue {
    pub year: i32,
    pub number: i64,
    pub total: i64,
    pub published_on: NaiveDate,
    pub pdf_url: String,
    /// The issue's title (empty: the government's name + 公报).
    pub title: String,
}

impl Store {
    /// Imports a published historical issue of the gazette of `gov_id` (the operator's work,
    /// from the command line): the issue with its printed numbers — found again by year and
    /// number, so an import can be run twice — and its articles, already imported as public
    /// items, in order under their sections. Answers the issue.
    pub async fn import_gazette_issue(
        &self,
        ctx: &AuditCtx,
        gov_id: i64,
        past: &PastIssue,
        articles: &[(i64, GazetteSection)],
    ) -> Result<Issue, GazetteError> {
        if !(1949..=2100).contains(&past.year) || past.number < 1 || past.total < past.number {
            return Err(StoreError::Invalid(format!(
                "期号无效：{}年第{}期（总第{}期）",
                past.year, past.number, past.total
            ))
            .into());
        }
        if !past.pdf_url.trim().is_empty() && !gongkai_core::html::is_web_link(past.pdf_url.trim()) {
            return Err(GazetteRefusal::BadLink.into());
        }
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let found: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT id FROM gazette_issues WHERE org_id = $1 AND year = $2 AND number = $3",
                vec![gov_id.into(), i64::from(past.year).into(), past.number.into()],
            ))
            .await?;
        let id = match found {
            Some((id,)) => id,
            None => {
                let name: (String,) =
                    tx.ex().fetch_one(Sql("SELECT name FROM orgs WHERE id = $1", vec![gov_id.into()])).await?;
                let title =
                    if past.title.trim().is_empty() { format!("{}公报", name.0) } else { clean(&past.title, 200) };
                let (id,): (i64,) = tx
                    .ex()
                    .fetch_one(Sql(
                        "INSERT INTO gazette_issues (org_id, year, number, total, title, state, published_on, pdf_url, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                        vec![
                            gov_id.into(),
                            i64::from(past.year).into(),
                            past.number.into(),
                            past.total.into(),
                            title.into(),
                            IssueState::Published.as_str().into(),
                            past.published_on.into(),
                            clean(&past.pdf_url, 500).into(),
                            ctx.actor.as_str().into(),
                            now.into(),
                        ],
                    ))
                    .await?;
                id
            }
        };
        for (item, section) in articles {
            let public: Option<(i64,)> = tx
                .ex()
                .fetch_optional(Sql(
                    "SELECT id FROM items WHERE id = $1 AND public_rev IS NOT NULL AND state <> 'withdrawn'",
                    vec![(*item).into()],
                ))
                .await?;
            if public.is_none() {
                return Err(GazetteRefusal::NotPublic.into());
            }
            let (position,): (i64,) = tx
                .ex()
                .fetch_one(Sql(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM gazette_articles WHERE issue_id = $1",
                    vec![id.into()],
                ))
                .await?;
            tx.ex()
                .execute(Sql(
                    "INSERT INTO gazette_articles (issue_id, item_id, section, position) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (issue_id, item_id) DO NOTHING",
                    vec![id.into(), (*item).into(), section.as_str().into(), position.into()],
                ))
                .await?;
            crate::items::outbox(&mut tx, "item", *item, now).await?;
        }
        let after =
            json!({ "year": past.year, "number": past.number, "total": past.total, "articles": articles.len() });
        tx.audit(ctx, "gazette.issue.import", "gazette_issue", id.to_string(), String::new(), after.to_string())
            .await?;
        let issue = load_issue(&mut tx, id).await?;
        tx.commit().await?;
        Ok(issue)
    }
}
