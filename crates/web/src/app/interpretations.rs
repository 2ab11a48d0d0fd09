//! Policy interpretation (政策解读), the use cases: an editor makes an item an interpretation
//! of one or more policies in a form, with the content elements (warned about when empty);
//! marks whether a policy needs one and which org drafts it; the approval of a policy waits
//! for its interpretation (the store's gate); the public reads interpretations by form, on
//! the policy's page and in the 政策解读 list; the office sees coverage and timeliness. The
//! rules are `core::interpretation`.

use crate::{AppError, AppState};
use chrono::{NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::interpretation::{Coverage, Element, InterpDetails, InterpForm, missing_elements, needs};
use gongkai_store::{AuditCtx, Item, Need, PublicInterpretation, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The interpretation form as typed (console and API).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InterpBody {
    /// The form's code (`text`, `graphic`, `qa`, `media`, `expert`, `leader`, `press`, `conference`).
    #[serde(default)]
    pub form: String,
    /// The policies interpreted: 发文字号, 索引号 or 信息编号, one per line. Empty: not an
    /// interpretation.
    #[serde(default)]
    pub policies: String,
    /// The content elements by code.
    #[serde(default)]
    pub elements: BTreeMap<String, String>,
    #[serde(default)]
    pub alt_text: String,
    #[serde(default)]
    pub media_url: String,
    #[serde(default)]
    pub speaker: String,
    #[serde(default)]
    pub press_id: Option<i64>,
}

/// What the editor page shows of an item's interpretation side.
#[derive(Debug, Clone, Default)]
pub struct EditorInterp {
    /// It is an interpretation.
    pub is_interpretation: bool,
    pub form: String,
    /// The policies it interprets: (id, title).
    pub policies: Vec<(i64, String)>,
    /// The policies as the form shows them (one number per line).
    pub policies_text: String,
    pub details: InterpDetails,
    /// Required elements left empty (warned before submission).
    pub missing: Vec<&'static str>,
    /// As a policy: whether it needs an interpretation now (mark or genre).
    pub needed: bool,
    pub need: Need,
    /// The genre rule alone would ask for one.
    pub by_genre: bool,
    /// As a policy: its interpretations (id, title, state).
    pub interpretations: Vec<(i64, String, String)>,
    /// As a published policy needing one: its coverage and due date.
    pub coverage: Option<(String, Option<NaiveDate>)>,
}

impl EditorInterp {
    /// An element's text.
    pub fn element(&self, code: &str) -> &str {
        self.details.elements.get(code).map(String::as_str).unwrap_or("")
    }
}

/// The forms and elements, for the form's selects.
pub fn forms() -> Vec<(&'static str, &'static str)> {
    InterpForm::ALL.iter().map(|f| (f.as_str(), f.label())).collect()
}

/// The elements in order: (code, label, required).
pub fn elements() -> Vec<(&'static str, &'static str, bool)> {
    Element::ALL.iter().map(|e| (e.as_str(), e.label(), Element::REQUIRED.contains(e))).collect()
}

/// Resolves the policies typed: numbers are item ids; anything else a 发文字号 or 索引号 of
/// a public item.
async fn resolve(state: &AppState, text: &str) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(21) {
        let id = match line.parse::<i64>() {
            Ok(n) => n,
            Err(_) => state.store.public_item_by_number(line).await?.map(|p| p.id).ok_or_else(|| {
                AppError::invalid_field("policy_not_found", "policies", format!("没有找到已公开的「{line}」"))
            })?,
        };
        out.push(id);
    }
    Ok(out)
}

/// Saves an item's interpretation side.
pub async fn save(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64, b: InterpBody) -> Result<(), AppError> {
    let policies = resolve(state, &b.policies).await?;
    let form = if policies.is_empty() {
        InterpForm::Text
    } else {
        InterpForm::parse(&b.form).ok_or_else(|| AppError::invalid_field("invalid_form", "form", "请选择解读形式"))?
    };
    let details = InterpDetails {
        elements: b.elements.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect(),
        alt_text: b.alt_text,
        media_url: b.media_url.trim().to_string(),
        speaker: b.speaker,
        press_id: b.press_id.filter(|p| *p > 0),
    };
    if !policies.is_empty()
        && let Some(p) = gongkai_core::interpretation::check_details(form, &details).into_iter().next()
    {
        return Err(AppError::invalid_field("invalid_interpretation", p.field, p.message));
    }
    state.store.save_interpretation(ctx, actor, id, form, details, &policies).await.map_err(|e| match e {
        StoreError::Invalid(m) => AppError::invalid_field("invalid_policy", "policies", m),
        other => other.into(),
    })
}

/// The need form as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NeedBody {
    /// `auto` (by genre), `yes`, `no`.
    #[serde(default)]
    pub needed: String,
    /// The org that drafts and interprets it, when not the issuing org.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub drafting_org: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// Marks whether a policy needs an interpretation.
pub async fn set_need(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64, b: NeedBody) -> Result<(), AppError> {
    let needed = match b.needed.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    if needed == Some(false) && b.note.trim().is_empty() {
        return Err(AppError::invalid_field("reason_required", "need_note", "标记为无须解读时，请说明理由"));
    }
    let need = Need { needed, drafting_org_id: b.drafting_org.filter(|o| *o > 0), note: b.note };
    Ok(state.store.set_interpretation_need(ctx, actor, id, need).await?)
}

/// The editor's view of an item's interpretation side.
pub async fn editor_view(state: &AppState, item: &Item) -> Result<EditorInterp, AppError> {
    let settings = state.store.site_settings().await?;
    let row = state.store.interpretation(item.id).await?;
    let policy_ids = state.store.interpreted_policies(item.id).await?;
    let mut policies = Vec::new();
    for p in &policy_ids {
        if let Some(i) = state.store.item(*p).await? {
            policies.push((i.id, i.title));
        }
    }
    let need = state.store.interpretation_need(item.id).await?;
    let by_genre = needs(&item.genre, None, &settings.interpretation_genres);
    let needed = needs(&item.genre, need.needed, &settings.interpretation_genres);
    let mut interpretations = Vec::new();
    for i in state.store.interpretations_of(item.id).await? {
        interpretations.push((i.id, i.title, i.state.0.label().to_string()));
    }
    let coverage = match (needed, item.public_rev, item.published_at) {
        (true, Some(_), Some(at)) => {
            let cal = state.calendar().await?;
            let on = gongkai_core::index_no::beijing_date(at);
            let first = state
                .store
                .public_interpretations_of(item.id)
                .await?
                .iter()
                .map(|p| gongkai_core::index_no::beijing_date(p.published_at))
                .min();
            let c = gongkai_core::interpretation::coverage(
                &cal,
                on,
                first,
                settings.interpretation_days,
                gongkai_core::index_no::beijing_date(state.now()),
            )?;
            let due = gongkai_core::interpretation::clock(on, settings.interpretation_days).due_on(&cal).ok();
            Some((c.label().to_string(), due))
        }
        _ => None,
    };
    let details = row.as_ref().map(|r| r.details.clone()).unwrap_or_default();
    let is_interpretation = !policy_ids.is_empty();
    Ok(EditorInterp {
        is_interpretation,
        form: row.as_ref().map(|r| r.form.as_str()).unwrap_or("text").to_string(),
        policies_text: policy_ids.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"),
        policies,
        missing: if is_interpretation {
            missing_elements(&details).iter().map(|e| e.label()).collect()
        } else {
            Vec::new()
        },
        details,
        needed,
        need,
        by_genre,
        interpretations,
        coverage,
    })
}

/// An interpretation as its public page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicInterp {
    pub form: String,
    pub form_label: String,
    /// The policies it interprets that are public: (id, title).
    pub policies: Vec<(i64, String)>,
    /// (label, text) of the elements filled, in the seed's order.
    pub elements: Vec<(String, String)>,
    pub alt_text: String,
    pub media_url: String,
    pub speaker: String,
    /// The press conference it belongs to: (id, title).
    pub press: Option<(i64, String)>,
}

/// A policy's public interpretations, grouped by form.
pub type ByForm = Vec<(&'static str, Vec<PublicInterpretation>)>;

/// The interpretation side of a public item: what it interprets (if it is an interpretation)
/// and its own interpretations by form (if it is a policy).
pub async fn public_view(state: &AppState, id: i64) -> Result<(Option<PublicInterp>, ByForm), AppError> {
    let policy_ids = state.store.interpreted_policies(id).await?;
    let own = if policy_ids.is_empty() {
        None
    } else {
        let row = state.store.interpretation(id).await?;
        let (form, d) = row.map(|r| (r.form, r.details)).unwrap_or((InterpForm::Text, InterpDetails::default()));
        let mut policies = Vec::new();
        for p in policy_ids {
            if let Some(t) = crate::app::items::public_title(state, p).await? {
                policies.push(t);
            }
        }
        let press = match d.press_id {
            Some(p) => state
                .store
                .press_event(p)
                .await?
                .filter(|e| e.state == gongkai_core::press::PressState::Held)
                .map(|e| (e.id, e.title)),
            None => None,
        };
        let elements = Element::ALL
            .iter()
            .filter_map(|e| {
                d.elements.get(e.as_str()).filter(|t| !t.trim().is_empty()).map(|t| (e.label().to_string(), t.clone()))
            })
            .collect();
        Some(PublicInterp {
            form: form.as_str().to_string(),
            form_label: form.label().to_string(),
            policies,
            elements,
            alt_text: d.alt_text,
            media_url: d.media_url,
            speaker: d.speaker,
            press,
        })
    };
    let mut by_form: ByForm = Vec::new();
    for i in state.store.public_interpretations_of(id).await? {
        let label = i.form_label();
        match by_form.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(i),
            None => by_form.push((label, vec![i])),
        }
    }
    Ok((own, by_form))
}

/// A page of the public 政策解读 list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InterpList {
    #[schema(value_type = Vec<Object>)]
    #[serde(serialize_with = "serialize_rows")]
    pub rows: Vec<PublicInterpretation>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

fn serialize_rows<S: serde::Serializer>(rows: &[PublicInterpretation], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(rows.len()))?;
    for r in rows {
        seq.serialize_element(&serde_json::json!({
            "id": r.id, "title": r.title, "org_name": r.org_name, "published_at": r.published_at,
            "form": r.form, "form_label": r.form_label(),
        }))?;
    }
    seq.end()
}

/// Rows per page of the public list.
pub const PAGE: i64 = 20;

/// The public list: of one org's sub-site (its code) or all, in one form, a page.
pub async fn public_list(
    state: &AppState,
    org_code: Option<&str>,
    form: Option<&str>,
    page: i64,
) -> Result<InterpList, AppError> {
    let orgs = match org_code {
        Some(c) => vec![crate::app::orgs::by_code(state, c).await?.id],
        None => Vec::new(),
    };
    let form = form.and_then(InterpForm::parse);
    let page = page.max(1);
    let (rows, total) = state.store.public_interpretation_list(&orgs, form, PAGE, (page - 1) * PAGE).await?;
    Ok(InterpList { rows, total, page, pages: ((total + PAGE - 1) / PAGE).max(1) })
}

/// A policy's coverage as supervision and dashboards show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageRow {
    pub id: i64,
    pub title: String,
    pub org_id: i64,
    pub responsible_org_id: i64,
    pub published_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub interpreted_on: Option<NaiveDate>,
    pub status: String,
    pub covered: bool,
    pub on_time: bool,
    /// Still due (not overdue).
    pub due: bool,
    pub missing: bool,
}

/// Coverage of the policies published in `year` that need an interpretation: a page of
/// those in `scope` (see [`gongkai_store::CoverageScope`]), newest first, and whether
/// another page follows.
pub async fn coverage(
    state: &AppState,
    year: i32,
    scope: gongkai_store::CoverageScope<'_>,
) -> Result<(Vec<CoverageRow>, bool), AppError> {
    let settings = state.store.site_settings().await?;
    let period = (crate::util::beijing_year_start(year), crate::util::beijing_year_start(year + 1));
    let list = state.store.interpretation_coverage(&settings.interpretation_genres, period, scope).await?;
    let cal = state.calendar().await?;
    let today = gongkai_core::index_no::beijing_date(state.now());
    let mut out = Vec::new();
    for r in list.rows {
        let on = gongkai_core::index_no::beijing_date(r.published_at);
        let interpreted_on = r.interpreted_at.map(gongkai_core::index_no::beijing_date);
        let c = gongkai_core::interpretation::coverage(&cal, on, interpreted_on, settings.interpretation_days, today)?;
        out.push(CoverageRow {
            id: r.id,
            title: r.title,
            org_id: r.org_id,
            responsible_org_id: r.responsible_org_id,
            published_on: on,
            due_on: gongkai_core::interpretation::clock(on, settings.interpretation_days).due_on(&cal).ok(),
            interpreted_on,
            status: c.label().to_string(),
            covered: c.covered(),
            on_time: c == Coverage::OnTime,
            due: matches!(c, Coverage::Due(_)),
            missing: c == Coverage::Missing,
        });
    }
    Ok((out, list.more))
}

/// The coverage figures of the policies published in `year`, per org answering for them,
/// counted by the store (every policy, not a page of rows).
pub async fn counts(state: &AppState, year: i32) -> Result<Counts, AppError> {
    counts_between(state, (crate::util::beijing_year_start(year), crate::util::beijing_year_start(year + 1))).await
}

/// [`gongkai_store::CoverageCounts`] by answering org.
pub type Counts = std::collections::HashMap<i64, gongkai_store::CoverageCounts>;

/// The coverage figures of the policies published from `from` (inclusive) to `to`.
pub async fn counts_between(
    state: &AppState,
    period: (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
) -> Result<Counts, AppError> {
    let settings = state.store.site_settings().await?;
    let cal = state.calendar().await?;
    let today = gongkai_core::index_no::beijing_date(state.now());
    let rules = (settings.interpretation_genres.as_slice(), settings.interpretation_days);
    Ok(state.store.interpretation_counts(rules, &cal, period, today).await?)
}

/// The coverage rows behind the supervision figures: a page of the policies answered by
/// the orgs the staff member supervises, or by one of them; with that org's name and every
/// org's name by id.
pub async fn supervised_coverage(
    state: &AppState,
    actor: &Actor,
    year: i32,
    org: Option<i64>,
    page: u32,
) -> Result<Supervised, AppError> {
    let orgs = state.store.orgs().await?;
    let name = org
        .and_then(|o| orgs.iter().find(|x| x.id == o))
        .filter(|o| actor.may_supervise(&o.path).is_ok())
        .map(|o| o.name.clone());
    let scope = gongkai_store::CoverageScope {
        org: &actor.org_path,
        tree: actor.is_overseer(),
        answered_only: true,
        responsible: org,
        page: page.max(1),
    };
    let (rows, more) = coverage(state, year, scope).await?;
    Ok(Supervised {
        org_name: name,
        rows,
        orgs: orgs.into_iter().map(|o| (o.id, o.name)).collect(),
        page: page.max(1),
        more,
    })
}

/// The coverage rows a supervisor sees, with the org asked for and every org's name.
pub struct Supervised {
    pub org_name: Option<String>,
    pub rows: Vec<CoverageRow>,
    pub orgs: std::collections::HashMap<i64, String>,
    /// The page, from 1 ([`gongkai_store::interpretations::COVERAGE_PAGE`] policies each).
    pub page: u32,
    /// Another page follows.
    pub more: bool,
}
