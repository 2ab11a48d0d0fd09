//! Annual reports as the adapters show them: the report in each format (JSON, Markdown,
//! XLSX, HTML), and the HTML view of its tables as the template draws them.

use crate::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_core::report::{self, AnnualReport, LabelCell, Problem, Scope};
use gongkai_store::{Org, ReportRow};
use serde::Serialize;

/// A requested format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
    Markdown,
    Xlsx,
}

impl Format {
    /// Parses `html|json|md|xlsx` (empty: the default given).
    pub fn parse(s: Option<&str>, default: Format) -> Result<Self, AppError> {
        match s.map(str::trim).unwrap_or("") {
            "" => Ok(default),
            "html" => Ok(Self::Html),
            "json" => Ok(Self::Json),
            "md" | "markdown" => Ok(Self::Markdown),
            "xlsx" => Ok(Self::Xlsx),
            other => {
                Err(AppError::invalid("invalid_format", format!("格式「{other}」无效，可选：html、json、md、xlsx")))
            }
        }
    }
}

/// Parses a scope parameter.
pub fn scope(s: Option<&str>) -> Result<Scope, AppError> {
    let s = s.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(Scope::Org.as_str());
    Scope::parse(s).ok_or_else(|| AppError::invalid("invalid_scope", "scope 须为 org（本单位）或 tree（含所属单位）"))
}

/// The report with its status, as the JSON gives it.
#[derive(Debug, Serialize)]
pub struct ReportBody {
    /// `none` (not started), `draft`, `approved` or `published`.
    pub state: &'static str,
    /// Publication date (Beijing), once published.
    pub published_on: Option<NaiveDate>,
    /// When the report is due.
    pub due_on: NaiveDate,
    /// What stops approval now (drafts only).
    pub problems: Vec<Problem>,
    /// The report.
    pub report: AnnualReport,
}

/// The publication date of a row, in Beijing.
pub fn published_on(row: Option<&ReportRow>) -> Option<NaiveDate> {
    row.and_then(|r| r.published_at).map(gongkai_core::index_no::beijing_date)
}

/// A file name for downloads: `<code>-<year>-annual-report.<ext>`.
fn file_name(r: &AnnualReport, ext: &str) -> String {
    let scope = if r.scope == Scope::Tree { "-tree" } else { "" };
    format!("{}-{}{scope}-annual-report.{ext}", r.org_code, r.year)
}

/// Answers a report in a non-HTML format.
pub fn respond(format: Format, body: ReportBody) -> Result<Response, AppError> {
    let on = body.published_on;
    Ok(match format {
        Format::Json | Format::Html => axum::Json(body).into_response(),
        Format::Markdown => (
            [
                (header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}\"", file_name(&body.report, "md"))),
            ],
            report::markdown(&body.report, on),
        )
            .into_response(),
        Format::Xlsx => {
            let bytes = gongkai_formats::report_xlsx::xlsx(&body.report, on)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{}\"", file_name(&body.report, "xlsx")),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
    })
}

/// One value row of table 三 for the HTML page.
pub struct HtmlRow {
    pub cells: Vec<LabelCell>,
    pub values: Vec<String>,
}

/// The report as the HTML page shows it.
pub struct ReportHtml {
    pub r: AnnualReport,
    pub org_code: String,
    pub published: Option<String>,
    pub requests: Vec<HtmlRow>,
    pub overview: Vec<String>,
    pub problems: Vec<String>,
    pub other: Vec<String>,
    pub fee_sentence: String,
    pub titles: [&'static str; 6],
    pub note: &'static str,
    pub applicant_columns: [&'static str; 7],
    pub remedy_results: [&'static str; 5],
    pub sources: Vec<String>,
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Number(n) if n.is_f64() => {
            let s = format!("{:.4}", n.as_f64().unwrap_or(0.0));
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        other => other.to_string(),
    }
}

fn paragraphs(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

impl ReportHtml {
    /// Builds the view.
    pub fn new(org: &Org, r: AnnualReport, published_on: Option<NaiveDate>) -> Self {
        let layout = report::requests_layout(&r.requests);
        let requests = layout
            .into_iter()
            .zip(&r.requests.rows)
            .map(|(cells, row)| HtmlRow { cells, values: row.values.iter().map(cell).collect() })
            .collect();
        let sources = r
            .entered
            .labelled()
            .iter()
            .filter(|(_, e)| !e.source.trim().is_empty())
            .map(|(l, e)| format!("{l}数据来源：{}", e.source.trim()))
            .collect();
        ReportHtml {
            org_code: org.code().to_string(),
            published: published_on.map(|d| d.format("%Y年%m月%d日").to_string()),
            requests,
            overview: paragraphs(&r.overview),
            problems: paragraphs(&r.problems),
            other: paragraphs(&r.other),
            fee_sentence: r.fees.sentence(r.year),
            titles: report::PART_TITLES,
            note: report::TIE_OUT_NOTE,
            applicant_columns: report::APPLICANT_COLUMNS,
            remedy_results: report::REMEDY_RESULTS,
            sources,
            r,
        }
    }

    /// A value of the proactive tables.
    pub fn value(&self, v: &serde_json::Value) -> String {
        cell(v)
    }
}

/// The report as a standalone HTML document (styles inline), for the command line.
#[derive(askama::Template)]
#[template(path = "report_standalone.html")]
pub struct Standalone<'a> {
    pub v: &'a ReportHtml,
    pub css: &'static str,
}

/// Renders the standalone HTML document.
pub fn standalone_html(org: &Org, r: AnnualReport, published_on: Option<NaiveDate>) -> Result<String, askama::Error> {
    let v = ReportHtml::new(org, r, published_on);
    askama::Template::render(&Standalone { v: &v, css: include_str!("../../../static/site.css") })
}
