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
    /// 公开依据.
    pub basis: String,
    /// The list kinds whose tables belong in it, codes separated by commas.
    pub list_kinds: String,
}

impl Section {
    /// The list kinds' codes.
    pub fn list_codes(&self) -> Vec<&str> {
        self.list_kinds.split(',').map(str::trim).filter(|c| !c.is_empty()).collect()
    }
}

/// A section to add or the new values of one.
#[derive(Debug, Clone, Default)]
pub struct SectionInput {
    pub parent_id: Option<i64>,
    pub name: String,
    pub position: i64,
    pub update_rule: String,
    /// 公开依据 (set when the section is added).
    pub basis: String,
    /// The list kinds that feed it, by code (set when the section is added).
    pub list_kinds: Vec<String>,
}

const COLUMNS: &str = "id, org_id, parent_id, name, position, update_rule, created_at, basis, list_kinds";

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
        if input.basis.chars().count() > 200 || input.list_kinds.len() > 20 {
            return Err(StoreError::Invalid("公开依据不超过 200 个字符，关联清单不超过 20 种".into()));
        }
        for code in &input.list_kinds {
            let known: Option<(String,)> = tx
                .ex()
                .fetch_optional(Sql("SELECT code FROM list_kinds WHERE code = $1", vec![code.as_str().into()]))
                .await?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!("没有代码为「{code}」的清单")));
            }
        }
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO catalog_sections (org_id, parent_id, name, position, update_rule, created_at, basis, list_kinds) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    org_id.into(),
                    Value::BigInt(input.parent_id),
                    name.as_str().into(),
                    input.position.into(),
                    input.update_rule.trim().into(),
                    self.now().into(),
                    input.basis.trim().into(),
                    input.list_kinds.join(",").into(),
                ],
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

    /// Adds the baseline catalog's sections that the org does not have yet (by name under
    /// their parent: subsections go under the top-level section of that name, which is added
    /// first when missing); answers how many were added.
    pub async fn apply_baseline(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org_id: i64,
        kind: Baseline,
    ) -> Result<usize, StoreError> {
        let mut existing: Vec<(Option<i64>, String, i64)> =
            self.sections(org_id).await?.into_iter().map(|s| (s.parent_id, s.name, s.id)).collect();
        let top_id = |existing: &[(Option<i64>, String, i64)], name: &str| {
            existing.iter().find(|(p, n, _)| p.is_none() && n == name).map(|(_, _, id)| *id)
        };
        let mut added = 0;
        for (i, s) in baseline(kind).into_iter().enumerate() {
            let parent_id = match &s.parent {
                Some(p) => match top_id(&existing, p) {
                    Some(id) => Some(id),
                    // The parent was removed by the org: its subsections are not imposed.
                    None => continue,
                },
                None => None,
            };
            if existing.iter().any(|(p, n, _)| *p == parent_id && *n == s.name) {
                continue;
            }
            let input = SectionInput {
                parent_id,
                name: s.name,
                position: (i as i64 + 1) * 10,
                update_rule: s.update_rule,
                basis: s.basis,
                list_kinds: s.lists,
            };
            let created = self.create_section(ctx, actor, org_id, input).await?;
            existing.push((created.parent_id, created.name, created.id));
            added += 1;
        }
        Ok(added)
    }
}
