//! Who is calling. API clients send `Authorization: Bearer …` with an API token (`gk_…`)
//! or a session token from `POST /api/v1/session` (`s_…`); console pages use the
//! `gk_session` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and a CSRF token bound
//! to the session on every form. Logins are rate-limited by address and by user name.

use crate::{ApiError, AppError, AppState, PageError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use gongkai_core::second_factor::{CodeRefusal, SecondFactor};
use gongkai_core::{Actor, Username};
use gongkai_store::User;
use gongkai_store::auth::{DUMMY_HASH, verify_password};
use std::net::SocketAddr;

/// The console session cookie.
pub const SESSION_COOKIE: &str = "gk_session";
/// The pre-login CSRF cookie (double-submit: the login form carries the same value).
pub const LOGIN_COOKIE: &str = "gk_login";

/// The client's address (for rate limits and staff audit rows): the connection's, or — when
/// the connection comes from a trusted proxy (`web.trusted_proxies`) — the one the proxies
/// name in `X-Forwarded-For` (the nearest address that is not itself a trusted proxy) or
/// `X-Real-IP`.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The client behind `peer`, by the rules of [`ClientIp`].
pub fn client_ip(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    if let Some(client) = forwarded.iter().rev().find(|ip| !is_trusted(ip)) {
        return *client;
    }
    if let Some(real) = headers.get("x-real-ip").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok()) {
        return real;
    }
    forwarded.first().copied().unwrap_or(peer)
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(c) => client_ip(c.0.ip(), &parts.headers, &state.trusted_proxies).to_string(),
            None => "unknown".into(),
        }))
    }
}

/// A staff member authenticated by bearer token, for the API.
#[derive(Debug, Clone)]
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::Unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 128)
            .ok_or(AppError::Unauthorized)?;
        let actor = if secret.starts_with("s_") {
            state
                .store
                .session(secret, chrono::Duration::minutes(state.config.idle_minutes.max(1)))
                .await?
                .map(|(a, _)| a)
        } else {
            state.store.actor_by_token(secret).await?
        };
        actor.map(ApiActor).ok_or(ApiError(AppError::Unauthorized))
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;
    /// No `Authorization` header: `None` (a public caller). A header with a bad token: 401.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, ApiError> {
        if !parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            return Ok(None);
        }
        <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await.map(Some)
    }
}

/// A staff member logged in to the console, with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Staff {
    /// Who.
    pub actor: Actor,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    /// The session secret (for logging out).
    pub session: String,
}

impl Staff {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if crate::util::same_secret(token, &self.csrf) { Ok(()) } else { Err(csrf_error()) }
    }
}

/// The refusal of a form with a missing or stale CSRF token.
pub fn csrf_error() -> AppError {
    AppError::Forbidden { code: "csrf", message: "页面已过期或来源不明，请刷新页面后重试".into() }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let next = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/admin".into());
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(secret) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(PageError(AppError::LoginRequired { next }));
        };
        match state.store.session(&secret, chrono::Duration::minutes(state.config.idle_minutes.max(1))).await? {
            Some((actor, csrf)) => {
                // A password an administrator set, or one too old, is changed before any other
                // page (the change page itself and logging out stay open).
                let path = parts.uri.path();
                if !matches!(path, "/admin/password" | "/admin/second-factor" | "/logout") {
                    let (change_due, has_factor) =
                        state.store.login_obligations(actor.user_id, state.config.password_max_days).await?;
                    if change_due {
                        return Err(PageError(AppError::PasswordChangeRequired));
                    }
                    if state.config.require_second_factor && !has_factor {
                        return Err(PageError(AppError::SecondFactorRequired));
                    }
                }
                crate::menu::note(&actor.roles);
                Ok(Staff { actor, csrf, session: secret })
            }
            None => Err(PageError(AppError::LoginRequired { next })),
        }
    }
}

/// Checks a user name and password — and the code of the account's second factor, when it
/// has one — under the login rate limits and lockout. The same answer, after the same work,
/// for an unknown user and a wrong password; a missing or wrong code counts as a failure.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    code: Option<&str>,
    ip: &str,
) -> Result<User, AppError> {
    let name_key = format!("user:{}", username.trim().to_ascii_lowercase());
    if !state.allow(crate::Limit::Login, &format!("ip:{ip}")).await
        || !state.allow(crate::Limit::Login, &name_key).await
    {
        tracing::warn!(login.limited = true, "login rate limit reached");
        return Err(AppError::TooManyRequests);
    }
    // 等保: consecutive failures lock the account and the client for a while, and every
    // login, failure and lockout is in the audit trail.
    let keys = [name_key.clone(), format!("ip:{ip}")];
    let ctx = gongkai_store::AuditCtx {
        actor: username.trim().chars().filter(|c| !c.is_control()).take(64).collect(),
        origin: ip.to_string(),
    };
    let locked = |until: chrono::DateTime<chrono::Utc>| AppError::Locked {
        until: (until + chrono::Duration::hours(8)).format("%H:%M").to_string(),
    };
    if let Some(until) = state.store.login_locked(&keys).await? {
        return Err(locked(until));
    }
    let found = match Username::parse(username) {
        Ok(name) => state.store.user_for_login(&name).await?,
        Err(_) => None,
    };
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, DUMMY_HASH.clone()),
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let refusal = match user {
        Some(u) if ok && u.active => match check_second_factor(state, &u, code).await {
            Ok(()) => {
                state.store.login_succeeded(&ctx, &name_key).await?;
                return Ok(u);
            }
            Err(e) => e,
        },
        _ => AppError::BadCredentials,
    };
    let lock_for = chrono::Duration::minutes(state.config.lockout_minutes.max(1));
    match state.store.login_failed(&ctx, &keys, state.config.lockout_failures, lock_for).await? {
        Some(until) => Err(locked(until)),
        None => Err(refusal),
    }
}

/// The account's second factor, if it has one, with the site's name as the issuer an
/// authenticator app shows.
pub async fn second_factor_of(state: &AppState, user: &User) -> Result<Option<(SecondFactor, Option<i64>)>, AppError> {
    let Some((secret, last)) = state.store.second_factor(user.id).await? else { return Ok(None) };
    let factor = SecondFactor::from_base32(&secret, &state.site().await.site_name, user.username.as_str())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("用户 {} 的{e}", user.id)))?;
    Ok(Some((factor, last)))
}

/// Accepts `code` for the account's second factor (none: nothing to check): a code of now,
/// of a step not used before — taken atomically, so a code works once across every node.
async fn check_second_factor(state: &AppState, user: &User, code: Option<&str>) -> Result<(), AppError> {
    let Some((factor, last)) = second_factor_of(state, user).await? else { return Ok(()) };
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let Some(code) = code else {
        return Err(AppError::SecondFactor("该账号已启用两步验证，请填写动态口令".into()));
    };
    let unix = u64::try_from(state.now().timestamp()).unwrap_or(0);
    let step = factor.check(code, unix, last).map_err(|e| AppError::SecondFactor(e.to_string()))?;
    if !state.store.take_second_factor_step(user.id, step).await? {
        return Err(AppError::SecondFactor(CodeRefusal::Reused.to_string()));
    }
    Ok(())
}

/// A cookie with the site's flags: HttpOnly, SameSite=Lax, path `/`, Secure over HTTPS.
/// It lives for the browser session; the server-side session row is what expires.
pub fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(state.config.secure_cookies());
    c
}

/// The audit context of a staff action: who (the user name) and from where (the address).
pub fn audit_ctx(actor: &Actor, ip: String) -> gongkai_store::AuditCtx {
    gongkai_store::AuditCtx { actor: actor.username.as_str().to_string(), origin: ip }
}
