//! De-identification inside Word and Excel files: the ID, mobile and bank-card numbers and
//! e-mail addresses `core::privacy` finds are masked in the file itself, which is written
//! again with every other part byte for byte as it was (styles, images, layout).
//!
//! Word keeps a paragraph's text in runs (`<w:t>`), split wherever the font, a spelling mark
//! or an edit changed; Excel keeps a cell's text in shared strings (`<si>`, rich-text runs
//! `<t>`), in inline strings, or as a number (`<v>13800138000</v>`). The pieces of one
//! paragraph or cell are masked together ([`privacy::deidentify_pieces`]), so a number split
//! over two runs is still found; a number cell that is masked becomes a text cell.
//! A legacy `.doc`/`.xls`, a PDF or an image cannot be masked here: the caller tells the
//! editor to replace the file.

use gongkai_core::privacy;
use quick_xml::events::{BytesStart, BytesText, Event};
use std::io::{Read, Write};

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    Docx,
    Xlsx,
}

/// A file masked: its new bytes and how many texts (paragraphs or cells) changed.
#[derive(Debug)]
pub struct Masked {
    pub bytes: Vec<u8>,
    pub texts: usize,
}

/// The parts of each kind that carry text, and how their text is kept.
struct Scheme {
    /// The element that holds one text (a paragraph, a shared string, a cell, a comment).
    groups: &'static [&'static str],
    /// The elements whose text is a piece of it.
    pieces: &'static [&'static str],
}

const WORD: Scheme = Scheme { groups: &["w:p"], pieces: &["w:t", "w:delText"] };
const SHARED: Scheme = Scheme { groups: &["si", "comment"], pieces: &["t"] };
const SHEET: Scheme = Scheme { groups: &["c"], pieces: &["t", "v"] };

fn scheme(kind: Office, part: &str) -> Option<&'static Scheme> {
    let in_dir = |dir: &str, stem: &str| {
        part.strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with(stem) && rest.ends_with(".xml") && !rest.contains('/'))
    };
    match kind {
        Office::Docx
            if ["document", "header", "footer", "footnotes", "endnotes", "comments"]
                .iter()
                .any(|s| in_dir("word/", s)) =>
        {
            Some(&WORD)
        }
        Office::Xlsx if part == "xl/sharedStrings.xml" || in_dir("xl/", "comments") => Some(&SHARED),
        Office::Xlsx if in_dir("xl/worksheets/", "sheet") => Some(&SHEET),
        _ => None,
    }
}

/// Masks a DOCX or XLSX. `Ok(None)` when there is nothing to mask; `Err` for a file that
/// is not a readable package of its kind (the caller keeps the original).
pub fn mask(kind: Office, bytes: &[u8]) -> Result<Option<Masked>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("不是有效的文件：{e}"))?;
    let mut rewritten: Vec<(usize, String)> = Vec::new();
    let mut texts = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let Some(scheme) = scheme(kind, &name) else { continue };
        let mut xml = String::new();
        entry.by_ref().take(256 * 1024 * 1024).read_to_string(&mut xml).map_err(|e| format!("{name}：{e}"))?;
        if let Some((masked, n)) = mask_part(&xml, scheme)? {
            rewritten.push((i, masked));
            texts += n;
        }
    }
    if rewritten.is_empty() {
        return Ok(None);
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| e.to_string())?;
        match rewritten.iter().find(|(at, _)| *at == i) {
            Some((_, xml)) => {
                let name = entry.name().map_err(|e| e.to_string())?.to_string();
                drop(entry);
                out.start_file(name, options).map_err(|e| e.to_string())?;
                out.write_all(xml.as_bytes()).map_err(|e| e.to_string())?;
            }
            None => out.raw_copy_file(entry).map_err(|e| e.to_string())?,
        }
    }
    Ok(Some(Masked { bytes: out.finish().map_err(|e| e.to_string())?.into_inner(), texts }))
}

/// One piece of text: the events it came from, and its text.
struct Piece {
    group: usize,
    events: Vec<usize>,
    text: String,
}

/// A spreadsheet cell that holds a number: a masked one becomes an inline string.
struct NumberCell {
    start: usize,
    v_start: usize,
    v_end: usize,
    piece: usize,
}

/// Masks one XML part; `None` when nothing in it changes, else the part and how many
/// texts changed.
fn mask_part(xml: &str, scheme: &Scheme) -> Result<Option<(String, usize)>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut groups: Vec<usize> = Vec::new();
    let mut next_group = 0;
    let mut open: Option<Piece> = None;
    // The cell being read (sheets): its start event, whether it is a number, its formula.
    let mut cell: Option<(usize, bool, bool)> = None;
    let mut numbers: Vec<NumberCell> = Vec::new();
    let mut v_start = 0;
    loop {
        let ev = reader.read_event().map_err(|e| format!("XML 有误：{e}"))?.into_owned();
        let at = events.len();
        match &ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if scheme.groups.contains(&name) {
                    groups.push(next_group);
                    next_group += 1;
                    if name == "c" {
                        let t = attr(e, "t");
                        cell = Some((at, t.as_deref().is_none_or(|t| t == "n"), false));
                    }
                } else if name == "f" {
                    if let Some(c) = cell.as_mut() {
                        c.2 = true;
                    }
                } else if scheme.pieces.contains(&name) {
                    // A <v> is text only in a number cell without a formula (else it is an
                    // index into the shared strings, a date, or a computed value).
                    let is_number_value = name == "v";
                    if !is_number_value || cell.is_some_and(|(_, number, formula)| number && !formula) {
                        let group = groups.last().copied().unwrap_or_else(|| {
                            next_group += 1;
                            next_group - 1
                        });
                        open = Some(Piece { group, events: Vec::new(), text: String::new() });
                        v_start = at;
                    }
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if scheme.pieces.contains(&name) {
                    if let Some(p) = open.take() {
                        if let (true, Some((start, ..))) = (name == "v", cell) {
                            numbers.push(NumberCell { start, v_start, v_end: at, piece: pieces.len() });
                        }
                        pieces.push(p);
                    }
                } else if scheme.groups.contains(&name) {
                    groups.pop();
                    if name == "c" {
                        cell = None;
                    }
                }
            }
            Event::Text(t) => {
                if let Some(p) = open.as_mut() {
                    p.events.push(at);
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(p) = open.as_mut() {
                    p.events.push(at);
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r.xml10_content() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = resolved {
                        p.text.push(c);
                    }
                }
            }
            Event::CData(t) => {
                if let Some(p) = open.as_mut() {
                    p.events.push(at);
                    p.text.push_str(&t.xml10_content());
                }
            }
            _ => {}
        }
        events.push(ev);
    }

    // Mask each group's pieces together.
    let mut replaced: Vec<Option<String>> = vec![None; pieces.len()];
    let mut changed = 0;
    let mut from = 0;
    while from < pieces.len() {
        let group = pieces[from].group;
        let to = from + pieces[from..].iter().take_while(|p| p.group == group).count();
        let texts: Vec<&str> = pieces[from..to].iter().map(|p| p.text.as_str()).collect();
        if let Some(masked) = privacy::deidentify_pieces(&texts) {
            changed += 1;
            for (k, m) in masked.into_iter().enumerate() {
                if m != pieces[from + k].text {
                    replaced[from + k] = Some(m);
                }
            }
        }
        from = to;
    }
    if changed == 0 {
        return Ok(None);
    }

    // What each event becomes: the first event of a changed piece carries its new text, the
    // rest of it goes; a changed number cell turns into an inline string.
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    let mut skip = vec![false; events.len()];
    let mut text_at: Vec<Option<&str>> = vec![None; events.len()];
    for (i, p) in pieces.iter().enumerate() {
        let Some(new) = replaced[i].as_deref() else { continue };
        // Only a piece with text can have held a finding, so it has a first event.
        if let Some((&first, rest)) = p.events.split_first() {
            text_at[first] = Some(new);
            for &e in rest {
                skip[e] = true;
            }
        }
    }
    let mut as_string = vec![false; events.len()];
    let mut v_open = vec![false; events.len()];
    let mut v_close = vec![false; events.len()];
    for n in &numbers {
        if replaced[n.piece].is_some() {
            as_string[n.start] = true;
            v_open[n.v_start] = true;
            v_close[n.v_end] = true;
        }
    }
    let w = |writer: &mut quick_xml::Writer<Vec<u8>>, ev: Event<'_>| writer.write_event(ev).map_err(|e| e.to_string());
    for (i, ev) in events.into_iter().enumerate() {
        if skip[i] {
            continue;
        }
        if let Some(text) = text_at[i] {
            w(&mut writer, Event::Text(BytesText::new(text)))?;
            continue;
        }
        if let (true, Event::Start(e)) = (as_string[i], &ev) {
            let mut start = BytesStart::new(AsRef::<str>::as_ref(&e.name()).to_string());
            for a in e.attributes().flatten() {
                if AsRef::<str>::as_ref(&a.key) != "t" {
                    start.push_attribute(a);
                }
            }
            start.push_attribute(("t", "inlineStr"));
            w(&mut writer, Event::Start(start))?;
            continue;
        }
        if v_open[i] {
            w(&mut writer, Event::Start(BytesStart::new("is")))?;
            w(&mut writer, Event::Start(BytesStart::new("t")))?;
            continue;
        }
        if v_close[i] {
            w(&mut writer, Event::End(quick_xml::events::BytesEnd::new("t")))?;
            w(&mut writer, Event::End(quick_xml::events::BytesEnd::new("is")))?;
            continue;
        }
        w(&mut writer, ev)?;
    }
    let out = String::from_utf8(writer.into_inner()).map_err(|e| e.to_string())?;
    Ok(Some((out, changed)))
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| AsRef::<str>::as_ref(&a.key) == key).map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::{Docx, Paragraph, Run};

    use crate::tests::part;

    #[test]
    fn word_runs_are_masked_where_a_number_starts_and_the_rest_is_kept() {
        let doc = Docx::new()
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("申请人张某某，身份证号码1101"))
                    .add_run(Run::new().add_text("0519491231002X").bold())
                    .add_run(Run::new().add_text("，电话13800138000 & 其他")),
            )
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("第二段没有个人信息")));
        let mut bytes = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut bytes).expect("docx");
        let bytes = bytes.into_inner();
        let masked = mask(Office::Docx, &bytes).expect("read").expect("masked");
        assert_eq!(masked.texts, 1);
        let xml = part(&masked.bytes, "word/document.xml");
        assert!(xml.contains("110105********002X") && xml.contains("138****8000 &amp; 其他"), "{xml}");
        assert!(!xml.contains("11010519491231002X") && !xml.contains("0519491231002X"), "{xml}");
        assert!(xml.contains("第二段没有个人信息") && xml.contains("<w:b"), "the bold run is kept: {xml}");
        // Every other part is as it was.
        assert_eq!(part(&masked.bytes, "word/styles.xml"), part(&bytes, "word/styles.xml"));
        // Masked again: nothing left.
        assert!(mask(Office::Docx, &masked.bytes).expect("read").is_none());
    }

    #[test]
    fn excel_cells_are_masked_and_a_number_becomes_text() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "姓名").expect("cell");
        sheet.write_string(0, 1, "身份证号码").expect("cell");
        sheet.write_string(0, 2, "电话").expect("cell");
        sheet.write_string(1, 0, "张某某").expect("cell");
        sheet.write_string(1, 1, "11010519491231002X").expect("cell");
        sheet.write_number(1, 2, 13800138000.0).expect("cell");
        sheet.write_number(1, 3, 42.0).expect("cell");
        sheet.write_formula(1, 4, "=D2*2").expect("cell");
        let bytes = book.save_to_buffer().expect("xlsx");
        let masked = mask(Office::Xlsx, &bytes).expect("read").expect("masked");
        assert_eq!(masked.texts, 2);
        let shared = part(&masked.bytes, "xl/sharedStrings.xml");
        assert!(shared.contains("110105********002X") && !shared.contains("11010519491231002X"), "{shared}");
        let sheet = part(&masked.bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"t="inlineStr"><is><t>138****8000</t></is></c>"#), "{sheet}");
        assert!(sheet.contains("<v>42</v>") && sheet.contains("<f>"), "other numbers and formulas stay: {sheet}");
        // calamine reads the masked book: the cells say what the page would.
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(masked.bytes.clone())).expect("open");
        let range = calamine::Reader::worksheet_range(&mut wb, "Sheet1").expect("sheet");
        assert_eq!(range.get_value((1, 2)).map(ToString::to_string).as_deref(), Some("138****8000"));
        assert_eq!(range.get_value((1, 1)).map(ToString::to_string).as_deref(), Some("110105********002X"));
        assert!(mask(Office::Xlsx, &masked.bytes).expect("read").is_none());
    }

    #[test]
    fn a_file_that_is_not_a_package_is_refused() {
        assert!(mask(Office::Docx, b"%PDF-1.4 not a zip").is_err());
        assert!(mask(Office::Xlsx, &[]).is_err());
    }
}
