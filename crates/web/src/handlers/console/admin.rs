//! Administration in the console (administrators): the orgs below the administrator's with
//! their staff, adding an org, adding a staff member with roles and a first password, and
//! each org's disclosure-office contact (shown on notices and in the 指南).

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::auth::hash_password;
use gongkai_store::{NewOrg, NewUser, Org, User};
use serde::Deserialize;

pub struct OrgRow {
    pub org: Org,
    pub depth: usize,
    pub users: Vec<User>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/admin.html")]
pub struct Page {
    pub csrf: String,
    pub rows: Vec<OrgRow>,
    pub kinds: &'static [OrgKind],
    pub roles: Vec<(&'static str, &'static str)>,
    pub message: Option<String>,
}

impl Page {
    pub fn role_labels(&self, u: &User) -> String {
        u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
    }
}

async fn page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<Page, AppError> {
    if !staff.actor.has(Role::Admin) {
        return Err(gongkai_core::Denied::MissingRole(Role::Admin).into());
    }
    let mut rows = Vec::new();
    for org in state.store.orgs().await?.into_iter().filter(|o| o.path.is_within(&staff.actor.org_path)) {
        let users = state.store.users_in_org(org.id).await?;
        rows.push(OrgRow { depth: org.path.depth().saturating_sub(staff.actor.org_path.depth()), org, users });
    }
    Ok(Page {
        csrf: staff.csrf.clone(),
        rows,
        kinds: &OrgKind::ALL,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        message,
    })
}

/// `/admin/orgs`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Page, PageError> {
    Ok(page(&state, &staff, None).await?)
}

async fn refused(state: &AppState, staff: &Staff, e: AppError) -> Result<Response, PageError> {
    let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
    Ok((status, page(state, staff, Some(e.to_string())).await?).into_response())
}

#[derive(Deserialize)]
pub struct OrgForm {
    csrf: String,
    parent: String,
    code: String,
    name: String,
    #[serde(default)]
    short_name: String,
    kind: String,
}

/// `POST /admin/orgs`: add an org under one the administrator administers.
pub async fn add_org(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<OrgForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let parent = state
            .store
            .org_by_code(f.parent.trim())
            .await?
            .ok_or_else(|| AppError::invalid("unknown_parent", "上级单位不存在"))?;
        staff.actor.may_administer(&parent.path)?;
        let ident = OrgIdent::parse(&f.code).map_err(|e| AppError::invalid("invalid_org_code", e.to_string()))?;
        let kind = OrgKind::parse(&f.kind).ok_or_else(|| AppError::invalid("invalid_org_kind", "请选择单位类型"))?;
        state
            .store
            .create_org(
                &audit_ctx(&staff.actor, ip),
                NewOrg {
                    parent_code: Some(parent.code().to_string()),
                    ident,
                    name: f.name.trim().to_string(),
                    short_name: f.short_name.trim().to_string(),
                    kind,
                },
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e).await,
    }
}

/// The user form: roles come as repeated `role` fields.
#[derive(Deserialize)]
pub struct UserForm {
    csrf: String,
    org: String,
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    #[serde(default)]
    role: Vec<String>,
}

/// `POST /admin/users`.
pub async fn add_user(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum_extra::extract::Form(f): axum_extra::extract::Form<UserForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let org = state
            .store
            .org_by_code(f.org.trim())
            .await?
            .ok_or_else(|| AppError::invalid("unknown_org", "单位不存在"))?;
        staff.actor.may_administer(&org.path)?;
        let username =
            Username::parse(&f.username).map_err(|e| AppError::invalid("invalid_username", e.to_string()))?;
        let password = Password::parse(&f.password).map_err(|e| AppError::invalid("weak_password", e.to_string()))?;
        let roles = f
            .role
            .iter()
            .map(|r| Role::parse(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::invalid("invalid_role", e.to_string()))?;
        if roles.is_empty() {
            return Err(AppError::invalid("no_role", "请至少选择一个角色"));
        }
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        state
            .store
            .create_user(
                &audit_ctx(&staff.actor, ip),
                NewUser {
                    org_code: org.code().to_string(),
                    username,
                    display_name: f.display_name.trim().to_string(),
                    password_hash: hash,
                    roles,
                },
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e).await,
    }
}

#[derive(Deserialize)]
pub struct ContactForm {
    csrf: String,
    #[serde(default)]
    contact: String,
}

/// `POST /admin/orgs/{code}/contact`.
pub async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Form(f): Form<ContactForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let org = state.store.org_by_code(&code).await?.ok_or_else(|| AppError::NotFound(format!("单位 {code}")))?;
        staff.actor.may_administer(&org.path)?;
        state.store.set_org_contact(&audit_ctx(&staff.actor, ip), org.id, &f.contact).await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e).await,
    }
}
