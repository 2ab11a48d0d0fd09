//! The annual report (政府信息公开工作年度报告) in the national format of
//! 国办公开办函〔2021〕30号: the four tables computed from facts, the tie-out rules the
//! format states and those that follow from what a 总计 means, and the layout (label cells
//! with their spans) that the HTML page and the XLSX workbook both draw from.
//!
//! Counting rules (the template is silent on some; each choice is recorded in
//! docs/DECISIONS.md):
//! - 本年新收: requests whose receipt date (article 31) falls in the year.
//! - 上年结转: requests received before the year and not concluded before it began.
//! - 本年度办理结果: requests (new or carried in) concluded in the year, each under exactly
//!   one outcome; 结转下年度: the rest. So 一 + 二 = （七） + 四 holds by construction, and
//!   this year's 二 equals last year's 四 computed from the same data.
//! - Table 四: review and litigation cases filed in the year, with their result as at
//!   31 December (undecided then: 尚未审结).
//! - Table 二 （一）项: items of genre 规章 / 行政规范性文件 made (成文日期, else 发布日期) in
//!   the year, repealed in the year, and in force on 31 December.

use crate::code_enum::code_enum;
use crate::request::{ApplicantType, OUTCOMES, Outcome, OutcomeGroup};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The six parts' titles.
pub const PART_TITLES: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// What part 一 covers, offered to the writer as headings (the format notice's opening text).
pub const OVERVIEW_PROMPTS: [&str; 5] =
    ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"];

/// The note in the top-left cell of table 三, exactly.
pub const TIE_OUT_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Value columns of table 三, in order.
pub const APPLICANT_COLUMNS: [&str; 7] =
    ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// Row labels of table 三 that are not outcomes.
pub const ROW_NEW: &str = "一、本年新收政府信息公开申请数量";
/// 二.
pub const ROW_CARRIED_IN: &str = "二、上年结转政府信息公开申请数量";
/// 三.
pub const ROW_RESULTS: &str = "三、本年度办理结果";
/// （七）.
pub const ROW_TOTAL: &str = "（七）总计";
/// 四.
pub const ROW_CARRIED_OUT: &str = "四、结转下年度继续办理";

/// The five result columns of table 四, used three times.
pub const REMEDY_RESULTS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// A table as the JSON gives it: columns and rows in template order with the template's
/// labels. A value is a number, or null where the template leaves the cell empty or a
/// figure has not been entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The caption (the 条例 item for part 二's blocks; the part title otherwise).
    pub caption: String,
    /// Value column labels.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The template's label for the row.
    pub label: String,
    /// The labels above it, outermost first (for sub-rows such as `1.属于国家秘密`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<String>,
    /// One value per column.
    pub values: Vec<Value>,
}

impl Row {
    fn counts(label: &str, group: &[&str], values: &[i64]) -> Self {
        Row {
            label: label.into(),
            group: group.iter().map(|g| g.to_string()).collect(),
            values: values.iter().map(|v| Value::from(*v)).collect(),
        }
    }

    /// The value in column `i` as a count (0 for null).
    pub fn count(&self, i: usize) -> i64 {
        self.values.get(i).and_then(Value::as_i64).unwrap_or(0)
    }
}

code_enum! {
    /// The reporting scope.
    Scope {
        /// The org alone.
        Org = ("org", "本单位"),
        /// The org with every org below it.
        Tree = ("tree", "本单位及所属单位"),
    }
}

code_enum! {
    /// Where an annual report stands: drafted (computed live), approved (its figures frozen
    /// into a snapshot), published (the snapshot, for everyone; final).
    ReportState {
        Draft = ("draft", "草稿"),
        Approved = ("approved", "已审核"),
        Published = ("published", "已发布"),
    }
}

/// What is done to an annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// Save the office's texts and figures; an approved report goes back to draft.
    Save,
    /// Approve (freezes the figures; the tie-out checks are the caller's to run first).
    Approve,
    /// Publish the approved snapshot.
    Publish,
}

/// Why a report step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportRefusal {
    /// There is nothing to approve or publish yet.
    #[error("{0}年度报告草稿（请先撰写并保存）")]
    NoDraft(i32),
    /// A published report is final.
    #[error("{0}年度报告已发布，不能修改")]
    Published(i32),
    /// Approving twice.
    #[error("{0}年度报告已审核，不能重复审核")]
    AlreadyApproved(i32),
    /// Publishing twice.
    #[error("{0}年度报告已发布")]
    AlreadyPublished(i32),
    /// Publishing a draft.
    #[error("{0}年度报告尚未审核通过，不能发布")]
    NotApproved(i32),
}

impl ReportStep {
    /// The state a report of `year` reaches by this step from `from` (`None`: no report yet).
    pub fn next(self, from: Option<ReportState>, year: i32) -> Result<ReportState, ReportRefusal> {
        use ReportState::*;
        match (self, from) {
            (Self::Save, Some(Published)) => Err(ReportRefusal::Published(year)),
            (Self::Save, _) => Ok(Draft),
            (Self::Approve | Self::Publish, None) => Err(ReportRefusal::NoDraft(year)),
            (Self::Approve, Some(Draft)) => Ok(Approved),
            (Self::Approve, Some(Approved | Published)) => Err(ReportRefusal::AlreadyApproved(year)),
            (Self::Publish, Some(Approved)) => Ok(Published),
            (Self::Publish, Some(Published)) => Err(ReportRefusal::AlreadyPublished(year)),
            (Self::Publish, Some(Draft)) => Err(ReportRefusal::NotApproved(year)),
        }
    }
}

/// One request as the report counts it. The template places a request by the years its two
/// dates fall in and nothing finer (received this year or carried in, concluded this year or
/// carried out), so the store keeps and reads the years alone.
#[derive(Debug, Clone, Copy)]
pub struct RequestFact {
    /// Applicant type.
    pub applicant: ApplicantType,
    /// The year of its receipt date (article 31).
    pub received_year: i32,
    /// The year it was concluded (replied, lapsed, withdrawn, transferred out), if it was.
    pub concluded_year: Option<i32>,
    /// Its outcome (one of the template's rows).
    pub outcome: Option<Outcome>,
    /// How many requests share these facts (the store reads them grouped; 1 for one).
    pub n: i64,
}

/// Table 三 as counts: six applicant columns (no 总计), one row per outcome in template order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// 一.
    pub new: [i64; 6],
    /// 二.
    pub carried_in: [i64; 6],
    /// （一）…（六） in `OUTCOMES` order.
    pub outcomes: Vec<[i64; 6]>,
    /// 四.
    pub carried_out: [i64; 6],
    /// Concluded requests without a recorded outcome (counted under （六）3.其他).
    pub unclassified: usize,
}

fn column(a: ApplicantType) -> usize {
    ApplicantType::ALL.iter().position(|t| *t == a).unwrap_or(5)
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// Counts table 三 for a year.
pub fn count_requests(facts: &[RequestFact], year: i32) -> RequestCounts {
    let mut c = RequestCounts { outcomes: vec![[0; 6]; OUTCOMES.len()], ..Default::default() };
    let other = OUTCOMES.iter().position(|o| o.code == "other.other").unwrap_or(OUTCOMES.len() - 1);
    for f in facts {
        let col = column(f.applicant);
        if f.received_year > year {
            continue;
        }
        if f.received_year == year {
            c.new[col] += f.n;
        } else if f.concluded_year.is_none_or(|y| y >= year) {
            c.carried_in[col] += f.n;
        } else {
            continue;
        }
        match f.concluded_year {
            Some(y) if y <= year => {
                let row = match f.outcome.and_then(|o| OUTCOMES.iter().position(|x| x.code == o.code)) {
                    Some(r) => r,
                    None => {
                        c.unclassified += usize::try_from(f.n).unwrap_or(0);
                        other
                    }
                };
                c.outcomes[row][col] += f.n;
            }
            _ => c.carried_out[col] += f.n,
        }
    }
    c
}

fn with_total(v: &[i64; 6]) -> Vec<i64> {
    let mut out = v.to_vec();
    out.push(v.iter().sum());
    out
}

fn numeral(g: OutcomeGroup) -> &'static str {
    let n = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"];
    n[OutcomeGroup::ALL.iter().position(|x| *x == g).unwrap_or(0)]
}

fn group_heading(g: OutcomeGroup) -> String {
    format!("{}{}", numeral(g), g.label())
}

/// Table 三 in the template's rows (25 value rows × 7 columns).
pub fn requests_table(c: &RequestCounts) -> Table {
    let mut rows = vec![
        Row::counts(ROW_NEW, &[], &with_total(&c.new)),
        Row::counts(ROW_CARRIED_IN, &[], &with_total(&c.carried_in)),
    ];
    let mut total = [0i64; 6];
    for (o, counts) in OUTCOMES.iter().zip(&c.outcomes) {
        for (t, v) in total.iter_mut().zip(counts) {
            *t += v;
        }
        let values = with_total(counts);
        if o.number == 0 {
            rows.push(Row::counts(&format!("{}{}", numeral(o.group), o.label), &[ROW_RESULTS], &values));
        } else {
            let heading = group_heading(o.group);
            rows.push(Row::counts(&format!("{}.{}", o.number, o.label), &[ROW_RESULTS, &heading], &values));
        }
    }
    rows.push(Row::counts(ROW_TOTAL, &[ROW_RESULTS], &with_total(&total)));
    rows.push(Row::counts(ROW_CARRIED_OUT, &[], &with_total(&c.carried_out)));
    Table { caption: PART_TITLES[2].into(), columns: APPLICANT_COLUMNS.iter().map(|s| s.to_string()).collect(), rows }
}

code_enum! {
    /// A remedy against a request's handling (table 四's blocks).
    RemedyKind {
        Review = ("review", "行政复议"),
        LitigationDirect = ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
        LitigationAfterReview = ("litigation_after_review", "行政诉讼（复议后起诉）"),
    }
}

code_enum! {
    /// How a review or lawsuit ended (table 四's columns).
    RemedyResult {
        Upheld = ("upheld", "结果维持"),
        Corrected = ("corrected", "结果纠正"),
        Other = ("other", "其他结果"),
        Pending = ("pending", "尚未审结"),
    }
}

impl RemedyResult {
    /// Checks a result with its decision date: a decided case needs the date.
    pub fn check_decided(self, decided_on: Option<NaiveDate>) -> Result<(), &'static str> {
        if self != Self::Pending && decided_on.is_none() { Err("已审结的须填写审结日期") } else { Ok(()) }
    }
}

/// One review or litigation case.
#[derive(Debug, Clone)]
pub struct RemedyFact {
    /// Kind.
    pub kind: RemedyKind,
    /// Filed on.
    pub filed_on: NaiveDate,
    /// Result.
    pub result: RemedyResult,
    /// Decided on.
    pub decided_on: Option<NaiveDate>,
}

/// Table 四: one data row of 15 values.
pub fn remedies_table(facts: &[RemedyFact], year: i32) -> Table {
    let (first, last) = year_bounds(year);
    let mut v = [[0i64; 5]; 3];
    for f in facts.iter().filter(|f| f.filed_on >= first && f.filed_on <= last) {
        let block = match f.kind {
            RemedyKind::Review => 0,
            RemedyKind::LitigationDirect => 1,
            RemedyKind::LitigationAfterReview => 2,
        };
        let decided = f.decided_on.is_some_and(|d| d <= last);
        let col = match f.result {
            RemedyResult::Upheld if decided => 0,
            RemedyResult::Corrected if decided => 1,
            RemedyResult::Other if decided => 2,
            _ => 3,
        };
        v[block][col] += 1;
        v[block][4] += 1;
    }
    let mut columns = Vec::new();
    for block in ["行政复议", "行政诉讼 未经复议直接起诉", "行政诉讼 复议后起诉"] {
        for r in REMEDY_RESULTS {
            columns.push(format!("{block} {r}"));
        }
    }
    Table { caption: PART_TITLES[3].into(), columns, rows: vec![Row::counts("本年度", &[], &v.concat())] }
}

/// An item of genre 规章 or 行政规范性文件, for table 二. The table places a document by the
/// years its dates fall in (made this year, repealed this year, in force at its end), so
/// the store keeps and reads the years alone.
#[derive(Debug, Clone)]
pub struct RuleFact {
    /// True for 规章, false for 行政规范性文件.
    pub is_rule: bool,
    /// The year of its 成文日期, else of its 发布日期 (Beijing).
    pub made_year: i32,
    /// The year of its 废止/失效日期.
    pub repealed_year: Option<i32>,
    /// True when the item says it is no longer valid (repealed or expired).
    pub lapsed: bool,
    /// How many documents share these facts (the store reads them grouped; 1 for one).
    pub n: i64,
}

/// Figures part 二 takes from outside the catalog until structured lists exist: a value
/// and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entered {
    /// The figure (a count; for 行政事业性收费, 元).
    pub value: Option<i64>,
    /// Its source (系统、台账、部门报送 …).
    #[serde(default)]
    pub source: String,
}

impl Entered {
    /// A figure counted from a public list, with the list named as its source.
    pub fn from_list(count: i64, list_name: &str) -> Self {
        Entered { value: Some(count), source: format!("{FROM_LISTS}「{list_name}」，系统自动统计") }
    }

    /// True when the figure was counted from a public list (not typed).
    pub fn is_from_list(&self) -> bool {
        self.source.starts_with(FROM_LISTS)
    }
}

/// The source every figure counted from a public list starts with.
pub const FROM_LISTS: &str = "公开清单";

/// The entered figures of part 二.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredFigures {
    /// 行政许可 本年处理决定数量.
    #[serde(default)]
    pub licensing: Entered,
    /// 行政处罚.
    #[serde(default)]
    pub penalty: Entered,
    /// 行政强制.
    #[serde(default)]
    pub coercion: Entered,
    /// 行政事业性收费, in 元 (shown in 万元).
    #[serde(default)]
    pub charges_yuan: Entered,
}

impl EnteredFigures {
    /// Takes a figure counted from a list (`licensing`, `penalty`, `coercion`) over the typed one.
    pub fn set_from_list(&mut self, figure: &str, count: i64, list_name: &str) {
        let slot = match figure {
            "licensing" => &mut self.licensing,
            "penalty" => &mut self.penalty,
            "coercion" => &mut self.coercion,
            _ => return,
        };
        *slot = Entered::from_list(count, list_name);
    }

    /// Each figure with the template's row label.
    pub fn labelled(&self) -> [(&'static str, &Entered); 4] {
        [
            ("行政许可", &self.licensing),
            ("行政处罚", &self.penalty),
            ("行政强制", &self.coercion),
            ("行政事业性收费", &self.charges_yuan),
        ]
    }
}

/// 元 as 万元 with four decimals (exact).
pub fn wan(yuan: i64) -> Value {
    serde_json::Number::from_f64((yuan as f64 / 10_000.0 * 10_000.0).round() / 10_000.0)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The four blocks of part 二.
pub fn proactive_tables(facts: &[RuleFact], year: i32, entered: &EnteredFigures) -> Vec<Table> {
    let block = |is_rule: bool| {
        let of: Vec<&RuleFact> = facts.iter().filter(|f| f.is_rule == is_rule).collect();
        let made = of.iter().filter(|f| f.made_year == year).map(|f| f.n).sum::<i64>();
        let repealed = of.iter().filter(|f| f.repealed_year == Some(year)).map(|f| f.n).sum::<i64>();
        let valid = of
            .iter()
            .filter(|f| f.made_year <= year)
            .filter(|f| match f.repealed_year {
                Some(y) => y > year,
                None => !f.lapsed,
            })
            .map(|f| f.n)
            .sum::<i64>();
        vec![made, repealed, valid]
    };
    let count = |e: &Entered| vec![e.value.map(Value::from).unwrap_or(Value::Null)];
    let one = |caption: &str, column: &str, rows: Vec<Row>| Table {
        caption: caption.into(),
        columns: vec![column.into()],
        rows,
    };
    let row = |label: &str, values: Vec<Value>| Row { label: label.into(), group: vec![], values };
    vec![
        Table {
            caption: "第二十条第（一）项".into(),
            columns: ["本年制发件数", "本年废止件数", "现行有效件数"].iter().map(|s| s.to_string()).collect(),
            rows: vec![Row::counts("规章", &[], &block(true)), Row::counts("行政规范性文件", &[], &block(false))],
        },
        one("第二十条第（五）项", "本年处理决定数量", vec![row("行政许可", count(&entered.licensing))]),
        one(
            "第二十条第（六）项",
            "本年处理决定数量",
            vec![row("行政处罚", count(&entered.penalty)), row("行政强制", count(&entered.coercion))],
        ),
        one(
            "第二十条第（八）项",
            "本年收费金额（单位：万元）",
            vec![row("行政事业性收费", vec![entered.charges_yuan.value.map(wan).unwrap_or(Value::Null)])],
        ),
    ]
}

/// The whole report, as drafted or as frozen at approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    /// The org's 统一社会信用代码 or code.
    pub org_code: String,
    /// The org's name.
    pub org_name: String,
    /// The year reported on.
    pub year: i32,
    /// The org alone or with everything below it.
    pub scope: Scope,
    /// Title, e.g. 重庆市黔江区人民政府2025年政府信息公开工作年度报告.
    pub title: String,
    /// The statistics period as the report states it.
    pub period: String,
    /// Part 一.
    pub overview: String,
    /// Part 二.
    pub proactive: Vec<Table>,
    /// The figures of part 二 entered by hand, with their sources.
    pub entered: EnteredFigures,
    /// Part 三.
    pub requests: Table,
    /// Part 四.
    pub remedies: Table,
    /// Part 五.
    pub problems: String,
    /// Part 六, as written.
    pub other: String,
    /// Part 六, computed: the 信息处理费 collected in the year.
    pub fees: FeeSummary,
    /// Why 上年结转 differs from last year's 结转下年度, when it does.
    #[serde(default)]
    pub restatement: String,
}

/// 信息处理费 collected in the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSummary {
    /// Requests on which a fee was paid.
    pub requests: i64,
    /// Total, 元.
    pub yuan: i64,
}

impl FeeSummary {
    /// The sentence part 六 carries.
    pub fn sentence(&self, year: i32) -> String {
        if self.requests == 0 {
            format!("{year}年度，本机关未收取政府信息公开信息处理费。")
        } else {
            format!(
                "{year}年度，本机关依据《政府信息公开信息处理费管理办法》收取信息处理费{}件，共计{}元。",
                self.requests, self.yuan
            )
        }
    }
}

/// The statistics period sentence.
pub fn period(year: i32) -> String {
    format!("本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
}

/// A reason the report does not tie out or is incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Machine-readable code.
    pub code: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

fn problem(code: &str, message: String) -> Problem {
    Problem { code: code.into(), message }
}

/// Every rule a report must satisfy before approval. `previous_carried_out` is the
/// 结转下年度 row (7 values) of last year's published report for the same org and scope.
pub fn check(r: &AnnualReport, previous_carried_out: Option<&[i64]>) -> Vec<Problem> {
    let mut out = Vec::new();
    let t = &r.requests;
    let find = |label: &str| t.rows.iter().find(|row| row.label == label && row.group.len() <= 1);
    for row in t.rows.iter().chain(&r.remedies.rows) {
        if row.values.iter().any(|v| v.as_i64().is_some_and(|n| n < 0)) {
            out.push(problem("report.negative", format!("{}：数值不能为负数", row.label)));
        }
    }
    // Row totals: 总计 = the six applicant columns.
    for row in &t.rows {
        let parts: i64 = (0..6).map(|i| row.count(i)).sum();
        if parts != row.count(6) {
            out.push(problem(
                "report.row_total",
                format!("表三“{}”的总计为{}，而各类申请人之和为{parts}", row.label, row.count(6)),
            ));
        }
    }
    let (Some(new), Some(carried_in), Some(total), Some(carried_out)) =
        (find(ROW_NEW), find(ROW_CARRIED_IN), find(ROW_TOTAL), find(ROW_CARRIED_OUT))
    else {
        out.push(problem("report.rows_missing", "表三缺少模板规定的行".into()));
        return out;
    };
    for (i, col) in APPLICANT_COLUMNS.iter().enumerate() {
        // （七）总计 = every outcome row.
        let outcomes: i64 = t.rows.iter().filter(|row| is_outcome_row(row)).map(|row| row.count(i)).sum();
        if outcomes != total.count(i) {
            out.push(problem(
                "report.results_total",
                format!("表三“{col}”列：（七）总计为{}，而各办理结果之和为{outcomes}", total.count(i)),
            ));
        }
        // 一 + 二 = 三（七） + 四.
        let left = new.count(i) + carried_in.count(i);
        let right = total.count(i) + carried_out.count(i);
        if left != right {
            out.push(problem(
                "report.tie_out",
                format!(
                    "表三“{col}”列不满足勾稽关系：本年新收{}加上年结转{}为{left}，办理结果总计{}加结转下年度{}为{right}",
                    new.count(i),
                    carried_in.count(i),
                    total.count(i),
                    carried_out.count(i)
                ),
            ));
        }
    }
    if let Some(prev) = previous_carried_out {
        let now: Vec<i64> = (0..7).map(|i| carried_in.count(i)).collect();
        if now != prev && r.restatement.trim().is_empty() {
            out.push(problem(
                "report.carry_over",
                format!(
                    "上年结转（{}）与{}年度报告的结转下年度（{}）不一致；如确需更正，请在“上年结转数据说明”中写明原因",
                    join(&now),
                    r.year - 1,
                    join(prev)
                ),
            ));
        }
    }
    // Table 四: each block's 总计 = its four results.
    let row = r.remedies.rows.first();
    for (b, name) in ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"].iter().enumerate()
    {
        let v = |c: usize| row.map(|r| r.count(b * 5 + c)).unwrap_or(0);
        let parts: i64 = (0..4).map(v).sum();
        if parts != v(4) {
            out.push(problem("report.remedy_total", format!("表四{name}的总计为{}，而各结果之和为{parts}", v(4))));
        }
    }
    // Part 二: entered figures need a value and a source.
    for (label, e) in r.entered.labelled() {
        if e.value.is_none() {
            out.push(problem("report.figure_missing", format!("主动公开情况“{label}”尚未填写数据")));
        } else if e.value.is_some_and(|v| v < 0) {
            out.push(problem("report.negative", format!("主动公开情况“{label}”不能为负数")));
        }
        if e.source.trim().is_empty() {
            out.push(problem("report.source_missing", format!("主动公开情况“{label}”须注明数据来源")));
        }
    }
    if r.overview.trim().is_empty() {
        out.push(problem("report.overview_missing", "“一、总体情况”尚未撰写".into()));
    }
    if r.problems.trim().is_empty() {
        out.push(problem("report.problems_missing", "“五、存在的主要问题及改进情况”尚未撰写".into()));
    }
    out
}

fn join(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join("、")
}

fn is_outcome_row(row: &Row) -> bool {
    row.group.first().is_some_and(|g| g == ROW_RESULTS)
        && row.label != ROW_TOTAL
        && !(row.group.len() == 1 && OUTCOMES.iter().any(|o| o.number != 0 && group_heading(o.group) == row.label))
}

/// The 结转下年度 row of a report (7 values).
pub fn carried_out(r: &AnnualReport) -> Option<Vec<i64>> {
    r.requests.rows.iter().find(|row| row.label == ROW_CARRIED_OUT).map(|row| (0..7).map(|i| row.count(i)).collect())
}

/// A label cell of the template's table 三: text, row span, column span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCell {
    /// Text.
    pub text: String,
    /// Rows it spans.
    pub rowspan: usize,
    /// Columns it spans (of the three label columns).
    pub colspan: usize,
}

/// The label cells that open each value row of table 三 as the template draws it: 一、二、四
/// across three label columns; 三 down the first column over its 22 rows; （一）（二）（七)
/// across two; the groups （三）…（六） down the second column over their sub-rows.
pub fn requests_layout(t: &Table) -> Vec<Vec<LabelCell>> {
    let mut out = Vec::with_capacity(t.rows.len());
    let results_rows = t.rows.iter().filter(|r| r.group.first().is_some_and(|g| g == ROW_RESULTS)).count();
    let mut first_result = true;
    let mut last_group: Option<&str> = None;
    for row in &t.rows {
        let mut cells = Vec::new();
        let cell = |text: &str, rowspan, colspan| LabelCell { text: text.into(), rowspan, colspan };
        if row.group.is_empty() {
            cells.push(cell(&row.label, 1, 3));
            out.push(cells);
            continue;
        }
        if first_result {
            cells.push(cell(ROW_RESULTS, results_rows, 1));
            first_result = false;
        }
        match row.group.get(1) {
            None => cells.push(cell(&row.label, 1, 2)),
            Some(g) => {
                if last_group != Some(g.as_str()) {
                    let n = t.rows.iter().filter(|r| r.group.get(1) == Some(g)).count();
                    cells.push(cell(g, n, 1));
                    last_group = Some(g.as_str());
                }
                cells.push(cell(&row.label, 1, 1));
            }
        }
        out.push(cells);
    }
    out
}

/// The date a report is due for an org kind (条例 articles 49–50): a government's report is
/// published by 31 March; a department's (and, by the same rule applied locally, a town's or
/// sub-district's) is submitted and published by 31 January.
pub fn due_on(kind: crate::OrgKind, year: i32) -> NaiveDate {
    let (m, d) = if kind == crate::OrgKind::Government { (3, 31) } else { (1, 31) };
    NaiveDate::from_ymd_opt(year + 1, m, d).unwrap_or(NaiveDate::MAX)
}

/// Renders a report as Markdown (tables flattened: a sub-row's label carries its group).
pub fn markdown(r: &AnnualReport, published_on: Option<NaiveDate>) -> String {
    let mut md = format!("# {}\n\n", r.title);
    if let Some(d) = published_on {
        md.push_str(&format!("发布日期：{}年{}月{}日\n\n", d.year(), d.month(), d.day()));
    } else {
        md.push_str("**草稿（未发布）**\n\n");
    }
    md.push_str(&format!("{}\n\n", r.period));
    md.push_str(&format!("## {}\n\n{}\n\n", PART_TITLES[0], paragraphs(&r.overview)));
    md.push_str(&format!("## {}\n\n", PART_TITLES[1]));
    for t in &r.proactive {
        md_table(&mut md, t, "信息内容");
    }
    for (label, e) in r.entered.labelled() {
        if !e.source.trim().is_empty() {
            md.push_str(&format!("- {label}数据来源：{}\n", e.source.trim()));
        }
    }
    md.push_str(&format!("\n## {}\n\n", PART_TITLES[2]));
    md_table(&mut md, &r.requests, "申请人情况");
    md.push_str(&format!("{TIE_OUT_NOTE}\n\n"));
    md.push_str(&format!("## {}\n\n", PART_TITLES[3]));
    md_table(&mut md, &r.remedies, "");
    md.push_str(&format!("## {}\n\n{}\n\n", PART_TITLES[4], paragraphs(&r.problems)));
    md.push_str(&format!("## {}\n\n", PART_TITLES[5]));
    if !r.other.trim().is_empty() {
        md.push_str(&format!("{}\n\n", paragraphs(&r.other)));
    }
    md.push_str(&format!("{}\n", r.fees.sentence(r.year)));
    if !r.restatement.trim().is_empty() {
        md.push_str(&format!("\n上年结转数据说明：{}\n", r.restatement.trim()));
    }
    md
}

/// A text's lines as Markdown paragraphs.
fn paragraphs(s: &str) -> String {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn md_table(md: &mut String, t: &Table, corner: &str) {
    md.push_str(&format!(
        "**{}**\n\n| {corner} | {} |\n|---|{}\n",
        t.caption,
        t.columns.join(" | "),
        "---:|".repeat(t.columns.len())
    ));
    for row in &t.rows {
        let mut label = row.group.iter().skip(1).cloned().collect::<Vec<_>>();
        label.push(row.label.clone());
        let values: Vec<String> =
            row.values.iter().map(|v| if v.is_null() { String::new() } else { v.to_string() }).collect();
        md.push_str(&format!("| {} | {} |\n", label.join(" "), values.join(" | ")));
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn outcome(code: &str) -> &'static Outcome {
        OUTCOMES.iter().find(|o| o.code == code).expect("outcome")
    }

    #[test]
    fn table_three_has_the_template_rows_in_order() {
        let t = requests_table(&count_requests(&[], 2025));
        assert_eq!(t.rows.len(), 25);
        assert_eq!(t.rows[0].label, ROW_NEW);
        assert_eq!(t.rows[2].label, "（一）予以公开");
        assert_eq!(t.rows[3].label, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
        assert_eq!(t.rows[4].label, "1.属于国家秘密");
        assert_eq!(t.rows[4].group, vec![ROW_RESULTS.to_string(), "（三）不予公开".to_string()]);
        assert_eq!(t.rows[23].label, ROW_TOTAL);
        assert_eq!(t.rows[24].label, ROW_CARRIED_OUT);
        assert_eq!(t.columns, APPLICANT_COLUMNS.to_vec());
        let layout = requests_layout(&t);
        assert_eq!(layout[2][0], LabelCell { text: ROW_RESULTS.into(), rowspan: 22, colspan: 1 });
        let spans: Vec<usize> =
            layout.iter().flatten().filter(|c| c.colspan == 1 && c.rowspan > 1).map(|c| c.rowspan).collect();
        assert_eq!(spans, vec![22, 8, 3, 5, 3]);
    }

    #[test]
    fn carry_over_and_tie_out() {
        let facts = [
            // Received last year, concluded this year.
            RequestFact {
                n: 1,
                applicant: ApplicantType::NaturalPerson,
                received_year: 2024,
                concluded_year: Some(2025),
                outcome: Some(*outcome("disclosed")),
            },
            // Received and concluded last year: not in this year's report.
            RequestFact {
                n: 1,
                applicant: ApplicantType::NaturalPerson,
                received_year: 2024,
                concluded_year: Some(2024),
                outcome: Some(*outcome("disclosed")),
            },
            // Received this year, still open at year end.
            RequestFact {
                n: 1,
                applicant: ApplicantType::Commercial,
                received_year: 2025,
                concluded_year: Some(2026),
                outcome: Some(*outcome("partial")),
            },
            RequestFact {
                n: 1,
                applicant: ApplicantType::LegalService,
                received_year: 2025,
                concluded_year: None,
                outcome: None,
            },
            // Received next year.
            RequestFact {
                n: 1,
                applicant: ApplicantType::Research,
                received_year: 2026,
                concluded_year: None,
                outcome: None,
            },
        ];
        let c = count_requests(&facts, 2025);
        assert_eq!(c.new, [0, 1, 0, 0, 1, 0]);
        assert_eq!(c.carried_in, [1, 0, 0, 0, 0, 0]);
        assert_eq!(c.carried_out, [0, 1, 0, 0, 1, 0]);
        assert_eq!(c.outcomes[0], [1, 0, 0, 0, 0, 0]);
        let last = count_requests(&facts, 2024);
        assert_eq!(last.carried_out, c.carried_in);
        let t = requests_table(&c);
        let r = sample(t);
        assert_eq!(check(&r, Some(&[1, 0, 0, 0, 0, 0, 1])), vec![]);
        let problems = check(&r, Some(&[2, 0, 0, 0, 0, 0, 2]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "report.carry_over");
        let mut restated = r.clone();
        restated.restatement = "上年度报告漏计一件纸质申请".into();
        assert_eq!(check(&restated, Some(&[2, 0, 0, 0, 0, 0, 2])), vec![]);
    }

    #[test]
    fn a_table_that_does_not_tie_out_is_caught() {
        let c = count_requests(
            &[RequestFact {
                n: 1,
                applicant: ApplicantType::NaturalPerson,
                received_year: 2025,
                concluded_year: Some(2025),
                outcome: Some(*outcome("withheld.third_party")),
            }],
            2025,
        );
        let mut r = sample(requests_table(&c));
        assert!(check(&r, None).is_empty());
        r.requests.rows[0].values[0] = Value::from(2);
        let codes: Vec<String> = check(&r, None).into_iter().map(|p| p.code).collect();
        assert!(codes.contains(&"report.row_total".to_string()), "{codes:?}");
        assert!(codes.contains(&"report.tie_out".to_string()), "{codes:?}");
        let mut r = sample(requests_table(&c));
        r.requests.rows[23].values[0] = Value::from(0);
        r.requests.rows[23].values[6] = Value::from(0);
        let codes: Vec<String> = check(&r, None).into_iter().map(|p| p.code).collect();
        assert!(codes.contains(&"report.results_total".to_string()), "{codes:?}");
    }

    #[test]
    fn remedies_count_cases_filed_in_the_year_with_their_result_at_year_end() {
        let f = |kind, filed: NaiveDate, result: &str, decided: Option<NaiveDate>| RemedyFact {
            kind,
            filed_on: filed,
            result: RemedyResult::parse(result).expect("a result code"),
            decided_on: decided,
        };
        let t = remedies_table(
            &[
                f(RemedyKind::Review, d(2025, 3, 1), "upheld", Some(d(2025, 5, 1))),
                f(RemedyKind::Review, d(2025, 11, 1), "corrected", Some(d(2026, 2, 1))),
                f(RemedyKind::LitigationAfterReview, d(2025, 6, 1), "other", Some(d(2025, 9, 1))),
                f(RemedyKind::LitigationDirect, d(2024, 6, 1), "upheld", Some(d(2025, 1, 9))),
            ],
            2025,
        );
        let v: Vec<i64> = (0..15).map(|i| t.rows[0].count(i)).collect();
        assert_eq!(v, vec![1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
        assert_eq!(t.columns[5], "行政诉讼 未经复议直接起诉 结果维持");
    }

    #[test]
    fn rules_and_normative_documents_are_counted_by_date() {
        let f = |is_rule, made: NaiveDate, repealed: Option<NaiveDate>, lapsed| RuleFact {
            n: 1,
            is_rule,
            made_year: made.year(),
            repealed_year: repealed.map(|d| d.year()),
            lapsed,
        };
        let t = proactive_tables(
            &[
                f(false, d(2025, 3, 1), None, false),
                f(false, d(2020, 3, 1), Some(d(2025, 6, 1)), true),
                f(false, d(2019, 3, 1), None, false),
                f(false, d(2018, 3, 1), None, true),
                f(true, d(2025, 8, 1), None, false),
                f(false, d(2026, 1, 2), None, false),
            ],
            2025,
            &EnteredFigures {
                charges_yuan: Entered { value: Some(123_456), source: "财政台账".into() },
                ..Default::default()
            },
        );
        assert_eq!((0..3).map(|i| t[0].rows[1].count(i)).collect::<Vec<_>>(), vec![1, 1, 2]);
        assert_eq!((0..3).map(|i| t[0].rows[0].count(i)).collect::<Vec<_>>(), vec![1, 0, 1]);
        assert_eq!(t[3].rows[0].values[0], serde_json::json!(12.3456));
        assert!(t[1].rows[0].values[0].is_null());
    }

    fn sample(requests: Table) -> AnnualReport {
        let entered = EnteredFigures {
            licensing: Entered { value: Some(3), source: "x".into() },
            penalty: Entered { value: Some(0), source: "x".into() },
            coercion: Entered { value: Some(0), source: "x".into() },
            charges_yuan: Entered { value: Some(0), source: "x".into() },
        };
        AnnualReport {
            org_code: "X".into(),
            org_name: "某区人民政府".into(),
            year: 2025,
            scope: Scope::Org,
            title: "t".into(),
            period: period(2025),
            overview: "总体".into(),
            proactive: proactive_tables(&[], 2025, &entered),
            entered,
            requests,
            remedies: remedies_table(&[], 2025),
            problems: "问题".into(),
            other: String::new(),
            fees: FeeSummary::default(),
            restatement: String::new(),
        }
    }

    #[test]
    fn a_report_is_drafted_approved_then_published_and_published_is_final() {
        use ReportState::*;
        use ReportStep::*;
        assert_eq!(Save.next(None, 2025), Ok(Draft));
        assert_eq!(Save.next(Some(Approved), 2025), Ok(Draft), "editing an approved report reopens it");
        assert_eq!(Save.next(Some(Published), 2025), Err(ReportRefusal::Published(2025)));
        assert_eq!(Approve.next(None, 2025), Err(ReportRefusal::NoDraft(2025)));
        assert_eq!(Approve.next(Some(Draft), 2025), Ok(Approved));
        assert_eq!(Approve.next(Some(Approved), 2025), Err(ReportRefusal::AlreadyApproved(2025)));
        assert_eq!(Publish.next(Some(Draft), 2025), Err(ReportRefusal::NotApproved(2025)));
        assert_eq!(Publish.next(Some(Approved), 2025), Ok(Published));
        assert_eq!(Publish.next(Some(Published), 2025).map_err(|e| e.to_string()), Err("2025年度报告已发布".into()));
    }
}
