//! Attachment rows: an item's working files and their publication with a revision. The
//! item workflow (items.rs) and the attachment use cases (attachments.rs) both build on
//! these; neither imports the other for them.

use crate::StoreError;
use crate::db::{Sql, Tx};
use crate::files::FileKind;
use chrono::{DateTime, Utc};

/// A stored attachment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub item_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub text: String,
    pub position: i64,
    pub added_rev: Option<i64>,
    pub removed_rev: Option<i64>,
    pub remove_pending: bool,
    pub created_at: DateTime<Utc>,
}

impl Attachment {
    /// The kind, from the stored MIME type.
    pub fn kind(&self) -> Option<FileKind> {
        FileKind::from_mime(&self.mime)
    }
}

/// A file to attach, already stored (see [`crate::files::Blobs`]).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: String,
    pub text: String,
}

pub(crate) const COLUMNS: &str =
    "id, item_id, name, mime, size, sha256, text, position, added_rev, removed_rev, remove_pending, created_at";

/// The attachments of the working copy (not removed, not pending removal).
pub(crate) async fn working(tx: &mut Tx, item_id: i64) -> Result<Vec<Attachment>, StoreError> {
    tx.ex()
        .fetch_all(Sql(
            &format!("SELECT {COLUMNS} FROM attachments WHERE item_id = $1 AND removed_rev IS NULL AND NOT remove_pending ORDER BY position, id"),
            vec![item_id.into()],
        ))
        .await
}

/// At publication of revision `rev`: pending additions and removals take effect.
pub(crate) async fn publish(tx: &mut Tx, item_id: i64, rev: i64) -> Result<(), StoreError> {
    tx.ex()
        .execute(Sql(
            "UPDATE attachments SET added_rev = $1 WHERE item_id = $2 AND added_rev IS NULL AND NOT remove_pending",
            vec![rev.into(), item_id.into()],
        ))
        .await?;
    tx.ex()
        .execute(Sql(
            "UPDATE attachments SET removed_rev = $1, remove_pending = FALSE WHERE item_id = $2 AND remove_pending",
            vec![rev.into(), item_id.into()],
        ))
        .await?;
    Ok(())
}
