//! Site settings and org pages in the console. Administrators of a top-level org keep the
//! site's name, the footer's registration numbers and the additions to the topic and genre
//! lists; each org's administrators keep its 政府信息公开制度 page and an addition to its
//! generated 指南.

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::Role;
use gongkai_store::Org;
use gongkai_store::site::{PageKind, SiteSettings, check_settings};
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
        }
    }

    fn settings(&self) -> SiteSettings {
        let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        SiteSettings {
            site_name: self.site_name.clone(),
            sponsor: self.sponsor.clone(),
            site_code: self.site_code.clone(),
            icp: self.icp.clone(),
            police_record: self.police_record.clone(),
            topics_extra: lines(&self.topics_extra),
            genres_extra: lines(&self.genres_extra),
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

fn top_level_admin(staff: &Staff) -> Result<(), AppError> {
    if !staff.actor.has(Role::Admin) {
        return Err(gongkai_core::Denied::MissingRole(Role::Admin).into());
    }
    if staff.actor.org_path.depth() != 1 {
        return Err(gongkai_core::Denied::OutsideOrg.into());
    }
    Ok(())
}

/// `/admin/site`.
pub async fn settings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<SettingsPage, PageError> {
    top_level_admin(&staff)?;
    let current = state.store.site_settings().await?;
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
    top_level_admin(&staff)?;
    let wanted = f.settings();
    let problems = check_settings(&wanted);
    let result = if problems.is_empty() {
        state.store.set_site_settings(&audit_ctx(&staff.actor, ip), &staff.actor, &wanted).await.map_err(AppError::from)
    } else {
        Err(AppError::invalid_fields("invalid_field", problems))
    };
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

async fn org_for(state: &AppState, staff: &Staff, code: &str) -> Result<Org, AppError> {
    let org = state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound(format!("单位 {code}")))?;
    staff.actor.may_administer(&org.path)?;
    Ok(org)
}

/// `/admin/orgs/{code}/pages`.
pub async fn org_pages(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<OrgPagesPage, PageError> {
    let org = org_for(&state, &staff, &code).await?;
    let rules = state.store.org_page(&org, PageKind::Rules).await?;
    let inherited_from = state.store.page_inherited_from(&org, rules.as_ref()).await?;
    let guide = state.store.org_page(&org, PageKind::GuideAddition).await?;
    Ok(OrgPagesPage {
        csrf: staff.csrf.clone(),
        rules: rules.filter(|p| p.from_org_id == org.id).map(|p| p.body).unwrap_or_default(),
        guide_addition: guide.map(|p| p.body).unwrap_or_default(),
        inherited_from,
        org,
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
    let org = org_for(&state, &staff, &code).await?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = async {
        state.store.set_org_page(&ctx, &staff.actor, &org, PageKind::Rules, &f.rules).await?;
        state.store.set_org_page(&ctx, &staff.actor, &org, PageKind::GuideAddition, &f.guide_addition).await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/rules", org.code())).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
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
