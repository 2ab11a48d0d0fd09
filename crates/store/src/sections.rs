//! Catalog sections (栏目): each org's tree of sections that its items are filed under,
//! edited by the org's admins (or an admin above), seeded from the shipped baseline
//! catalogs. A section with items or subsections cannot be deleted.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::catalog::{Baseline, baseline};
use gongkai_core::{Actor, OrgPath};
use sea_query::Value;
use serde_json::json;

/// A catalog section.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Section {
    pub id: i64,
    pub org_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub position: i64,
    pub update_rule: String,
    pub created_at: DateTime<Utc>,
}

/// A section to add or the new values of one.
#[derive(Debug, Clone, Default)]
pub struct SectionInput {
    pub parent_id: Option<i64>,
    pub name: String,
    pub position: i64,
    pub update_rule: String,
}

const COLUMNS: &str = "id, org_id, parent_id, name, position, update_rule, created_at";

async fn authorize(tx: &mut Tx, actor: Option<&Actor>, org_id: i64) -> Result<(), StoreError> {
    let path: Option<(String,)> =
        tx.ex().fetch_optional(Sql("SELECT path FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
    let (path,) = path.ok_or_else(|| StoreError::NotFound(format!("单位 {org_id}")))?;
    if let Some(actor) = actor {
        actor.may_administer(&OrgPath::from_stored(path)).map_err(StoreError::Forbidden)?;
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid("栏目名称不能为空，不超过 100 个字符".into()));
    }
    Ok(name.to_string())
}

async fn sibling_named(
    tx: &mut Tx,
    org_id: i64,
    parent: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let rows: Vec<(i64, Option<i64>)> = tx
        .ex()
        .fetch_all(Sql(
            "SELECT id, parent_id FROM catalog_sections WHERE org_id = $1 AND name = $2",
            vec![org_id.into(), name.into()],
        ))
        .await?;
    Ok(rows.iter().any(|(id, p)| *p == parent && Some(*id) != except))
}

impl Store {
    /// Adds a section; `actor` is `None` for the operator (command line, demo).
    pub async fn create_section(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org_id: i64,
        input: SectionInput,
    ) -> Result<Section, StoreError> {
        let name = check_name(&input.name)?;
        let mut tx = self.pool.begin().await?;
        authorize(&mut tx, actor, org_id).await?;
        if let Some(p) = input.parent_id {
            let parent: Option<(i64,)> = tx
                .ex()
                .fetch_optional(Sql(
                    "SELECT id FROM catalog_sections WHERE id = $1 AND org_id = $2",
                    vec![p.into(), org_id.into()],
                ))
                .await?;
            parent.ok_or_else(|| StoreError::Invalid(format!("上级栏目 {p} 不属于本单位")))?;
        }
        if sibling_named(&mut tx, org_id, input.parent_id, &name, None).await? {
            return Err(StoreError::Conflict(format!("栏目「{name}」已存在")));
        }
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO catalog_sections (org_id, parent_id, name, position, update_rule, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![org_id.into(), Value::BigInt(input.parent_id), name.as_str().into(), input.position.into(), input.update_rule.trim().into(), self.now().into()],
            ))
            .await?;
        let section: Section = tx
            .ex()
            .fetch_one(Sql(&format!("SELECT {COLUMNS} FROM catalog_sections WHERE id = $1"), vec![id.into()]))
            .await?;
        tx.audit(
            ctx,
            "section.create",
            "section",
            id.to_string(),
            String::new(),
            json!({ "org_id": org_id, "name": name, "parent_id": input.parent_id }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(section)
    }

    /// Renames, moves within its parent's order, or changes the update rule of a section.
    pub async fn update_section(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        id: i64,
        input: SectionInput,
    ) -> Result<Section, StoreError> {
        let name = check_name(&input.name)?;
        let mut tx = self.pool.begin().await?;
        let before: Section = tx
            .ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM catalog_sections WHERE id = $1"), vec![id.into()]))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("栏目 {id}")))?;
        authorize(&mut tx, actor, before.org_id).await?;
        if sibling_named(&mut tx, before.org_id, before.parent_id, &name, Some(id)).await? {
            return Err(StoreError::Conflict(format!("栏目「{name}」已存在")));
        }
        tx.ex()
            .execute(Sql(
                "UPDATE catalog_sections SET name = $1, position = $2, update_rule = $3 WHERE id = $4",
                vec![name.as_str().into(), input.position.into(), input.update_rule.trim().into(), id.into()],
            ))
            .await?;
        let after: Section = tx
            .ex()
            .fetch_one(Sql(&format!("SELECT {COLUMNS} FROM catalog_sections WHERE id = $1"), vec![id.into()]))
            .await?;
        tx.audit(
            ctx,
            "section.update",
            "section",
            id.to_string(),
            json!({ "name": before.name, "position": before.position, "update_rule": before.update_rule }).to_string(),
            json!({ "name": after.name, "position": after.position, "update_rule": after.update_rule }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes an empty section (no items, no subsections).
    pub async fn delete_section(&self, ctx: &AuditCtx, actor: Option<&Actor>, id: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let section: Section = tx
            .ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM catalog_sections WHERE id = $1"), vec![id.into()]))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("栏目 {id}")))?;
        authorize(&mut tx, actor, section.org_id).await?;
        let (children,): (i64,) = tx
            .ex()
            .fetch_one(Sql("SELECT COUNT(*) FROM catalog_sections WHERE parent_id = $1", vec![id.into()]))
            .await?;
        let (items,): (i64,) =
            tx.ex().fetch_one(Sql("SELECT COUNT(*) FROM items WHERE section_id = $1", vec![id.into()])).await?;
        if children > 0 || items > 0 {
            return Err(StoreError::Conflict(format!(
                "栏目「{}」下还有 {children} 个子栏目、{items} 条信息，不能删除",
                section.name
            )));
        }
        tx.ex().execute(Sql("DELETE FROM catalog_sections WHERE id = $1", vec![id.into()])).await?;
        tx.audit(
            ctx,
            "section.delete",
            "section",
            id.to_string(),
            json!({ "org_id": section.org_id, "name": section.name }).to_string(),
            String::new(),
        )
        .await?;
        tx.commit().await
    }

    /// An org's sections, parents before children, in their order.
    pub async fn sections(&self, org_id: i64) -> Result<Vec<Section>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM catalog_sections WHERE org_id = $1 ORDER BY position, id"),
                vec![org_id.into()],
            ))
            .await
    }

    /// One section.
    pub async fn section(&self, id: i64) -> Result<Option<Section>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM catalog_sections WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Adds the baseline catalog's sections that the org does not have yet (top level, by
    /// name); answers how many were added.
    pub async fn apply_baseline(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org_id: i64,
        kind: Baseline,
    ) -> Result<usize, StoreError> {
        let existing: Vec<String> =
            self.sections(org_id).await?.into_iter().filter(|s| s.parent_id.is_none()).map(|s| s.name).collect();
        let mut added = 0;
        for (i, s) in baseline(kind).into_iter().enumerate() {
            if existing.contains(&s.name) {
                continue;
            }
            let input = SectionInput {
                parent_id: None,
                name: s.name,
                position: (i as i64 + 1) * 10,
                update_rule: s.update_rule,
            };
            self.create_section(ctx, actor, org_id, input).await?;
            added += 1;
        }
        Ok(added)
    }
}
