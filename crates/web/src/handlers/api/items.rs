//! Items over the API: create, read, update, list, and one POST per workflow transition
//! (`submit`, `review`, `approve`, `publish`, `withdraw`, `set-validity`), plus the privacy
//! check and one-click de-identification of the working copy. Field names follow the
//! glossary in snake_case. The public reads published items without a token and gets 404
//! for anything not public; staff read their own org's items in any state.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::items::{self, Item, ItemDraft, Org, PublicItem, PublicQuery, RegisterRow, TransitionExtra};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::calendar::Calendar;
use gongkai_core::item::{Command, Decision, DisclosureAttr, ItemState, Reprint, Validity};
use gongkai_core::privacy::Finding;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update))
        .routes(routes!(submit))
        .routes(routes!(review))
        .routes(routes!(approve))
        .routes(routes!(publish))
        .routes(routes!(withdraw))
        .routes(routes!(set_validity))
        .routes(routes!(privacy_check))
        .routes(routes!(deidentify))
        .routes(routes!(register))
        .routes(routes!(withhold_ground))
}

/// The matter of the 负面清单 an item is withheld on.
#[derive(Deserialize, utoipa::ToSchema)]
struct GroundBody {
    /// 政务公开负面清单中事项的编号（清单行编号，见 /api/v1/lists/negative/rows）；null 为不指定.
    row_id: Option<i64>,
}

/// 指定不予公开信息所依据的政务公开负面清单事项（本单位编辑；事项须为本单位或上级单位清单中现行的事项）。
#[utoipa::path(put, path = "/items/{id}/withhold-ground", tag = "items", security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")), request_body = GroundBody,
    responses((status = 204), E401, E403, E404, E422))]
async fn withhold_ground(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GroundBody>,
) -> Result<StatusCode, ApiError> {
    items::set_withhold_ground(&state, &actor, &audit_ctx(&actor, ip), id, b.row_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An item as the API shows it. Staff-only fields are absent for the public.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemView {
    pub id: i64,
    pub title: String,
    pub doc_no: String,
    pub index_no: Option<String>,
    pub org: String,
    pub org_name: String,
    pub issuer_name: String,
    pub co_issuers: Vec<String>,
    pub topic: String,
    pub genre: String,
    pub section: Option<i64>,
    pub written_on: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub repealed_on: Option<NaiveDate>,
    pub validity: &'static str,
    pub replaced_by: Option<i64>,
    pub summary: String,
    pub body: String,
    pub disclosure_attr: Option<&'static str>,
    pub withheld_parts: String,
    pub channels: Vec<String>,
    /// 转载来源: the org or site a republished item comes from; empty for the org's own.
    pub reprinted_from: String,
    /// 原文地址 of a republished item (`http(s)://`), when known.
    pub reprint_url: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withhold_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withhold_review_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_exception: Option<String>,
    /// 《条例》第二十六条：发布晚于形成之日起 20 个工作日的天数（0 为按时）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_workdays: Option<u32>,
}

pub fn public_view(p: &PublicItem) -> ItemView {
    ItemView {
        id: p.id,
        title: p.title.clone(),
        doc_no: p.doc_no.clone(),
        index_no: p.index_no.clone(),
        org: p.org_code.clone(),
        org_name: p.org_name.clone(),
        issuer_name: p.issuer_name.clone(),
        co_issuers: p.co_issuers.0.clone(),
        topic: p.topic.clone(),
        genre: p.genre.clone(),
        section: p.section_id,
        written_on: p.written_on,
        published_at: Some(p.published_at),
        repealed_on: p.repealed_on,
        validity: p.validity().as_str(),
        replaced_by: p.replaced_by,
        summary: p.summary.clone(),
        body: p.body.clone(),
        disclosure_attr: DisclosureAttr::parse(&p.disclosure_attr).map(|a| a.as_str()),
        withheld_parts: p.withheld_parts.clone(),
        channels: p.channels.0.clone(),
        reprinted_from: p.reprinted_from.clone(),
        reprint_url: p.reprint_url.clone(),
        url: format!("/items/{}", p.id),
        withhold_reason: None,
        withhold_review_on: None,
        state: None,
        version: None,
        privacy_exception: None,
        late_workdays: None,
    }
}

/// Working days an item was published late under article 26, when that can be told (not
/// for a reprint).
fn late(cal: &Calendar, i: &Item) -> Option<u32> {
    if i.reprint().is_reprint() {
        // Another org's information, formed and published there: the 20 days were its.
        return None;
    }
    let formed = i.written_on?;
    let published = gongkai_core::index_no::beijing_date(i.published_at?);
    gongkai_core::calendar::publication_delay(cal, formed, published).ok()
}

fn staff_view(i: &Item, org: &Org, cal: &Calendar) -> ItemView {
    ItemView {
        id: i.id,
        title: i.title.clone(),
        doc_no: i.doc_no.clone(),
        index_no: i.index_no.clone(),
        org: org.code().to_string(),
        org_name: org.name.clone(),
        issuer_name: i.issuer_name.clone(),
        co_issuers: i.co_issuers.0.clone(),
        topic: i.topic.clone(),
        genre: i.genre.clone(),
        section: i.section_id,
        written_on: i.written_on,
        published_at: i.published_at,
        repealed_on: i.repealed_on,
        validity: i.validity.0.as_str(),
        replaced_by: i.replaced_by,
        summary: i.summary.clone(),
        body: i.body.clone(),
        disclosure_attr: i.disclosure_attr.0.map(|a| a.as_str()),
        withheld_parts: i.withheld_parts.clone(),
        channels: i.channels.0.clone(),
        reprinted_from: i.reprinted_from.clone(),
        reprint_url: i.reprint_url.clone(),
        url: format!("/items/{}", i.id),
        withhold_reason: Some(i.withhold_reason.clone()),
        withhold_review_on: i.withhold_review_on,
        state: Some(i.state.0.as_str()),
        version: Some(i.version),
        privacy_exception: Some(i.privacy_exception.clone()),
        late_workdays: late(cal, i),
    }
}

/// The body of create and update.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    issuer_name: String,
    #[serde(default)]
    co_issuers: Vec<String>,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    genre: String,
    #[serde(default)]
    section: Option<i64>,
    #[serde(default)]
    written_on: Option<NaiveDate>,
    #[serde(default)]
    disclosure_attr: Option<String>,
    #[serde(default)]
    withhold_reason: String,
    #[serde(default)]
    withheld_parts: String,
    #[serde(default)]
    withhold_review_on: Option<NaiveDate>,
    #[serde(default)]
    channels: Vec<String>,
    #[serde(default)]
    privacy_exception: String,
    /// 转载来源 (empty for the org's own).
    #[serde(default)]
    reprinted_from: String,
    /// 原文地址 of a reprint.
    #[serde(default)]
    reprint_url: String,
    #[serde(default)]
    version: Option<i64>,
}

impl TryFrom<ItemBody> for ItemDraft {
    type Error = AppError;
    fn try_from(b: ItemBody) -> Result<Self, AppError> {
        let disclosure_attr = match b.disclosure_attr.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => Some(DisclosureAttr::parse(a).ok_or_else(|| {
                AppError::invalid(
                    "invalid_disclosure_attr",
                    format!("公开属性「{a}」无效，可选：proactive、on_request、partial、withheld"),
                )
            })?),
        };
        let reprint = Reprint { from: b.reprinted_from.trim().into(), url: b.reprint_url.trim().into() };
        reprint.check().map_err(|e| AppError::invalid("invalid_reprint", e.to_string()))?;
        Ok(ItemDraft {
            title: b.title,
            doc_no: b.doc_no,
            issuer_name: b.issuer_name,
            co_issuers: b.co_issuers,
            topic: b.topic,
            genre: b.genre,
            section_id: b.section,
            written_on: b.written_on,
            summary: b.summary,
            body: b.body,
            disclosure_attr,
            withhold_reason: b.withhold_reason,
            withheld_parts: b.withheld_parts,
            withhold_review_on: b.withhold_review_on,
            channels: b.channels,
            privacy_exception: b.privacy_exception,
            reprinted_from: reprint.from,
            reprint_url: reprint.url,
        })
    }
}

/// Topics and genres must come from the lists in force (imports keep theirs).
async fn check_vocabulary(state: &AppState, body: &ItemBody) -> Result<(), AppError> {
    match items::vocabulary_problems(state, &body.topic, &body.genre).await.into_iter().next() {
        Some(("topic", m)) => Err(AppError::invalid("invalid_topic", m)),
        Some((_, m)) => Err(AppError::invalid("invalid_genre", m)),
        None => Ok(()),
    }
}

/// 起草信息（本单位信息编辑）。
#[utoipa::path(post, path = "/items", tag = "items",
    security(("bearer" = [])),
    request_body = ItemBody,
    responses((status = 201, body = ItemView), E400, E401, E403, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<ItemBody>,
) -> Result<(StatusCode, Json<ItemView>), ApiError> {
    check_vocabulary(&state, &body).await?;
    let org = match body.org.as_deref() {
        Some(code) => crate::app::accounts::find_org(&state, code)
            .await?
            .ok_or_else(|| AppError::invalid("unknown_org", format!("单位「{code}」不存在")))?,
        None => crate::app::orgs::own(&state, &actor).await?,
    };
    let draft = ItemDraft::try_from(body)?;
    let item = items::create(&state, &actor, &audit_ctx(&actor, ip), &org, draft).await?;
    Ok((StatusCode::CREATED, Json(staff_view(&item, &org, &*state.calendar().await?))))
}

/// 修改工作稿；已发布的信息修改后形成新版本，重新审核发布前公众仍看到原版本。
#[utoipa::path(put, path = "/items/{id}", tag = "items",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = ItemBody,
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ItemBody>,
) -> Result<Json<ItemView>, ApiError> {
    check_vocabulary(&state, &body).await?;
    let version = body.version;
    let draft = ItemDraft::try_from(body)?;
    let item = items::update(&state, &actor, &audit_ctx(&actor, ip), id, draft, version).await?;
    let org = items::org_of(&state, &item).await?;
    Ok(Json(staff_view(&item, &org, &*state.calendar().await?)))
}

/// 读取信息：公众只能读取已公开的信息，工作人员可读取本单位（及下级）工作稿。
#[utoipa::path(get, path = "/items/{id}", tag = "items",
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = ItemView), E404))]
async fn read(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ItemView>, ApiError> {
    if let Some(ApiActor(actor)) = actor
        && let Ok((item, org)) = items::staff_item(&state, &actor, id).await
    {
        return Ok(Json(staff_view(&item, &org, &*state.calendar().await?)));
    }
    Ok(Json(public_view(&items::public(&state, id).await?)))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    org: Option<String>,
    section: Option<i64>,
    topic: Option<String>,
    genre: Option<String>,
    year: Option<i32>,
    validity: Option<String>,
    attribute: Option<String>,
    state: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ItemList {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<ItemView>,
}

/// 信息列表：公众看到已公开信息；带 attribute 或 state 参数时为工作人员列表。
#[utoipa::path(get, path = "/items", tag = "items",
    params(ListQuery),
    responses((status = 200, body = ItemList), E400, E401, E403, E404, E422))]
async fn list(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ItemList>, ApiError> {
    let page = q.page.unwrap_or(1).max(1);
    let per_page = q.per_page.unwrap_or(20).clamp(1, 200);
    let org = match q.org.as_deref() {
        Some(code) => Some(crate::app::orgs::by_code(&state, code).await?),
        None => None,
    };
    let validity = match q.validity.as_deref() {
        Some(v) => Some(Validity::parse(v).ok_or_else(|| {
            AppError::invalid("invalid_validity", format!("有效性「{v}」无效，可选：valid、amended、repealed、expired"))
        })?),
        None => None,
    };
    // Staff filters (attribute, state) list an org's working copies, for its own staff.
    if q.attribute.is_some() || q.state.is_some() {
        let ApiActor(actor) = actor.ok_or(AppError::Unauthorized)?;
        let org = match org {
            Some(o) => o,
            None => crate::app::orgs::own(&state, &actor).await?,
        };
        actor.may_supervise(&org.path)?;
        let attr = match q.attribute.as_deref() {
            Some(a) => Some(
                DisclosureAttr::parse(a)
                    .ok_or_else(|| AppError::invalid("invalid_disclosure_attr", format!("公开属性「{a}」无效")))?,
            ),
            None => None,
        };
        let item_state = match q.state.as_deref() {
            Some(s) => Some(
                ItemState::parse(s).ok_or_else(|| AppError::invalid("invalid_state", format!("状态「{s}」无效")))?,
            ),
            None => None,
        };
        let all: Vec<Item> = items::in_org(&state, &org, item_state, 10_000)
            .await?
            .into_iter()
            .filter(|i| attr.is_none() || i.disclosure_attr.0 == attr)
            .filter(|i| validity.is_none() || Some(i.validity.0) == validity)
            .collect();
        let total = all.len() as i64;
        let cal = state.calendar().await?;
        let items = all
            .iter()
            .skip(((page - 1) * per_page) as usize)
            .take(per_page as usize)
            .map(|i| staff_view(i, &org, &cal))
            .collect();
        return Ok(Json(ItemList { total, page, per_page, items }));
    }
    let query = PublicQuery {
        org_path: org.map(|o| o.path),
        section_id: q.section,
        topic: q.topic,
        genre: q.genre,
        year: q.year,
        validity,
        since: None,
        page,
        per_page,
        count_up_to: None,
    };
    let (found, total) = items::public_list(&state, &query).await?;
    Ok(Json(ItemList { total, page, per_page, items: found.iter().map(public_view).collect() }))
}

/// An optional JSON body: empty means the defaults.
pub(crate) fn optional_json<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            AppError::BadRequest { code: "malformed_json", message: format!("请求体不是有效的 JSON：{e}") }
        } else {
            AppError::invalid("invalid_fields", format!("请求字段有误：{e}"))
        }
    })
}

async fn run(
    state: &AppState,
    actor: &Actor,
    ip: String,
    id: i64,
    cmd: Command,
    extra: TransitionExtra,
) -> Result<Json<ItemView>, ApiError> {
    let item = items::transition(state, actor, &audit_ctx(actor, ip), id, cmd, extra).await?;
    let org = items::org_of(state, &item).await?;
    Ok(Json(staff_view(&item, &org, &*state.calendar().await?)))
}

/// 提交保密审查；缺公开属性等情形退文（422 problems），发现个人信息等（422 findings）。
#[utoipa::path(post, path = "/items/{id}/submit", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = ItemView), E401, E403, E404, E409, E422))]
async fn submit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ItemView>, ApiError> {
    run(&state, &actor, ip, id, Command::Submit, TransitionExtra::default()).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct DecisionBody {
    /// pass 或 return.
    decision: Option<String>,
    /// 意见（退回时必填）.
    #[serde(default)]
    comment: String,
    /// 审查时确认编辑对隐私检查结果说明的例外理由.
    #[serde(default)]
    confirm_exception: bool,
}

fn decision(b: &DecisionBody) -> Result<Decision, AppError> {
    match b.decision.as_deref() {
        Some(d) => Decision::parse(d)
            .ok_or_else(|| AppError::invalid("invalid_decision", format!("决定「{d}」无效，可选：pass、return"))),
        None => Err(AppError::invalid("invalid_decision", "须给出决定：pass 或 return")),
    }
}

/// 保密审查：pass 或 return（退回须填写意见）；起草人不能审查自己的信息。
#[utoipa::path(post, path = "/items/{id}/review", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = DecisionBody,
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn review(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ItemView>, ApiError> {
    let b: DecisionBody = optional_json(&body)?;
    let cmd = Command::Review { decision: decision(&b)?, comment: b.comment, confirms_exception: b.confirm_exception };
    run(&state, &actor, ip, id, cmd, TransitionExtra::default()).await
}

/// 审批签发：pass 或 return。
#[utoipa::path(post, path = "/items/{id}/approve", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = DecisionBody,
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ItemView>, ApiError> {
    let b: DecisionBody = optional_json(&body)?;
    let cmd = Command::Approve { decision: decision(&b)?, comment: b.comment };
    run(&state, &actor, ip, id, cmd, TransitionExtra::default()).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct PublishBody {
    at: Option<DateTime<Utc>>,
}

/// 发布（可定时：at）；首次发布时自动编制索引号。
#[utoipa::path(post, path = "/items/{id}/publish", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body(content = PublishBody, description = "可省略"),
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ItemView>, ApiError> {
    let b: PublishBody = optional_json(&body)?;
    run(&state, &actor, ip, id, Command::Publish, TransitionExtra { publish_at: b.at, ..Default::default() }).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct WithdrawBody {
    #[serde(default)]
    reason: String,
}

/// 撤回已发布的信息（须说明理由），登记在发布登记簿中。
#[utoipa::path(post, path = "/items/{id}/withdraw", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = WithdrawBody,
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn withdraw(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ItemView>, ApiError> {
    let b: WithdrawBody = optional_json(&body)?;
    run(&state, &actor, ip, id, Command::Withdraw { reason: b.reason }, TransitionExtra::default()).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct ValidityBody {
    validity: Option<String>,
    replaced_by: Option<i64>,
    repealed_on: Option<NaiveDate>,
}

/// 变更有效性（已修改、已废止、已失效），可指明替代文件。
#[utoipa::path(post, path = "/items/{id}/set-validity", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = ValidityBody,
    responses((status = 200, body = ItemView), E400, E401, E403, E404, E409, E422))]
async fn set_validity(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ItemView>, ApiError> {
    let b: ValidityBody = optional_json(&body)?;
    let v = b.validity.as_deref().unwrap_or("");
    let validity = Validity::parse(v).ok_or_else(|| {
        AppError::invalid("invalid_validity", format!("有效性「{v}」无效，可选：valid、amended、repealed、expired"))
    })?;
    let extra = TransitionExtra {
        validity: Some(validity),
        replaced_by: b.replaced_by,
        repealed_on: b.repealed_on,
        ..Default::default()
    };
    run(&state, &actor, ip, id, Command::SetValidity, extra).await
}

#[derive(Serialize, utoipa::ToSchema)]
struct PrivacyReport {
    #[schema(value_type = Vec<FindingSchema>)]
    findings: Vec<Finding>,
}

/// One place the privacy check found something (documents `core::privacy::Finding`).
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "describes the serialised shape of core's Finding for the OpenAPI document")]
struct FindingSchema {
    /// id_number、mobile、bank_card、email、secrecy_marking、negative_list.
    kind: String,
    /// title、summary、body 或 attachment:文件名.
    field: String,
    /// First character (0-based, in characters).
    start: usize,
    /// One past the last character.
    end: usize,
    /// The text found.
    text: String,
}

/// 工作稿的隐私与涉密检查结果。
#[utoipa::path(get, path = "/items/{id}/privacy", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = PrivacyReport), E401, E403, E404))]
async fn privacy_check(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PrivacyReport>, ApiError> {
    let (item, _) = items::staff_item(&state, &actor, id).await?;
    Ok(Json(PrivacyReport { findings: items::privacy_findings(&state, &item).await? }))
}

/// Masks every maskable finding in the working copy's title, summary and body, and inside
/// its Word and Excel attachments (each replaced by its masked revision); findings in other
/// files stay until the file is replaced (see `/items/{id}/privacy`).
/// 一键去标识化：遮蔽工作稿及其 Word、Excel 附件中的身份证号、手机号、银行卡号和电子邮箱。
#[utoipa::path(post, path = "/items/{id}/deidentify", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = ItemView), E401, E403, E404, E409))]
async fn deidentify(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ItemView>, ApiError> {
    items::deidentify(&state, &actor, &audit_ctx(&actor, ip), id).await?;
    let (item, org) = items::staff_item(&state, &actor, id).await?;
    Ok(Json(staff_view(&item, &org, &*state.calendar().await?)))
}

#[derive(Serialize, utoipa::ToSchema)]
struct RegisterView {
    rev: Option<i64>,
    event: String,
    content_hash: String,
    author: String,
    reviewer: String,
    approver: String,
    publisher: String,
    channel: String,
    note: String,
    at: DateTime<Utc>,
}

impl From<RegisterRow> for RegisterView {
    fn from(r: RegisterRow) -> Self {
        Self {
            rev: r.rev,
            event: r.event,
            content_hash: r.content_hash,
            author: r.author,
            reviewer: r.reviewer,
            approver: r.approver,
            publisher: r.publisher,
            channel: r.channel,
            note: r.note,
            at: r.at,
        }
    }
}

/// 信息发布登记。
#[utoipa::path(get, path = "/items/{id}/register", tag = "workflow",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 200, body = Vec<RegisterView>), E401, E403, E404))]
async fn register(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RegisterView>>, ApiError> {
    items::staff_item(&state, &actor, id).await?;
    let rows = items::register(&state, None, Some(id), 1000).await?;
    Ok(Json(rows.into_iter().map(RegisterView::from).collect()))
}
