//! Catalog structure over the API: the topic and genre lists in force, each org's section
//! tree (public), and its editing by admins, including seeding from a baseline catalog.

use super::{ApiJson, ApiPath};
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use gongkai_core::catalog::Baseline;
use gongkai_store::{AuditCtx, Org, Section, SectionInput};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/topics", get(topics))
        .route("/genres", get(genres))
        .route("/orgs/{code}/sections", get(list).post(create))
        .route("/orgs/{code}/sections/baseline", post(baseline))
        .route("/sections/{id}", put(update).delete(remove))
}

async fn topics(State(state): State<AppState>) -> Json<Vec<String>> {
    Json(state.config.topics())
}

async fn genres(State(state): State<AppState>) -> Json<Vec<String>> {
    Json(state.config.genres())
}

#[derive(Serialize)]
pub struct SectionView {
    id: i64,
    parent: Option<i64>,
    name: String,
    position: i64,
    update_rule: String,
}

impl From<Section> for SectionView {
    fn from(s: Section) -> Self {
        Self { id: s.id, parent: s.parent_id, name: s.name, position: s.position, update_rule: s.update_rule }
    }
}

async fn org(state: &AppState, code: &str) -> Result<Org, AppError> {
    state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound(format!("单位「{code}」")))
}

async fn list(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<SectionView>>, ApiError> {
    let org = org(&state, &code).await?;
    Ok(Json(state.store.sections(org.id).await?.into_iter().map(SectionView::from).collect()))
}

#[derive(Deserialize)]
struct SectionBody {
    name: String,
    #[serde(default)]
    parent: Option<i64>,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    update_rule: String,
}

impl From<SectionBody> for SectionInput {
    fn from(b: SectionBody) -> Self {
        Self { parent_id: b.parent, name: b.name, position: b.position, update_rule: b.update_rule }
    }
}

async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<SectionBody>,
) -> Result<(StatusCode, Json<SectionView>), ApiError> {
    let org = org(&state, &code).await?;
    let ctx = AuditCtx { actor: actor.username.as_str().to_string(), origin: ip };
    let s = state.store.create_section(&ctx, Some(&actor), org.id, body.into()).await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SectionBody>,
) -> Result<Json<SectionView>, ApiError> {
    let ctx = AuditCtx { actor: actor.username.as_str().to_string(), origin: ip };
    Ok(Json(state.store.update_section(&ctx, Some(&actor), id, body.into()).await?.into()))
}

async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let ctx = AuditCtx { actor: actor.username.as_str().to_string(), origin: ip };
    state.store.delete_section(&ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct BaselineBody {
    kind: String,
}

#[derive(Serialize)]
struct BaselineResult {
    added: usize,
}

async fn baseline(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<BaselineBody>,
) -> Result<Json<BaselineResult>, ApiError> {
    let kind = Baseline::parse(&body.kind).ok_or_else(|| {
        AppError::invalid("invalid_baseline", format!("基本目录「{}」无效，可选：district、town", body.kind))
    })?;
    let org = org(&state, &code).await?;
    let ctx = AuditCtx { actor: actor.username.as_str().to_string(), origin: ip };
    let added = state.store.apply_baseline(&ctx, Some(&actor), org.id, kind).await?;
    Ok(Json(BaselineResult { added }))
}
