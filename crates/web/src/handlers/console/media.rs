//! 政务新媒体 in the console: the accounts of the orgs a clerk answers for, stale ones first;
//! registering one; its page with the updates recorded, the edit form, an update and the
//! closing or merging of the account; and an item recorded as republished on an account.

use crate::app::media::{self, AccountFields, AccountPage, AccountView, Ending, UpdateFields};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::util::form_date;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::media::Platform;
use gongkai_store::Org;
use serde::Deserialize;

/// The platforms a form offers: (code, label).
fn platforms() -> Vec<(&'static str, &'static str)> {
    Platform::ALL.iter().map(|p| (p.as_str(), p.label())).collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "console/media.html")]
pub struct ListPage {
    pub csrf: String,
    pub accounts: Vec<AccountView>,
    pub orgs: Vec<Org>,
    pub platforms: Vec<(&'static str, &'static str)>,
    pub message: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<ListPage, AppError> {
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        accounts: media::list(state, &staff.actor).await?,
        orgs: crate::app::orgs::overseen(state, &staff.actor).await?,
        platforms: platforms(),
        message,
    })
}

/// `/admin/media`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, None).await?)
}

#[derive(Deserialize)]
pub struct AccountForm {
    csrf: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    opened_on: String,
}

impl AccountForm {
    fn fields(&self) -> Result<AccountFields, AppError> {
        Ok(AccountFields {
            platform: self.platform.clone(),
            name: self.name.clone(),
            handle: self.handle.clone(),
            url: self.url.clone(),
            operator: self.operator.clone(),
            review: self.review.clone(),
            opened_on: form_date(&self.opened_on)?,
        })
    }
}

/// `POST /admin/media`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<AccountForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result =
        async { media::create(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &f.org, &f.fields()?).await }.await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admin/media/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, Some(format!("未能登记：{e}"))).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/media_account.html")]
pub struct AccountPageView {
    pub csrf: String,
    pub p: AccountPage,
    pub platforms: Vec<(&'static str, &'static str)>,
    /// Active accounts it may be merged into: (id, label).
    pub merge_targets: Vec<(i64, String)>,
    pub today: String,
    pub message: Option<String>,
}

async fn account_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<AccountPageView, AppError> {
    let p = media::one(state, &staff.actor, id).await?;
    let merge_targets =
        media::accounts_for_item(state, &staff.actor).await?.into_iter().filter(|(a, _)| *a != id).collect();
    Ok(AccountPageView {
        csrf: staff.csrf.clone(),
        p,
        platforms: platforms(),
        merge_targets,
        today: state.today().to_string(),
        message,
    })
}

/// `/admin/media/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<AccountPageView, PageError> {
    Ok(account_page(&state, &staff, id, None).await?)
}

async fn after(state: &AppState, staff: &Staff, id: i64, result: Result<(), AppError>) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/media/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, account_page(state, staff, id, Some(format!("未保存：{e}"))).await?).into_response())
        }
    }
}

/// `POST /admin/media/{id}`: edits the registered facts.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<AccountForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result =
        async { media::edit(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &f.fields()?).await }.await;
    after(&state, &staff, id, result).await
}

#[derive(Deserialize)]
pub struct UpdateForm {
    csrf: String,
    #[serde(default)]
    posted_on: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
}

/// `POST /admin/media/{id}/updates`.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<UpdateForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let u = UpdateFields {
            posted_on: form_date(&f.posted_on)?,
            title: f.title.clone(),
            url: f.url.clone(),
            item_id: None,
        };
        media::record_update(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &u).await.map(|_| ())
    }
    .await;
    after(&state, &staff, id, result).await
}

#[derive(Deserialize)]
pub struct EndForm {
    csrf: String,
    #[serde(default)]
    how: String,
    #[serde(default)]
    into: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    on: String,
}

/// `POST /admin/media/{id}/ending`.
pub async fn end(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<EndForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let e = Ending {
            how: f.how.clone(),
            into: f.into.trim().parse().ok(),
            reason: f.reason.clone(),
            on: form_date(&f.on)?,
        };
        media::end(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &e).await
    }
    .await;
    after(&state, &staff, id, result).await
}

#[derive(Deserialize)]
pub struct RepublishForm {
    csrf: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    posted_on: String,
    #[serde(default)]
    url: String,
}

/// `POST /admin/items/{id}/republications`: the item recorded as republished on an account;
/// back to the item's page.
pub async fn republish(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(item): Path<i64>,
    axum::Form(f): axum::Form<RepublishForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let account: i64 = f
        .account
        .trim()
        .parse()
        .map_err(|_| AppError::invalid_field("account", "account", "请选择转发到的政务新媒体账号"))?;
    let u = UpdateFields {
        posted_on: form_date(&f.posted_on)?,
        title: String::new(),
        url: f.url.clone(),
        item_id: Some(item),
    };
    media::record_update(&state, &staff.actor, &audit_ctx(&staff.actor, ip), account, &u).await?;
    Ok(Redirect::to(&format!("/admin/items/{item}#republications")).into_response())
}
