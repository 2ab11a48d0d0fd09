//! Attachments of items. Adding or removing one is an edit of the working copy (a
//! published item goes back to draft for its next revision); the public keeps seeing the
//! attachments of the revision it sees until the next one is published.

pub use crate::attachment_rows::{Attachment, NewAttachment};
use crate::attachment_rows::{COLUMNS, working};
use crate::audit::AuditCtx;
use crate::db::{Sql, Tx};
use crate::items::{ItemError, load_item};
use crate::{Store, StoreError};

use gongkai_core::item::{Command, transition};
use gongkai_core::{Actor, OrgPath};
use serde_json::json;

/// Asks the edit rule whether `actor` may change the item's attachments; answers the state
/// the working copy moves to.
async fn check_edit(tx: &mut Tx, actor: &Actor, item_id: i64) -> Result<gongkai_core::item::ItemState, ItemError> {
    let item = load_item(tx, item_id).await?;
    let (path,): (String,) =
        tx.ex().fetch_one(Sql("SELECT path FROM orgs WHERE id = $1", vec![item.org_id.into()])).await?;
    let path = OrgPath::from_stored(path);
    let facts = gongkai_core::item::ItemFacts {
        state: item.state.0,
        org_path: &path,
        author_id: item.author_id,
        title: &item.title,
        attr: item.disclosure_attr.0,
        withhold_reason: &item.withhold_reason,
        withheld_parts: &item.withheld_parts,
        withhold_review_on: item.withhold_review_on,
        has_public_revision: item.public_rev.is_some(),
        findings: &[],
        privacy_exception: &item.privacy_exception,
        writers: &[],
        reviewer: None,
    };
    Ok(transition(&facts, actor, &Command::Edit)?.state)
}

/// Applies the edit rule to an attachment change: moves the working copy to draft.
async fn edit(tx: &mut Tx, actor: &Actor, item_id: i64) -> Result<(), ItemError> {
    let state = check_edit(tx, actor, item_id).await?;
    let now = tx.now;
    tx.ex()
        .execute(Sql(
            "UPDATE items SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3",
            vec![state.as_str().into(), now.into(), item_id.into()],
        ))
        .await?;
    Ok(())
}

/// A new attachment row of the working copy.
async fn insert(
    tx: &mut Tx,
    item_id: i64,
    name: &str,
    new: &NewAttachment,
    position: i64,
) -> Result<Attachment, StoreError> {
    let now = tx.now;
    let (id,): (i64,) = tx
        .ex()
        .fetch_one(Sql(
            "INSERT INTO attachments (item_id, name, mime, size, sha256, text, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            vec![
                item_id.into(),
                name.into(),
                new.kind.mime().into(),
                new.size.into(),
                new.sha256.as_str().into(),
                new.text.as_str().into(),
                position.into(),
                now.into(),
            ],
        ))
        .await?;
    tx.ex().fetch_one(Sql(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"), vec![id.into()])).await
}

/// An attachment of the working copy that is still there (not removed, nor leaving).
async fn present(tx: &mut Tx, item_id: i64, id: i64) -> Result<Attachment, ItemError> {
    let att: Attachment = tx
        .ex()
        .fetch_optional(Sql(
            &format!("SELECT {COLUMNS} FROM attachments WHERE id = $1 AND item_id = $2"),
            vec![id.into(), item_id.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("附件 {id}")))?;
    if att.removed_rev.is_some() || att.remove_pending {
        return Err(StoreError::Conflict(format!("附件 {id} 已删除")).into());
    }
    Ok(att)
}

/// Takes an attachment out of the working copy: at once if it was never public, else when
/// the next revision is published.
async fn take_out(tx: &mut Tx, att: &Attachment) -> Result<(), StoreError> {
    let sql = if att.added_rev.is_none() {
        "DELETE FROM attachments WHERE id = $1"
    } else {
        "UPDATE attachments SET remove_pending = TRUE WHERE id = $1"
    };
    tx.ex().execute(Sql(sql, vec![att.id.into()])).await?;
    Ok(())
}

/// An attachment's name as kept: no controls or path separators, at most 200 characters,
/// `附件.PDF` and the like when nothing is left.
pub(crate) fn file_name(name: &str, kind: crate::files::FileKind) -> String {
    let name: String = name.trim().chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).take(200).collect();
    if name.is_empty() { format!("附件.{}", kind.label()) } else { name }
}

impl Store {
    /// Whether `actor` may add or remove the item's attachments now, asked before an
    /// upload's body is read, so a refused upload stores no file. (The same rule is applied
    /// again when the file is attached.)
    pub async fn check_attachment_edit(&self, actor: &Actor, item_id: i64) -> Result<(), ItemError> {
        let mut tx = self.pool.begin().await?;
        check_edit(&mut tx, actor, item_id).await.map(|_| ())
    }

    /// Attaches a stored file to an item's working copy.
    pub async fn add_attachment(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        new: NewAttachment,
    ) -> Result<Attachment, ItemError> {
        let name = file_name(&new.name, new.kind);
        let mut tx = self.pool.begin().await?;
        edit(&mut tx, actor, item_id).await?;
        let (pos,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM attachments WHERE item_id = $1",
                vec![item_id.into()],
            ))
            .await?;
        let att = insert(&mut tx, item_id, &name, &new, pos).await?;
        let id = att.id;
        tx.audit(
            ctx,
            "attachment.add",
            "item",
            item_id.to_string(),
            String::new(),
            json!({ "attachment": id, "name": name, "sha256": new.sha256, "size": new.size }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(att)
    }

    /// Puts a new revision of an attachment's file (its de-identified copy) in its place in
    /// the working copy: the new file takes the old one's name and position; the old one
    /// leaves at once if it was never public, else when the next revision is published (the
    /// public keeps what it sees until then). One transaction, audited as `attachment.mask`.
    pub async fn replace_attachment(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        id: i64,
        new: NewAttachment,
    ) -> Result<Attachment, ItemError> {
        let mut tx = self.pool.begin().await?;
        let old = present(&mut tx, item_id, id).await?;
        edit(&mut tx, actor, item_id).await?;
        // The new row first: a row id freed by the delete is not handed to it (SQLite reuses
        // the highest), so the old file's address never serves the new one.
        let att = insert(&mut tx, item_id, &old.name, &new, old.position).await?;
        let new_id = att.id;
        take_out(&mut tx, &old).await?;
        tx.audit(
            ctx,
            "attachment.mask",
            "item",
            item_id.to_string(),
            json!({ "attachment": id, "name": old.name, "sha256": old.sha256 }).to_string(),
            json!({ "attachment": new_id, "name": old.name, "sha256": new.sha256, "size": new.size }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(att)
    }

    /// Removes an attachment from the working copy (at once if it was never public).
    pub async fn remove_attachment(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        id: i64,
    ) -> Result<(), ItemError> {
        let mut tx = self.pool.begin().await?;
        let att = present(&mut tx, item_id, id).await?;
        edit(&mut tx, actor, item_id).await?;
        take_out(&mut tx, &att).await?;
        tx.audit(
            ctx,
            "attachment.remove",
            "item",
            item_id.to_string(),
            json!({ "attachment": id, "name": att.name, "sha256": att.sha256 }).to_string(),
            String::new(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The working copy's attachments (for staff).
    pub async fn attachments(&self, item_id: i64) -> Result<Vec<Attachment>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let list = working(&mut tx, item_id).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The attachments of the public revision of a public item.
    pub async fn public_attachments(&self, item_id: i64, rev: i64) -> Result<Vec<Attachment>, StoreError> {
        self.public_attachments_of(&[(item_id, rev)]).await
    }

    /// The attachments public in each of these (item, revision) pairs, in item order.
    pub async fn public_attachments_of(&self, items: &[(i64, i64)]) -> Result<Vec<Attachment>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<sea_query::Value> = items.iter().map(|(id, _)| sea_query::Value::from(*id)).collect();
        let mut conn = self.pool.conn().await?;
        let all: Vec<Attachment> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {COLUMNS} FROM attachments WHERE item_id IN ({}) AND added_rev IS NOT NULL ORDER BY item_id, position, id",
                    crate::db::placeholders(1, items.len())
                ),
                values,
            ))
            .await?;
        let rev_of: std::collections::HashMap<i64, i64> = items.iter().copied().collect();
        Ok(all
            .into_iter()
            .filter(|a| {
                let rev = rev_of.get(&a.item_id).copied().unwrap_or(0);
                a.added_rev.is_some_and(|added| added <= rev) && a.removed_rev.is_none_or(|removed| removed > rev)
            })
            .collect())
    }

    /// One attachment of an item.
    pub async fn attachment(&self, item_id: i64, id: i64) -> Result<Option<Attachment>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                &format!("SELECT {COLUMNS} FROM attachments WHERE id = $1 AND item_id = $2"),
                vec![id.into(), item_id.into()],
            ))
            .await
    }

    /// Attachments of `mimes` whose text was never read (kept before their kind's text was
    /// extracted): (id, sha256, mime), oldest first, at most `limit`, after id `after`.
    pub async fn attachments_without_text(
        &self,
        mimes: &[&str],
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let marks: Vec<String> = (0..mimes.len()).map(|i| format!("${}", i + 3)).collect();
        let mut values: Vec<sea_query::Value> = vec![after.into(), limit.into()];
        values.extend(mimes.iter().map(|m| sea_query::Value::from(*m)));
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT id, sha256, mime FROM attachments WHERE id > $1 AND text = '' AND mime IN ({}) ORDER BY id LIMIT $2",
                    marks.join(", ")
                ),
                values,
            ))
            .await
    }

    /// Records the text read from an attachment's file (see [`Self::attachments_without_text`]).
    pub async fn set_attachment_text(&self, id: i64, text: &str) -> Result<(), StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .execute(Sql("UPDATE attachments SET text = $1 WHERE id = $2 AND text = ''", vec![text.into(), id.into()]))
            .await?;
        Ok(())
    }
}
