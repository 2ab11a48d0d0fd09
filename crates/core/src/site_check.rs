//! The website inspection as a daily self-check (网站自查). 《政府网站与政务新媒体检查指标》
//! (国办秘函〔2019〕19号) fails a site outright (单项否决) when its home page is not updated for
//! 2 weeks; when 5 or more 动态/要闻 columns are not updated for 2 weeks, a 通知公告/政策文件
//! column for 6 months, 10 or more columns that should be updated are not, or 5 or more
//! columns are empty; when there is no working consultation channel, or a valid message has
//! waited more than 3 months for its answer. Other faults cost points (扣分): broken links,
//! attachments that cannot be opened, missing metadata, a 公开指南 without its contact, an
//! annual report not published by 31 January (条例第四十九条).
//!
//! The store gathers what the site shows ([`Site`]); [`assess`] decides, the same way every
//! day, what is at risk and how near each threshold is. Nothing here reads a clock.

use crate::supervision::{self, Cadence};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::code_enum::code_enum;

/// Days without an update after which the home page fails the inspection (两周).
pub const HOME_DAYS: i64 = 14;
/// Days before that threshold the office is warned.
pub const WARN_DAYS: i64 = 4;
/// Months a 通知公告/政策文件 column may go without an update.
pub const KEY_COLUMN_MONTHS: u32 = 6;
/// Months a valid public message may wait for its answer.
pub const LETTER_MONTHS: u32 = 3;
/// Days before a month threshold the office is warned (a letter is warned of from its 60th day).
pub const WARN_BEFORE_MONTHS: i64 = 30;
/// Stale 动态/要闻 columns that fail the site.
pub const NEWS_COLUMNS_VETO: usize = 5;
/// Columns not updated by their rule that fail the site.
pub const STALE_COLUMNS_VETO: usize = 10;
/// Empty columns that fail the site.
pub const EMPTY_COLUMNS_VETO: usize = 5;

code_enum! {
    /// How much a finding weighs in the inspection.
    Severity {
        /// 单项否决: the site fails outright.
        Veto = ("veto", "单项否决"),
        /// 扣分: points are lost.
        Deduct = ("deduct", "扣分项"),
        /// 预警: a threshold will be crossed soon.
        Warn = ("warn", "预警"),
    }
}

code_enum! {
    /// The inspection's indicator a finding belongs to.
    Rule {
        /// 站点无法访问：首页打不开的次数占监测次数的比例累计超过（含）5%.
        Unreachable = ("unreachable", "网站无法访问"),
        /// 首页不更新.
        HomeStale = ("home_stale", "首页两周未更新"),
        /// 动态、要闻类栏目两周未更新.
        NewsColumnStale = ("news_column_stale", "动态要闻类栏目两周未更新"),
        /// 通知公告、政策文件类栏目六个月未更新.
        KeyColumnStale = ("key_column_stale", "通知公告、政策文件类栏目六个月未更新"),
        /// 应更新未更新栏目.
        ColumnStale = ("column_stale", "栏目未按更新要求更新"),
        /// 空白栏目.
        EmptyColumn = ("empty_column", "空白栏目"),
        /// 互动回应差：有效留言超过3个月未答复.
        LetterUnanswered = ("letter_unanswered", "有效留言超过3个月未答复"),
        /// 互动回应差：无有效的咨询渠道.
        NoConsultation = ("no_consultation", "无有效的在线咨询渠道"),
        /// 政务新媒体内容不更新：两周内无更新.
        MediaStale = ("media_stale", "政务新媒体两周未更新"),
        /// 链接不可用.
        BrokenLink = ("broken_link", "正文链接不可用"),
        /// 附件无法打开.
        BrokenAttachment = ("broken_attachment", "附件无法打开"),
        /// 元数据缺失或不一致.
        Metadata = ("metadata", "元数据缺失或不一致"),
        /// 政府信息公开指南不完整.
        Guide = ("guide", "政府信息公开指南缺少联系方式"),
        /// 政府信息公开制度未公开.
        Rules = ("rules", "政府信息公开制度未公开"),
        /// 法定主动公开内容栏目缺失.
        NoCatalog = ("no_catalog", "缺少法定主动公开内容栏目"),
        /// 年度报告未按时发布.
        AnnualReport = ("annual_report", "政府信息公开工作年度报告未按时发布"),
        /// 严重表述错误 (the state's name, a basic formulation).
        Wording = ("wording", "严重表述错误"),
        /// 错别字.
        Typo = ("typo", "错别字"),
    }
}

/// What a finding asks the office to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Target {
    /// An item (its editor).
    Item(i64),
    /// A letter.
    Letter(i64),
    /// An org's catalog sections.
    Sections(i64),
    /// One column: (org, section).
    Column(i64, i64),
    /// An org's metadata problems (its supervision page).
    Supervision(i64),
    /// An org's pages (contact, leaders).
    OrgPages(i64),
    /// An org's own pages of the 专栏 (its 政府信息公开制度, the guide's addition).
    OwnPages(i64),
    /// The mailboxes.
    Mailboxes,
    /// The annual reports of a year.
    Reports(i32),
    /// A 政务新媒体 account.
    MediaAccount(i64),
}

/// One thing at risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The org whose sub-site shows it (the root org for the site as a whole).
    pub org_id: i64,
    pub rule: Rule,
    pub severity: Severity,
    /// What is at fault, as a clerk names it (a column, an item's title, a letter's number).
    pub subject: String,
    /// Why, with the figures.
    pub detail: String,
    pub target: Target,
    /// Days until a threshold is crossed (warnings), or past it (negative).
    pub days_left: Option<i64>,
}

/// A column (catalog section) as the site shows it.
#[derive(Debug, Clone, Default)]
pub struct Column {
    pub org_id: i64,
    pub section_id: i64,
    pub name: String,
    pub update_rule: String,
    pub basis: String,
    /// Published items in it and its subsections, and rows of the lists it shows.
    pub count: i64,
    /// Its latest publication, subsections included (Beijing date).
    pub last: Option<NaiveDate>,
}

impl Column {
    /// A 动态/要闻 column: the inspection wants it updated every 2 weeks.
    pub fn is_news(&self) -> bool {
        ["动态", "要闻", "新闻"].iter().any(|w| self.name.contains(w))
    }

    /// A 通知公告/政策文件 column: the inspection wants it updated every 6 months. The
    /// catalog's section for article 20(一) (法规、规章和规范性文件) is the 政策文件 column.
    pub fn is_key(&self) -> bool {
        ["通知公告", "公告公示", "政策文件", "规范性文件"].iter().any(|w| self.name.contains(w))
            || self.basis.contains("第二十条第（一）项")
    }
}

/// An open, valid public message.
#[derive(Debug, Clone)]
pub struct OpenLetter {
    pub org_id: i64,
    pub letter_id: i64,
    pub tracking_no: String,
    pub subject: String,
    pub received_on: NaiveDate,
}

/// A link in a published body that does not open.
#[derive(Debug, Clone)]
pub struct BrokenLink {
    pub org_id: i64,
    pub item_id: i64,
    pub title: String,
    pub href: String,
    /// What opening it gave (an HTTP status, or why it was not opened).
    pub outcome: String,
}

/// A wrong form in a published item.
#[derive(Debug, Clone)]
pub struct ItemSlip {
    pub org_id: i64,
    pub item_id: i64,
    pub title: String,
    pub slip: crate::wording::Slip,
}

/// A published attachment whose file is missing or not whole.
#[derive(Debug, Clone)]
pub struct BrokenAttachment {
    pub org_id: i64,
    pub item_id: i64,
    pub title: String,
    pub file_name: String,
    pub outcome: String,
}

/// An active 政务新媒体 account.
#[derive(Debug, Clone)]
pub struct MediaFacts {
    pub org_id: i64,
    pub account_id: i64,
    /// The platform and the name, as a clerk names the account.
    pub label: String,
    pub last_update: Option<NaiveDate>,
    pub opened_on: Option<NaiveDate>,
}

/// What one org's sub-site shows besides its columns.
#[derive(Debug, Clone, Default)]
pub struct OrgFacts {
    pub org_id: i64,
    pub name: String,
    /// The guide's contact (address, hours, phone) is filled in.
    pub has_contact: bool,
    /// The 专栏 shows a 政府信息公开制度: the org's own, or one of an org above it.
    pub has_rules: bool,
    /// Published items with metadata problems.
    pub metadata_problems: usize,
    /// When last year's annual report is due (条例第四十九条); `None` when none is owed (the
    /// org did not exist then).
    pub report_due: Option<NaiveDate>,
    /// Last year's annual report is published.
    pub last_report_published: bool,
}

/// Everything the self-check looks at.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The org whose home page is the site's.
    pub root_org_id: i64,
    /// The latest publication anywhere on the site.
    pub last_publication: Option<NaiveDate>,
    pub columns: Vec<Column>,
    pub letters: Vec<OpenLetter>,
    /// Open mailboxes of the 咨询 kind.
    pub consultation_channels: usize,
    pub broken_links: Vec<BrokenLink>,
    pub broken_attachments: Vec<BrokenAttachment>,
    /// Wrong forms (`crate::wording`) in published titles and bodies.
    pub slips: Vec<ItemSlip>,
    pub orgs: Vec<OrgFacts>,
    /// Active 政务新媒体 accounts.
    pub media: Vec<MediaFacts>,
    /// The platform's own probes of its home page over the last [`PROBE_DAYS`] days (when an
    /// operator turned them on).
    pub probes: Option<Probes>,
}

/// The home page opened from outside, as the inspection's monitor opens it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Probes {
    pub total: u64,
    /// Times it did not open (no answer within the time, or an error status).
    pub failed: u64,
}

/// The inspection monitors a site for a week.
pub const PROBE_DAYS: i64 = 7;
/// Fewer probes than this say nothing yet.
pub const MIN_PROBES: u64 = 20;
/// 首页打不开的次数占监测次数的比例累计超过（含）5% fails the site; from 2% it is warned of.
const PROBE_VETO_PERCENT: u64 = 5;
const PROBE_WARN_PERCENT: u64 = 2;

fn months_after(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The severity of a date threshold: past it (veto), within `warn` days of it, or neither.
fn against(deadline: NaiveDate, today: NaiveDate, warn: i64) -> Option<(Severity, i64)> {
    let left = (deadline - today).num_days();
    if left < 0 {
        Some((Severity::Veto, left))
    } else if left <= warn {
        Some((Severity::Warn, left))
    } else {
        None
    }
}

fn since(last: Option<NaiveDate>) -> String {
    last.map_or_else(|| "从未发布".to_string(), |d| format!("最近一次发布于 {d}"))
}

/// Every risk the site shows on `today`: 单项否决 first, then 扣分, then warnings; within
/// each, by rule and org.
pub fn assess(site: &Site, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    let root = site.root_org_id;

    // 站点无法访问.
    if let Some(p) = site.probes.filter(|p| p.total >= MIN_PROBES) {
        let severity = if p.failed * 100 >= PROBE_VETO_PERCENT * p.total {
            Some(Severity::Veto)
        } else if p.failed * 100 >= PROBE_WARN_PERCENT * p.total {
            Some(Severity::Warn)
        } else {
            None
        };
        if let Some(severity) = severity {
            out.push(Finding {
                org_id: root,
                rule: Rule::Unreachable,
                severity,
                subject: "网站首页".into(),
                detail: format!(
                    "近 {PROBE_DAYS} 天从外部访问首页 {} 次，{} 次打不开（{:.1}%）；累计达到 {PROBE_VETO_PERCENT}% 即单项否决",
                    p.total,
                    p.failed,
                    p.failed as f64 * 100.0 / p.total as f64
                ),
                target: Target::Sections(root),
                days_left: None,
            });
        }
    }

    // 首页不更新.
    let home_due =
        site.last_publication.map_or(today - chrono::Duration::days(1), |d| d + chrono::Duration::days(HOME_DAYS));
    if let Some((severity, left)) = against(home_due, today, WARN_DAYS) {
        out.push(Finding {
            org_id: root,
            rule: Rule::HomeStale,
            severity,
            subject: "网站首页".into(),
            detail: format!("{}；首页连续 {HOME_DAYS} 天无更新即单项否决", since(site.last_publication)),
            target: Target::Sections(root),
            days_left: site.last_publication.map(|_| left),
        });
    }

    // 动态要闻 (2 weeks), 通知公告/政策文件 (6 months), and the columns' own rules.
    let mut news_stale = 0;
    let mut rule_stale = 0;
    let mut empty: std::collections::BTreeMap<i64, Vec<&str>> = std::collections::BTreeMap::new();
    for c in &site.columns {
        if c.count == 0 {
            empty.entry(c.org_id).or_default().push(&c.name);
        }
        if c.is_news() {
            let due = c.last.map_or(today - chrono::Duration::days(1), |d| d + chrono::Duration::days(HOME_DAYS));
            if let Some((severity, left)) = against(due, today, WARN_DAYS) {
                news_stale += usize::from(severity == Severity::Veto);
                out.push(Finding {
                    org_id: c.org_id,
                    rule: Rule::NewsColumnStale,
                    severity: if severity == Severity::Veto { Severity::Deduct } else { severity },
                    subject: c.name.clone(),
                    detail: format!("{}；动态要闻类栏目 {HOME_DAYS} 天内应有更新", since(c.last)),
                    target: Target::Column(c.org_id, c.section_id),
                    days_left: c.last.map(|_| left),
                });
            }
        } else if c.is_key() {
            let due = c.last.map_or(today - chrono::Duration::days(1), |d| months_after(d, KEY_COLUMN_MONTHS));
            if let Some((severity, left)) = against(due, today, WARN_BEFORE_MONTHS) {
                out.push(Finding {
                    org_id: c.org_id,
                    rule: Rule::KeyColumnStale,
                    severity,
                    subject: c.name.clone(),
                    detail: format!(
                        "{}；通知公告、政策文件类栏目超过 {KEY_COLUMN_MONTHS} 个月未更新即单项否决",
                        since(c.last)
                    ),
                    target: Target::Column(c.org_id, c.section_id),
                    days_left: c.last.map(|_| left),
                });
            }
        } else if let Cadence::Every(days) = supervision::cadence(&c.update_rule) {
            let due = c.last.map_or(today - chrono::Duration::days(1), |d| d + chrono::Duration::days(days));
            if let Some((severity, left)) = against(due, today, WARN_DAYS.min(days / 4)) {
                rule_stale += usize::from(severity == Severity::Veto);
                out.push(Finding {
                    org_id: c.org_id,
                    rule: Rule::ColumnStale,
                    severity: if severity == Severity::Veto { Severity::Deduct } else { severity },
                    subject: c.name.clone(),
                    detail: format!("{}；更新要求：{}", since(c.last), c.update_rule),
                    target: Target::Column(c.org_id, c.section_id),
                    days_left: c.last.map(|_| left),
                });
            }
        }
    }
    if news_stale >= NEWS_COLUMNS_VETO {
        out.push(site_wide(root, Rule::NewsColumnStale, news_stale, NEWS_COLUMNS_VETO, "个动态要闻类栏目两周未更新"));
    }
    if rule_stale >= STALE_COLUMNS_VETO {
        out.push(site_wide(root, Rule::ColumnStale, rule_stale, STALE_COLUMNS_VETO, "个栏目未按更新要求更新"));
    }
    let empty_total: usize = empty.values().map(Vec::len).sum();
    if empty_total >= EMPTY_COLUMNS_VETO {
        out.push(site_wide(root, Rule::EmptyColumn, empty_total, EMPTY_COLUMNS_VETO, "个空白栏目"));
    }
    for (org_id, names) in empty {
        out.push(Finding {
            org_id,
            rule: Rule::EmptyColumn,
            severity: Severity::Deduct,
            subject: format!("空白栏目 {} 个", names.len()),
            detail: format!(
                "{}{}；无内容的栏目应补充内容，或合并、关闭",
                names.iter().take(8).copied().collect::<Vec<_>>().join("、"),
                if names.len() > 8 { " 等" } else { "" }
            ),
            target: Target::Sections(org_id),
            days_left: None,
        });
    }

    // 互动回应差.
    if site.consultation_channels == 0 {
        out.push(Finding {
            org_id: root,
            rule: Rule::NoConsultation,
            severity: Severity::Veto,
            subject: "在线咨询".into(),
            detail: "网站没有开放的咨询类信箱；无有效的在线咨询渠道即单项否决".into(),
            target: Target::Mailboxes,
            days_left: None,
        });
    }
    for l in &site.letters {
        let due = months_after(l.received_on, LETTER_MONTHS);
        if let Some((severity, left)) = against(due, today, WARN_BEFORE_MONTHS) {
            out.push(Finding {
                org_id: l.org_id,
                rule: Rule::LetterUnanswered,
                severity,
                subject: format!("{} {}", l.tracking_no, l.subject),
                detail: format!(
                    "{} 收到，已 {} 天未答复；有效留言超过 {LETTER_MONTHS} 个月未答复即单项否决",
                    l.received_on,
                    (today - l.received_on).num_days()
                ),
                target: Target::Letter(l.letter_id),
                days_left: Some(left),
            });
        }
    }

    // 政务新媒体: an active account not updated for two weeks fails as a home page does.
    for m in &site.media {
        let due = crate::media::update_due(m.last_update, m.opened_on, today);
        if let Some((severity, left)) = against(due, today, WARN_DAYS) {
            out.push(Finding {
                org_id: m.org_id,
                rule: Rule::MediaStale,
                severity,
                subject: m.label.clone(),
                detail: format!(
                    "{}；政务新媒体 {} 天内应有更新，否则单项否决（不再运营的应关停或整合）",
                    m.last_update.map_or_else(|| "未登记过更新".to_string(), |d| format!("最近一次更新于 {d}")),
                    crate::media::STALE_DAYS
                ),
                target: Target::MediaAccount(m.account_id),
                days_left: m.last_update.or(m.opened_on).map(|_| left),
            });
        }
    }

    // 表述错误: a serious one fails the site; a 错别字 costs points.
    for x in &site.slips {
        let serious = x.slip.weight == crate::wording::Weight::Serious;
        out.push(Finding {
            org_id: x.org_id,
            rule: if serious { Rule::Wording } else { Rule::Typo },
            severity: if serious { Severity::Veto } else { Severity::Deduct },
            subject: x.title.clone(),
            detail: format!(
                "「{}」应为「{}」{}",
                x.slip.wrong,
                x.slip.right,
                if x.slip.count > 1 { format!("（共 {} 处）", x.slip.count) } else { String::new() }
            ),
            target: Target::Item(x.item_id),
            days_left: None,
        });
    }

    // 扣分: links, attachments, metadata, the guide, the catalog, the annual report.
    for b in &site.broken_links {
        out.push(Finding {
            org_id: b.org_id,
            rule: Rule::BrokenLink,
            severity: Severity::Deduct,
            subject: b.title.clone(),
            detail: format!("正文链接 {} 无法打开（{}）", b.href, b.outcome),
            target: Target::Item(b.item_id),
            days_left: None,
        });
    }
    for b in &site.broken_attachments {
        out.push(Finding {
            org_id: b.org_id,
            rule: Rule::BrokenAttachment,
            severity: Severity::Deduct,
            subject: b.title.clone(),
            detail: format!("附件「{}」无法打开（{}）", b.file_name, b.outcome),
            target: Target::Item(b.item_id),
            days_left: None,
        });
    }
    for o in &site.orgs {
        if o.metadata_problems > 0 {
            out.push(Finding {
                org_id: o.org_id,
                rule: Rule::Metadata,
                severity: Severity::Deduct,
                subject: format!("{} 条信息", o.metadata_problems),
                detail: "已发布信息缺少索引号、分类、发文字号等元数据，或元数据前后矛盾".into(),
                target: Target::Supervision(o.org_id),
                days_left: None,
            });
        }
        if !o.has_contact {
            out.push(Finding {
                org_id: o.org_id,
                rule: Rule::Guide,
                severity: Severity::Deduct,
                subject: format!("{}政府信息公开指南", o.name),
                detail: "指南应载明受理机构的办公地址、办公时间、联系电话（条例第十二条）".into(),
                target: Target::OrgPages(o.org_id),
                days_left: None,
            });
        }
        if !o.has_rules {
            out.push(Finding {
                org_id: o.org_id,
                rule: Rule::Rules,
                severity: Severity::Deduct,
                subject: format!("{}政府信息公开制度", o.name),
                detail: "政府信息公开专栏应公开本机关的政府信息公开制度（保密审查、主动公开、依申请公开、监督考核等），本单位和上级单位均未填写".into(),
                target: Target::OwnPages(o.org_id),
                days_left: None,
            });
        }
        if !site.columns.iter().any(|c| c.org_id == o.org_id) {
            out.push(Finding {
                org_id: o.org_id,
                rule: Rule::NoCatalog,
                severity: Severity::Deduct,
                subject: format!("{}主动公开目录", o.name),
                detail: "没有任何主动公开栏目；应按条例第二十条设置法定主动公开内容".into(),
                target: Target::Sections(o.org_id),
                days_left: None,
            });
        }
        if let Some(due) = o.report_due.filter(|_| !o.last_report_published) {
            let left = (due - today).num_days();
            let severity = if left < 0 { Severity::Deduct } else { Severity::Warn };
            if left <= WARN_BEFORE_MONTHS {
                out.push(Finding {
                    org_id: o.org_id,
                    rule: Rule::AnnualReport,
                    severity,
                    subject: format!("{} 年度报告", due.year() - 1),
                    detail: format!(
                        "年度报告应于 {due} 前公布（条例第四十九条）{}",
                        if left < 0 { "，已逾期" } else { "" }
                    ),
                    target: Target::Reports(due.year() - 1),
                    days_left: Some(left),
                });
            }
        }
    }
    let rank = |s: Severity| Severity::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let rule_rank = |r: Rule| Rule::ALL.iter().position(|x| *x == r).unwrap_or(0);
    out.sort_by(|a, b| {
        rank(a.severity)
            .cmp(&rank(b.severity))
            .then(rule_rank(a.rule).cmp(&rule_rank(b.rule)))
            .then(a.days_left.unwrap_or(i64::MAX).cmp(&b.days_left.unwrap_or(i64::MAX)))
            .then(a.org_id.cmp(&b.org_id))
    });
    out
}

fn site_wide(root: i64, rule: Rule, n: usize, veto: usize, what: &str) -> Finding {
    Finding {
        org_id: root,
        rule,
        severity: Severity::Veto,
        subject: "全站".into(),
        detail: format!("全站共有 {n} {what}；达到 {veto} 个即单项否决"),
        target: Target::Sections(root),
        days_left: None,
    }
}

/// The links in sanitised HTML (`href` and `src` values, entities in them decoded).
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// An http(s) link to another site (not `public_url`'s), without its fragment.
pub fn external_url(href: &str, public_url: &str) -> Option<String> {
    let href = href.trim();
    if !(href.starts_with("https://") || href.starts_with("http://")) || internal_path(href, public_url).is_some() {
        return None;
    }
    Some(href.split('#').next().unwrap_or(href).to_string())
}

/// The path on this site a link leads to, when it leads here: absolute paths, links to
/// `public_url`, and paths relative to the item page (`/items/`). Anchors, other sites and
/// `mailto:` are not ours.
pub fn internal_path(href: &str, public_url: &str) -> Option<String> {
    let href = href.trim();
    let base = public_url.trim_end_matches('/');
    let path = if let Some(rest) = href.strip_prefix(base).filter(|_| !base.is_empty()) {
        if rest.is_empty() {
            "/".to_string()
        } else if rest.starts_with('/') {
            rest.to_string()
        } else {
            return None;
        }
    } else if href.starts_with("//") || href.contains("://") || href.starts_with('#') || href.contains(':') {
        return None;
    } else if href.starts_with('/') {
        href.to_string()
    } else if href.is_empty() {
        return None;
    } else {
        format!("/items/{href}")
    };
    Some(path.split('#').next().unwrap_or("/").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn column(org: i64, name: &str, rule: &str, count: i64, last: Option<NaiveDate>) -> Column {
        Column {
            org_id: org,
            section_id: 0,
            name: name.into(),
            update_rule: rule.into(),
            basis: String::new(),
            count,
            last,
        }
    }

    fn site() -> Site {
        Site { root_org_id: 1, last_publication: Some(d(2026, 12, 1)), consultation_channels: 1, ..Default::default() }
    }

    fn rules(f: &[Finding]) -> Vec<(Rule, Severity)> {
        f.iter().map(|f| (f.rule, f.severity)).collect()
    }

    #[test]
    fn a_fresh_site_has_nothing_to_fix() {
        assert!(assess(&site(), d(2026, 12, 3)).is_empty());
    }

    #[test]
    fn the_home_page_is_warned_of_then_fails_after_two_weeks() {
        let s = site();
        assert!(assess(&s, d(2026, 12, 10)).is_empty());
        let warn = assess(&s, d(2026, 12, 12));
        assert_eq!(rules(&warn), [(Rule::HomeStale, Severity::Warn)]);
        assert_eq!(warn[0].days_left, Some(3));
        assert_eq!(rules(&assess(&s, d(2026, 12, 15))), [(Rule::HomeStale, Severity::Warn)]);
        assert_eq!(rules(&assess(&s, d(2026, 12, 16))), [(Rule::HomeStale, Severity::Veto)]);
    }

    #[test]
    fn a_policy_column_fails_after_six_months() {
        let mut s = site();
        s.columns.push(column(2, "行政规范性文件", "形成或变更之日起20个工作日内", 3, Some(d(2026, 5, 1))));
        let f = assess(&s, d(2026, 11, 2));
        assert_eq!(rules(&f), [(Rule::KeyColumnStale, Severity::Veto)]);
        assert_eq!(f[0].days_left, Some(-1));
        assert_eq!(rules(&assess(&s, d(2026, 10, 5))), [(Rule::KeyColumnStale, Severity::Warn)]);
        assert!(assess(&s, d(2026, 9, 30)).is_empty());
    }

    #[test]
    fn five_empty_columns_fail_the_site_and_each_org_sees_its_own() {
        let mut s = site();
        for i in 0..4 {
            s.columns.push(column(2 + i % 2, &format!("栏目{i}"), "即时", 0, None));
        }
        let f = assess(&s, d(2026, 12, 3));
        assert_eq!(rules(&f), [(Rule::EmptyColumn, Severity::Deduct), (Rule::EmptyColumn, Severity::Deduct)]);
        s.columns.push(column(2, "栏目4", "即时", 0, None));
        let f = assess(&s, d(2026, 12, 3));
        assert_eq!(f[0].rule, Rule::EmptyColumn);
        assert_eq!(f[0].severity, Severity::Veto);
        assert_eq!(f[0].org_id, 1);
        assert!(f[0].detail.contains("5 个空白栏目"), "{}", f[0].detail);
        assert_eq!(f.iter().find(|x| x.org_id == 2).map(|x| x.subject.as_str()), Some("空白栏目 3 个"));
    }

    #[test]
    fn ten_columns_past_their_rule_fail_the_site() {
        let mut s = site();
        for i in 0..9 {
            s.columns.push(column(2, &format!("统计{i}"), "每月", 1, Some(d(2026, 10, 1))));
        }
        let f = assess(&s, d(2026, 12, 3));
        assert_eq!(f.len(), 9);
        assert!(f.iter().all(|f| f.severity == Severity::Deduct));
        s.columns.push(column(2, "统计9", "每月", 1, Some(d(2026, 10, 1))));
        assert_eq!(rules(&assess(&s, d(2026, 12, 3)))[0], (Rule::ColumnStale, Severity::Veto));
    }

    #[test]
    fn a_letter_is_warned_of_from_its_sixtieth_day_and_fails_after_three_months() {
        let mut s = site();
        s.letters.push(OpenLetter {
            org_id: 3,
            letter_id: 9,
            tracking_no: "XJ2026-0009".into(),
            subject: "路灯".into(),
            received_on: d(2026, 9, 1),
        });
        assert!(assess(&s, d(2026, 10, 31)).is_empty());
        assert_eq!(rules(&assess(&s, d(2026, 11, 1))), [(Rule::LetterUnanswered, Severity::Warn)]);
        assert_eq!(rules(&assess(&s, d(2026, 12, 1))), [(Rule::LetterUnanswered, Severity::Warn)]);
        let f = assess(&s, d(2026, 12, 2));
        assert_eq!(rules(&f), [(Rule::LetterUnanswered, Severity::Veto)]);
        assert_eq!(f[0].target, Target::Letter(9));
    }

    #[test]
    fn no_consultation_mailbox_fails_the_site() {
        let mut s = site();
        s.consultation_channels = 0;
        assert_eq!(rules(&assess(&s, d(2026, 12, 3))), [(Rule::NoConsultation, Severity::Veto)]);
    }

    #[test]
    fn a_media_account_is_warned_of_then_fails_two_weeks_after_its_last_update() {
        let mut s = site();
        s.media.push(MediaFacts {
            org_id: 3,
            account_id: 7,
            label: "微信公众号「黔江发布」".into(),
            last_update: Some(d(2026, 11, 20)),
            opened_on: Some(d(2019, 1, 1)),
        });
        assert!(assess(&s, d(2026, 11, 29)).is_empty());
        assert_eq!(rules(&assess(&s, d(2026, 11, 30))), [(Rule::MediaStale, Severity::Warn)]);
        let f = assess(&s, d(2026, 12, 5));
        assert_eq!(rules(&f), [(Rule::MediaStale, Severity::Veto)]);
        assert_eq!((f[0].target.clone(), f[0].days_left, f[0].org_id), (Target::MediaAccount(7), Some(-1), 3));
        s.media[0].last_update = Some(d(2026, 12, 4));
        assert!(assess(&s, d(2026, 12, 5)).is_empty(), "an update clears it");
    }

    #[test]
    fn the_annual_report_is_warned_of_in_january_and_late_after() {
        let mut s = site();
        s.last_publication = Some(d(2027, 1, 20));
        s.columns.push(column(2, "机构职能", "变更之日起20个工作日内", 1, Some(d(2027, 1, 1))));
        s.orgs.push(OrgFacts {
            org_id: 2,
            name: "区教育局".into(),
            has_contact: true,
            has_rules: true,
            report_due: Some(d(2027, 1, 31)),
            ..Default::default()
        });
        assert_eq!(rules(&assess(&s, d(2027, 1, 20))), [(Rule::AnnualReport, Severity::Warn)]);
        let late = assess(&s, d(2027, 2, 1));
        assert!(late.iter().any(|f| (f.rule, f.severity) == (Rule::AnnualReport, Severity::Deduct)), "{late:?}");
        s.orgs[0].last_report_published = true;
        assert!(assess(&s, d(2027, 2, 1)).iter().all(|f| f.rule != Rule::AnnualReport));
    }

    #[test]
    fn a_home_page_that_does_not_open_five_times_in_a_hundred_fails_the_site() {
        let mut s = site();
        s.last_publication = Some(d(2026, 12, 1));
        let of =
            |s: &Site| assess(s, d(2026, 12, 5)).into_iter().find(|f| f.rule == Rule::Unreachable).map(|f| f.severity);
        s.probes = Some(Probes { total: 10, failed: 10 });
        assert_eq!(of(&s), None, "ten probes say nothing yet");
        s.probes = Some(Probes { total: 100, failed: 1 });
        assert_eq!(of(&s), None);
        s.probes = Some(Probes { total: 100, failed: 2 });
        assert_eq!(of(&s), Some(Severity::Warn));
        s.probes = Some(Probes { total: 100, failed: 5 });
        assert_eq!(of(&s), Some(Severity::Veto), "5% is the inspection's line, inclusive");
        s.probes = None;
        assert_eq!(of(&s), None, "not monitored");
    }

    #[test]
    fn a_subsite_without_rules_of_its_own_or_above_loses_points() {
        let mut s = site();
        s.last_publication = Some(d(2026, 12, 1));
        s.columns.push(column(2, "机构职能", "变更之日起20个工作日内", 1, Some(d(2026, 12, 1))));
        s.orgs.push(OrgFacts { org_id: 2, name: "区教育局".into(), has_contact: true, ..Default::default() });
        let found = assess(&s, d(2026, 12, 5));
        let rules_found: Vec<&Finding> = found.iter().filter(|f| f.rule == Rule::Rules).collect();
        assert_eq!(rules_found.len(), 1, "{found:?}");
        assert_eq!(rules_found[0].severity, Severity::Deduct);
        assert_eq!(rules_found[0].target, Target::OwnPages(2));
        s.orgs[0].has_rules = true;
        assert!(assess(&s, d(2026, 12, 5)).iter().all(|f| f.rule != Rule::Rules));
    }

    #[test]
    fn external_links_are_the_other_sites_http_ones() {
        let base = "https://www.qianjiang.gov.cn";
        assert_eq!(external_url("https://www.gov.cn/zhengce/#top", base), Some("https://www.gov.cn/zhengce/".into()));
        assert_eq!(external_url("https://www.qianjiang.gov.cn/items/3", base), None);
        assert_eq!(external_url("/items/3", base), None);
        assert_eq!(external_url("mailto:gk@example.gov.cn", base), None);
    }

    #[test]
    fn links_are_read_and_only_ours_are_checked() {
        let html = r#"<p><a href="/items/12" rel="x">a</a> <a href="https://gov.example/items/3#x">b</a> <img src="att.png"> <a href="https://other.example/">c</a> <a href="mailto:a@b.c">d</a> <a href="/search?q=a&amp;page=2">e</a></p>"#;
        let got: Vec<Option<String>> = links(html).iter().map(|h| internal_path(h, "https://gov.example/")).collect();
        assert_eq!(
            got,
            [
                Some("/items/12".to_string()),
                Some("/items/3".to_string()),
                None,
                None,
                Some("/search?q=a&page=2".to_string()),
                Some("/items/att.png".to_string()),
            ]
        );
    }
}
