//! The two backends behind one set of helpers. A statement is written once — as a
//! sea-query statement or as portable SQL with `$1`-style parameters, which SQLite and
//! PostgreSQL both accept — and run on whichever pool the store was opened with. Row
//! structs derive `sqlx::FromRow` generically, so one struct maps rows of either backend.

use crate::StoreError;
use sea_query::{
    DeleteStatement, InsertStatement, PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder, UpdateStatement,
    Value, Values,
};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// Which SQL dialect to build for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Something that can be turned into SQL and values for a backend.
pub(crate) trait Statement {
    fn build(self, backend: Backend) -> (String, Values);
}

macro_rules! sea_statement {
    ($($t:ty),*) => {$(
        impl Statement for &$t {
            fn build(self, backend: Backend) -> (String, Values) {
                let (sql, values) = match backend {
                    Backend::Sqlite => self.build_sqlx(SqliteQueryBuilder),
                    Backend::Postgres => self.build_sqlx(PostgresQueryBuilder),
                };
                (sql, values.0)
            }
        }
    )*};
}
sea_statement!(SelectStatement, InsertStatement, UpdateStatement, DeleteStatement);

/// Portable SQL with `$n` parameters, for statements sea-query would only obscure.
pub(crate) struct Sql<'a>(pub &'a str, pub Vec<Value>);

/// `s` as a LIKE pattern's literal part: `%`, `_` and `\` escaped for `ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Placeholders `$first, $first+1, …` for `n` values (an `IN (…)` list).
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Inserts `rows` into `into` (`table (col, …)`), as many rows to a statement as keep it
/// near 2,000 parameters: a bulk write costs a few statements, not one per row. Every row
/// has as many values as the column list names.
pub(crate) async fn insert_rows(tx: &mut Tx, into: &str, rows: Vec<Vec<Value>>) -> Result<(), StoreError> {
    for (sql, values) in multi_row_inserts(tx, into, rows, "") {
        tx.ex().execute(Sql(&sql, values)).await?;
    }
    Ok(())
}

/// [`insert_rows`], answering the `returning` columns of every row written (in no promised
/// order: rows carry what identifies them).
pub(crate) async fn insert_rows_returning<T: BothRow>(
    tx: &mut Tx,
    into: &str,
    rows: Vec<Vec<Value>>,
    returning: &str,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for (sql, values) in multi_row_inserts(tx, into, rows, &format!(" RETURNING {returning}")) {
        out.extend(tx.ex().fetch_all::<T>(Sql(&sql, values)).await?);
    }
    Ok(out)
}

/// The statements writing `rows` into `into`, each with its values, `tail` after each.
/// SQLite gets anonymous `?` parameters: for a named one (`$n`) sqlx asks SQLite its name,
/// a walk along the statement's list of names, which over 2,000 parameters made the binding
/// cost more than the insert.
fn multi_row_inserts(tx: &Tx, into: &str, rows: Vec<Vec<Value>>, tail: &str) -> Vec<(String, Vec<Value>)> {
    let Some(width) = rows.first().map(Vec::len) else { return Vec::new() };
    debug_assert!(rows.iter().all(|r| r.len() == width), "rows of different widths for {into}");
    let per_statement = (2000 / width.max(1)).max(1);
    let sqlite = matches!(tx.kind, TxKind::Sqlite(_));
    let mut rows = rows.into_iter().peekable();
    let mut out = Vec::new();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let tuples: Vec<String> = (0..chunk.len())
            .map(|r| {
                if sqlite {
                    format!("({})", vec!["?"; width].join(", "))
                } else {
                    format!("({})", placeholders(r * width + 1, width))
                }
            })
            .collect();
        out.push((
            format!("INSERT INTO {into} VALUES {}{tail}", tuples.join(", ")),
            chunk.into_iter().flatten().collect(),
        ));
    }
    out
}

/// Given by value, its values are bound as they are (a bulk insert's text is not copied).
impl Statement for Sql<'_> {
    fn build(self, _backend: Backend) -> (String, Values) {
        (self.0.to_string(), Values(self.1))
    }
}

/// A row type both backends can produce.
pub(crate) trait BothRow: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> BothRow for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A long text column read as a `String`, its UTF-8 checked a vector at a time on SQLite
/// (the standard check walks a Chinese text a character at a time: a results page's twenty
/// texts spent 6 % of its time there). PostgreSQL's texts are read as `String`s are.
pub(crate) struct LongText(pub String);

impl sqlx::Type<Sqlite> for LongText {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <String as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Sqlite> for LongText {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let bytes = <&[u8] as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(LongText(simdutf8::compat::from_utf8(bytes)?.to_owned()))
    }
}

impl sqlx::Type<Postgres> for LongText {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <String as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <String as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for LongText {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <String as sqlx::Decode<Postgres>>::decode(value).map(LongText)
    }
}

/// The store's pool.
/// The pool of either backend, with a count of the write transactions committed through it
/// (so caches in this process know at once that something changed).
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    kind: PoolKind,
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The one clock (see `crate::clock`); a transaction reads it when it begins.
    pub(crate) clock: crate::clock::Clock,
    /// The hash function of new audit rows (SM3 under 国密).
    pub(crate) chain: gongkai_core::audit::ChainHash,
    /// The SM4 field key, where the deployment sets one (sensitive fields sealed at rest).
    pub(crate) cipher: Option<std::sync::Arc<crate::sealed::FieldCipher>>,
}

#[derive(Debug, Clone)]
pub(crate) enum PoolKind {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A pooled connection, for reads.
pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A write transaction. On SQLite it is `BEGIN IMMEDIATE`, so writers queue on the lock
/// up front instead of failing when they upgrade a read lock.
pub(crate) struct Tx {
    kind: TxKind,
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The time of the transaction: every row it stamps gets the same.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// The hash function of the audit rows it writes.
    pub(crate) chain: gongkai_core::audit::ChainHash,
    /// The field key (see [`Pool::cipher`]).
    pub(crate) cipher: Option<std::sync::Arc<crate::sealed::FieldCipher>>,
}

enum TxKind {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection of either backend, on which statements run.
pub(crate) enum Ex<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Pool {
    pub(crate) fn new(kind: PoolKind) -> Self {
        Self {
            kind,
            writes: Default::default(),
            clock: crate::clock::Clock::system(),
            chain: Default::default(),
            cipher: None,
        }
    }

    pub(crate) fn kind(&self) -> &PoolKind {
        &self.kind
    }

    /// Write transactions committed through this pool so far.
    pub(crate) fn writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn backend(&self) -> Backend {
        match self.kind {
            PoolKind::Sqlite(_) => Backend::Sqlite,
            PoolKind::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn conn(&self) -> Result<Conn, StoreError> {
        Ok(match &self.kind {
            PoolKind::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            PoolKind::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        let kind = match &self.kind {
            PoolKind::Sqlite(p) => TxKind::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            PoolKind::Postgres(p) => TxKind::Postgres(p.begin().await?),
        };
        Ok(Tx {
            kind,
            writes: self.writes.clone(),
            now: self.clock.now(),
            chain: self.chain,
            cipher: self.cipher.clone(),
        })
    }

    pub(crate) async fn close(&self) {
        match &self.kind {
            PoolKind::Sqlite(p) => p.close().await,
            PoolKind::Postgres(p) => p.close().await,
        }
    }
}

/// An UPDATE of one row under optimistic locking: columns set one by one, the version
/// bumped, and the row changed only if it still has the version read.
pub(crate) struct Update {
    table: &'static str,
    sets: Vec<String>,
    values: Vec<Value>,
}

impl Update {
    pub(crate) fn new(table: &'static str) -> Self {
        Update { table, sets: vec!["version = version + 1".into()], values: Vec::new() }
    }

    /// Sets a column (a static name, never input) to a value.
    pub(crate) fn set(&mut self, column: &'static str, value: impl Into<Value>) {
        self.values.push(value.into());
        self.sets.push(format!("{column} = ${}", self.values.len()));
    }

    /// Runs it on row `id` at `version`; false when another writer changed the row first.
    pub(crate) async fn run(mut self, tx: &mut Tx, id: i64, version: i64) -> Result<bool, StoreError> {
        let n = self.values.len();
        self.values.push(id.into());
        self.values.push(version.into());
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ${} AND version = ${}",
            self.table,
            self.sets.join(", "),
            n + 1,
            n + 2
        );
        Ok(tx.ex().execute(Sql(&sql, self.values)).await? == 1)
    }
}

/// A document kept whole in one row under its key (a site's word list, an org's scheme for a
/// year), versioned so two editors cannot overwrite each other: written at version 1 when
/// there is none and the writer edited none, replaced when the writer edited the version
/// stored, refused with `conflict` otherwise (also when another writer got there first).
pub(crate) struct Versioned<'a> {
    /// The table, with `version`, `updated_by` and `updated_at` columns.
    pub table: &'static str,
    /// The key's columns and values (static names, never input).
    pub key: &'a [(&'static str, Value)],
    /// The column holding the document.
    pub column: &'static str,
    /// What a refused save says.
    pub conflict: &'static str,
}

impl Versioned<'_> {
    /// Saves `text` by `by` over `expected` (the version edited; `None`: none yet). Answers
    /// the text it replaced (empty for a first save) and the new version.
    pub(crate) async fn save(
        &self,
        tx: &mut Tx,
        text: &str,
        by: &str,
        expected: Option<i64>,
    ) -> Result<(String, i64), StoreError> {
        let keys: Vec<Value> = self.key.iter().map(|(_, v)| v.clone()).collect();
        let at = |first: usize| {
            self.key
                .iter()
                .enumerate()
                .map(|(i, (c, _))| format!("{c} = ${}", first + i))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let before: Option<(String, i64)> = tx
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {}, version FROM {} WHERE {}", self.column, self.table, at(1)),
                keys.clone(),
            ))
            .await?;
        let now = tx.now;
        let mut values = keys;
        values.extend([Value::from(text), Value::from(by), Value::from(now)]);
        let k = self.key.len();
        let conflict = || StoreError::Conflict(self.conflict.into());
        match (before, expected) {
            (None, None) => {
                let columns: Vec<&str> = self.key.iter().map(|(c, _)| *c).collect();
                let sql = format!(
                    "INSERT INTO {} ({}, {}, version, updated_by, updated_at) VALUES ({}, 1, ${}, ${})",
                    self.table,
                    columns.join(", "),
                    self.column,
                    placeholders(1, k + 1),
                    k + 2,
                    k + 3
                );
                // Two first saves at once: the second meets the key and is refused as stale.
                tx.ex().execute(Sql(&sql, values)).await.map_err(|e| match e {
                    StoreError::Conflict(_) => conflict(),
                    e => e,
                })?;
                Ok((String::new(), 1))
            }
            (Some((old, v)), Some(expected)) if v == expected => {
                values.push(v.into());
                let sql = format!(
                    "UPDATE {} SET {} = ${}, version = version + 1, updated_by = ${}, updated_at = ${} WHERE {} AND version = ${}",
                    self.table,
                    self.column,
                    k + 1,
                    k + 2,
                    k + 3,
                    at(1),
                    k + 4
                );
                if tx.ex().execute(Sql(&sql, values)).await? != 1 {
                    return Err(conflict());
                }
                Ok((old, v + 1))
            }
            _ => Err(conflict()),
        }
    }
}

/// The Beijing day of a stored timestamp column, in SQL, as `index_no::beijing_date` gives it
/// in Rust (UTC+8, no daylight saving): for counting by day in the database.
pub(crate) fn beijing_day_sql(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("date({column}, '+8 hours')"),
        Backend::Postgres => format!("(({column} AT TIME ZONE 'UTC') + interval '8 hours')::date"),
    }
}

/// `table` read through the index `index`: SQLite is told it by name (`INDEXED BY`), where
/// on a small or unanalysed table it would rather walk the rows, and a condition that no
/// longer matches a partial index's fails the query instead of walking a million rows;
/// PostgreSQL's planner chooses by itself.
pub(crate) fn indexed_by(backend: Backend, table: &str, index: &str) -> String {
    match backend {
        Backend::Sqlite => format!("{table} INDEXED BY {index}"),
        Backend::Postgres => table.to_string(),
    }
}

/// A SQL list literal of codes, `('a', 'b')`, for `IN`: the codes are a `code_enum`'s static
/// names (letters, digits, `_` and `.`), never input.
pub(crate) fn code_list<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = codes
        .into_iter()
        .filter(|c| c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.'))
        .map(|c| format!("'{c}'"))
        .collect();
    format!("({})", quoted.join(", "))
}

impl Conn {
    pub(crate) fn ex(&mut self) -> Ex<'_> {
        match self {
            Self::Sqlite(c) => Ex::Sqlite(c),
            Self::Postgres(c) => Ex::Postgres(c),
        }
    }
}

impl Tx {
    pub(crate) fn ex(&mut self) -> Ex<'_> {
        match &mut self.kind {
            TxKind::Sqlite(t) => Ex::Sqlite(t),
            TxKind::Postgres(t) => Ex::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self.kind {
            TxKind::Sqlite(t) => t.commit().await?,
            TxKind::Postgres(t) => t.commit().await?,
        }
        self.writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }
}

impl Ex<'_> {
    fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement that returns no rows; answers the number of rows affected.
    pub(crate) async fn execute(self, stmt: impl Statement) -> Result<u64, StoreError> {
        let (sql, values) = stmt.build(self.backend());
        Ok(match self {
            Self::Sqlite(c) => {
                sqlx::query_with(AssertSqlSafe(sql), SqlxValues(values)).execute(c).await?.rows_affected()
            }
            Self::Postgres(c) => {
                sqlx::query_with(AssertSqlSafe(sql), SqlxValues(values)).execute(c).await?.rows_affected()
            }
        })
    }

    /// Runs a query and maps every row.
    pub(crate) async fn fetch_all<T: BothRow>(self, stmt: impl Statement) -> Result<Vec<T>, StoreError> {
        let (sql, values) = stmt.build(self.backend());
        Ok(match self {
            Self::Sqlite(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_all(c).await?,
            Self::Postgres(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_all(c).await?,
        })
    }

    /// Runs a query expected to give at most one row.
    pub(crate) async fn fetch_optional<T: BothRow>(self, stmt: impl Statement) -> Result<Option<T>, StoreError> {
        let (sql, values) = stmt.build(self.backend());
        Ok(match self {
            Self::Sqlite(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_optional(c).await?,
            Self::Postgres(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_optional(c).await?,
        })
    }

    /// Runs a query expected to give exactly one row.
    pub(crate) async fn fetch_one<T: BothRow>(self, stmt: impl Statement) -> Result<T, StoreError> {
        let (sql, values) = stmt.build(self.backend());
        Ok(match self {
            Self::Sqlite(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_one(c).await?,
            Self::Postgres(c) => sqlx::query_as_with(AssertSqlSafe(sql), SqlxValues(values)).fetch_one(c).await?,
        })
    }
}

/// The place in the tree of org `org_id`, read in the transaction.
pub(crate) async fn org_path(tx: &mut Tx, org_id: i64) -> Result<gongkai_core::OrgPath, StoreError> {
    let row: Option<(String,)> =
        tx.ex().fetch_optional(Sql("SELECT path FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
    row.map(|(p,)| gongkai_core::OrgPath::from_stored(p)).ok_or_else(|| StoreError::NotFound(format!("单位 {org_id}")))
}
