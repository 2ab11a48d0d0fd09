//! Accounts, the use cases: orgs and staff added by an administrator over their subtree,
//! an org's disclosure-office contact, and a staff member's API tokens. Adapters parse their
//! input into the typed values (`OrgIdent`, `Username`, `Password`, `Role`) their own way;
//! the authority checks and the hashing happen here once.

use crate::{AppError, AppState};
use gongkai_core::second_factor::{CodeRefusal, SecondFactor};
use gongkai_core::{Actor, Password, Role, Username};
use gongkai_store::auth::hash_password_as;
pub use gongkai_store::auth::new_secret;
pub use gongkai_store::{ApiToken, NewOrg, Org, User};
use gongkai_store::{AuditCtx, NewUser};

/// All orgs, parents first.
pub async fn all_orgs(state: &AppState) -> Result<Vec<Org>, AppError> {
    Ok(state.store.orgs().await?)
}

/// All orgs, parents first, kept between changes: what the portal's busiest pages (home,
/// catalog, search) name orgs from, without reading every org for every page.
pub async fn orgs_kept(state: &AppState) -> Result<std::sync::Arc<Vec<Org>>, AppError> {
    Ok(state
        .figures
        .get_or("orgs".into(), state.figures_version(), || async { state.store.orgs().await.map(std::sync::Arc::new) })
        .await?)
}

/// The org with this code, if any (adapters word a missing one their own way).
pub async fn find_org(state: &AppState, code: &str) -> Result<Option<Org>, AppError> {
    Ok(state.store.org_by_code(code.trim()).await?)
}

/// Adds an org under `parent`, which the actor must administer.
pub async fn add_org(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    parent: &Org,
    new: NewOrg,
) -> Result<Org, AppError> {
    actor.may_administer(&parent.path)?;
    Ok(state.store.create_org(ctx, NewOrg { parent_code: Some(parent.code().to_string()), ..new }).await?)
}

/// A staff member to add.
pub struct NewStaff {
    pub username: Username,
    pub display_name: String,
    pub password: Password,
    pub roles: Vec<Role>,
}

/// Adds a staff member to `org`, whose accounts the actor manages (the security
/// administrator); the password is hashed
/// (argon2) off the async threads.
pub async fn add_staff(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org: &Org,
    new: NewStaff,
) -> Result<User, AppError> {
    actor.may_manage_accounts(&org.path)?;
    let NewStaff { username, display_name, password, roles } = new;
    admins_apart(&roles)?;
    let scheme = state.store.password_scheme();
    let password_hash = tokio::task::spawn_blocking(move || hash_password_as(&password, scheme))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    // The administrator chose the password: its owner changes it at the first login.
    Ok(state
        .store
        .create_user_by_admin(
            ctx,
            NewUser {
                org_code: org.code().to_string(),
                username,
                display_name: display_name.trim().to_string(),
                password_hash,
                roles,
            },
        )
        .await?)
}

/// The roles refused when they hold two of the three administrators (三员), named on the
/// role field.
fn admins_apart(roles: &[Role]) -> Result<(), AppError> {
    gongkai_core::check_admins_apart(roles)
        .map_err(|e| AppError::invalid_field("admins_not_apart", "role", e.to_string()))
}

/// A staff member whose account the actor manages (their org within the security
/// administrator's).
async fn administered(state: &AppState, actor: &Actor, user_id: i64) -> Result<User, AppError> {
    let user = state.store.user_by_id(user_id).await?.ok_or_else(|| AppError::NotFound("用户".into()))?;
    let org = state.store.org_by_id(user.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_manage_accounts(&org.path)?;
    Ok(user)
}

/// Disables a staff member (their sessions and tokens end at once) or enables them again;
/// an administrator cannot disable themselves.
pub async fn set_active(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let user = administered(state, actor, user_id).await?;
    if !active && user.id == actor.user_id {
        return Err(AppError::Conflict { code: "self_disable", message: "不能停用自己的账号".into() });
    }
    Ok(state.store.set_user_active(ctx, user.id, active).await?)
}

/// Replaces a staff member's roles (at least one); their sessions and tokens end so the
/// change holds at once. No one holds two of the three administrators; a security
/// administrator cannot take that role from themselves.
pub async fn set_roles(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    user_id: i64,
    roles: &[Role],
) -> Result<(), AppError> {
    let user = administered(state, actor, user_id).await?;
    if roles.is_empty() {
        return Err(AppError::invalid_field("invalid_field", "role", "请至少选择一个角色；不再工作的人员请停用账号"));
    }
    admins_apart(roles)?;
    if user.id == actor.user_id && !roles.contains(&Role::SecurityAdmin) {
        return Err(AppError::Conflict {
            code: "self_demote", message: "不能取消自己的安全管理员角色".into()
        });
    }
    Ok(state.store.set_user_roles(ctx, user.id, roles).await?)
}

/// The orgs the system or security administrator looks after, each with its staff.
pub async fn staff_by_org(state: &AppState, actor: &Actor) -> Result<Vec<(Org, Vec<User>)>, AppError> {
    if !actor.has(Role::Admin) && !actor.has(Role::SecurityAdmin) {
        return Err(gongkai_core::Denied::MissingRole(Role::Admin).into());
    }
    let mut rows = Vec::new();
    for org in state.store.orgs().await?.into_iter().filter(|o| o.path.is_within(&actor.org_path)) {
        let users = state.store.users_in_org(org.id).await?;
        rows.push((org, users));
    }
    Ok(rows)
}

/// Sets the disclosure-office contact of an org the actor administers, and the pattern of its
/// notice numbers (文号).
pub async fn set_contact(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    contact: &str,
    notice_no_pattern: &str,
) -> Result<(), AppError> {
    let org = super::orgs::by_code(state, code).await?;
    actor.may_administer(&org.path)?;
    gongkai_core::notice::check_notice_no_pattern(notice_no_pattern)
        .map_err(|e| AppError::invalid_field("invalid_pattern", "notice_no_pattern", e))?;
    Ok(state.store.set_org_contact(ctx, org.id, contact, notice_no_pattern).await?)
}

/// The actor's own API tokens.
pub async fn tokens(state: &AppState, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    Ok(state.store.tokens_of(actor.user_id).await?)
}

/// Makes a token for the actor; the secret is answered once and never stored.
pub async fn create_token(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    name: &str,
) -> Result<(ApiToken, String), AppError> {
    Ok(state.store.create_token(ctx, actor.user_id, name).await?)
}

/// Revokes a token: its owner may, and so may a security administrator over the owner's org.
pub async fn revoke_token(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64) -> Result<(), AppError> {
    let store = &state.store;
    let token = store.token(id).await?.ok_or_else(|| AppError::NotFound(format!("令牌 {id}")))?;
    if token.user_id != actor.user_id {
        let owner = store.user_by_id(token.user_id).await?.ok_or_else(|| AppError::NotFound(format!("令牌 {id}")))?;
        let org = store.org_by_id(owner.org_id).await?.ok_or_else(|| AppError::NotFound(format!("令牌 {id}")))?;
        actor.may_manage_accounts(&org.path)?;
    }
    Ok(store.revoke_token(ctx, id).await?)
}

/// What a person logging in gives: their name, password and, when their account has a
/// second factor, its current code.
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub code: Option<&'a str>,
}

/// A session opened by logging in.
pub struct Session {
    /// The session secret (the cookie or the bearer token).
    pub secret: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The password must be changed before anything else (the console sends the person to
    /// the change page; the API refuses the login).
    pub change_due: bool,
}

/// Logs a staff member in (rate-limited per client and per user name) and opens a session.
pub async fn log_in(state: &AppState, c: Credentials<'_>, ip: &str) -> Result<Session, AppError> {
    let user = crate::auth::authenticate(state, c.username, c.password, c.code, ip).await?;
    let change_due = state.store.password_change_due(user.id, state.config.password_max_days).await?;
    let ttl = chrono::Duration::hours(state.config.session_hours);
    let (secret, _csrf) = state.store.create_session(user.id, ttl).await?;
    tracing::info!(user.id = user.id, "session opened");
    Ok(Session { secret, expires_at: state.now() + ttl, change_due })
}

/// Logs in over the API: refused while the password must be changed (change it with
/// [`change_password`] first), and, where the platform requires a second factor, until the
/// person has set one up in the console.
pub async fn log_in_api(state: &AppState, c: Credentials<'_>, ip: &str) -> Result<Session, AppError> {
    let user = crate::auth::authenticate(state, c.username, c.password, c.code, ip).await?;
    let (change_due, has_factor) = state.store.login_obligations(user.id, state.config.password_max_days).await?;
    if change_due {
        return Err(AppError::PasswordChangeRequired);
    }
    if state.config.require_second_factor && !has_factor {
        return Err(AppError::SecondFactorRequired);
    }
    let ttl = chrono::Duration::hours(state.config.session_hours);
    let (secret, _csrf) = state.store.create_session(user.id, ttl).await?;
    Ok(Session { secret, expires_at: state.now() + ttl, change_due: false })
}

/// A person changes their own password, proving the current one (and their second factor's
/// code, if they have one; under the login limits and lockout): the new one meets the account policy and differs from the current; every
/// session and token of the account ends.
pub async fn change_password(state: &AppState, c: Credentials<'_>, new: &str, ip: &str) -> Result<(), AppError> {
    let (username, current) = (c.username, c.password);
    let user = crate::auth::authenticate(state, username, current, c.code, ip).await?;
    let password = Password::parse_for(new, user.username.as_str())
        .map_err(|e| AppError::invalid_field("weak_password", "new_password", e.to_string()))?;
    if new == current {
        return Err(AppError::invalid_field("same_password", "new_password", "新密码不能与原密码相同"));
    }
    let scheme = state.store.password_scheme();
    let hash = tokio::task::spawn_blocking(move || hash_password_as(&password, scheme))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let ctx = AuditCtx { actor: user.username.as_str().to_string(), origin: ip.to_string() };
    Ok(state.store.change_own_password(&ctx, user.id, hash).await?)
}

/// Ends a session (written to the audit trail).
pub async fn log_out(state: &AppState, ctx: &AuditCtx, secret: &str) -> Result<(), AppError> {
    state.store.delete_session(secret.trim()).await?;
    Ok(state.store.audit_event(ctx, "logout", "login", &ctx.actor).await?)
}

/// The staff member behind a session or token, with their org.
pub async fn me(state: &AppState, actor: &Actor) -> Result<(User, Org), AppError> {
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    let org = super::orgs::own(state, actor).await?;
    Ok((user, org))
}

/// A person's second factor as their page shows it: on, or a new secret offered to set up.
pub struct SecondFactorView {
    /// The account has one.
    pub enabled: bool,
    /// The platform requires one (so it cannot be turned off).
    pub required: bool,
    /// A new secret to scan or type (when not enabled), base32.
    pub secret: String,
    /// The same in groups of four.
    pub grouped: String,
    /// The QR code of the `otpauth://` address, as SVG.
    pub qr_svg: String,
}

/// The actor's second factor, with a fresh secret to set one up when they have none; a
/// secret coming back with a refused code (`again`) is offered again.
pub async fn second_factor(state: &AppState, actor: &Actor, again: Option<&str>) -> Result<SecondFactorView, AppError> {
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    let required = state.config.require_second_factor;
    if crate::auth::second_factor_of(state, &user).await?.is_some() {
        return Ok(SecondFactorView {
            enabled: true,
            required,
            secret: String::new(),
            grouped: String::new(),
            qr_svg: String::new(),
        });
    }
    let secret = match again.map(str::trim).filter(|s| SecondFactor::from_base32(s, "x", "x").is_ok()) {
        Some(s) => s.to_string(),
        None => {
            let mut random = [0u8; gongkai_core::second_factor::SECRET_BYTES];
            getrandom::fill(&mut random).map_err(|e| AppError::Internal(anyhow::anyhow!("随机数：{e}")))?;
            SecondFactor::new_secret(random)
        }
    };
    let factor = SecondFactor::from_base32(&secret, &state.site().await.site_name, user.username.as_str())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let qr =
        qrcode::QrCode::new(factor.uri().as_bytes()).map_err(|e| AppError::Internal(anyhow::anyhow!("二维码：{e}")))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(SecondFactorView { enabled: false, required, grouped: SecondFactor::grouped(&secret), secret, qr_svg })
}

/// Turns on the actor's second factor with `secret`, proven by a current `code` from their
/// app (so a mistyped secret never locks anyone out).
pub async fn enable_second_factor(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    secret: &str,
    code: &str,
) -> Result<(), AppError> {
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    if crate::auth::second_factor_of(state, &user).await?.is_some() {
        return Err(AppError::Conflict { code: "second_factor_on", message: "两步验证已启用".into() });
    }
    let factor = SecondFactor::from_base32(secret, &state.site().await.site_name, user.username.as_str())
        .map_err(|e| AppError::invalid_field("invalid_field", "code", e.to_string()))?;
    let unix = u64::try_from(state.now().timestamp()).unwrap_or(0);
    let step =
        factor.check(code, unix, None).map_err(|e| AppError::invalid_field("invalid_code", "code", e.to_string()))?;
    Ok(state.store.enable_second_factor(ctx, user.id, secret.trim(), step).await?)
}

/// Turns off the actor's own second factor, proven by a current code; refused where the
/// platform requires one. Every session and token of the account ends.
pub async fn disable_second_factor(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
) -> Result<(), AppError> {
    if state.config.require_second_factor {
        return Err(AppError::Conflict {
            code: "second_factor_required",
            message: "本平台要求启用两步验证，不能关闭".into(),
        });
    }
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    let Some((factor, last)) = crate::auth::second_factor_of(state, &user).await? else {
        return Err(AppError::Conflict { code: "second_factor_off", message: "两步验证未启用".into() });
    };
    let unix = u64::try_from(state.now().timestamp()).unwrap_or(0);
    let step =
        factor.check(code, unix, last).map_err(|e| AppError::invalid_field("invalid_code", "code", e.to_string()))?;
    if !state.store.take_second_factor_step(user.id, step).await? {
        return Err(AppError::invalid_field("invalid_code", "code", CodeRefusal::Reused.to_string()));
    }
    Ok(state.store.disable_second_factor(ctx, user.id).await?)
}

/// A security administrator resets a staff member's second factor (a lost phone): the person
/// sets up a new one at the next login; their sessions and tokens end.
pub async fn reset_second_factor(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    user_id: i64,
) -> Result<(), AppError> {
    let user = administered(state, actor, user_id).await?;
    Ok(state.store.disable_second_factor(ctx, user.id).await?)
}
