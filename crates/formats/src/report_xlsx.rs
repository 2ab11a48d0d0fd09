//! The annual report as an XLSX workbook laid out like the template: a sheet with the
//! texts, then one sheet per table with the template's merged header cells and label spans.

use chrono::{Datelike, NaiveDate};
use gongkai_core::report::{
    APPLICANT_COLUMNS, AnnualReport, PART_TITLES, REMEDY_RESULTS, TIE_OUT_NOTE, Table, requests_layout,
};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use serde_json::Value;

/// Sheet names, in order.
pub const SHEETS: [&str; 4] = ["报告", "二、主动公开", "三、依申请公开", "四、复议诉讼"];

/// The first row of table 三's values on its sheet (0-based), below the title and the
/// three header rows.
pub const REQUESTS_FIRST_ROW: u32 = 4;

/// The first value column of table 三 (after three label columns).
pub const REQUESTS_FIRST_COL: u16 = 3;

struct Formats {
    title: Format,
    head: Format,
    label: Format,
    value: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            head: cell.clone().set_bold().set_align(FormatAlign::Center),
            label: cell.clone(),
            value: cell.set_align(FormatAlign::Right),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Excel's code of A4 paper.
const A4: u8 = 9;

/// Sets a sheet to print as the template does: A4, one page wide (as many tall as it
/// takes), centred, GB/T 9704's margins (37 mm top, 35 bottom, 28 left, 26 right — in
/// inches), page numbers in the footer; `landscape` for the wide tables.
fn print_setup(ws: &mut Worksheet, landscape: bool) {
    let mm = |v: f64| v / 25.4;
    ws.set_paper_size(A4);
    if landscape {
        ws.set_landscape();
        ws.set_margins(mm(20.0), mm(20.0), mm(25.0), mm(20.0), mm(10.0), mm(10.0));
    } else {
        ws.set_portrait();
        ws.set_margins(mm(28.0), mm(26.0), mm(37.0), mm(35.0), mm(15.0), mm(15.0));
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
}

/// Writes the workbook.
pub fn xlsx(r: &AnnualReport, published_on: Option<NaiveDate>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // The file's own properties: the report's title, the org as its author, created on the
    // day it was published.
    let mut properties = DocProperties::new().set_title(&r.title).set_author(&r.org_name).set_company(&r.org_name);
    if let Some(d) = published_on
        && let Ok(day) = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
    {
        properties = properties.set_creation_datetime(&day);
    }
    wb.set_properties(&properties);

    let ws = wb.add_worksheet().set_name(SHEETS[0])?;
    print_setup(ws, false);
    ws.set_column_width(0, 100)?;
    ws.write_string_with_format(0, 0, &r.title, &f.title)?;
    let status = match published_on {
        Some(d) => format!("发布日期：{}年{}月{}日", d.year(), d.month(), d.day()),
        None => "草稿（未发布）".into(),
    };
    ws.write_string(1, 0, &status)?;
    ws.write_string(2, 0, &r.period)?;
    let mut other = r.other.trim().to_string();
    if !other.is_empty() {
        other.push('\n');
    }
    other.push_str(&r.fees.sentence(r.year));
    let texts = [
        (PART_TITLES[0], r.overview.trim().to_string()),
        (PART_TITLES[1], "见工作表“二、主动公开”".into()),
        (PART_TITLES[2], "见工作表“三、依申请公开”".into()),
        (PART_TITLES[3], "见工作表“四、复议诉讼”".into()),
        (PART_TITLES[4], r.problems.trim().to_string()),
        (PART_TITLES[5], other),
    ];
    let mut row = 4;
    for (title, text) in texts {
        ws.write_string_with_format(row, 0, title, &f.head.clone().set_border(FormatBorder::None))?;
        ws.write_string_with_format(row + 1, 0, &text, &f.text)?;
        row += 3;
    }

    let ws = wb.add_worksheet().set_name(SHEETS[1])?;
    print_setup(ws, false);
    proactive_sheet(ws, r, &f)?;
    // Table 三 is ten columns wide and forty rows long: across the page, its header rows
    // and label columns printed on every page.
    let ws = wb.add_worksheet().set_name(SHEETS[2])?;
    print_setup(ws, true);
    ws.set_repeat_rows(1, REQUESTS_FIRST_ROW - 1)?;
    ws.set_repeat_columns(0, REQUESTS_FIRST_COL - 1)?;
    requests_sheet(ws, r, &f)?;
    let ws = wb.add_worksheet().set_name(SHEETS[3])?;
    print_setup(ws, true);
    remedies_sheet(ws, r, &f)?;
    wb.save_to_buffer()
}

fn write_value(ws: &mut Worksheet, row: u32, col: u16, v: &Value, f: &Format) -> Result<(), XlsxError> {
    match v.as_f64() {
        Some(n) => ws.write_number_with_format(row, col, n, f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}

fn proactive_sheet(ws: &mut Worksheet, r: &AnnualReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 24)?;
    for c in 1..4 {
        ws.set_column_width(c, 18)?;
    }
    ws.merge_range(0, 0, 0, 3, PART_TITLES[1], &f.title)?;
    let mut row = 2;
    for t in &r.proactive {
        ws.merge_range(row, 0, row, 3, &t.caption, &f.head)?;
        row += 1;
        ws.write_string_with_format(row, 0, "信息内容", &f.head)?;
        write_columns(ws, row, t, f)?;
        row += 1;
        for data in &t.rows {
            ws.write_string_with_format(row, 0, &data.label, &f.label)?;
            for (i, v) in data.values.iter().enumerate() {
                write_value(ws, row, 1 + i as u16, v, &f.value)?;
            }
            row += 1;
        }
        row += 1;
    }
    let mut notes = Vec::new();
    for (label, e) in r.entered.labelled() {
        if !e.source.trim().is_empty() {
            notes.push(format!("{label}数据来源：{}", e.source.trim()));
        }
    }
    for n in notes {
        ws.write_string(row, 0, &n)?;
        row += 1;
    }
    Ok(())
}

fn write_columns(ws: &mut Worksheet, row: u32, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    let n = t.columns.len() as u16;
    for (i, c) in t.columns.iter().enumerate() {
        if n == 1 {
            ws.merge_range(row, 1, row, 3, c, &f.head)?;
        } else {
            ws.write_string_with_format(row, 1 + i as u16, c, &f.head)?;
        }
    }
    Ok(())
}

fn requests_sheet(ws: &mut Worksheet, r: &AnnualReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 40)?;
    for c in 3..10 {
        ws.set_column_width(c, 11)?;
    }
    ws.merge_range(0, 0, 0, 9, PART_TITLES[2], &f.title)?;
    ws.merge_range(1, 0, 3, 2, TIE_OUT_NOTE, &f.head)?;
    ws.merge_range(1, 3, 1, 9, "申请人情况", &f.head)?;
    ws.merge_range(2, 3, 3, 3, APPLICANT_COLUMNS[0], &f.head)?;
    ws.merge_range(2, 4, 2, 8, "法人或其他组织", &f.head)?;
    for (i, c) in APPLICANT_COLUMNS[1..6].iter().enumerate() {
        ws.write_string_with_format(3, 4 + i as u16, *c, &f.head)?;
    }
    ws.merge_range(2, 9, 3, 9, APPLICANT_COLUMNS[6], &f.head)?;
    let layout = requests_layout(&r.requests);
    let mut covered = [0usize; 3];
    for (i, (cells, data)) in layout.iter().zip(&r.requests.rows).enumerate() {
        let row = REQUESTS_FIRST_ROW + i as u32;
        let mut col = 0usize;
        for cell in cells {
            while col < 3 && covered[col] > 0 {
                col += 1;
            }
            let (last_row, last_col) = (row + cell.rowspan as u32 - 1, (col + cell.colspan - 1) as u16);
            if cell.rowspan == 1 && cell.colspan == 1 {
                ws.write_string_with_format(row, col as u16, &cell.text, &f.label)?;
            } else {
                ws.merge_range(row, col as u16, last_row, last_col, &cell.text, &f.label)?;
            }
            for c in covered.iter_mut().skip(col).take(cell.colspan) {
                *c = cell.rowspan;
            }
            col += cell.colspan;
        }
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
        for (j, v) in data.values.iter().enumerate() {
            write_value(ws, row, REQUESTS_FIRST_COL + j as u16, v, &f.value)?;
        }
    }
    Ok(())
}

fn remedies_sheet(ws: &mut Worksheet, r: &AnnualReport, f: &Formats) -> Result<(), XlsxError> {
    for c in 0..15 {
        ws.set_column_width(c, 10)?;
    }
    ws.merge_range(0, 0, 0, 14, PART_TITLES[3], &f.title)?;
    ws.merge_range(1, 0, 1, 4, "行政复议", &f.head)?;
    ws.merge_range(1, 5, 1, 14, "行政诉讼", &f.head)?;
    for (i, label) in REMEDY_RESULTS.iter().enumerate() {
        ws.merge_range(2, i as u16, 3, i as u16, label, &f.head)?;
        ws.write_string_with_format(3, 5 + i as u16, *label, &f.head)?;
        ws.write_string_with_format(3, 10 + i as u16, *label, &f.head)?;
    }
    ws.merge_range(2, 5, 2, 9, "未经复议直接起诉", &f.head)?;
    ws.merge_range(2, 10, 2, 14, "复议后起诉", &f.head)?;
    if let Some(data) = r.remedies.rows.first() {
        for (j, v) in data.values.iter().enumerate() {
            write_value(ws, 4, j as u16, v, &f.value)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};
    use gongkai_core::report::*;
    use gongkai_core::request::{ApplicantType, OUTCOMES};

    #[test]
    fn the_workbook_reads_back_with_the_same_figures() {
        let facts: Vec<RequestFact> = OUTCOMES
            .iter()
            .enumerate()
            .map(|(i, o)| RequestFact {
                n: 1,
                applicant: ApplicantType::ALL[i % 6],
                received_year: 2025,
                concluded_year: Some(2025),
                outcome: Some(*o),
            })
            .collect();
        let requests = requests_table(&count_requests(&facts, 2025));
        let report = AnnualReport {
            org_code: "X".into(),
            org_name: "某区人民政府".into(),
            year: 2025,
            scope: Scope::Org,
            title: "某区人民政府2025年政府信息公开工作年度报告".into(),
            period: period(2025),
            overview: "总体情况".into(),
            proactive: proactive_tables(&[], 2025, &EnteredFigures::default()),
            entered: EnteredFigures::default(),
            requests: requests.clone(),
            remedies: remedies_table(&[], 2025),
            problems: "问题".into(),
            other: String::new(),
            fees: FeeSummary { requests: 2, yuan: 300 },
            restatement: String::new(),
        };
        let bytes = xlsx(&report, NaiveDate::from_ymd_opt(2026, 3, 20)).expect("xlsx");
        // It prints like the template: A4, table 三 across the page, one page wide, its
        // header rows and label columns on every page; the org as the file's author and the
        // publication day as its creation.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
        let mut part = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s).expect("read");
            s
        };
        let requests_xml = part("xl/worksheets/sheet3.xml");
        for attr in [r#"paperSize="9""#, r#"orientation="landscape""#, r#"fitToHeight="0""#, r#"fitToPage="1""#] {
            assert!(requests_xml.contains(attr), "table 三: {attr}");
        }
        assert!(part("xl/worksheets/sheet1.xml").contains(r#"orientation="portrait""#));
        let workbook = part("xl/workbook.xml");
        assert!(
            workbook.contains("_xlnm.Print_Titles") && workbook.contains("$A:$C,'三、依申请公开'!$2:$4"),
            "{workbook}"
        );
        let core = part("docProps/core.xml");
        assert!(core.contains("<dc:creator>某区人民政府</dc:creator>"), "{core}");
        assert!(core.contains("2026-03-20T00:00:00Z"), "{core}");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
        assert_eq!(book.sheet_names(), SHEETS.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let sheet = book.worksheet_range(SHEETS[2]).expect("sheet");
        assert_eq!(sheet.get_value((1, 0)).map(|c| c.to_string()), Some(TIE_OUT_NOTE.to_string()));
        for (i, row) in requests.rows.iter().enumerate() {
            for (j, v) in row.values.iter().enumerate() {
                let cell = sheet.get_value((REQUESTS_FIRST_ROW + i as u32, (REQUESTS_FIRST_COL as usize + j) as u32));
                let got = cell.and_then(|c| c.to_string().parse::<f64>().ok());
                assert_eq!(got, v.as_f64(), "row {} column {j}", row.label);
            }
        }
        // The label of a sub-row sits in the third column, its group in the second.
        assert_eq!(
            sheet.get_value((REQUESTS_FIRST_ROW + 4, 2)).map(|c| c.to_string()),
            Some("1.属于国家秘密".to_string())
        );
        assert_eq!(
            sheet.get_value((REQUESTS_FIRST_ROW + 4, 1)).map(|c| c.to_string()),
            Some("（三）不予公开".to_string())
        );
        let text = book.worksheet_range(SHEETS[0]).expect("sheet");
        assert!(text.rows().any(|r| r.iter().any(|c| c.to_string().contains("收取信息处理费2件，共计300元"))));
    }
}
