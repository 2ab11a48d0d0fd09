//! File formats, kept out of `core` (which is the law): the annual report written as an
//! XLSX workbook in the template's layout, notices and 通报 as DOCX laid out as 公文
//! (`gongwen`), and task tables read from CSV or from the first
//! sheet of an XLSX workbook into the cells `core::workplan::task_rows` understands.

pub mod gongwen;
pub mod masking;
pub mod report_xlsx;
pub mod tables;

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Read;

    /// One part of an Office package, as text.
    pub(crate) fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
        let mut s = String::new();
        zip.by_name(name).expect(name).read_to_string(&mut s).expect("read");
        s
    }
}
