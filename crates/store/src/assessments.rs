//! 考核 in the store: the office's scheme of a year and its adjustments of orgs' scores, each
//! saved with its audit row by the office (supervisors and administrators of the org the
//! scheme belongs to). The rules are `core::assessment`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Versioned, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::assessment::{self, Scheme};
use gongkai_core::{Actor, Denied};
use serde_json::json;

/// Longest reason of an adjustment, in characters.
pub const MAX_REASON: usize = 500;
/// An adjustment moves a score by at most this many points either way.
pub const MAX_ADJUSTMENT: f64 = 100.0;

/// A stored scheme.
#[derive(Debug, Clone)]
pub struct StoredScheme {
    pub scheme: Scheme,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// An adjustment of an org's score.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Adjustment {
    pub id: i64,
    pub org_id: i64,
    pub points: f64,
    pub reason: String,
    pub by_user: String,
    pub created_at: DateTime<Utc>,
}

/// An adjustment to make: of `org_id`'s score in the scheme of `scheme_org` for `year`.
#[derive(Debug, Clone, Copy)]
pub struct NewAdjustment<'a> {
    pub scheme_org: i64,
    pub year: i32,
    pub org_id: i64,
    pub points: f64,
    pub reason: &'a str,
}

impl Store {
    /// The scheme an org set for a year, if any.
    pub async fn assessment_scheme(&self, org_id: i64, year: i32) -> Result<Option<StoredScheme>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(String, i64, String, DateTime<Utc>)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT scheme, version, updated_by, updated_at FROM assessment_schemes WHERE org_id = $1 AND year = $2",
                vec![org_id.into(), i64::from(year).into()],
            ))
            .await?;
        row.map(|(scheme, version, updated_by, updated_at)| {
            let scheme = serde_json::from_str(&scheme).map_err(|e| StoreError::Other(Box::new(e)))?;
            Ok(StoredScheme { scheme, version, updated_by, updated_at })
        })
        .transpose()
    }

    /// Saves an org's scheme for a year (the office of `org_id`); `version` is the version the
    /// office edited (`None`: a first scheme), so two offices' edits do not overwrite each
    /// other. Answers the new version.
    pub async fn save_assessment_scheme(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        year: i32,
        scheme: &Scheme,
        version: Option<i64>,
    ) -> Result<i64, StoreError> {
        assessment::check(scheme).map_err(|e| StoreError::Invalid(e.to_string()))?;
        actor.must_oversee()?;
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, org_id).await?;
        actor.may_supervise(&path)?;
        let text = serde_json::to_string(scheme).map_err(|e| StoreError::Other(Box::new(e)))?;
        let by = String::from(actor.username.clone());
        let (before, new_version) = Versioned {
            table: "assessment_schemes",
            key: &[("org_id", org_id.into()), ("year", i64::from(year).into())],
            column: "scheme",
            conflict: "考核方案已被他人修改，请刷新后重新编辑",
        }
        .save(&mut tx, &text, &by, version)
        .await?;
        tx.audit(ctx, "assessment.scheme", "assessment", format!("{org_id}/{year}"), before, text).await?;
        tx.commit().await?;
        Ok(new_version)
    }

    /// Adjusts an org's score in a scheme's year, with a reason.
    pub async fn add_assessment_adjustment(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        new: NewAdjustment<'_>,
    ) -> Result<Adjustment, StoreError> {
        let NewAdjustment { scheme_org, year, org_id, points, reason } = new;
        let reason = gongkai_core::html::multi_line(reason);
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(StoreError::Invalid(format!("调整分数须写明理由（{MAX_REASON} 字以内）")));
        }
        if !points.is_finite() || points == 0.0 || points.abs() > MAX_ADJUSTMENT {
            return Err(StoreError::Invalid(format!(
                "调整分值应为 -{MAX_ADJUSTMENT} 到 {MAX_ADJUSTMENT} 之间的非零数"
            )));
        }
        actor.must_oversee()?;
        let mut tx = self.pool.begin().await?;
        let scheme_path = org_path(&mut tx, scheme_org).await?;
        actor.may_supervise(&scheme_path)?;
        let path = org_path(&mut tx, org_id).await?;
        if !path.is_within(&scheme_path) {
            return Err(Denied::OutsideOrg.into());
        }
        let points = (points * 100.0).round() / 100.0;
        let by = String::from(actor.username.clone());
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO assessment_adjustments (scheme_org, year, org_id, points, reason, by_user, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    scheme_org.into(),
                    i64::from(year).into(),
                    org_id.into(),
                    points.into(),
                    reason.clone().into(),
                    by.clone().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "assessment.adjust",
            "assessment",
            format!("{scheme_org}/{year}/{org_id}"),
            String::new(),
            json!({ "points": points, "reason": reason }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(Adjustment { id, org_id, points, reason, by_user: by, created_at: now })
    }

    /// The adjustments of a scheme's year, oldest first.
    pub async fn assessment_adjustments(&self, scheme_org: i64, year: i32) -> Result<Vec<Adjustment>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, org_id, points, reason, by_user, created_at FROM assessment_adjustments \
                 WHERE scheme_org = $1 AND year = $2 ORDER BY id",
                vec![scheme_org.into(), i64::from(year).into()],
            ))
            .await
    }

    /// How many items each org has public now (published, not withdrawn).
    pub async fn published_counts(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT org_id, COUNT(*) FROM items WHERE state = 'published' AND public_rev IS NOT NULL GROUP BY org_id",
                vec![],
            ))
            .await
    }

    /// The office scores a manual indicator of its scheme for one org: `value` a share (0–1),
    /// with its evidence; a second score replaces the first (both audited).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_manual_score(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        scheme_org: i64,
        year: i32,
        name: &str,
        org_id: i64,
        value: f64,
        evidence: &str,
    ) -> Result<ManualScore, StoreError> {
        let evidence = gongkai_core::html::multi_line(evidence);
        if evidence.is_empty() || evidence.chars().count() > MAX_REASON {
            return Err(StoreError::Invalid(format!("人工评分须写明依据（{MAX_REASON} 字以内）")));
        }
        if !(0.0..=1.0).contains(&value) {
            return Err(StoreError::Invalid("评分应在 0 到 100% 之间".into()));
        }
        actor.must_oversee()?;
        let mut tx = self.pool.begin().await?;
        let scheme_path = org_path(&mut tx, scheme_org).await?;
        actor.may_supervise(&scheme_path)?;
        if !org_path(&mut tx, org_id).await?.is_within(&scheme_path) {
            return Err(Denied::OutsideOrg.into());
        }
        let before: Option<(f64, String)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT value, evidence FROM assessment_manual_scores \
                 WHERE scheme_org = $1 AND year = $2 AND name = $3 AND org_id = $4",
                vec![scheme_org.into(), i64::from(year).into(), name.into(), org_id.into()],
            ))
            .await?;
        let key = vec![scheme_org.into(), i64::from(year).into(), name.into(), org_id.into()];
        tx.ex()
            .execute(Sql(
                "DELETE FROM assessment_manual_scores WHERE scheme_org = $1 AND year = $2 AND name = $3 AND org_id = $4",
                key.clone(),
            ))
            .await?;
        let value = (value * 10000.0).round() / 10000.0;
        let by = String::from(actor.username.clone());
        let now = tx.now;
        let mut values = key;
        values.extend([value.into(), evidence.clone().into(), by.clone().into(), now.into()]);
        tx.ex()
            .execute(Sql(
                "INSERT INTO assessment_manual_scores (scheme_org, year, name, org_id, value, evidence, by_user, scored_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                values,
            ))
            .await?;
        tx.audit(
            ctx,
            "assessment.manual_score",
            "assessment",
            format!("{scheme_org}/{year}/{org_id}"),
            before.map(|(v, e)| json!({ "name": name, "value": v, "evidence": e }).to_string()).unwrap_or_default(),
            json!({ "name": name, "value": value, "evidence": evidence }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(ManualScore { name: name.to_string(), org_id, value, evidence, by_user: by, scored_at: now })
    }

    /// The manual scores of a scheme's year.
    pub async fn manual_scores(&self, scheme_org: i64, year: i32) -> Result<Vec<ManualScore>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT name, org_id, value, evidence, by_user, scored_at FROM assessment_manual_scores \
                 WHERE scheme_org = $1 AND year = $2 ORDER BY name, org_id",
                vec![scheme_org.into(), i64::from(year).into()],
            ))
            .await
    }
}

/// The office's score of a manual indicator for one org.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ManualScore {
    /// The indicator's name.
    pub name: String,
    pub org_id: i64,
    /// A share, 0–1.
    pub value: f64,
    pub evidence: String,
    pub by_user: String,
    pub scored_at: DateTime<Utc>,
}
