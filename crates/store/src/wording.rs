//! A site's own 表述检查 list (its wrong forms and office holders, `core::wording::Kept`),
//! kept as the office typed it, versioned so two editors cannot overwrite each other, audited.

use crate::audit::AuditCtx;
use crate::db::{Sql, Versioned};
use crate::{Store, StoreError};
use gongkai_core::Actor;

/// A site's list as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WordingList {
    pub site_id: i64,
    pub text: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// The list of the site whose top-level org is `site_id`, if one was saved.
    pub async fn wording_list(&self, site_id: i64) -> Result<Option<WordingList>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT site_id, text, version, updated_by, updated_at FROM wording_lists WHERE site_id = $1",
                vec![site_id.into()],
            ))
            .await
    }

    /// Saves the list of the actor's own site (its top-level org), which the office of the
    /// site keeps; `version` is the one edited (`None`: none saved yet). The text must read
    /// (`core::wording::parse_kept`). Answers the new version.
    pub async fn save_wording_list(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        text: &str,
        version: Option<i64>,
    ) -> Result<i64, StoreError> {
        actor.must_oversee()?;
        gongkai_core::wording::parse_kept(text).map_err(StoreError::Invalid)?;
        let site_id = actor.org_path.root_id().ok_or_else(|| StoreError::Invalid("无法确定所属网站".into()))?;
        let text = text.replace("\r\n", "\n");
        let mut tx = self.pool.begin().await?;
        let by = String::from(actor.username.clone());
        let (before, new_version) = Versioned {
            table: "wording_lists",
            key: &[("site_id", site_id.into())],
            column: "text",
            conflict: "词表已被他人修改，请刷新后重新编辑",
        }
        .save(&mut tx, &text, &by, version)
        .await?;
        tx.audit(ctx, "wording.save", "wording_list", site_id.to_string(), before, text).await?;
        tx.commit().await?;
        Ok(new_version)
    }
}
