//! What crawlers read: `robots.txt` (the public side open, the console, the API and the
//! login closed), the sitemap (an index over a page of fixed pages and orgs and pages of
//! 50,000 items each, the protocol's limit, so a million items make 20 files), and the site
//! icon.

use crate::{AppError, AppState, PageError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_core::html::escape;

/// Items per sitemap file (the protocol allows 50,000 URLs).
const PER_FILE: i64 = 50_000;

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

/// `/robots.txt`.
pub async fn robots() -> Response {
    let base = crate::site::base_url();
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\nDisallow: /login\nDisallow: /requests/status\n\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// `/sitemap.xml`: the index.
pub async fn index(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = crate::site::base_url();
    let (total, _) = state.store.public_item_page(0, 0).await.map_err(AppError::from)?;
    let files = (total + PER_FILE - 1) / PER_FILE;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    x.push_str(&format!("<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>\n"));
    for n in 1..=files {
        x.push_str(&format!("<sitemap><loc>{base}/sitemap-items-{n}.xml</loc></sitemap>\n"));
    }
    x.push_str("</sitemapindex>\n");
    Ok(xml(x))
}

fn urlset(urls: impl Iterator<Item = (String, Option<String>)>) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in urls {
        x.push_str(&format!("<url><loc>{}</loc>", escape(&loc)));
        if let Some(m) = lastmod {
            x.push_str(&format!("<lastmod>{m}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// `/sitemap-pages.xml`: the fixed pages and every org's sub-site and guide.
pub async fn pages(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = crate::site::base_url();
    let fixed = [
        "/",
        "/requests/new",
        "/mailbox",
        "/consultations",
        "/surveys",
        "/proposals",
        "/meetings",
        "/gazette",
        "/notices",
        "/interviews",
        "/responses",
        "/interpretations",
        "/lists",
        "/media",
        "/sitemap",
        "/contact",
    ];
    let orgs = crate::app::accounts::all_orgs(&state).await?;
    let urls =
        fixed
            .iter()
            .map(|p| (format!("{base}{p}"), None))
            .chain(orgs.iter().flat_map(|o| {
                ["", "/guide", "/reports"].map(|tail| (format!("{base}/orgs/{}{tail}", o.code()), None))
            }));
    Ok(xml(urlset(urls)))
}

/// `/sitemap-items-{n}.xml`: the n-th 50,000 public items, with the day each last changed.
pub async fn items(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, PageError> {
    let n = file
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| AppError::NotFound("站点地图".into()))?;
    let base = crate::site::base_url();
    let (_, rows) = state.store.public_item_page(n - 1, PER_FILE).await.map_err(AppError::from)?;
    if rows.is_empty() {
        return Err(AppError::NotFound("站点地图".into()).into());
    }
    let urls = rows.into_iter().map(|(id, at)| (format!("{base}/items/{id}"), Some(at.format("%Y-%m-%d").to_string())));
    Ok(xml(urlset(urls)))
}

/// The site icon: a red square with 公, drawn as SVG (no file to fetch).
const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"12\" fill=\"#a61b1e\"/><text x=\"32\" y=\"46\" font-size=\"40\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"Noto Sans CJK SC, sans-serif\" font-weight=\"700\">公</text></svg>";

/// `/favicon.svg` (and `/favicon.ico`, which browsers ask for by themselves).
pub async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], ICON).into_response()
}
