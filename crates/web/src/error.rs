//! One error type for the HTTP side and its two faces: JSON `{ "code", "message" }` with a
//! stable snake_case code for the API, a friendly page for the portal and the console.
//! A 5xx is logged once here with its cause chain and never shows internals.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::Denied;
use gongkai_core::item::Refusal;
use gongkai_store::{ItemError, StoreError};
use serde_json::json;

/// A form field in error, with what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// What a detailed refusal carries, typed: the API writes it as JSON beside `code` and
/// `message`, a form shows each part next to its field.
#[derive(Debug, Clone)]
pub enum Details {
    /// Form fields in error: `{ "fields": [{ field, message }] }`.
    Fields(Vec<FieldError>),
    /// The workflow's 退文 problems: `{ "problems": [{ code, message }] }`.
    Returned(Vec<gongkai_core::item::Problem>),
    /// Personal data or secrecy markings found: `{ "findings": [...] }`.
    Findings(Vec<gongkai_core::privacy::Finding>),
    /// Why an annual report does not tie out: `{ "problems": [{ code, message }] }`.
    Report(Vec<gongkai_core::report::Problem>),
}

impl Details {
    /// The JSON members the API adds to its error body.
    fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Fields(f) => json!({ "fields": f }),
            Self::Returned(p) => {
                json!({ "problems": p.iter().map(|p| json!({ "code": p, "message": p.to_string() })).collect::<Vec<_>>() })
            }
            Self::Findings(f) => json!({ "findings": f }),
            Self::Report(p) => json!({ "problems": p }),
        }
    }

    /// The messages of the 退文 or report problems, in order.
    pub fn problem_messages(&self) -> Vec<String> {
        match self {
            Self::Returned(p) => p.iter().map(ToString::to_string).collect(),
            Self::Report(p) => p.iter().map(|p| p.message.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed input (syntax), 400.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// No or invalid credentials, 401.
    #[error("请先登录或提供有效的访问令牌")]
    Unauthorized,
    /// Wrong user name or password (one message for both), 401.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// A page that needs a logged-in staff member; the portal redirects to the login page.
    #[error("请先登录")]
    LoginRequired { next: String },
    /// Not allowed for this actor, 403.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// Nothing there (or nothing this caller may know of), 404.
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with the stored state, 409.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Well-formed but refused by a rule, 422.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// A refusal with details for the client (fields in error, 退文 problems, privacy
    /// findings, a report's problems), any status.
    #[error("{message}")]
    Detailed { status: u16, code: &'static str, message: String, details: Details },
    /// The body is larger than allowed, 413.
    #[error("提交的内容太大")]
    TooLarge,
    /// Rate limit reached, 429.
    #[error("操作过于频繁，请稍后再试")]
    TooManyRequests,
    /// Too many failed logins for the account or from the client, 429 until `until`
    /// (Beijing time, HH:MM).
    #[error("登录失败次数过多，已暂时锁定，请于 {until} 后再试")]
    Locked { until: String },
    /// The password must be changed first (set by an administrator, or too old), 403.
    #[error("请先修改密码：管理员设置的初始密码或已到期的密码须由本人修改后才能使用")]
    PasswordChangeRequired,
    /// The account has a second factor and the code is missing or not accepted, 401.
    #[error("{0}")]
    SecondFactor(String),
    /// The platform requires a second factor and the account has none yet, 403.
    #[error("本平台要求工作人员启用两步验证：请先在“两步验证”页面设置动态口令")]
    SecondFactorRequired,
    /// The store is unreachable, 503.
    #[error("服务暂时不可用，请稍后再试")]
    Unavailable,
    /// A bug or an unexpected failure, 500.
    #[error("服务器内部错误")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// A 422 with a code and a message.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { code, message: message.into() }
    }

    /// An invalid value of one form field, 422, naming the field in `details.fields` (a form
    /// shows the message next to it; the API client reads the same).
    pub fn invalid_field(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self::invalid_fields(code, vec![(field, message.into())])
    }

    /// Invalid values of several form fields at once, 422 (the message joins them).
    pub fn invalid_fields(code: &'static str, fields: Vec<(&'static str, String)>) -> Self {
        let fields: Vec<FieldError> =
            fields.into_iter().map(|(field, message)| FieldError { field, message }).collect();
        Self::Detailed {
            status: 422,
            code,
            message: fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"),
            details: Details::Fields(fields),
        }
    }

    /// The fields in error of a form, when this is such a refusal.
    pub fn fields(&self) -> Option<&[FieldError]> {
        match self {
            Self::Detailed { details: Details::Fields(f), .. } => Some(f),
            _ => None,
        }
    }

    /// The fields a refusal is about, each with its message, for showing next to the fields:
    /// fields in error, the workflow's problems (by the field each names) and the privacy
    /// findings (by the field they were found in).
    pub fn field_errors(&self) -> FieldErrors {
        let Self::Detailed { details, .. } = self else { return FieldErrors::default() };
        let out = match details {
            Details::Fields(f) => f.iter().map(|f| (f.field.to_string(), f.message.clone())).collect(),
            Details::Returned(p) => p.iter().map(|p| (p.field().to_string(), p.to_string())).collect(),
            Details::Findings(f) => f
                .iter()
                .map(|f| {
                    (
                        f.field.clone(),
                        format!("{}「{}」（第 {} 个字起），须去标识化或说明理由", f.kind.label(), f.text, f.start + 1),
                    )
                })
                .collect(),
            Details::Report(_) => Vec::new(),
        };
        FieldErrors(out)
    }

    /// For a console form: the status to show the form again with the message (a refusal
    /// the staff member can correct: forbidden, conflict, invalid input, a refusal with
    /// details), or `None` for an error page.
    pub fn form_refusal_status(&self) -> Option<StatusCode> {
        matches!(self, Self::Forbidden { .. } | Self::Conflict { .. } | Self::Invalid { .. } | Self::Detailed { .. })
            .then(|| self.status())
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::BadCredentials | Self::LoginRequired { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } | Self::PasswordChangeRequired | Self::SecondFactorRequired => StatusCode::FORBIDDEN,
            Self::SecondFactor(_) => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Detailed { status, .. } => StatusCode::from_u16(*status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            Self::TooManyRequests | Self::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Invalid { code, .. }
            | Self::Detailed { code, .. } => code,
            Self::Unauthorized | Self::LoginRequired { .. } => "unauthorized",
            Self::BadCredentials => "bad_credentials",
            Self::NotFound(_) => "not_found",
            Self::TooManyRequests => "too_many_requests",
            Self::Locked { .. } => "account_locked",
            Self::PasswordChangeRequired => "password_change_required",
            Self::SecondFactor(_) => "second_factor",
            Self::SecondFactorRequired => "second_factor_required",
            Self::TooLarge => "too_large",
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn log(&self) {
        match self {
            Self::Internal(e) => tracing::error!(error = format!("{e:#}"), "request failed"),
            Self::Unavailable => tracing::warn!("store unavailable"),
            _ => {}
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(format!("未找到{what}")),
            StoreError::Conflict(message) => Self::Conflict { code: "conflict", message },
            StoreError::Invalid(message) => Self::Invalid { code: "invalid", message },
            StoreError::Forbidden(denied) => denied.into(),
            StoreError::KeyReused => Self::Invalid { code: "idempotency_key_reused", message: e.to_string() },
            StoreError::Unavailable(_) => Self::Unavailable,
            other => Self::Internal(other.into()),
        }
    }
}

impl From<gongkai_search::SearchError> for AppError {
    fn from(e: gongkai_search::SearchError) -> Self {
        match e {
            // The store behind the snippets down is the store down (503), not a search fault.
            gongkai_search::SearchError::Store(e) => e.into(),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        let message = r.to_string();
        let code = r.code();
        match r {
            Refusal::Denied(d) => d.into(),
            Refusal::SameAsAuthor | Refusal::DutyTaken(_) => Self::Forbidden { code, message },
            Refusal::NotInState { .. }
            | Refusal::NotPublicAttr(_)
            | Refusal::FeedbackPending(_)
            | Refusal::InterpretationMissing => Self::Conflict { code, message },
            Refusal::Returned(problems) => {
                Self::Detailed { status: 422, code, message, details: Details::Returned(problems) }
            }
            Refusal::Privacy(findings) | Refusal::ExceptionUnconfirmed(findings) => {
                Self::Detailed { status: 422, code, message, details: Details::Findings(findings) }
            }
            Refusal::NoReason
            | Refusal::ValidityRequired
            | Refusal::ReplacedBySelf
            | Refusal::ReplacementNotPublic(_) => Self::Invalid { code, message },
        }
    }
}

impl From<ItemError> for AppError {
    fn from(e: ItemError) -> Self {
        match e {
            ItemError::Store(StoreError::Conflict(message)) => Self::Conflict { code: "stale", message },
            ItemError::Store(s) => s.into(),
            ItemError::Refused(r) => r.into(),
        }
    }
}

impl From<gongkai_core::calendar::CalendarError> for AppError {
    fn from(e: gongkai_core::calendar::CalendarError) -> Self {
        let code = match e {
            gongkai_core::calendar::CalendarError::YearNotLoaded(_) => "year_not_loaded",
            _ => "invalid_calendar",
        };
        Self::Invalid { code, message: e.to_string() }
    }
}

impl From<gongkai_store::RequestError> for AppError {
    fn from(e: gongkai_store::RequestError) -> Self {
        use gongkai_core::request::StepRefusal;
        match e {
            gongkai_store::RequestError::Store(StoreError::Conflict(message)) => {
                Self::Conflict { code: "stale", message }
            }
            gongkai_store::RequestError::Store(s) => s.into(),
            gongkai_store::RequestError::Refused(r) => {
                let (code, message) = (r.code(), r.to_string());
                match r {
                    StepRefusal::Denied(d) => d.into(),
                    StepRefusal::NotInState { .. } | StepRefusal::AlreadyClarified => Self::Conflict { code, message },
                    _ => Self::Invalid { code, message },
                }
            }
        }
    }
}

impl From<gongkai_store::LetterError> for AppError {
    fn from(e: gongkai_store::LetterError) -> Self {
        use gongkai_core::letter::LetterRefusal as R;
        match e {
            gongkai_store::LetterError::Store(StoreError::Conflict(message)) => {
                Self::Conflict { code: "stale", message }
            }
            gongkai_store::LetterError::Store(s) => s.into(),
            gongkai_store::LetterError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::OwnDraft => Self::Forbidden { code: "own_draft", message },
                    R::NotInState { .. } => Self::Conflict { code: "not_in_state", message },
                    R::ReasonRequired(_) => Self::Invalid { code: "reason_required", message },
                    R::EmptyReply => Self::Invalid { code: "empty_reply", message },
                    R::OutsideMailbox | R::SameOrg => Self::Invalid { code: "invalid_target", message },
                    R::ExtensionRefused { .. } => Self::Conflict { code: "extension_refused", message },
                    R::ExtensionAfterDue { .. } => Self::Conflict { code: "extension_after_due", message },
                    R::NotPublishable(_) => Self::Invalid { code: "not_publishable", message },
                    R::NotLive => Self::Conflict { code: "not_live", message },
                }
            }
        }
    }
}

impl From<gongkai_store::ProposalError> for AppError {
    fn from(e: gongkai_store::ProposalError) -> Self {
        use gongkai_core::proposal::ProposalRefusal as R;
        match e {
            gongkai_store::ProposalError::Store(StoreError::Conflict(message)) => {
                Self::Conflict { code: "conflict", message }
            }
            gongkai_store::ProposalError::Store(s) => s.into(),
            gongkai_store::ProposalError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::Replied | R::Published | R::NotReplied(_) => Self::Conflict { code: "not_in_state", message },
                    R::Required(_) | R::Months => Self::Invalid { code: "invalid", message },
                }
            }
        }
    }
}

impl From<gongkai_store::GazetteError> for AppError {
    fn from(e: gongkai_store::GazetteError) -> Self {
        use gongkai_core::gazette::GazetteRefusal as R;
        match e {
            gongkai_store::GazetteError::Store(s) => s.into(),
            gongkai_store::GazetteError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::Published | R::AlreadySubmitted | R::Decided => Self::Conflict { code: "not_in_state", message },
                    R::Empty | R::NotPublic => Self::Conflict { code: "not_ready", message },
                    R::Required(_) | R::BadLink => Self::Invalid { code: "invalid", message },
                }
            }
        }
    }
}

impl From<gongkai_store::ListError> for AppError {
    fn from(e: gongkai_store::ListError) -> Self {
        use gongkai_core::list::ListRefusal as L;
        use gongkai_core::review::ReviewRefusal as R;
        match e {
            gongkai_store::ListError::Store(s) => s.into(),
            gongkai_store::ListError::Schema(s) => Self::Invalid { code: "invalid_schema", message: s.to_string() },
            gongkai_store::ListError::Refused(r) => {
                let message = r.to_string();
                match r {
                    L::Denied(d) => d.into(),
                    L::Required(_) | L::TooMany | L::RowMissing(_) | L::Row(..) => {
                        Self::Invalid { code: "invalid", message }
                    }
                }
            }
            gongkai_store::ListError::Review(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::OwnDraft => Self::Forbidden { code: "separation_of_duties", message },
                    R::WrongState(..) => Self::Conflict { code: "not_in_state", message },
                    R::ReasonMissing => Self::Invalid { code: "reason_required", message },
                }
            }
        }
    }
}

impl From<gongkai_store::ConsultationError> for AppError {
    fn from(e: gongkai_store::ConsultationError) -> Self {
        use gongkai_core::consultation::ConsultationRefusal as R;
        match e {
            gongkai_store::ConsultationError::Store(s) => s.into(),
            gongkai_store::ConsultationError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::OwnDraft => Self::Forbidden { code: "separation_of_duties", message },
                    R::NotOpen | R::StillOpen | R::Answered | R::NoDraft => {
                        Self::Conflict { code: "not_in_state", message }
                    }
                    R::ReasonMissing(_) => Self::Invalid { code: "reason_required", message },
                    R::Fields(f) => {
                        Self::invalid_fields("invalid_fields", f.into_iter().map(|p| (p.field, p.message)).collect())
                    }
                    R::Required(_) | R::Period | R::ShortWithoutReason { .. } | R::NoGroups => {
                        Self::Invalid { code: "invalid", message }
                    }
                }
            }
        }
    }
}

impl From<gongkai_store::SurveyError> for AppError {
    fn from(e: gongkai_store::SurveyError) -> Self {
        use gongkai_core::survey::SurveyRefusal as R;
        match e {
            gongkai_store::SurveyError::Store(s) => s.into(),
            gongkai_store::SurveyError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::NotOpen | R::StillOpen => Self::Conflict { code: "not_in_state", message },
                    R::AlreadyAnswered => Self::Conflict { code: "already_answered", message },
                    R::Required(_) | R::BadQuestion(..) | R::BadAnswer(..) | R::Period | R::UsageRequired => {
                        Self::Invalid { code: "invalid", message }
                    }
                    R::PhoneRequired | R::BadPhone => Self::invalid_field("invalid_phone", "phone", message),
                    R::CodeTooSoon => Self::invalid_field("code_too_soon", "phone", message),
                    R::CodesPerDay => Self::invalid_field("codes_per_day", "phone", message),
                    R::CodeRequired | R::CodeWrong | R::CodeExpired | R::CodeTries => {
                        Self::invalid_field("invalid_code", "code", message)
                    }
                    R::NoSms => Self::Conflict { code: "sms_off", message },
                    R::NoPhoneConfirmation => Self::Conflict { code: "no_phone_confirmation", message },
                }
            }
        }
    }
}

impl From<gongkai_store::AttendanceError> for AppError {
    fn from(e: gongkai_store::AttendanceError) -> Self {
        use gongkai_core::attendance::AttendanceRefusal as R;
        match e {
            gongkai_store::AttendanceError::Store(s) => s.into(),
            gongkai_store::AttendanceError::Refused(r) => {
                let message = r.to_string();
                match r {
                    R::Denied(d) => d.into(),
                    R::Closed | R::Published | R::TooLate | R::Full(..) => {
                        Self::Conflict { code: "not_in_state", message }
                    }
                    R::Fields(f) => {
                        Self::invalid_fields("invalid_fields", f.into_iter().map(|p| (p.field, p.message)).collect())
                    }
                    R::Required(_) | R::Dates | R::NoSeats(_) => Self::Invalid { code: "invalid", message },
                }
            }
        }
    }
}

impl From<gongkai_store::ConcernError> for AppError {
    fn from(e: gongkai_store::ConcernError) -> Self {
        use gongkai_core::concern::ConcernRefusal as R;
        match e {
            gongkai_store::ConcernError::Store(StoreError::Conflict(message)) => {
                Self::Conflict { code: "stale", message }
            }
            gongkai_store::ConcernError::Store(s) => s.into(),
            gongkai_store::ConcernError::Refused(r) => {
                let (code, message) = (r.code(), r.to_string());
                match r {
                    R::Denied(d) => d.into(),
                    R::NotInStage(..) | R::NotResponded => Self::Conflict { code, message },
                    R::NoSuchInstruction => Self::NotFound(message),
                    R::Required(_) | R::FutureFirstSeen | R::SameOrg => Self::Invalid { code, message },
                }
            }
        }
    }
}

impl From<gongkai_store::PressError> for AppError {
    fn from(e: gongkai_store::PressError) -> Self {
        use gongkai_core::press::PressRefusal as R;
        match e {
            gongkai_store::PressError::Store(StoreError::Conflict(message)) => {
                Self::Conflict { code: "stale", message }
            }
            gongkai_store::PressError::Store(s) => s.into(),
            gongkai_store::PressError::Refused(r) => {
                let (code, message) = (r.code(), r.to_string());
                match r {
                    R::Denied(d) => d.into(),
                    R::NotInState(..) | R::NotYet => Self::Conflict { code, message },
                    R::Required(_) | R::BadUrl => Self::Invalid { code, message },
                    R::BadPlan(..) => Self::invalid_field(code, "plan", message),
                    R::PhotoCaption => Self::invalid_field(code, "caption", message),
                    R::TooManyPhotos => Self::Conflict { code, message },
                    R::NotAPhoto => Self::invalid_field(code, "file", message),
                }
            }
        }
    }
}

impl From<gongkai_store::ReportError> for AppError {
    fn from(e: gongkai_store::ReportError) -> Self {
        match e {
            gongkai_store::ReportError::Problems(problems) => Self::Detailed {
                status: 422,
                code: "report_problems",
                message: format!(
                    "年度报告未通过校验，不能审核通过：{}",
                    problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；")
                ),
                details: Details::Report(problems),
            },
            gongkai_store::ReportError::Store(e) => e.into(),
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        let code = match d {
            Denied::MissingRole(_) => "forbidden_role",
            Denied::OutsideOrg => "forbidden_org",
        };
        Self::Forbidden { code, message: d.to_string() }
    }
}

/// An error answered as JSON (the API).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let mut body = json!({ "code": self.0.code(), "message": self.0.to_string() });
        if let AppError::Detailed { details, .. } = &self.0
            && let (Some(obj), serde_json::Value::Object(extra)) = (body.as_object_mut(), details.to_json())
        {
            obj.extend(extra);
        }
        let body = Json(body);
        let mut res = (status, body).into_response();
        if matches!(self.0, AppError::Unauthorized) {
            res.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// An error answered as a page (portal and console).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let AppError::LoginRequired { next } = &self.0 {
            let target = format!("/login?next={}", crate::util::url_encode(next));
            return Redirect::to(&target).into_response();
        }
        if let AppError::PasswordChangeRequired = &self.0 {
            return Redirect::to("/admin/password").into_response();
        }
        if let AppError::SecondFactorRequired = &self.0 {
            return Redirect::to("/admin/second-factor").into_response();
        }
        self.0.log();
        let status = self.0.status();
        let title = match status.as_u16() {
            400 | 422 => "请求有误",
            401 => "需要登录",
            403 => "没有权限",
            404 => "页面不存在",
            409 => "操作冲突",
            413 => "内容太大",
            429 => "操作过于频繁",
            503 => "服务暂时不可用",
            _ => "出错了",
        };
        let message = match &self.0 {
            AppError::NotFound(_) => "您访问的页面不存在或已被移除。".to_string(),
            other => other.to_string(),
        };
        (status, ErrorPage { status: status.as_u16(), title, message }).into_response()
    }
}

/// Errors of a form by field, for showing each next to its field.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// No field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One field's error.
    pub fn one(field: &str, message: &str) -> Self {
        Self(vec![(field.to_string(), message.to_string())])
    }

    /// How many fields have an error.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The error of a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}
