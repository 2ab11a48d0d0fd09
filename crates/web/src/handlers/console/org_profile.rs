//! 机构概况 and 领导之窗 in the console: the form an org's editors (or the office above, for
//! an org it picks) keep its profile and leaders with; a refusal keeps what was typed.

use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::org_profile::{Profile, leaders_text};
use gongkai_store::Org;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/org_profile.html")]
pub struct ProfilePage {
    pub csrf: String,
    pub org: Org,
    /// The orgs the staff member may pick (the office's tree; an editor's own org).
    pub orgs: Vec<Org>,
    pub p: Profile,
    pub leaders: String,
    pub saved_at: String,
    pub message: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OrgQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

async fn page(state: &AppState, staff: &Staff, code: Option<&str>) -> Result<ProfilePage, AppError> {
    let (org, stored) = crate::app::org_profiles::kept(state, &staff.actor, code).await?;
    let orgs = crate::app::orgs::overseen(state, &staff.actor).await?;
    Ok(ProfilePage {
        csrf: staff.csrf.clone(),
        org,
        orgs,
        leaders: leaders_text(&stored.leaders),
        p: stored.profile,
        saved_at: stored.updated_at.map(|t| crate::util::beijing(&t)).unwrap_or_default(),
        message: None,
    })
}

/// `/admin/org-profile?org=`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<OrgQuery>,
) -> Result<ProfilePage, PageError> {
    let mut p = page(&state, &staff, q.org.as_deref()).await?;
    if q.saved.is_some() {
        p.message = Some("已保存，公开页面已更新。".into());
    }
    Ok(p)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    csrf: String,
    org: String,
    #[serde(flatten)]
    p: Profile,
    #[serde(default)]
    leaders: String,
}

/// `POST /admin/org-profile`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<ProfileForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match crate::app::org_profiles::save(&state, &staff.actor, &ctx, &f.org, &f.p, &f.leaders).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/org-profile?org={}&saved=1", f.org)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut p = page(&state, &staff, Some(&f.org)).await?;
            p.message = Some(format!("未保存：{e}"));
            (p.p, p.leaders) = (f.p, f.leaders);
            Ok((status, p).into_response())
        }
    }
}
