//! Administration in the console: the orgs below the administrator's with their staff. The
//! system administrator adds orgs and sets each org's disclosure-office contact (shown on
//! notices and in the 指南); the security administrator adds staff with roles and a first
//! password, changes roles and disables accounts (三员: the two are different people).

use crate::app::accounts::{self, NewOrg, NewStaff, Org, User};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
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
    /// The system administrator's part: orgs and their contacts.
    pub may_orgs: bool,
    /// The security administrator's part: staff accounts (三员).
    pub may_accounts: bool,
    /// Errors by field, shown next to them.
    pub fields: crate::error::FieldErrors,
    /// What was typed in the add-org form (kept on an error).
    pub org_form: OrgForm,
    /// What was typed in the add-user form (kept on an error, except the password).
    pub user_form: UserForm,
}

impl Page {
    /// True when the add-user form had this role ticked.
    pub fn role_ticked(&self, code: &str) -> bool {
        self.user_form.role.iter().any(|r| r == code)
    }

    /// True when the user holds the role of this code.
    pub fn has_role(&self, u: &User, code: &str) -> bool {
        u.roles.iter().any(|r| r.as_str() == code)
    }

    pub fn role_labels(&self, u: &User) -> String {
        u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    refusal: Option<(&AppError, OrgForm, UserForm)>,
) -> Result<Page, AppError> {
    let depth = staff.actor.org_path.depth();
    let rows = accounts::staff_by_org(state, &staff.actor)
        .await?
        .into_iter()
        .map(|(org, users)| OrgRow { depth: org.path.depth().saturating_sub(depth), org, users })
        .collect();
    Ok(Page {
        csrf: staff.csrf.clone(),
        rows,
        kinds: &OrgKind::ALL,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        message: refusal.as_ref().map(|(e, ..)| e.to_string()),
        may_orgs: staff.actor.has(Role::Admin),
        may_accounts: staff.actor.has(Role::SecurityAdmin),
        fields: refusal.as_ref().map(|(e, ..)| e.field_errors()).unwrap_or_default(),
        org_form: refusal.as_ref().map(|(_, o, _)| o.clone()).unwrap_or_default(),
        user_form: refusal.map(|(_, _, u)| UserForm { password: String::new(), ..u }).unwrap_or_default(),
    })
}

/// `/admin/orgs`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Page, PageError> {
    Ok(page(&state, &staff, None).await?)
}

async fn refused(
    state: &AppState,
    staff: &Staff,
    e: AppError,
    org_form: OrgForm,
    user_form: UserForm,
) -> Result<Response, PageError> {
    let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
    Ok((status, page(state, staff, Some((&e, org_form, user_form))).await?).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub kind: String,
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
        let parent = accounts::find_org(&state, &f.parent)
            .await?
            .ok_or_else(|| AppError::invalid_field("unknown_parent", "parent", "上级单位不存在"))?;
        staff.actor.may_administer(&parent.path)?;
        let mut errors = Vec::new();
        let ident = OrgIdent::parse(&f.code).map_err(|e| errors.push(("code", e.to_string()))).ok();
        if f.name.trim().is_empty() {
            errors.push(("name", "请填写单位名称".to_string()));
        }
        let kind = OrgKind::parse(&f.kind);
        if kind.is_none() {
            errors.push(("kind", "请选择单位类型".to_string()));
        }
        let (Some(ident), Some(kind), true) = (ident, kind, errors.is_empty()) else {
            return Err(AppError::invalid_fields("invalid_field", errors));
        };
        let new = NewOrg {
            parent_code: None,
            ident,
            name: f.name.trim().to_string(),
            short_name: f.short_name.trim().to_string(),
            kind,
        };
        accounts::add_org(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &parent, new).await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e, f, UserForm::default()).await,
    }
}

/// The user form: roles come as repeated `role` fields.
#[derive(Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    pub role: Vec<String>,
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
        let org = accounts::find_org(&state, &f.org)
            .await?
            .ok_or_else(|| AppError::invalid_field("unknown_org", "org", "单位不存在"))?;
        staff.actor.may_manage_accounts(&org.path)?;
        let mut errors = Vec::new();
        let username = Username::parse(&f.username).map_err(|e| errors.push(("username", e.to_string()))).ok();
        let password = Password::parse_for(&f.password, f.username.trim())
            .map_err(|e| errors.push(("password", e.to_string())))
            .ok();
        let roles = f
            .role
            .iter()
            .map(|r| Role::parse(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| errors.push(("role", e.to_string())))
            .unwrap_or_default();
        if roles.is_empty() && errors.iter().all(|(f, _)| *f != "role") {
            errors.push(("role", "请至少选择一个角色".to_string()));
        }
        let (Some(username), Some(password), true) = (username, password, errors.is_empty()) else {
            return Err(AppError::invalid_fields("invalid_field", errors));
        };
        let new = NewStaff { username, display_name: f.display_name.clone(), password, roles };
        accounts::add_staff(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &org, new).await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e, OrgForm::default(), f).await,
    }
}

#[derive(Deserialize)]
pub struct ContactForm {
    csrf: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    notice_no_pattern: String,
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
        accounts::set_contact(
            &state,
            &staff.actor,
            &audit_ctx(&staff.actor, ip),
            &code,
            &f.contact,
            &f.notice_no_pattern,
        )
        .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e, OrgForm::default(), UserForm::default()).await,
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    csrf: String,
    /// `1` to enable, anything else to disable.
    #[serde(default)]
    active: String,
}

/// `POST /admin/users/{id}/active`: disable a staff member (sessions and tokens end) or
/// enable them again.
pub async fn set_active(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match accounts::set_active(&state, &staff.actor, &ctx, id, f.active == "1").await {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e, OrgForm::default(), UserForm::default()).await,
    }
}

#[derive(Deserialize)]
pub struct RolesForm {
    csrf: String,
    #[serde(default)]
    role: Vec<String>,
}

/// `POST /admin/users/{id}/roles`: replace a staff member's roles.
pub async fn set_roles(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum_extra::extract::Form(f): axum_extra::extract::Form<RolesForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let roles = f
            .role
            .iter()
            .map(|r| Role::parse(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::invalid_field("invalid_field", "role", e.to_string()))?;
        accounts::set_roles(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &roles).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => refused(&state, &staff, e, OrgForm::default(), UserForm::default()).await,
    }
}
