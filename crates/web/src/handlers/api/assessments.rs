//! 考核 over the API, for the office (supervisors, administrators): a year's board — the
//! scheme, every org's score with its parts and the values behind them, ranked, and the
//! adjustments with their reasons; the scheme saved; a score adjusted.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::assessments::{self, Board};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::assessment::{Indicator, Scheme};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(save_scheme))
        .routes(routes!(adjust))
        .routes(routes!(bulletin))
        .routes(routes!(trend))
        .routes(routes!(manual))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct ManualBody {
    /// 人工评分指标的名称（方案中写作「人工：名称」）.
    name: String,
    /// 被评单位的机构代码.
    org: String,
    /// 评分（0–100，百分比）.
    value: f64,
    /// 评分依据（必填，记入审计）.
    evidence: String,
}

/// 人工评分（公开办）：对方案中的人工评分指标逐单位打分并写明依据；再次打分即替换，均记入审计。
#[utoipa::path(post, path = "/assessments/{year}/manual-scores", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度")), request_body = ManualBody,
    responses((status = 200, description = "更新后的年度考核（同 GET /assessments/{year}）"), E401, E403, E404, E422))]
async fn manual(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(year): ApiPath<i32>,
    ApiJson(b): ApiJson<ManualBody>,
) -> Result<Json<Value>, ApiError> {
    assessments::set_manual(&state, &actor, &audit_ctx(&actor, ip), Some(year), &b.name, &b.org, b.value, &b.evidence)
        .await?;
    Ok(Json(board_json(&assessments::board(&state, &actor, Some(year)).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TrendQuery {
    /// 只看这个单位（机构代码）；省略时为本单位及所属单位合计.
    org: Option<String>,
}

/// 月度趋势：各月主动公开信息发布数、收到和办结的依申请公开件数及按期办结数。
#[utoipa::path(get, path = "/assessments/{year}/trend", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度"), TrendQuery),
    responses((status = 200, body = assessments::Trend), E401, E403, E404, E422))]
async fn trend(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(year): ApiPath<i32>,
    super::ApiQuery(q): super::ApiQuery<TrendQuery>,
) -> Result<Json<assessments::Trend>, ApiError> {
    Ok(Json(assessments::trend(&state, &actor, Some(year), q.org.as_deref()).await?))
}

/// The board as JSON.
pub fn board_json(b: &Board) -> Value {
    json!({
        "year": b.year,
        "period": b.period.as_str(),
        "period_label": b.period.title(b.year),
        "org": { "code": b.org.code(), "name": b.org.name },
        "version": b.version,
        "scheme": b.scheme.indicators.iter().map(|i| json!({
            "measure": i.measure, "name": i.name, "label": i.label(), "weight": i.weight,
            "scoring": i.scoring, "rule": i.scoring.label(i.measure.is_rate()),
        })).collect::<Vec<_>>(),
        "rows": b.rows,
        "manual_scores": b.manual.iter().map(|(m, org)| json!({
            "name": m.name, "org_name": org, "value": m.value, "evidence": m.evidence, "by": m.by_user, "at": m.scored_at,
        })).collect::<Vec<_>>(),
        "adjustments": b.adjustments.iter().map(|(a, org)| json!({
            "org_name": org, "points": a.points, "reason": a.reason, "by": a.by_user, "at": a.created_at,
        })).collect::<Vec<_>>(),
    })
}

/// 年度考核：考核方案、各单位得分（各指标的取值和得分、调整及理由）和排名；无可考核数据的单位不排名。
#[utoipa::path(get, path = "/assessments/{year}", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度"), PeriodQuery),
    responses((status = 200, description = "{ year, period, org, version, scheme: [...], rows: [...], adjustments: [...] }"), E401, E403, E422))]
async fn board(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(year): ApiPath<i32>,
    super::ApiQuery(q): super::ApiQuery<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    let period = assessments::period_of(q.period.as_deref())?;
    Ok(Json(board_json(&assessments::board_for(&state, &actor, Some(year), period).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PeriodQuery {
    /// 考核期间：year（默认）、h1、h2、q1–q4；年度方案、人工评分和分数调整适用于各期间.
    period: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
struct SchemeBody {
    /// 修改前的版本号（首次设置时省略）.
    version: Option<i64>,
    /// 指标：{ measure, weight, scoring: { kind: linear|pass_fail|deduct, … } }，权重之和为 100.
    #[schema(value_type = Vec<Object>)]
    indicators: Vec<Indicator>,
}

/// 设置年度考核方案（公开办）：权重之和须为 100；保存后得分按新方案重新计算。
#[utoipa::path(put, path = "/assessments/{year}/scheme", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度")), request_body = SchemeBody,
    responses((status = 200, description = "新的考核结果"), E401, E403, E409, E422))]
async fn save_scheme(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(year): ApiPath<i32>,
    ApiJson(b): ApiJson<SchemeBody>,
) -> Result<Json<Value>, ApiError> {
    let scheme = Scheme { indicators: b.indicators };
    assessments::save_scheme(&state, &actor, &audit_ctx(&actor, ip), Some(year), &scheme, b.version).await?;
    Ok(Json(board_json(&assessments::board(&state, &actor, Some(year)).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct AdjustBody {
    /// 单位代码.
    org: String,
    /// 加减分值（-100 到 100，非零）.
    points: f64,
    /// 理由（必填）.
    reason: String,
}

/// 调整某单位的考核得分（公开办），须写明理由；记入审计。
#[utoipa::path(post, path = "/assessments/{year}/adjustments", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度")), request_body = AdjustBody,
    responses((status = 201, description = "调整记录"), E401, E403, E404, E422))]
async fn adjust(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(year): ApiPath<i32>,
    ApiJson(b): ApiJson<AdjustBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let a =
        assessments::adjust(&state, &actor, &audit_ctx(&actor, ip), Some(year), &b.org, b.points, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(json!(a))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BulletinQuery {
    /// `docx` 或 `xlsx`.
    format: String,
    /// 考核期间：year（默认）、h1、h2、q1–q4.
    period: Option<String>,
}

/// 年度考核结果通报（DOCX 或 XLSX）：按得分排名，附各项指标得分和分数调整理由。
#[utoipa::path(get, path = "/assessments/{year}/bulletin", tag = "supervision", security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度"), BulletinQuery),
    responses((status = 200, description = "DOCX 或 XLSX 文件"), E401, E403, E422))]
async fn bulletin(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(year): ApiPath<i32>,
    super::ApiQuery(q): super::ApiQuery<BulletinQuery>,
) -> Result<axum::response::Response, ApiError> {
    let period = assessments::period_of(q.period.as_deref())?;
    let board = assessments::board_for(&state, &actor, Some(year), period).await?;
    let b = assessments::bulletin(&board, state.today());
    Ok(assessments::bulletin_file(&b, board.year, &q.format)?)
}
