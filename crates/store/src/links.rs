//! Links between items: an interpretation (政策解读) names the policy it explains, so the
//! policy's public page lists its interpretations and the interpretation links back.
//! Editors of the interpretation's org set the link; the policy may be any item they can
//! see (their own orgs' or a public one).

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::{Actor, Role};
use serde_json::json;

/// A public interpretation as a policy's page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedItem {
    pub id: i64,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

impl Store {
    /// The policy an item interprets, if it names one.
    pub async fn interprets(&self, item_id: i64) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64,)> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT target_id FROM item_links WHERE item_id = $1 AND kind = 'interprets'",
                vec![item_id.into()],
            ))
            .await?;
        Ok(row.map(|(t,)| t))
    }

    /// Names (or, with `None`, clears) the policy an item interprets; an editor of the
    /// item's org. The policy must be another item the editor may see or a public one.
    pub async fn set_interprets(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        target: Option<i64>,
    ) -> Result<(), StoreError> {
        let item = self.item(item_id).await?.ok_or_else(|| StoreError::NotFound(format!("信息 {item_id}")))?;
        let org = self.org_by_id(item.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        actor.may_work_in(Role::Editor, &org.path)?;
        if let Some(t) = target {
            if t == item_id {
                return Err(StoreError::Invalid("不能关联信息本身".into()));
            }
            let visible = match self.item(t).await? {
                Some(policy) => {
                    let porg = self.org_by_id(policy.org_id).await?;
                    porg.is_some_and(|o| actor.may_supervise(&o.path).is_ok()) || self.public_item(t).await?.is_some()
                }
                None => false,
            };
            if !visible {
                return Err(StoreError::Invalid(format!("找不到可关联的政策文件（信息 {t}）")));
            }
        }
        let mut tx = self.pool.begin().await?;
        tx.ex()
            .execute(Sql("DELETE FROM item_links WHERE item_id = $1 AND kind = 'interprets'", vec![item_id.into()]))
            .await?;
        if let Some(t) = target {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO item_links (item_id, kind, target_id, created_by, created_at) VALUES ($1, 'interprets', $2, $3, $4)",
                    vec![item_id.into(), t.into(), ctx.actor.as_str().into(), self.now().into()],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "item.interprets",
            "item",
            item_id.to_string(),
            String::new(),
            json!({ "interprets": target }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// The public interpretations of a policy, newest first.
    pub async fn public_interpretations(&self, target_id: i64) -> Result<Vec<LinkedItem>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT i.id, r.title, i.published_at {} AND i.id IN (SELECT item_id FROM item_links WHERE target_id = $2 AND kind = 'interprets') ORDER BY i.published_at DESC, i.id DESC LIMIT 50",
                    crate::public::public_from!()
                ),
                vec![self.now().into(), target_id.into()],
            ))
            .await
    }
}
