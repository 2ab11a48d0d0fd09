//! Items (信息), the use cases: drafting and saving the working copy, the workflow
//! transitions (submit, secrecy review, approval, publication, withdrawal, validity), the
//! privacy check and one-click de-identification, the interpreted policy, the register,
//! and the lists and pages the public reads. The workflow itself is `core::item`.

use crate::{AppError, AppState};
use gongkai_core::item::{Command, ItemState};
use gongkai_core::privacy::{self, Finding};
use gongkai_core::{Actor, Role};
use gongkai_store::AuditCtx;
pub use gongkai_store::{
    Attachment, Item, ItemDraft, ItemEvent, Org, PublicItem, PublicQuery, RegisterRow, Section, TransitionExtra,
};

/// Topics and genres must come from the lists in force (imports keep theirs). Answers the
/// problems by field (`topic`, `genre`).
pub async fn vocabulary_problems(state: &AppState, topic: &str, genre: &str) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let topic = topic.trim();
    if !topic.is_empty() && !state.topics().await.iter().any(|t| t == topic) {
        problems.push(("topic", format!("主题分类「{topic}」不在分类表中（见 /api/v1/topics）")));
    }
    let genre = genre.trim();
    if !genre.is_empty() && !state.genres().await.iter().any(|g| g == genre) {
        problems.push(("genre", format!("体裁分类「{genre}」不在分类表中（见 /api/v1/genres）")));
    }
    problems
}

/// The org an item belongs to.
pub async fn org_of(state: &AppState, item: &Item) -> Result<Org, AppError> {
    state.store.org_by_id(item.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))
}

/// An item for staff who may see its working copy: its own org, or supervisors above it.
pub async fn staff_item(state: &AppState, actor: &Actor, id: i64) -> Result<(Item, Org), AppError> {
    let item = state.store.item(id).await?.ok_or_else(|| AppError::NotFound(format!("信息 {id}")))?;
    let org = org_of(state, &item).await?;
    actor.may_supervise(&org.path)?;
    Ok((item, org))
}

/// Drafts an item in `org`.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org: &Org,
    draft: ItemDraft,
) -> Result<Item, AppError> {
    Ok(state.store.create_item(ctx, actor, org.id, draft).await?)
}

/// The public item a draft would become if it were published now, for the editor's
/// preview: the text as the store keeps it (the body through the same sanitiser), the
/// issuer defaulting to the org, the item's 索引号 (none yet for a new one). Nothing is
/// stored.
pub fn preview(state: &AppState, org: &Org, editing: Option<&Item>, draft: ItemDraft) -> Result<PublicItem, AppError> {
    let d = gongkai_store::items::as_kept(draft)?;
    let now = state.now();
    Ok(PublicItem {
        id: editing.map(|i| i.id).unwrap_or(0),
        org_id: org.id,
        org_code: org.code().to_string(),
        org_name: org.name.clone(),
        title: d.title,
        doc_no: d.doc_no,
        index_no: editing.and_then(|i| i.index_no.clone()),
        issuer_name: if d.issuer_name.is_empty() { org.name.clone() } else { d.issuer_name },
        co_issuers: gongkai_store::items::JsonList(d.co_issuers),
        topic: d.topic,
        genre: d.genre,
        section_id: d.section_id,
        written_on: d.written_on,
        published_at: now,
        repealed_on: None,
        validity: gongkai_core::item::Validity::Valid.as_str().to_string(),
        summary: d.summary,
        body: d.body,
        disclosure_attr: d.disclosure_attr.map(|a| a.as_str().to_string()).unwrap_or_default(),
        withheld_parts: d.withheld_parts,
        channels: gongkai_store::items::JsonList(d.channels),
        replaced_by: None,
        rev: 1,
        revised_at: now,
        reprinted_from: d.reprinted_from,
        reprint_url: d.reprint_url,
    })
}

/// Saves the working copy (`version`: the one the editor started from, if known).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    draft: ItemDraft,
    version: Option<i64>,
) -> Result<Item, AppError> {
    Ok(state.store.update_item(ctx, actor, id, draft, version).await?)
}

/// The working copy as a draft, every field kept.
pub fn draft_of(item: &Item) -> ItemDraft {
    ItemDraft {
        title: item.title.clone(),
        doc_no: item.doc_no.clone(),
        issuer_name: item.issuer_name.clone(),
        co_issuers: item.co_issuers.0.clone(),
        topic: item.topic.clone(),
        genre: item.genre.clone(),
        section_id: item.section_id,
        written_on: item.written_on,
        summary: item.summary.clone(),
        body: item.body.clone(),
        disclosure_attr: item.disclosure_attr.0,
        withhold_reason: item.withhold_reason.clone(),
        withheld_parts: item.withheld_parts.clone(),
        withhold_review_on: item.withhold_review_on,
        channels: item.channels.0.clone(),
        privacy_exception: item.privacy_exception.clone(),
        reprinted_from: item.reprinted_from.clone(),
        reprint_url: item.reprint_url.clone(),
    }
}

/// What one-click de-identification did.
#[derive(Debug, Default)]
pub struct Deidentified {
    /// Whether the title, summary or body changed.
    pub text: bool,
    /// Word and Excel attachments masked inside, as a new revision of the file: (name, how
    /// many paragraphs or cells changed).
    pub files: Vec<(String, usize)>,
    /// Attachments whose findings cannot be masked here (PDF, OFD, images, `.doc`/`.xls`,
    /// an unreadable file): (name, its kind's label). Publication stays blocked until the
    /// file is replaced or the exception justified.
    pub kept: Vec<(String, &'static str)>,
}

/// Masks every maskable finding (ID, phone and bank card numbers, e-mail addresses) in the
/// working copy's title, summary and body, and inside its Word and Excel attachments (each
/// masked file replaces the old one as its new revision); every other field is kept. The
/// attachments it cannot mask are answered, for the editor to replace or justify.
pub async fn deidentify(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64) -> Result<Deidentified, AppError> {
    use gongkai_formats::masking::{self, Office};
    use gongkai_store::files::FileKind;
    let (item, org) = staff_item(state, actor, id).await?;
    actor.may_work_in(Role::Editor, &org.path)?;
    let mut done = Deidentified::default();
    for att in state.store.attachments(item.id).await?.into_iter().filter(|a| !a.remove_pending) {
        if !privacy::scan("", &att.text, &[]).iter().any(|f| f.kind.maskable()) {
            continue;
        }
        let kind = att.kind();
        let office = match kind {
            Some(FileKind::Docx) => Office::Docx,
            Some(FileKind::Xlsx) => Office::Xlsx,
            _ => {
                done.kept.push((att.name.clone(), kind.map(|k| k.label()).unwrap_or("文件")));
                continue;
            }
        };
        let bytes = crate::app::attachments::content(state, &att).await?;
        let masked = tokio::task::spawn_blocking(move || masking::mask(office, &bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let Ok(Some(masked)) = masked else {
            done.kept.push((att.name.clone(), kind.map(|k| k.label()).unwrap_or("文件")));
            continue;
        };
        let texts = masked.texts;
        crate::app::attachments::replace(state, actor, ctx, item.id, att.id, masked.bytes).await?;
        done.files.push((att.name.clone(), texts));
    }
    // The attachments' edits moved the working copy on: mask the text of its latest version.
    let item = state.store.item(id).await?.ok_or_else(|| AppError::NotFound(format!("信息 {id}")))?;
    let draft = ItemDraft {
        title: privacy::deidentify(&item.title),
        summary: privacy::deidentify(&item.summary),
        body: privacy::deidentify(&item.body),
        ..draft_of(&item)
    };
    done.text = draft.title != item.title || draft.summary != item.summary || draft.body != item.body;
    if done.text {
        update(state, actor, ctx, id, draft, Some(item.version)).await?;
    }
    Ok(done)
}

impl Deidentified {
    /// What happened, as the editor reads it.
    pub fn message(&self) -> String {
        let mut parts = Vec::new();
        if self.text {
            parts.push("标题、内容概述和正文中的个人信息已按规则遮盖".to_string());
        }
        for (name, n) in &self.files {
            parts.push(format!("附件“{name}”已在文件内遮盖 {n} 处，生成新版本替换原文件（原文件随下次发布删除）"));
        }
        for (name, label) in &self.kept {
            parts.push(format!(
                "附件“{name}”是{label}文件，平台无法在文件内遮盖：请上传处理后的文件替换，或在「隐私检查例外说明」中写明理由；在此之前不能提交发布"
            ));
        }
        if parts.is_empty() {
            return "没有可自动遮盖的个人信息（密级标志和负面清单词语须人工删改或说明理由）".into();
        }
        format!("{}。", parts.join("；"))
    }
}

/// Applies a workflow command (the site's negative list joins the privacy check).
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    cmd: Command,
    extra: TransitionExtra,
) -> Result<Item, AppError> {
    Ok(state.store.apply(ctx, actor, id, cmd, extra, &state.config.negative_list).await?)
}

/// What the privacy check finds in the working copy and its attachments' text.
pub async fn privacy_findings(state: &AppState, item: &Item) -> Result<Vec<Finding>, AppError> {
    Ok(state.store.privacy_findings(item, &state.config.negative_list).await?)
}

/// An org's working copies for its staff, newest first, optionally in one state.
pub async fn in_org(state: &AppState, org: &Org, st: Option<ItemState>, limit: i64) -> Result<Vec<Item>, AppError> {
    Ok(state.store.items_in_org(org.id, st, limit).await?)
}

/// How many of the org's items are in each state (the dashboard's queues), in one query.
pub async fn state_counts(state: &AppState, org_id: i64) -> Result<Vec<(ItemState, i64)>, AppError> {
    Ok(state.store.item_state_counts(org_id).await?)
}

/// The publication register: an org's (newest first) or one item's.
pub async fn register(
    state: &AppState,
    org: Option<&Org>,
    item: Option<i64>,
    limit: i64,
) -> Result<Vec<RegisterRow>, AppError> {
    Ok(state.store.register(org.map(|o| o.id), item, limit).await?)
}

/// What the editor page shows beside the form.
pub struct Workbench {
    pub attachments: Vec<Attachment>,
    /// The item as an interpretation, and as a policy that may need one.
    pub interp: crate::app::interpretations::EditorInterp,
    /// The item as a 公示 or the result of one.
    pub notice: crate::app::public_notices::EditorNotice,
    /// The consultations it is the final policy of (意见采纳情况 before publication).
    pub holds: Vec<crate::app::consultations::FinalHold>,
    pub events: Vec<EventLine>,
    pub findings: Vec<Finding>,
    /// The published body, when the working copy has changed since.
    pub published_body: Option<String>,
}

/// One line of an item's history as staff read it: Beijing time, the person's name, what
/// was done in words.
pub struct EventLine {
    pub at: String,
    pub who: String,
    pub what: &'static str,
    pub comment: String,
}

/// The item's history, oldest first, with people named.
async fn history(state: &AppState, item_id: i64) -> Result<Vec<EventLine>, AppError> {
    let events: Vec<ItemEvent> = state.store.item_events(item_id).await?;
    let mut names: Vec<&str> = events.iter().map(|e| e.actor.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let shown = state.store.display_names(&names).await?;
    Ok(events
        .iter()
        .map(|e| EventLine {
            at: crate::util::beijing(&e.at),
            who: match shown.get(&e.actor) {
                Some(name) if name != &e.actor => format!("{name}（{}）", e.actor),
                _ => gongkai_core::audit::who_label(&e.actor).to_string(),
            },
            what: gongkai_core::item::event_label(&e.event),
            comment: e.comment.clone(),
        })
        .collect())
}

/// The editor's context of an item.
pub async fn workbench(state: &AppState, item: &Item) -> Result<Workbench, AppError> {
    let interp = crate::app::interpretations::editor_view(state, item).await?;
    let notice = crate::app::public_notices::editor_view(state, item).await?;
    let published_body = match item.public_rev {
        Some(_) if item.state.0 != ItemState::Published => state.store.public_item(item.id).await?.map(|p| p.body),
        _ => None,
    };
    Ok(Workbench {
        attachments: state.store.attachments(item.id).await?,
        interp,
        notice,
        holds: crate::app::consultations::holds_on_final(state, item.id).await?,
        events: history(state, item.id).await?,
        findings: privacy_findings(state, item).await?,
        published_body,
    })
}

/// A public item.
pub async fn public(state: &AppState, id: i64) -> Result<PublicItem, AppError> {
    state.store.public_item(id).await?.ok_or_else(|| AppError::NotFound(format!("信息 {id}")))
}

/// A public item's title, if it is public.
pub async fn public_title(state: &AppState, id: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(state.store.public_item(id).await?.map(|p| (p.id, p.title)))
}

/// A page of public items and how many match.
pub async fn public_list(state: &AppState, query: &PublicQuery) -> Result<(Vec<PublicItem>, i64), AppError> {
    // The count is kept (a count over a million items per render was the catalog page's
    // whole cost); the page of rows is read every time.
    let counted = PublicQuery { page: 1, per_page: 1, ..query.clone() };
    let key = format!("public_count:{counted:?}");
    let total = state
        .figures
        .get_or(key, state.figures_version(), || async { state.store.public_count(&counted).await })
        .await?;
    let (items, _) = state.store.public_items(&PublicQuery { count_up_to: Some(0), ..query.clone() }).await?;
    Ok((items, total))
}

/// An org's sections with how many public items each holds (kept between changes).
pub async fn public_section_counts(state: &AppState, org: &Org) -> Result<Vec<(i64, i64)>, AppError> {
    let key = format!("section_counts:{}", org.id);
    let id = org.id;
    Ok(state
        .figures
        .get_or(key, state.figures_version(), || async { state.store.public_section_counts(id).await })
        .await?)
}

/// A section of an org.
pub async fn section_of(state: &AppState, org: &Org, id: i64) -> Result<Option<Section>, AppError> {
    Ok(state.store.section(id).await?.filter(|s| s.org_id == org.id))
}

/// The files of a public item's published revision.
pub async fn public_files(state: &AppState, item: &PublicItem) -> Result<Vec<Attachment>, AppError> {
    Ok(state.store.public_attachments(item.id, item.rev).await?)
}

/// The matters of the 政务公开负面清单 an item of `org` may be withheld on, and the one it
/// names.
pub async fn withhold_grounds(
    state: &AppState,
    item: &Item,
) -> Result<(Vec<gongkai_store::lists::Matter>, Option<gongkai_store::lists::Matter>), AppError> {
    let org = org_of(state, item).await?;
    Ok((state.store.negative_matters(&org.path).await?, state.store.withhold_ground(item.id).await?))
}

/// Names the matter of the 负面清单 an item is withheld on (`None`: none).
pub async fn set_withhold_ground(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    row: Option<i64>,
) -> Result<(), AppError> {
    state.store.set_withhold_ground(ctx, actor, id, row).await.map_err(|e| match e {
        gongkai_store::StoreError::Invalid(m) => AppError::invalid_field("invalid_ground", "ground", m),
        other => other.into(),
    })
}
