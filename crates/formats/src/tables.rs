//! Task tables (任务分工) read from a CSV file or the first sheet of an XLSX workbook, as
//! rows of cells; `core::workplan::task_rows` turns them into tasks.

use gongkai_core::workplan::{TaskRow, task_rows};
use std::io::Cursor;

/// The cells of a CSV table (UTF-8, a BOM allowed; rows may differ in length).
pub fn csv_cells(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("CSV 格式有误：{e}"))?;
        cells.push(rec.iter().map(str::to_string).collect());
    }
    Ok(cells)
}

/// The cells of the first sheet of an XLSX workbook.
pub fn xlsx_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| format!("无法读取 XLSX 文件：{e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "XLSX 文件中没有工作表".to_string())?
        .map_err(|e| format!("无法读取工作表：{e}"))?;
    Ok(range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
}

/// Reads a CSV task table.
pub fn parse_csv(text: &str, year: i32) -> Result<Vec<TaskRow>, String> {
    task_rows(csv_cells(text)?, year)
}

/// Reads the task table on the first sheet of an XLSX workbook.
pub fn parse_xlsx(bytes: &[u8], year: i32) -> Result<Vec<TaskRow>, String> {
    task_rows(xlsx_cells(bytes)?, year)
}

/// A plain table as an XLSX workbook: one sheet named `sheet` (cut to Excel's 31 characters),
/// the header bold and frozen, text cells throughout (nothing a cell holds is read as a formula).
pub fn table_xlsx(sheet: &str, header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let name: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    for (r, line) in rows.iter().enumerate() {
        for (c, v) in line.iter().enumerate() {
            ws.write_string((r + 1) as u32, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn csv_tables_carry_merged_cells_down_and_read_dates() {
        let csv = "\u{feff}目标,序号,任务,具体要求,责任单位,完成时限\n稳增长,1,加强预期引导,召开发布会,区统计局,2025年6月底\n,2,,跟踪审计结果公开,区审计局、区财政局,2025-09-30\n";
        let rows = parse_csv(csv, 2025).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].goal, "稳增长");
        assert_eq!(rows[1].task, "加强预期引导");
        assert_eq!(rows[0].due_on, NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(rows[1].due_on, NaiveDate::from_ymd_opt(2025, 9, 30));
        assert!(parse_csv("a,b\n1,2\n", 2025).is_err());
    }

    #[test]
    fn xlsx_tables_read_like_csv() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["序号", "任务", "具体要求", "责任单位", "完成时限"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("write");
        }
        for (c, v) in ["1", "完善主动公开目录", "明确五公开的主体", "区财政局", "2025年12月31日"].iter().enumerate()
        {
            ws.write_string(1, c as u16, *v).expect("write");
        }
        let bytes = wb.save_to_buffer().expect("xlsx");
        let rows = parse_xlsx(&bytes, 2025).expect("rows");
        assert_eq!(rows[0].task, "完善主动公开目录");
        assert_eq!(rows[0].due_on, NaiveDate::from_ymd_opt(2025, 12, 31));
    }
}
