//! The audit trail, the use cases of the audit administrator (审计管理员, 三员): finding rows,
//! downloading them, and checking the hash chain. No other role reads the trail; reading it
//! in bulk (a download, a chain check) is itself written to it.
//!
//! Rows are never deleted: the database refuses UPDATE and DELETE on the trail, so every row
//! is kept far beyond the six months 网络安全法 article 21 and 等保 2.0 ask for.

use crate::{AppError, AppState};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use gongkai_core::{Actor, AuditScope};
use gongkai_store::{AuditCtx, AuditQuery, AuditRow, ChainReport};

/// Rows on one page of the console and the API.
pub const PAGE: i64 = 100;

/// Rows in one download, at most.
pub const EXPORT_MAX: usize = 50_000;

/// What the auditor looks for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Who, exactly (a user name, `cli` or `system`).
    pub actor: Option<String>,
    /// An action or its area (`user`, `login`, `item.publish`).
    pub action: Option<String>,
    /// A kind of object (`user`, `item`, `request`).
    pub object_kind: Option<String>,
    /// Which object.
    pub object_id: Option<String>,
    /// From this day (Beijing time).
    pub from: Option<NaiveDate>,
    /// Up to and including this day (Beijing time).
    pub to: Option<NaiveDate>,
}

impl Filter {
    /// The filter as a short line (for the audit row of a download).
    pub fn summary(&self) -> String {
        let parts = [
            self.actor.as_ref().map(|a| format!("操作人={a}")),
            self.action.as_ref().map(|a| format!("操作={a}")),
            self.object_kind.as_ref().map(|k| format!("对象类型={k}")),
            self.object_id.as_ref().map(|i| format!("对象={i}")),
            self.from.map(|d| format!("自={d}")),
            self.to.map(|d| format!("至={d}")),
        ];
        let s: Vec<String> = parts.into_iter().flatten().collect();
        if s.is_empty() { "全部".into() } else { s.join(" ") }
    }

    fn query(&self, scope: AuditScope, before_seq: Option<i64>, limit: i64) -> AuditQuery {
        let start = |d: NaiveDate| -> Option<DateTime<Utc>> {
            d.and_hms_opt(0, 0, 0)?.and_local_timezone(Shanghai).earliest().map(|t| t.with_timezone(&Utc))
        };
        AuditQuery {
            within: match scope {
                AuditScope::All => None,
                AuditScope::Within(p) => Some(p),
            },
            actor: self.actor.clone(),
            action: self.action.clone(),
            object_kind: self.object_kind.clone(),
            object_id: self.object_id.clone(),
            from: self.from.and_then(start),
            until: self.to.and_then(|d| d.succ_opt()).and_then(start),
            before_seq,
            limit,
        }
    }
}

/// A page of rows matching `filter`, newest first, older than `before_seq` when given.
pub async fn rows(
    state: &AppState,
    actor: &Actor,
    filter: &Filter,
    before_seq: Option<i64>,
) -> Result<Vec<AuditRow>, AppError> {
    let scope = actor.may_read_audit()?;
    Ok(state.store.audit_rows(&filter.query(scope, before_seq, PAGE)).await?)
}

/// The latest rows the auditor may read, for the dashboard; none for everyone else.
pub async fn latest(state: &AppState, actor: &Actor, n: i64) -> Result<Vec<AuditRow>, AppError> {
    let Ok(scope) = actor.may_read_audit() else { return Ok(Vec::new()) };
    Ok(state.store.audit_rows(&Filter::default().query(scope, None, n)).await?)
}

/// Every row matching `filter` (up to [`EXPORT_MAX`]) as CSV with a BOM; the download is
/// itself an audit row.
pub async fn csv(state: &AppState, actor: &Actor, ctx: &AuditCtx, filter: &Filter) -> Result<Vec<u8>, AppError> {
    let scope = actor.may_read_audit()?;
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let internal = |e: csv::Error| AppError::Internal(anyhow::anyhow!("csv: {e}"));
    w.write_record(["序号", "时间", "操作人", "来源", "操作", "对象类型", "对象", "变更前", "变更后", "哈希"])
        .map_err(internal)?;
    let mut before = None;
    let mut written = 0usize;
    while written < EXPORT_MAX {
        let page = state.store.audit_rows(&filter.query(scope.clone(), before, 1000)).await?;
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        for r in page.iter().take(EXPORT_MAX - written) {
            let at = r.at.with_timezone(&Shanghai).format("%Y-%m-%d %H:%M:%S").to_string();
            let seq = r.seq.to_string();
            let cells =
                [&seq, &at, &r.actor, &r.origin, &r.action, &r.object_kind, &r.object_id, &r.before, &r.after, &r.hash];
            w.write_record(cells.map(|c| crate::util::csv_safe(c).into_owned())).map_err(internal)?;
            written += 1;
        }
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    state.store.audit_event(ctx, "audit.export", "audit", &filter.summary()).await?;
    Ok(bytes)
}

/// Checks the whole hash chain (an auditor of a top-level org); the check is an audit row.
pub async fn verify(state: &AppState, actor: &Actor, ctx: &AuditCtx) -> Result<ChainReport, AppError> {
    if actor.may_read_audit()? != AuditScope::All {
        return Err(AppError::Forbidden {
            code: "audit_top_only",
            message: "操作记录的完整性由最上级单位的审计管理员校验".into(),
        });
    }
    let report = state.store.verify_audit_chain().await?;
    state.store.audit_event(ctx, "audit.verify", "audit", &report.verified.to_string()).await?;
    Ok(report)
}
