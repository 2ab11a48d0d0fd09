//! File formats, kept out of `core` (which is the law): the annual report written as an
//! XLSX workbook in the template's layout, and task tables read from CSV or from the first
//! sheet of an XLSX workbook into the cells `core::workplan::task_rows` understands.

pub mod report_xlsx;
pub mod tables;
