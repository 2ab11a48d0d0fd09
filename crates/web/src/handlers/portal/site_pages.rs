//! The site's own pages a visitor looks for at the foot of every page: the site map (网站
//! 地图: every column of the site and every org's catalog with its top-level columns) and the
//! contact page (联系我们: the sponsor, and each org's disclosure office with its address,
//! hours and phone, beside its guide).

use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

/// The site's fixed columns: (path, name), as the home page groups them.
pub const COLUMNS: &[(&str, &str)] = &[
    ("/search", "全站搜索"),
    ("/interpretations", "政策解读"),
    ("/responses", "回应关切"),
    ("/press", "新闻发布会"),
    ("/notices", "公示"),
    ("/lists", "公开清单"),
    ("/reports", "政府信息公开年报"),
    ("/gazette", "政府公报"),
    ("/requests/new", "依申请公开"),
    ("/requests/status", "申请办理进度查询"),
    ("/mailbox", "领导信箱与咨询投诉"),
    ("/consultations", "意见征集"),
    ("/surveys", "网上调查"),
    ("/proposals", "建议提案办理"),
    ("/meetings", "会议公众列席"),
    ("/interviews", "在线访谈"),
    ("/media", "政务新媒体"),
    ("/mailbox/faq", "常见问题"),
];

/// An org on the site map: its name, code, depth and top-level columns (id, name).
pub struct OrgColumns {
    pub name: String,
    pub code: String,
    pub depth: usize,
    pub sections: Vec<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/sitemap.html")]
pub struct SitemapPage {
    pub columns: &'static [(&'static str, &'static str)],
    pub orgs: Vec<OrgColumns>,
}

/// `/sitemap`.
pub async fn sitemap(State(state): State<AppState>) -> Result<SitemapPage, PageError> {
    let mut orgs = Vec::new();
    for o in crate::app::accounts::all_orgs(&state).await? {
        let sections = crate::app::catalog::sections(&state, &o)
            .await?
            .into_iter()
            .filter(|s| s.parent_id.is_none())
            .map(|s| (s.id, s.name))
            .collect();
        orgs.push(OrgColumns { name: o.name.clone(), code: o.code().to_string(), depth: o.path.depth(), sections });
    }
    Ok(SitemapPage { columns: COLUMNS, orgs })
}

/// An org's disclosure office as the contact page lists it.
pub struct Contact {
    pub name: String,
    pub code: String,
    pub depth: usize,
    /// Address, hours and phone as the org keeps them (may be empty).
    pub contact: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/contact.html")]
pub struct ContactPage {
    pub orgs: Vec<Contact>,
    /// Why the visitor was sent here instead (no error-report mailbox yet).
    pub message: Option<String>,
}

/// `/contact`.
pub async fn contact(State(state): State<AppState>) -> Result<ContactPage, PageError> {
    Ok(contact_page(&state, None).await?)
}

/// The contact page, with a message when another page sent the visitor here.
pub async fn contact_page(state: &AppState, message: Option<String>) -> Result<ContactPage, crate::AppError> {
    let orgs = crate::app::accounts::all_orgs(state)
        .await?
        .into_iter()
        .filter(|o| o.kind != gongkai_core::OrgKind::Village || !o.contact.trim().is_empty())
        .map(|o| Contact {
            name: o.name.clone(),
            code: o.code().to_string(),
            depth: o.path.depth(),
            contact: o.contact,
        })
        .collect();
    Ok(ContactPage { orgs, message })
}
