//! 政务新媒体矩阵: the active official accounts of every org, with their platform, operator
//! and latest update, so a visitor can tell an official account from an imitation.

use crate::app::media::{self, AccountView};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

#[derive(Template, WebTemplate)]
#[template(path = "portal/media.html")]
pub struct MediaPage {
    pub accounts: Vec<AccountView>,
}

/// `/media`.
pub async fn index(State(state): State<AppState>) -> Result<MediaPage, PageError> {
    Ok(MediaPage { accounts: media::public(&state).await? })
}
