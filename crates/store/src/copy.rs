//! Moving a deployment from SQLite to PostgreSQL (`gongkai migrate-store`): every table copied
//! row by row onto a PostgreSQL database migrated to the same schema, parents before children,
//! in batches each committed with the progress it makes, so an interrupted run resumes where
//! it stopped. Values are converted to the target column's type (SQLite's 0/1 to booleans,
//! its text timestamps and dates to PostgreSQL's); identity sequences are moved past the
//! copied ids at the end.

use crate::db::PoolKind;
use crate::{Store, StoreError};
use sqlx::{AssertSqlSafe, Row, TypeInfo, ValueRef};
use std::collections::{BTreeMap, BTreeSet};

/// The progress table a run keeps on the target (dropped when the run completes).
const PROGRESS: &str = "gongkai_copy_progress";

/// Tables the target's triggers fill from the rows copied (the tallies of migrations 56–58):
/// copied as well, they would count each request or document twice.
const DERIVED: &str =
    "'request_received_tallies', 'request_concluded_tallies', 'request_year_tallies', 'rule_year_tallies'";

/// One table to copy.
#[derive(Debug, Clone)]
pub struct TableCopy {
    /// Its name.
    pub name: String,
    /// Its columns with their PostgreSQL types.
    columns: Vec<(String, String)>,
    /// The source's order (its primary key, else rowid), so batches follow one another.
    order_by: String,
    /// Rows in the source.
    pub rows: i64,
    /// Rows already copied (by an earlier, interrupted run).
    pub done: i64,
    /// The key of the last row copied: the next batch starts after it (read from the key's
    /// index, so a batch costs the same at the end of a table as at its start).
    after: Option<Vec<KeyValue>>,
}

/// One column of a row's key in the source, as SQLite holds it.
#[derive(Debug, Clone)]
enum KeyValue {
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// The SQLite storage class of a row's `i`th value (`NULL`, `INTEGER`, `REAL`, `TEXT`,
/// `BLOB`; `BOOLEAN` for a column so declared), which decides how it is read.
fn storage_class(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<String, StoreError> {
    let raw = row.try_get_raw(i)?;
    Ok(if raw.is_null() { "NULL".to_string() } else { raw.type_info().name().to_string() })
}

impl KeyValue {
    fn read(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Self, StoreError> {
        let class = storage_class(row, i)?;
        Ok(match class.as_str() {
            "INTEGER" | "BOOLEAN" => Self::Int(row.try_get(i)?),
            "REAL" => Self::Real(row.try_get(i)?),
            "TEXT" => Self::Text(row.try_get(i)?),
            "BLOB" => Self::Blob(row.try_get(i)?),
            _ => return Err(StoreError::Invalid(format!("主键值无法比较（{class}）"))),
        })
    }

    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
        match self {
            Self::Int(v) => q.bind(v),
            Self::Real(v) => q.bind(v),
            Self::Text(v) => q.bind(v),
            Self::Blob(v) => q.bind(v),
        }
    }
}

/// What a run copies, in order.
#[derive(Debug, Clone)]
pub struct CopyPlan {
    /// Tables, parents before children.
    pub tables: Vec<TableCopy>,
    /// Whether an interrupted run is being resumed.
    pub resumed: bool,
}

fn pg(store: &Store) -> Result<&sqlx::PgPool, StoreError> {
    match store.pool.kind() {
        PoolKind::Postgres(p) => Ok(p),
        PoolKind::Sqlite(_) => Err(StoreError::Invalid("迁移的目标须为 PostgreSQL".into())),
    }
}

fn sqlite(store: &Store) -> Result<&sqlx::SqlitePool, StoreError> {
    match store.pool.kind() {
        PoolKind::Sqlite(p) => Ok(p),
        PoolKind::Postgres(_) => Err(StoreError::Invalid("迁移的来源须为 SQLite".into())),
    }
}

fn ident(name: &str) -> Result<&str, StoreError> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(name)
    } else {
        Err(StoreError::Invalid(format!("表名或列名「{name}」无效")))
    }
}

impl Store {
    /// Plans the copy of `source` (SQLite) onto this store (PostgreSQL, migrated to the same
    /// schema): a target with data of its own is refused, unless it holds an interrupted
    /// run's progress, which is then resumed. A fresh target is emptied of the rows its
    /// migrations seeded, which the source has too.
    pub async fn plan_copy_from(&self, source: &Store) -> Result<CopyPlan, StoreError> {
        let target = pg(self)?;
        let src = sqlite(source)?;
        let (ours, theirs) = (self.schema_version().await?, source.schema_version().await?);
        if ours != theirs {
            return Err(StoreError::Invalid(format!(
                "来源与目标的数据库结构版本不同（{theirs:?} 与 {ours:?}）：请先用同一版本的 gongkai 迁移两者"
            )));
        }
        let tables: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name NOT IN ('_sqlx_migrations', 'gongkai_copy_progress', {DERIVED})",
        )))
        .fetch_all(target)
        .await?;
        let edges: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(c.conrelid::regclass AS TEXT), CAST(c.confrelid::regclass AS TEXT) FROM pg_constraint c \
             WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
        )
        .fetch_all(target)
        .await?;
        let order = parents_first(tables.into_iter().map(|(t,)| t).collect(), &edges);
        let resumed: (bool,) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name = 'gongkai_copy_progress')",
        )
        .fetch_one(target)
        .await?;
        let resumed = resumed.0;
        if !resumed {
            let (orgs, audit): (i64, i64) =
                sqlx::query_as("SELECT (SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM audit_log)")
                    .fetch_one(target)
                    .await?;
            if orgs > 0 || audit > 0 {
                return Err(StoreError::Conflict("目标数据库已有数据：请使用一个新建的空数据库".into()));
            }
            let mut tx = target.begin().await?;
            for t in order.iter().rev() {
                sqlx::query(AssertSqlSafe(format!("DELETE FROM {}", ident(t)?))).execute(&mut *tx).await?;
            }
            sqlx::query(AssertSqlSafe(format!("CREATE TABLE {PROGRESS} (tbl TEXT PRIMARY KEY, done BIGINT NOT NULL)")))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        let progress: BTreeMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(format!("SELECT tbl, done FROM {PROGRESS}")))
                .fetch_all(target)
                .await?
                .into_iter()
                .collect();
        let mut plan = Vec::new();
        for name in order {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(&name)
            .fetch_all(target)
            .await?;
            let keys: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{}') WHERE pk > 0 ORDER BY pk",
                ident(&name)?
            )))
            .fetch_all(src)
            .await?;
            let order_by = if keys.is_empty() {
                "rowid".to_string()
            } else {
                keys.iter().map(|(k,)| ident(k).map(str::to_string)).collect::<Result<Vec<_>, _>>()?.join(", ")
            };
            let (rows,): (i64,) =
                sqlx::query_as(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", ident(&name)?))).fetch_one(src).await?;
            let done = progress.get(&name).copied().unwrap_or(0);
            plan.push(TableCopy { name, columns, order_by, rows, done, after: None });
        }
        Ok(CopyPlan { tables: plan, resumed })
    }

    /// Copies up to `limit` rows of `t` from `source`, after those done; answers how many.
    /// The rows and the progress they make are committed together.
    pub async fn copy_batch_from(&self, source: &Store, t: &mut TableCopy, limit: i64) -> Result<i64, StoreError> {
        let target = pg(self)?;
        let src = sqlite(source)?;
        let names: Vec<&str> = t.columns.iter().map(|(c, _)| ident(c)).collect::<Result<_, _>>()?;
        let keys = t.order_by.split(", ").count();
        // A resumed run finds where the last one stopped once; then each batch starts after
        // the last row's key.
        if t.after.is_none() && t.done > 0 {
            let row = sqlx::query(AssertSqlSafe(format!(
                "SELECT {} FROM {} ORDER BY {} LIMIT 1 OFFSET {}",
                t.order_by,
                ident(&t.name)?,
                t.order_by,
                t.done - 1
            )))
            .fetch_optional(src)
            .await?;
            if let Some(row) = row {
                t.after = Some((0..keys).map(|i| KeyValue::read(&row, i)).collect::<Result<_, _>>()?);
            }
        }
        let placeholders = vec!["?"; keys].join(", ");
        let after = match &t.after {
            Some(_) => format!("WHERE ({}) > ({placeholders})", t.order_by),
            None => String::new(),
        };
        let mut select = sqlx::query(AssertSqlSafe(format!(
            "SELECT {}, {} FROM {} {after} ORDER BY {} LIMIT {limit}",
            names.join(", "),
            t.order_by,
            ident(&t.name)?,
            t.order_by,
        )));
        for k in t.after.clone().unwrap_or_default() {
            select = k.bind(select);
        }
        let rows = select.fetch_all(src).await?;
        let Some(last) = rows.last() else { return Ok(0) };
        let last_key: Vec<KeyValue> =
            (names.len()..names.len() + keys).map(|i| KeyValue::read(last, i)).collect::<Result<_, _>>()?;
        let casts: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| match ty.as_str() {
                "timestamp with time zone" => format!("CAST(${} AS TIMESTAMPTZ)", i + 1),
                "date" => format!("CAST(${} AS DATE)", i + 1),
                _ => format!("${}", i + 1),
            })
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            ident(&t.name)?,
            names.join(", "),
            casts.join(", ")
        );
        let mut tx = target.begin().await?;
        for row in &rows {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for (i, (column, ty)) in t.columns.iter().enumerate() {
                let class = storage_class(row, i)?;
                let bad = || StoreError::Invalid(format!("{}.{column}：{class} 值无法转为 {ty}", t.name));
                q = match (ty.as_str(), class.as_str()) {
                    (_, "NULL") => match ty.as_str() {
                        "bigint" | "integer" | "smallint" => q.bind(None::<i64>),
                        "boolean" => q.bind(None::<bool>),
                        "bytea" => q.bind(None::<Vec<u8>>),
                        "double precision" | "real" => q.bind(None::<f64>),
                        _ => q.bind(None::<String>),
                    },
                    ("bigint", "INTEGER") => q.bind(row.try_get::<i64, _>(i)?),
                    ("integer" | "smallint", "INTEGER") => {
                        q.bind(i32::try_from(row.try_get::<i64, _>(i)?).map_err(|_| bad())?)
                    }
                    ("boolean", "INTEGER" | "BOOLEAN") => q.bind(row.try_get::<i64, _>(i)? != 0),
                    ("double precision" | "real", "REAL" | "INTEGER") => q.bind(row.try_get::<f64, _>(i)?),
                    ("bytea", "BLOB") => q.bind(row.try_get::<Vec<u8>, _>(i)?),
                    ("bytea", "TEXT") => q.bind(row.try_get::<String, _>(i)?.into_bytes()),
                    ("text" | "character varying" | "timestamp with time zone" | "date", "TEXT") => {
                        q.bind(row.try_get::<String, _>(i)?)
                    }
                    ("text" | "character varying", "INTEGER") => q.bind(row.try_get::<i64, _>(i)?.to_string()),
                    ("text" | "character varying", "REAL") => q.bind(row.try_get::<f64, _>(i)?.to_string()),
                    _ => return Err(bad()),
                };
            }
            q.execute(&mut *tx).await?;
        }
        let n = rows.len() as i64;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO {PROGRESS} (tbl, done) VALUES ($1, $2) ON CONFLICT (tbl) DO UPDATE SET done = excluded.done"
        )))
        .bind(&t.name)
        .bind(t.done + n)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        t.done += n;
        t.after = Some(last_key);
        Ok(n)
    }

    /// Ends a copy: every identity sequence moved past the copied ids, the progress dropped,
    /// the tables vacuumed and analysed.
    pub async fn finish_copy(&self) -> Result<(), StoreError> {
        let target = pg(self)?;
        let identities: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(target)
        .await?;
        let mut tx = target.begin().await?;
        for (table, column) in identities {
            let (table, column) = (ident(&table)?, ident(&column)?);
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(AssertSqlSafe(format!("DROP TABLE {PROGRESS}"))).execute(&mut *tx).await?;
        tx.commit().await?;
        // Rows written in bulk leave the planner's statistics of a smaller table and pages
        // not yet marked visible: the first pages served would scan what an index answers.
        sqlx::raw_sql(AssertSqlSafe("VACUUM (ANALYZE)")).execute(target).await?;
        Ok(())
    }
}

/// Tables ordered so that every table comes after those it refers to (a table referring to
/// itself, as orgs to their parent, is copied in key order, parents having smaller ids).
fn parents_first(tables: Vec<String>, edges: &[(String, String)]) -> Vec<String> {
    let all: BTreeSet<String> = tables.into_iter().collect();
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = all.iter().map(|t| (t.as_str(), BTreeSet::new())).collect();
    for (child, parent) in edges {
        if child != parent
            && all.contains(parent)
            && let Some(set) = needs.get_mut(child.as_str())
        {
            set.insert(parent.as_str());
        }
    }
    let mut out: Vec<String> = Vec::new();
    while !needs.is_empty() {
        let ready: Vec<&str> = needs.iter().filter(|(_, n)| n.is_empty()).map(|(t, _)| *t).collect();
        // A cycle (none today): the rest in name order, for the constraints to judge.
        let ready = if ready.is_empty() { needs.keys().copied().collect() } else { ready };
        for t in &ready {
            needs.remove(t);
            out.push((*t).to_string());
        }
        for n in needs.values_mut() {
            for t in &ready {
                n.remove(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn parents_come_first() {
        let edges = vec![
            ("items".to_string(), "orgs".to_string()),
            ("orgs".to_string(), "orgs".to_string()),
            ("attachments".to_string(), "items".to_string()),
        ];
        let order = super::parents_first(vec!["attachments".into(), "items".into(), "orgs".into()], &edges);
        assert_eq!(order, vec!["orgs", "items", "attachments"]);
    }
}
