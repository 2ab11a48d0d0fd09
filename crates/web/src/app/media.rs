//! 政务新媒体, the use cases: an org's editors (or the office above it) register its accounts,
//! record what each published — typed, or an item of the site republished there — and close
//! or merge an account it cannot keep; each account shows how near it is to the two-week
//! rule; the public sees the active accounts of every org (政务新媒体矩阵).

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::media::{self, AccountInput, AccountState, Platform};
use gongkai_core::site_check::WARN_DAYS;
use gongkai_store::media::{MediaAccount, MediaUpdate, NewMediaUpdate};
use gongkai_store::{AuditCtx, Org};
use serde::Deserialize;
use std::collections::HashMap;

/// An account as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub org_code: String,
    pub org_name: String,
    /// `wechat`, `wechat_channels`, `weibo`, `app`, `douyin`, `kuaishou`, `toutiao`, `other`.
    pub platform: String,
    pub platform_label: String,
    pub name: String,
    /// The account's id on the platform.
    pub handle: String,
    pub url: String,
    /// 运营单位.
    pub operator: String,
    /// 内容发布审核机制.
    pub review: String,
    pub opened_on: Option<NaiveDate>,
    /// `active`, `closed` or `merged`.
    pub state: String,
    pub state_label: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: String,
    /// The account it was merged into.
    pub merged_into: Option<i64>,
    pub merged_into_label: String,
    pub last_update: Option<NaiveDate>,
    /// The day an active account must next be updated by (two weeks after its latest update).
    pub update_due: Option<NaiveDate>,
    /// `fresh`, `warn` (within four days of the rule), `stale` (past it) or `ended`.
    pub freshness: String,
    pub freshness_label: String,
}

/// An update recorded on an account.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UpdateView {
    pub id: i64,
    pub posted_on: NaiveDate,
    pub title: String,
    pub url: String,
    pub item_id: Option<i64>,
    pub recorded_by: String,
}

/// An account with its latest updates.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccountPage {
    pub account: AccountView,
    pub updates: Vec<UpdateView>,
}

/// An account's fields as a form or the API sends them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AccountFields {
    /// 平台：wechat、wechat_channels、weibo、app、douyin、kuaishou、toutiao、other（或其中文名）.
    pub platform: String,
    /// 账号名称.
    pub name: String,
    /// 账号 ID（微信号、微博 ID 等）.
    #[serde(default)]
    pub handle: String,
    /// 主页链接（http/https）.
    #[serde(default)]
    pub url: String,
    /// 运营单位.
    pub operator: String,
    /// 内容发布审核机制.
    pub review: String,
    /// 开通日期 YYYY-MM-DD.
    #[serde(default)]
    pub opened_on: Option<NaiveDate>,
}

impl AccountFields {
    fn input(&self) -> Result<AccountInput, AppError> {
        let platform = Platform::parse(&self.platform).ok_or_else(|| {
            AppError::invalid_field("invalid_platform", "platform", format!("「{}」不是可选的平台", self.platform))
        })?;
        Ok(AccountInput {
            platform: Some(platform),
            name: self.name.clone(),
            handle: self.handle.clone(),
            url: self.url.clone(),
            operator: self.operator.clone(),
            review: self.review.clone(),
            opened_on: self.opened_on,
        })
    }
}

/// An update as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UpdateFields {
    /// 发布日期 YYYY-MM-DD（默认今天）.
    #[serde(default)]
    pub posted_on: Option<NaiveDate>,
    /// 标题（转发本站信息时可不填，取信息标题）.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    /// 转发的本站信息编号.
    #[serde(default)]
    pub item_id: Option<i64>,
}

/// How an account ends.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct Ending {
    /// `close`（关停）或 `merge`（整合到另一账号）.
    pub how: String,
    /// 整合到的账号编号（merge 时）.
    #[serde(default)]
    pub into: Option<i64>,
    /// 原因.
    pub reason: String,
    /// 日期 YYYY-MM-DD（默认今天）.
    #[serde(default)]
    pub on: Option<NaiveDate>,
}

fn view(a: &MediaAccount, orgs: &HashMap<i64, &Org>, names: &HashMap<i64, String>, today: NaiveDate) -> AccountView {
    let org = orgs.get(&a.org_id);
    let active = a.state == AccountState::Active;
    let due = active.then(|| media::update_due(a.last_update, a.opened_on, today));
    let (freshness, label) = match due.map(|d| (d - today).num_days()) {
        None => ("ended", a.state.label().to_string()),
        Some(_) if a.last_update.is_none() && a.opened_on.is_none() => ("stale", "未登记更新".to_string()),
        Some(left) if left < 0 => ("stale", format!("已 {} 天未更新", media::STALE_DAYS - left)),
        Some(left) if left <= WARN_DAYS => ("warn", format!("{left} 天内须更新")),
        Some(_) => ("fresh", "更新正常".to_string()),
    };
    AccountView {
        id: a.id,
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        platform: a.platform.as_str().into(),
        platform_label: a.platform.label().into(),
        name: a.name.clone(),
        handle: a.handle.clone(),
        url: a.url.clone(),
        operator: a.operator.clone(),
        review: a.review.clone(),
        opened_on: a.opened_on,
        state: a.state.as_str().into(),
        state_label: a.state.label().into(),
        ended_on: a.ended_on,
        end_reason: a.end_reason.clone(),
        merged_into: a.merged_into,
        merged_into_label: a.merged_into.and_then(|m| names.get(&m).cloned()).unwrap_or_default(),
        last_update: a.last_update,
        update_due: due,
        freshness: freshness.into(),
        freshness_label: label,
    }
}

fn update_view(u: &MediaUpdate) -> UpdateView {
    UpdateView {
        id: u.id,
        posted_on: u.posted_on,
        title: u.title.clone(),
        url: u.url.clone(),
        item_id: u.item_id,
        recorded_by: u.recorded_by.clone(),
    }
}

async fn views(state: &AppState, accounts: &[MediaAccount]) -> Result<Vec<AccountView>, AppError> {
    let orgs = state.store.orgs().await?;
    let all = state.store.media_accounts(None).await?;
    Ok(views_of(accounts, &orgs, &all, state.today()))
}

/// The views of `accounts`, with every org and every account (for the one an account was
/// merged into) at hand.
fn views_of(accounts: &[MediaAccount], orgs: &[Org], all: &[MediaAccount], today: NaiveDate) -> Vec<AccountView> {
    let by_id: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    let names: HashMap<i64, String> = all.iter().map(|a| (a.id, a.label())).collect();
    accounts.iter().map(|a| view(a, &by_id, &names, today)).collect()
}

/// The accounts of the orgs a staff member answers for: active first, stale ones first
/// among them.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<AccountView>, AppError> {
    let ids: Vec<i64> = super::orgs::overseen(state, actor).await?.iter().map(|o| o.id).collect();
    let accounts = state.store.media_accounts(Some(&ids)).await?;
    let mut out = views(state, &accounts).await?;
    let rank = |f: &str| ["stale", "warn", "fresh", "ended"].iter().position(|x| *x == f).unwrap_or(4);
    out.sort_by_key(|a| rank(&a.freshness));
    Ok(out)
}

/// Every active account, for the public page, by org in the tree's order.
pub async fn public(state: &AppState) -> Result<Vec<AccountView>, AppError> {
    let all = state.store.media_accounts(None).await?;
    let accounts: Vec<MediaAccount> = all.iter().filter(|a| a.state == AccountState::Active).cloned().collect();
    let orgs = state.store.orgs().await?;
    let mut out = views_of(&accounts, &orgs, &all, state.today());
    let order: HashMap<String, usize> = orgs.iter().enumerate().map(|(i, o)| (o.code().to_string(), i)).collect();
    out.sort_by_key(|a| order.get(&a.org_code).copied().unwrap_or(usize::MAX));
    Ok(out)
}

async fn load(state: &AppState, actor: &Actor, id: i64) -> Result<MediaAccount, AppError> {
    let a = state.store.media_account(id).await?.ok_or_else(|| AppError::NotFound("没有这个政务新媒体账号".into()))?;
    let org = state.store.org_by_id(a.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_supervise(&org.path)?;
    Ok(a)
}

/// One account and its latest 50 updates, for its org's staff or the office above.
pub async fn one(state: &AppState, actor: &Actor, id: i64) -> Result<AccountPage, AppError> {
    let a = load(state, actor, id).await?;
    let updates = state.store.media_updates(id, 50).await?;
    Ok(AccountPage {
        account: views(state, std::slice::from_ref(&a)).await?.remove(0),
        updates: updates.iter().map(update_view).collect(),
    })
}

/// Registers an account of the org with `org_code`; answers its id.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org_code: &str,
    f: &AccountFields,
) -> Result<i64, AppError> {
    let org = super::orgs::by_code(state, org_code).await?;
    Ok(state.store.create_media_account(ctx, actor, org.id, &f.input()?).await?)
}

/// Edits an active account's registered facts.
pub async fn edit(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64, f: &AccountFields) -> Result<(), AppError> {
    load(state, actor, id).await?;
    Ok(state.store.edit_media_account(ctx, actor, id, &f.input()?).await?)
}

/// Records an update on an account; answers its id.
pub async fn record_update(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    f: &UpdateFields,
) -> Result<i64, AppError> {
    load(state, actor, id).await?;
    let new = NewMediaUpdate { posted_on: f.posted_on, title: f.title.clone(), url: f.url.clone(), item_id: f.item_id };
    Ok(state.store.record_media_update(ctx, actor, id, &new).await?)
}

/// Closes an account, or merges it into another.
pub async fn end(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64, e: &Ending) -> Result<(), AppError> {
    load(state, actor, id).await?;
    let into = match e.how.trim() {
        "close" => None,
        "merge" => Some(e.into.ok_or_else(|| {
            AppError::invalid_field("merge_target", "into", media::MediaRefusal::MergeTarget.to_string())
        })?),
        other => {
            return Err(AppError::invalid_field(
                "invalid_ending",
                "how",
                format!("「{other}」不是可选的操作（close 关停、merge 整合）"),
            ));
        }
    };
    let on = e.on.unwrap_or_else(|| state.today());
    Ok(state.store.end_media_account(ctx, actor, id, into, &e.reason, on).await?)
}

/// Where an item was republished, for its console page: (account label, day, link).
pub async fn republications(state: &AppState, item_id: i64) -> Result<Vec<(String, NaiveDate, String)>, AppError> {
    Ok(state.store.republications(item_id).await?.into_iter().map(|(u, a)| (a.label(), u.posted_on, u.url)).collect())
}

/// The active accounts a staff member may record an item as republished on: those of the
/// orgs they answer for (their own; for the office every org below it).
pub async fn accounts_for_item(state: &AppState, actor: &Actor) -> Result<Vec<(i64, String)>, AppError> {
    Ok(list(state, actor)
        .await?
        .into_iter()
        .filter(|a| a.state == AccountState::Active.as_str())
        .map(|a| (a.id, format!("{}「{}」（{}）", a.platform_label, a.name, a.org_name)))
        .collect())
}
