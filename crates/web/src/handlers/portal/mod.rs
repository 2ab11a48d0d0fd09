//! The public portal: the home page, each org's sub-site with its published items, item
//! pages with their metadata table, Atom feeds and the catalog as CSV.

mod consultations;
pub(crate) mod feeds;
mod forms;
mod gazette;
mod guide;
mod home;
pub(crate) mod item;
mod lists;
pub(crate) mod mailbox;
mod media;
mod meetings;
mod notices;
mod org;
mod proposals;
mod reports;
mod requests;
mod responding;
mod search;
mod site_pages;
mod sitemap;
mod surveys;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemap", get(site_pages::sitemap))
        .route("/contact", get(site_pages::contact))
        .route("/sitemap-pages.xml", get(sitemap::pages))
        .route("/sitemap-items-{file}", get(sitemap::items))
        .route("/favicon.svg", get(sitemap::icon))
        .route("/favicon.ico", get(sitemap::icon))
        .route("/items/{id}", get(item::show))
        .route("/items/{id}/files/{aid}", get(item::file))
        .route("/orgs/{code}", get(org::show))
        .route("/orgs/{code}/guide", get(guide::show))
        .route("/orgs/{code}/about", get(org::about))
        .route("/orgs/{code}/rules", get(guide::rules))
        .route("/reports", get(reports::all))
        .route("/orgs/{code}/reports", get(reports::list))
        .route("/orgs/{code}/reports/{year}", get(reports::show))
        .route("/orgs/{code}/catalog.csv", get(feeds::catalog_csv))
        .route("/orgs/{code}/feed.atom", get(feeds::org_feed))
        .route("/orgs/{code}/sections/{id}/feed.atom", get(feeds::section_feed))
        .route("/feed.atom", get(feeds::site_feed))
        .route("/search", get(search::show))
        .route("/gazette", get(gazette::index))
        .route("/gazette/{id}", get(gazette::issue))
        .route("/gazette/{id}/print", get(gazette::print))
        .route("/lists", get(lists::index))
        .route("/lists/{code}", get(lists::table))
        .route("/lists/{code}/download", get(lists::download))
        .route("/lists/{code}/feed.atom", get(lists::feed))
        .route("/lists/{code}/rows/{id}", get(lists::row))
        .route("/notices", get(notices::list))
        .route("/notices/{id}", get(notices::one))
        .route("/notices/{id}/objections", axum::routing::post(notices::object))
        .route("/consultations", get(consultations::list))
        .route("/consultations/feed.atom", get(consultations::feed))
        .route("/consultations/{id}", get(consultations::one))
        .route("/consultations/{id}/comments", axum::routing::post(consultations::comment))
        .route("/surveys", get(surveys::list))
        .route("/surveys/{id}", get(surveys::one))
        .route("/surveys/{id}/answers", axum::routing::post(surveys::answer))
        .route("/surveys/{id}/code", axum::routing::post(surveys::code))
        .route("/interpretations", get(responding::interpretations))
        .route("/interpretations/feed.atom", get(responding::interpretations_feed))
        .route("/responses", get(responding::responses))
        .route("/responses/feed.atom", get(responding::responses_feed))
        .route("/press", get(responding::press_index))
        .route("/press/{id}", get(responding::press_one))
        .route("/press/{id}/photos/{photo}", get(responding::photo))
        .route("/interviews", get(responding::interviews))
        .route("/interviews/{id}", get(responding::interview))
        .route("/interviews/{id}/questions", axum::routing::post(responding::ask))
        .route("/media", get(media::index))
        .route("/meetings", get(meetings::list))
        .route("/meetings/{id}", get(meetings::one))
        .route("/meetings/{id}/applications", axum::routing::post(meetings::apply))
        .route("/proposals", get(proposals::list))
        .route("/proposals/{id}", get(proposals::one))
        .route("/mailbox", get(mailbox::index))
        .route("/mailbox/write", get(mailbox::form))
        .route("/report-error", get(mailbox::report_error))
        .route(
            "/mailbox/letters",
            axum::routing::post(mailbox::submit).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/mailbox/letters/{id}", get(mailbox::public_letter))
        .route("/mailbox/status", get(mailbox::status))
        .route("/mailbox/rating", axum::routing::post(mailbox::rate))
        .route("/mailbox/statistics", get(mailbox::statistics))
        .route("/mailbox/faq", get(mailbox::faq))
        .route("/mailbox/feed.atom", get(mailbox::feed))
        .route("/requests/new", get(requests::form))
        .route("/requests", axum::routing::post(requests::submit))
        .route("/requests/status", get(requests::status))
        .route("/requests/{tracking_no}/notice", get(requests::notice))
        .route("/requests/{tracking_no}/files/{id}", get(requests::file))
}
