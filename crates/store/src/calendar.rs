//! The working-day calendar in force: the schedules shipped with gongkai plus the years
//! administrators have loaded (a loaded year replaces a shipped one of the same year).

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::{Store, StoreError};
use gongkai_core::calendar::{Calendar, HolidayYear};
use serde_json::json;

impl Store {
    /// The calendar: shipped schedules and loaded years.
    pub async fn calendar(&self) -> Result<Calendar, StoreError> {
        let mut conn = self.pool.conn().await?;
        calendar_in(conn.ex()).await
    }

    /// Loads (or replaces) a year's schedule from the text of its file.
    pub async fn load_holiday_year(&self, ctx: &AuditCtx, text: &str) -> Result<HolidayYear, StoreError> {
        let year = HolidayYear::parse(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if year.days.is_empty() {
            return Err(StoreError::Invalid("节假日文件没有任何日期".into()));
        }
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM holiday_years WHERE year = $1", vec![i64::from(year.year).into()])).await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO holiday_years (year, title, notice, source, loaded_by, loaded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                vec![
                    i64::from(year.year).into(),
                    year.title.as_str().into(),
                    year.notice.as_str().into(),
                    text.into(),
                    ctx.actor.as_str().into(),
                    self.now().into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "calendar.load",
            "calendar",
            year.year.to_string(),
            String::new(),
            json!({ "title": year.title, "notice": year.notice, "days": year.days.len() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(year)
    }
}

/// The calendar as read through `ex` (inside a transaction, as it stands there).
pub(crate) async fn calendar_in(ex: crate::db::Ex<'_>) -> Result<Calendar, StoreError> {
    let mut cal = Calendar::shipped();
    let rows: Vec<(i64, String)> =
        ex.fetch_all(Sql("SELECT year, source FROM holiday_years ORDER BY year", vec![])).await?;
    for (year, source) in rows {
        match HolidayYear::parse(&source) {
            Ok(y) => cal.add_year(y),
            Err(e) => tracing::error!(calendar.year = year, error = %e, "stored holiday schedule no longer parses"),
        }
    }
    Ok(cal)
}

/// Days written per statement when the day table is rewritten.
const DAYS_PER_INSERT: usize = 500;

impl Store {
    /// Makes `calendar_days` the running count of `cal` (core's `running_counts`), unless it
    /// already is: the figures counted in SQL read it with the same calendar the pages
    /// count with. A rewrite (after a year is loaded, or a release that ships one) is one
    /// transaction of some ten thousand rows; otherwise this reads one key.
    pub(crate) async fn calendar_days_for(&self, cal: &Calendar) -> Result<(), StoreError> {
        let (first, upto) = cal.running_counts();
        let key = format!("{first}+{}:{:016x}", upto.len(), cal.stamp());
        let mut conn = self.pool.conn().await?;
        let stored: Option<(String,)> =
            conn.ex().fetch_optional(Sql("SELECT key FROM calendar_days_key WHERE id = 1", vec![])).await?;
        if stored.is_some_and(|(k,)| k == key) {
            return Ok(());
        }
        drop(conn);
        let mut tx = self.pool.begin().await?;
        // One writer at a time: the key row is taken first (on SQLite the write transaction
        // itself serialises).
        tx.ex()
            .execute(Sql(
                "INSERT INTO calendar_days_key (id, key) VALUES (1, '') ON CONFLICT (id) DO UPDATE SET key = ''",
                vec![],
            ))
            .await?;
        tx.ex().execute(Sql("DELETE FROM calendar_days", vec![])).await?;
        let mut before = 0u32;
        let days: Vec<(chrono::NaiveDate, u32, bool)> = upto
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let workday = *n > before;
                before = *n;
                (first + chrono::Duration::days(i as i64), *n, workday)
            })
            .collect();
        for chunk in days.chunks(DAYS_PER_INSERT) {
            let mut values = Vec::with_capacity(chunk.len() * 3);
            let mut rows = Vec::with_capacity(chunk.len());
            for (i, (day, n, workday)) in chunk.iter().enumerate() {
                rows.push(format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
                values.push((*day).into());
                values.push(i64::from(*n).into());
                values.push((*workday).into());
            }
            tx.ex()
                .execute(Sql(
                    &format!("INSERT INTO calendar_days (day, upto, workday) VALUES {}", rows.join(", ")),
                    values,
                ))
                .await?;
        }
        tx.ex().execute(Sql("UPDATE calendar_days_key SET key = $1 WHERE id = 1", vec![key.into()])).await?;
        tx.commit().await?;
        Ok(())
    }
}
