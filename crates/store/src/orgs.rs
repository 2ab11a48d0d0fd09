//! Orgs and their tree. Each org stores its materialised path (`/1/4/9/`) so "everything
//! below X" is one indexed prefix match.

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::{OrgIdent, OrgKind, OrgPath};
use sea_query::Value;
use serde_json::json;

/// A stored org.
#[derive(Debug, Clone)]
pub struct Org {
    /// Id.
    pub id: i64,
    /// The org one level up; `None` for a root.
    pub parent_id: Option<i64>,
    /// Place in the tree.
    pub path: OrgPath,
    /// 统一社会信用代码 or 组织机构代码.
    pub ident: OrgIdent,
    /// Full name (全称).
    pub name: String,
    /// Short name (简称).
    pub short_name: String,
    /// Kind.
    pub kind: OrgKind,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// The disclosure office's contact (address, hours, phone, e-mail) in one line.
    pub contact: String,
    /// The pattern of its notice numbers (`{年}`, `{号}`); empty for the default.
    pub notice_no_pattern: String,
}

impl Org {
    /// The code as text.
    pub fn code(&self) -> &str {
        self.ident.as_str()
    }

    /// The prefix of this org's index numbers.
    pub fn index_prefix(&self) -> &str {
        self.ident.index_prefix()
    }

    fn summary(&self) -> String {
        json!({
            "code": self.code(), "name": self.name, "short_name": self.short_name,
            "kind": self.kind.as_str(), "parent_id": self.parent_id,
        })
        .to_string()
    }
}

/// A new org to add.
#[derive(Debug, Clone)]
pub struct NewOrg {
    /// The parent's code, or `None` for a root.
    pub parent_code: Option<String>,
    /// Its code.
    pub ident: OrgIdent,
    /// Full name.
    pub name: String,
    /// Short name; the full name when empty.
    pub short_name: String,
    /// Kind.
    pub kind: OrgKind,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    parent_id: Option<i64>,
    path: String,
    code: String,
    name: String,
    short_name: String,
    kind: String,
    created_at: DateTime<Utc>,
    contact: String,
    notice_no_pattern: String,
}

impl TryFrom<OrgRow> for Org {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Self, StoreError> {
        let ident =
            OrgIdent::parse(&r.code).map_err(|e| StoreError::Invalid(format!("库中单位 {} 的代码无效：{e}", r.id)))?;
        let kind = OrgKind::parse(&r.kind)
            .ok_or_else(|| StoreError::Invalid(format!("库中单位 {} 的类型「{}」无效", r.id, r.kind)))?;
        Ok(Org {
            id: r.id,
            parent_id: r.parent_id,
            path: OrgPath::from_stored(r.path),
            ident,
            name: r.name,
            short_name: r.short_name,
            kind,
            created_at: r.created_at,
            contact: r.contact,
            notice_no_pattern: r.notice_no_pattern,
        })
    }
}

const ORG_COLUMNS: &str = "id, parent_id, path, code, name, short_name, kind, created_at, contact, notice_no_pattern";

fn clean_name(s: &str, what: &str) -> Result<String, StoreError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(StoreError::Invalid(format!("{what}不能为空")));
    }
    if s.chars().count() > 100 {
        return Err(StoreError::Invalid(format!("{what}不能超过 100 个字符")));
    }
    if s.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!("{what}含有控制字符")));
    }
    Ok(s.to_string())
}

impl Store {
    /// Adds an org under its parent (or as a root), with its audit row.
    pub async fn create_org(&self, ctx: &AuditCtx, new: NewOrg) -> Result<Org, StoreError> {
        let name = clean_name(&new.name, "单位名称")?;
        let short_name =
            if new.short_name.trim().is_empty() { name.clone() } else { clean_name(&new.short_name, "单位简称")? };
        let mut tx = self.pool.begin().await?;
        let parent: Option<OrgRow> = match &new.parent_code {
            Some(code) => Some(
                tx.ex()
                    .fetch_optional(Sql(
                        &format!("SELECT {ORG_COLUMNS} FROM orgs WHERE code = $1"),
                        vec![code.as_str().into()],
                    ))
                    .await?
                    .ok_or_else(|| StoreError::Invalid(format!("上级单位「{code}」不存在")))?,
            ),
            None => None,
        };
        let taken: Option<(String,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT code FROM orgs WHERE code = $1 OR name = $2",
                vec![new.ident.as_str().into(), name.as_str().into()],
            ))
            .await?;
        if let Some((code,)) = taken {
            return Err(StoreError::Conflict(if code == new.ident.as_str() {
                format!("机构代码 {code} 已被使用")
            } else {
                format!("单位名称「{name}」已存在")
            }));
        }
        let now = self.now();
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO orgs (parent_id, code, name, short_name, kind, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    Value::BigInt(parent.as_ref().map(|p| p.id)),
                    new.ident.as_str().into(),
                    name.as_str().into(),
                    short_name.as_str().into(),
                    new.kind.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        let path = match &parent {
            Some(p) => OrgPath::from_stored(p.path.clone()).child(id),
            None => OrgPath::root(id),
        };
        tx.ex().execute(Sql("UPDATE orgs SET path = $1 WHERE id = $2", vec![path.as_str().into(), id.into()])).await?;
        let org = Org {
            id,
            parent_id: parent.map(|p| p.id),
            path,
            ident: new.ident,
            name,
            short_name,
            kind: new.kind,
            created_at: now,
            contact: String::new(),
            notice_no_pattern: String::new(),
        };
        tx.audit(ctx, "org.create", "org", org.code().to_string(), String::new(), org.summary()).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Sets the disclosure office's contact line of an org and the pattern of its notice
    /// numbers (checked by `core::notice::check_doc_no_pattern` before).
    pub async fn set_org_contact(
        &self,
        ctx: &AuditCtx,
        org_id: i64,
        contact: &str,
        notice_no_pattern: &str,
    ) -> Result<(), StoreError> {
        let contact: String = contact.trim().chars().filter(|c| !c.is_control()).take(300).collect();
        let pattern: String = notice_no_pattern.trim().chars().filter(|c| !c.is_control()).take(60).collect();
        let mut tx = self.pool.begin().await?;
        let n = tx
            .ex()
            .execute(Sql(
                "UPDATE orgs SET contact = $1, notice_no_pattern = $2 WHERE id = $3",
                vec![contact.as_str().into(), pattern.as_str().into(), org_id.into()],
            ))
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("单位 {org_id}")));
        }
        tx.audit(
            ctx,
            "org.contact",
            "org",
            org_id.to_string(),
            String::new(),
            json!({ "contact": contact, "notice_no_pattern": pattern }).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// Every org, parents before children, siblings by id.
    pub async fn orgs(&self) -> Result<Vec<Org>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<OrgRow> =
            conn.ex().fetch_all(Sql(&format!("SELECT {ORG_COLUMNS} FROM orgs ORDER BY path"), vec![])).await?;
        let mut orgs = rows.into_iter().map(Org::try_from).collect::<Result<Vec<_>, _>>()?;
        // Text order puts /1/10/ before /1/2/; order numerically by each level's id instead.
        orgs.sort_by_key(|o| path_ids(&o.path));
        Ok(orgs)
    }

    /// The org with this code.
    pub async fn org_by_code(&self, code: &str) -> Result<Option<Org>, StoreError> {
        let code = code.trim().to_ascii_uppercase().replace('-', "");
        let mut conn = self.pool.conn().await?;
        let row: Option<OrgRow> = conn
            .ex()
            .fetch_optional(Sql(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE code = $1"), vec![code.into()]))
            .await?;
        row.map(Org::try_from).transpose()
    }

    /// The org with this id.
    pub async fn org_by_id(&self, id: i64) -> Result<Option<Org>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<OrgRow> = conn
            .ex()
            .fetch_optional(Sql(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = $1"), vec![id.into()]))
            .await?;
        row.map(Org::try_from).transpose()
    }
}

fn path_ids(path: &OrgPath) -> Vec<i64> {
    path.as_str().split('/').filter_map(|s| s.parse().ok()).collect()
}

impl Store {
    /// The text an org uses for a kind of notice: its own, else the nearest ancestor's,
    /// else none (the built-in text).
    pub async fn notice_template(&self, org: &Org, kind: &str) -> Result<Option<String>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String, String)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT o.path, t.body FROM notice_templates t JOIN orgs o ON o.id = t.org_id WHERE t.kind = $1",
                vec![kind.into()],
            ))
            .await?;
        Ok(rows
            .into_iter()
            .filter(|(path, _)| org.path.as_str().starts_with(path.as_str()))
            .max_by_key(|(path, _)| path.len())
            .map(|(_, body)| body))
    }

    /// An org's own texts (kind, body).
    pub async fn own_notice_templates(&self, org_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT kind, body FROM notice_templates WHERE org_id = $1 ORDER BY kind",
                vec![org_id.into()],
            ))
            .await
    }

    /// Sets (or, with an empty body, removes) an org's own text for a kind of notice; its
    /// administrators only. The text must use known placeholders.
    pub async fn set_notice_template(
        &self,
        ctx: &AuditCtx,
        actor: Option<&gongkai_core::Actor>,
        org: &Org,
        kind: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        if let Some(a) = actor {
            a.may_administer(&org.path)?;
        }
        if gongkai_core::notice::NoticeKind::parse(kind).is_none() {
            return Err(StoreError::Invalid(format!("文书类型「{kind}」无效")));
        }
        gongkai_core::notice::check_template(body).map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
        tx.ex()
            .execute(Sql(
                "DELETE FROM notice_templates WHERE org_id = $1 AND kind = $2",
                vec![org.id.into(), kind.into()],
            ))
            .await?;
        if !body.trim().is_empty() {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO notice_templates (org_id, kind, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
                    vec![org.id.into(), kind.into(), body.trim().into(), ctx.actor.as_str().into(), self.now().into()],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "notice.template",
            "org",
            org.code().to_string(),
            String::new(),
            serde_json::json!({ "kind": kind, "custom": !body.trim().is_empty() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
