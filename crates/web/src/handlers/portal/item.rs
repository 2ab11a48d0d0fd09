//! An item's public page: the metadata table as disclosure sites print it, a banner when the
//! item is no longer valid (with a link to what replaced it), the body, and a print view.

use crate::app::attachments;
use crate::app::interpretations::{ByForm, PublicInterp};
use crate::app::items::{self, PublicItem};
use crate::handlers::files::serve_file;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use gongkai_core::item::Validity;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/item.html")]
pub struct ItemPage {
    pub item: PublicItem,
    pub validity: Validity,
    pub published: String,
    pub revised: Option<String>,
    pub replacement: Option<(i64, String)>,
    pub print: bool,
    pub attachments: Vec<FileRow>,
    /// The item as an interpretation: its form, elements and the public policies it explains.
    pub interp: Option<PublicInterp>,
    /// The public interpretations of this item, by form.
    pub interpretations: ByForm,
    /// The gazette issues that carried it: (issue id, title and number).
    pub gazette: Vec<(i64, String)>,
    /// The item as a 公示 (its period, status and result) or as the result of one.
    pub notice: Option<crate::app::public_notices::NoticeView>,
    /// The documents the item (a published 清理结果) decided on.
    pub cleanup: Vec<crate::app::cleanups::RowView>,
    /// The 清理 decision that last named this document.
    pub cleaned_by: Option<gongkai_store::cleanups::CleanedBy>,
    /// A preview of a working copy for its editor: marked as such, kept out of search engines.
    pub preview: bool,
}

impl ItemPage {
    /// 《政府网站发展指引》's PubDate: the publication time in Beijing, `YYYY-MM-DD HH:MM`.
    pub fn pub_date(&self) -> String {
        gongkai_core::index_no::beijing(self.item.published_at).format("%Y-%m-%d %H:%M").to_string()
    }
}

pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub label: &'static str,
    pub size: String,
}

#[derive(Deserialize)]
pub struct PrintQuery {
    print: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PrintQuery>,
) -> Result<ItemPage, PageError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("信息".into()))?;
    let item = items::public(&state, id).await.map_err(|_| AppError::NotFound("信息".into()))?;
    let replacement = match item.replaced_by {
        Some(r) => items::public_title(&state, r).await?,
        None => None,
    };
    let published = gongkai_core::index_no::beijing(item.published_at).format("%Y-%m-%d").to_string();
    let revised = (item.rev > 1).then(|| crate::util::beijing(&item.revised_at));
    let attachments = items::public_files(&state, &item)
        .await?
        .into_iter()
        .map(|a| FileRow {
            id: a.id,
            label: a.kind().map(|k| k.label()).unwrap_or("文件"),
            size: crate::util::human_size(a.size),
            name: a.name,
        })
        .collect();
    let (interp, interpretations) = crate::app::interpretations::public_view(&state, item.id).await?;
    let gazette = crate::app::gazette::issues_of_item(&state, item.id).await?;
    let notice = crate::app::public_notices::view(&state, item.id, true).await?;
    let (cleanup, cleaned_by) = crate::app::cleanups::public_view(&state, item.id).await?;
    Ok(ItemPage {
        preview: false,
        notice,
        cleanup,
        cleaned_by,
        interp,
        interpretations,
        gazette,
        validity: item.validity(),
        published,
        revised,
        replacement,
        print: q.print.is_some(),
        attachments,
        item,
    })
}

/// The page a working copy would have if it were published now (the console's 预览), with
/// nothing stored: the item's metadata and body, without the relations that exist only once
/// it is public.
pub fn preview(item: PublicItem) -> ItemPage {
    ItemPage {
        validity: item.validity(),
        published: gongkai_core::index_no::beijing(item.published_at).format("%Y-%m-%d").to_string(),
        revised: None,
        replacement: None,
        print: false,
        attachments: Vec::new(),
        interp: None,
        interpretations: Default::default(),
        gazette: Vec::new(),
        notice: None,
        cleanup: Vec::new(),
        cleaned_by: None,
        preview: true,
        item,
    }
}

/// A public attachment: only of a public item, and only in the revision the public sees.
pub async fn file(
    State(state): State<AppState>,
    Path((id, aid)): Path<(String, String)>,
) -> Result<axum::response::Response, PageError> {
    let not_found = || AppError::NotFound("附件".into());
    let (id, aid): (i64, i64) = (id.parse().map_err(|_| not_found())?, aid.parse().map_err(|_| not_found())?);
    let att = attachments::public(&state, id, aid).await?;
    Ok(serve_file(&att, attachments::content(&state, &att).await?))
}
