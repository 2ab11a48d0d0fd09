//! A request's records in the store: the notices as they were issued (frozen, numbered per
//! org and year), the files released with the reply, and how the reply was delivered (送达).
//! Nothing here is rewritten: a later step issues a new notice, a removed file is marked.

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_core::notice::{Notice, notice_no};
use gongkai_core::request::DeliveryMethod;
use serde_json::json;

/// A notice as it was issued.
#[derive(Debug, Clone)]
pub struct IssuedNotice {
    pub id: i64,
    pub request_id: i64,
    /// `core::notice::NoticeKind` code.
    pub kind: String,
    /// The how-many-th notice of its kind for the request (1 first).
    pub seq: i64,
    pub doc_no: String,
    pub issued_on: NaiveDate,
    pub notice: Notice,
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    request_id: i64,
    kind: String,
    seq: i64,
    doc_no: String,
    issued_on: NaiveDate,
    body: String,
}

impl TryFrom<NoticeRow> for IssuedNotice {
    type Error = StoreError;
    fn try_from(r: NoticeRow) -> Result<Self, StoreError> {
        let notice = serde_json::from_str(&r.body)
            .map_err(|e| StoreError::Invalid(format!("库中文书 {} 无法读取：{e}", r.id)))?;
        Ok(IssuedNotice {
            id: r.id,
            request_id: r.request_id,
            kind: r.kind,
            seq: r.seq,
            doc_no: r.doc_no,
            issued_on: r.issued_on,
            notice,
        })
    }
}

/// A file released with a reply.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestFile {
    pub id: i64,
    pub request_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub added_by: String,
    pub created_at: DateTime<Utc>,
}

/// A file as the store takes it (the bytes are already in the blob store).
pub struct NewRequestFile {
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// A 送达 record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub request_id: i64,
    #[sqlx(try_from = "String")]
    pub method: DeliveryMethod,
    pub delivered_on: NaiveDate,
    pub proof: String,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

/// The tracking number of a request, which its audit rows name.
async fn tracking_no(tx: &mut crate::db::Tx, request_id: i64) -> Result<String, StoreError> {
    let row: Option<(String,)> =
        tx.ex().fetch_optional(Sql("SELECT tracking_no FROM requests WHERE id = $1", vec![request_id.into()])).await?;
    row.map(|(t,)| t).ok_or_else(|| StoreError::NotFound("申请".into()))
}

const NOTICE_COLUMNS: &str = "id, request_id, kind, seq, doc_no, issued_on, body";
const FILE_COLUMNS: &str = "id, request_id, name, mime, size, sha256, added_by, created_at";

impl Store {
    /// Issues the `seq`th notice of `kind` for a request: numbered with the next 文号 of its
    /// org for the year of `issued_on`, and kept as composed. Answers the notice already issued
    /// under that place when there is one (two writers issuing at once keep one).
    pub async fn issue_notice(
        &self,
        ctx: &AuditCtx,
        request_id: i64,
        kind: &str,
        seq: i64,
        issued_on: NaiveDate,
        mut notice: Notice,
    ) -> Result<IssuedNotice, StoreError> {
        if let Some(n) = self.issued_notice(request_id, kind, seq).await? {
            return Ok(n);
        }
        let mut tx = self.pool.begin().await?;
        let (tracking_no, org_id, short_name, name, pattern): (String, i64, String, String, String) = tx
            .ex()
            .fetch_one(Sql(
                "SELECT r.tracking_no, o.id, o.short_name, o.name, o.notice_no_pattern FROM requests r \
                 JOIN orgs o ON o.id = r.org_id WHERE r.id = $1",
                vec![request_id.into()],
            ))
            .await?;
        let year = issued_on.year();
        let (number,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO notice_counters (org_id, year, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (org_id, year) DO UPDATE SET last = notice_counters.last + 1 RETURNING last",
                vec![org_id.into(), i64::from(year).into()],
            ))
            .await?;
        let short = if short_name.trim().is_empty() { name } else { short_name };
        notice.doc_no = notice_no(&pattern, &short, year, number);
        let body = serde_json::to_string(&notice).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let now = tx.now;
        let inserted = tx
            .ex()
            .execute(Sql(
                "INSERT INTO request_notices (request_id, kind, seq, org_id, doc_no, issued_on, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id, kind, seq) DO NOTHING",
                vec![
                    request_id.into(),
                    kind.into(),
                    seq.into(),
                    org_id.into(),
                    notice.doc_no.clone().into(),
                    issued_on.into(),
                    body.into(),
                    now.into(),
                ],
            ))
            .await?;
        if inserted == 0 {
            // Another writer issued it first: its number stands, this one is not used.
            drop(tx);
            return self
                .issued_notice(request_id, kind, seq)
                .await?
                .ok_or_else(|| StoreError::Conflict("文书正在生成，请稍后重试".into()));
        }
        tx.audit(
            ctx,
            "request.notice",
            "request",
            tracking_no,
            String::new(),
            json!({ "kind": kind, "seq": seq, "doc_no": notice.doc_no, "issued_on": issued_on }).to_string(),
        )
        .await?;
        tx.commit().await?;
        self.issued_notice(request_id, kind, seq).await?.ok_or_else(|| StoreError::NotFound("文书".into()))
    }

    async fn issued_notice(&self, request_id: i64, kind: &str, seq: i64) -> Result<Option<IssuedNotice>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<NoticeRow> = conn
            .ex()
            .fetch_optional(Sql(
                &format!(
                    "SELECT {NOTICE_COLUMNS} FROM request_notices WHERE request_id = $1 AND kind = $2 AND seq = $3"
                ),
                vec![request_id.into(), kind.into(), seq.into()],
            ))
            .await?;
        row.map(IssuedNotice::try_from).transpose()
    }

    /// Every notice issued for a request, in the order issued.
    pub async fn request_notices(&self, request_id: i64) -> Result<Vec<IssuedNotice>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<NoticeRow> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT {NOTICE_COLUMNS} FROM request_notices WHERE request_id = $1 ORDER BY id"),
                vec![request_id.into()],
            ))
            .await?;
        rows.into_iter().map(IssuedNotice::try_from).collect()
    }

    /// Adds a file to be released with a request's reply.
    pub async fn add_request_file(
        &self,
        ctx: &AuditCtx,
        request_id: i64,
        by: &str,
        f: NewRequestFile,
    ) -> Result<RequestFile, StoreError> {
        let mut tx = self.pool.begin().await?;
        let tracking_no = tracking_no(&mut tx, request_id).await?;
        let now = tx.now;
        let name: String = f.name.trim().chars().filter(|c| !c.is_control()).take(200).collect();
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO request_files (request_id, name, mime, size, sha256, added_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    request_id.into(),
                    name.clone().into(),
                    f.mime.into(),
                    f.size.into(),
                    f.sha256.clone().into(),
                    by.into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "request.file.add",
            "request",
            tracking_no,
            String::new(),
            json!({ "file": id, "name": name, "sha256": f.sha256 }).to_string(),
        )
        .await?;
        tx.commit().await?;
        self.request_files(request_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound("文件".into()))
    }

    /// Takes a file off a request's reply (kept in the record, no longer offered).
    pub async fn remove_request_file(&self, ctx: &AuditCtx, request_id: i64, file_id: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = tx
            .ex()
            .execute(Sql(
                "UPDATE request_files SET removed = TRUE WHERE id = $1 AND request_id = $2 AND NOT removed",
                vec![file_id.into(), request_id.into()],
            ))
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("文件 {file_id}")));
        }
        let tracking_no = tracking_no(&mut tx, request_id).await?;
        tx.audit(
            ctx,
            "request.file.remove",
            "request",
            tracking_no,
            json!({ "file": file_id }).to_string(),
            String::new(),
        )
        .await?;
        tx.commit().await
    }

    /// The files offered with a request's reply.
    pub async fn request_files(&self, request_id: i64) -> Result<Vec<RequestFile>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {FILE_COLUMNS} FROM request_files WHERE request_id = $1 AND NOT removed ORDER BY id"),
                vec![request_id.into()],
            ))
            .await
    }

    /// Records how the reply reached the applicant.
    pub async fn add_delivery(
        &self,
        ctx: &AuditCtx,
        request_id: i64,
        by: &str,
        method: DeliveryMethod,
        delivered_on: NaiveDate,
        proof: &str,
    ) -> Result<Delivery, StoreError> {
        let proof: String = proof.trim().chars().filter(|c| !c.is_control()).take(300).collect();
        let mut tx = self.pool.begin().await?;
        let tracking_no = tracking_no(&mut tx, request_id).await?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO request_deliveries (request_id, method, delivered_on, proof, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    request_id.into(),
                    method.as_str().into(),
                    delivered_on.into(),
                    proof.clone().into(),
                    by.into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "request.delivery",
            "request",
            tracking_no,
            String::new(),
            json!({ "delivery": id, "method": method.as_str(), "on": delivered_on }).to_string(),
        )
        .await?;
        tx.commit().await?;
        self.deliveries(request_id)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| StoreError::NotFound("送达记录".into()))
    }

    /// A request's 送达 records, oldest first.
    pub async fn deliveries(&self, request_id: i64) -> Result<Vec<Delivery>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, request_id, method, delivered_on, proof, recorded_by, created_at FROM request_deliveries \
                 WHERE request_id = $1 ORDER BY delivered_on, id",
                vec![request_id.into()],
            ))
            .await
    }
}
