//! The audit trail in the console (审计管理员 only, 三员): rows found by who, what, which
//! object and when, a page at a time; the same as a CSV download; and the check of the
//! whole hash chain.

use super::CsrfForm;
use crate::app::audit::{self, Filter};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::util::beijing;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};

use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_core::audit::{ACTION_AREAS, action_label, object_kind_label, who_label};
use serde::Deserialize;

/// The filter as typed (every field optional; blank means any).
#[derive(Deserialize, Default, Clone)]
pub struct TrailQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub object_kind: String,
    #[serde(default)]
    pub object_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    before: Option<i64>,
}

impl TrailQuery {
    fn filter(&self) -> Result<Filter, AppError> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let day = |s: &str, field: &'static str| -> Result<Option<NaiveDate>, AppError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid_field("invalid_date", field, "日期格式应为 2026-12-01"))
        };
        let area = text(&self.area);
        if let Some(a) = &area
            && !ACTION_AREAS.iter().any(|(k, _)| k == a)
        {
            return Err(AppError::invalid_field("invalid_field", "area", "请从列表中选择操作类别"));
        }
        Ok(Filter {
            actor: text(&self.actor),
            action: area,
            object_kind: text(&self.object_kind),
            object_id: text(&self.object_id),
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
        })
    }

    /// The filter as a query string (for the next page and the download).
    pub fn query_string(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("area", &self.area),
            ("object_kind", &self.object_kind),
            ("object_id", &self.object_id),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::util::url_encode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

pub struct Line {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub origin: String,
    pub action: String,
    pub object: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/audit.html")]
pub struct TrailPage {
    pub csrf: String,
    pub q: TrailQuery,
    pub areas: &'static [(&'static str, &'static str)],
    pub lines: Vec<Line>,
    /// The next page starts below this position.
    pub next: Option<i64>,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
    /// The outcome of a chain check just run.
    pub verified: Option<String>,
}

async fn page(state: &AppState, staff: &Staff, q: TrailQuery, verified: Option<String>) -> Result<Response, PageError> {
    let (lines, message, fields) = match q.filter() {
        Ok(filter) => {
            let rows = audit::rows(state, &staff.actor, &filter, q.before).await?;
            (rows, None, Default::default())
        }
        Err(e) if e.form_refusal_status().is_some() => {
            staff.actor.may_read_audit().map_err(AppError::from)?;
            (Vec::new(), Some(e.to_string()), e.field_errors())
        }
        Err(e) => return Err(e.into()),
    };
    let next = (lines.len() as i64 == audit::PAGE).then(|| lines.last().map(|r| r.seq)).flatten();
    let lines = lines
        .into_iter()
        .map(|r| Line {
            seq: r.seq,
            at: beijing(&r.at),
            action: action_label(&r.action),
            object: format!("{} {}", object_kind_label(&r.object_kind), r.object_id),
            actor: who_label(&r.actor).to_string(),
            origin: who_label(&r.origin).to_string(),
        })
        .collect();
    Ok(TrailPage { csrf: staff.csrf.clone(), q, areas: ACTION_AREAS, lines, next, message, fields, verified }
        .into_response())
}

/// `/admin/audit`: the trail, newest first.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<TrailQuery>,
) -> Result<Response, PageError> {
    page(&state, &staff, q, None).await
}

/// `/admin/audit.csv`: every row the filter finds, for the auditor's own records.
pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Query(q): Query<TrailQuery>,
) -> Result<Response, PageError> {
    let filter = q.filter()?;
    let bytes = audit::csv(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &filter).await?;
    let name = format!("audit-{}.csv", state.today());
    Ok(crate::util::file_download("text/csv; charset=utf-8", &name, bytes))
}

/// `POST /admin/audit/verify`: checks every link of the chain.
pub async fn verify(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let report = audit::verify(&state, &staff.actor, &audit_ctx(&staff.actor, ip)).await?;
    let outcome = match report.broken {
        None => format!("哈希链完整：共校验 {} 条记录，未发现篡改或缺失。", report.verified),
        Some(b) => format!("哈希链在第 {} 条之后断开：{b}。请立即报告安全管理员并保全数据库。", report.verified),
    };
    page(&state, &staff, TrailQuery::default(), Some(outcome)).await
}
