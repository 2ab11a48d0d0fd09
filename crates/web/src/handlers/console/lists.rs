//! Lists (清单) in the console: the kinds and the adjustments under way; a list's page with
//! the org's current rows and three ways to draft an adjustment — import a CSV/XLSX sheet
//! (all or nothing, problems by row and column), type one row, or cancel/delegate rows — and
//! an adjustment's page where it goes along the review path (submit, 保密审查, 签发, 退回).

use crate::app::lists::{self, AdjustmentBody, AdjustmentView, ListEntry};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use gongkai_core::list::{AdjustKind, ListKind, RowChange, Values};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/lists.html")]
pub struct IndexPage {
    pub csrf: String,
    pub lists: Vec<ListEntry>,
    pub adjustments: Vec<AdjustmentView>,
    /// The staff member administers (may add a list kind).
    pub admin: bool,
    /// A schema typed, kept when refused.
    pub schema: String,
    pub fields: crate::error::FieldErrors,
    /// Why the schema was refused, when it is not the schema's own fault.
    pub message: Option<String>,
}

/// `/admin/lists`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<IndexPage, PageError> {
    Ok(index_page(&state, &staff, String::new(), None).await?)
}

async fn index_page(
    state: &AppState,
    staff: &Staff,
    schema: String,
    refusal: Option<&AppError>,
) -> Result<IndexPage, AppError> {
    let fields = refusal.map(AppError::field_errors).unwrap_or_default();
    let message = refusal.filter(|_| fields.get("schema").is_none()).map(ToString::to_string);
    Ok(IndexPage {
        csrf: staff.csrf.clone(),
        lists: lists::index(state).await?,
        adjustments: lists::staff_adjustments(state, &staff.actor).await?,
        admin: staff.actor.has(gongkai_core::Role::Admin),
        schema,
        fields,
        message,
    })
}

#[derive(serde::Deserialize)]
pub struct KindForm {
    csrf: String,
    #[serde(default)]
    schema: String,
}

/// `POST /admin/lists/kinds`: a new list kind, or a new version of one, typed as TOML in the
/// form of `data/lists/*.toml` (an admin of the top org).
pub async fn add_kind(
    State(state): State<AppState>,
    staff: Staff,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    axum::Form(f): axum::Form<KindForm>,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let kind = lists::parse_kind(&f.schema)?;
        let code = kind.code.clone();
        lists::save_kind(&state, &staff.actor, &crate::auth::audit_ctx(&staff.actor, ip), kind).await?;
        Ok::<String, AppError>(code)
    }
    .await;
    match result {
        Ok(code) => Ok(axum::response::Redirect::to(&format!("/admin/lists/{code}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, index_page(&state, &staff, f.schema, Some(&e)).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/list.html")]
pub struct KindPage {
    pub csrf: String,
    pub kind: ListKind,
    pub rows: Vec<(i64, String, Values)>,
    pub today: chrono::NaiveDate,
    pub message: Option<String>,
}

async fn kind_page(state: &AppState, staff: &Staff, code: &str, message: Option<String>) -> Result<KindPage, AppError> {
    Ok(KindPage {
        csrf: staff.csrf.clone(),
        kind: lists::kind(state, code).await?,
        rows: lists::staff_rows(state, &staff.actor, code, "").await?,
        today: state.today(),
        message,
    })
}

/// `/admin/lists/{code}`.
pub async fn kind(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<KindPage, PageError> {
    Ok(kind_page(&state, &staff, &code, None).await?)
}

/// The outcome of a drafting form: to the new adjustment, or the list page with the reason.
async fn drafted(
    state: &AppState,
    staff: &Staff,
    code: &str,
    result: Result<AdjustmentView, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/admin/lists/adjustments/{}", a.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, kind_page(state, staff, code, Some(e.to_string())).await?).into_response())
        }
    }
}

fn opt_date(s: &str) -> Option<chrono::NaiveDate> {
    s.trim().parse().ok()
}

/// `POST /admin/lists/{code}/import`: multipart with csrf, adjust, basis, effective_on, file.
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let up = super::Upload::read(form).await?;
    staff.check_csrf(up.get("csrf"))?;
    let result = if up.file.is_empty() {
        Err(AppError::invalid("no_file", "请选择清单文件（CSV 或 XLSX）"))
    } else {
        let body = AdjustmentBody {
            adjust: up.get("adjust").into(),
            basis: up.get("basis").into(),
            effective_on: opt_date(up.get("effective_on")),
            org_id: None,
            changes: Vec::new(),
        };
        lists::import(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &code, body, &up.file_name, &up.file).await
    };
    drafted(&state, &staff, &code, result).await
}

/// `POST /admin/lists/{code}/rows`: one row typed in (`v_<field>` inputs), or rows picked
/// (`row` checkboxes) for 取消/下放; `adjust`, `basis`, `effective_on` with either.
pub async fn rows(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    staff.check_csrf(&get("csrf"))?;
    let adjust = get("adjust");
    let values: Values = f
        .iter()
        .filter_map(|(n, v)| n.strip_prefix("v_").map(|k| (k.to_string(), v.clone())))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let picked: Vec<i64> = f.iter().filter(|(n, _)| n == "row").filter_map(|(_, v)| v.parse().ok()).collect();
    let changes = match AdjustKind::parse(&adjust) {
        Some(a) if a.names_rows() && !a.carries_values() => {
            picked.into_iter().map(|id| RowChange { row_id: Some(id), values: Values::new() }).collect()
        }
        Some(AdjustKind::Change) => {
            picked.first().map(|id| vec![RowChange { row_id: Some(*id), values }]).unwrap_or_default()
        }
        _ => vec![RowChange { row_id: None, values }],
    };
    let body = AdjustmentBody {
        adjust,
        basis: get("basis"),
        effective_on: opt_date(&get("effective_on")),
        org_id: None,
        changes,
    };
    let result = lists::draft(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &code, body).await;
    drafted(&state, &staff, &code, result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "console/list_adjustment.html")]
pub struct AdjustmentPage {
    pub csrf: String,
    pub a: AdjustmentView,
    pub kind: ListKind,
    pub changes: Vec<RowChange>,
    pub message: Option<String>,
}

impl AdjustmentPage {
    fn may(&self, step: &str) -> bool {
        self.a.steps.contains(&step)
    }
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到该清单调整".into()))
}

async fn adjustment_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<AdjustmentPage, AppError> {
    let (a, kind, changes) = lists::staff_adjustment(state, &staff.actor, id).await?;
    Ok(AdjustmentPage { csrf: staff.csrf.clone(), a, kind, changes, message })
}

/// `/admin/lists/adjustments/{id}`.
pub async fn adjustment(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<AdjustmentPage, PageError> {
    Ok(adjustment_page(&state, &staff, id_of(&id)?, None).await?)
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/lists/adjustments/{id}`: a review step.
pub async fn step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let id = id_of(&id)?;
    match lists::step(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &f.step, &f.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/lists/adjustments/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, adjustment_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}
