//! The notices a request produces (受理回执, 补正告知书, 征求意见书, 延期答复告知书,
//! 收费通知书, and the 答复告知书 for every outcome), composed as plain paragraphs so that the
//! web side can print them as a page or write them as a DOCX file. Every reply notice ends
//! with the remedy paragraph that fits its outcome, and the office's contact.

use crate::request::{CONSULT_DAYS, FEE_DAYS, Outcome, OutcomeGroup, REPLY_DAYS, remedy_paragraph};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 受理回执.
    Acknowledgement,
    /// 补正告知书.
    Clarification,
    /// 征求第三方意见书.
    Consultation,
    /// 延期答复告知书.
    Extension,
    /// 信息处理费缴费通知书.
    Fee,
    /// 政府信息公开申请答复告知书.
    Reply,
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [NoticeKind; 6] =
        [Self::Acknowledgement, Self::Clarification, Self::Consultation, Self::Extension, Self::Fee, Self::Reply];

    /// The code name used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acknowledgement => "acknowledgement",
            Self::Clarification => "clarification",
            Self::Consultation => "consultation",
            Self::Extension => "extension",
            Self::Fee => "fee",
            Self::Reply => "reply",
        }
    }

    /// Parses the code name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The notice's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Acknowledgement => "政府信息公开申请受理回执",
            Self::Clarification => "政府信息公开申请补正告知书",
            Self::Consultation => "政府信息公开征求第三方意见书",
            Self::Extension => "政府信息公开申请延期答复告知书",
            Self::Fee => "政府信息公开信息处理费缴费通知书",
            Self::Reply => "政府信息公开申请答复告知书",
        }
    }
}

/// What a notice is composed from.
#[derive(Debug, Clone, Default)]
pub struct NoticeFacts {
    /// The applicant (or, for a consultation letter, the third party).
    pub addressee: String,
    /// 申请编号.
    pub tracking_no: String,
    /// What was asked for.
    pub description: String,
    /// 收到申请之日.
    pub received_on: Option<NaiveDate>,
    /// 答复期限.
    pub due_on: Option<NaiveDate>,
    /// The deadline was computed on a provisional schedule (暂定).
    pub due_provisional: bool,
    /// The issuing org.
    pub org_name: String,
    /// 复议机关.
    pub review_body: String,
    /// The office's address and phone, as the 指南 gives them.
    pub contact: String,
    /// Free text: what to complete, why extended, the reason of a reply.
    pub detail: String,
    /// Extension days, or the clarification period in working days.
    pub days: u32,
    /// For a fee notice: basis and amount.
    pub fee: Option<(String, u32)>,
    /// For a reply: the outcome.
    pub outcome: Option<Outcome>,
    /// The date on the notice.
    pub dated: Option<NaiveDate>,
}

/// A composed notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Title.
    pub title: String,
    /// 文号, once issued (e.g. 黔江府办信公开〔2026〕12号); empty on a draft.
    #[serde(default)]
    pub doc_no: String,
    /// 申请编号 line.
    pub reference: String,
    /// The salutation line (addressee and colon).
    pub salutation: String,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// The issuing org.
    pub signature: String,
    /// The date, as 公文 write it (2026年5月15日).
    pub date: String,
}

/// Text quoted inside a sentence: without its own closing punctuation, so the sentence's
/// own mark follows (never “…。”。 or 。，).
pub fn clause(text: &str) -> &str {
    text.trim().trim_end_matches(['。', '．', '.', '；', ';', '，', ',', '！', '!', '？', '?', '、', ' ', '\u{3000}'])
}

/// Text standing as a sentence: ending in exactly one 。 (or its own ！/？).
pub fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t.ends_with(['！', '？', '!', '?']) {
        return t.to_string();
    }
    format!("{}。", clause(t))
}

/// What a notice adds when its deadline is provisional.
pub const PROVISIONAL_NOTE: &str = "上述答复期限所在年度的节假日安排尚未由国务院办公厅公布，暂按《全国年节及纪念日放假办法》规定的法定节假日推算；安排公布后，以据此计算的日期为准，本机关将另行告知。";

/// The reply deadline as a notice writes it: a provisional one says so and what settles it.
fn due_date(f: &NoticeFacts) -> String {
    if f.due_provisional { format!("{}（暂定）", cn_date(f.due_on)) } else { cn_date(f.due_on) }
}

fn cn_date(d: Option<NaiveDate>) -> String {
    d.map(|d| {
        format!("{}年{}月{}日", chrono::Datelike::year(&d), chrono::Datelike::month(&d), chrono::Datelike::day(&d))
    })
    .unwrap_or_else(|| "____年__月__日".into())
}

/// The pattern of notice numbers when an org sets none: its short name, then 信公开〔年〕号.
pub const DEFAULT_NOTICE_NO: &str = "{简称}信公开〔{年}〕{号}号";

/// Checks a pattern of notice numbers: it carries `{号}` (numbers are unique per org and
/// year, so `{年}` too) and no other placeholder than `{简称}`.
pub fn check_notice_no_pattern(p: &str) -> Result<(), String> {
    let p = p.trim();
    if p.is_empty() {
        return Ok(());
    }
    if !p.contains("{号}") || !p.contains("{年}") {
        return Err("文号格式须包含 {年} 和 {号}，例如 黔江府办信公开〔{年}〕{号}号".into());
    }
    let rest = p.replace("{号}", "").replace("{年}", "").replace("{简称}", "");
    if rest.contains('{') || rest.contains('}') {
        return Err("文号格式只能使用 {简称}、{年}、{号} 三个占位符".into());
    }
    if p.chars().count() > 60 {
        return Err("文号格式不超过 60 字".into());
    }
    Ok(())
}

/// The number of an org's `n`th notice of `year` under its pattern (or the default).
pub fn notice_no(pattern: &str, short_name: &str, year: i32, n: i64) -> String {
    let p = if pattern.trim().is_empty() { DEFAULT_NOTICE_NO } else { pattern.trim() };
    p.replace("{简称}", short_name).replace("{年}", &year.to_string()).replace("{号}", &n.to_string())
}

/// The placeholders an org's own notice text may use, with what each stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("{申请人}", "申请人（征求意见书为第三方）"),
    ("{申请编号}", "申请编号"),
    ("{收到日期}", "收到申请之日"),
    ("{申请内容}", "申请获取的信息"),
    ("{答复期限}", "答复期限"),
    ("{机关}", "作出告知的机关"),
    ("{复议机关}", "行政复议机关"),
    ("{联系方式}", "政府信息公开工作机构的联系方式"),
    ("{说明}", "补正事项、延期理由、答复理由等"),
    ("{天数}", "延长或补正的工作日数"),
    ("{收费依据}", "收费依据"),
    ("{收费金额}", "收费金额（元）"),
    ("{办理结果}", "答复的办理结果"),
    ("{法律依据}", "办理结果的法律依据"),
    ("{救济途径}", "救济途径（答复告知书必有；不写则附在文末）"),
];

/// Checks an org's own text: every `{…}` must be a known placeholder.
pub fn check_template(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            return Err("有未闭合的“{”".into());
        };
        let name = &after[..=close];
        if !PLACEHOLDERS.iter().any(|(p, _)| *p == name) {
            return Err(format!(
                "未知的占位符 {name}；可用：{}",
                PLACEHOLDERS.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(" ")
            ));
        }
        rest = &after[close + 1..];
    }
    if text.chars().count() > 10_000 {
        return Err("文书正文不超过 10000 字".into());
    }
    Ok(())
}

/// Composes a notice from an org's own text (paragraphs separated by blank lines, with
/// placeholders). What the law requires cannot be edited away: a reply notice always
/// carries the remedy paragraph (appended when the text leaves out {救济途径}), and every
/// notice ends with the office's contact unless the text places {联系方式} itself.
pub fn compose_with(kind: NoticeKind, f: &NoticeFacts, template: Option<&str>) -> Notice {
    let Some(t) = template.filter(|t| !t.trim().is_empty()) else { return compose(kind, f) };
    let o = f.outcome.unwrap_or(crate::request::OUTCOMES[0]);
    let remedy = remedy_paragraph(o, &f.review_body, "有管辖权的人民法院");
    let (basis, amount) = f.fee.clone().unwrap_or_default();
    let values: Vec<(&str, String)> = vec![
        ("{申请人}", f.addressee.trim().to_string()),
        ("{申请编号}", f.tracking_no.clone()),
        ("{收到日期}", cn_date(f.received_on)),
        ("{申请内容}", f.description.trim().to_string()),
        ("{答复期限}", due_date(f)),
        ("{机关}", f.org_name.clone()),
        ("{复议机关}", f.review_body.clone()),
        ("{联系方式}", f.contact.trim().to_string()),
        ("{说明}", f.detail.trim().to_string()),
        ("{天数}", f.days.to_string()),
        ("{收费依据}", basis),
        ("{收费金额}", amount.to_string()),
        ("{办理结果}", o.label.to_string()),
        ("{法律依据}", o.basis.to_string()),
        ("{救济途径}", remedy.clone()),
    ];
    let mut p: Vec<String> = t
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|para| {
            let mut out = para.trim().to_string();
            for (k, v) in &values {
                out = out.replace(k, v);
            }
            out
        })
        .filter(|s| !s.is_empty())
        .collect();
    if kind == NoticeKind::Reply && !t.contains("{救济途径}") {
        p.push(remedy);
    }
    if !t.contains("{联系方式}") && !f.contact.trim().is_empty() {
        p.push(format!("联系方式：{}", f.contact.trim()));
    }
    Notice {
        title: kind.title().to_string(),
        doc_no: String::new(),
        reference: format!("申请编号：{}", f.tracking_no),
        salutation: format!("{}：", f.addressee.trim()),
        paragraphs: p,
        signature: f.org_name.clone(),
        date: cn_date(f.dated),
    }
}

/// Composes a notice.
pub fn compose(kind: NoticeKind, f: &NoticeFacts) -> Notice {
    let received = cn_date(f.received_on);
    let asked = format!(
        "您（单位）于{received}向本机关提出的政府信息公开申请（申请编号：{}），申请获取“{}”。",
        f.tracking_no,
        clause(&f.description)
    );
    let mut p: Vec<String> = Vec::new();
    match kind {
        NoticeKind::Acknowledgement => {
            p.push(format!("{asked}本机关已于{received}收到该申请。"));
            p.push(format!(
                "根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将自收到申请之日起{REPLY_DAYS}个工作日内（即{}前）予以答复；需要延长答复期限的，将另行告知。征求第三方和其他机关意见所需时间不计算在答复期限内。",
                cn_date(f.due_on)
            ));
            p.push("您可以凭申请编号和查询码在政府信息公开平台查询办理进度。".into());
        }
        NoticeKind::Clarification => {
            p.push(format!("{asked}经审查，该申请内容不明确，需要补正："));
            p.push(sentence(&f.detail));
            p.push(format!(
                "根据《中华人民共和国政府信息公开条例》第三十条的规定，请您自收到本告知书之日起{}个工作日内补正。答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                if f.days == 0 { 15 } else { f.days }
            ));
        }
        NoticeKind::Consultation => {
            p.push(format!(
                "本机关于{received}收到政府信息公开申请（申请编号：{}），申请获取“{}”。经审查，该信息的公开可能损害贵方合法权益。",
                f.tracking_no,
                clause(&f.description)
            ));
            p.push(format!(
                "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。请贵方自收到本意见书之日起{CONSULT_DAYS}个工作日内提出书面意见；逾期未提出意见的，由本机关依照该条例的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。"
            ));
        }
        NoticeKind::Extension => {
            p.push(asked);
            p.push(format!(
                "因{}，本机关不能在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{}个工作日，至{}。",
                if clause(&f.detail).is_empty() { "所需信息需要进一步检索、核实" } else { clause(&f.detail) },
                f.days,
                due_date(f)
            ));
        }
        NoticeKind::Fee => {
            let (basis, amount) = f.fee.clone().unwrap_or_default();
            p.push(asked);
            p.push(format!(
                "您申请公开政府信息的数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关依法收取信息处理费。收费依据：{basis}；收费金额：人民币{amount}元。"
            ));
            p.push(format!(
                "请您自收到本通知书之日起{FEE_DAYS}个工作日内，按本通知书所列方式缴纳（缴费方式：{}）。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                if clause(&f.detail).is_empty() { "到本机关政府信息公开工作机构现场缴纳，或按非税收入缴款通知书缴入国库" } else { clause(&f.detail) }
            ));
        }
        NoticeKind::Reply => {
            let o = f.outcome.unwrap_or(crate::request::OUTCOMES[0]);
            let reason = sentence(&f.detail);
            let reason = reason.as_str();
            p.push(asked);
            p.push(match o.group {
                OutcomeGroup::Disclosed => format!(
                    "经审查，您申请获取的政府信息属于公开范围，根据{}的规定，本机关予以公开。{}",
                    o.basis,
                    if reason.is_empty() { "所申请的信息见附件，或按您选择的方式提供。".to_string() } else { reason.to_string() }
                ),
                OutcomeGroup::Partial => format!(
                    "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{}的规定，本机关向您提供可以公开的部分；不予公开的部分及理由如下：{reason}",
                    o.basis
                ),
                OutcomeGroup::Withheld => format!("经审查，您申请获取的政府信息{}。根据{}的规定，本机关决定不予公开。理由：{reason}", o.label, o.basis),
                OutcomeGroup::Unavailable => format!("经审查，{}。根据{}的规定，本机关无法提供。说明：{reason}", o.label, o.basis),
                OutcomeGroup::NotProcessed => format!("经审查，您的申请属于“{}”的情形。根据{}的规定，本机关不作为政府信息公开申请处理。说明：{reason}", o.label, o.basis),
                OutcomeGroup::Other => format!("{}。依据：{}。说明：{reason}", o.label, o.basis),
            });
            p.push(remedy_paragraph(o, &f.review_body, "有管辖权的人民法院"));
        }
    }
    if f.due_provisional && matches!(kind, NoticeKind::Acknowledgement | NoticeKind::Extension) {
        p.push(PROVISIONAL_NOTE.into());
    }
    if !f.contact.trim().is_empty() {
        p.push(format!("联系方式：{}", f.contact.trim()));
    }
    Notice {
        title: kind.title().to_string(),
        doc_no: String::new(),
        reference: format!("申请编号：{}", f.tracking_no),
        salutation: format!("{}：", f.addressee.trim()),
        paragraphs: p.into_iter().filter(|s| !s.trim().is_empty()).collect(),
        signature: f.org_name.clone(),
        date: cn_date(f.dated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::OUTCOMES;

    #[test]
    fn quoted_text_and_reasons_never_double_their_punctuation() {
        let mut f = facts("withheld.third_party");
        f.description = "某项目立项批复。".into();
        f.detail = "所需信息需要从多个档案中检索、核实。".into();
        f.days = 5;
        let n = compose(NoticeKind::Extension, &f);
        let body = n.paragraphs.concat();
        assert!(body.contains("申请获取“某项目立项批复”。"), "{body}");
        assert!(body.contains("因所需信息需要从多个档案中检索、核实，本机关不能在法定期限内作出答复"), "{body}");
        for doubled in ["。，", "。。", "”。”", "。”。"] {
            assert!(!body.contains(doubled), "{doubled} in {body}");
        }
        f.detail = "涉及第三方商业秘密".into();
        let n = compose(NoticeKind::Reply, &f);
        assert!(n.paragraphs.concat().contains("理由：涉及第三方商业秘密。"), "a reason ends its sentence");
        assert_eq!(sentence("已公开。。"), "已公开。");
        assert_eq!(sentence("为什么？"), "为什么？");
        assert_eq!(clause("  "), "");
    }

    #[test]
    fn a_provisional_deadline_is_said_on_the_acknowledgement_and_never_left_blank() {
        let mut f = facts("disclosed");
        f.received_on = NaiveDate::from_ymd_opt(2026, 12, 4);
        f.due_on = NaiveDate::from_ymd_opt(2027, 1, 4);
        f.due_provisional = true;
        let n = compose(NoticeKind::Acknowledgement, &f);
        assert!(n.paragraphs[1].contains("（即2027年1月4日前）"), "{}", n.paragraphs[1]);
        assert!(n.paragraphs.iter().any(|p| p == PROVISIONAL_NOTE));
        assert!(!n.paragraphs.concat().contains("____"));
        f.days = 5;
        let n = compose(NoticeKind::Extension, &f);
        assert!(n.paragraphs[1].contains("至2027年1月4日（暂定）。"), "{}", n.paragraphs[1]);
        f.due_provisional = false;
        let n = compose(NoticeKind::Extension, &f);
        assert!(n.paragraphs[1].contains("至2027年1月4日。") && !n.paragraphs.iter().any(|p| p == PROVISIONAL_NOTE));
    }

    fn facts(outcome: &str) -> NoticeFacts {
        NoticeFacts {
            addressee: "张三".into(),
            tracking_no: "2026112112345678".into(),
            description: "某项目立项批复".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 11, 2),
            due_on: NaiveDate::from_ymd_opt(2026, 11, 30),
            org_name: "重庆市黔江区人民政府办公室".into(),
            review_body: "重庆市黔江区人民政府".into(),
            contact: "黔江区政务公开办，电话 023-00000000".into(),
            detail: "该信息为内部讨论记录".into(),
            days: 20,
            fee: Some(("按量计收：共 45 页".into(), 150)),
            outcome: Outcome::parse(outcome),
            dated: NaiveDate::from_ymd_opt(2026, 11, 20),
            ..Default::default()
        }
    }

    #[test]
    fn every_outcome_produces_a_reply_notice_with_its_remedy() {
        for o in OUTCOMES {
            let n = compose(NoticeKind::Reply, &facts(o.code));
            assert_eq!(n.title, "政府信息公开申请答复告知书");
            assert_eq!(n.date, "2026年11月20日");
            let body = n.paragraphs.join("\n");
            assert!(body.contains("申请编号：2026112112345678"), "{}", o.code);
            assert!(body.contains(o.basis), "{} cites its basis", o.code);
            let review_first = matches!(o.group, OutcomeGroup::Withheld | OutcomeGroup::Partial);
            assert_eq!(
                body.contains("应当先自收到本告知书之日起六十日内向重庆市黔江区人民政府申请行政复议"),
                review_first,
                "{}",
                o.code
            );
            assert_eq!(body.contains("六个月内向有管辖权的人民法院提起行政诉讼"), !review_first, "{}", o.code);
            assert!(body.ends_with("联系方式：黔江区政务公开办，电话 023-00000000"));
        }
    }

    #[test]
    fn an_orgs_own_text_fills_placeholders_and_keeps_the_remedy() {
        let t = "{申请人}于{收到日期}提出的申请（{申请编号}）已办结。\n\n结果：{办理结果}。理由：{说明}";
        assert!(check_template(t).is_ok());
        assert!(check_template("{不存在}").is_err());
        assert!(check_template("{申请人").is_err());
        let n = compose_with(NoticeKind::Reply, &facts("withheld.process_info"), Some(t));
        assert!(n.paragraphs[0].starts_with("张三于2026年11月2日提出的申请（2026112112345678）"));
        let body = n.paragraphs.join("\n");
        assert!(body.contains("应当先自收到本告知书之日起六十日内"), "the remedy cannot be edited away");
        assert!(body.ends_with("联系方式：黔江区政务公开办，电话 023-00000000"));
        assert_eq!(
            compose_with(NoticeKind::Reply, &facts("disclosed"), None),
            compose(NoticeKind::Reply, &facts("disclosed"))
        );
    }

    #[test]
    fn the_other_notices_state_their_periods() {
        let ack = compose(NoticeKind::Acknowledgement, &facts("disclosed"));
        assert!(ack.paragraphs[1].contains("20个工作日内（即2026年11月30日前）"));
        let clar = compose(NoticeKind::Clarification, &facts("disclosed"));
        assert!(clar.paragraphs.join("").contains("视为放弃申请"));
        let consult = compose(NoticeKind::Consultation, &facts("disclosed"));
        assert!(consult.paragraphs.join("").contains("15个工作日内提出书面意见"));
        let ext = compose(NoticeKind::Extension, &facts("disclosed"));
        assert!(ext.paragraphs[1].contains("延长20个工作日，至2026年11月30日"));
        let fee = compose(NoticeKind::Fee, &facts("disclosed"));
        assert!(fee.paragraphs[1].contains("人民币150元") && fee.paragraphs[2].contains("20个工作日内"));
    }
}
