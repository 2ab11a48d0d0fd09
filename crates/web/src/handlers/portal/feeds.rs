//! Atom feeds (the site, and each org with everything below it) and an org's catalog as
//! CSV (UTF-8 with a byte-order mark, so spreadsheet programs open it in Chinese).

use crate::app::items::{self, PublicItem, PublicQuery};
use crate::{AppError, AppState, PageError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_core::html::escape;

/// One entry of a feed.
pub(crate) struct Entry {
    pub title: String,
    /// The path on this site.
    pub path: String,
    pub published: chrono::DateTime<chrono::Utc>,
    pub updated: chrono::DateTime<chrono::Utc>,
    pub author: String,
    pub summary: String,
}

/// An Atom feed of entries, every text escaped for XML.
pub(crate) fn atom_of(title: &str, self_path: &str, entries: &[Entry]) -> Response {
    let base = crate::site::base_url();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    let mut x = String::with_capacity(4096 + entries.len() * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("<title>{}</title>\n", escape(title)));
    x.push_str(&format!("<id>{base}{self_path}</id>\n<link rel=\"self\" href=\"{base}{self_path}\"/>\n"));
    x.push_str(&format!("<updated>{}</updated>\n", updated.to_rfc3339()));
    for e in entries {
        let url = format!("{base}{}", e.path);
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n", escape(&e.title)));
        x.push_str(&format!("<published>{}</published>\n", e.published.to_rfc3339()));
        x.push_str(&format!("<updated>{}</updated>\n", e.updated.to_rfc3339()));
        x.push_str(&format!("<author><name>{}</name></author>\n", escape(&e.author)));
        x.push_str(&format!("<summary>{}</summary>\n", escape(&e.summary)));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], x).into_response()
}

fn atom(title: &str, self_path: &str, items: &[PublicItem]) -> Response {
    let entries: Vec<Entry> = items
        .iter()
        .map(|i| {
            let summary = if i.summary.is_empty() {
                let text = gongkai_core::html::to_text(&i.body);
                text.chars().take(200).collect::<String>()
            } else {
                i.summary.clone()
            };
            let mut meta = Vec::new();
            if !i.doc_no.is_empty() {
                meta.push(format!("发文字号：{}", i.doc_no));
            }
            if let Some(n) = &i.index_no {
                meta.push(format!("索引号：{n}"));
            }
            meta.push(format!("有效性：{}", i.validity().label()));
            Entry {
                title: i.title.clone(),
                path: format!("/items/{}", i.id),
                published: i.published_at,
                updated: i.revised_at.max(i.published_at),
                author: i.issuer_name.clone(),
                summary: format!("{}　{}", meta.join("；"), summary),
            }
        })
        .collect();
    atom_of(title, self_path, &entries)
}

pub async fn site_feed(State(state): State<AppState>) -> Result<Response, PageError> {
    let (items, _) = items::public_list(&state, &PublicQuery { page: 1, per_page: 50, ..Default::default() }).await?;
    Ok(atom("政府信息公开 - 最新信息", "/feed.atom", &items))
}

pub async fn org_feed(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let q = PublicQuery { org_path: Some(org.path.clone()), page: 1, per_page: 50, ..Default::default() };
    let (items, _) = items::public_list(&state, &q).await?;
    Ok(atom(&format!("{} - 政府信息公开", org.name), &format!("/orgs/{}/feed.atom", org.code()), &items))
}

pub async fn section_feed(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let section = match id.parse::<i64>() {
        Ok(id) => items::section_of(&state, &org, id).await?,
        Err(_) => None,
    }
    .ok_or_else(|| AppError::NotFound("栏目".into()))?;
    let q = PublicQuery {
        org_path: Some(org.path.clone()),
        section_id: Some(section.id),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let (items, _) = items::public_list(&state, &q).await?;
    let path = format!("/orgs/{}/sections/{}/feed.atom", org.code(), section.id);
    Ok(atom(&format!("{} - {}", org.name, section.name), &path, &items))
}

pub async fn catalog_csv(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let base = crate::site::base_url();
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header_row =
        ["索引号", "标题", "发文字号", "发布机构", "主题分类", "体裁分类", "成文日期", "发布日期", "有效性", "链接"];
    w.write_record(header_row).map_err(|e| AppError::Internal(e.into()))?;
    let mut page = 1;
    loop {
        let q = PublicQuery { org_path: Some(org.path.clone()), page, per_page: 200, ..Default::default() };
        let (items, total) = items::public_list(&state, &q).await?;
        for i in &items {
            w.write_record(
                [
                    i.index_no.clone().unwrap_or_default(),
                    i.title.clone(),
                    i.doc_no.clone(),
                    i.issuer_name.clone(),
                    i.topic.clone(),
                    i.genre.clone(),
                    i.written_on.map(|d| d.to_string()).unwrap_or_default(),
                    gongkai_core::index_no::beijing(i.published_at).format("%Y-%m-%d").to_string(),
                    i.validity().label().to_string(),
                    format!("{base}/items/{}", i.id),
                ]
                .iter()
                .map(|f| crate::util::csv_safe(f).into_owned()),
            )
            .map_err(|e| AppError::Internal(e.into()))?;
        }
        if page * 200 >= total || items.is_empty() {
            break;
        }
        page += 1;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"catalog-{}.csv\"", org.code());
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
