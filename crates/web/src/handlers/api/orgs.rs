//! `GET /api/v1/orgs`: the org tree (public: it is the directory of the portal).
//! `POST /api/v1/orgs`: an admin adds an org under one in their own subtree.

use super::ApiJson;
use super::errors::*;
use crate::app::accounts::{self, NewOrg, Org};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::{OrgIdent, OrgKind};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

/// One org in the tree.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrgNode {
    code: String,
    name: String,
    short_name: String,
    kind: &'static str,
    kind_label: &'static str,
    index_prefix: String,
    #[schema(no_recursion)]
    children: Vec<OrgNode>,
}

fn node(org: &Org) -> OrgNode {
    OrgNode {
        code: org.code().to_string(),
        name: org.name.clone(),
        short_name: org.short_name.clone(),
        kind: org.kind.as_str(),
        kind_label: org.kind.label(),
        index_prefix: org.index_prefix().to_string(),
        children: Vec::new(),
    }
}

/// Nests a parents-first list into trees.
pub fn tree(orgs: &[Org]) -> Vec<OrgNode> {
    fn children_of(orgs: &[Org], parent: Option<i64>) -> Vec<OrgNode> {
        orgs.iter()
            .filter(|o| o.parent_id == parent)
            .map(|o| OrgNode { children: children_of(orgs, Some(o.id)), ..node(o) })
            .collect()
    }
    children_of(orgs, None)
}

/// 单位树（公开）。
#[utoipa::path(get, path = "/orgs", tag = "orgs", responses((status = 200, body = Vec<OrgNode>)))]
async fn list(State(state): State<AppState>) -> Result<Json<Vec<OrgNode>>, ApiError> {
    let orgs = accounts::all_orgs(&state).await?;
    Ok(Json(tree(&orgs)))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewOrgBody {
    parent: String,
    code: String,
    name: String,
    #[serde(default)]
    short_name: String,
    kind: String,
}

/// 在本单位或下级单位下添加单位（管理员）。
#[utoipa::path(post, path = "/orgs", tag = "orgs",
    security(("bearer" = [])),
    request_body = NewOrgBody,
    responses((status = 201, body = OrgNode), E401, E403, E409, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewOrgBody>,
) -> Result<(StatusCode, Json<OrgNode>), ApiError> {
    let parent = accounts::find_org(&state, &body.parent)
        .await?
        .ok_or_else(|| AppError::invalid("unknown_parent", format!("上级单位「{}」不存在", body.parent)))?;
    actor.may_administer(&parent.path)?;
    let ident = OrgIdent::parse(&body.code).map_err(|e| AppError::invalid("invalid_org_code", e.to_string()))?;
    let kind = OrgKind::parse(&body.kind).ok_or_else(|| {
        AppError::invalid(
            "invalid_org_kind",
            format!("单位类型「{}」无效，可选：government、department、town、subdistrict、zone、village", body.kind),
        )
    })?;
    let ctx = audit_ctx(&actor, ip);
    let new = NewOrg { parent_code: None, ident, name: body.name, short_name: body.short_name, kind };
    let org = accounts::add_org(&state, &actor, &ctx, &parent, new).await?;
    Ok((StatusCode::CREATED, Json(node(&org))))
}
