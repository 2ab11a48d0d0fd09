//! The JSON API under `/api/v1`. Errors are `{ "code", "message" }` (see `crate::error`).

mod assessments;
pub(crate) mod attachments;
mod audit;
mod calendar;
mod catalog;
mod cleanups;
mod consultations;
mod gazette;
pub(crate) mod items;
mod letters;
mod lists;
mod media;
mod meetings;
mod notices;
mod orgs;
mod proposals;
pub(crate) mod reports;
pub(crate) mod requests;
mod responding;
pub(crate) mod search;
mod session;
mod site_check;
mod spot_checks;
mod supervision;
mod surveys;
mod tokens;
mod trainings;
mod users;
mod wording;
pub(crate) mod workplans;

use crate::{ApiError, AppError, AppState};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::routes())
        .merge(orgs::routes())
        .merge(users::routes())
        .merge(tokens::routes())
        .merge(audit::routes())
        .merge(items::routes())
        .merge(catalog::routes())
        .merge(attachments::routes())
        .merge(calendar::routes())
        .merge(requests::routes())
        .merge(reports::routes())
        .merge(search::routes())
        .merge(supervision::routes())
        .merge(workplans::routes())
        .merge(letters::routes())
        .merge(proposals::routes())
        .merge(consultations::routes())
        .merge(lists::routes())
        .merge(gazette::routes())
        .merge(notices::routes())
        .merge(site_check::routes())
        .merge(wording::routes())
        .merge(assessments::routes())
        .merge(spot_checks::routes())
        .merge(cleanups::routes())
        .merge(surveys::routes())
        .merge(meetings::routes())
        .merge(responding::routes())
        .merge(media::routes())
        .merge(trainings::routes())
}

/// Every API error: a stable machine code and a Chinese message; refusals may add
/// `problems` (退文 reasons) or `findings` (privacy check places).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code.
    code: String,
    /// 中文说明.
    message: String,
}

/// The error responses of the API, one type per status, for `responses(...)`: a path lists
/// the ones it can answer (`responses((status = 200, body = X), E401, E404)`).
pub mod errors {
    use super::ErrorBody;

    macro_rules! error_response {
        ($($name:ident = ($status:literal, $description:literal)),* $(,)?) => {$(
            #[derive(utoipa::IntoResponses)]
            #[response(status = $status, description = $description)]
            #[allow(dead_code)]
            pub struct $name(ErrorBody);
        )*};
    }

    error_response! {
        E400 = (400, "请求格式有误"),
        E401 = (401, "未登录或令牌无效"),
        E403 = (403, "无权操作"),
        E404 = (404, "不存在"),
        E409 = (409, "当前状态不允许"),
        E422 = (422, "输入有误或被退回"),
        E429 = (429, "尝试过于频繁"),
    }
}

/// A filing from the public over the API: refused past the client's rate, else the
/// `Idempotency-Key` it carries, if any (a second filing with it answers the first).
pub(crate) async fn public_filing(
    state: &AppState,
    ip: &str,
    headers: &axum::http::HeaderMap,
) -> Result<Option<String>, ApiError> {
    if !state.allow(crate::Limit::Post, ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string))
}

/// A JSON body whose rejections answer in the API's error format: 400 for a body that is
/// not JSON, 415 for a wrong content type, 422 for JSON of the wrong shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError(AppError::BadRequest {
                code: "malformed_json",
                message: format!("请求体不是有效的 JSON：{}", e.body_text()),
            })),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError(AppError::Invalid {
                code: "invalid_fields",
                message: format!("请求字段有误：{}", e.body_text()),
            })),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError(AppError::BadRequest {
                code: "expected_json",
                message: "请求体须为 JSON（Content-Type: application/json）".into(),
            })),
            Err(other) if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError(AppError::TooLarge))
            }
            Err(other) => Err(ApiError(AppError::BadRequest { code: "bad_body", message: other.body_text() })),
        }
    }
}

/// A path parameter whose rejection answers in the API's error format (400).
pub struct ApiPath<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(e) => Err(ApiError(AppError::BadRequest {
                code: "bad_path",
                message: format!("路径参数有误：{}", e.body_text()),
            })),
        }
    }
}

/// A query string whose rejection answers in the API's error format (400).
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(e) => Err(ApiError(AppError::BadRequest {
                code: "bad_query",
                message: format!("查询参数有误：{}", e.body_text()),
            })),
        }
    }
}
