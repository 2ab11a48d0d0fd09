//! DOCX files laid out as 公文 are (GB/T 9704—2012): A4, margins of 37 mm top, 35 bottom,
//! 28 left and 26 right, 22 lines of 28 characters; the title in 二号小标宋, the body in 三号
//! 仿宋 with two characters' first-line indent — as named paragraph styles, so a clerk who
//! edits the file keeps them — and the file's own properties: the org as its author, the
//! date it bears as its creation, its title.

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, Style, StyleType,
};
use std::io::Write;

/// The styles' ids: the title, body paragraphs, and lines set to the right (signature, date).
pub const TITLE: &str = "GwTitle";
pub const BODY: &str = "GwBody";
pub const PLAIN: &str = "GwPlain";
pub const RIGHT: &str = "GwRight";
/// Small text: table cells.
pub const SMALL: &str = "GwSmall";

/// Millimetres in twentieths of a point.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

fn body_font() -> RunFonts {
    RunFonts::new().east_asia("仿宋_GB2312").ascii("Times New Roman").hi_ansi("Times New Roman")
}

/// An empty 公文: the page and the styles.
pub fn document() -> Docx {
    // 22 lines to a page: a fixed 28.95 pt line fills the 225 mm between the margins 22 times.
    let line = LineSpacing::new().line(579).line_rule(LineSpacingType::Exact);
    let style = |id: &str, name: &str, size: usize| {
        Style::new(id, StyleType::Paragraph).name(name).size(size).fonts(body_font()).line_spacing(line.clone())
    };
    Docx::new()
        .page_size(mm(210.0) as u32, mm(297.0) as u32)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0)),
        )
        .default_fonts(body_font())
        .default_size(32)
        .add_style(
            Style::new(TITLE, StyleType::Paragraph)
                .name("公文标题")
                .size(44)
                .fonts(RunFonts::new().east_asia("方正小标宋简体").ascii("Times New Roman"))
                .align(AlignmentType::Center),
        )
        .add_style(style(BODY, "公文正文", 32).first_line_chars(200))
        .add_style(style(PLAIN, "公文顶格", 32))
        .add_style(style(RIGHT, "公文落款", 32).align(AlignmentType::Right))
        .add_style(Style::new(SMALL, StyleType::Paragraph).name("公文表格").size(21).fonts(body_font()))
}

/// A paragraph of one style holding `text`.
pub fn paragraph(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(Run::new().add_text(clean(text)))
}

/// Text as a DOCX run may hold it: XML 1.0 has no place for control characters other than
/// tab and line breaks, and Word refuses the whole file for one.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// What the file says of itself.
pub struct Properties<'a> {
    pub title: &'a str,
    /// The org that issues it.
    pub author: &'a str,
    /// The date it bears.
    pub dated: Option<NaiveDate>,
}

/// A date as 公文 write it (2026年5月15日), read back.
pub fn read_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y年%m月%d日").ok()
}

fn xml_escape(s: &str) -> String {
    clean(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The document as DOCX bytes, with its properties. docx-rs writes its own core properties
/// with no author ("unknown") and 1970 as the dates; that part of the package is written
/// again with the document's.
pub fn pack(doc: Docx, p: &Properties) -> Result<Vec<u8>, String> {
    let mut packed = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut packed).map_err(|e| format!("docx: {e}"))?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(packed.into_inner())).map_err(|e| e.to_string())?;
    let when = p.dated.map(|d| format!("{d}T00:00:00Z")).unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified><cp:revision>1</cp:revision></cp:coreProperties>"#,
        title = xml_escape(p.title),
        author = xml_escape(p.author),
    );
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| e.to_string())?;
        if entry.name().map_err(|e| e.to_string())? == "docProps/core.xml" {
            out.start_file("docProps/core.xml", options).map_err(|e| e.to_string())?;
            out.write_all(core.as_bytes()).map_err(|e| e.to_string())?;
        } else {
            out.raw_copy_file(entry).map_err(|e| e.to_string())?;
        }
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::tests::part;

    #[test]
    fn dates_read_as_they_are_written() {
        assert_eq!(read_date("2026年5月15日"), NaiveDate::from_ymd_opt(2026, 5, 15));
        assert_eq!(read_date("2026年12月3日"), NaiveDate::from_ymd_opt(2026, 12, 3));
        assert_eq!(read_date("草稿"), None);
    }

    #[test]
    fn a_document_carries_its_org_date_page_and_styles() {
        let doc =
            document().add_paragraph(paragraph(TITLE, "关于<某事>的通知")).add_paragraph(paragraph(BODY, "正文\u{1}"));
        let p = Properties {
            title: "关于<某事>的通知",
            author: "重庆市黔江区人民政府办公室",
            dated: NaiveDate::from_ymd_opt(2026, 3, 20),
        };
        let bytes = pack(doc, &p).expect("docx");
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:creator>重庆市黔江区人民政府办公室</dc:creator>"), "{core}");
        assert!(core.contains("2026-03-20T00:00:00Z") && !core.contains("1970"), "{core}");
        assert!(core.contains("<dc:title>关于&lt;某事&gt;的通知</dc:title>"), "{core}");
        let body = part(&bytes, "word/document.xml");
        // A4 and GB/T 9704's margins: 37 mm is 2098 twentieths of a point, 28 mm 1587.
        assert!(body.contains(r#"w:w="11906""#) && body.contains(r#"w:h="16838""#), "A4");
        assert!(body.contains(r#"w:top="2098""#) && body.contains(r#"w:left="1587""#), "margins");
        assert!(body.contains(r#"<w:pStyle w:val="GwTitle" />"#) || body.contains(r#"<w:pStyle w:val="GwTitle"/>"#));
        assert!(body.contains("正文") && !body.contains('\u{1}'));
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("公文正文") && styles.contains("仿宋_GB2312") && styles.contains("方正小标宋简体"));
    }
}
