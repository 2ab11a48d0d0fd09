//! Staff users, their roles, API tokens and web sessions. Tokens and sessions are both
//! random secrets of which only the hash is stored; looking one up yields the [`Actor`]
//! that every permission check in `core::access` takes.

use crate::audit::AuditCtx;
use crate::auth::{new_secret, secret_hash};
use crate::db::{Ex, Sql};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use gongkai_core::{Actor, OrgPath, Role, Username};
use sea_query::Value;
use serde_json::json;

/// A stored staff user.
#[derive(Debug, Clone)]
pub struct User {
    /// Id.
    pub id: i64,
    /// The org the user belongs to.
    pub org_id: i64,
    /// Login name.
    pub username: Username,
    /// Name shown in the console and the register (姓名).
    pub display_name: String,
    /// False once disabled; a disabled user cannot log in or use tokens.
    pub active: bool,
    /// Roles held.
    pub roles: Vec<Role>,
    /// When added.
    pub created_at: DateTime<Utc>,
}

impl User {
    fn summary(&self) -> String {
        json!({
            "username": self.username.as_str(), "display_name": self.display_name,
            "org_id": self.org_id, "active": self.active,
            "roles": self.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        })
        .to_string()
    }
}

/// A new user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The org's code.
    pub org_code: String,
    /// Login name.
    pub username: Username,
    /// Name shown.
    pub display_name: String,
    /// The argon2 PHC hash of the initial password (see [`crate::auth::hash_password`]).
    pub password_hash: String,
    /// Roles.
    pub roles: Vec<Role>,
}

/// An API token's stored facts (never its secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    /// Id, used to revoke it.
    pub id: i64,
    /// The owner.
    pub user_id: i64,
    /// What it is for, as the owner named it.
    pub name: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it ends by itself (none for tokens made before tokens expired).
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    org_id: i64,
    username: String,
    display_name: String,
    active: bool,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ActorRow {
    id: i64,
    username: String,
    org_id: i64,
    path: String,
}

const USER_COLUMNS: &str = "id, org_id, username, display_name, active, created_at";

/// How long a new API token lasts, in days.
pub const TOKEN_DAYS: i64 = 90;

/// Ends a user's sessions and API tokens (a password reset, a disable, a change of roles).
async fn end_access(tx: &mut crate::db::Tx, user_id: i64) -> Result<(), StoreError> {
    let now = tx.now;
    tx.ex().execute(Sql("DELETE FROM web_sessions WHERE user_id = $1", vec![user_id.into()])).await?;
    tx.ex()
        .execute(Sql(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            vec![now.into(), user_id.into()],
        ))
        .await?;
    Ok(())
}

/// The user name of `user_id`, read in the transaction that changes the account.
async fn username_of(tx: &mut crate::db::Tx, user_id: i64) -> Result<String, StoreError> {
    let (username,): (String,) = tx
        .ex()
        .fetch_optional(Sql("SELECT username FROM users WHERE id = $1", vec![user_id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound("用户".into()))?;
    Ok(username)
}

async fn roles_of(ex: Ex<'_>, user_id: i64) -> Result<Vec<Role>, StoreError> {
    let rows: Vec<(String,)> =
        ex.fetch_all(Sql("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role", vec![user_id.into()])).await?;
    let mut roles: Vec<Role> = rows.into_iter().filter_map(|(r,)| Role::parse(&r).ok()).collect();
    roles.sort();
    Ok(roles)
}

fn user_from(row: UserRow, roles: Vec<Role>) -> Result<User, StoreError> {
    let username = Username::parse(&row.username)
        .map_err(|e| StoreError::Invalid(format!("库中用户 {} 的用户名无效：{e}", row.id)))?;
    Ok(User {
        id: row.id,
        org_id: row.org_id,
        username,
        display_name: row.display_name,
        active: row.active,
        roles,
        created_at: row.created_at,
    })
}

impl Store {
    /// Adds a user with roles, in one transaction with its audit row.
    pub async fn create_user(&self, ctx: &AuditCtx, new: NewUser) -> Result<User, StoreError> {
        self.create_user_as(ctx, new, false).await
    }

    /// Adds a user whose password an administrator chose: its owner must change it at the
    /// first login (等保 2.0).
    pub async fn create_user_by_admin(&self, ctx: &AuditCtx, new: NewUser) -> Result<User, StoreError> {
        self.create_user_as(ctx, new, true).await
    }

    async fn create_user_as(&self, ctx: &AuditCtx, new: NewUser, must_change: bool) -> Result<User, StoreError> {
        let display_name = new.display_name.trim().to_string();
        if display_name.chars().count() > 50 || display_name.chars().any(char::is_control) {
            return Err(StoreError::Invalid("姓名不能超过 50 个字符，也不能含控制字符".into()));
        }
        let display_name = if display_name.is_empty() { new.username.as_str().to_string() } else { display_name };
        gongkai_core::check_admins_apart(&new.roles).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        let org: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql("SELECT id FROM orgs WHERE code = $1", vec![new.org_code.as_str().into()]))
            .await?;
        let (org_id,) = org.ok_or_else(|| StoreError::Invalid(format!("单位「{}」不存在", new.org_code)))?;
        let exists: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql("SELECT id FROM users WHERE username = $1", vec![new.username.as_str().into()]))
            .await?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!("用户名「{}」已被使用", new.username.as_str())));
        }
        let now = self.now();
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO users (org_id, username, display_name, password_hash, active, created_at, \
                 must_change_password, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    org_id.into(),
                    new.username.as_str().into(),
                    display_name.as_str().into(),
                    new.password_hash.into(),
                    true.into(),
                    now.into(),
                    must_change.into(),
                    now.into(),
                ],
            ))
            .await?;
        let mut roles = new.roles;
        roles.sort();
        roles.dedup();
        for role in &roles {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)",
                    vec![id.into(), role.as_str().into()],
                ))
                .await?;
        }
        let user = User { id, org_id, username: new.username, display_name, active: true, roles, created_at: now };
        tx.audit(ctx, "user.create", "user", user.username.as_str().to_string(), String::new(), user.summary()).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Display names by user name, for the ones that exist (history lines name people, not
    /// logins).
    pub async fn display_names(
        &self,
        usernames: &[&str],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut out = std::collections::HashMap::new();
        let mut conn = self.pool.conn().await?;
        for chunk in usernames.chunks(300) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let rows: Vec<(String, String)> = conn
                .ex()
                .fetch_all(Sql(
                    &format!("SELECT username, display_name FROM users WHERE username IN ({})", list.join(", ")),
                    chunk.iter().map(|u| Value::from(*u)).collect(),
                ))
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The user with this name, with the stored password hash (for logging in).
    pub async fn user_for_login(&self, username: &Username) -> Result<Option<(User, String)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64, String)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT id, password_hash FROM users WHERE username = $1",
                vec![username.as_str().into()],
            ))
            .await?;
        let Some((id, hash)) = row else {
            return Ok(None);
        };
        drop(conn);
        Ok(self.user_by_id(id).await?.map(|u| (u, hash)))
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<UserRow> = conn
            .ex()
            .fetch_optional(Sql(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), vec![id.into()]))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let roles = roles_of(conn.ex(), row.id).await?;
        user_from(row, roles).map(Some)
    }

    /// The user with this name.
    pub async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError> {
        Ok(self.user_for_login(username).await?.map(|(u, _)| u))
    }

    /// The users of an org, by name.
    pub async fn users_in_org(&self, org_id: i64) -> Result<Vec<User>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<UserRow> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 ORDER BY username"),
                vec![org_id.into()],
            ))
            .await?;
        let mut users = Vec::with_capacity(rows.len());
        for row in rows {
            let roles = roles_of(conn.ex(), row.id).await?;
            users.push(user_from(row, roles)?);
        }
        Ok(users)
    }

    /// Replaces a user's password hash and ends the user's web sessions.
    pub async fn set_password(
        &self,
        ctx: &AuditCtx,
        username: &Username,
        password_hash: String,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql("SELECT id FROM users WHERE username = $1", vec![username.as_str().into()]))
            .await?;
        let (id,) = row.ok_or_else(|| StoreError::NotFound(format!("用户「{}」", username.as_str())))?;
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "UPDATE users SET password_hash = $1, must_change_password = TRUE, password_changed_at = $2 WHERE id = $3",
                vec![password_hash.into(), now.into(), id.into()],
            ))
            .await?;
        end_access(&mut tx, id).await?;
        tx.audit(ctx, "user.set_password", "user", username.as_str().to_string(), String::new(), String::new()).await?;
        tx.commit().await
    }

    /// The owner changes their own password: the must-change mark goes, the change time is
    /// now, and every session and token of the account ends (log in again).
    pub async fn change_own_password(
        &self,
        ctx: &AuditCtx,
        user_id: i64,
        password_hash: String,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "UPDATE users SET password_hash = $1, must_change_password = FALSE, password_changed_at = $2 WHERE id = $3",
                vec![password_hash.into(), now.into(), user_id.into()],
            ))
            .await?;
        end_access(&mut tx, user_id).await?;
        tx.audit(ctx, "user.change_password", "user", ctx.actor.clone(), String::new(), String::new()).await?;
        tx.commit().await
    }

    /// The account's second factor: its TOTP secret and the last step accepted, if it has one.
    pub async fn second_factor(&self, user_id: i64) -> Result<Option<(String, Option<i64>)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(Option<String>, Option<i64>)> = conn
            .ex()
            .fetch_optional(Sql("SELECT totp_secret, totp_last_step FROM users WHERE id = $1", vec![user_id.into()]))
            .await?;
        match row.and_then(|(secret, last)| secret.map(|s| (s, last))) {
            Some((secret, last)) => Ok(Some((crate::sealed::open(self.cipher(), secret)?, last))),
            None => Ok(None),
        }
    }

    /// Takes time step `step` of the account's second factor, once: false when it (or a later
    /// one) was taken already — by a replay, or by a login racing on another node.
    pub async fn take_second_factor_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        let mut conn = self.pool.conn().await?;
        let n = conn
            .ex()
            .execute(Sql(
                "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_secret IS NOT NULL \
                 AND (totp_last_step IS NULL OR totp_last_step < $1)",
                vec![step.into(), user_id.into()],
            ))
            .await?;
        Ok(n == 1)
    }

    /// Turns the account's second factor on with `secret`, the step of the code that proved it
    /// taken; audited (the secret is not).
    pub async fn enable_second_factor(
        &self,
        ctx: &AuditCtx,
        user_id: i64,
        secret: &str,
        step: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let username = username_of(&mut tx, user_id).await?;
        tx.ex()
            .execute(Sql(
                "UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3",
                vec![crate::sealed::seal(self.cipher(), secret).into(), step.into(), user_id.into()],
            ))
            .await?;
        tx.audit(ctx, "user.second_factor_on", "user", username, String::new(), String::new()).await?;
        tx.commit().await
    }

    /// Turns the account's second factor off (by its owner, or reset by a security
    /// administrator for a lost phone): every session and token of the account ends.
    pub async fn disable_second_factor(&self, ctx: &AuditCtx, user_id: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let username = username_of(&mut tx, user_id).await?;
        tx.ex()
            .execute(Sql(
                "UPDATE users SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1",
                vec![user_id.into()],
            ))
            .await?;
        end_access(&mut tx, user_id).await?;
        tx.audit(ctx, "user.second_factor_off", "user", username, String::new(), String::new()).await?;
        tx.commit().await
    }

    /// What a logged-in person must do before anything else: change their password (an
    /// administrator set it, or it is older than `max_days`), and whether they have a second
    /// factor — one query, asked on every console page.
    pub async fn login_obligations(&self, user_id: i64, max_days: i64) -> Result<(bool, bool), StoreError> {
        let mut conn = self.pool.conn().await?;
        /// Must change, changed at, created at, the second factor's secret.
        type Row = (bool, Option<DateTime<Utc>>, DateTime<Utc>, Option<String>);
        let row: Option<Row> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT must_change_password, password_changed_at, created_at, totp_secret FROM users WHERE id = $1",
                vec![user_id.into()],
            ))
            .await?;
        let Some((must, changed, created, secret)) = row else { return Ok((false, false)) };
        let old = max_days > 0 && self.now() - changed.unwrap_or(created) > Duration::days(max_days);
        Ok((must || old, secret.is_some()))
    }

    /// Whether the user must change their password before anything else: an administrator set
    /// it, or it is older than `max_days` (0: no maximum age).
    pub async fn password_change_due(&self, user_id: i64, max_days: i64) -> Result<bool, StoreError> {
        Ok(self.login_obligations(user_id, max_days).await?.0)
    }

    async fn actor_where(&self, sql: &str, values: Vec<Value>) -> Result<Option<Actor>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<ActorRow> = conn.ex().fetch_optional(Sql(sql, values)).await?;
        let Some(row) = row else { return Ok(None) };
        let roles = roles_of(conn.ex(), row.id).await?;
        let username = Username::parse(&row.username)
            .map_err(|e| StoreError::Invalid(format!("库中用户 {} 的用户名无效：{e}", row.id)))?;
        Ok(Some(Actor {
            user_id: row.id,
            username,
            org_id: row.org_id,
            org_path: OrgPath::from_stored(row.path),
            roles,
        }))
    }

    /// The acting identity of an active user.
    pub async fn actor(&self, user_id: i64) -> Result<Option<Actor>, StoreError> {
        self.actor_where(
            "SELECT u.id, u.username, u.org_id, o.path FROM users u JOIN orgs o ON o.id = u.org_id \
             WHERE u.id = $1 AND u.active",
            vec![user_id.into()],
        )
        .await
    }

    /// Creates an API token for a user; answers its stored facts and the secret, which is
    /// shown once and never stored.
    pub async fn create_token(
        &self,
        ctx: &AuditCtx,
        user_id: i64,
        name: &str,
    ) -> Result<(ApiToken, String), StoreError> {
        let name = name.trim();
        let name = if name.is_empty() { "API" } else { name };
        if name.chars().count() > 60 || name.chars().any(char::is_control) {
            return Err(StoreError::Invalid("令牌名称不能超过 60 个字符，也不能含控制字符".into()));
        }
        let secret = new_secret("gk");
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let owner: Option<(String,)> =
            tx.ex().fetch_optional(Sql("SELECT username FROM users WHERE id = $1", vec![user_id.into()])).await?;
        let (username,) = owner.ok_or_else(|| StoreError::NotFound("用户".into()))?;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id",
                vec![
                    user_id.into(),
                    name.into(),
                    secret_hash(&secret).into(),
                    now.into(),
                    (now + Duration::days(TOKEN_DAYS)).into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "token.create",
            "token",
            id.to_string(),
            String::new(),
            json!({ "user": username, "name": name }).to_string(),
        )
        .await?;
        tx.commit().await?;
        let token = ApiToken {
            id,
            user_id,
            name: name.to_string(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
            expires_at: Some(now + Duration::days(TOKEN_DAYS)),
        };
        Ok((token, secret))
    }

    /// A user's tokens, newest first, revoked ones included.
    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, user_id, name, created_at, last_used_at, revoked_at, expires_at FROM api_tokens \
                 WHERE user_id = $1 ORDER BY id DESC",
                vec![user_id.into()],
            ))
            .await
    }

    /// One token by id.
    pub async fn token(&self, id: i64) -> Result<Option<ApiToken>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT id, user_id, name, created_at, last_used_at, revoked_at, expires_at FROM api_tokens WHERE id = $1",
                vec![id.into()],
            ))
            .await
    }

    /// Revokes a token by id. Revoking twice is refused as a conflict.
    pub async fn revoke_token(&self, ctx: &AuditCtx, id: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = tx
            .ex()
            .execute(Sql(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                vec![self.now().into(), id.into()],
            ))
            .await?;
        if n == 0 {
            let exists: Option<(i64,)> =
                tx.ex().fetch_optional(Sql("SELECT id FROM api_tokens WHERE id = $1", vec![id.into()])).await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict(format!("令牌 {id} 已被吊销")),
                None => StoreError::NotFound(format!("令牌 {id}")),
            });
        }
        tx.audit(ctx, "token.revoke", "token", id.to_string(), String::new(), String::new()).await?;
        tx.commit().await
    }

    /// The actor behind a bearer secret, if the token is live and its user active.
    pub async fn actor_by_token(&self, secret: &str) -> Result<Option<Actor>, StoreError> {
        let hash = secret_hash(secret);
        let actor = self
            .actor_where(
                "SELECT u.id, u.username, u.org_id, o.path FROM api_tokens t \
                 JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active \
                 AND (t.expires_at IS NULL OR t.expires_at > $2)",
                vec![hash.as_str().into(), self.now().into()],
            )
            .await?;
        if actor.is_some() {
            // Last use is informative; record it at most once a minute per token.
            let now = self.now();
            let mut conn = self.pool.conn().await?;
            conn.ex()
                .execute(Sql(
                    "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 \
                     AND (last_used_at IS NULL OR last_used_at < $3)",
                    vec![now.into(), hash.into(), (now - Duration::minutes(1)).into()],
                ))
                .await?;
        }
        Ok(actor)
    }

    /// Opens a web session for a user; answers the session secret (for the cookie) and the
    /// CSRF token bound to it.
    pub async fn create_session(&self, user_id: i64, ttl: Duration) -> Result<(String, String), StoreError> {
        let secret = new_secret("s");
        let csrf = new_secret("c");
        let now = self.now();
        let mut conn = self.pool.conn().await?;
        conn.ex().execute(Sql("DELETE FROM web_sessions WHERE expires_at < $1", vec![now.into()])).await?;
        conn.ex()
            .execute(Sql(
                "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                vec![secret_hash(&secret).into(), user_id.into(), csrf.as_str().into(), now.into(), (now + ttl).into()],
            ))
            .await?;
        Ok((secret, csrf))
    }

    /// The actor and CSRF token of a live session: not past its absolute end, and used
    /// within `idle` (等保: a session left alone ends). Each use, at most once a minute,
    /// moves its last use on.
    pub async fn session(&self, secret: &str, idle: Duration) -> Result<Option<(Actor, String)>, StoreError> {
        let now = self.now();
        let hash = secret_hash(secret);
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64, String, DateTime<Utc>)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT user_id, csrf_token, COALESCE(last_seen, created_at) FROM web_sessions \
                 WHERE id_hash = $1 AND expires_at > $2",
                vec![hash.as_str().into(), now.into()],
            ))
            .await?;
        let Some((user_id, csrf, last_seen)) = row else {
            return Ok(None);
        };
        if last_seen + idle <= now {
            conn.ex().execute(Sql("DELETE FROM web_sessions WHERE id_hash = $1", vec![hash.into()])).await?;
            return Ok(None);
        }
        if last_seen + Duration::minutes(1) <= now {
            conn.ex()
                .execute(Sql(
                    "UPDATE web_sessions SET last_seen = $1 WHERE id_hash = $2",
                    vec![now.into(), hash.into()],
                ))
                .await?;
        }
        drop(conn);
        Ok(self.actor(user_id).await?.map(|a| (a, csrf)))
    }

    /// When the lockout of any of `keys` (an account, a client) ends, if one is locked now.
    pub async fn login_locked(&self, keys: &[String]) -> Result<Option<DateTime<Utc>>, StoreError> {
        let now = self.now();
        let mut conn = self.pool.conn().await?;
        let mut until = None;
        for key in keys {
            let row: Option<(Option<DateTime<Utc>>,)> = conn
                .ex()
                .fetch_optional(Sql(
                    "SELECT locked_until FROM login_failures WHERE key = $1",
                    vec![key.as_str().into()],
                ))
                .await?;
            if let Some((Some(t),)) = row
                && t > now
            {
                until = until.max(Some(t));
            }
        }
        Ok(until)
    }

    /// Counts a failed login against each of `keys`; a key reaching `max` consecutive
    /// failures is locked for `lock_for` (and its count starts again). Writes the failure,
    /// and any lockout, to the audit trail; answers when the lockout ends, if one began.
    pub async fn login_failed(
        &self,
        ctx: &AuditCtx,
        keys: &[String],
        max: u32,
        lock_for: Duration,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let mut locked = None;
        for key in keys {
            let (failures,): (i64,) = tx
                .ex()
                .fetch_one(Sql(
                    "INSERT INTO login_failures (key, failures, updated_at) VALUES ($1, 1, $2) \
                     ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, updated_at = $2 \
                     RETURNING failures",
                    vec![key.as_str().into(), now.into()],
                ))
                .await?;
            if failures >= i64::from(max.max(1)) {
                let until = now + lock_for;
                tx.ex()
                    .execute(Sql(
                        "UPDATE login_failures SET failures = 0, locked_until = $1 WHERE key = $2",
                        vec![until.into(), key.as_str().into()],
                    ))
                    .await?;
                tx.audit(
                    ctx,
                    "login.locked",
                    "login",
                    key.clone(),
                    String::new(),
                    json!({ "until": until }).to_string(),
                )
                .await?;
                locked = Some(until);
            }
        }
        tx.audit(ctx, "login.failed", "login", ctx.actor.clone(), String::new(), String::new()).await?;
        tx.commit().await?;
        Ok(locked)
    }

    /// A successful login: the account's count of failures starts again, and the login is
    /// written to the audit trail.
    pub async fn login_succeeded(&self, ctx: &AuditCtx, account_key: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM login_failures WHERE key = $1", vec![account_key.into()])).await?;
        tx.audit(ctx, "login", "login", ctx.actor.clone(), String::new(), String::new()).await?;
        tx.commit().await
    }

    /// Writes an event that changes nothing stored to the audit trail: a logout, a view of
    /// personal data (等保: such access is traceable).
    pub async fn audit_event(&self, ctx: &AuditCtx, action: &str, kind: &str, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        tx.audit(ctx, action, kind, id.to_string(), String::new(), String::new()).await?;
        tx.commit().await
    }

    /// Disables a user (or enables them again): a disabled user cannot log in, and their
    /// sessions and API tokens end at once.
    pub async fn set_user_active(&self, ctx: &AuditCtx, user_id: i64, active: bool) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let username = username_of(&mut tx, user_id).await?;
        tx.ex().execute(Sql("UPDATE users SET active = $1 WHERE id = $2", vec![active.into(), user_id.into()])).await?;
        if !active {
            end_access(&mut tx, user_id).await?;
        }
        let action = if active { "user.enable" } else { "user.disable" };
        tx.audit(ctx, action, "user", username, String::new(), String::new()).await?;
        tx.commit().await
    }

    /// Replaces a user's roles; their sessions and API tokens end, so the change holds at once.
    pub async fn set_user_roles(&self, ctx: &AuditCtx, user_id: i64, roles: &[Role]) -> Result<(), StoreError> {
        gongkai_core::check_admins_apart(roles).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        let username = username_of(&mut tx, user_id).await?;
        let before = roles_of(tx.ex(), user_id).await?;
        tx.ex().execute(Sql("DELETE FROM user_roles WHERE user_id = $1", vec![user_id.into()])).await?;
        for role in roles {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)",
                    vec![user_id.into(), role.as_str().into()],
                ))
                .await?;
        }
        end_access(&mut tx, user_id).await?;
        let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>();
        tx.audit(
            ctx,
            "user.roles",
            "user",
            username,
            json!({ "roles": names(&before) }).to_string(),
            json!({ "roles": names(roles) }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// Ends a session.
    pub async fn delete_session(&self, secret: &str) -> Result<(), StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().execute(Sql("DELETE FROM web_sessions WHERE id_hash = $1", vec![secret_hash(secret).into()])).await?;
        Ok(())
    }
}

/// Checks an e-mail address as forms do: one `@`, no spaces or control characters, a dot
/// in the domain, at most 200 characters. Empty clears it.
pub fn check_email(email: &str) -> Result<String, StoreError> {
    let e = email.trim();
    if e.is_empty() {
        return Ok(String::new());
    }
    let ok = e.chars().count() <= 200
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"(),;:[]\\".contains(c))
        && e.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if ok { Ok(e.to_string()) } else { Err(StoreError::Invalid(format!("电子邮箱「{e}」格式有误"))) }
}

impl Store {
    /// Sets (or clears) a staff member's e-mail address for notifications.
    pub async fn set_user_email(&self, ctx: &AuditCtx, user_id: i64, email: &str) -> Result<(), StoreError> {
        let email = check_email(email)?;
        let mut tx = self.pool.begin().await?;
        let n = tx
            .ex()
            .execute(Sql("UPDATE users SET email = $1 WHERE id = $2", vec![email.as_str().into(), user_id.into()]))
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("用户 {user_id}")));
        }
        tx.audit(
            ctx,
            "user.email",
            "user",
            user_id.to_string(),
            String::new(),
            json!({ "email_set": !email.is_empty() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A staff member's e-mail address (empty when none).
    pub async fn user_email(&self, user_id: i64) -> Result<String, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(String,)> =
            conn.ex().fetch_optional(Sql("SELECT email FROM users WHERE id = $1", vec![user_id.into()])).await?;
        Ok(row.map(|(e,)| e).unwrap_or_default())
    }

    /// The orgs that have at least one active request handler (the others' requests wait
    /// for the disclosure office to route them).
    pub async fn orgs_with_handlers(&self) -> Result<std::collections::HashSet<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT DISTINCT u.org_id FROM users u JOIN user_roles r ON r.user_id = u.id \
                 WHERE u.active AND r.role = 'request_handler'",
                vec![],
            ))
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The e-mail addresses of an org's active request handlers.
    pub async fn handler_emails(&self, org_id: i64) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id \
                 WHERE u.org_id = $1 AND u.active AND r.role = 'request_handler' AND u.email <> '' ORDER BY u.id",
                vec![org_id.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }
}
