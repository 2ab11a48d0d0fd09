//! Persistence for gongkai behind one API, with two real backends: SQLite (the embedded
//! default, one file under the data dir) and PostgreSQL (scale-out). The backend is chosen
//! from the URL scheme at start-up. Every change that writes more than one row runs in one
//! transaction together with its audit-trail row.
#![forbid(unsafe_code)]

pub mod archive;
pub mod assessments;
mod attachment_rows;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod cleanups;
pub mod clock;
pub mod cluster;
pub mod concerns;
pub mod consultations;
pub mod copy;
mod db;
pub mod files;
pub mod gazette;
pub mod import;
pub mod importer;
pub mod inspections;
pub mod interpretations;
pub mod items;
pub mod letters;
pub mod lists;
pub mod media;
pub mod meetings;
pub mod org_profiles;
pub mod orgs;
pub mod press;
pub mod proposals;
pub mod public;
pub mod public_notices;
pub mod reports;
pub mod request_records;
pub mod requests;
pub mod sealed;
pub mod sections;
pub mod site;
pub mod site_checks;
pub mod spot_checks;
pub mod supervision;
pub mod surveys;
mod tracking;
pub mod trainings;
pub mod users;
pub mod wording;
pub mod workplans;

pub use attachments::{Attachment, NewAttachment};
pub use audit::{AuditCtx, AuditQuery, AuditRow, ChainReport};
pub use clock::Clock;
pub use concerns::{Concern, ConcernError, ConcernEvent, NewConcern, PublicResponse};
pub use consultations::{Comment, Consultation, ConsultationError, NewComment, NewConsultation};
pub use db::Backend;
pub use gazette::{Article, GazetteError, Issue, Submittable};
pub use import::{ImportOutcome, ImportedItem};
pub use interpretations::{
    CoverageCounts, CoverageList, CoverageScope, Interpretation, Need, PolicyCoverage, PublicInterpretation,
};
pub use items::{Item, ItemDraft, ItemError, ItemEvent, RegisterRow, TransitionExtra};
pub use letters::{
    FaqEntry, Letter, LetterError, LetterEvent, LetterFile, LetterRow, Mailbox, MailboxInput, NewLetter, NewLetterFile,
};
pub use lists::{
    Adjustment, ListError, ListRow, NewAdjustment, ROW_OUTBOX, RowChangeRecord, RowDoc, RowQuery, StoredKind,
};
pub use meetings::{Application, AttendanceError, Meeting};
pub use orgs::{NewOrg, Org};
pub use press::{InterviewPlan, PressError, PressEvent, PressInput, PressPhoto, PressRecord};
pub use proposals::{NewProposal, Proposal, ProposalError, ProposalStep};
pub use public::{PublicItem, PublicQuery, PublicText};
pub use reports::{ReportDraft, ReportError, ReportRow};
pub use request_records::{Delivery, IssuedNotice, NewRequestFile, RequestFile};
pub use requests::{NewRemedy, NewRequest, Pause, Remedy, Request, RequestError, RequestEvent, StepExtra};
pub use sections::{Section, SectionInput};
pub use surveys::{Survey, SurveyError, Voter};
pub use users::{ApiToken, NewUser, User};

use db::{Pool, PoolKind};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// What can go wrong in the store, in terms callers can act on.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The object asked for does not exist.
    #[error("未找到{0}")]
    NotFound(String),
    /// The change conflicts with what is stored (a duplicate code or name, a stale state).
    #[error("{0}")]
    Conflict(String),
    /// The input is refused by a rule the store enforces (e.g. a parent org that is missing).
    #[error("{0}")]
    Invalid(String),
    /// The actor may not do this (role or org).
    #[error(transparent)]
    Forbidden(#[from] gongkai_core::Denied),
    /// An idempotency key already used for a different submission.
    #[error("此 Idempotency-Key 已用于另一份内容不同的提交；重新提交请使用新的键")]
    KeyReused,
    /// The database cannot be reached or is busy.
    #[error("数据库暂时不可用")]
    Unavailable(#[source] sqlx::Error),
    /// The database was migrated by a newer gongkai.
    #[error("数据库结构版本 {database} 比本程序支持的版本 {supported} 新：请使用更新版本的 gongkai，切勿用旧版本打开")]
    NewerSchema {
        /// The newest migration applied to the database.
        database: i64,
        /// The newest migration this build knows.
        supported: i64,
    },
    /// The URL names no backend we have.
    #[error("不支持的数据库地址「{0}」：请使用 sqlite:// 或 postgres:// 开头的地址")]
    UnsupportedUrl(String),
    /// Anything else from the driver or the migrations.
    #[error("数据库错误")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Self::NotFound("记录".into()),
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict("记录已存在（唯一性冲突）".into()),
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                Self::Conflict("关联的记录不存在或仍被引用".into())
            }
            sqlx::Error::Database(db) if db.message().contains("database is locked") => Self::Unavailable(e),
            // PostgreSQL broke a deadlock or a serialization conflict by failing this
            // transaction (two transfers between the same orgs at once, say): nothing was
            // written, and the same step again succeeds.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01" | "40001")) => {
                Self::Conflict("与他人的操作同时进行，未保存：请重试".into())
            }
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => Self::Unavailable(e),
            _ => Self::Other(Box::new(e)),
        }
    }
}

impl From<gongkai_core::inspection::InspectionRefusal> for StoreError {
    fn from(e: gongkai_core::inspection::InspectionRefusal) -> Self {
        match e {
            gongkai_core::inspection::InspectionRefusal::Submitted => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// A stored, optional code of a `code_enum` list: NULL is `None`, an unknown code an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct OptCode<T>(pub Option<T>);

impl<T: TryFrom<String, Error = gongkai_core::code_enum::UnknownCode>> TryFrom<Option<String>> for OptCode<T> {
    type Error = gongkai_core::code_enum::UnknownCode;
    fn try_from(s: Option<String>) -> Result<Self, Self::Error> {
        s.map(T::try_from).transpose().map(OptCode)
    }
}

impl From<gongkai_core::workplan::WorkplanRefusal> for StoreError {
    fn from(e: gongkai_core::workplan::WorkplanRefusal) -> Self {
        Self::Conflict(e.to_string())
    }
}

impl From<gongkai_core::report::ReportRefusal> for StoreError {
    fn from(e: gongkai_core::report::ReportRefusal) -> Self {
        match e {
            gongkai_core::report::ReportRefusal::NoDraft(_) => Self::NotFound(e.to_string()),
            _ => Self::Conflict(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Other(Box::new(e))
    }
}

/// The store: a pool on one backend, cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    index_pattern: std::sync::Arc<str>,
    password_scheme: auth::PasswordScheme,
}

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://…`) without migrating.
    /// A SQLite file is created when missing, in WAL mode with foreign keys enforced.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, None).await
    }

    /// [`Store::open`] with at most `pool_size` connections (default: 8 on SQLite, 16 on
    /// PostgreSQL; a PostgreSQL shared by several nodes divides its `max_connections`
    /// among them).
    pub async fn open_with(url: &str, pool_size: Option<u32>) -> Result<Self, StoreError> {
        let pool = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(15))
                // Pages of 16 KB hold an item with a body of a few KB on one page, where 4 KB
                // pages spill each into an overflow page (a new database only: an existing
                // one keeps its size). 32 MB of cache per connection keeps the upper levels
                // of the items' indexes in memory at a million items. Together: a fifth less
                // time per import at 100,000 items (bench/README.md).
                .page_size(16384)
                .pragma("cache_size", "-32768")
                // Pages read through a map of the file, not copied in by a system call each:
                // the pool's connections each keep their own cache, so a page one has not
                // read yet (most of a search's twenty texts on any of eight connections) cost
                // a read of 16 KB from the kernel. The map is the kernel's page cache, shared
                // by every connection; SQLite maps at most 2 GB of the file (its own limit)
                // and reads the rest as before. Writes still go through the journal.
                .pragma("mmap_size", "2147418112");
            let pool = SqlitePoolOptions::new()
                .max_connections(pool_size.unwrap_or(8).max(1))
                // A connection to a local file does not break as a network one may: asking it
                // whether it is alive before each use (sqlx's default) doubled the time of a
                // short query, a round trip to the connection's thread each.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(20))
                .connect_with(options)
                .await?;
            Pool::new(PoolKind::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(pool_size.unwrap_or(16).max(1))
                .acquire_timeout(Duration::from_secs(10))
                // No just-in-time compilation: the summary counts cost just above its
                // threshold and it spent 130-180 ms compiling each (and 30-40 ms in each
                // parallel worker) to save a few; a city's pages fell by half and more
                // without it (bench/README.md, session 34). Set where the server has it
                // (openGauss and KingbaseES may not: the setting is looked up, not assumed).
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::query("SELECT set_config(name, 'off', false) FROM pg_settings WHERE name = 'jit'")
                            .execute(conn)
                            .await
                            .map(|_| ())
                    })
                })
                .connect(url)
                .await?;
            Pool::new(PoolKind::Postgres(pool))
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        Ok(Self {
            pool,
            index_pattern: gongkai_core::index_no::DEFAULT_PATTERN.into(),
            password_scheme: Default::default(),
        })
    }

    /// Sets this deployment's index-number pattern (placeholders `{code}`, `{year}`,
    /// `{seq}` or `{seq:0N}`; `{seq}` is required so numbers stay unique).
    pub fn with_index_pattern(mut self, pattern: &str) -> Result<Self, StoreError> {
        let pattern = pattern.trim();
        if !pattern.contains("{seq") || !pattern.contains("{year}") {
            return Err(StoreError::Invalid(format!(
                "索引号格式「{pattern}」须包含 {{year}} 和 {{seq}}（或 {{seq:05}}）"
            )));
        }
        self.index_pattern = pattern.into();
        Ok(self)
    }

    /// 国密 (where a deployment must use the national algorithms): new audit rows are chained
    /// with SM3 and new password hashes are PBKDF2-HMAC-SM3. What is stored already keeps
    /// verifying either way.
    pub fn with_guomi(mut self, on: bool) -> Self {
        use gongkai_core::audit::ChainHash;
        self.pool.chain = if on { ChainHash::Sm3 } else { ChainHash::Sha256 };
        self.password_scheme = if on { auth::PasswordScheme::Pbkdf2Sm3 } else { auth::PasswordScheme::Argon2id };
        self
    }

    /// Seals sensitive fields at rest with SM4 under this key (32 hex digits), where the
    /// deployment sets one (`guomi_field_key`): applicants' ID numbers, phones, e-mail and
    /// addresses, and second-factor secrets. Values written before stay readable.
    pub fn with_field_key(mut self, key: Option<&str>) -> Result<Self, StoreError> {
        self.pool.cipher = match key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(std::sync::Arc::new(sealed::FieldCipher::from_hex(k)?)),
            None => None,
        };
        Ok(self)
    }

    /// The field key, if any.
    pub(crate) fn cipher(&self) -> Option<&sealed::FieldCipher> {
        self.pool.cipher.as_deref()
    }

    /// How new password hashes are made.
    pub fn password_scheme(&self) -> auth::PasswordScheme {
        self.password_scheme
    }

    /// Hashes a password the way this deployment does (argon2id, or PBKDF2-HMAC-SM3 under
    /// 国密). CPU-heavy: call it off the async executor.
    pub fn hash_password(&self, password: &gongkai_core::Password) -> Result<String, StoreError> {
        auth::hash_password_as(password, self.password_scheme)
    }

    /// The clock everything holding this store reads the time from.
    pub fn clock(&self) -> &Clock {
        &self.pool.clock
    }

    /// Which of `ids` a query selects: `sql` selects one id column and names the bound list as
    /// `{ids}` (`... AND item_id IN ({ids})`). The search index asks this of each batch.
    pub(crate) async fn ids_among(&self, sql: &str, ids: &[i64]) -> Result<std::collections::HashSet<i64>, StoreError> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let list = (1..=ids.len()).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ");
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(db::Sql(&sql.replace("{ids}", &list), ids.iter().map(|&i| sea_query::Value::from(i)).collect()))
            .await?;
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// The time now, by [`Store::clock`].
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.pool.clock.now()
    }

    /// Today in Beijing, by [`Store::clock`].
    pub fn today(&self) -> chrono::NaiveDate {
        self.pool.clock.today()
    }

    /// The index-number pattern in force.
    pub fn index_pattern(&self) -> &str {
        &self.index_pattern
    }

    /// Opens and brings the schema up to date.
    pub async fn open_and_migrate(url: &str) -> Result<Self, StoreError> {
        Self::open_and_migrate_with(url, None).await
    }

    /// [`Store::open_and_migrate`] with a pool of at most `pool_size` connections.
    pub async fn open_and_migrate_with(url: &str, pool_size: Option<u32>) -> Result<Self, StoreError> {
        let store = Self::open_with(url, pool_size).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Write transactions committed through this handle (and its clones) since it was opened:
    /// a cache in this process compares it to know at once that something changed.
    pub fn local_writes(&self) -> u64 {
        self.pool.writes()
    }

    /// A mark that moves whenever anything is written by any process on this database: the
    /// audit chain's length and the newest outbox row. Caches poll it to follow other nodes.
    pub async fn change_mark(&self) -> Result<(i64, i64), StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_one(db::Sql(
                "SELECT (SELECT seq FROM audit_head WHERE id = 1), (SELECT COALESCE(MAX(id), 0) FROM outbox)",
                vec![],
            ))
            .await
    }

    fn migrator(&self) -> &'static Migrator {
        match self.pool.backend() {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The newest migration version this build knows.
    pub fn supported_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The newest migration applied to the database, if any.
    pub async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let exists_sql = match self.backend() {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()"
            }
        };
        let mut conn = self.pool.conn().await?;
        let (n,): (i64,) = conn.ex().fetch_one(db::Sql(exists_sql, vec![])).await?;
        if n == 0 {
            return Ok(None);
        }
        let (v,): (Option<i64>,) =
            conn.ex().fetch_one(db::Sql("SELECT MAX(version) FROM _sqlx_migrations WHERE success", vec![])).await?;
        Ok(v)
    }

    /// Applies pending migrations; refuses a database migrated by a newer build.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let supported = self.supported_version();
        if let Some(database) = self.schema_version().await?
            && database > supported
        {
            return Err(StoreError::NewerSchema { database, supported });
        }
        match self.pool.kind() {
            PoolKind::Sqlite(p) => self.migrator().run(p).await?,
            PoolKind::Postgres(p) => self.migrator().run(p).await?,
        }
        self.sync_list_kinds().await?;
        Ok(())
    }

    /// True when the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.conn().await?;
        let _: (i64,) = conn.ex().fetch_one(db::Sql("SELECT CAST(1 AS BIGINT)", vec![])).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}://{}:***{}", &url[..s], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(redact_url("postgres://gk:s3cret@db:5432/gk"), "postgres://gk:***@db:5432/gk");
        assert_eq!(redact_url("sqlite://data/gongkai.db"), "sqlite://data/gongkai.db");
    }
}
