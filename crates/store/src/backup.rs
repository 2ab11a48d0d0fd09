//! What a backup records and a restore checks: the rows of every table, the audit chain's
//! length and head, and for SQLite a consistent copy of the database taken while it serves.

use crate::db::{PoolKind, Sql};
use crate::{Backend, Store, StoreError};
use std::collections::BTreeMap;

/// The facts of a database a restore must reproduce.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Census {
    /// Rows per table (the migrations' own bookkeeping left out).
    pub tables: BTreeMap<String, i64>,
    /// Rows in the audit chain.
    pub audit_seq: i64,
    /// The chain's newest hash.
    pub audit_hash: String,
    /// The newest migration applied.
    pub schema_version: i64,
}

impl Store {
    /// Counts the rows of every table and reads the audit chain's head.
    pub async fn census(&self) -> Result<Census, StoreError> {
        let list = match self.backend() {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY table_name"
            }
        };
        let mut conn = self.pool.conn().await?;
        let names: Vec<(String,)> = conn.ex().fetch_all(Sql(list, vec![])).await?;
        let mut tables = BTreeMap::new();
        for (name,) in names {
            // Names come from the catalog and are plain identifiers; anything else is skipped.
            if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                continue;
            }
            let (n,): (i64,) =
                conn.ex().fetch_one(Sql(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {name}"), vec![])).await?;
            tables.insert(name, n);
        }
        let (audit_seq, audit_hash): (i64, String) =
            conn.ex().fetch_one(Sql("SELECT seq, hash FROM audit_head WHERE id = 1", vec![])).await?;
        drop(conn);
        let schema_version = self.schema_version().await?.unwrap_or(0);
        Ok(Census { tables, audit_seq, audit_hash, schema_version })
    }

    /// Writes a consistent copy of a SQLite database to `path` while it keeps serving
    /// (`VACUUM INTO`: one read transaction). Refused on PostgreSQL, whose backups are
    /// `pg_dump`'s.
    pub async fn sqlite_copy_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let PoolKind::Sqlite(_) = self.pool.kind() else {
            return Err(StoreError::Invalid("PostgreSQL 的数据库由 pg_dump 备份".into()));
        };
        let path = path.to_str().ok_or_else(|| StoreError::Invalid("备份路径须为 UTF-8".into()))?;
        let mut conn = self.pool.conn().await?;
        conn.ex().execute(Sql("VACUUM INTO $1", vec![path.into()])).await?;
        Ok(())
    }
}
