//! 公示 in the console: every 公示 of the orgs the staff member oversees with its period,
//! status, objections and result; those whose result is due or late first. A 公示 is set on
//! the item's page (its 公示 panel).

use crate::app::public_notices::{self, NoticeView};
use crate::auth::Staff;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

#[derive(Template, WebTemplate)]
#[template(path = "console/public_notices.html")]
pub struct NoticesPage {
    pub csrf: String,
    pub rows: Vec<NoticeView>,
    /// 公示 whose result is due or overdue.
    pub due: usize,
}

/// `/admin/notices`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<NoticesPage, PageError> {
    let rows = public_notices::office_list(&state, &staff.actor).await?;
    let due = rows.iter().filter(|r| r.needs_result()).count();
    Ok(NoticesPage { csrf: staff.csrf.clone(), rows, due })
}
