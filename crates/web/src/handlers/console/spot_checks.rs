//! 抽查 and 整改 in the console: the office draws a check and records findings; the org
//! answers its 整改; the office accepts or returns it. The seed and the replay are shown.

use crate::app::spot_checks::{self, CheckView, Step};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::Org;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/spot_checks.html")]
pub struct ListPage {
    pub csrf: String,
    pub checks: Vec<CheckView>,
    pub orgs: Vec<Org>,
    pub may_check: bool,
    pub message: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<ListPage, AppError> {
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        checks: spot_checks::list(state, &staff.actor).await?,
        orgs: crate::app::orgs::overseen(state, &staff.actor).await?,
        may_check: staff.actor.is_overseer(),
        message,
    })
}

/// `/admin/spot-checks`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, None).await?)
}

/// `POST /admin/spot-checks`: one check per org ticked (`orgs`, repeated), or the one `org`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = super::Pairs(pairs);
    let field = |name: &str| form.one(name);
    staff.check_csrf(&field("csrf"))?;
    let result = async {
        let size: usize = field("size")
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("invalid_size", "抽查数量应为 1 到 200 的整数"))?;
        let orgs = form.all(&["orgs", "org"]);
        let ctx = audit_ctx(&staff.actor, ip);
        spot_checks::create_many(&state, &staff.actor, &ctx, &orgs, &field("kind"), size, &field("note")).await
    }
    .await;
    match result {
        Ok((ids, skipped)) if ids.len() == 1 && skipped.is_empty() => {
            Ok(Redirect::to(&format!("/admin/spot-checks/{}", ids[0])).into_response())
        }
        Ok((ids, skipped)) => {
            let mut message = format!("已对 {} 个单位各抽取一次。", ids.len());
            if !skipped.is_empty() {
                message += &format!("以下单位没有可抽查的记录，未抽取：{}。", skipped.join("、"));
            }
            Ok(list_page(&state, &staff, Some(message)).await?.into_response())
        }
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, Some(format!("未能抽查：{e}"))).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/spot_check.html")]
pub struct CheckPage {
    pub csrf: String,
    pub c: CheckView,
    pub may_check: bool,
    pub may_answer: bool,
    pub message: Option<String>,
}

async fn check_page(state: &AppState, staff: &Staff, id: i64, message: Option<String>) -> Result<CheckPage, AppError> {
    let c = spot_checks::one(state, &staff.actor, id).await?;
    let own = crate::app::orgs::own(state, &staff.actor).await?;
    Ok(CheckPage {
        csrf: staff.csrf.clone(),
        may_check: staff.actor.is_overseer() && own.code() != c.org_code,
        may_answer: own.code() == c.org_code,
        c,
        message,
    })
}

/// `/admin/spot-checks/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<CheckPage, PageError> {
    Ok(check_page(&state, &staff, id, None).await?)
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf: String,
    step: String,
    #[serde(default)]
    problem: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    text: String,
}

/// `POST /admin/spot-checks/{id}/records/{position}`.
pub async fn step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, position)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<StepForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let due_on = crate::util::form_date(&f.due_on)?;
        let s = Step {
            step: f.step.clone(),
            problem: f.problem.as_deref() == Some("yes"),
            note: f.note.clone(),
            due_on,
            text: f.text.clone(),
        };
        spot_checks::step(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, position, &s).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/spot-checks/{id}#r{position}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, check_page(&state, &staff, id, Some(format!("未保存：{e}"))).await?).into_response())
        }
    }
}
