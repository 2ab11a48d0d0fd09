//! One typed configuration: code defaults, then a TOML file (`--config`), then
//! `GONGKAI__SECTION__KEY` environment variables (and `DATABASE_URL`), then flags.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use gongkai_web::WebConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Everything the binary can be configured with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Where the SQLite file, the search index and attachments live.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; empty for the embedded SQLite file in `data_dir`.
    #[serde(serialize_with = "redacted")]
    pub database_url: Option<SecretString>,
    /// Connections to the database at most (default: 8 on SQLite, 16 on PostgreSQL).
    pub database_pool_size: Option<u32>,
    /// Where attachment files are kept: `auto` (the database on PostgreSQL, `data_dir/files`
    /// on SQLite), `database` or `directory`.
    pub files: gongkai_store::files::FileStorage,
    /// Address to listen on.
    pub addr: String,
    /// `text` or `json`.
    pub log_format: String,
    /// The pattern of new index numbers (索引号).
    pub index_pattern: String,
    /// 国密: chain new audit rows with SM3 and hash new passwords with PBKDF2-HMAC-SM3.
    pub guomi: bool,
    /// 国密 SM4 key (32 hex digits) sealing applicants' ID numbers, phones, e-mail and
    /// addresses and staff second-factor secrets at rest; from the environment only.
    #[serde(serialize_with = "redacted")]
    pub guomi_field_key: Option<SecretString>,
    /// The HTTP side.
    pub web: WebConfig,
}

fn redacted<S: serde::Serializer>(v: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(_) => s.serialize_some("***"),
        None => s.serialize_none(),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_pool_size: None,
            files: gongkai_store::files::FileStorage::Auto,
            addr: "127.0.0.1:8080".into(),
            log_format: "text".into(),
            index_pattern: gongkai_core::index_no::DEFAULT_PATTERN.into(),
            guomi: false,
            guomi_field_key: None,
            web: WebConfig::default(),
        }
    }
}

impl Settings {
    /// Loads the layers in order; `config` is the optional TOML file.
    pub fn load(config: Option<&Path>) -> Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(DefaultsForMerge::default()));
        if let Some(path) = config {
            anyhow::ensure!(path.exists(), "配置文件不存在：{}", path.display());
            fig = fig.merge(Toml::file(path));
        }
        fig = fig.merge(Env::prefixed("GONGKAI__").split("__").lowercase(true));
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.trim().is_empty()
        {
            fig = fig.merge(("database_url", url));
        }
        fig.extract().context("读取配置失败")
    }

    /// The database URL: `DATABASE_URL` / `database_url` when set, else the SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.expose_secret().trim().is_empty() => url.expose_secret().to_string(),
            _ => format!("sqlite://{}", self.data_dir.join("gongkai.db").display()),
        }
    }
}

/// The defaults as plain values (a `SecretString` does not serialise back).
#[derive(Serialize)]
struct DefaultsForMerge {
    data_dir: PathBuf,
    files: gongkai_store::files::FileStorage,
    addr: String,
    log_format: String,
    index_pattern: String,
    guomi: bool,
    web: WebConfig,
}

impl Default for DefaultsForMerge {
    fn default() -> Self {
        let s = Settings::default();
        Self {
            data_dir: s.data_dir,
            files: s.files,
            addr: s.addr,
            log_format: s.log_format,
            index_pattern: s.index_pattern,
            guomi: s.guomi,
            web: s.web,
        }
    }
}

/// The annotated example printed by `gongkai config print-default`.
pub const EXAMPLE: &str = r#"# gongkai configuration (TOML). Every key is optional; shown are the defaults.
# Each key can also be set as an environment variable GONGKAI__SECTION__KEY,
# e.g. GONGKAI__WEB__PUBLIC_URL=https://gk.example.gov.cn

# Where the SQLite file, the search index and attachments live.
data_dir = "./data"

# PostgreSQL instead of the embedded SQLite file (or set DATABASE_URL).
# database_url = "postgres://gongkai:PASSWORD@127.0.0.1:5432/gongkai"
# Connections to the database at most, per node (default 8 on SQLite, 16 on PostgreSQL).
# Several nodes on one PostgreSQL share its max_connections: nodes × this must stay below.
# database_pool_size = 16

# Where attachment files are kept: "auto" (in the database on PostgreSQL, so nodes share
# nothing else; under data_dir/files on SQLite), "database" or "directory". Move existing
# files with `gongkai files migrate --to database|directory`.
files = "auto"

# Address to listen on.
addr = "127.0.0.1:8080"

# Log format: "text" or "json". Levels come from RUST_LOG (default "info").
log_format = "text"

# The pattern of new index numbers (索引号): {code} the org's code, {year}, and {seq} or
# {seq:0N} the sequence per org and year. Imported items keep their own numbers.
index_pattern = "{code}/{year}-{seq:05}"

# 国密 (GB/T 32905 SM3): new audit rows are chained with SM3 and new passwords hashed with
# PBKDF2-HMAC-SM3 instead of SHA-256 and argon2id. Rows and passwords stored before keep
# verifying, so it can be turned on at any time.
guomi = false
# 国密 SM4 sealing of sensitive fields at rest (applicants' ID numbers, phones, e-mail and
# addresses; staff second-factor secrets): give a 128-bit key as 32 hex digits in the
# environment, never in a file — GONGKAI__GUOMI_FIELD_KEY=$(openssl rand -hex 16). Keep it
# with the backups: without it those fields cannot be read. Values stored before stay
# readable.

[web]
# The address the public reaches the site at; https:// makes cookies Secure.
public_url = "http://127.0.0.1:8080"
# Largest request body, in bytes.
body_limit_bytes = 2097152
# How long a console login lasts, in hours.
session_hours = 8
# Login attempts per minute from one address and for one user name.
login_attempts_per_minute = 10
# Public submissions (information requests, letters) per minute from one address.
public_posts_per_minute = 5
# Request status look-ups per minute from one address.
status_lookups_per_minute = 30
# Attachment uploads per minute by one staff member.
uploads_per_minute = 30
# The reverse proxies in front of the server (addresses or networks). A connection from
# one of them names the client in X-Forwarded-For / X-Real-IP, and rate limits and the
# audit trail use that client; otherwise these headers are ignored.
trusted_proxies = []
# /metrics answers only connections from this machine, unless a scraper's secret is set
# through the environment (never in this file): GONGKAI__WEB__METRICS_TOKEN=…, sent as
# Authorization: Bearer ….
# Seconds before a request is answered 408.
request_timeout_secs = 30
# Largest attachment accepted, in bytes (files are kept under DATA_DIR/files).
attachment_limit_bytes = 52428800
# 负面清单: words that block publication wherever they appear (with the personal-data
# and secrecy-marking checks), e.g. ["内部讨论稿", "未经批准"].
negative_list = []
# Topics (主题分类) and genres (体裁分类) added to the shipped lists (data/topics.txt, data/genres.txt).
topics_extra = []
genres_extra = []
# E-mail: "off", "smtp", or "file" (each message written as an .eml file to mail_dir,
# DATA_DIR/mail by default — for checking a deployment). With smtp, give the server as
# GONGKAI__WEB__MAIL_SMTP_URL=smtps://user:password@smtp.example.gov.cn:465 in the
# environment (never in a file in the repository).
mail_transport = "off"
mail_from = "政府信息公开平台 <noreply@localhost>"
# Hour of the day (Beijing) the reminder of requests due or overdue goes to request handlers.
mail_reminder_hour = 8
# The daily website self-check also opens the links of published bodies to other sites
# (HEAD, else GET; 10 s each, 8 at a time, at most 2,000 a run). Off: internal links only.
check_external_links = false
# Every this many minutes each node opens the home page at public_url from outside, as the
# inspection's monitor does (10 s to answer); the self-check fails the site when it did not
# open 5 times in 100 over a week (网站无法访问). 0: off. E.g. 10.
probe_minutes = 0
# Days a staff password may be used before its owner must change it (等保 2.0; 0: no
# maximum age, e.g. 90). A password an administrator set is always changed at first login.
password_max_days = 0
# A second factor (TOTP: 6-digit codes from an authenticator app) for every staff member
# (等保 2.0 level 3). false: each person may turn one on (工作台 → 两步验证); true: no one
# uses the console or the API before setting one up.
require_second_factor = false
# Text messages (the confirmation code of a survey that asks for one): "off", "file" (each
# message written to sms_dir, DATA_DIR/sms by default — for checking a deployment) or "http"
# (JSON {"phone", "text"} posted to sms_http_url, the SMS gateway; a bearer token, if the
# gateway wants one, as GONGKAI__WEB__SMS_TOKEN in the environment).
sms_transport = "off"
sms_http_url = ""
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parses_to_the_defaults() {
        let from_example: Settings = Figment::from(Toml::string(EXAMPLE)).extract().expect("example parses");
        let defaults = Settings::default();
        assert_eq!(from_example.addr, defaults.addr);
        assert_eq!(from_example.web.session_hours, defaults.web.session_hours);
        assert_eq!(from_example.web.body_limit_bytes, defaults.web.body_limit_bytes);
        assert_eq!(from_example.database_url(), "sqlite://./data/gongkai.db");
    }
}
