//! Structured public lists (清单) as data: a list kind is a schema shipped in `data/lists/`
//! (fields with their types, which are required, code lists, which are personal data, the
//! field that ends a row's notice period), and a row is a set of values checked against it.
//! Rows change only through dated adjustments (新增, 调整, 取消, 下放, 承接) that carry their
//! document and are reviewed like any publication (`crate::review`). Natural persons'
//! personal fields never reach the public unmasked.

use crate::code_enum::code_enum;
use crate::privacy::{FindingKind, mask};
use crate::{CreditCode, OrgPath, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// A row's values: field key → its normalised text (empty fields are left out).
pub type Values = BTreeMap<String, String>;

code_enum! {
    /// What a field holds.
    FieldType {
        /// One line of text.
        Text = ("text", "文本"),
        /// Several lines.
        LongText = ("longtext", "长文本"),
        /// A date, `YYYY-MM-DD` (also read from `YYYY/M/D`, `YYYY年M月D日`).
        Date = ("date", "日期"),
        /// An amount, at most two decimals, never negative.
        Money = ("money", "金额"),
        /// A whole number.
        Integer = ("integer", "整数"),
        /// One value of the field's code list.
        Choice = ("choice", "代码"),
        /// A 统一社会信用代码, its check character verified.
        CreditCode = ("credit_code", "统一社会信用代码"),
        /// An http(s) address.
        Url = ("url", "链接"),
    }
}

/// One field of a list kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The key in JSON and the API (ASCII).
    pub key: String,
    /// The column header in pages and spreadsheets.
    pub label: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    /// The code list of a choice field.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Personal data: masked in public when the row is a natural person's (or always, in a
    /// kind without a natural-person rule).
    #[serde(default)]
    pub personal: bool,
}

/// Which rows are natural persons': those whose `field` holds `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaturalPerson {
    pub field: String,
    pub value: String,
}

/// A list kind: the schema of one 清单.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListKind {
    /// The code (`power`, `penalty` …): URLs and the API.
    pub code: String,
    /// The Chinese name.
    pub name: String,
    /// The schema's version; a kind shipped again with a higher version replaces the stored one.
    pub version: u32,
    /// Where it sits among the lists.
    #[serde(default)]
    pub order: u32,
    /// What the list holds, in a sentence.
    #[serde(default)]
    pub about: String,
    /// The update rule (更新时限).
    #[serde(default)]
    pub update: String,
    /// The field that names a row.
    pub title: String,
    /// Choice or year fields offered as filters on the public table.
    #[serde(default)]
    pub filters: Vec<String>,
    #[serde(default)]
    pub natural_person: Option<NaturalPerson>,
    /// A date field ending the row's 公示期限: after it the row leaves the public list.
    #[serde(default)]
    pub notice_until: Option<String>,
    /// A date field giving the day a row is about (a decision's date), for counting by year.
    #[serde(default)]
    pub dated: Option<String>,
    /// The annual report figure of part 二 this list produces: `licensing` (行政许可),
    /// `penalty` (行政处罚) or `coercion` (行政强制), counted by `dated`.
    #[serde(default)]
    pub report_figure: Option<String>,
    /// The fields the public table shows as columns (the rest are on the row page); empty:
    /// the first five that are not long texts.
    #[serde(default)]
    pub columns: Vec<String>,
    pub fields: Vec<Field>,
}

/// Why a schema is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemaError {
    #[error("清单定义格式有误：{0}")]
    Syntax(String),
    #[error("清单代码须为 2 至 40 位小写字母、数字或下划线")]
    Code,
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("字段「{0}」重复")]
    DuplicateField(String),
    #[error("字段代码「{0}」须为小写字母、数字或下划线")]
    FieldKey(String),
    #[error("代码字段「{0}」须列出可选值")]
    NoChoices(String),
    #[error("「{0}」不是本清单的字段")]
    UnknownField(String),
    #[error("「{0}」须为日期字段")]
    NotDate(String),
    #[error("筛选字段「{0}」须为代码、整数或文本字段")]
    NotFilter(String),
    #[error("清单最多 60 个字段")]
    TooManyFields,
    #[error("年报统计项「{0}」应为 licensing、penalty 或 coercion")]
    ReportFigure(String),
}

fn is_code(s: &str, min: usize) -> bool {
    (min..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl ListKind {
    /// Reads and checks a schema written in TOML (the format of `data/lists/*.toml`).
    pub fn parse(text: &str) -> Result<Self, SchemaError> {
        let kind: ListKind = toml::from_str(text).map_err(|e| SchemaError::Syntax(e.message().to_string()))?;
        kind.check()?;
        Ok(kind)
    }

    /// Checks the schema's consistency.
    pub fn check(&self) -> Result<(), SchemaError> {
        if !is_code(&self.code, 2) {
            return Err(SchemaError::Code);
        }
        if self.name.trim().is_empty() {
            return Err(SchemaError::Required("清单名称"));
        }
        if self.fields.is_empty() {
            return Err(SchemaError::Required("字段"));
        }
        if self.fields.len() > 60 {
            return Err(SchemaError::TooManyFields);
        }
        for (i, f) in self.fields.iter().enumerate() {
            if !is_code(&f.key, 1) {
                return Err(SchemaError::FieldKey(f.key.clone()));
            }
            if f.label.trim().is_empty() {
                return Err(SchemaError::Required("字段名称"));
            }
            if self.fields[..i].iter().any(|g| g.key == f.key || g.label == f.label) {
                return Err(SchemaError::DuplicateField(f.label.clone()));
            }
            if f.ty == FieldType::Choice && f.choices.is_empty() {
                return Err(SchemaError::NoChoices(f.label.clone()));
            }
        }
        self.field(&self.title).ok_or_else(|| SchemaError::UnknownField(self.title.clone()))?;
        for key in &self.filters {
            let f = self.field(key).ok_or_else(|| SchemaError::UnknownField(key.clone()))?;
            if !matches!(f.ty, FieldType::Choice | FieldType::Integer | FieldType::Text) {
                return Err(SchemaError::NotFilter(f.label.clone()));
            }
        }
        if let Some(key) = &self.dated {
            let f = self.field(key).ok_or_else(|| SchemaError::UnknownField(key.clone()))?;
            if f.ty != FieldType::Date {
                return Err(SchemaError::NotDate(f.label.clone()));
            }
        }
        if let Some(fig) = &self.report_figure {
            if !REPORT_FIGURES.contains(&fig.as_str()) {
                return Err(SchemaError::ReportFigure(fig.clone()));
            }
            if self.dated.is_none() {
                return Err(SchemaError::Required("统计日期字段（dated）"));
            }
        }
        for key in &self.columns {
            self.field(key).ok_or_else(|| SchemaError::UnknownField(key.clone()))?;
        }
        if let Some(np) = &self.natural_person {
            self.field(&np.field).ok_or_else(|| SchemaError::UnknownField(np.field.clone()))?;
        }
        if let Some(key) = &self.notice_until {
            let f = self.field(key).ok_or_else(|| SchemaError::UnknownField(key.clone()))?;
            if f.ty != FieldType::Date {
                return Err(SchemaError::NotDate(f.label.clone()));
            }
        }
        Ok(())
    }

    /// The field with `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields shown as the public table's columns.
    pub fn table_columns(&self) -> Vec<&Field> {
        if !self.columns.is_empty() {
            return self.columns.iter().filter_map(|k| self.field(k)).collect();
        }
        self.fields
            .iter()
            .filter(|f| f.ty != FieldType::LongText && self.notice_until.as_ref() != Some(&f.key))
            .take(5)
            .collect()
    }

    /// The day the row is about (its `dated` field), if it has one.
    pub fn row_on(&self, values: &Values) -> Option<NaiveDate> {
        let key = self.dated.as_ref()?;
        NaiveDate::parse_from_str(values.get(key)?, "%Y-%m-%d").ok()
    }

    /// A row's name.
    pub fn title_of<'a>(&self, values: &'a Values) -> &'a str {
        values.get(&self.title).map(String::as_str).unwrap_or("")
    }

    /// True when the row is a natural person's.
    pub fn is_natural_person(&self, values: &Values) -> bool {
        self.natural_person.as_ref().is_some_and(|np| values.get(&np.field).is_some_and(|v| *v == np.value))
    }

    /// The last day of the row's 公示期限, if it has one.
    pub fn notice_until(&self, values: &Values) -> Option<NaiveDate> {
        let key = self.notice_until.as_ref()?;
        NaiveDate::parse_from_str(values.get(key)?, "%Y-%m-%d").ok()
    }

    /// The row as the public may see it: personal fields masked when the row is a natural
    /// person's (always, in a kind without a natural-person rule).
    pub fn public_values(&self, values: &Values) -> Values {
        let masked = self.natural_person.is_none() || self.is_natural_person(values);
        values
            .iter()
            .map(|(k, v)| {
                let personal = self.field(k).is_some_and(|f| f.personal);
                (k.clone(), if personal && masked { mask_personal(v) } else { v.clone() })
            })
            .collect()
    }

    /// Checks and normalises one row: every problem, by field.
    pub fn check_row(&self, input: &Values) -> Result<Values, Vec<FieldProblem>> {
        let mut out = Values::new();
        let mut problems = Vec::new();
        for (key, _) in input.iter().filter(|(k, _)| self.field(k).is_none()) {
            problems.push(FieldProblem {
                field: key.clone(), label: key.clone(), message: "不是本清单的字段".into()
            });
        }
        for f in &self.fields {
            let raw = input.get(&f.key).map(|v| v.trim()).unwrap_or("");
            if raw.is_empty() {
                if f.required {
                    problems.push(f.problem("必填"));
                }
                continue;
            }
            match normalise(f, raw) {
                Ok(v) => {
                    out.insert(f.key.clone(), v);
                }
                Err(m) => problems.push(f.problem(&m)),
            }
        }
        if problems.is_empty() { Ok(out) } else { Err(problems) }
    }

    /// Maps a spreadsheet's header to fields: each cell matched to a field's label or key
    /// (ignoring spaces and 「*」 marks). Unknown columns and missing required ones are errors.
    pub fn columns(&self, header: &[String]) -> Result<Vec<Option<usize>>, Vec<String>> {
        let fold = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊').collect::<String>();
        let mut map = Vec::with_capacity(header.len());
        let mut errors = Vec::new();
        for h in header {
            let h = fold(h);
            if h.is_empty() {
                map.push(None);
                continue;
            }
            match self.fields.iter().position(|f| fold(&f.label) == h || f.key == h) {
                Some(i) => map.push(Some(i)),
                None => errors.push(format!("表头「{h}」不是本清单的字段")),
            }
        }
        for (i, f) in self.fields.iter().enumerate() {
            if f.required && !map.contains(&Some(i)) {
                errors.push(format!("缺少必填列「{}」", f.label));
            }
        }
        if errors.is_empty() { Ok(map) } else { Err(errors) }
    }

    /// Checks every data row of a spreadsheet (the header first): all rows or the list of
    /// problems by row (counting the header as row 1, as the spreadsheet shows them) and column.
    pub fn check_table(&self, cells: &[Vec<String>]) -> Result<Vec<Values>, Vec<String>> {
        let Some((header, rows)) = cells.split_first() else {
            return Err(vec!["文件为空".into()]);
        };
        let map = self.columns(header)?;
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if out.len() + errors.len() >= MAX_IMPORT_ROWS {
                return Err(vec![format!("一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入")]);
            }
            let mut values = Values::new();
            for (i, cell) in row.iter().enumerate() {
                if let Some(Some(f)) = map.get(i) {
                    values.insert(self.fields[*f].key.clone(), cell.clone());
                }
            }
            match self.check_row(&values) {
                Ok(v) => out.push(v),
                Err(ps) => {
                    for p in ps {
                        errors.push(format!("第 {} 行「{}」：{}", n + 2, p.label, p.message));
                        if errors.len() >= 200 {
                            errors.push("问题过多，仅列出前 200 条".into());
                            return Err(errors);
                        }
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if out.is_empty() {
            return Err(vec!["文件中没有数据行".into()]);
        }
        Ok(out)
    }
}

/// The annual report figures a list may produce (part 二: 行政许可, 行政处罚, 行政强制).
pub const REPORT_FIGURES: &[&str] = &["licensing", "penalty", "coercion"];

/// The most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// A problem with one field of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub label: String,
    pub message: String,
}

impl Field {
    fn problem(&self, message: &str) -> FieldProblem {
        FieldProblem { field: self.key.clone(), label: self.label.clone(), message: message.to_string() }
    }
}

fn normalise(f: &Field, raw: &str) -> Result<String, String> {
    let max = if f.ty == FieldType::LongText { 20_000 } else { 500 };
    if raw.chars().count() > max {
        return Err(format!("不能超过 {max} 字"));
    }
    match f.ty {
        FieldType::Text => Ok(raw.split_whitespace().collect::<Vec<_>>().join(" ")),
        FieldType::LongText => Ok(raw.replace("\r\n", "\n")),
        FieldType::Date => parse_date(raw).map(|d| d.to_string()).ok_or_else(|| "日期格式应为 2026-01-31".into()),
        FieldType::Money => parse_money(raw).ok_or_else(|| "应为不小于 0 的金额，最多两位小数".into()),
        FieldType::Integer => raw.replace(',', "").parse::<i64>().map(|n| n.to_string()).map_err(|_| "应为整数".into()),
        FieldType::Choice => f
            .choices
            .iter()
            .find(|c| c.as_str() == raw)
            .cloned()
            .ok_or_else(|| format!("应为：{}", f.choices.join("、"))),
        FieldType::CreditCode => CreditCode::parse(raw).map(|c| c.as_str().to_string()).map_err(|e| e.to_string()),
        FieldType::Url => {
            if crate::html::is_web_link(raw) && raw.starts_with("http") {
                Ok(raw.to_string())
            } else {
                Err("应为 http:// 或 https:// 开头的网址".into())
            }
        }
    }
}

/// Reads a date as spreadsheets and clerks write it.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
    let s = s.split_whitespace().next().unwrap_or("");
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Reads an amount: digits with at most two decimals (thousands separators allowed),
/// normalised to two decimals.
pub fn parse_money(raw: &str) -> Option<String> {
    let s: String = raw.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 15
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    Some(format!("{}.{:0<2}", if whole.is_empty() { "0" } else { whole }, frac))
}

/// Masks a natural person's personal value: an ID number as 110101********1234, a name as
/// 张** (its first character kept).
pub fn mask_personal(v: &str) -> String {
    if crate::privacy::looks_like_id_number(v) || crate::privacy::is_id_number(v) {
        return mask(FindingKind::IdNumber, v);
    }
    let mut chars = v.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

macro_rules! shipped {
    ($($code:literal),* $(,)?) => { &[$(include_str!(concat!("../../../data/lists/", $code, ".toml"))),*] };
}

const SHIPPED: &[&str] = shipped!(
    "power",
    "duty",
    "fee",
    "fund",
    "special_fund",
    "spot_check_items",
    "spot_check_results",
    "license",
    "penalty",
    "three_public",
    "debt",
    "project",
    "public_resource",
    "ppp",
    "service",
    "intermediary",
    "negative",
);

/// The code of the 政务公开负面清单, whose rows are the grounds items are withheld on.
pub const NEGATIVE: &str = "negative";

/// The list kinds shipped in `data/lists/`, in their order.
pub fn shipped() -> Vec<ListKind> {
    let mut kinds: Vec<ListKind> = SHIPPED.iter().filter_map(|t| ListKind::parse(t).ok()).collect();
    kinds.sort_by_key(|k| k.order);
    kinds
}

code_enum! {
    /// A dated change to a list (清单调整).
    AdjustKind {
        /// 新增: new rows.
        Add = ("add", "新增"),
        /// 调整: rows changed.
        Change = ("change", "调整"),
        /// 取消: rows removed.
        Cancel = ("cancel", "取消"),
        /// 下放: rows handed to a lower level (removed here).
        Delegate = ("delegate", "下放"),
        /// 承接: rows taken over from a higher level (added here).
        Undertake = ("undertake", "承接"),
    }
}

impl AdjustKind {
    /// True when the adjustment brings rows with values (新增, 承接, 调整).
    pub const fn carries_values(self) -> bool {
        matches!(self, Self::Add | Self::Undertake | Self::Change)
    }

    /// True when the adjustment names existing rows (调整, 取消, 下放).
    pub const fn names_rows(self) -> bool {
        matches!(self, Self::Change | Self::Cancel | Self::Delegate)
    }
}

/// One row change of an adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange {
    /// The row changed or removed (调整, 取消, 下放).
    #[serde(default)]
    pub row_id: Option<i64>,
    /// The new values (新增, 承接, 调整).
    #[serde(default)]
    pub values: Values,
}

/// Why an adjustment is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ListRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("一次调整最多 {MAX_IMPORT_ROWS} 行")]
    TooMany,
    #[error("{kind}须指明调整的清单行", kind = .0.label())]
    RowMissing(AdjustKind),
    #[error("第 {0} 行：{1}")]
    Row(usize, String),
}

/// Checks an adjustment before it is saved: its document or reason, and each change against
/// the schema (values normalised in place).
pub fn check_adjustment(
    kind: &ListKind,
    adjust: AdjustKind,
    basis: &str,
    changes: &mut [RowChange],
) -> Result<(), ListRefusal> {
    if basis.trim().is_empty() {
        return Err(ListRefusal::Required("调整依据（文件名称及文号或调整理由）"));
    }
    if changes.is_empty() {
        return Err(ListRefusal::Required("调整的清单行"));
    }
    if changes.len() > MAX_IMPORT_ROWS {
        return Err(ListRefusal::TooMany);
    }
    for (i, c) in changes.iter_mut().enumerate() {
        if adjust.names_rows() && c.row_id.is_none() {
            return Err(ListRefusal::RowMissing(adjust));
        }
        if adjust.carries_values() {
            c.values = kind.check_row(&c.values).map_err(|ps| {
                let first = &ps[0];
                ListRefusal::Row(i + 1, format!("「{}」{}", first.label, first.message))
            })?;
        } else {
            c.values.clear();
        }
    }
    Ok(())
}

/// Who may draft a list adjustment for an org: its editors.
pub fn may_draft(actor: &crate::Actor, org: &OrgPath) -> Result<(), crate::Denied> {
    actor.may_work_in(Role::Editor, org)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_shipped_kind_parses() {
        for t in SHIPPED {
            ListKind::parse(t).expect("shipped schema");
        }
        assert_eq!(shipped().len(), SHIPPED.len());
        let kinds = shipped();
        assert_eq!(kinds[0].code, "power");
        let power = &kinds[0];
        let types = &power.field("power_type").expect("field").choices;
        assert_eq!(types.len(), 10);
    }

    #[test]
    fn a_row_is_checked_and_normalised() {
        let penalty = shipped().into_iter().find(|k| k.code == "penalty").expect("penalty");
        let ok = penalty
            .check_row(&values(&[
                ("subject_name", "张三"),
                ("subject_type", "自然人"),
                ("id_number", "110101199003071234"),
                ("decision_no", "武市监罚〔2026〕12号"),
                ("facts", "销售过期食品"),
                ("basis", "《食品安全法》第一百二十四条"),
                ("category", "罚款"),
                ("content", "罚款五千元"),
                ("amount", "0.5"),
                ("decided_on", "2026年3月5日"),
                ("authority", "区市场监督管理局"),
            ]))
            .expect("valid");
        assert_eq!(ok["amount"], "0.50");
        assert_eq!(ok["decided_on"], "2026-03-05");
        let public = penalty.public_values(&ok);
        assert_eq!(public["subject_name"], "张*");
        assert_eq!(public["id_number"], "110101********1234");
        let mut company = ok.clone();
        company.insert("subject_type".into(), "法人及非法人组织".into());
        company.insert("subject_name".into(), "某某食品有限公司".into());
        assert_eq!(penalty.public_values(&company)["subject_name"], "某某食品有限公司");

        let bad = penalty
            .check_row(&values(&[
                ("subject_type", "个人"),
                ("credit_code", "91320412000000000X"),
                ("amount", "-3"),
                ("decided_on", "明天"),
                ("colour", "红"),
            ]))
            .expect_err("invalid");
        let fields: Vec<&str> = bad.iter().map(|p| p.field.as_str()).collect();
        for f in ["colour", "subject_name", "subject_type", "credit_code", "amount", "decided_on", "decision_no"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn a_table_is_all_or_nothing_with_row_and_column() {
        let fee = shipped().into_iter().find(|k| k.code == "fee").expect("fee");
        let cells = |rows: &[&[&str]]| -> Vec<Vec<String>> {
            rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        };
        let good = cells(&[
            &["项目主管部门", "收费项目名称*", "收费标准", "政策依据"],
            &["区自然资源局", "不动产登记费", "住宅类每件80元", "发改价格规〔2016〕2559号"],
            &["", "", "", ""],
        ]);
        assert_eq!(fee.check_table(&good).expect("good").len(), 1);
        let bad = cells(&[
            &["项目主管部门", "收费项目名称", "收费标准", "政策依据"],
            &["区自然资源局", "不动产登记费", "住宅类每件80元", "发改价格规〔2016〕2559号"],
            &["区民政局", "", "每对9元", "依据"],
        ]);
        assert_eq!(fee.check_table(&bad).expect_err("bad"), vec!["第 3 行「收费项目名称」：必填".to_string()]);
        let header = cells(&[&["项目主管部门", "颜色"]]);
        let errors = fee.check_table(&header).expect_err("header");
        assert!(errors.contains(&"表头「颜色」不是本清单的字段".to_string()), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("缺少必填列「收费标准」")));
    }

    #[test]
    fn amounts_and_dates_as_clerks_write_them() {
        assert_eq!(parse_money("1,234.5").as_deref(), Some("1234.50"));
        assert_eq!(parse_money("007").as_deref(), Some("7.00"));
        assert_eq!(parse_money("1.234"), None);
        assert_eq!(parse_money("1e5"), None);
        assert_eq!(parse_date("2026/3/5"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(parse_date("2026.03.05 00:00:00"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(mask_personal("欧阳娜娜"), "欧***");
    }

    #[test]
    fn bad_schemas_are_refused_with_a_reason() {
        assert_eq!(ListKind::parse("code = 1").map(|_| ()).map_err(|e| matches!(e, SchemaError::Syntax(_))), Err(true));
        let base = "code = \"x1\"\nname = \"测试\"\nversion = 1\ntitle = \"a\"\n";
        let choice = format!("{base}fields = [{{ key = \"a\", label = \"甲\", type = \"choice\" }}]");
        assert_eq!(ListKind::parse(&choice), Err(SchemaError::NoChoices("甲".into())));
        let dup = format!(
            "{base}fields = [{{ key = \"a\", label = \"甲\", type = \"text\" }}, {{ key = \"b\", label = \"甲\", type = \"text\" }}]"
        );
        assert_eq!(ListKind::parse(&dup), Err(SchemaError::DuplicateField("甲".into())));
        let notice =
            format!("{base}notice_until = \"a\"\nfields = [{{ key = \"a\", label = \"甲\", type = \"text\" }}]");
        assert_eq!(ListKind::parse(&notice), Err(SchemaError::NotDate("甲".into())));
    }

    #[test]
    fn adjustments_name_rows_or_carry_values() {
        let fee = shipped().into_iter().find(|k| k.code == "fee").expect("fee");
        let mut cancel = vec![RowChange { row_id: None, values: Values::new() }];
        assert_eq!(
            check_adjustment(&fee, AdjustKind::Cancel, "区政府令第3号", &mut cancel),
            Err(ListRefusal::RowMissing(AdjustKind::Cancel))
        );
        let mut add = vec![RowChange { row_id: None, values: values(&[("name", "登记费")]) }];
        assert!(matches!(check_adjustment(&fee, AdjustKind::Add, "依据", &mut add), Err(ListRefusal::Row(1, _))));
        assert_eq!(
            check_adjustment(&fee, AdjustKind::Add, " ", &mut add),
            Err(ListRefusal::Required("调整依据（文件名称及文号或调整理由）"))
        );
    }
}
