//! The public portal. For now the home page with the org directory; the catalog, item
//! pages, search and requests add their pages here.

mod home;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home::show))
}
