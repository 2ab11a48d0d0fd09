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
        let mut cal = Calendar::shipped();
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, String)> =
            conn.ex().fetch_all(Sql("SELECT year, source FROM holiday_years ORDER BY year", vec![])).await?;
        for (year, source) in rows {
            match HolidayYear::parse(&source) {
                Ok(y) => cal.add_year(y),
                Err(e) => tracing::error!(calendar.year = year, error = %e, "stored holiday schedule no longer parses"),
            }
        }
        Ok(cal)
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
