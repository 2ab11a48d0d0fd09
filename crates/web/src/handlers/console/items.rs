//! Items in the console: the org's working list by state, the editor (every catalog field,
//! the disclosure attribute with its ground, the body as text or HTML), the privacy
//! findings of the working copy with one-click de-identification, the changes against the
//! published version, the workflow actions the staff member may take (submit, review,
//! approve, publish now or at a time, withdraw) with 退文 reasons shown in place, the
//! item's history, and the org's publication register.

use super::CsrfForm;
use crate::app::items::{self, Item, ItemDraft, Org, RegisterRow, Section, TransitionExtra};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use gongkai_core::item::{Command, Decision, DisclosureAttr, ItemState, Reprint};
use gongkai_core::{Actor, Role};
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub state: &'static str,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/items.html")]
pub struct ListPage {
    pub csrf: String,
    pub org: Org,
    pub rows: Vec<Row>,
    pub state: String,
    pub states: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
}

async fn own_org(state: &AppState, actor: &Actor) -> Result<Org, AppError> {
    crate::app::orgs::own(state, actor).await
}

/// `/admin/items`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let org = own_org(&state, &staff.actor).await?;
    let filter = q.state.as_deref().and_then(ItemState::parse);
    let items = items::in_org(&state, &org, filter, 200).await?;
    let rows = items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            title: i.title,
            state: i.state.0.label(),
            updated: crate::util::beijing(&i.updated_at),
        })
        .collect();
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        org,
        rows,
        state: filter.map(|s| s.as_str().to_string()).unwrap_or_default(),
        states: ItemState::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
    })
}

/// The editor's form values.
#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    pub csrf: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub doc_no: String,
    #[serde(default)]
    pub issuer_name: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub genre: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub written_on: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub disclosure_attr: String,
    #[serde(default)]
    pub withhold_reason: String,
    #[serde(default)]
    pub withheld_parts: String,
    #[serde(default)]
    pub withhold_review_on: String,
    #[serde(default)]
    pub privacy_exception: String,
    #[serde(default)]
    pub reprinted_from: String,
    #[serde(default)]
    pub reprint_url: String,
}

impl ItemForm {
    fn from_item(i: &Item) -> Self {
        ItemForm {
            csrf: String::new(),
            version: i.version.to_string(),
            title: i.title.clone(),
            doc_no: i.doc_no.clone(),
            issuer_name: i.issuer_name.clone(),
            topic: i.topic.clone(),
            genre: i.genre.clone(),
            section: i.section_id.map(|s| s.to_string()).unwrap_or_default(),
            written_on: i.written_on.map(|d| d.to_string()).unwrap_or_default(),
            summary: i.summary.clone(),
            body: i.body.clone(),
            disclosure_attr: i.disclosure_attr.0.map(|a| a.as_str().to_string()).unwrap_or_default(),
            withhold_reason: i.withhold_reason.clone(),
            withheld_parts: i.withheld_parts.clone(),
            withhold_review_on: i.withhold_review_on.map(|d| d.to_string()).unwrap_or_default(),
            privacy_exception: i.privacy_exception.clone(),
            reprinted_from: i.reprinted_from.clone(),
            reprint_url: i.reprint_url.clone(),
        }
    }

    /// The draft as far as the form describes it, for a preview: a date that does not parse
    /// is left out rather than refused (saving refuses it, next to its field).
    fn preview_draft(&self, editing: Option<&Item>) -> ItemDraft {
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        ItemDraft {
            title: self.title.clone(),
            doc_no: self.doc_no.clone(),
            issuer_name: self.issuer_name.clone(),
            co_issuers: editing.map(|i| i.co_issuers.0.clone()).unwrap_or_default(),
            topic: self.topic.trim().to_string(),
            genre: self.genre.trim().to_string(),
            section_id: self.section.trim().parse().ok(),
            written_on: date(&self.written_on),
            summary: self.summary.clone(),
            body: self.body_html(),
            disclosure_attr: DisclosureAttr::parse(&self.disclosure_attr),
            withhold_reason: self.withhold_reason.clone(),
            withheld_parts: self.withheld_parts.clone(),
            withhold_review_on: date(&self.withhold_review_on),
            channels: editing.map(|i| i.channels.0.clone()).unwrap_or_default(),
            privacy_exception: self.privacy_exception.clone(),
            reprinted_from: self.reprinted_from.trim().to_string(),
            reprint_url: self.reprint_url.trim().to_string(),
        }
    }

    /// The body as HTML: text without tags is paragraphs; anything else is HTML (sanitised
    /// by the store).
    fn body_html(&self) -> String {
        if self.body.contains('<') { self.body.clone() } else { gongkai_core::html::from_plain_text(&self.body) }
    }

    /// The draft the form describes; what the form does not edit (co-issuers, channels) is
    /// kept from the item being edited.
    async fn draft(&self, state: &AppState, editing: Option<&Item>) -> Result<ItemDraft, AppError> {
        // Every field is checked, so each error is shown next to its field at once.
        let mut errors: Vec<(&'static str, String)> = items::vocabulary_problems(state, &self.topic, &self.genre).await;
        let mut date = |field: &'static str, label: &str, s: &str| -> Option<NaiveDate> {
            match s.trim() {
                "" => None,
                t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| errors.push((field, format!("{label}「{t}」格式有误，应为 YYYY-MM-DD"))))
                    .ok(),
            }
        };
        let written_on = date("written_on", "成文日期", &self.written_on);
        let withhold_review_on = date("withhold_review_on", "复核日期", &self.withhold_review_on);
        let reprint = Reprint { from: self.reprinted_from.trim().into(), url: self.reprint_url.trim().into() };
        if let Err(e) = reprint.check() {
            errors.push((e.field(), e.to_string()));
        }
        if !errors.is_empty() {
            return Err(AppError::invalid_fields("invalid_field", errors));
        }
        Ok(ItemDraft { written_on, withhold_review_on, ..self.preview_draft(editing) })
    }
}

pub struct Change {
    pub kind: &'static str,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/item.html")]
pub struct EditorPage {
    pub csrf: String,
    pub org: Org,
    pub item: Option<Item>,
    pub form: ItemForm,
    pub topics: Vec<String>,
    pub genres: Vec<String>,
    pub sections: Vec<Section>,
    pub attrs: Vec<(&'static str, &'static str)>,
    pub message: Option<String>,
    /// What an action did, when it has more to say than its result shows.
    pub done: Option<String>,
    pub problems: Vec<String>,
    /// Errors by field (shown next to the field).
    pub fields: crate::error::FieldErrors,
    pub findings: Vec<String>,
    /// Wrong forms in the working copy (`core::wording`), as the editor reads them.
    pub slips: Vec<String>,
    pub events: Vec<items::EventLine>,
    pub changes: Vec<Change>,
    pub actions: Vec<&'static str>,
    /// The working copy's attachments.
    pub attachments: Vec<AttachmentRow>,
    /// The item as an interpretation and as a policy that may need one.
    pub interp: crate::app::interpretations::EditorInterp,
    /// The item as a 公示 or the result of one.
    pub notice: crate::app::public_notices::EditorNotice,
    /// The consultations it is the final policy of.
    pub holds: Vec<crate::app::consultations::FinalHold>,
    pub notice_stages: Vec<(&'static str, &'static str)>,
    /// The item as a 清理 decision (清理结果).
    pub cleanup: crate::app::cleanups::EditorCleanup,
    /// The matters of the 负面清单 it may be withheld on, and the one it names.
    pub matters: Vec<gongkai_store::lists::Matter>,
    pub ground: Option<gongkai_store::lists::Matter>,
    pub notice_units: Vec<(&'static str, &'static str)>,
    /// Forms and elements for the interpretation form.
    pub interp_forms: Vec<(&'static str, &'static str)>,
    pub interp_elements: Vec<(&'static str, &'static str, bool)>,
    /// Orgs that may draft a policy's interpretation: (id, name).
    pub drafting_orgs: Vec<(i64, String)>,
    /// The org's held press conferences, for 新闻发布会解读: (id, title).
    pub conferences: Vec<(i64, String)>,
    /// Where the item was republished (政务新媒体): (account, day, link).
    pub republications: Vec<(String, chrono::NaiveDate, String)>,
    /// The active accounts it may be recorded as republished on: (id, label).
    pub media_accounts: Vec<(i64, String)>,
    pub today: String,
}

/// An attachment as the editor lists it.
pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub label: &'static str,
    pub size: String,
    /// 已公开 / 待发布 / 待删除.
    pub status: &'static str,
}

/// The actions the actor may try on an item in its state (the store decides for good).
/// What the actor may do with the item here, as buttons (一键去标识化 only when the privacy
/// check found something: an empty 办理 panel told a published item's editor nothing).
fn actions(actor: &Actor, item: &Item, has_findings: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    let s = item.state.0;
    if actor.has(Role::Editor) && s == ItemState::Draft {
        out.push("submit");
    }
    if actor.has(Role::Reviewer) && s == ItemState::Submitted {
        out.push("review");
    }
    if actor.has(Role::Approver) && s == ItemState::Reviewed {
        out.push("approve");
    }
    // As `core::item::transition`: the editor or the approver publishes an approved item.
    if (actor.has(Role::Editor) || actor.has(Role::Approver)) && s == ItemState::Approved {
        out.push("publish");
    }
    if actor.has(Role::Approver) && item.public_rev.is_some() && s != ItemState::Withdrawn {
        out.push("withdraw");
    }
    if actor.has(Role::Editor) && !matches!(s, ItemState::Withdrawn) && has_findings {
        out.push("deidentify");
    }
    out
}

/// Line changes between the published text and the working copy.
fn changes(published: &str, working: &str) -> Vec<Change> {
    let old = gongkai_core::html::to_text(published);
    let new = gongkai_core::html::to_text(working);
    if old == new {
        return Vec::new();
    }
    let diff = similar::TextDiff::from_lines(&old, &new);
    diff.iter_all_changes()
        .filter(|c| !c.value().trim().is_empty())
        .map(|c| Change {
            kind: match c.tag() {
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Insert => "ins",
                similar::ChangeTag::Equal => "eq",
            },
            text: c.value().trim_end().to_string(),
        })
        .collect()
}

async fn editor(
    state: &AppState,
    staff: &Staff,
    item: Option<Item>,
    form: Option<ItemForm>,
    refusal: Option<&AppError>,
) -> Result<EditorPage, AppError> {
    let org = match &item {
        Some(i) => items::org_of(state, i).await?,
        None => own_org(state, &staff.actor).await?,
    };
    staff.actor.may_supervise(&org.path)?;
    let form = form.unwrap_or_else(|| item.as_ref().map(ItemForm::from_item).unwrap_or_default());
    let checker = crate::app::wording::checker_of(state, &org).await?;
    let slips = slips(&checker, &form);
    let bench = match &item {
        Some(i) => Some(items::workbench(state, i).await?),
        None => None,
    };
    let attachments = bench
        .as_ref()
        .map(|b| {
            b.attachments
                .iter()
                .map(|a| AttachmentRow {
                    id: a.id,
                    label: a.kind().map(|k| k.label()).unwrap_or("文件"),
                    size: crate::util::human_size(a.size),
                    status: match (a.added_rev.is_some(), a.remove_pending) {
                        (_, true) => "发布时删除",
                        (true, false) => "已公开",
                        (false, false) => "随下次发布公开",
                    },
                    name: a.name.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let (interp, notice, holds, events, findings, changes_, actions_) = match (&item, bench) {
        (Some(i), Some(b)) => {
            let findings: Vec<String> = b
                .findings
                .iter()
                .map(|f| format!("{}：{}（第 {} 个字起）「{}」", f.field_label(), f.kind.label(), f.start + 1, f.text))
                .collect();
            let changes_ = b.published_body.map(|p| changes(&p, &i.body)).unwrap_or_default();
            let acts = actions(&staff.actor, i, !findings.is_empty());
            (b.interp, b.notice, b.holds, b.events, findings, changes_, acts)
        }
        _ => (Default::default(), Default::default(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()),
    };
    let drafting_orgs = crate::app::orgs::within_top(state, &org).await?;
    let cleanup = match &item {
        Some(i) => crate::app::cleanups::editor_view(state, i, false).await?,
        None => Default::default(),
    };
    let (matters, ground) = match &item {
        Some(i) => items::withhold_grounds(state, i).await?,
        None => (Vec::new(), None),
    };
    let conferences = crate::app::press::held_conferences(state, org.id).await?;
    let (republications, media_accounts) = match &item {
        Some(i) if i.public_rev.is_some() => (
            crate::app::media::republications(state, i.id).await?,
            crate::app::media::accounts_for_item(state, &staff.actor).await?,
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let problems = match refusal {
        Some(AppError::Detailed { details, .. }) => details.problem_messages(),
        _ => Vec::new(),
    };
    Ok(EditorPage {
        csrf: staff.csrf.clone(),
        topics: state.topics().await,
        genres: state.genres().await,
        sections: crate::app::catalog::sections(state, &org).await?,
        attrs: DisclosureAttr::ALL.iter().map(|a| (a.as_str(), a.label())).collect(),
        org,
        item,
        form,
        message: refusal.map(ToString::to_string),
        done: None,
        slips,
        problems,
        fields: refusal.map(AppError::field_errors).unwrap_or_default(),
        findings,
        events,
        changes: changes_,
        actions: actions_,
        attachments,
        interp,
        notice,
        holds,
        notice_stages: crate::app::public_notices::stages(),
        cleanup,
        matters,
        ground,
        notice_units: crate::app::public_notices::units(),
        interp_forms: crate::app::interpretations::forms(),
        interp_elements: crate::app::interpretations::elements(),
        drafting_orgs,
        conferences,
        republications,
        media_accounts,
        today: state.today().to_string(),
    })
}

/// The wrong forms of the title and body being edited: 严重 first, with the right form.
fn slips(checker: &gongkai_core::wording::Checker, form: &ItemForm) -> Vec<String> {
    use gongkai_core::wording::Weight;
    checker
        .scan(&format!("{}\n{}", form.title, form.body))
        .into_iter()
        .map(|s| {
            let weight = if s.weight == Weight::Serious { "严重表述错误" } else { "错别字" };
            let times = if s.count > 1 { format!("（{} 处）", s.count) } else { String::new() };
            format!("{weight}：「{}」应为「{}」{times}", s.wrong, s.right)
        })
        .collect()
}

/// Answers a refusal by showing the editor again with the message (and the form as typed).
async fn refused(
    state: &AppState,
    staff: &Staff,
    item: Option<Item>,
    form: Option<ItemForm>,
    e: AppError,
) -> Result<Response, PageError> {
    let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
    Ok((status, editor(state, staff, item, form, Some(&e)).await?).into_response())
}

/// `/admin/items/new`.
pub async fn new(State(state): State<AppState>, staff: Staff) -> Result<EditorPage, PageError> {
    Ok(editor(&state, &staff, None, None, None).await?)
}

/// `POST /admin/items/new`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<ItemForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let draft = f.draft(&state, None).await?;
        let org = own_org(&state, &staff.actor).await?;
        items::create(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &org, draft).await
    }
    .await;
    match result {
        Ok(item) => Ok(Redirect::to(&format!("/admin/items/{}", item.id)).into_response()),
        Err(e) => refused(&state, &staff, None, Some(f), e).await,
    }
}

async fn load(state: &AppState, staff: &Staff, id: i64) -> Result<Item, AppError> {
    Ok(items::staff_item(state, &staff.actor, id).await?.0)
}

/// `/admin/items/{id}`.
#[derive(Deserialize)]
pub struct ShowQuery {
    /// `prefill`: start the 清理 list from every document in force.
    #[serde(default)]
    cleanup: String,
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<EditorPage, PageError> {
    let item = load(&state, &staff, id).await?;
    let mut page = editor(&state, &staff, Some(item.clone()), None, None).await?;
    if q.cleanup == "prefill" {
        page.cleanup = crate::app::cleanups::editor_view(&state, &item, true).await?;
    }
    Ok(page)
}

#[derive(Deserialize)]
pub struct GroundForm {
    csrf: String,
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    ground: Option<i64>,
}

/// `POST /admin/items/{id}/withhold-ground`: the matter of the 政务公开负面清单 the item is
/// withheld on (empty: none).
pub async fn withhold_ground(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<GroundForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let result =
        items::set_withhold_ground(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, f.ground.filter(|g| *g > 0))
            .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/items/{id}#ground")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

#[derive(Deserialize)]
pub struct CleanupForm {
    csrf: String,
    #[serde(default)]
    lines: String,
}

/// `POST /admin/items/{id}/cleanup`: the documents a 清理 decision lists, one per line
/// (编号 | 结果 | 理由 | 文件名称); empty: the item is no 清理 decision.
pub async fn cleanup(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<CleanupForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let body = crate::app::cleanups::parse_lines(&f.lines);
    let result = crate::app::cleanups::save(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, body).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/items/{id}#cleanup")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut page = editor(&state, &staff, Some(item), None, Some(&e)).await?;
            page.cleanup.text = f.lines;
            Ok((status, page).into_response())
        }
    }
}

/// `POST /admin/items/{id}`: save the working copy.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let result = async {
        let draft = f.draft(&state, Some(&item)).await?;
        let version = f.version.trim().parse().ok();
        items::update(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, draft, version).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/items/{id}")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), Some(f), e).await,
    }
}

/// `POST /admin/items/new/preview`: the page a new draft would have once published.
pub async fn preview_new(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ItemForm>,
) -> Result<crate::handlers::portal::item::ItemPage, PageError> {
    staff.check_csrf(&f.csrf)?;
    let org = own_org(&state, &staff.actor).await?;
    staff.actor.may_supervise(&org.path)?;
    let item = items::preview(&state, &org, None, f.preview_draft(None))?;
    Ok(crate::handlers::portal::item::preview(item))
}

/// `POST /admin/items/{id}/preview`: the page the working copy would have once published.
pub async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> Result<crate::handlers::portal::item::ItemPage, PageError> {
    staff.check_csrf(&f.csrf)?;
    let (item, org) = items::staff_item(&state, &staff.actor, id).await?;
    let public = items::preview(&state, &org, Some(&item), f.preview_draft(Some(&item)))?;
    Ok(crate::handlers::portal::item::preview(public))
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    confirm_exception: Option<String>,
    #[serde(default)]
    publish_at: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/items/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let decision =
        || Decision::parse(&f.decision).ok_or_else(|| AppError::invalid("invalid_decision", "请选择通过或退回"));
    let result: Result<Option<String>, AppError> = async {
        if action == "deidentify" {
            let done = items::deidentify(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id).await?;
            return Ok(Some(done.message()));
        }
        let (cmd, extra) = match action.as_str() {
            "submit" => (Command::Submit, TransitionExtra::default()),
            "review" => (
                Command::Review {
                    decision: decision()?,
                    comment: f.comment.clone(),
                    confirms_exception: f.confirm_exception.is_some(),
                },
                TransitionExtra::default(),
            ),
            "approve" => {
                (Command::Approve { decision: decision()?, comment: f.comment.clone() }, TransitionExtra::default())
            }
            "publish" => {
                let at = match f.publish_at.trim() {
                    "" => None,
                    t => Some(
                        NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
                            .ok()
                            .and_then(|n| {
                                chrono::FixedOffset::east_opt(8 * 3600).and_then(|o| o.from_local_datetime(&n).single())
                            })
                            .map(|t| t.with_timezone(&Utc))
                            .ok_or_else(|| AppError::invalid("invalid_time", "定时发布时间格式有误"))?,
                    ),
                };
                (Command::Publish, TransitionExtra { publish_at: at, ..Default::default() })
            }
            "withdraw" => (Command::Withdraw { reason: f.reason.clone() }, TransitionExtra::default()),
            _ => return Err(AppError::NotFound("操作".into())),
        };
        items::transition(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, cmd, extra).await?;
        Ok(None)
    }
    .await;
    match result {
        // De-identification says what it did, and what it could not do, on the page.
        Ok(Some(done)) => {
            let item = load(&state, &staff, id).await?;
            let mut page = editor(&state, &staff, Some(item), None, None).await?;
            page.done = Some(done);
            Ok(page.into_response())
        }
        Ok(None) => Ok(Redirect::to(&format!("/admin/items/{id}")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/register.html")]
pub struct RegisterPage {
    pub csrf: String,
    pub org: Org,
    pub rows: Vec<RegisterLine>,
    /// The office's 归档导出 form, for an overseer: the year offered first (last year).
    pub archive_year: Option<i32>,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
}

/// A register row as the clerk reads it: Beijing time, the event in words.
pub struct RegisterLine {
    pub row: RegisterRow,
    pub at: String,
    pub event: &'static str,
}

async fn register_page(state: &AppState, staff: &Staff, refused: Option<AppError>) -> Result<RegisterPage, PageError> {
    let org = own_org(state, &staff.actor).await?;
    let rows = items::register(state, Some(&org), None, 500)
        .await?
        .into_iter()
        .map(|row| RegisterLine {
            at: crate::util::beijing(&row.at),
            event: gongkai_core::item::event_label(&row.event),
            row,
        })
        .collect();
    let archive_year = staff.actor.is_overseer().then(|| chrono::Datelike::year(&state.today()) - 1);
    let (message, fields) = match refused {
        Some(e) => (Some(e.to_string()), e.field_errors()),
        None => (None, Default::default()),
    };
    Ok(RegisterPage { csrf: staff.csrf.clone(), org, rows, archive_year, message, fields })
}

/// `/admin/register`: the org's publication register.
pub async fn register(State(state): State<AppState>, staff: Staff) -> Result<RegisterPage, PageError> {
    register_page(&state, &staff, None).await
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    csrf: String,
    #[serde(default)]
    year: String,
}

/// `POST /admin/register/archive`: the org's year as a ZIP of its BagIt archive (条例 §25).
pub async fn archive(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<ArchiveForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let year = f.year.trim().parse::<i32>().map_err(|_| AppError::invalid_field("bad_year", "year", "请填写四位年份"));
    let made = match year {
        Ok(y) => crate::app::archive::zip_for(&state, &staff.actor, &audit_ctx(&staff.actor, ip), y).await,
        Err(e) => Err(e),
    };
    match made {
        Ok((name, bytes)) => Ok(crate::util::file_download("application/zip", &name, bytes)),
        Err(e) if e.form_refusal_status().is_some() => {
            let status = e.form_refusal_status().unwrap_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            Ok((status, register_page(&state, &staff, Some(e)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/items/{id}/attachments` (multipart: `csrf` first, then `file`).
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    crate::app::attachments::check_upload(&state, &staff.actor, id).await?;
    let upload = crate::handlers::files::read_upload(&state, &mut multipart).await?;
    staff.check_csrf(upload.fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let item = load(&state, &staff, id).await?;
    match crate::app::attachments::attach(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, upload).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/items/{id}#attachments")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

/// `POST /admin/items/{id}/attachments/{aid}/remove`.
pub async fn remove_attachment(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, aid)): Path<(i64, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    match crate::app::attachments::remove(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, aid).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/items/{id}#attachments")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

/// `/admin/items/{id}/attachments/{aid}`: a working attachment, for the staff who may see it.
pub async fn attachment(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    load(&state, &staff, id).await?;
    let att = crate::app::attachments::one(&state, &staff.actor, id, aid).await?;
    Ok(crate::handlers::files::serve_file(&att, crate::app::attachments::content(&state, &att).await?))
}

/// `POST /admin/items/{id}/interprets`: the item's interpretation side — the policies it
/// interprets (发文字号, 索引号 or 信息编号, one per line; none: not an interpretation), its
/// form, the content elements (`el_<code>`) and the form's own fields.
pub async fn interprets(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    staff.check_csrf(&get("csrf"))?;
    let item = load(&state, &staff, id).await?;
    let body = crate::app::interpretations::InterpBody {
        form: get("form"),
        policies: get("policies"),
        elements: f.iter().filter_map(|(k, v)| k.strip_prefix("el_").map(|c| (c.to_string(), v.clone()))).collect(),
        alt_text: get("alt_text"),
        media_url: get("media_url"),
        speaker: get("speaker"),
        press_id: get("press_id").trim().parse().ok(),
    };
    let result = crate::app::interpretations::save(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, body).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/items/{id}#interprets")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

#[derive(Deserialize)]
pub struct PublicNoticeForm {
    csrf: String,
    #[serde(flatten)]
    body: crate::app::public_notices::NoticeBody,
}

/// `POST /admin/items/{id}/public-notice`: the item as a 公示 (its period, objection channel
/// and promised result), as the result announcement of one, or neither.
pub async fn public_notice(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<PublicNoticeForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let result = crate::app::public_notices::save(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, f.body).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/items/{id}#public-notice")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}

#[derive(Deserialize)]
pub struct NeedForm {
    csrf: String,
    #[serde(flatten)]
    body: crate::app::interpretations::NeedBody,
}

/// `POST /admin/items/{id}/interpretation-need`: whether the policy needs an
/// interpretation (by genre, yes, no with the reason) and which org drafts it.
pub async fn interpretation_need(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<NeedForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let item = load(&state, &staff, id).await?;
    let result =
        crate::app::interpretations::set_need(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, f.body).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/items/{id}#need")).into_response()),
        Err(e) => refused(&state, &staff, Some(item), None, e).await,
    }
}
