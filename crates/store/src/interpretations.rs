//! Interpretations (政策解读) in the store: an item becomes an interpretation with its form
//! and details and the policies it explains (item_links of kind `interprets`); a policy's
//! need for one is marked here when the editor overrides its genre, with the drafting org
//! that interprets it (谁起草、谁解读). The approval gate and coverage read these rows; the
//! rules are `core::interpretation`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::Calendar;
use gongkai_core::interpretation::{Coverage, InterpDetails, InterpForm, check_details};
use gongkai_core::{Actor, OrgPath, Role};
use sea_query::Value;
use serde_json::json;

/// An interpretation's own row (items that only name a policy, from before forms, read as
/// 文字解读).
#[derive(Debug, Clone)]
pub struct Interpretation {
    pub item_id: i64,
    pub form: InterpForm,
    pub details: InterpDetails,
}

/// A policy's mark: needs an interpretation or not (None: by genre), and who interprets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    pub needed: Option<bool>,
    pub drafting_org_id: Option<i64>,
    pub note: String,
}

/// A public interpretation as lists show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicInterpretation {
    pub id: i64,
    pub title: String,
    pub org_id: i64,
    pub org_name: String,
    pub published_at: DateTime<Utc>,
    /// The form's code (`text` when the item names a policy without a form of its own).
    pub form: String,
}

impl PublicInterpretation {
    /// The form's label.
    pub fn form_label(&self) -> &'static str {
        InterpForm::parse(&self.form).unwrap_or(InterpForm::Text).label()
    }
}

/// A published policy that needs an interpretation, with its first public interpretation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PolicyCoverage {
    pub id: i64,
    pub title: String,
    pub org_id: i64,
    /// The org that interprets it (the drafting org, else the issuing one).
    pub responsible_org_id: i64,
    pub published_at: DateTime<Utc>,
    pub interpreted_at: Option<DateTime<Utc>>,
}

/// What the figures count of the policies one org answers for (谁起草、谁解读), published in a
/// period: counted in SQL by [`Store::interpretation_counts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoverageCounts {
    /// Policies needing an interpretation.
    pub policies: i64,
    /// With a public interpretation.
    pub interpreted: i64,
    /// Of those, on time (with the policy or within the days).
    pub on_time: i64,
    /// None published and the days are over.
    pub missing: i64,
    /// None published, still within the days.
    pub due: i64,
}

impl CoverageCounts {
    fn add(&mut self, c: Coverage) {
        self.policies += 1;
        self.interpreted += i64::from(c.covered());
        self.on_time += i64::from(c == Coverage::OnTime);
        self.missing += i64::from(c == Coverage::Missing);
        self.due += i64::from(matches!(c, Coverage::Due(_)));
    }
}

/// One org's [`CoverageCounts`] as read.
type CoverageCountsRow = (i64, i64, i64, i64, i64, i64);

/// The policies (and their first interpretation, the interpretations grouped once rather
/// than looked up for each policy) of a period as SQL: `$1` now, `$2..$3` the period, the
/// genres from `$4`. The items that may need one are picked from the index
/// `items_interpretation` before anything is joined to them, so the rest of a year's items
/// are never read. `revision`: with the public revision and its org joined (`r`, `o`: for a
/// list's titles), else from the items alone (for the counts: `public_items_where`).
fn coverage_sql(genres: &[String], columns: &str, tail: &str, revision: bool) -> String {
    let (from, cond) = if revision {
        (crate::public::public_join!(), crate::public::public_where!())
    } else {
        ("FROM items i", crate::public::public_items_where!())
    };
    format!(
        "SELECT {columns}, f.at AS interpreted_at \
         {from} LEFT JOIN interpretation_needs n ON n.item_id = i.id \
         LEFT JOIN (SELECT l.target_id, MIN(x.published_at) AS at FROM item_links l JOIN items x ON x.id = l.item_id \
           WHERE l.kind = 'interprets' AND x.public_rev IS NOT NULL AND x.state <> 'withdrawn' AND x.published_at <= $1 \
           GROUP BY l.target_id) f ON f.target_id = i.id {cond} \
         AND i.published_at >= $2 AND i.published_at < $3 AND {} \
         AND (i.genre IN ({}) OR i.id IN (SELECT item_id FROM interpretation_needs WHERE needed = TRUE)) {tail}",
        needs_sql(4, genres),
        genre_list(4, genres),
    )
}

/// Policies on a page of [`Store::interpretation_coverage`].
pub const COVERAGE_PAGE: usize = 200;

/// Which policies [`Store::interpretation_coverage`] lists, and which page of them.
#[derive(Debug, Clone, Copy)]
pub struct CoverageScope<'a> {
    /// The staff member's org.
    pub org: &'a OrgPath,
    /// Also the orgs within it (a supervisor's view); else the org alone.
    pub tree: bool,
    /// Only the policies an org in scope answers for; else also those an org in scope
    /// issued and another answers for (谁起草、谁解读).
    pub answered_only: bool,
    /// Only the policies this org answers for.
    pub responsible: Option<i64>,
    /// The page, from 1.
    pub page: u32,
}

/// A page of [`Store::interpretation_coverage`]: the policies, newest first, and whether
/// another page follows.
#[derive(Debug, Clone, Default)]
pub struct CoverageList {
    pub rows: Vec<PolicyCoverage>,
    pub more: bool,
}

/// What the counts read of each policy besides its first interpretation.
const COUNTED: &str = "COALESCE(n.drafting_org_id, i.org_id) AS responsible_org_id, i.published_at";

/// The values [`coverage_sql`] binds: now, the period, the genres.
fn coverage_values(now: DateTime<Utc>, (from, to): (DateTime<Utc>, DateTime<Utc>), genres: &[String]) -> Vec<Value> {
    let mut values: Vec<Value> = vec![now.into(), from.into(), to.into()];
    values.extend(genres.iter().map(|g| Value::from(g.as_str())));
    values
}

/// Whether a policy needs an interpretation, as SQL over `i` (items) and `n`
/// (interpretation_needs, left joined), the genres bound from `$first`.
fn needs_sql(first: usize, genres: &[String]) -> String {
    let list = genre_list(first, genres);
    format!("(n.needed = TRUE OR (n.needed IS NULL AND i.genre IN ({list})))")
}

/// The genres' placeholders from `$first` (NULL for none: no genre matches).
fn genre_list(first: usize, genres: &[String]) -> String {
    if genres.is_empty() {
        "NULL".to_string()
    } else {
        (0..genres.len()).map(|k| format!("${}", first + k)).collect::<Vec<_>>().join(", ")
    }
}

/// The states in which an interpretation counts as submitted with its policy.
const SUBMITTED: &str = "('submitted', 'reviewed', 'approved', 'published')";

/// True when the policy needs an interpretation and none is submitted with it (read in the
/// approving transaction).
pub(crate) async fn missing_for(tx: &mut Tx, policy: i64, genres: &[String]) -> Result<bool, StoreError> {
    let mut values: Vec<Value> = vec![policy.into()];
    values.extend(genres.iter().map(|g| Value::from(g.as_str())));
    let (n,): (i64,) = tx
        .ex()
        .fetch_one(Sql(
            &format!(
                "SELECT COUNT(*) FROM items i LEFT JOIN interpretation_needs n ON n.item_id = i.id \
                 WHERE i.id = $1 AND {} AND NOT EXISTS (SELECT 1 FROM item_links l JOIN items x ON x.id = l.item_id \
                 WHERE l.target_id = i.id AND l.kind = 'interprets' AND (x.state IN {SUBMITTED} OR x.public_rev IS NOT NULL))",
                needs_sql(2, genres)
            ),
            values,
        ))
        .await?;
    Ok(n > 0)
}

impl Store {
    /// An item's interpretation row, if it is one.
    pub async fn interpretation(&self, item_id: i64) -> Result<Option<Interpretation>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(String, String)> = conn
            .ex()
            .fetch_optional(Sql("SELECT form, details FROM interpretations WHERE item_id = $1", vec![item_id.into()]))
            .await?;
        Ok(row.map(|(form, details)| Interpretation {
            item_id,
            form: InterpForm::parse(&form).unwrap_or(InterpForm::Text),
            details: serde_json::from_str(&details).unwrap_or_default(),
        }))
    }

    /// The interpretations of a policy in any state (for its editors), oldest first.
    pub async fn interpretations_of(&self, policy: i64) -> Result<Vec<crate::Item>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {} FROM items WHERE id IN (SELECT item_id FROM item_links WHERE target_id = $1 AND kind = 'interprets') ORDER BY id LIMIT 100",
                    crate::items::ITEM_COLUMNS
                ),
                vec![policy.into()],
            ))
            .await
    }

    /// Which of these items are interpretations (name a policy).
    pub async fn interpretation_ids(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>, StoreError> {
        self.ids_among("SELECT DISTINCT item_id FROM item_links WHERE kind = 'interprets' AND item_id IN ({ids})", ids)
            .await
    }

    /// The policies an item interprets, in the order named.
    pub async fn interpreted_policies(&self, item_id: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT target_id FROM item_links WHERE item_id = $1 AND kind = 'interprets' ORDER BY created_at, target_id",
                vec![item_id.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// Makes an item an interpretation of `policies` in `form` (an editor of its org; the
    /// policies must be items the editor may see or public ones). No policies: the item is
    /// no longer an interpretation.
    pub async fn save_interpretation(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        form: InterpForm,
        details: InterpDetails,
        policies: &[i64],
    ) -> Result<(), StoreError> {
        let item = self.item(item_id).await?.ok_or_else(|| StoreError::NotFound(format!("信息 {item_id}")))?;
        let org = self.org_by_id(item.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        actor.may_work_in(Role::Editor, &org.path)?;
        if !policies.is_empty()
            && let Some(p) = check_details(form, &details).into_iter().next()
        {
            return Err(StoreError::Invalid(p.message));
        }
        if policies.len() > 20 {
            return Err(StoreError::Invalid("一篇解读最多关联 20 件政策文件".into()));
        }
        for &t in policies {
            self.check_linkable(actor, item_id, t).await?;
        }
        if let Some(press) = details.press_id
            && self.press_event(press).await?.is_none()
        {
            return Err(StoreError::Invalid("找不到所选的新闻发布会".into()));
        }
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM interpretations WHERE item_id = $1", vec![item_id.into()])).await?;
        if !policies.is_empty() {
            tx.ex()
            .execute(Sql(
                "INSERT INTO interpretations (item_id, form, details, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    item_id.into(),
                    form.as_str().into(),
                    serde_json::to_string(&details).unwrap_or_default().into(),
                    ctx.actor.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        }
        tx.ex()
            .execute(Sql("DELETE FROM item_links WHERE item_id = $1 AND kind = 'interprets'", vec![item_id.into()]))
            .await?;
        let mut seen = Vec::new();
        for &t in policies {
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            tx.ex()
                .execute(Sql(
                    "INSERT INTO item_links (item_id, kind, target_id, created_by, created_at) VALUES ($1, 'interprets', $2, $3, $4)",
                    vec![item_id.into(), t.into(), ctx.actor.as_str().into(), now.into()],
                ))
                .await?;
        }
        // The search index files it under its kind: the index follows.
        crate::items::outbox(&mut tx, "item", item_id, now).await?;
        tx.audit(
            ctx,
            "item.interpretation",
            "item",
            item_id.to_string(),
            String::new(),
            json!({ "form": form.as_str(), "policies": seen }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// Checks that `target` may be named as a policy of interpretation `item_id`.
    pub(crate) async fn check_linkable(&self, actor: &Actor, item_id: i64, target: i64) -> Result<(), StoreError> {
        if target == item_id {
            return Err(StoreError::Invalid("不能关联信息本身".into()));
        }
        let visible = match self.item(target).await? {
            Some(policy) => {
                let porg = self.org_by_id(policy.org_id).await?;
                porg.is_some_and(|o| actor.may_supervise(&o.path).is_ok()) || self.public_item(target).await?.is_some()
            }
            None => false,
        };
        if visible {
            Ok(())
        } else {
            Err(StoreError::Invalid(format!("找不到可关联的政策文件（信息 {target}）")))
        }
    }

    /// A policy's mark (defaults when never marked).
    pub async fn interpretation_need(&self, policy: i64) -> Result<Need, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(Option<bool>, Option<i64>, String)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT needed, drafting_org_id, note FROM interpretation_needs WHERE item_id = $1",
                vec![policy.into()],
            ))
            .await?;
        Ok(row.map(|(needed, drafting_org_id, note)| Need { needed, drafting_org_id, note }).unwrap_or_default())
    }

    /// Marks whether a policy needs an interpretation and which org interprets it (an editor
    /// of the policy's org; the drafting org must lie within the editor's top-level org).
    pub async fn set_interpretation_need(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        policy: i64,
        need: Need,
    ) -> Result<(), StoreError> {
        let item = self.item(policy).await?.ok_or_else(|| StoreError::NotFound(format!("信息 {policy}")))?;
        let org = self.org_by_id(item.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        actor.may_work_in(Role::Editor, &org.path)?;
        if let Some(d) = need.drafting_org_id
            && self.org_by_id(d).await?.is_none()
        {
            return Err(StoreError::Invalid("找不到所选的起草单位".into()));
        }
        let before = self.interpretation_need(policy).await?;
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM interpretation_needs WHERE item_id = $1", vec![policy.into()])).await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO interpretation_needs (item_id, needed, drafting_org_id, note, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
                vec![
                    policy.into(),
                    Value::Bool(need.needed),
                    Value::BigInt(need.drafting_org_id),
                    crate::tracking::clean(&need.note, 500).into(),
                    ctx.actor.as_str().into(),
                    self.now().into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "item.interpretation_need",
            "item",
            policy.to_string(),
            json!({ "needed": before.needed, "drafting_org_id": before.drafting_org_id }).to_string(),
            json!({ "needed": need.needed, "drafting_org_id": need.drafting_org_id }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// The public interpretations of a policy with their forms, newest first.
    pub async fn public_interpretations_of(&self, policy: i64) -> Result<Vec<PublicInterpretation>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT i.id, r.title, i.org_id, o.name AS org_name, i.published_at, COALESCE(t.form, 'text') AS form \
                     {} LEFT JOIN interpretations t ON t.item_id = i.id {} \
                     AND i.id IN (SELECT item_id FROM item_links WHERE target_id = $2 AND kind = 'interprets') \
                     ORDER BY i.published_at DESC, i.id DESC LIMIT 50",
                    crate::public::public_join!(),
                    crate::public::public_where!()
                ),
                vec![self.now().into(), policy.into()],
            ))
            .await
    }

    /// Public interpretations, newest first: of the orgs in `org_ids` (all when empty), in
    /// one form, a page of `limit` from `offset`; with the total.
    pub async fn public_interpretation_list(
        &self,
        org_ids: &[i64],
        form: Option<InterpForm>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicInterpretation>, i64), StoreError> {
        let mut values: Vec<Value> = vec![self.now().into()];
        let mut cond = String::from(
            " AND (t.item_id IS NOT NULL OR EXISTS (SELECT 1 FROM item_links l WHERE l.item_id = i.id AND l.kind = 'interprets'))",
        );
        if let Some(f) = form {
            values.push(f.as_str().into());
            cond.push_str(&format!(" AND COALESCE(t.form, 'text') = ${}", values.len()));
        }
        if !org_ids.is_empty() {
            let first = values.len() + 1;
            values.extend(org_ids.iter().map(|&o| Value::from(o)));
            let list = (first..first + org_ids.len()).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ");
            cond.push_str(&format!(" AND i.org_id IN ({list})"));
        }
        let from = format!(
            "{} LEFT JOIN interpretations t ON t.item_id = i.id {}{cond}",
            crate::public::public_join!(),
            crate::public::public_where!()
        );
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) = conn.ex().fetch_one(Sql(&format!("SELECT COUNT(*) {from}"), values.clone())).await?;
        let n = values.len();
        values.push(limit.clamp(1, 200).into());
        values.push(offset.max(0).into());
        let rows = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT i.id, r.title, i.org_id, o.name AS org_name, i.published_at, COALESCE(t.form, 'text') AS form \
                     {from} ORDER BY i.published_at DESC, i.id DESC LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                ),
                values,
            ))
            .await?;
        Ok((rows, total))
    }

    /// Published policies needing an interpretation, published from `from` (inclusive) to
    /// `to` (exclusive), with their first public interpretation: coverage and timeliness.
    /// A page of [`COVERAGE_PAGE`] of those in `scope`, newest first; the scope is applied
    /// before the page is cut, so every policy in it is on some page.
    pub async fn interpretation_coverage(
        &self,
        genres: &[String],
        (from, to): (DateTime<Utc>, DateTime<Utc>),
        scope: CoverageScope<'_>,
    ) -> Result<CoverageList, StoreError> {
        let mut values = coverage_values(self.now(), (from, to), genres);
        let under = if scope.tree {
            values.push(format!("{}%", scope.org.as_str()).into());
            format!("IN (SELECT id FROM orgs WHERE path LIKE ${})", values.len())
        } else {
            values.push(scope.org.as_str().into());
            format!("IN (SELECT id FROM orgs WHERE path = ${})", values.len())
        };
        let answering = "COALESCE(n.drafting_org_id, i.org_id)";
        let mut tail = if scope.answered_only {
            format!("AND {answering} {under}")
        } else {
            format!("AND (i.org_id {under} OR {answering} {under})")
        };
        if let Some(org) = scope.responsible {
            values.push(org.into());
            tail.push_str(&format!(" AND {answering} = ${}", values.len()));
        }
        let offset = (scope.page.max(1) as usize - 1).saturating_mul(COVERAGE_PAGE);
        tail.push_str(&format!(" ORDER BY i.published_at DESC, i.id DESC LIMIT {} OFFSET {offset}", COVERAGE_PAGE + 1));
        let mut conn = self.pool.conn().await?;
        let mut rows: Vec<PolicyCoverage> = conn
            .ex()
            .fetch_all(Sql(
                &coverage_sql(
                    genres,
                    &format!("i.id, r.title, i.org_id, {answering} AS responsible_org_id, i.published_at"),
                    &tail,
                    true,
                ),
                values,
            ))
            .await?;
        let more = rows.len() > COVERAGE_PAGE;
        rows.truncate(COVERAGE_PAGE);
        Ok(CoverageList { rows, more })
    }
}

impl Store {
    /// The [`CoverageCounts`] of every org answering for a policy published from `from`
    /// (inclusive) to `to` (exclusive), as of `today`, with `days` working days to
    /// interpret — one query over the policies and the calendar's day table instead of
    /// reading each policy to walk its clock. The rules are core's
    /// (`interpretation::coverage`: on time when published with the policy or by the
    /// `days`-th working day after it; missing once that day is past); the store test
    /// `interpretation_counts_in_sql_are_the_clocks_counts` holds the two to the same
    /// answers. When the period or today lies outside the days the calendar answers for,
    /// the policies are read and walked.
    pub async fn interpretation_counts(
        &self,
        (genres, days): (&[String], u32),
        cal: &Calendar,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
        today: NaiveDate,
    ) -> Result<std::collections::HashMap<i64, CoverageCounts>, StoreError> {
        let values = coverage_values(self.now(), (from, to), genres);
        let first_day = gongkai_core::index_no::beijing_date(from);
        let (Some(today_upto), Some(_)) = (cal.running_count(today), cal.running_count(first_day)) else {
            return self.interpretation_counts_walked((genres, days), cal, (from, to), today).await;
        };
        self.calendar_days_for(cal).await?;
        let backend = self.pool.backend();
        let published_on = crate::db::beijing_day_sql(backend, "c.published_at");
        let interpreted_on = crate::db::beijing_day_sql(backend, "c.interpreted_at");
        let policies = coverage_sql(genres, COUNTED, "", false);
        let days = i64::from(days);
        // Working days from the day after publication: to the interpretation's day, and to
        // today. Published by the `days`-th: fewer counted, or exactly that many and the
        // day itself a working day (a day off after the last one is already late).
        let sql = format!(
            "WITH c AS ({policies}), \
             k AS (SELECT c.responsible_org_id AS org_id, CASE WHEN c.interpreted_at IS NULL THEN 0 ELSE 1 END AS done, \
               d.upto - p.upto AS used, d.workday AS dw, {today_upto} - p.upto AS elapsed \
               FROM c JOIN calendar_days p ON p.day = {published_on} \
               LEFT JOIN calendar_days d ON d.day = {interpreted_on}) \
             SELECT org_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(done) AS BIGINT), \
               CAST(SUM(CASE WHEN done = 1 AND (used < {days} OR (used = {days} AND dw = TRUE)) THEN 1 ELSE 0 END) AS BIGINT), \
               CAST(SUM(CASE WHEN done = 0 AND elapsed > {days} THEN 1 ELSE 0 END) AS BIGINT), \
               CAST(SUM(CASE WHEN done = 0 AND elapsed <= {days} THEN 1 ELSE 0 END) AS BIGINT) \
             FROM k GROUP BY org_id"
        );
        let mut conn = self.pool.conn().await?;
        let rows: Vec<CoverageCountsRow> = conn.ex().fetch_all(Sql(&sql, values)).await?;
        Ok(rows
            .into_iter()
            .map(|(org, policies, interpreted, on_time, missing, due)| {
                (org, CoverageCounts { policies, interpreted, on_time, missing, due })
            })
            .collect())
    }

    /// [`Store::interpretation_counts`] by reading every policy of the period and walking
    /// its clock with core's rules: the answer the SQL count is held to, and the count when
    /// the calendar's day table does not reach the period or today.
    pub async fn interpretation_counts_walked(
        &self,
        (genres, days): (&[String], u32),
        cal: &Calendar,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
        today: NaiveDate,
    ) -> Result<std::collections::HashMap<i64, CoverageCounts>, StoreError> {
        let values = coverage_values(self.now(), (from, to), genres);
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> =
            conn.ex().fetch_all(Sql(&coverage_sql(genres, COUNTED, "", false), values)).await?;
        let mut out: std::collections::HashMap<i64, CoverageCounts> = std::collections::HashMap::new();
        for (org, published_at, interpreted_at) in rows {
            let on = gongkai_core::index_no::beijing_date(published_at);
            let interpreted_on = interpreted_at.map(gongkai_core::index_no::beijing_date);
            let c = gongkai_core::interpretation::coverage(cal, on, interpreted_on, days, today)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            out.entry(org).or_default().add(c);
        }
        Ok(out)
    }
}
