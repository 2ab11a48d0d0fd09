//! Site settings and org pages in the console. Administrators of a top-level org keep the
//! site's name, the footer's registration numbers and the additions to the topic and genre
//! lists; each org's administrators keep its 政府信息公开制度 page and an addition to its
//! generated 指南.

use crate::app::site::{self, Org, SiteSettings};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::interpretation::Gate;
use gongkai_core::press::Targets;
use serde::Deserialize;

/// The settings form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub site_name: String,
    #[serde(default)]
    pub sponsor: String,
    #[serde(default)]
    pub site_code: String,
    #[serde(default)]
    pub icp: String,
    #[serde(default)]
    pub police_record: String,
    /// One per line.
    #[serde(default)]
    pub topics_extra: String,
    /// One per line.
    #[serde(default)]
    pub genres_extra: String,
    /// One per line.
    #[serde(default)]
    pub interpretation_genres: Option<String>,
    /// "warn" or "block".
    #[serde(default)]
    pub interpretation_gate: Option<String>,
    #[serde(default)]
    pub interpretation_days: Option<String>,
    #[serde(default)]
    pub interview_answer_days: Option<String>,
    #[serde(default)]
    pub press_government: Option<String>,
    #[serde(default)]
    pub press_government_principal: Option<String>,
    #[serde(default)]
    pub press_department: Option<String>,
    #[serde(default)]
    pub press_department_principal: Option<String>,
}

impl SettingsForm {
    fn from_settings(s: &SiteSettings) -> Self {
        Self {
            csrf: String::new(),
            site_name: s.site_name.clone(),
            sponsor: s.sponsor.clone(),
            site_code: s.site_code.clone(),
            icp: s.icp.clone(),
            police_record: s.police_record.clone(),
            topics_extra: s.topics_extra.join("\n"),
            genres_extra: s.genres_extra.join("\n"),
            interpretation_genres: Some(s.interpretation_genres.join("\n")),
            interpretation_gate: Some(
                match s.interpretation_gate {
                    Gate::Block => "block",
                    Gate::Warn => "warn",
                }
                .into(),
            ),
            interpretation_days: Some(s.interpretation_days.to_string()),
            interview_answer_days: Some(s.interview_answer_days.to_string()),
            press_government: Some(s.press_targets.government.to_string()),
            press_government_principal: Some(s.press_targets.government_principal.to_string()),
            press_department: Some(s.press_targets.department.to_string()),
            press_department_principal: Some(s.press_targets.department_principal.to_string()),
        }
    }

    /// The settings as typed; a field the form did not send keeps its current value, and a
    /// number that does not read is out of range (refused with its field's message).
    fn settings(&self, current: &SiteSettings) -> SiteSettings {
        let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        let number = |typed: &Option<String>, now: u32, bad: u32| match typed {
            Some(t) => t.trim().parse().unwrap_or(bad),
            None => now,
        };
        let t = &current.press_targets;
        SiteSettings {
            site_name: self.site_name.clone(),
            sponsor: self.sponsor.clone(),
            site_code: self.site_code.clone(),
            icp: self.icp.clone(),
            police_record: self.police_record.clone(),
            topics_extra: lines(&self.topics_extra),
            genres_extra: lines(&self.genres_extra),
            interpretation_genres: match &self.interpretation_genres {
                Some(g) => lines(g),
                None => current.interpretation_genres.clone(),
            },
            interpretation_gate: match self.interpretation_gate.as_deref() {
                Some("warn") => Gate::Warn,
                Some(_) => Gate::Block,
                None => current.interpretation_gate,
            },
            interpretation_days: number(&self.interpretation_days, current.interpretation_days, 0),
            interview_answer_days: number(&self.interview_answer_days, current.interview_answer_days, 0),
            press_targets: Targets {
                government: number(&self.press_government, t.government, u32::MAX),
                government_principal: number(&self.press_government_principal, t.government_principal, u32::MAX),
                department: number(&self.press_department, t.department, u32::MAX),
                department_principal: number(&self.press_department_principal, t.department_principal, u32::MAX),
            },
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/site.html")]
pub struct SettingsPage {
    pub csrf: String,
    pub form: SettingsForm,
    pub shipped_topics: usize,
    pub shipped_genres: usize,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
    pub saved: bool,
}

/// `/admin/site`.
pub async fn settings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<SettingsPage, PageError> {
    let current = site::settings(&state, &staff.actor).await?;
    Ok(SettingsPage {
        csrf: staff.csrf.clone(),
        form: SettingsForm::from_settings(&current),
        shipped_topics: state.config.topics().len(),
        shipped_genres: state.config.genres().len(),
        message: None,
        fields: Default::default(),
        saved: q.contains_key("saved"),
    })
}

/// `POST /admin/site`.
pub async fn save_settings(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let current = site::settings(&state, &staff.actor).await?;
    let wanted = f.settings(&current);
    let result = site::save_settings(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &wanted).await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/site?saved=1").into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let page = SettingsPage {
                csrf: staff.csrf.clone(),
                shipped_topics: state.config.topics().len(),
                shipped_genres: state.config.genres().len(),
                message: Some(e.to_string()),
                fields: e.field_errors(),
                form: f,
                saved: false,
            };
            Ok((status, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/org_pages.html")]
pub struct OrgPagesPage {
    pub csrf: String,
    pub org: Org,
    pub rules: String,
    pub guide_addition: String,
    /// The org whose rules apply when this one has none of its own.
    pub inherited_from: Option<Org>,
    pub message: Option<String>,
}

/// `/admin/orgs/{code}/pages`.
pub async fn org_pages(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<OrgPagesPage, PageError> {
    let p = site::org_pages(&state, &staff.actor, &code).await?;
    Ok(OrgPagesPage {
        csrf: staff.csrf.clone(),
        rules: p.rules,
        guide_addition: p.guide_addition,
        inherited_from: p.inherited_from,
        org: p.org,
        message: None,
    })
}

#[derive(Deserialize)]
pub struct OrgPagesForm {
    csrf: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    guide_addition: String,
}

/// `POST /admin/orgs/{code}/pages`.
pub async fn save_org_pages(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Form(f): Form<OrgPagesForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match site::save_org_pages(&state, &staff.actor, &ctx, &code, &f.rules, &f.guide_addition).await {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}/rules", org.code())).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let org = crate::app::orgs::by_code(&state, &code).await?;
            let page = OrgPagesPage {
                csrf: staff.csrf.clone(),
                rules: f.rules,
                guide_addition: f.guide_addition,
                inherited_from: None,
                org,
                message: Some(e.to_string()),
            };
            Ok((status, page).into_response())
        }
    }
}
