//! Self-inspection (自查), once a year per org: the store lists what `core::inspection` says
//! the org must answer (every item it withholds, the information its requests of the year
//! concentrated on, each with core's advice), keeps the answers and the submitted result.

use crate::OptCode;
use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::orgs::Org;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::inspection::{self, Advice, EntryKind};
use gongkai_core::{Actor, Role};
use serde::Serialize;

/// An inspection.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Inspection {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    pub started_by: String,
    pub started_at: DateTime<Utc>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// One thing to answer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub inspection_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: EntryKind,
    pub item_id: Option<i64>,
    pub subject: String,
    /// The withholding ground, for items.
    pub ground: String,
    /// How many requests asked for it, for requested information.
    pub requests: i64,
    #[sqlx(try_from = "String")]
    pub recommendation: Advice,
    /// Why it is recommended.
    pub why: String,
    /// The org's answer.
    #[sqlx(try_from = "Option<String>")]
    pub decision: OptCode<Advice>,
    pub reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

const INSPECTION: &str = "id, org_id, year, started_by, started_at, submitted_by, submitted_at";
const ENTRY: &str = "id, inspection_id, kind, item_id, subject, ground, requests, recommendation, why, decision, reason, decided_by, decided_at";

fn may_start(actor: &Actor, org: &Org) -> Result<(), StoreError> {
    actor.may_supervise(&org.path)?;
    if !actor.is_overseer() {
        return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(Role::Supervisor)));
    }
    Ok(())
}

/// A withheld item to review: id, title, reason, review day, the 负面清单 matter it names.
type WithheldRow = (i64, String, String, Option<NaiveDate>, Option<String>);

fn may_answer(actor: &Actor, org: &Org) -> Result<(), StoreError> {
    if actor.org_id != org.id {
        return Err(StoreError::Forbidden(gongkai_core::Denied::OutsideOrg));
    }
    if ![Role::Editor, Role::Approver, Role::Supervisor, Role::Admin].iter().any(|r| actor.has(*r)) {
        return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(Role::Editor)));
    }
    Ok(())
}

impl Store {
    /// Starts an org's self-inspection for a year, listing what it must answer.
    pub async fn start_inspection(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org: &Org,
        year: i32,
        today: NaiveDate,
    ) -> Result<Inspection, StoreError> {
        if let Some(a) = actor {
            may_start(a, org)?;
        }
        if !(2008..=2100).contains(&year) {
            return Err(StoreError::Invalid(format!("年度 {year} 无效")));
        }
        let mut conn = self.pool.conn().await?;
        // Each withheld item with the 负面清单 matter it rests on, if it names one.
        let items: Vec<WithheldRow> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT i.id, i.title, i.withhold_reason, i.withhold_review_on, r.title FROM items i \
                 LEFT JOIN withhold_grounds g ON g.item_id = i.id LEFT JOIN list_rows r ON r.id = g.row_id \
                 WHERE i.org_id = $1 AND i.disclosure_attr = $2 AND i.state <> $3 ORDER BY i.id",
                vec![
                    org.id.into(),
                    gongkai_core::item::DisclosureAttr::Withheld.as_str().into(),
                    gongkai_core::item::ItemState::Withdrawn.as_str().into(),
                ],
            ))
            .await?;
        // The org's own matters of the 负面清单, reviewed when their day has come.
        let matters: Vec<(String, String, Option<NaiveDate>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT title, row_values, row_on FROM list_rows WHERE kind = $1 AND org_id = $2 AND removed_on IS NULL ORDER BY id",
                vec![gongkai_core::list::NEGATIVE.into(), org.id.into()],
            ))
            .await?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let requests: Vec<(String, String, Option<String>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT doc_ref, description, outcome FROM requests WHERE org_id = $1 AND received_on >= $2 AND received_on <= $3 ORDER BY id",
                vec![org.id.into(), first.into(), last.into()],
            ))
            .await?;
        drop(conn);
        let groups = inspection::concentrated(requests.iter().map(|(r, d, o)| (r.as_str(), d.as_str(), o.as_deref())));
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let exists: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT id FROM inspections WHERE org_id = $1 AND year = $2",
                vec![org.id.into(), i64::from(year).into()],
            ))
            .await?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!("{}{year}年度自查已开始", org.name)));
        }
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO inspections (org_id, year, started_by, started_at) VALUES ($1, $2, $3, $4) RETURNING id",
                vec![org.id.into(), i64::from(year).into(), ctx.actor.as_str().into(), now.into()],
            ))
            .await?;
        let withheld = items.into_iter().map(|(item_id, title, reason, review_on, matter)| {
            let ground = match matter {
                Some(m) => format!("负面清单事项：{m}；{reason}"),
                None => reason,
            };
            (EntryKind::Withheld, Some(item_id), title, ground, 0, inspection::advise_withheld(review_on, today))
        });
        let matters = matters.into_iter().map(|(title, values, review_on)| {
            let basis = serde_json::from_str::<serde_json::Value>(&values)
                .ok()
                .and_then(|v| v.get("basis").and_then(|b| b.as_str()).map(str::to_string))
                .unwrap_or_default();
            (EntryKind::Matter, None, title, basis, 0, inspection::advise_matter(review_on, today))
        });
        let requested = groups.into_iter().map(|g| {
            let advice = g.advice();
            (EntryKind::Requested, None, g.subject, String::new(), g.requests, advice)
        });
        for (kind, item_id, subject, ground, n, (advice, why)) in withheld.chain(matters).chain(requested) {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO inspection_entries (inspection_id, kind, item_id, subject, ground, requests, recommendation, why) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    vec![
                        id.into(),
                        kind.as_str().into(),
                        item_id.into(),
                        subject.into(),
                        ground.into(),
                        n.into(),
                        advice.as_str().into(),
                        why.into(),
                    ],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "inspection.start",
            "inspection",
            id.to_string(),
            String::new(),
            serde_json::json!({ "org": org.code(), "year": year }).to_string(),
        )
        .await?;
        tx.commit().await?;
        self.inspection(id).await?.ok_or_else(|| StoreError::NotFound("自查".into()))
    }

    /// An inspection.
    pub async fn inspection(&self, id: i64) -> Result<Option<Inspection>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {INSPECTION} FROM inspections WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// The inspections of a year (for the office's overview).
    pub async fn inspections_of_year(&self, year: i32) -> Result<Vec<Inspection>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {INSPECTION} FROM inspections WHERE year = $1 ORDER BY org_id"),
                vec![i64::from(year).into()],
            ))
            .await
    }

    /// For each inspection of a year: (inspection id, entries unanswered, entries), in one query.
    pub async fn inspection_progress(&self, year: i32) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT e.inspection_id, SUM(CASE WHEN e.decision IS NULL THEN 1 ELSE 0 END), COUNT(*) \
                 FROM inspection_entries e JOIN inspections i ON i.id = e.inspection_id WHERE i.year = $1 \
                 GROUP BY e.inspection_id",
                vec![i64::from(year).into()],
            ))
            .await
    }

    /// An inspection's entries.
    pub async fn inspection_entries(&self, id: i64) -> Result<Vec<Entry>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {ENTRY} FROM inspection_entries WHERE inspection_id = $1 ORDER BY id"),
                vec![id.into()],
            ))
            .await
    }

    /// The org answers an entry: keep (with the reason) or publish.
    pub async fn answer_entry(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        entry_id: i64,
        decision: Advice,
        reason: &str,
    ) -> Result<Entry, StoreError> {
        let mut tx = self.pool.begin().await?;
        let found: Option<(i64, i64, Option<DateTime<Utc>>)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT e.inspection_id, i.org_id, i.submitted_at FROM inspection_entries e JOIN inspections i ON i.id = e.inspection_id WHERE e.id = $1",
                vec![entry_id.into()],
            ))
            .await?;
        let (inspection_id, org_id, submitted) =
            found.ok_or_else(|| StoreError::NotFound(format!("自查事项 {entry_id}")))?;
        let org = self.org_by_id(org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        may_answer(actor, &org)?;
        let reason = inspection::check_answer(submitted.is_some(), decision, reason)?;
        tx.ex()
            .execute(Sql(
                "UPDATE inspection_entries SET decision = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
                vec![decision.as_str().into(), reason.into(), ctx.actor.as_str().into(), self.now().into(), entry_id.into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "inspection.answer",
            "inspection",
            inspection_id.to_string(),
            String::new(),
            serde_json::json!({ "entry": entry_id, "decision": decision.as_str() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        let entries = self.inspection_entries(inspection_id).await?;
        entries.into_iter().find(|e| e.id == entry_id).ok_or_else(|| StoreError::NotFound("自查事项".into()))
    }

    /// Submits the result to the disclosure office: every entry must be answered.
    pub async fn submit_inspection(&self, ctx: &AuditCtx, actor: &Actor, id: i64) -> Result<Inspection, StoreError> {
        let ins = self.inspection(id).await?.ok_or_else(|| StoreError::NotFound(format!("自查 {id}")))?;
        let org = self.org_by_id(ins.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        may_answer(actor, &org)?;
        let open = self.inspection_entries(id).await?.iter().filter(|e| e.decision.0.is_none()).count();
        inspection::check_submit(ins.submitted_at.is_some(), open)?;
        let mut tx = self.pool.begin().await?;
        tx.ex()
            .execute(Sql(
                "UPDATE inspections SET submitted_by = $1, submitted_at = $2 WHERE id = $3 AND submitted_at IS NULL",
                vec![ctx.actor.as_str().into(), self.now().into(), id.into()],
            ))
            .await?;
        tx.audit(ctx, "inspection.submit", "inspection", id.to_string(), String::new(), String::new()).await?;
        tx.commit().await?;
        self.inspection(id).await?.ok_or_else(|| StoreError::NotFound("自查".into()))
    }

    /// After the result is submitted, what each 予以公开 answer changes: the withheld item to
    /// publish, or a new draft (once) for the information requests concentrated on, each with
    /// `due_on` to be public by. A 负面清单 matter changes through a list adjustment instead.
    /// Answers how many follow-ups exist.
    pub async fn follow_up_inspection(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        due_on: NaiveDate,
    ) -> Result<usize, StoreError> {
        let ins = self.inspection(id).await?.ok_or_else(|| StoreError::NotFound(format!("自查 {id}")))?;
        if ins.submitted_at.is_none() {
            return Err(StoreError::Conflict("自查结果报送后才能落实".into()));
        }
        let org = self.org_by_id(ins.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        may_answer(actor, &org)?;
        let role = [Role::Editor, Role::Approver, Role::Supervisor, Role::Admin]
            .into_iter()
            .find(|r| actor.has(*r))
            .unwrap_or(Role::Editor);
        for e in self.inspection_entries(id).await? {
            if e.decision.0 != Some(Advice::Publish) || self.followup_item(e.id).await?.is_some() {
                continue;
            }
            let item_id = match (e.kind, e.item_id) {
                (EntryKind::Withheld, Some(item)) => {
                    self.reopen_withheld(ctx, actor, item, ins.year).await?;
                    item
                }
                (EntryKind::Requested, _) => {
                    let draft = crate::ItemDraft {
                        title: e.subject.chars().take(100).collect(),
                        summary: format!("{} 年度自查确定予以主动公开（{}）", ins.year, e.why),
                        disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
                        ..Default::default()
                    };
                    let key = format!("inspection:{}", e.id);
                    let comment = format!("{} 年度自查确定予以公开", ins.year);
                    self.create_item_as(ctx, actor, org.id, draft, role, "inspection", &comment, Some(&key))
                        .await
                        .map_err(|e| match e {
                            crate::ItemError::Store(s) => s,
                            other => StoreError::Invalid(other.to_string()),
                        })?
                        .id
                }
                _ => continue,
            };
            let mut tx = self.pool.begin().await?;
            tx.ex()
                .execute(Sql(
                    "INSERT INTO inspection_followups (entry_id, item_id, due_on, created_at) VALUES ($1, $2, $3, $4)",
                    vec![e.id.into(), item_id.into(), due_on.into(), self.now().into()],
                ))
                .await?;
            tx.audit(
                ctx,
                "inspection.follow_up",
                "inspection",
                id.to_string(),
                String::new(),
                serde_json::json!({ "entry": e.id, "item": item_id, "due_on": due_on }).to_string(),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(self.inspection_followups(&[ins.org_id]).await?.iter().filter(|f| f.inspection_id == id).count())
    }

    /// Creates the attribute change a 予以公开 answer asks for on a withheld item
    /// (`core::inspection::reopen_withheld`), with its event and audit row.
    async fn reopen_withheld(&self, ctx: &AuditCtx, actor: &Actor, item_id: i64, year: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let item = crate::items::load_item(&mut tx, item_id).await?;
        let Some((new_state, new_attr)) = inspection::reopen_withheld(item.state.0, item.disclosure_attr.0) else {
            return Ok(());
        };
        let now = self.now();
        tx.ex()
            .execute(Sql(
                "UPDATE items SET state = $2, disclosure_attr = $3, withhold_reason = '', withhold_review_on = NULL, \
                 version = version + 1, updated_at = $4 WHERE id = $1",
                vec![item_id.into(), new_state.as_str().into(), new_attr.as_str().into(), now.into()],
            ))
            .await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO item_events (item_id, event, actor_id, actor, comment, state_after, at) VALUES ($1, 'inspection', $2, $3, $4, $5, $6)",
                vec![
                    item_id.into(),
                    actor.user_id.into(),
                    ctx.actor.as_str().into(),
                    format!("{year} 年度自查确定予以公开：公开属性改为主动公开，待补充后送审").into(),
                    new_state.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(ctx, "item.reopen_withheld", "item", item_id.to_string(), "withheld".into(), new_attr.as_str().into())
            .await?;
        tx.commit().await
    }

    async fn followup_item(&self, entry_id: i64) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64,)> = conn
            .ex()
            .fetch_optional(Sql("SELECT item_id FROM inspection_followups WHERE entry_id = $1", vec![entry_id.into()]))
            .await?;
        Ok(row.map(|(i,)| i))
    }

    /// The follow-ups of these orgs' inspections, with whether each item is public yet.
    pub async fn inspection_followups(&self, org_ids: &[i64]) -> Result<Vec<FollowUp>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT f.entry_id, e.inspection_id, n.org_id, n.year, e.subject, f.item_id, i.title AS item_title, f.due_on, \
                       (i.state = 'published' AND i.public_rev IS NOT NULL AND EXISTS (SELECT 1 FROM item_revisions r \
                          WHERE r.item_id = i.id AND r.rev = i.public_rev AND r.disclosure_attr IN ('proactive', 'partial'))) AS done \
                     FROM inspection_followups f JOIN inspection_entries e ON e.id = f.entry_id \
                     JOIN inspections n ON n.id = e.inspection_id JOIN items i ON i.id = f.item_id \
                     WHERE n.org_id IN ({}) ORDER BY f.due_on, f.entry_id",
                    crate::db::placeholders(1, org_ids.len())
                ),
                org_ids.iter().map(|i| sea_query::Value::from(*i)).collect(),
            ))
            .await
    }
}

/// What a 予以公开 answer changes, and whether it is done.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FollowUp {
    pub entry_id: i64,
    pub inspection_id: i64,
    pub org_id: i64,
    pub year: i64,
    pub subject: String,
    pub item_id: i64,
    pub item_title: String,
    pub due_on: NaiveDate,
    /// The item is public.
    pub done: bool,
}
