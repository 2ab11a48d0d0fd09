//! The yearly work plan's task table (任务分工): read from CSV, from an XLSX sheet, or — best
//! effort — from such a table printed in a document's text (like the 34-row table of corpus
//! document 004), and the responsible-org cell split into names and matched to orgs.

use crate::code_enum::code_enum;
use chrono::NaiveDate;

code_enum! {
    /// Where an assigned org stands on a task: open until it reports its part done.
    AssignmentStatus {
        Open = ("open", "办理中"),
        Done = ("done", "已完成"),
    }
}

/// Why a work-plan step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkplanRefusal {
    /// Reminding an org of a part it has done.
    #[error("该单位已完成此项任务，无需督办")]
    AlreadyDone,
}

impl AssignmentStatus {
    /// The status after a progress report (`done`: the org reports its part complete). A
    /// done part stays done.
    pub fn after_report(self, done: bool) -> Self {
        if done { Self::Done } else { self }
    }

    /// Whether the supervising office may remind the org of its part.
    pub fn check_remind(self) -> Result<(), WorkplanRefusal> {
        match self {
            Self::Open => Ok(()),
            Self::Done => Err(WorkplanRefusal::AlreadyDone),
        }
    }

    /// Open past the task's due date (the due date itself is still in time).
    pub fn overdue(self, due_on: NaiveDate, today: NaiveDate) -> bool {
        self == Self::Open && today > due_on
    }
}

/// One row of a task table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskRow {
    /// 目标 (the group the task serves).
    pub goal: String,
    /// 序号.
    pub number: String,
    /// 任务.
    pub task: String,
    /// 具体要求.
    pub requirements: String,
    /// 责任单位, as written.
    pub responsible: String,
    /// 完成时限, when the table gives one.
    pub due_on: Option<NaiveDate>,
}

/// The header labels recognised for each column (first match wins).
const COLUMNS: [(&str, &[&str]); 6] = [
    ("goal", &["目标", "工作目标"]),
    ("number", &["序号", "编号"]),
    ("task", &["任务", "工作任务", "重点任务"]),
    ("requirements", &["具体要求", "要求", "工作要求", "具体措施"]),
    ("responsible", &["责任单位", "牵头单位", "责任部门"]),
    ("due_on", &["完成时限", "时限", "完成时间"]),
];

fn normalise_header(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reads a date as tables write it: 2025-06-30, 2025/6/30, 2025年6月30日, 2025年6月底
/// (the month's last day), 2025年底 / 年底前 (31 December of `year`).
pub fn parse_due(s: &str, year: i32) -> Option<NaiveDate> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&t, fmt) {
            return Some(d);
        }
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>().parse::<u32>().ok();
    if let Some((y, rest)) = t.split_once('年') {
        let y: i32 = digits(y).map(|v| v as i32).unwrap_or(year);
        if let Some((m, _)) = rest.split_once('月') {
            let m = digits(m)?;
            let next =
                if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
            return next.and_then(|d| d.pred_opt());
        }
        if rest.starts_with('底') || rest.is_empty() {
            return NaiveDate::from_ymd_opt(y, 12, 31);
        }
    }
    if t.contains("年底") || t.contains("全年") {
        return NaiveDate::from_ymd_opt(year, 12, 31);
    }
    None
}

/// Task rows from a table's cells (however the table was read): the first row with
/// recognised headers names the columns; merged cells left empty (目标 and 任务 repeated
/// down the rows) take the value above.
pub fn task_rows(cells: Vec<Vec<String>>, year: i32) -> Result<Vec<TaskRow>, String> {
    let mut it = cells.into_iter();
    let mut index: Vec<(&str, usize)> = Vec::new();
    for header in it.by_ref() {
        let h: Vec<String> = header.iter().map(|c| normalise_header(c)).collect();
        for (key, names) in COLUMNS {
            if let Some(i) = h.iter().position(|c| names.contains(&c.as_str())) {
                index.push((key, i));
            }
        }
        if index.iter().any(|(k, _)| *k == "task" || *k == "requirements") {
            break;
        }
        index.clear();
    }
    if !index.iter().any(|(k, _)| *k == "responsible") {
        return Err("未找到表头：须有“任务”或“具体要求”列，以及“责任单位”列".into());
    }
    let get = |row: &[String], key: &str| -> String {
        index
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, i)| row.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut out: Vec<TaskRow> = Vec::new();
    for row in it {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let prev = out.last().cloned().unwrap_or_default();
        let mut r = TaskRow {
            goal: get(&row, "goal"),
            number: get(&row, "number"),
            task: get(&row, "task"),
            requirements: get(&row, "requirements"),
            responsible: get(&row, "responsible"),
            due_on: parse_due(&get(&row, "due_on"), year),
        };
        if r.goal.is_empty() {
            r.goal = prev.goal.clone();
        }
        if r.task.is_empty() && !r.requirements.is_empty() {
            r.task = prev.task.clone();
        }
        if r.task.is_empty() && r.requirements.is_empty() {
            continue;
        }
        if r.number.is_empty() {
            r.number = (out.len() + 1).to_string();
        }
        out.push(r);
    }
    if out.is_empty() {
        return Err("表格中没有任务".into());
    }
    Ok(out)
}

fn looks_like_orgs(p: &str) -> bool {
    let p = p.trim();
    !p.ends_with('。')
        && p.chars().count() <= 120
        && ["区", "局", "委", "办", "政府", "单位", "部门", "中心", "支行", "街道", "乡", "镇"]
            .iter()
            .any(|k| p.contains(k))
}

/// Best effort: a task table printed in a document's text, one cell a paragraph, after a
/// header of 目标 / 序号 / 任务 / 具体要求 / 责任单位. A row starts at its number; the
/// paragraphs up to the next number are [任务] 具体要求 责任单位 [next row's 目标].
pub fn parse_document_table(text: &str, year: i32) -> Vec<TaskRow> {
    let paras: Vec<String> = text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    let Some(header_end) = paras.iter().position(|p| ["责任单位", "牵头单位"].contains(&normalise_header(p).as_str()))
    else {
        return Vec::new();
    };
    let has_goal_header = paras[..header_end].iter().rev().take(6).any(|p| normalise_header(p) == "目标");
    let body = &paras[header_end + 1..];
    // Row numbers: paragraphs that are 1, 2, 3 … in sequence.
    let mut starts = Vec::new();
    let mut expect = 1;
    for (i, p) in body.iter().enumerate() {
        if p.parse::<usize>().ok() == Some(expect) {
            starts.push(i);
            expect += 1;
        }
    }
    let mut out: Vec<TaskRow> = Vec::new();
    let mut goal = String::new();
    if let Some(first) = starts.first()
        && has_goal_header
        && *first > 0
    {
        goal = body[first - 1].clone();
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let cells = &body[start + 1..end];
        let Some(orgs_at) = cells.iter().position(|c| looks_like_orgs(c)) else { continue };
        let before = &cells[..orgs_at];
        let after = &cells[orgs_at + 1..];
        let (task, requirements) = match before {
            [] => continue,
            [only] => (out.last().map(|r: &TaskRow| r.task.clone()).unwrap_or_default(), only.clone()),
            [first, rest @ ..] if first.chars().count() <= 40 => (first.clone(), rest.join("\n")),
            all => (out.last().map(|r: &TaskRow| r.task.clone()).unwrap_or_default(), all.join("\n")),
        };
        out.push(TaskRow {
            goal: goal.clone(),
            number: body[start].clone(),
            task,
            requirements,
            responsible: cells[orgs_at].clone(),
            due_on: None,
        });
        // What follows the orgs before the next number is the next row's 目标 (repeated at
        // page breaks); the last row may be followed by the rest of the document.
        if k + 1 < starts.len()
            && let Some(g) = after.last()
            && has_goal_header
        {
            goal = g.clone();
        }
    }
    let _ = year;
    out
}

/// Splits a responsible-org cell into names: 区发展改革委、区财政局 → two names; the
/// collective 各乡、镇人民政府 stays one.
pub fn split_responsible(cell: &str) -> Vec<String> {
    let protected = cell.replace("各乡、镇", "各乡镇").replace("乡、镇", "乡镇");
    protected
        .split(['、', ',', '，', ';', '；', '\n', ' '])
        .map(|s| s.trim().trim_end_matches('等').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// An org a name may refer to.
#[derive(Debug, Clone)]
pub struct OrgName {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub kind: crate::OrgKind,
}

/// A responsible name the office settled once (确认责任单位): the org it means, or `None`
/// when it names no org of the platform (a bank's branch, a committee of the Party). Kept
/// per office, it settles the same name in the office's next task tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub name: String,
    pub org_id: Option<i64>,
}

/// Matches responsible names to orgs: a name the office settled before as it was settled;
/// the collectives (各乡镇人民政府, 各街道办事处, 区政府各部门 …) to every org of that kind;
/// other names to the org whose full or short name equals it, or whose full name ends with
/// it once the district prefix is dropped (区财政局 → 重庆市黔江区财政局), or that it
/// abbreviates. Answers the org ids and the names left unmatched.
pub fn resolve(names: &[String], orgs: &[OrgName], settled: &[Settled]) -> (Vec<i64>, Vec<String>) {
    use crate::OrgKind::*;
    let mut ids = Vec::new();
    let mut unmatched = Vec::new();
    for n in names {
        if let Some(s) = settled.iter().find(|s| s.name == *n) {
            // Settled as an org still in the plan's reach, or as no org at all.
            match s.org_id {
                Some(id) if orgs.iter().any(|o| o.id == id) => ids.push(id),
                Some(_) => unmatched.push(n.clone()),
                None => {}
            }
            continue;
        }
        let kinds: &[crate::OrgKind] = if n.contains("乡镇") || n.contains("乡、镇") {
            &[Town]
        } else if n.contains("街道") && n.starts_with('各') {
            &[Subdistrict]
        } else if n.contains("各部门") || n.contains("区级相关部门") || n.contains("有关部门") {
            &[Department]
        } else {
            &[]
        };
        if !kinds.is_empty() {
            ids.extend(orgs.iter().filter(|o| kinds.contains(&o.kind)).map(|o| o.id));
            continue;
        }
        let bare = n.trim_start_matches('区').trim_start_matches("市");
        let found = orgs
            .iter()
            .find(|o| o.name == *n || (!o.short_name.is_empty() && o.short_name == *n))
            .or_else(|| {
                orgs.iter().find(|o| bare.chars().count() >= 2 && o.name.ends_with(bare) && o.name.contains('区'))
            })
            .or_else(|| {
                // An abbreviation (区发展改革委 for 重庆市黔江区发展和改革委员会): its
                // characters in order in one org's name, and in no other's.
                let mut like = orgs.iter().filter(|o| abbreviates(bare, &o.name) || abbreviates(bare, &o.short_name));
                match (like.next(), like.next()) {
                    (Some(o), None) => Some(o),
                    _ => None,
                }
            });
        match found {
            Some(o) => ids.push(o.id),
            None => unmatched.push(n.clone()),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    (ids, unmatched)
}

/// A task's unmatched names (kept `、`-joined) once `name` is settled: `None` when the task
/// did not name it.
pub fn settle_unmatched(unmatched: &str, name: &str) -> Option<String> {
    let names: Vec<&str> = unmatched.split('、').filter(|n| !n.is_empty()).collect();
    if !names.contains(&name) {
        return None;
    }
    Some(names.into_iter().filter(|n| *n != name).collect::<Vec<_>>().join("、"))
}

/// Whether `short` (two characters or more) could abbreviate `full`: its characters appear
/// in `full` in the same order (发改委 in 发展和改革委员会, 编办 in 机构编制委员会办公室).
fn abbreviates(short: &str, full: &str) -> bool {
    if short.chars().count() < 2 || full.is_empty() {
        return false;
    }
    let mut rest = full.chars();
    short.chars().all(|c| rest.any(|f| f == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2017_table_of_corpus_document_004_reads_as_34_tasks() {
        let text = include_str!("../../../demo/corpus/004_0bc03b790c89a567.txt");
        let rows = parse_document_table(text, 2017);
        assert_eq!(rows.len(), 34, "{:#?}", rows.iter().map(|r| (&r.number, &r.task)).collect::<Vec<_>>());
        assert_eq!(rows[0].goal, "以政务公开助力稳增长");
        assert_eq!(rows[0].task, "加强预期引导。");
        assert_eq!(rows[1].responsible, "区统计局");
        assert_eq!(rows[1].task, "加强预期引导。", "a merged 任务 cell carries down");
        assert_eq!(rows[6].goal, "以政务公开助力促改革");
        assert_eq!(rows[33].number, "34");
        assert!(rows.iter().all(|r| !r.requirements.is_empty() && !r.responsible.is_empty()));
    }

    #[test]
    fn due_dates_read_as_tables_write_them() {
        assert_eq!(parse_due("2025年6月底", 2025), NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(parse_due("年底前", 2025), NaiveDate::from_ymd_opt(2025, 12, 31));
        let cells = |rows: &[&[&str]]| rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert!(task_rows(cells(&[&["a", "b"], &["1", "2"]]), 2025).is_err(), "no recognised headers");
    }

    #[test]
    fn responsible_cells_split_and_match_orgs() {
        let names = split_responsible("区编办,区法制办,各乡、镇人民政府,各街道办事处,区政府各部门、人行黔江中心支行");
        assert_eq!(
            names,
            vec!["区编办", "区法制办", "各乡镇人民政府", "各街道办事处", "区政府各部门", "人行黔江中心支行"]
        );
        let o = |id, name: &str, kind| OrgName { id, name: name.into(), short_name: String::new(), kind };
        let orgs = vec![
            o(1, "重庆市黔江区财政局", crate::OrgKind::Department),
            o(2, "黔江区城东街道办事处", crate::OrgKind::Subdistrict),
            o(3, "黔江区石会镇人民政府", crate::OrgKind::Town),
        ];
        let (ids, unmatched) = resolve(&split_responsible("区财政局、各街道办事处、区审计局"), &orgs, &[]);
        assert_eq!(ids, vec![1, 2]);
        assert_eq!(unmatched, vec!["区审计局"]);
        // Abbreviations: the characters in order in one org's name and no other's.
        let orgs = vec![
            o(1, "重庆市黔江区发展和改革委员会", crate::OrgKind::Department),
            o(2, "重庆市黔江区机构编制委员会办公室", crate::OrgKind::Department),
            o(3, "重庆市黔江区教育委员会", crate::OrgKind::Department),
            o(4, "重庆市黔江区卫生健康委员会", crate::OrgKind::Department),
        ];
        let (ids, unmatched) =
            resolve(&split_responsible("区发展改革委、区发改委、区编办、区教委、区委员"), &orgs, &[]);
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(unmatched, vec!["区委员"], "in four names: no one in particular");
        // What the office settled before is settled again: as an org, or as none.
        let settled = [
            Settled { name: "区委员".into(), org_id: Some(4) },
            Settled { name: "人行黔江中心支行".into(), org_id: None },
            Settled { name: "区旧机构".into(), org_id: Some(99) },
        ];
        let (ids, unmatched) = resolve(&split_responsible("区委员、人行黔江中心支行、区旧机构"), &orgs, &settled);
        assert_eq!(ids, vec![4]);
        assert_eq!(unmatched, vec!["区旧机构"], "an org no longer in reach is asked again");
        assert_eq!(settle_unmatched("区委员、区旧机构", "区委员").as_deref(), Some("区旧机构"));
        assert_eq!(settle_unmatched("区委员", "区委员").as_deref(), Some(""));
        assert_eq!(settle_unmatched("区旧机构", "区委员"), None);
    }

    #[test]
    fn an_assignment_is_open_until_reported_done_and_done_is_not_reminded() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert_eq!(AssignmentStatus::Open.after_report(false), AssignmentStatus::Open);
        assert_eq!(AssignmentStatus::Open.after_report(true), AssignmentStatus::Done);
        assert_eq!(AssignmentStatus::Done.after_report(false), AssignmentStatus::Done);
        assert_eq!(AssignmentStatus::Done.check_remind(), Err(WorkplanRefusal::AlreadyDone));
        assert!(AssignmentStatus::Open.check_remind().is_ok());
        assert!(!AssignmentStatus::Open.overdue(d(6, 30), d(6, 30)));
        assert!(AssignmentStatus::Open.overdue(d(6, 30), d(7, 1)));
        assert!(!AssignmentStatus::Done.overdue(d(6, 30), d(7, 1)));
    }
}
