//! The admin console: login, the dashboard and the staff's own API tokens.

mod admin;
mod assessments;
mod audit;
mod calendar;
mod consultations;
mod dashboard;
mod gazette;
mod inspections;
mod items;
mod letters;
mod lists;
mod login;
mod media;
mod meetings;
mod notices;
mod org_profile;
mod proposals;
mod public_notices;
pub(crate) mod reports;
mod requests;
mod responding;
mod second_factor;
mod sections;
mod site;
mod site_check;
mod spot_checks;
mod supervision;
mod surveys;
mod tokens;
mod trainings;
mod wording;
mod workplans;

use crate::AppState;

/// A form read as its name–value pairs (a field may repeat, as checkboxes do).
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of `name`, or empty.
    pub fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value of the fields `names`, in order.
    pub fn all(&self, names: &[&str]) -> Vec<String> {
        self.0.iter().filter(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone()).collect()
    }
}

/// A form that carries only its CSRF token (a button that acts).
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/admin/password", get(login::password_form).post(login::change_password))
        .route("/admin", get(dashboard::show))
        .route("/admin/tokens", get(tokens::list).post(tokens::create))
        .route("/admin/tokens/{id}/revoke", post(tokens::revoke))
        .route("/admin/letters", get(letters::list))
        .route("/admin/letters/{id}", get(letters::show))
        .route("/admin/letters/{id}/steps", post(letters::step))
        .route("/admin/letters/{id}/faq", post(letters::promote))
        .route("/admin/letters/{id}/files/{file}", get(letters::file))
        .route("/admin/mailboxes", get(letters::mailboxes).post(letters::create))
        .route("/admin/gazette", get(gazette::index).post(gazette::act))
        .route("/admin/gazette/{id}", get(gazette::issue).post(gazette::issue_act))
        .route("/admin/lists", get(lists::index))
        .route("/admin/lists/kinds", axum::routing::post(lists::add_kind))
        .route("/admin/lists/{code}", get(lists::kind))
        .route("/admin/lists/{code}/import", axum::routing::post(lists::import))
        .route("/admin/lists/{code}/rows", axum::routing::post(lists::rows))
        .route("/admin/lists/adjustments/{id}", get(lists::adjustment).post(lists::step))
        .route("/admin/consultations", get(consultations::list).post(consultations::open))
        .route("/admin/consultations/{id}", get(consultations::show).post(consultations::act))
        .route("/admin/surveys", get(surveys::list).post(surveys::create))
        .route("/admin/surveys/{id}", get(surveys::show).post(surveys::publish))
        .route("/admin/concerns", get(responding::concerns_list).post(responding::log))
        .route("/admin/concerns/{id}", get(responding::concern).post(responding::concern_step))
        .route("/admin/press", get(responding::press_list).post(responding::schedule))
        .route("/admin/press/plan", axum::routing::post(responding::save_plan))
        .route("/admin/press/{id}/photos", axum::routing::post(responding::add_photo))
        .route("/admin/press/{id}/photos/{photo}/remove", axum::routing::post(responding::remove_photo))
        .route("/admin/press/{id}", get(responding::press_one).post(responding::press_act))
        .route("/admin/meetings", get(meetings::list).post(meetings::announce))
        .route("/admin/meetings/{id}", get(meetings::show).post(meetings::act))
        .route("/admin/proposals", get(proposals::list).post(proposals::record))
        .route("/admin/proposals/{id}", get(proposals::show).post(proposals::step))
        .route("/admin/mailboxes/{id}", post(letters::update))
        .route("/admin/workplans", get(workplans::list).post(workplans::import))
        .route("/admin/workplans/{id}", get(workplans::show))
        .route("/admin/workplans/{id}/unmatched", post(workplans::settle))
        .route("/admin/workplans/{id}/tasks/{task}/report", post(workplans::report))
        .route("/admin/workplans/{id}/tasks/{task}/remind", post(workplans::remind))
        .route("/admin/notice-templates", get(notices::show).post(notices::save))
        .route("/admin/calendar", get(calendar::show).post(calendar::load))
        .route("/admin/orgs", get(admin::show).post(admin::add_org))
        .route("/admin/orgs/{code}/contact", post(admin::contact))
        .route("/admin/orgs/{code}/pages", get(site::org_pages).post(site::save_org_pages))
        .route("/admin/site", get(site::settings).post(site::save_settings))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/audit", get(audit::show))
        .route("/admin/second-factor", get(second_factor::show).post(second_factor::act))
        .route("/admin/users/{id}/second-factor/reset", post(second_factor::reset))
        .route("/admin/audit.csv", get(audit::download))
        .route("/admin/audit/verify", post(audit::verify))
        .route("/admin/users/{id}/active", post(admin::set_active))
        .route("/admin/users/{id}/roles", post(admin::set_roles))
        .route("/admin/sections", get(sections::show).post(sections::add))
        .route("/admin/sections/{id}/delete", post(sections::delete))
        .route("/admin/items", get(items::list))
        .route("/admin/items/new", get(items::new).post(items::create))
        .route("/admin/items/{id}", get(items::show).post(items::update))
        .route("/admin/items/new/preview", post(items::preview_new))
        .route("/admin/items/{id}/preview", post(items::preview))
        .route("/admin/items/{id}/act/{action}", post(items::act))
        .route("/admin/items/{id}/attachments", post(items::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/admin/items/{id}/attachments/{aid}", get(items::attachment))
        .route("/admin/items/{id}/interprets", post(items::interprets))
        .route("/admin/items/{id}/interpretation-need", post(items::interpretation_need))
        .route("/admin/items/{id}/public-notice", post(items::public_notice))
        .route("/admin/items/{id}/cleanup", post(items::cleanup))
        .route("/admin/items/{id}/withhold-ground", post(items::withhold_ground))
        .route("/admin/notices", get(public_notices::index))
        .route("/admin/site-check", get(site_check::show))
        .route("/admin/wording", get(wording::show).post(wording::save))
        .route("/admin/assessment", get(assessments::show))
        .route("/admin/assessment/scheme", post(assessments::save_scheme))
        .route("/admin/assessment/adjust", post(assessments::adjust))
        .route("/admin/assessment/manual", post(assessments::manual))
        .route("/admin/assessment/bulletin/draft", post(assessments::draft_bulletin))
        .route("/admin/assessment/bulletin", get(assessments::bulletin))
        .route("/admin/org-profile", get(org_profile::show).post(org_profile::save))
        .route("/admin/media", get(media::index).post(media::create))
        .route("/admin/media/{id}", get(media::show).post(media::edit))
        .route("/admin/media/{id}/updates", post(media::update))
        .route("/admin/media/{id}/ending", post(media::end))
        .route("/admin/items/{id}/republications", post(media::republish))
        .route("/admin/trainings", get(trainings::index).post(trainings::create))
        .route("/admin/trainings/{id}", get(trainings::show))
        .route("/admin/spot-checks", get(spot_checks::index).post(spot_checks::create))
        .route("/admin/spot-checks/{id}", get(spot_checks::show))
        .route("/admin/spot-checks/{id}/records/{position}", post(spot_checks::step))
        .route("/admin/site-check/run", post(site_check::run))
        .route("/admin/items/{id}/attachments/{aid}/remove", post(items::remove_attachment))
        .route("/admin/register", get(items::register))
        .route("/admin/register/archive", post(items::archive))
        .route("/admin/inspections", get(inspections::list).post(inspections::start))
        .route("/admin/inspections/{id}", get(inspections::show))
        .route("/admin/inspections/{id}/entries/{entry}", post(inspections::answer))
        .route("/admin/inspections/{id}/submit", post(inspections::submit))
        .route("/admin/supervision", get(supervision::ranked))
        .route("/admin/supervision/interpretations", get(supervision::interpretations))
        .route("/admin/supervision/{code}", get(supervision::detail))
        .route("/admin/reports", get(reports::list))
        .route("/admin/reports/{code}/{year}", get(reports::show).post(reports::save))
        .route("/admin/reports/{code}/{year}/{action}", post(reports::act))
        .route("/admin/requests", get(requests::list))
        .route("/admin/requests/record", get(requests::record_form).post(requests::record))
        .route("/admin/requests/{tracking_no}", get(requests::show))
        .route("/admin/requests/{tracking_no}/steps/{step}", post(requests::step))
        .route("/admin/requests/{tracking_no}/notices/{kind}", get(requests::notice))
        .route("/admin/requests/{tracking_no}/remedies", post(requests::remedy))
        .route("/admin/requests/{tracking_no}/propose", post(requests::propose))
        .route(
            "/admin/requests/{tracking_no}/files",
            post(requests::add_file).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/admin/requests/{tracking_no}/files/{id}", get(requests::file))
        .route("/admin/requests/{tracking_no}/files/{id}/remove", post(requests::remove_file))
        .route("/admin/requests/{tracking_no}/deliveries", post(requests::delivery))
}

/// `?org=`: one org's records of a console list (a drill-down from supervision's figures).
#[derive(serde::Deserialize, Default)]
pub(crate) struct OrgQuery {
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub(crate) org: Option<i64>,
}

/// A console upload form read whole: its text fields by name, and its one file field
/// (`file`) as (the name the browser gave, the bytes); the body limit bounds the size.
pub(crate) struct Upload {
    pub fields: std::collections::HashMap<String, String>,
    pub file_name: String,
    pub file: Vec<u8>,
}

impl Upload {
    pub(crate) async fn read(mut form: axum::extract::Multipart) -> Result<Self, crate::AppError> {
        let bad = |e: axum::extract::multipart::MultipartError| crate::AppError::BadRequest {
            code: "bad_form",
            message: e.body_text(),
        };
        let mut out = Upload { fields: Default::default(), file_name: String::new(), file: Vec::new() };
        while let Some(field) = form.next_field().await.map_err(bad)? {
            let key = field.name().unwrap_or("").to_string();
            if key == "file" {
                out.file_name = field.file_name().unwrap_or("").to_string();
                out.file = field.bytes().await.map_err(bad)?.to_vec();
            } else {
                out.fields.insert(key, field.text().await.map_err(bad)?);
            }
        }
        Ok(out)
    }

    /// A text field, or empty.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}
