//! What several nodes on one database share besides the data: scheduled work done once
//! across every node (a claimed run per job and period, taken over when its holder dies), rate
//! limits counted in the database, an exclusive lock for work only one node may do at a time
//! (loading the demo), and attachment files kept in the database in chunks.

use crate::db::{PoolKind, Sql};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Bytes per stored chunk of a file kept in the database.
pub const CHUNK: usize = 1 << 20;

/// A held cluster lock; [`ClusterLock::release`] gives it back. A node that dies holding it
/// loses it with its connection.
pub struct ClusterLock {
    conn: Option<sqlx::PgConnection>,
    key: i64,
}

impl ClusterLock {
    /// Gives the lock back.
    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(self.key).execute(&mut conn).await;
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

/// A lock name as PostgreSQL's 64-bit advisory key: the first eight bytes of its SHA-256.
fn lock_key(name: &str) -> i64 {
    let d = Sha256::digest(format!("gongkai:{name}").as_bytes());
    i64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

impl Store {
    /// Waits for, then holds, the lock `name` across every node on this database (PostgreSQL's
    /// advisory lock on a connection of its own). On SQLite, whose file one node owns, it is
    /// held at once.
    pub async fn lock(&self, name: &str) -> Result<ClusterLock, StoreError> {
        let key = lock_key(name);
        match self.pool.kind() {
            PoolKind::Sqlite(_) => Ok(ClusterLock { conn: None, key }),
            PoolKind::Postgres(p) => {
                let mut conn = p.acquire().await?.detach();
                sqlx::query("SELECT pg_advisory_lock($1)").bind(key).execute(&mut conn).await?;
                Ok(ClusterLock { conn: Some(conn), key })
            }
        }
    }

    /// Claims the run of `job` for `period` (a day, `2026-12-04`) for `holder`: true when this
    /// caller is to do it — nobody claimed it yet, or a claim not finished is older than
    /// `lease` (its holder died). A finished run is never claimed again.
    pub async fn claim_job(&self, job: &str, period: &str, holder: &str, lease: Duration) -> Result<bool, StoreError> {
        let now = self.now();
        let stale = now - chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::hours(1));
        let mut conn = self.pool.conn().await?;
        let won: Option<(String,)> = conn
            .ex()
            .fetch_optional(Sql(
                "INSERT INTO job_runs (job, period, holder, claimed_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (job, period) DO UPDATE SET holder = excluded.holder, claimed_at = excluded.claimed_at \
                 WHERE job_runs.finished_at IS NULL AND job_runs.claimed_at < $5 \
                 RETURNING holder",
                vec![job.into(), period.into(), holder.into(), now.into(), stale.into()],
            ))
            .await?;
        Ok(won.is_some_and(|(h,)| h == holder))
    }

    /// Marks a claimed run done (by its holder).
    pub async fn finish_job(&self, job: &str, period: &str, holder: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "UPDATE job_runs SET finished_at = $1 WHERE job = $2 AND period = $3 AND holder = $4",
                vec![now.into(), job.into(), period.into(), holder.into()],
            ))
            .await?;
        tx.commit().await
    }

    /// Whether the run of `job` for `period` is done.
    pub async fn job_done(&self, job: &str, period: &str) -> Result<bool, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(Option<String>,)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT CAST(finished_at AS TEXT) FROM job_runs WHERE job = $1 AND period = $2",
                vec![job.into(), period.into()],
            ))
            .await?;
        Ok(matches!(row, Some((Some(_),))))
    }

    /// Counts one hit on `key` in the current window of `window` seconds, across every node;
    /// answers the hits in this window so far, this one included. Windows past are dropped as
    /// new ones open.
    pub async fn rate_hit(&self, key: &str, window: i64) -> Result<i64, StoreError> {
        let window = window.max(1);
        let at = self.now().timestamp().div_euclid(window) * window;
        let mut conn = self.pool.conn().await?;
        let (hits,): (i64,) = conn
            .ex()
            .fetch_one(Sql(
                "INSERT INTO rate_windows (key, window_at, hits) VALUES ($1, $2, 1) \
                 ON CONFLICT (key, window_at) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits",
                vec![key.into(), at.into()],
            ))
            .await?;
        if hits == 1 {
            conn.ex().execute(Sql("DELETE FROM rate_windows WHERE window_at < $1", vec![(at - 3600).into()])).await?;
        }
        Ok(hits)
    }

    /// Keeps a file's bytes in the database, once per content: answers its SHA-256. The file
    /// and its chunks are written in one transaction, so a file is there whole or not at all.
    pub async fn put_blob(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = hex::encode(Sha256::digest(bytes));
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        // Already kept: stamped as stored now, so `files gc` leaves it to the rows about to
        // refer to it (and waits, on PostgreSQL, while it is collecting it).
        let touched = tx
            .ex()
            .execute(Sql(
                "UPDATE file_blobs SET created_at = $2 WHERE sha256 = $1",
                vec![sha.clone().into(), now.into()],
            ))
            .await?;
        if touched > 0 {
            tx.commit().await?;
            return Ok(sha);
        }
        let fresh: Option<(String,)> = tx
            .ex()
            .fetch_optional(Sql(
                "INSERT INTO file_blobs (sha256, size, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
                vec![sha.clone().into(), (bytes.len() as i64).into(), now.into()],
            ))
            .await?;
        if fresh.is_some() {
            for (seq, chunk) in bytes.chunks(CHUNK).enumerate() {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO file_chunks (sha256, seq, data) VALUES ($1, $2, $3)",
                        vec![sha.clone().into(), (seq as i64).into(), chunk.to_vec().into()],
                    ))
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(sha)
    }

    /// A file kept in the database, whole; `None` when it is not there.
    pub async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(size) = self.blob_size(sha256).await? else { return Ok(None) };
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let mut conn = self.pool.conn().await?;
        let mut seq = 0i64;
        // One chunk a query: a large file is never held twice in memory by the driver.
        while let Some((data,)) = conn
            .ex()
            .fetch_optional::<(Vec<u8>,)>(Sql(
                "SELECT data FROM file_chunks WHERE sha256 = $1 AND seq = $2",
                vec![sha256.into(), seq.into()],
            ))
            .await?
        {
            out.extend_from_slice(&data);
            seq += 1;
        }
        Ok(Some(out))
    }

    /// The size of a file kept in the database; `None` when it is not there.
    pub async fn blob_size(&self, sha256: &str) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64,)> =
            conn.ex().fetch_optional(Sql("SELECT size FROM file_blobs WHERE sha256 = $1", vec![sha256.into()])).await?;
        Ok(row.map(|(s,)| s))
    }

    /// Every file kept in the database, by hash, in order after `after`, `limit` at a time.
    pub async fn blob_hashes(&self, after: &str, limit: i64) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT sha256 FROM file_blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT $2",
                vec![after.into(), limit.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    /// Every file the data refers to (attachments, letters', requests' and press files), by
    /// hash, once each.
    pub async fn referenced_blobs(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let sql = FILE_REFERENCES.iter().map(|t| format!("SELECT sha256 FROM {t}")).collect::<Vec<_>>().join(" UNION ");
        let rows: Vec<(String,)> = conn.ex().fetch_all(Sql(&sql, vec![])).await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    /// Deletes a file kept in the database when no row refers to it and it was stored (or
    /// stored again) before `before`; answers its size when it is (or, with `dry_run`, would
    /// be) deleted. The check and the deletion are one transaction holding the file's row, so
    /// a put of the same bytes meanwhile either waits and stores them again or keeps the file.
    pub async fn collect_blob(
        &self,
        sha256: &str,
        before: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Option<i64>, StoreError> {
        // Built once: gc asks it of every stored file.
        static HOLD_UNREFERENCED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let unreferenced = FILE_REFERENCES
                .iter()
                .map(|t| format!("NOT EXISTS (SELECT 1 FROM {t} WHERE sha256 = $1)"))
                .collect::<Vec<_>>()
                .join(" AND ");
            format!(
                "UPDATE file_blobs SET size = size WHERE sha256 = $1 AND created_at < $2 AND {unreferenced} RETURNING size"
            )
        });
        let mut tx = self.pool.begin().await?;
        let held: Option<(i64,)> =
            tx.ex().fetch_optional(Sql(&HOLD_UNREFERENCED, vec![sha256.into(), before.into()])).await?;
        let Some((size,)) = held else { return Ok(None) };
        if dry_run {
            return Ok(Some(size));
        }
        tx.ex().execute(Sql("DELETE FROM file_chunks WHERE sha256 = $1", vec![sha256.into()])).await?;
        tx.ex().execute(Sql("DELETE FROM file_blobs WHERE sha256 = $1", vec![sha256.into()])).await?;
        tx.commit().await?;
        Ok(Some(size))
    }
}

/// The tables whose rows refer to a stored file by its hash (`sha256`).
const FILE_REFERENCES: [&str; 4] = ["attachments", "letter_files", "request_files", "press_photos"];
