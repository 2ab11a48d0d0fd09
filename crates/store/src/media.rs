//! 政务新媒体 in the store: accounts registered, edited and ended (关停, 整合) with their audit
//! rows; updates recorded — typed, or an item republished there — each moving the account's
//! latest update in the same transaction. The rules are `core::media`; who may keep an org's
//! accounts is `Actor::may_keep_registers` (its editors, or the office above it).

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::media::{self, AccountInput, AccountState, Ending, MediaRefusal, Platform};
use sea_query::Value;
use serde_json::json;

impl From<MediaRefusal> for StoreError {
    fn from(e: MediaRefusal) -> Self {
        match e {
            MediaRefusal::Ended(_) => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// An account.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MediaAccount {
    pub id: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub platform: Platform,
    pub name: String,
    pub handle: String,
    pub url: String,
    pub operator: String,
    pub review: String,
    pub opened_on: Option<NaiveDate>,
    #[sqlx(try_from = "String")]
    pub state: AccountState,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: String,
    pub merged_into: Option<i64>,
    pub last_update: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MediaAccount {
    /// The platform and the name, as a clerk names the account: 微信公众号「黔江发布」.
    pub fn label(&self) -> String {
        format!("{}「{}」", self.platform.label(), self.name)
    }
}

/// An update recorded on an account.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MediaUpdate {
    pub id: i64,
    pub account_id: i64,
    pub posted_on: NaiveDate,
    pub title: String,
    pub url: String,
    /// The item republished, when it is one.
    pub item_id: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// An update to record.
#[derive(Debug, Clone, Default)]
pub struct NewMediaUpdate {
    pub posted_on: Option<NaiveDate>,
    pub title: String,
    pub url: String,
    pub item_id: Option<i64>,
}

const ACCOUNT_COLUMNS: &str = "id, org_id, platform, name, handle, url, operator, review, opened_on, state, ended_on, \
    end_reason, merged_into, last_update, created_by, created_at, updated_at";
const UPDATE_COLUMNS: &str = "id, account_id, posted_on, title, url, item_id, recorded_by, recorded_at";

async fn load(tx: &mut Tx, id: i64) -> Result<MediaAccount, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {ACCOUNT_COLUMNS} FROM media_accounts WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound("政务新媒体账号".into()))
}

fn summary(a: &AccountInput) -> String {
    json!({
        "platform": a.platform, "name": a.name, "handle": a.handle, "url": a.url,
        "operator": a.operator, "review": a.review, "opened_on": a.opened_on,
    })
    .to_string()
}

/// The registered facts as bound values: platform, name, handle, url, operator, review,
/// opened_on (the column order of the insert and the update).
fn fields(a: &AccountInput) -> Vec<Value> {
    vec![
        a.platform.unwrap_or(Platform::Other).as_str().into(),
        a.name.clone().into(),
        a.handle.clone().into(),
        a.url.clone().into(),
        a.operator.clone().into(),
        a.review.clone().into(),
        a.opened_on.into(),
    ]
}

fn input_of(a: &MediaAccount) -> AccountInput {
    AccountInput {
        platform: Some(a.platform),
        name: a.name.clone(),
        handle: a.handle.clone(),
        url: a.url.clone(),
        operator: a.operator.clone(),
        review: a.review.clone(),
        opened_on: a.opened_on,
    }
}

impl Store {
    /// The accounts of these orgs (every org when `None`), active first, then by org and name.
    pub async fn media_accounts(&self, org_ids: Option<&[i64]>) -> Result<Vec<MediaAccount>, StoreError> {
        let (cond, values): (String, Vec<Value>) = match org_ids {
            None => ("1 = 1".into(), Vec::new()),
            Some([]) => return Ok(Vec::new()),
            Some(ids) => (
                format!("org_id IN ({})", crate::db::placeholders(1, ids.len())),
                ids.iter().map(|i| Value::from(*i)).collect(),
            ),
        };
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM media_accounts WHERE {cond} \
                     ORDER BY CASE WHEN state = 'active' THEN 0 ELSE 1 END, org_id, name, id"
                ),
                values,
            ))
            .await
    }

    /// One account.
    pub async fn media_account(&self, id: i64) -> Result<Option<MediaAccount>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM media_accounts WHERE id = $1"),
                vec![id.into()],
            ))
            .await
    }

    /// Registers an account of `org_id`; answers its id.
    pub async fn create_media_account(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        input: &AccountInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        actor.may_keep_registers(&org_path(&mut tx, org_id).await?)?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let a = media::check(input, today)?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO media_accounts (org_id, platform, name, handle, url, operator, review, opened_on, state, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                [vec![org_id.into()], fields(&a), vec![
                    AccountState::Active.as_str().into(),
                    String::from(actor.username.clone()).into(),
                    now.into(),
                ]]
                .concat(),
            ))
            .await?;
        tx.audit(ctx, "media.create", "media_account", id.to_string(), String::new(), summary(&a)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Edits an active account's registered facts.
    pub async fn edit_media_account(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        input: &AccountInput,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        actor.may_keep_registers(&org_path(&mut tx, before.org_id).await?)?;
        if before.state != AccountState::Active {
            return Err(MediaRefusal::Ended(before.state.label()).into());
        }
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let a = media::check(input, today)?;
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "UPDATE media_accounts SET platform = $2, name = $3, handle = $4, url = $5, operator = $6, review = $7, \
                 opened_on = $8, updated_at = $9 WHERE id = $1",
                [vec![id.into()], fields(&a), vec![now.into()]].concat(),
            ))
            .await?;
        tx.audit(ctx, "media.edit", "media_account", id.to_string(), summary(&input_of(&before)), summary(&a)).await?;
        tx.commit().await
    }

    /// Ends an active account: closed, or merged into another active account of an org the
    /// actor also keeps.
    #[allow(clippy::too_many_arguments)]
    pub async fn end_media_account(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        merge_into: Option<i64>,
        reason: &str,
        on: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        actor.may_keep_registers(&org_path(&mut tx, before.org_id).await?)?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let how = match merge_into {
            None => Ending::Close,
            Some(target) if target == id => Ending::Merge { into_active: true, into_self: true },
            Some(target) => {
                let into = match load(&mut tx, target).await {
                    Ok(a) => Some(a),
                    Err(StoreError::NotFound(_)) => None,
                    Err(e) => return Err(e),
                };
                if let Some(a) = &into {
                    actor.may_keep_registers(&org_path(&mut tx, a.org_id).await?)?;
                }
                Ending::Merge { into_active: into.is_some_and(|a| a.state == AccountState::Active), into_self: false }
            }
        };
        let state = media::end(before.state, how, reason, on, today)?;
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "UPDATE media_accounts SET state = $2, ended_on = $3, end_reason = $4, merged_into = $5, updated_at = $6 \
                 WHERE id = $1",
                vec![
                    id.into(),
                    state.as_str().into(),
                    on.into(),
                    reason.trim().to_string().into(),
                    merge_into.into(),
                    now.into(),
                ],
            ))
            .await?;
        let action = if state == AccountState::Merged { "media.merge" } else { "media.close" };
        tx.audit(
            ctx,
            action,
            "media_account",
            id.to_string(),
            before.state.as_str().into(),
            json!({ "state": state, "on": on, "reason": reason.trim(), "merged_into": merge_into }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// Records an update on an active account (an item republished there must be public);
    /// the account's latest update moves with it. Answers the update's id.
    pub async fn record_media_update(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        account_id: i64,
        new: &NewMediaUpdate,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let account = load(&mut tx, account_id).await?;
        actor.may_keep_registers(&org_path(&mut tx, account.org_id).await?)?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        let on = new.posted_on.unwrap_or(today);
        let mut title = new.title.trim().to_string();
        if let Some(item_id) = new.item_id {
            let row: Option<(String, Option<i64>)> = tx
                .ex()
                .fetch_optional(Sql(
                    "SELECT title, public_rev FROM items WHERE id = $1 AND state = 'published'",
                    vec![item_id.into()],
                ))
                .await?;
            match row {
                Some((t, Some(_))) => {
                    if title.is_empty() {
                        title = t;
                    }
                }
                _ => return Err(StoreError::Invalid("只能登记已公开信息的转发".into())),
            }
        }
        media::record_update(account.state, account.opened_on, on, &title, new.url.trim(), today)?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO media_updates (account_id, posted_on, title, url, item_id, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    account_id.into(),
                    on.into(),
                    title.clone().into(),
                    new.url.trim().to_string().into(),
                    new.item_id.into(),
                    String::from(actor.username.clone()).into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.ex()
            .execute(Sql(
                "UPDATE media_accounts SET last_update = $2, updated_at = $3 \
                 WHERE id = $1 AND (last_update IS NULL OR last_update < $2)",
                vec![account_id.into(), on.into(), now.into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "media.update",
            "media_account",
            account_id.to_string(),
            String::new(),
            json!({ "update": id, "posted_on": on, "title": title, "item_id": new.item_id }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The latest updates of an account, newest first.
    pub async fn media_updates(&self, account_id: i64, limit: i64) -> Result<Vec<MediaUpdate>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {UPDATE_COLUMNS} FROM media_updates WHERE account_id = $1 \
                     ORDER BY posted_on DESC, id DESC LIMIT $2"
                ),
                vec![account_id.into(), limit.into()],
            ))
            .await
    }

    /// Where an item was republished: each update with its account.
    pub async fn republications(&self, item_id: i64) -> Result<Vec<(MediaUpdate, MediaAccount)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let updates: Vec<MediaUpdate> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {UPDATE_COLUMNS} FROM media_updates WHERE item_id = $1 ORDER BY posted_on, id"),
                vec![item_id.into()],
            ))
            .await?;
        let mut out = Vec::with_capacity(updates.len());
        for u in updates {
            let a: Option<MediaAccount> = conn
                .ex()
                .fetch_optional(Sql(
                    &format!("SELECT {ACCOUNT_COLUMNS} FROM media_accounts WHERE id = $1"),
                    vec![u.account_id.into()],
                ))
                .await?;
            if let Some(a) = a {
                out.push((u, a));
            }
        }
        Ok(out)
    }
}
