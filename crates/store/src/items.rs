//! Items (政府信息): the working copy each org edits, the revisions it has published, the
//! workflow events, the publication register (信息发布登记) and index numbers. Every
//! transition is decided by `gongkai_core::item::transition` on facts read inside the
//! transaction, then applied with its event, register and audit rows and an outbox row for
//! the search index, all or nothing. Concurrent decisions on one item are serialised by the
//! item's `version`: the loser gets a conflict.

use crate::audit::AuditCtx;
use crate::db::Update;
use crate::db::{Sql, Tx, insert_rows, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::interpretation::Gate;
use gongkai_core::item::{
    Command, CommandInput, Decision, DisclosureAttr, ItemEffect, ItemFacts, ItemState, Published, Refusal, Reprint,
    Validity, decide, transition,
};
use gongkai_core::privacy::{self, Finding};
use gongkai_core::{Actor, DocNo, OrgPath, Role, html, index_no};
use sea_query::Value;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// An item as staff see it: the working copy and its workflow facts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub org_id: i64,
    pub author_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: StateCol,
    pub title: String,
    pub doc_no: String,
    pub index_no: Option<String>,
    pub issuer_name: String,
    #[sqlx(try_from = "String")]
    pub co_issuers: JsonList,
    pub topic: String,
    pub genre: String,
    pub section_id: Option<i64>,
    pub written_on: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub repealed_on: Option<NaiveDate>,
    #[sqlx(try_from = "String")]
    pub validity: ValidityCol,
    pub summary: String,
    pub body: String,
    #[sqlx(try_from = "Option<String>")]
    pub disclosure_attr: AttrCol,
    pub withhold_reason: String,
    pub withheld_parts: String,
    pub withhold_review_on: Option<NaiveDate>,
    #[sqlx(try_from = "String")]
    pub channels: JsonList,
    pub privacy_exception: String,
    pub replaced_by: Option<i64>,
    pub withdrawn_reason: String,
    pub public_rev: Option<i64>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// 转载来源 (empty for the org's own).
    pub reprinted_from: String,
    /// 原文地址 of a reprint.
    pub reprint_url: String,
}

/// A stored state column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateCol(pub ItemState);
/// A stored validity column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityCol(pub Validity);
/// A stored, optional disclosure attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttrCol(pub Option<DisclosureAttr>);
/// A JSON list of strings stored as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonList(pub Vec<String>);

impl TryFrom<String> for StateCol {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ItemState::parse(&s).map(Self).ok_or_else(|| format!("unknown item state {s}"))
    }
}
impl TryFrom<String> for ValidityCol {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Validity::parse(&s).map(Self).ok_or_else(|| format!("unknown validity {s}"))
    }
}
impl TryFrom<Option<String>> for AttrCol {
    type Error = String;
    fn try_from(s: Option<String>) -> Result<Self, String> {
        match s {
            None => Ok(Self(None)),
            Some(s) => DisclosureAttr::parse(&s).map(|a| Self(Some(a))).ok_or_else(|| format!("unknown attribute {s}")),
        }
    }
}
impl TryFrom<String> for JsonList {
    type Error = serde_json::Error;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&s).map(Self)
    }
}

impl Item {
    /// The privacy check's findings on the working copy.
    pub fn findings(&self, negative_list: &[String]) -> Vec<Finding> {
        let mut f = privacy::scan("title", &self.title, negative_list);
        f.extend(privacy::scan("summary", &self.summary, negative_list));
        f.extend(privacy::scan("body", &html::to_text(&self.body), negative_list));
        f
    }

    /// Visible to the public: a published revision, not withdrawn, publication time reached.
    pub fn is_public(&self, now: DateTime<Utc>) -> bool {
        self.public_rev.is_some() && self.state.0 != ItemState::Withdrawn && self.published_at.is_some_and(|t| t <= now)
    }

    /// Where the working copy says it was republished from (转载).
    pub fn reprint(&self) -> Reprint {
        Reprint { from: self.reprinted_from.clone(), url: self.reprint_url.clone() }
    }
}

/// The editable fields of an item.
#[derive(Debug, Clone, Default)]
pub struct ItemDraft {
    pub title: String,
    /// 发文字号 as typed; stored in the normalised 〔〕 form.
    pub doc_no: String,
    /// The issuing org's name as printed (defaults to the org's name).
    pub issuer_name: String,
    pub co_issuers: Vec<String>,
    pub topic: String,
    pub genre: String,
    pub section_id: Option<i64>,
    pub written_on: Option<NaiveDate>,
    pub summary: String,
    /// HTML; sanitised before storing.
    pub body: String,
    pub disclosure_attr: Option<DisclosureAttr>,
    pub withhold_reason: String,
    pub withheld_parts: String,
    pub withhold_review_on: Option<NaiveDate>,
    pub channels: Vec<String>,
    pub privacy_exception: String,
    /// 转载来源: the org or site a republished item comes from; empty for the org's own.
    pub reprinted_from: String,
    /// 原文地址 of a reprint.
    pub reprint_url: String,
}

/// What a transition carries besides the command.
#[derive(Debug, Clone, Default)]
pub struct TransitionExtra {
    /// For `publish`: a scheduled time (default now).
    pub publish_at: Option<DateTime<Utc>>,
    /// For `set_validity`.
    pub validity: Option<Validity>,
    /// For `set_validity`: the item that replaces this one.
    pub replaced_by: Option<i64>,
    /// For `set_validity`: 废止日期 / 失效日期.
    pub repealed_on: Option<NaiveDate>,
    /// For `edit`: the version the editor saw.
    pub expected_version: Option<i64>,
}

/// One workflow event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemEvent {
    pub id: i64,
    pub event: String,
    pub actor: String,
    pub comment: String,
    pub state_after: String,
    pub at: DateTime<Utc>,
}

/// One row of the publication register.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegisterRow {
    pub id: i64,
    pub item_id: i64,
    pub rev: Option<i64>,
    pub event: String,
    pub content_hash: String,
    pub org_id: i64,
    pub author: String,
    pub reviewer: String,
    pub approver: String,
    pub publisher: String,
    pub channel: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// Errors of item operations: a store error or a workflow refusal.
#[derive(Debug, thiserror::Error)]
pub enum ItemError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The workflow refused the command.
    #[error(transparent)]
    Refused(#[from] Refusal),
}

impl From<sqlx::Error> for ItemError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

pub(crate) const ITEM_COLUMNS: &str = "id, org_id, author_id, state, title, doc_no, index_no, issuer_name, co_issuers, topic, genre, \
    section_id, written_on, published_at, repealed_on, validity, summary, body, disclosure_attr, withhold_reason, \
    withheld_parts, withhold_review_on, channels, privacy_exception, replaced_by, withdrawn_reason, public_rev, \
    version, created_at, updated_at, reprinted_from, reprint_url";

/// Checks and normalises a draft: title length, 发文字号 form, sanitised body.
pub(crate) struct CleanDraft {
    pub d: ItemDraft,
    pub doc_no: Option<DocNo>,
}

/// The draft as the store would keep it — text normalised, the body through the same
/// sanitiser — for a preview of the published page. A 发文字号 the store would refuse stays
/// as typed (saving reports it).
pub fn as_kept(d: ItemDraft) -> Result<ItemDraft, StoreError> {
    Ok(clean(d, false)?.d)
}

pub(crate) fn clean(mut d: ItemDraft, strict_doc_no: bool) -> Result<CleanDraft, StoreError> {
    // Control characters are refused at input (they break feeds, CSV and DOCX downstream).
    d.title = html::one_line(&d.title);
    d.doc_no = html::one_line(&d.doc_no);
    d.issuer_name = html::one_line(&d.issuer_name);
    d.co_issuers = d.co_issuers.iter().map(|c| html::one_line(c)).filter(|c| !c.is_empty()).collect();
    d.topic = html::one_line(&d.topic);
    d.genre = html::one_line(&d.genre);
    d.summary = html::multi_line(&d.summary);
    d.withhold_reason = html::multi_line(&d.withhold_reason);
    d.withheld_parts = html::multi_line(&d.withheld_parts);
    d.privacy_exception = html::multi_line(&d.privacy_exception);
    d.reprinted_from = html::one_line(&d.reprinted_from);
    d.reprint_url = html::one_line(&d.reprint_url);
    if d.title.chars().count() > 300 {
        return Err(StoreError::Invalid("标题不能超过 300 个字符".into()));
    }
    Reprint { from: d.reprinted_from.clone(), url: d.reprint_url.clone() }
        .check()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let doc_no = if d.doc_no.trim().is_empty() {
        d.doc_no = String::new();
        None
    } else {
        match DocNo::parse(&d.doc_no) {
            Ok(no) => {
                d.doc_no = no.to_string();
                Some(no)
            }
            Err(e) if strict_doc_no => {
                return Err(StoreError::Invalid(format!("发文字号「{}」有误：{e}", d.doc_no.trim())));
            }
            Err(_) => {
                d.doc_no = d.doc_no.trim().to_string();
                None
            }
        }
    };
    d.body = html::sanitize(&d.body);
    if d.channels.is_empty() {
        d.channels = vec!["网站".into()];
    }
    Ok(CleanDraft { d, doc_no })
}

fn content_hash(title: &str, doc_no: &str, summary: &str, body: &str) -> String {
    let mut h = Sha256::new();
    for part in [title, doc_no, summary, body] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

fn list_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(crate) async fn load_item(tx: &mut Tx, id: i64) -> Result<Item, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("信息 {id}")))
}

pub(crate) async fn outbox(tx: &mut Tx, kind: &str, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    insert_rows(tx, OUTBOX_INTO, vec![outbox_row(kind, id, now)]).await
}

/// Where an outbox row goes: the table and its columns, in [`outbox_row`]'s order.
pub(crate) const OUTBOX_INTO: &str = "outbox (kind, object_id, at)";

/// The values of an outbox row: this object changed now.
pub(crate) fn outbox_row(kind: &str, id: i64, now: DateTime<Utc>) -> Vec<Value> {
    vec![kind.into(), id.into(), now.into()]
}

/// Where an item event goes: the table and its columns.
pub(crate) const EVENT_INTO: &str = "item_events (item_id, event, actor_id, actor, comment, state_after, at)";

fn summary_json(item: &Item) -> String {
    json!({
        "title": item.title, "doc_no": item.doc_no, "state": item.state.0.as_str(),
        "attr": item.disclosure_attr.0.map(|a| a.as_str()), "validity": item.validity.0.as_str(),
        "index_no": item.index_no, "version": item.version,
    })
    .to_string()
}

fn draft_values(c: &CleanDraft) -> Vec<Value> {
    let d = &c.d;
    vec![
        d.title.as_str().into(),
        d.doc_no.as_str().into(),
        Value::String(c.doc_no.as_ref().map(|n| n.prefix.clone())),
        Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.year))),
        Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.serial))),
        d.issuer_name.as_str().into(),
        list_json(&d.co_issuers).into(),
        d.topic.as_str().into(),
        d.genre.as_str().into(),
        Value::BigInt(d.section_id),
        Value::ChronoDate(d.written_on),
        d.summary.as_str().into(),
        d.body.as_str().into(),
        Value::String(d.disclosure_attr.map(|a| a.as_str().to_string())),
        d.withhold_reason.as_str().into(),
        d.withheld_parts.as_str().into(),
        Value::ChronoDate(d.withhold_review_on),
        list_json(&d.channels).into(),
        d.privacy_exception.as_str().into(),
        d.reprinted_from.as_str().into(),
        d.reprint_url.as_str().into(),
    ]
}

const DRAFT_COLUMNS: &str = "title, doc_no, doc_no_prefix, doc_no_year, doc_no_serial, issuer_name, co_issuers, topic, genre, \
    section_id, written_on, summary, body, disclosure_attr, withhold_reason, withheld_parts, withhold_review_on, channels, \
    privacy_exception, reprinted_from, reprint_url";

async fn check_section(tx: &mut Tx, org_id: i64, section: Option<i64>) -> Result<(), StoreError> {
    if let Some(s) = section {
        let row: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT id FROM catalog_sections WHERE id = $1 AND org_id = $2",
                vec![s.into(), org_id.into()],
            ))
            .await?;
        if row.is_none() {
            return Err(StoreError::Invalid(format!("栏目 {s} 不属于本单位")));
        }
    }
    Ok(())
}

impl Store {
    /// Drafts a new item in `org_id` by an editor of that org.
    pub async fn create_item(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        draft: ItemDraft,
    ) -> Result<Item, ItemError> {
        self.create_item_as(ctx, actor, org_id, draft, Role::Editor, "create", "", None).await
    }

    /// The item made from a source once (`proposal:…`, `bulletin:…`), if it was.
    async fn item_of_source(&self, key: &str) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let seen: Option<(i64,)> =
            conn.ex().fetch_optional(Sql("SELECT id FROM items WHERE source_key = $1", vec![key.into()])).await?;
        Ok(seen.map(|(id,)| id))
    }

    /// The office's 考核 通报 of a period (`2026:q3`) as a draft item of its own org, to go out
    /// through the review like any publication; once per org and period (a second call
    /// answers the first draft's id).
    pub async fn draft_bulletin(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        period: &str,
        title: &str,
        body_html: &str,
    ) -> Result<i64, ItemError> {
        let key = format!("bulletin:{}:{period}", actor.org_id);
        if let Some(id) = self.item_of_source(&key).await? {
            return Ok(id);
        }
        let draft = ItemDraft {
            title: title.to_string(),
            genre: "通报".into(),
            topic: "综合政务".into(),
            body: body_html.to_string(),
            summary: title.trim_start_matches("关于").to_string(),
            disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
            ..Default::default()
        };
        let comment = "由考核结果生成通报稿".to_string();
        let item = self
            .create_item_as(ctx, actor, actor.org_id, draft, Role::Supervisor, "assessment", &comment, Some(&key))
            .await?;
        Ok(item.id)
    }

    /// Proposes the information a request was answered with for proactive publication
    /// (条例 article 44): a draft in the request's org, for its editors to complete and send
    /// through review. Only for requests answered 予以公开 or 部分公开, once per request.
    pub async fn propose_from_request(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        request_id: i64,
    ) -> Result<Item, ItemError> {
        let r = self.request(request_id).await?.ok_or_else(|| StoreError::NotFound(format!("申请 {request_id}")))?;
        if !gongkai_core::request::Outcome::code_disclosed_it(r.outcome.as_deref()) {
            return Err(StoreError::Conflict("只有已予以公开或部分公开的申请，才可建议转为主动公开".into()).into());
        }
        let key = format!("proposal:{}", r.tracking_no);
        if let Some(id) = self.item_of_source(&key).await? {
            return Err(StoreError::Conflict(format!("本申请已建议转为主动公开（信息 {id}）")).into());
        }
        let title: String = r.description.trim().chars().take(100).collect();
        let draft = ItemDraft {
            title: if title.is_empty() { "依申请公开信息".into() } else { title },
            summary: format!(
                "申请编号 {} 于 {} 依申请公开，建议纳入主动公开（《中华人民共和国政府信息公开条例》第四十四条）。",
                r.tracking_no,
                r.replied_on.map(|d| d.to_string()).unwrap_or_default()
            ),
            body: gongkai_core::html::from_plain_text(&format!("{}\n{}", r.description.trim(), r.reason.trim())),
            disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
            ..Default::default()
        };
        let comment = format!("由依申请公开申请 {} 建议转为主动公开", r.tracking_no);
        self.create_item_as(ctx, actor, r.org_id, draft, Role::RequestHandler, "propose", &comment, Some(&key)).await
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn create_item_as(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        draft: ItemDraft,
        role: Role,
        event_name: &str,
        comment: &str,
        source_key: Option<&str>,
    ) -> Result<Item, ItemError> {
        let mut c = clean(draft, true)?;
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, org_id).await?;
        actor.may_work_in(role, &path).map_err(Refusal::from)?;
        check_section(&mut tx, org_id, c.d.section_id).await?;
        if c.d.issuer_name.trim().is_empty() {
            let (name,): (String,) =
                tx.ex().fetch_one(Sql("SELECT name FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
            c.d.issuer_name = name;
        }
        let now = self.now();
        let mut values = vec![Value::from(org_id), Value::from(actor.user_id), ItemState::Draft.as_str().into()];
        values.extend(draft_values(&c));
        values.push(now.into());
        values.push(now.into());
        let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                &format!(
                    "INSERT INTO items (org_id, author_id, state, {DRAFT_COLUMNS}, created_at, updated_at) VALUES ({}) RETURNING id",
                    placeholders.join(", ")
                ),
                values,
            ))
            .await?;
        if let Some(key) = source_key {
            tx.ex().execute(Sql("UPDATE items SET source_key = $1 WHERE id = $2", vec![key.into(), id.into()])).await?;
        }
        let item = load_item(&mut tx, id).await?;
        event(&mut tx, &item, event_name, actor, comment, now).await?;
        tx.audit(ctx, "item.create", "item", id.to_string(), String::new(), summary_json(&item)).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Replaces the working copy (an edit of a published item starts a new revision; the
    /// public keeps seeing the published one until it is published in turn).
    pub async fn update_item(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        draft: ItemDraft,
        expected_version: Option<i64>,
    ) -> Result<Item, ItemError> {
        let c = clean(draft, true)?;
        let mut tx = self.pool.begin().await?;
        let before = load_item(&mut tx, id).await?;
        let path = org_path(&mut tx, before.org_id).await?;
        let facts = facts(&before, &path, &[]);
        let outcome = transition(&facts, actor, &Command::Edit)?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(stale().into());
        }
        check_section(&mut tx, before.org_id, c.d.section_id).await?;
        let mut c = c;
        if c.d.issuer_name.trim().is_empty() {
            c.d.issuer_name = before.issuer_name.clone();
        }
        let now = self.now();
        let mut update = Update::new("items");
        for (col, value) in DRAFT_COLUMNS.split(", ").zip(draft_values(&c)) {
            update.set(col, value);
        }
        update.set("state", outcome.state.as_str());
        update.set("updated_at", now);
        if !update.run(&mut tx, id, before.version).await? {
            return Err(stale().into());
        }
        let item = load_item(&mut tx, id).await?;
        event(&mut tx, &item, "edit", actor, "", now).await?;
        tx.audit(ctx, "item.edit", "item", id.to_string(), summary_json(&before), summary_json(&item)).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Applies a workflow command (submit, review, approve, publish, withdraw, set
    /// validity) as decided by `core::item::transition`.
    pub async fn apply(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        cmd: Command,
        extra: TransitionExtra,
        negative_list: &[String],
    ) -> Result<Item, ItemError> {
        let settings = match cmd {
            Command::Approve { decision: Decision::Pass, .. } => Some(self.site_settings().await?),
            _ => None,
        };
        let mut tx = self.pool.begin().await?;
        let before = load_item(&mut tx, id).await?;
        let path = org_path(&mut tx, before.org_id).await?;
        let findings = working_findings(&mut tx, &before, negative_list).await?;
        let now = self.now();
        // The replacement's visibility is a fact read in this transaction.
        let replaced_by = match extra.replaced_by {
            Some(r) if r != id => Some((r, load_item(&mut tx, r).await?.is_public(now))),
            Some(r) => Some((r, false)),
            None => None,
        };
        let published =
            Published { rev: before.public_rev, at: before.published_at, has_index_no: before.index_no.is_some() };
        // A consultation whose feedback is not yet published holds this final policy back
        // (block), or lets it go with the warning recorded on the publication (warn).
        let pending: Vec<(String, bool)> = match cmd {
            Command::Publish => {
                tx.ex()
                    .fetch_all(Sql(
                        "SELECT title, block_final FROM consultations WHERE final_item_id = $1 AND feedback_published_on IS NULL ORDER BY id",
                        vec![id.into()],
                    ))
                    .await?
            }
            _ => Vec::new(),
        };
        let feedback_pending = pending.iter().find(|(_, block)| *block).map(|(t, _)| t.clone());
        let feedback_warned: Vec<&str> = pending.iter().filter(|(_, block)| !*block).map(|(t, _)| t.as_str()).collect();
        // A policy needing an interpretation approved without one submitted (同步审签): the
        // site blocks it, or lets it pass with the warning recorded on the approval.
        let unsynced = match &settings {
            Some(s) => crate::interpretations::missing_for(&mut tx, id, &s.interpretation_genres).await?,
            None => false,
        };
        let blocks = settings.as_ref().is_some_and(|s| s.interpretation_gate == Gate::Block);
        let input = CommandInput {
            publish_at: extra.publish_at,
            validity: extra.validity,
            replaced_by,
            repealed_on: extra.repealed_on,
            feedback_pending,
            interpretation_missing: unsynced && blocks,
        };
        let (writers, reviewer) = duties(&mut tx, id).await?;
        let f = ItemFacts { writers: &writers, reviewer, ..facts(&before, &path, &findings) };
        let (outcome, effects) = decide(&f, actor, &cmd, id, published, &input, now)?;
        let mut comment = match &cmd {
            Command::Review { comment, .. } | Command::Approve { comment, .. } => comment.clone(),
            Command::Withdraw { reason } => reason.clone(),
            _ => String::new(),
        };
        if unsynced {
            comment = format!("{comment}（提示：本文件须同步解读，审批时尚未报送政策解读）").trim_start().to_string();
        }
        if !feedback_warned.is_empty() {
            let titles = feedback_warned.iter().map(|t| format!("《{t}》")).collect::<Vec<_>>().join("、");
            comment = format!("{comment}（提示：{titles}的意见采纳情况尚未公布）").trim_start().to_string();
        }
        let mut update = Update::new("items");
        update.set("state", outcome.state.as_str());
        update.set("updated_at", now);
        // Core decided; each effect becomes columns, rows and register lines here.
        let mut register: Vec<(&str, Option<i64>, String)> = Vec::new();
        let mut public_changed = false;
        let mut first_published: Option<DateTime<Utc>> = None;
        for effect in &effects {
            match effect {
                ItemEffect::Publish { rev, published_at, index_year, note } => {
                    update.set("published_at", *published_at);
                    if let Some(year) = index_year {
                        let no = next_index_no(&mut tx, &self.index_pattern, before.org_id, *year).await?;
                        update.set("index_no", no);
                    }
                    insert_revision(&mut tx, &before, *rev, now).await?;
                    crate::attachment_rows::publish(&mut tx, id, *rev).await?;
                    update.set("public_rev", *rev);
                    register.push(("publish", Some(*rev), note.clone()));
                    first_published = Some(*published_at);
                }
                ItemEffect::Withdraw { reason, rev } => {
                    update.set("withdrawn_reason", reason.as_str());
                    register.push(("withdraw", *rev, reason.clone()));
                }
                ItemEffect::Validity { validity, replaced_by, repealed_on, rev } => {
                    update.set("validity", validity.as_str());
                    update.set("replaced_by", Value::BigInt(*replaced_by));
                    update.set("repealed_on", Value::ChronoDate(*repealed_on));
                    register.push(("set_validity", *rev, validity.label().to_string()));
                }
                ItemEffect::PublicChanged => public_changed = true,
            }
        }
        if !update.run(&mut tx, id, before.version).await? {
            return Err(stale().into());
        }
        let item = load_item(&mut tx, id).await?;
        event(&mut tx, &item, outcome.event, actor, &comment, now).await?;
        for (ev, rev, note) in register {
            write_register(&mut tx, &item, ev, rev, actor.username.as_str(), &note, now).await?;
        }
        if public_changed {
            outbox(&mut tx, "item", id, now).await?;
        }
        // A 清理 decision's verdicts take effect with its publication.
        if let Some(at) = first_published {
            crate::cleanups::apply_in(&mut tx, &item, actor, at, now).await?;
        }
        tx.audit(ctx, outcome.audit_action(), "item", id.to_string(), summary_json(&before), summary_json(&item))
            .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// An item by id, for staff (any state).
    pub async fn item(&self, id: i64) -> Result<Option<Item>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = $1"), vec![id.into()])).await
    }

    /// Items of an org for its staff, newest first, optionally in one state.
    pub async fn items_in_org(
        &self,
        org_id: i64,
        state: Option<ItemState>,
        limit: i64,
    ) -> Result<Vec<Item>, StoreError> {
        let mut conn = self.pool.conn().await?;
        match state {
            Some(s) => {
                conn.ex()
                    .fetch_all(Sql(
                        &format!("SELECT {ITEM_COLUMNS} FROM items WHERE org_id = $1 AND state = $2 ORDER BY updated_at DESC LIMIT $3"),
                        vec![org_id.into(), s.as_str().into(), limit.into()],
                    ))
                    .await
            }
            None => {
                conn.ex()
                    .fetch_all(Sql(
                        &format!("SELECT {ITEM_COLUMNS} FROM items WHERE org_id = $1 ORDER BY updated_at DESC LIMIT $2"),
                        vec![org_id.into(), limit.into()],
                    ))
                    .await
            }
        }
    }

    /// How many of an org's items are in each state (states with none are left out).
    pub async fn item_state_counts(&self, org_id: i64) -> Result<Vec<(ItemState, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String, i64)> = conn
            .ex()
            .fetch_all(Sql("SELECT state, COUNT(*) FROM items WHERE org_id = $1 GROUP BY state", vec![org_id.into()]))
            .await?;
        rows.into_iter()
            .map(|(s, n)| Ok((ItemState::try_from(s).map_err(|e| StoreError::Other(Box::new(e)))?, n)))
            .collect()
    }

    /// The workflow events of an item, oldest first.
    pub async fn item_events(&self, id: i64) -> Result<Vec<ItemEvent>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, event, actor, comment, state_after, at FROM item_events WHERE item_id = $1 ORDER BY id",
                vec![id.into()],
            ))
            .await
    }

    /// The publication register of an org (newest first) or of one item.
    pub async fn register(
        &self,
        org_id: Option<i64>,
        item_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<RegisterRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (cond, key) = match (org_id, item_id) {
            (_, Some(i)) => ("item_id = $1", i),
            (Some(o), None) => ("org_id = $1", o),
            (None, None) => ("$1 = $1", 0),
        };
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT * FROM publication_register WHERE {cond} ORDER BY id DESC LIMIT $2"),
                vec![key.into(), limit.into()],
            ))
            .await
    }
}

fn stale() -> StoreError {
    StoreError::Conflict("该信息已被他人处理或修改，请刷新后重试".into())
}

/// The privacy findings of a working copy: its text fields and its attachments' text.
async fn working_findings(tx: &mut Tx, item: &Item, negative_list: &[String]) -> Result<Vec<Finding>, StoreError> {
    let mut findings = item.findings(negative_list);
    for a in crate::attachment_rows::working(tx, item.id).await? {
        findings.extend(privacy::scan(&format!("attachment:{}", a.name), &a.text, negative_list));
    }
    Ok(findings)
}

impl Store {
    /// The privacy findings of an item's working copy, attachments included (what
    /// submission and publication are checked against).
    pub async fn privacy_findings(&self, item: &Item, negative_list: &[String]) -> Result<Vec<Finding>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let findings = working_findings(&mut tx, item, negative_list).await?;
        tx.commit().await?;
        Ok(findings)
    }
}

/// Who wrote the working revision (drafted, edited or submitted it since it was last
/// published) and who passed its review since it was last submitted: the facts of 一事一审.
async fn duties(tx: &mut Tx, item_id: i64) -> Result<(Vec<i64>, Option<i64>), StoreError> {
    let rows: Vec<(String, Option<i64>)> = tx
        .ex()
        .fetch_all(Sql(
            "SELECT event, actor_id FROM item_events WHERE item_id = $1 AND id > \
             COALESCE((SELECT MAX(id) FROM item_events WHERE item_id = $1 AND event = 'publish'), 0) ORDER BY id",
            vec![item_id.into()],
        ))
        .await?;
    let mut writers = Vec::new();
    let mut reviewer = None;
    for (event, actor) in rows {
        match event.as_str() {
            "create" | "edit" | "submit" | "propose" | "inspection" => {
                writers.extend(actor);
                if event == "submit" {
                    reviewer = None;
                }
            }
            "review.pass" => reviewer = actor,
            _ => {}
        }
    }
    writers.sort_unstable();
    writers.dedup();
    Ok((writers, reviewer))
}

fn facts<'a>(item: &'a Item, path: &'a OrgPath, findings: &'a [Finding]) -> ItemFacts<'a> {
    ItemFacts {
        state: item.state.0,
        org_path: path,
        author_id: item.author_id,
        title: &item.title,
        attr: item.disclosure_attr.0,
        withhold_reason: &item.withhold_reason,
        withheld_parts: &item.withheld_parts,
        withhold_review_on: item.withhold_review_on,
        has_public_revision: item.public_rev.is_some() && item.state.0 != ItemState::Withdrawn,
        findings,
        privacy_exception: &item.privacy_exception,
        writers: &[],
        reviewer: None,
    }
}

pub(crate) async fn event(
    tx: &mut Tx,
    item: &Item,
    ev: &str,
    actor: &Actor,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = vec![
        item.id.into(),
        ev.into(),
        actor.user_id.into(),
        actor.username.as_str().into(),
        comment.into(),
        item.state.0.as_str().into(),
        now.into(),
    ];
    insert_rows(tx, EVENT_INTO, vec![row]).await
}

/// The next unused index number of an org and year; numbers taken by imported items are
/// skipped, never reused.
async fn next_index_no(tx: &mut Tx, pattern: &str, org_id: i64, year: i32) -> Result<String, StoreError> {
    let mut nos = reserve_index_nos(tx, pattern, org_id, year, 1, &HashSet::new()).await?;
    nos.pop().ok_or_else(|| StoreError::Other("索引号编号失败".into()))
}

/// The next `n` unused index numbers of an org and year, in order: the org's counter moves
/// past them in one statement, and numbers already held by an item (an imported one keeps
/// its own) or in `also_taken` are skipped, never reused.
pub(crate) async fn reserve_index_nos(
    tx: &mut Tx,
    pattern: &str,
    org_id: i64,
    year: i32,
    n: usize,
    also_taken: &HashSet<String>,
) -> Result<Vec<String>, StoreError> {
    let (code,): (String,) = tx.ex().fetch_one(Sql("SELECT code FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let want = (n - out.len()) as i64;
        let (last,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO index_counters (org_id, year, next) VALUES ($1, $2, $3) \
                 ON CONFLICT (org_id, year) DO UPDATE SET next = index_counters.next + $3 RETURNING next",
                vec![org_id.into(), i64::from(year).into(), want.into()],
            ))
            .await?;
        let candidates: Vec<String> =
            (last - want + 1..=last).map(|seq| index_no::format(pattern, &code, year, seq)).collect();
        let mut held = HashSet::new();
        for chunk in candidates.chunks(500) {
            let sql =
                format!("SELECT index_no FROM items WHERE index_no IN ({})", crate::db::placeholders(1, chunk.len()));
            let rows: Vec<(String,)> =
                tx.ex().fetch_all(Sql(&sql, chunk.iter().map(|c| c.as_str().into()).collect())).await?;
            held.extend(rows.into_iter().map(|(no,)| no));
        }
        out.extend(candidates.into_iter().filter(|c| !held.contains(c) && !also_taken.contains(c)));
    }
    Ok(out)
}

/// The hash of what is published: the text fields and the attachments' own hashes.
async fn full_hash(tx: &mut Tx, item: &Item) -> Result<String, StoreError> {
    let shas: Vec<String> = crate::attachment_rows::working(tx, item.id).await?.into_iter().map(|a| a.sha256).collect();
    Ok(hash_with_attachments(item, &shas))
}

/// The content hash of an item whose attachments have these SHA-256 sums.
pub(crate) fn hash_with_attachments(item: &Item, shas: &[String]) -> String {
    let body = format!("{}\n{}", item.body, shas.join("\n"));
    content_hash(&item.title, &item.doc_no, &item.summary, &body)
}

pub(crate) async fn insert_revision(tx: &mut Tx, item: &Item, rev: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let hash = full_hash(tx, item).await?;
    insert_rows(tx, REVISION_INTO, vec![revision_row(item, rev, &hash, now)]).await
}

/// Where a revision row goes: the table and its columns, in [`revision_row`]'s order.
pub(crate) const REVISION_INTO: &str = "item_revisions (item_id, rev, title, doc_no, issuer_name, co_issuers, topic, genre, \
    section_id, written_on, summary, body, disclosure_attr, withheld_parts, channels, content_hash, created_at, \
    reprinted_from, reprint_url)";

/// The values of revision `rev` of `item`, a snapshot of its fields now.
pub(crate) fn revision_row(item: &Item, rev: i64, hash: &str, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        item.id.into(),
        rev.into(),
        item.title.as_str().into(),
        item.doc_no.as_str().into(),
        item.issuer_name.as_str().into(),
        list_json(&item.co_issuers.0).into(),
        item.topic.as_str().into(),
        item.genre.as_str().into(),
        Value::BigInt(item.section_id),
        Value::ChronoDate(item.written_on),
        item.summary.as_str().into(),
        item.body.as_str().into(),
        item.disclosure_attr.0.map(|a| a.as_str()).unwrap_or("proactive").into(),
        item.withheld_parts.as_str().into(),
        list_json(&item.channels.0).into(),
        hash.into(),
        now.into(),
        item.reprinted_from.as_str().into(),
        item.reprint_url.as_str().into(),
    ]
}

/// Writes a register row naming the author and the last reviewer and approver on record.
pub(crate) async fn write_register(
    tx: &mut Tx,
    item: &Item,
    ev: &str,
    rev: Option<i64>,
    publisher: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let author: Option<(String,)> = match item.author_id {
        Some(a) => tx.ex().fetch_optional(Sql("SELECT username FROM users WHERE id = $1", vec![a.into()])).await?,
        None => None,
    };
    let last = |e: &'static str| {
        Sql(
            "SELECT actor FROM item_events WHERE item_id = $1 AND event = $2 ORDER BY id DESC LIMIT 1",
            vec![item.id.into(), e.into()],
        )
    };
    let reviewer: Option<(String,)> = tx.ex().fetch_optional(last("review.pass")).await?;
    let approver: Option<(String,)> = tx.ex().fetch_optional(last("approve.pass")).await?;
    let hash = full_hash(tx, item).await?;
    let names = RegisterNames {
        author: author.map(|a| a.0).unwrap_or_else(|| "导入".into()),
        reviewer: reviewer.map(|a| a.0).unwrap_or_default(),
        approver: approver.map(|a| a.0).unwrap_or_default(),
        publisher: publisher.to_string(),
    };
    insert_rows(tx, REGISTER_INTO, vec![register_row(item, ev, rev, &hash, &names, note, now)]).await
}

/// Who a register row names.
pub(crate) struct RegisterNames {
    pub author: String,
    pub reviewer: String,
    pub approver: String,
    pub publisher: String,
}

/// Where a register row goes: the table and its columns, in [`register_row`]'s order.
pub(crate) const REGISTER_INTO: &str = "publication_register (item_id, rev, event, content_hash, org_id, author, reviewer, approver, publisher, channel, note, at)";

/// The values of a register row for `item`.
pub(crate) fn register_row(
    item: &Item,
    ev: &str,
    rev: Option<i64>,
    hash: &str,
    names: &RegisterNames,
    note: &str,
    now: DateTime<Utc>,
) -> Vec<Value> {
    vec![
        item.id.into(),
        Value::BigInt(rev),
        ev.into(),
        hash.into(),
        item.org_id.into(),
        names.author.as_str().into(),
        names.reviewer.as_str().into(),
        names.approver.as_str().into(),
        names.publisher.as_str().into(),
        item.channels.0.join("、").into(),
        note.into(),
        now.into(),
    ]
}
