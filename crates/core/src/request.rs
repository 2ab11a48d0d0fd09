//! Information requests (依申请公开) under articles 27-45 of the 条例: who applies, how the
//! receipt date is fixed (article 31), the states a request passes through, the statutory
//! clock in working days (articles 30, 32, 33), the outcomes of the national annual-report
//! template with their legal basis (articles 36-39), fees (国办函〔2020〕109号) and the
//! remedy paragraph every reply ends with (行政复议法 2023 articles 20 and 23, 行政诉讼法
//! articles 45 and 46).

use crate::calendar::{Calendar, CalendarError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::code_enum::code_enum;

code_enum! {
    /// 申请人类型: the columns of the annual report's table 三.
    ApplicantType {
        /// 自然人.
        NaturalPerson = ("natural_person", "自然人"),
        /// 商业企业.
        Commercial = ("commercial", "商业企业"),
        /// 科研机构.
        Research = ("research", "科研机构"),
        /// 社会公益组织.
        PublicInterest = ("public_interest", "社会公益组织"),
        /// 法律服务机构.
        LegalService = ("legal_service", "法律服务机构"),
        /// 其他 (other legal persons or organisations).
        OtherOrg = ("other_org", "其他"),
    }
}

impl ApplicantType {
    /// True for 法人或其他组织.
    pub fn is_organisation(self) -> bool {
        self != Self::NaturalPerson
    }
}

/// The applicant as the application names them (article 29: 姓名或者名称、身份证明、联系方式).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub kind: ApplicantType,
    /// 姓名 or 名称.
    pub name: String,
    /// 证件类型 (natural persons).
    pub id_type: String,
    /// 证件号码 (natural persons).
    pub id_number: String,
    /// 统一社会信用代码 (organisations).
    pub credit_code: String,
    /// 法定代表人 (organisations).
    pub legal_rep: String,
    /// 联系人 (organisations).
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    /// 邮政编码 of the address (6 digits), for replies by post.
    pub postcode: String,
}

impl Applicant {
    /// The applicant as staff who do not handle the request see them (the org's other staff,
    /// supervisors who only read): a natural person's name to the surname, ID number, phone,
    /// e-mail and address masked; an organisation's name, credit code and legal representative
    /// are public facts and stay, its contact person and channels are masked.
    pub fn masked(&self) -> Applicant {
        use crate::privacy::{FindingKind, mask};
        let person = |name: &str| -> String {
            let mut c = name.trim().chars();
            match c.next() {
                Some(first) => std::iter::once(first).chain(c.map(|_| '*')).collect(),
                None => String::new(),
            }
        };
        let address = |a: &str| -> String {
            let kept: String = a.trim().chars().take(6).collect();
            if a.trim().chars().count() > 6 { format!("{kept}****") } else { kept }
        };
        let phone = |p: &str| mask(FindingKind::Mobile, p.trim());
        Applicant {
            kind: self.kind,
            name: if self.kind.is_organisation() { self.name.clone() } else { person(&self.name) },
            id_type: self.id_type.clone(),
            id_number: mask(FindingKind::IdNumber, self.id_number.trim()),
            credit_code: self.credit_code.clone(),
            legal_rep: self.legal_rep.clone(),
            contact_person: person(&self.contact_person),
            phone: phone(&self.phone),
            email: mask(FindingKind::Email, self.email.trim()),
            address: address(&self.address),
            postcode: self.postcode.clone(),
        }
    }
}

/// 获取信息的方式 an application may ask for.
pub const FORMS: &[&str] = &["纸质", "电子邮件", "光盘/数据", "自行领取"];
/// 证件类型 a natural person may identify with.
pub const ID_TYPES: &[&str] = &["居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他"];

/// An application as typed, before it is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Application<'a> {
    pub applicant_type: &'a str,
    pub name: &'a str,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub credit_code: &'a str,
    pub legal_rep: &'a str,
    pub contact_person: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub description: &'a str,
    pub form: &'a str,
}

/// What an application must contain (article 29: 姓名或者名称、身份证明、联系方式; a
/// description of the information; the form wanted), checked all at once: the applicant type,
/// or every problem by field.
pub fn check_application(a: &Application<'_>) -> Result<ApplicantType, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut err = |field: &'static str, message: &str| errors.push((field, message.to_string()));
    let applicant_type = ApplicantType::parse(a.applicant_type);
    if applicant_type.is_none() {
        err("applicant_type", "请选择申请人类型");
    }
    if a.name.trim().is_empty() || a.name.chars().count() > 100 {
        err("name", "请填写姓名或名称（不超过 100 字）");
    }
    match applicant_type {
        Some(ApplicantType::NaturalPerson) => {
            if !ID_TYPES.contains(&a.id_type.trim()) {
                err("id_type", "请选择证件类型");
            }
            let id = a.id_number.trim();
            if id.is_empty() {
                err("id_number", "请填写证件号码");
            } else if a.id_type.trim() == "居民身份证" && !crate::privacy::is_id_number(&id.to_ascii_uppercase()) {
                err("id_number", "居民身份证号码有误（18 位，校验位不符或出生日期无效）");
            }
        }
        Some(_) => {
            if let Err(e) = crate::CreditCode::parse(a.credit_code) {
                err("credit_code", &format!("统一社会信用代码有误：{e}"));
            }
            if a.legal_rep.trim().is_empty() {
                err("legal_rep", "请填写法定代表人或负责人");
            }
            if a.contact_person.trim().is_empty() {
                err("contact_person", "请填写联系人");
            }
        }
        None => {}
    }
    let phone = a.phone.trim();
    if phone.is_empty() && a.email.trim().is_empty() && a.address.trim().is_empty() {
        err("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）");
    }
    let phone_ok = (7..=20).contains(&phone.len()) && phone.chars().all(|c| c.is_ascii_digit() || "-+ ()".contains(c));
    if !phone.is_empty() && !phone_ok {
        err("phone", "电话号码格式有误");
    }
    let postcode = a.postcode.trim();
    let postcode_ok = postcode.len() == 6 && postcode.bytes().all(|b| b.is_ascii_digit());
    if !postcode.is_empty() && !postcode_ok {
        err("postcode", "邮政编码为 6 位数字");
    }
    let email = a.email.trim();
    let email_ok = email.len() <= 100
        && email.rsplit_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
    if !email.is_empty() && !email_ok {
        err("email", "电子邮箱格式有误");
    }
    let desc = a.description.trim();
    if desc.chars().count() < 5 {
        err("description", "请描述所需政府信息（名称、文号或便于查询的特征，至少 5 个字）");
    } else if desc.chars().count() > 5000 {
        err("description", "描述不能超过 5000 字");
    }
    if !FORMS.contains(&a.form.trim()) {
        err("form", "请选择获取信息的方式");
    }
    if a.form.trim() == "电子邮件" && email.is_empty() {
        err("email", "选择以电子邮件获取时请填写电子邮箱");
    }
    match applicant_type {
        Some(t) if errors.is_empty() => Ok(t),
        _ => Err(errors),
    }
}

/// What makes two requests come from the same applicant (按件 fees, the frequent-applicant
/// flag): the ID number when given, else the credit code, else the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ApplicantKey {
    IdNumber(String),
    CreditCode(String),
    Name(String),
}

impl ApplicantKey {
    /// The key of an applicant with these identifiers.
    pub fn of(id_number: &str, credit_code: &str, name: &str) -> Self {
        if !id_number.trim().is_empty() {
            Self::IdNumber(id_number.trim().to_string())
        } else if !credit_code.trim().is_empty() {
            Self::CreditCode(credit_code.trim().to_string())
        } else {
            Self::Name(name.trim().to_string())
        }
    }
}

impl Applicant {
    /// Who this applicant is across requests.
    pub fn key(&self) -> ApplicantKey {
        ApplicantKey::of(&self.id_number, &self.credit_code, &self.name)
    }
}

code_enum! {
    /// How a request arrived (article 31 fixes its receipt date from this).
    Channel {
        /// 网上申请 through the platform.
        Online = ("online", "网上申请"),
        /// 当面提交.
        InPerson = ("in_person", "当面提交"),
        /// 邮寄（需签收）.
        RegisteredPost = ("registered_post", "邮寄（需签收）"),
        /// 平常信函.
        OrdinaryLetter = ("ordinary_letter", "平常信函"),
        /// 传真.
        Fax = ("fax", "传真"),
        /// 电子邮件.
        Email = ("email", "电子邮件"),
    }
}

/// The facts that fix the receipt date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// The day it was handed in or submitted online (Beijing date).
    pub submitted_on: Option<NaiveDate>,
    /// The day the agency signed for a registered letter.
    pub signed_on: Option<NaiveDate>,
    /// The day the office and the applicant confirmed it (ordinary letter, fax, e-mail).
    pub confirmed_on: Option<NaiveDate>,
}

/// A receipt date that cannot be fixed from the facts given.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReceiptError {
    /// The fact the channel needs is missing.
    #[error("{0}")]
    Missing(&'static str),
}

/// How many different applicants asking for the same information make it a candidate for
/// proactive disclosure in the workspace (article 44: 多个申请人就相同政府信息申请公开).
pub const MANY_APPLICANTS: usize = 3;

/// What makes two requests ask for "the same information" (条例 article 44: information
/// requested by many applicants should be considered for proactive disclosure): the
/// document number when one is given (any bracket form), else the reference as typed, else
/// the description — letters and digits only, case folded.
pub fn same_information_key(doc_ref: &str, description: &str) -> String {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    match crate::DocNo::parse(doc_ref.trim()) {
        Ok(no) => format!("doc:{no}"),
        Err(_) if !doc_ref.trim().is_empty() => format!("ref:{}", letters(doc_ref)),
        Err(_) => format!("text:{}", letters(description)),
    }
}

/// 收到申请之日 under article 31. Online filings are confirmed by the platform's
/// acknowledgement at submission, so they are received on the day of submission (Beijing
/// time) — the reading that protects the applicant (docs/DECISIONS.md).
pub fn receipt_date(channel: Channel, f: ReceiptFacts) -> Result<NaiveDate, ReceiptError> {
    match channel {
        Channel::Online | Channel::InPerson => f.submitted_on.ok_or(ReceiptError::Missing("须填写提交日期")),
        Channel::RegisteredPost => {
            f.signed_on.ok_or(ReceiptError::Missing("邮寄申请以签收之日为收到申请之日，须填写签收日期"))
        }
        Channel::OrdinaryLetter => f
            .confirmed_on
            .ok_or(ReceiptError::Missing("平常信函须于收到当日与申请人确认，以确认之日为收到申请之日，须填写确认日期")),
        Channel::Fax | Channel::Email => {
            f.confirmed_on.ok_or(ReceiptError::Missing("传真、电子邮件以双方确认之日为收到申请之日，须填写确认日期"))
        }
    }
}

code_enum! {
    /// Where a request stands.
    RequestState {
        /// 已收到，待办理.
        Received = ("received", "已收到"),
        /// 已告知补正，等待申请人补正.
        Clarifying = ("clarifying", "待补正"),
        /// 办理中.
        InProgress = ("in_progress", "办理中"),
        /// 征求第三方意见（期限中止计算）.
        Consulting = ("consulting", "征求意见中"),
        /// 已发出收费通知，等待缴费.
        AwaitingFee = ("awaiting_fee", "待缴费"),
        /// 拟答复不予公开、部分公开等，待审批人签批后发出.
        SigningOff = ("signing_off", "待审批"),
        /// 已答复.
        Replied = ("replied", "已答复"),
        /// 已办结.
        Closed = ("closed", "已办结"),
        /// 已转交其他机关.
        Transferred = ("transferred", "已转办"),
        /// 申请人已撤回.
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

code_enum! {
    /// How the reply and its files reached the applicant (送达方式).
    DeliveryMethod {
        /// 申请人凭申请编号和查询码在平台下载.
        Online = ("online", "平台在线获取"),
        /// 电子邮件.
        Email = ("email", "电子邮件"),
        /// 邮寄（挂号信或 EMS）.
        Post = ("post", "邮寄"),
        /// 当面领取（送达回证由申请人签收）.
        InPerson = ("in_person", "当面领取"),
        /// 传真.
        Fax = ("fax", "传真"),
    }
}

impl DeliveryMethod {
    /// Whether the record needs its proof: a 送达回证 for paper handed over, the post's
    /// tracking number for mail.
    pub fn needs_proof(self) -> bool {
        matches!(self, Self::Post | Self::InPerson)
    }
}

impl RequestState {
    /// True while the agency still owes a reply.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Received
                | Self::Clarifying
                | Self::InProgress
                | Self::Consulting
                | Self::AwaitingFee
                | Self::SigningOff
        )
    }
}

/// One outcome of the national template (国办公开办函〔2021〕30号, table 三), with its
/// exact label, its group, and the legal basis a notice cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Outcome {
    /// Stable code, e.g. `withheld.third_party`.
    pub code: &'static str,
    /// The template's group: （一）…（六）.
    pub group: OutcomeGroup,
    /// Sub-row number inside the group (0 for groups without sub-rows).
    pub number: u8,
    /// The template's label.
    pub label: &'static str,
    /// The legal basis quoted in the notice.
    pub basis: &'static str,
}

code_enum! {
    /// The outcome groups of table 三.
    OutcomeGroup {
        /// （一）予以公开.
        Disclosed = ("disclosed", "予以公开"),
        /// （二）部分公开.
        Partial = ("partial", "部分公开"),
        /// （三）不予公开.
        Withheld = ("withheld", "不予公开"),
        /// （四）无法提供.
        Unavailable = ("unavailable", "无法提供"),
        /// （五）不予处理.
        NotProcessed = ("not_processed", "不予处理"),
        /// （六）其他处理.
        Other = ("other", "其他处理"),
    }
}

/// Every outcome, in the template's row order.
pub const OUTCOMES: &[Outcome] = &[
    Outcome {
        code: "disclosed",
        group: OutcomeGroup::Disclosed,
        number: 0,
        label: "予以公开",
        basis: "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
    },
    Outcome {
        code: "partial",
        group: OutcomeGroup::Partial,
        number: 0,
        label: "部分公开（区分处理的，只计这一情形，不计其他情形）",
        basis: "《中华人民共和国政府信息公开条例》第三十七条",
    },
    Outcome {
        code: "withheld.state_secret",
        group: OutcomeGroup::Withheld,
        number: 1,
        label: "属于国家秘密",
        basis: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.prohibited",
        group: OutcomeGroup::Withheld,
        number: 2,
        label: "其他法律行政法规禁止公开",
        basis: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.three_safeties",
        group: OutcomeGroup::Withheld,
        number: 3,
        label: "危及“三安全一稳定”",
        basis: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.third_party",
        group: OutcomeGroup::Withheld,
        number: 4,
        label: "保护第三方合法权益",
        basis: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.internal_affairs",
        group: OutcomeGroup::Withheld,
        number: 5,
        label: "属于三类内部事务信息",
        basis: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.process_info",
        group: OutcomeGroup::Withheld,
        number: 6,
        label: "属于四类过程性信息",
        basis: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.enforcement_file",
        group: OutcomeGroup::Withheld,
        number: 7,
        label: "属于行政执法案卷",
        basis: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    },
    Outcome {
        code: "withheld.inquiry_matter",
        group: OutcomeGroup::Withheld,
        number: 8,
        label: "属于行政查询事项",
        basis: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    },
    Outcome {
        code: "unavailable.not_held",
        group: OutcomeGroup::Unavailable,
        number: 1,
        label: "本机关不掌握相关政府信息",
        basis: "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    },
    Outcome {
        code: "unavailable.needs_creation",
        group: OutcomeGroup::Unavailable,
        number: 2,
        label: "没有现成信息需要另行制作",
        basis: "《中华人民共和国政府信息公开条例》第三十八条",
    },
    Outcome {
        code: "unavailable.still_unclear",
        group: OutcomeGroup::Unavailable,
        number: 3,
        label: "补正后申请内容仍不明确",
        basis: "《中华人民共和国政府信息公开条例》第三十条",
    },
    Outcome {
        code: "not_processed.petition",
        group: OutcomeGroup::NotProcessed,
        number: 1,
        label: "信访举报投诉类申请",
        basis: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    },
    Outcome {
        code: "not_processed.repeated",
        group: OutcomeGroup::NotProcessed,
        number: 2,
        label: "重复申请",
        basis: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    },
    Outcome {
        code: "not_processed.publication",
        group: OutcomeGroup::NotProcessed,
        number: 3,
        label: "要求提供公开出版物",
        basis: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    },
    Outcome {
        code: "not_processed.excessive",
        group: OutcomeGroup::NotProcessed,
        number: 4,
        label: "无正当理由大量反复申请",
        basis: "《中华人民共和国政府信息公开条例》第三十五条",
    },
    Outcome {
        code: "not_processed.confirmation",
        group: OutcomeGroup::NotProcessed,
        number: 5,
        label: "要求行政机关确认或重新出具已获取信息",
        basis: "《中华人民共和国政府信息公开条例》第三十九条",
    },
    Outcome {
        code: "other.clarification_lapsed",
        group: OutcomeGroup::Other,
        number: 1,
        label: "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        basis: "《中华人民共和国政府信息公开条例》第三十条",
    },
    Outcome {
        code: "other.fee_unpaid",
        group: OutcomeGroup::Other,
        number: 2,
        label: "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        basis: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    },
    Outcome {
        code: "other.other",
        group: OutcomeGroup::Other,
        number: 3,
        label: "其他",
        basis: "《中华人民共和国政府信息公开条例》",
    },
];

impl Outcome {
    /// The label as the applicant reads it: the template's counting notes (“区分处理的，只计
    /// 这一情形…”) are for statisticians and left out.
    pub fn plain_label(self) -> &'static str {
        self.label.split('（').next().unwrap_or(self.label)
    }

    /// What the outcome means for the applicant, in one sentence.
    pub fn explained(self) -> &'static str {
        match self.group {
            OutcomeGroup::Disclosed => "您申请的政府信息予以公开，信息或获取方式见答复告知书及所附文件。",
            OutcomeGroup::Partial => "您申请的政府信息中可以公开的部分已提供；不能公开部分的理由见答复告知书。",
            OutcomeGroup::Withheld => "您申请的政府信息依法不予公开，理由和依据见答复告知书。",
            OutcomeGroup::Unavailable => "本机关无法提供您申请的政府信息，原因见答复告知书。",
            OutcomeGroup::NotProcessed => "您的申请依法不作为政府信息公开申请处理，原因见答复告知书。",
            OutcomeGroup::Other => "您的申请已办结，情况见答复告知书。",
        }
    }

    /// Whether this answer gave the information out (予以公开 or 部分公开): such information,
    /// asked for again, is considered for proactive disclosure (条例 article 44).
    pub fn disclosed_it(self) -> bool {
        matches!(self.group, OutcomeGroup::Disclosed | OutcomeGroup::Partial)
    }

    /// [`Outcome::disclosed_it`] for a stored outcome code (`None`: not concluded).
    pub fn code_disclosed_it(code: Option<&str>) -> bool {
        code.and_then(Self::parse).is_some_and(Self::disclosed_it)
    }

    /// The outcome with this code.
    pub fn parse(code: &str) -> Option<Outcome> {
        OUTCOMES.iter().copied().find(|o| o.code == code.trim())
    }

    /// True for refusals, which must state their reason.
    pub fn needs_reason(self) -> bool {
        !matches!(self.group, OutcomeGroup::Disclosed)
    }

    /// True when a lawsuit must wait for administrative review (行政复议法 第二十三条第一款
    /// 第（四）项: "申请政府信息公开，行政机关不予公开"). Partial disclosure withholds a part, so
    /// its notice says the same for that part — the reading that keeps the applicant's suit
    /// from being rejected for skipping review.
    pub fn review_first(self) -> bool {
        matches!(self.group, OutcomeGroup::Withheld | OutcomeGroup::Partial)
    }
}

/// The remedy paragraph a reply notice ends with.
pub fn remedy_paragraph(outcome: Outcome, review_body: &str, court: &str) -> String {
    if outcome.review_first() {
        format!(
            "如对本告知书中不予公开的决定不服，根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，应当先自收到本告知书之日起六十日内向{review_body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
        )
    } else {
        format!(
            "如对本告知书不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议，也可以自收到本告知书之日起六个月内向{court}提起行政诉讼。"
        )
    }
}

/// The statutory clock of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock {
    /// The day the clock runs from: receipt, or receipt of the clarified application.
    pub start: Option<NaiveDate>,
    /// Approved extension in working days (at most 20).
    pub extension_days: u32,
    /// Consultations (third party or other agency): from the day the letter went out to the
    /// day the answer came back (`None` while waiting). Time spent is not counted.
    pub pauses: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// A concluded request's part in the supervision figures ([`Clock::concluded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concluded {
    /// Answered by the deadline (never while a consultation was left open).
    pub on_time: bool,
    /// Working days from the clock's start to the reply, consultations not counted.
    pub workdays: Option<u32>,
}

/// The reply period in working days (article 33).
pub const REPLY_DAYS: u32 = 20;
/// The longest extension (article 33).
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// The time to ask for clarification (article 30).
pub const CLARIFY_DAYS: u32 = 7;
/// The day of the 7 on which the workspace warns.
pub const CLARIFY_WARN_DAY: u32 = 5;
/// A consulted third party or agency answers within this (articles 32, 34).
pub const CONSULT_DAYS: u32 = 15;
/// Fees are paid within this after the notice.
pub const FEE_DAYS: u32 = 20;

impl Clock {
    /// Working days not counted: those inside closed pauses, after the letter went out up
    /// to the day the answer came.
    pub fn paused_workdays(&self, cal: &Calendar) -> Result<u32, CalendarError> {
        let mut n = 0;
        for (from, to) in &self.pauses {
            if let Some(to) = to {
                n += cal.elapsed(*from, *to)?;
            }
        }
        Ok(n)
    }

    /// What a request concluded on `replied` counts in the supervision figures: whether it
    /// was answered by its deadline, and the working days it used, consultations not counted
    /// (`None` where the calendar cannot count them). Counted on the calendar whose
    /// [`Calendar::stamp`] the store keeps beside it.
    pub fn concluded(&self, cal: &Calendar, replied: NaiveDate) -> Concluded {
        let on_time = matches!(self.due_on(cal), Ok(Some(due)) if replied <= due);
        let workdays = match (self.start.map(|start| cal.elapsed(start, replied)), self.paused_workdays(cal)) {
            (Some(Ok(used)), Ok(paused)) => Some(used.saturating_sub(paused)),
            _ => None,
        };
        Concluded { on_time, workdays }
    }

    /// True while a consultation is open (the clock stands still).
    pub fn is_paused(&self) -> bool {
        self.pauses.iter().any(|(_, to)| to.is_none())
    }

    /// The reply deadline, or `None` while paused (it moves with the pause).
    pub fn due_on(&self, cal: &Calendar) -> Result<Option<NaiveDate>, CalendarError> {
        let Some(start) = self.start else { return Ok(None) };
        if self.is_paused() {
            return Ok(None);
        }
        let days = REPLY_DAYS + self.extension_days + self.paused_workdays(cal)?;
        cal.add_workdays(start, days).map(Some)
    }

    /// True when the reply deadline was computed on a provisional schedule (暂定): it runs
    /// into a year whose holiday notice is not loaded yet.
    pub fn due_is_provisional(&self, cal: &Calendar) -> bool {
        match (self.start, self.due_on(cal)) {
            (Some(start), Ok(Some(due))) => cal.provisional_between(start, due),
            _ => false,
        }
    }

    /// Working days left on `today` (negative when overdue); while paused, what was left
    /// when the pause began.
    pub fn days_left(&self, cal: &Calendar, today: NaiveDate) -> Result<Option<i64>, CalendarError> {
        let Some(start) = self.start else { return Ok(None) };
        let until = match self.pauses.iter().find(|(_, to)| to.is_none()) {
            Some((from, _)) => *from,
            None => today,
        };
        let used = i64::from(cal.elapsed(start, until)?) - i64::from(self.paused_workdays(cal)?);
        Ok(Some(i64::from(REPLY_DAYS + self.extension_days) - used))
    }

    /// How pressing the request is on `today`; `None` while paused or not started.
    pub fn urgency(&self, cal: &Calendar, today: NaiveDate) -> Result<Option<Urgency>, CalendarError> {
        if self.is_paused() {
            return Ok(None);
        }
        Ok(self.days_left(cal, today)?.map(Urgency::of))
    }
}

pub use crate::clock::{NEAR_DAYS, Urgency};

/// Working days left at or under which its handlers are sent a reminder.
pub const REMIND_DAYS: i64 = 3;

/// A deadline as pages and messages show it: `2027-01-04（暂定）` when provisional.
pub fn due_label(due: NaiveDate, provisional: bool) -> String {
    if provisional { format!("{due}（暂定）") } else { due.to_string() }
}

/// Where a clarification request stands against the 7 working days of article 30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClarifyWindow {
    /// Still time.
    Open,
    /// Day 5 or later: ask now if at all.
    Warn,
    /// Past the 7th working day: a clarification now is late.
    Late,
}

/// The clarification window on `today` for a request received on `received_on`.
pub fn clarify_window(
    cal: &Calendar,
    received_on: NaiveDate,
    today: NaiveDate,
) -> Result<ClarifyWindow, CalendarError> {
    let used = cal.elapsed(received_on, today)?;
    Ok(if used > CLARIFY_DAYS {
        ClarifyWindow::Late
    } else if used >= CLARIFY_WARN_DAY {
        ClarifyWindow::Warn
    } else {
        ClarifyWindow::Open
    })
}

/// How a fee is charged: per request or per page, never both (国办函〔2020〕109号 第三条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Fee {
    /// 按件: this request is the `nth` of the applicant in the calendar month (1-based).
    ByCount {
        /// Its place among the applicant's requests this month.
        nth: u32,
    },
    /// 按量: pages provided.
    ByPages {
        /// Number of pages.
        pages: u32,
    },
}

/// The requests an applicant may file in a calendar month without a 按件 fee (国办函〔2020〕
/// 109号第四条); beyond them the workspace flags the applicant as frequent.
pub const FREE_REQUESTS_PER_MONTH: i64 = 10;

impl Fee {
    /// The amount in yuan. 按件: up to 10 a month free, 11-30 at 100 元 each, then 100 元
    /// more per band of 10. 按量 (excess-progressive): up to 30 pages free, pages 31-100 at
    /// 10 元, 101-200 at 20 元, from 201 at 40 元.
    pub fn amount_yuan(self) -> u32 {
        match self {
            Fee::ByCount { nth } => match nth {
                n if i64::from(n) <= FREE_REQUESTS_PER_MONTH => 0,
                11..=30 => 100,
                n => 100 + 100 * ((n - 31) / 10 + 1),
            },
            Fee::ByPages { pages } => {
                let band = |lo: u32, hi: u32| pages.min(hi).saturating_sub(lo);
                10 * band(30, 100) + 20 * band(100, 200) + 40 * pages.saturating_sub(200)
            }
        }
    }

    /// The basis as a notice states it.
    pub fn basis(self) -> String {
        match self {
            Fee::ByCount { nth } => {
                format!("按件计收：本件为申请人本自然月第 {nth} 件申请（国办函〔2020〕109号第四条）")
            }
            Fee::ByPages { pages } => format!("按量计收：共 {pages} 页（国办函〔2020〕109号第五条）"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_information_is_found_in_any_bracket_form_or_spacing() {
        use super::same_information_key as key;
        assert_eq!(key("黔江府办发〔2017〕53号", ""), key("黔江府办发[2017]53号", "别的描述"));
        assert_eq!(key("", "2025年 城市道路改造，立项批复"), key("", "2025年城市道路改造立项批复"));
        assert_ne!(key("", "立项批复"), key("立项批复", ""), "a reference and a description are kept apart");
        assert_eq!(key("ABC-1", ""), key("abc 1", ""));
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn receipt_dates_follow_article_31() {
        let f = ReceiptFacts {
            submitted_on: Some(d(2026, 3, 2)),
            signed_on: Some(d(2026, 3, 4)),
            confirmed_on: Some(d(2026, 3, 5)),
        };
        assert_eq!(receipt_date(Channel::Online, f), Ok(d(2026, 3, 2)));
        assert_eq!(receipt_date(Channel::InPerson, f), Ok(d(2026, 3, 2)));
        assert_eq!(receipt_date(Channel::RegisteredPost, f), Ok(d(2026, 3, 4)));
        assert_eq!(receipt_date(Channel::OrdinaryLetter, f), Ok(d(2026, 3, 5)));
        assert_eq!(receipt_date(Channel::Fax, f), Ok(d(2026, 3, 5)));
        let none = ReceiptFacts { submitted_on: Some(d(2026, 3, 2)), ..Default::default() };
        assert!(
            matches!(receipt_date(Channel::RegisteredPost, none), Err(ReceiptError::Missing(m)) if m.contains("签收"))
        );
    }

    #[test]
    fn deadlines_match_the_test_vectors_of_rules_1_5() {
        let cal = Calendar::shipped();
        let due = |received: NaiveDate, ext: u32| {
            Clock { start: Some(received), extension_days: ext, pauses: vec![] }.due_on(&cal)
        };
        assert_eq!(due(d(2024, 9, 25), 0), Ok(Some(d(2024, 10, 28))));
        assert_eq!(due(d(2024, 9, 25), 20), Ok(Some(d(2024, 11, 25))));
        assert_eq!(due(d(2025, 1, 20), 0), Ok(Some(d(2025, 2, 21))));
        assert_eq!(due(d(2024, 12, 31), 0), Ok(Some(d(2025, 2, 5))));
        assert_eq!(due(d(2025, 9, 26), 0), Ok(Some(d(2025, 10, 30))));
        assert_eq!(cal.add_workdays(d(2024, 2, 1), CLARIFY_DAYS), Ok(d(2024, 2, 9)));
        assert_eq!(cal.add_workdays(d(2025, 4, 30), CONSULT_DAYS), Ok(d(2025, 5, 26)));
    }

    #[test]
    fn clarification_restarts_and_consultation_pauses_the_clock_across_spring_festival() {
        let cal = Calendar::shipped();
        // Received 2026-01-30 (Fri); clarified application received 2026-02-06 (Fri):
        // the clock runs from 02-06, over the 2026 Spring Festival, to 2026-03-12.
        let mut c = Clock { start: Some(d(2026, 2, 6)), ..Default::default() };
        assert_eq!(c.due_on(&cal), Ok(Some(d(2026, 3, 12))));
        // A third party consulted from 02-10 to 02-26: the working days after 02-10 up to
        // 02-26 (02-11, 02-12, 02-13, 02-14 Sat worked, 02-24, 02-25, 02-26 = 7) are not counted.
        c.pauses.push((d(2026, 2, 10), None));
        assert_eq!(c.due_on(&cal), Ok(None), "no deadline while paused");
        assert_eq!(c.days_left(&cal, d(2026, 2, 20)), Ok(Some(18)), "02-09 and 02-10 used before the pause");
        c.pauses[0].1 = Some(d(2026, 2, 26));
        assert_eq!(c.paused_workdays(&cal), Ok(7));
        assert_eq!(c.due_on(&cal), Ok(Some(cal.add_workdays(d(2026, 3, 12), 7).expect("date"))));
        assert_eq!(c.due_on(&cal), Ok(Some(d(2026, 3, 23))));
        // An approved extension adds up to 20 more.
        c.extension_days = 20;
        assert_eq!(c.due_on(&cal), Ok(Some(cal.add_workdays(d(2026, 3, 23), 20).expect("date"))));
    }

    #[test]
    fn days_left_goes_negative_when_overdue() {
        let cal = Calendar::shipped();
        let c = Clock { start: Some(d(2026, 10, 9)), ..Default::default() };
        // 2026-10-10 (Sat) is a make-up workday: day 1.
        assert_eq!(c.days_left(&cal, d(2026, 10, 10)), Ok(Some(19)));
        let due = c.due_on(&cal).expect("due").expect("date");
        assert_eq!(c.days_left(&cal, due), Ok(Some(0)));
        assert_eq!(c.days_left(&cal, cal.add_workdays(due, 3).expect("date")), Ok(Some(-3)));
    }

    #[test]
    fn the_clarification_window_warns_on_day_5_and_flags_day_8() {
        let cal = Calendar::shipped();
        let received = d(2026, 11, 2); // Monday
        assert_eq!(clarify_window(&cal, received, d(2026, 11, 6)), Ok(ClarifyWindow::Open));
        assert_eq!(clarify_window(&cal, received, d(2026, 11, 9)), Ok(ClarifyWindow::Warn));
        assert_eq!(clarify_window(&cal, received, d(2026, 11, 11)), Ok(ClarifyWindow::Warn), "day 7 is still in time");
        assert_eq!(clarify_window(&cal, received, d(2026, 11, 12)), Ok(ClarifyWindow::Late));
    }

    #[test]
    fn every_template_outcome_is_there_once_in_order() {
        assert_eq!(OUTCOMES.len(), 21);
        let per_group: Vec<usize> =
            OutcomeGroup::ALL.iter().map(|g| OUTCOMES.iter().filter(|o| o.group == *g).count()).collect();
        assert_eq!(per_group, vec![1, 1, 8, 3, 5, 3]);
        let codes: std::collections::HashSet<&str> = OUTCOMES.iter().map(|o| o.code).collect();
        assert_eq!(codes.len(), 21);
        assert_eq!(
            Outcome::parse("other.clarification_lapsed").map(|o| (o.group, o.number)),
            Some((OutcomeGroup::Other, 1))
        );
        assert_eq!(Outcome::parse("withheld.three_safeties").map(|o| o.label), Some("危及“三安全一稳定”"));
        assert!(Outcome::parse("nonsense").is_none());
    }

    #[test]
    fn refusals_tell_the_applicant_to_seek_review_first() {
        let withheld = Outcome::parse("withheld.third_party").expect("outcome");
        let text = remedy_paragraph(withheld, "重庆市黔江区人民政府", "重庆市黔江区人民法院");
        assert!(text.contains("应当先自收到本告知书之日起六十日内向重庆市黔江区人民政府申请行政复议"));
        assert!(!text.contains("六个月"), "no direct suit for a refusal since 2024-01-01");
        assert!(remedy_paragraph(Outcome::parse("partial").expect("o"), "x", "y").contains("应当先"));
        let disclosed = Outcome::parse("disclosed").expect("outcome");
        let text = remedy_paragraph(disclosed, "重庆市黔江区人民政府", "重庆市黔江区人民法院");
        assert!(
            text.contains("六十日内向重庆市黔江区人民政府申请行政复议")
                && text.contains("六个月内向重庆市黔江区人民法院提起行政诉讼")
        );
    }

    #[test]
    fn fees_follow_the_109_scale_and_never_combine() {
        let by_count = |nth| Fee::ByCount { nth }.amount_yuan();
        assert_eq!((by_count(1), by_count(10), by_count(11), by_count(30)), (0, 0, 100, 100));
        assert_eq!((by_count(31), by_count(40), by_count(41), by_count(51)), (200, 200, 300, 400));
        let by_pages = |pages| Fee::ByPages { pages }.amount_yuan();
        assert_eq!(by_pages(30), 0);
        assert_eq!(by_pages(31), 10);
        assert_eq!(by_pages(100), 700);
        assert_eq!(by_pages(101), 720);
        assert_eq!(by_pages(200), 2700);
        assert_eq!(by_pages(201), 2740);
        assert!(Fee::ByPages { pages: 45 }.basis().contains("按量"));
    }
}

/// A handling step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Start handling a received request.
    Accept,
    /// Ask the applicant, once, to complete an unclear application (article 30).
    RequestClarification,
    /// The completed application arrived on this day: the clock restarts from it.
    Clarified {
        /// The day it was received.
        received_on: NaiveDate,
    },
    /// The applicant let the clarification period pass: closed as 其他处理-1.
    ClarificationLapsed,
    /// A consultation letter went out (third party or co-producing agency): clock paused.
    StartConsultation,
    /// The answer came back, or the 15 working days ran out: clock runs again.
    EndConsultation,
    /// An approved extension of the reply period (article 33), in working days.
    Extend {
        /// Additional working days (the total never exceeds 20, counting those already
        /// granted: [`RequestFacts::extension_days`]).
        days: u32,
    },
    /// A fee notice went out.
    NotifyFee,
    /// The fee was paid.
    FeePaid,
    /// The fee was not paid in time: closed as 其他处理-2.
    FeeLapsed,
    /// The decision was sent to the applicant.
    Reply {
        /// The outcome.
        outcome: Outcome,
        /// The reason (required for every outcome but 予以公开).
        reason: String,
    },
    /// The approver signs off a proposed reply (答复审批): it goes out as proposed.
    SignOff,
    /// The approver sends a proposed reply back to the handler.
    ReturnReply,
    /// Filed away after the reply.
    Close,
    /// Sent on to the org responsible: inside the platform the request moves there with its
    /// clock; outside, the applicant is told which agency holds it (article 36(五)), which the
    /// template counts as 无法提供-1.
    Transfer {
        /// The target is an org of this platform.
        inside: bool,
        /// Why.
        reason: String,
    },
    /// The applicant withdrew the request.
    Withdraw,
}

impl Step {
    /// Whether this step may conclude a request, or change one already concluded: what a
    /// concluded request keeps of its clock ([`Clock::concluded`]) is worked out on it.
    pub fn may_conclude(&self) -> bool {
        matches!(
            self,
            Self::ClarificationLapsed
                | Self::FeeLapsed
                | Self::Reply { .. }
                | Self::SignOff
                | Self::Close
                | Self::Transfer { .. }
                | Self::Withdraw
        )
    }

    /// The step's name in events.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::RequestClarification => "clarify.request",
            Self::Clarified { .. } => "clarify.received",
            Self::ClarificationLapsed => "clarify.lapsed",
            Self::StartConsultation => "consult.start",
            Self::EndConsultation => "consult.end",
            Self::Extend { .. } => "extend",
            Self::NotifyFee => "fee.notify",
            Self::FeePaid => "fee.paid",
            Self::FeeLapsed => "fee.lapsed",
            Self::Reply { .. } => "reply",
            Self::SignOff => "reply.sign",
            Self::ReturnReply => "reply.return",
            Self::Close => "close",
            Self::Transfer { .. } => "transfer",
            Self::Withdraw => "withdraw",
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Accept => "受理",
            Self::RequestClarification => "告知补正",
            Self::Clarified { .. } => "登记补正",
            Self::ClarificationLapsed => "逾期未补正办结",
            Self::StartConsultation => "征求意见",
            Self::EndConsultation => "结束征求意见",
            Self::Extend { .. } => "延长答复期限",
            Self::NotifyFee => "发出收费通知",
            Self::FeePaid => "登记缴费",
            Self::FeeLapsed => "逾期未缴费办结",
            Self::Reply { .. } => "答复",
            Self::SignOff => "签批答复",
            Self::ReturnReply => "退回拟办答复",
            Self::Close => "办结",
            Self::Transfer { .. } => "转办",
            Self::Withdraw => "登记撤回",
        }
    }
}

/// An event of a request's timeline as the applicant reads it, by its name (`file`, or a
/// [`Step::name`]).
pub fn event_label(step: &str) -> &'static str {
    match step {
        "file" => "收到申请",
        "accept" => "开始办理",
        "clarify.request" => "告知补正",
        "clarify.received" => "收到补正材料，答复期限重新计算",
        "clarify.lapsed" => "逾期未补正，不再处理",
        "consult.start" => "征求第三方意见（期间不计入答复期限）",
        "consult.end" => "征求意见结束",
        "extend" => "延长答复期限",
        "fee.notify" => "发出信息处理费缴费通知",
        "fee.paid" => "已缴费",
        "fee.lapsed" => "逾期未缴费，不再处理",
        "reply" => "已答复",
        "reply.propose" => "拟办答复，送审批",
        "reply.sign" => "已答复",
        "reply.return" => "审批退回，重新办理",
        "close" => "办结",
        "transfer" => "转办",
        "withdraw" => "申请人撤回申请",
        _ => "处理",
    }
}

/// Whether an event shows on the applicant's timeline: the sign-off's inner steps (a reply
/// proposed, sent back) are the office's own record; the applicant sees the reply when it
/// goes out.
pub fn event_is_public(step: &str) -> bool {
    !matches!(step, "reply.propose" | "reply.return")
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StepRefusal {
    /// The actor lacks the role or works elsewhere.
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    /// Not from this state.
    #[error("申请当前状态为「{}」，不能{}", .state.label(), .step)]
    NotInState {
        /// The state.
        state: RequestState,
        /// The step's label.
        step: &'static str,
    },
    /// Clarification is asked once only (article 30: 一次性告知).
    #[error("补正只能告知一次（《条例》第三十条）")]
    AlreadyClarified,
    /// The extension would exceed 20 working days in all.
    #[error("延长期限合计不得超过 20 个工作日（已延长 {already} 个工作日）")]
    ExtensionTooLong {
        /// Already granted.
        already: u32,
    },
    /// A refusal must state its reason.
    #[error("「{0}」的答复须说明理由")]
    ReasonRequired(&'static str),
    /// The lapse outcomes are recorded with their own steps.
    #[error("逾期未补正、逾期未缴费请使用对应的办结步骤")]
    UseLapseStep,
    /// A step's date lies before the receipt or after today.
    #[error("日期 {on} 须在收到申请之日（{received_on}）至今天（{today}）之间")]
    DateOutOfRange {
        /// The date given.
        on: NaiveDate,
        /// 收到申请之日.
        received_on: NaiveDate,
        /// Today (Beijing).
        today: NaiveDate,
    },
    /// Article 30: clarification is asked within 7 working days of receipt.
    #[error("补正须自收到申请之日起 7 个工作日内一次性告知（《条例》第三十条），本申请已超过该期限，请依现有材料办理")]
    ClarificationLate,
    /// A fee notice without its basis (按件 or 按量).
    #[error("须给出收费方式（按件或按量）")]
    FeeBasisRequired,
    /// A transfer inside the platform without the org it goes to.
    #[error("须指定转办的单位")]
    TargetRequired,
    /// Separation of duties: who proposed a reply does not sign it off.
    #[error("拟办答复的人员不能签批自己的答复，须由本机关其他审批人签批")]
    OwnProposal,
    /// Article 33: the reply period is extended before it ends, not after (a late
    /// extension would count a late reply as on time).
    #[error("答复期限已于 {due} 届满，不能再延长：延长须在答复期限内经负责人同意并告知申请人（《条例》第三十三条）")]
    ExtensionAfterDue {
        /// The last day of the period.
        due: NaiveDate,
    },
}

impl StepRefusal {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Denied(crate::Denied::MissingRole(_)) => "forbidden_role",
            Self::Denied(crate::Denied::OutsideOrg) => "forbidden_org",
            Self::NotInState { .. } => "invalid_transition",
            Self::AlreadyClarified => "already_clarified",
            Self::ExtensionTooLong { .. } => "extension_too_long",
            Self::ReasonRequired(_) => "reason_required",
            Self::UseLapseStep => "use_lapse_step",
            Self::DateOutOfRange { .. } => "date_out_of_range",
            Self::ClarificationLate => "clarification_late",
            Self::FeeBasisRequired => "fee_required",
            Self::TargetRequired => "target_required",
            Self::OwnProposal => "own_proposal",
            Self::ExtensionAfterDue { .. } => "extension_after_due",
        }
    }
}

/// What a request's workflow needs to know.
#[derive(Debug, Clone)]
pub struct RequestFacts<'a> {
    /// Current state.
    pub state: RequestState,
    /// The responsible org.
    pub org_path: &'a crate::OrgPath,
    /// A clarification was already asked.
    pub clarification_asked: bool,
    /// Working days of extension already granted, as stored when the step is applied (read
    /// in the same transaction, so two approvers extending at once cannot pass 20 together).
    pub extension_days: u32,
    /// 收到申请之日: no step is dated before it.
    pub received_on: NaiveDate,
    /// Today in Beijing: no step is dated after it.
    pub today: NaiveDate,
    /// More than the 7 working days of article 30 have passed since receipt (see
    /// [`clarify_window`]), so clarification may no longer be asked.
    pub clarify_late: bool,
    /// This request's place among the applicant's requests of its month (按件 fees), read
    /// with the request.
    pub applicant_nth_this_month: u32,
    /// The outcomes whose reply needs an approver's sign-off (see [`needs_sign_off`]).
    pub sign_off: &'a [String],
    /// The reply waiting for sign-off, if any.
    pub proposal: Option<Proposal>,
    /// The last day of the reply period on the request's clock as it stands, extensions
    /// granted included ([`Clock::due_on`]); `None` where it cannot be told (paused, or a
    /// calendar that cannot answer) or is not needed: no extension is then refused for it.
    pub due_on: Option<NaiveDate>,
}

/// A reply proposed by a handler, waiting for an approver's sign-off (答复审批).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The outcome proposed.
    pub outcome: Outcome,
    /// The reason proposed.
    pub reason: String,
    /// The user who proposed it (who may not sign it off).
    pub by: i64,
}

/// The outcomes whose reply needs sign-off unless configured otherwise: every refusal and
/// partial disclosure (部分公开, 不予公开, 无法提供, 不予处理, and 其他处理 given as a reply).
pub const DEFAULT_SIGN_OFF: &[&str] = &["partial", "withheld", "unavailable", "not_processed", "other.other"];

/// Whether a reply with `outcome` needs sign-off under `rule`: an entry names an outcome
/// code (`withheld.third_party`) or a whole group (`withheld`).
pub fn needs_sign_off(rule: &[String], outcome: Outcome) -> bool {
    rule.iter().any(|e| {
        let e = e.trim();
        !e.is_empty() && (outcome.code == e || outcome.code.strip_prefix(e).is_some_and(|rest| rest.starts_with('.')))
    })
}

impl RequestFacts<'_> {
    /// Checks that a step's date lies between the receipt and today.
    pub fn check_date(&self, on: NaiveDate) -> Result<(), StepRefusal> {
        if on < self.received_on || on > self.today {
            return Err(StepRefusal::DateOutOfRange { on, received_on: self.received_on, today: self.today });
        }
        Ok(())
    }
}

/// What an allowed step does: the new state, and the outcome it closes with, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// New state.
    pub state: RequestState,
    /// The outcome recorded by this step.
    pub outcome: Option<Outcome>,
}

/// What a step changes besides the state, as data: the store applies each one mechanically
/// and decides nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Clarification has been asked (article 30 allows it once).
    ClarificationAsked,
    /// The clock restarts from the day the completed application arrived.
    ClockRestarts(NaiveDate),
    /// The clock pauses from this day for a consultation with this party.
    PauseFrom { on: NaiveDate, party: String },
    /// The open pause ends this day.
    PauseUntil(NaiveDate),
    /// The extensions granted come to this many working days in all.
    ExtensionTotal(u32),
    /// A fee notice went out this day.
    FeeNotified { fee: Fee, on: NaiveDate },
    /// The fee was paid this day.
    FeePaid(NaiveDate),
    /// The reason given to the applicant.
    Reason(String),
    /// The request was answered or ended this day (the day counted against the deadline).
    Concluded(NaiveDate),
    /// The request moves, with its clock, to this org of the platform.
    MovesTo(i64),
    /// The outcome the request is counted under in the annual report.
    Outcome(Outcome),
    /// A reply is proposed for sign-off: its outcome, reason and date as the handler gave them.
    Proposed { outcome: Outcome, reason: String, on: NaiveDate },
    /// The proposal is withdrawn (sent back to the handler).
    ProposalCleared,
}

/// How the office chose to charge (国办函〔2020〕109号): the amount follows from it and the
/// facts (the applicant's count of requests this month, read with the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeChoice {
    /// 按件.
    ByCount,
    /// 按量, with the pages provided.
    ByPages { pages: u32 },
}

/// What a step carries besides itself: its day, and what some steps need.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    /// The day the step was taken (a letter recorded later), or today.
    pub on: Option<NaiveDate>,
    /// The party consulted (StartConsultation).
    pub party: String,
    /// How the fee is charged (NotifyFee).
    pub fee: Option<FeeChoice>,
    /// The org a request is transferred to inside the platform.
    pub target_org: Option<i64>,
}

/// A decided step: its new state, and everything it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub state: RequestState,
    pub effects: Vec<Effect>,
    /// The event's name on the timeline (a reply sent for sign-off is `reply.propose`).
    pub event: &'static str,
}

/// Decides a step as [`step`] does and answers its effects: the store applies them.
pub fn decide(f: &RequestFacts<'_>, actor: &crate::Actor, s: &Step, input: &StepInput) -> Result<Decided, StepRefusal> {
    let on = input.on.unwrap_or(f.today);
    f.check_date(on)?;
    let outcome = step(f, actor, s)?;
    if let (Step::Extend { .. }, Some(due)) = (s, crate::clock::ended_before(f.due_on, on)) {
        return Err(StepRefusal::ExtensionAfterDue { due });
    }
    let mut effects = match s {
        Step::RequestClarification => vec![Effect::ClarificationAsked],
        Step::Clarified { received_on } => vec![Effect::ClockRestarts(*received_on)],
        Step::StartConsultation => vec![Effect::PauseFrom { on, party: input.party.trim().to_string() }],
        Step::EndConsultation => vec![Effect::PauseUntil(on)],
        Step::Extend { days } => vec![Effect::ExtensionTotal(f.extension_days + days)],
        Step::NotifyFee => {
            let fee = match input.fee.ok_or(StepRefusal::FeeBasisRequired)? {
                FeeChoice::ByCount => Fee::ByCount { nth: f.applicant_nth_this_month.max(1) },
                FeeChoice::ByPages { pages } => Fee::ByPages { pages },
            };
            vec![Effect::FeeNotified { fee, on }]
        }
        Step::FeePaid => vec![Effect::FeePaid(on)],
        Step::Reply { outcome: o, reason } if outcome.state == RequestState::SigningOff => {
            vec![Effect::Proposed { outcome: *o, reason: reason.trim().to_string(), on }]
        }
        Step::Reply { reason, .. } => vec![Effect::Reason(reason.trim().to_string()), Effect::Concluded(on)],
        Step::SignOff => {
            let reason = f.proposal.as_ref().map(|p| p.reason.clone()).unwrap_or_default();
            vec![Effect::Reason(reason), Effect::Concluded(on)]
        }
        Step::ReturnReply => vec![Effect::ProposalCleared],
        Step::ClarificationLapsed | Step::FeeLapsed | Step::Withdraw => vec![Effect::Concluded(on)],
        Step::Transfer { inside: true, .. } => {
            vec![Effect::MovesTo(input.target_org.ok_or(StepRefusal::TargetRequired)?)]
        }
        Step::Transfer { inside: false, reason } => {
            vec![Effect::Reason(reason.trim().to_string()), Effect::Concluded(on)]
        }
        Step::Accept | Step::Close => Vec::new(),
    };
    effects.extend(outcome.outcome.map(Effect::Outcome));
    let event = match s {
        Step::Reply { .. } if outcome.state == RequestState::SigningOff => "reply.propose",
        _ => s.name(),
    };
    Ok(Decided { state: outcome.state, effects, event })
}

/// Decides a handling step: role and org first (403), then state (409), then the rules.
pub fn step(f: &RequestFacts<'_>, actor: &crate::Actor, s: &Step) -> Result<StepOutcome, StepRefusal> {
    use RequestState::*;
    match s {
        Step::Extend { .. } | Step::SignOff | Step::ReturnReply => {
            actor.may_work_in(crate::Role::Approver, f.org_path)?
        }
        Step::Transfer { .. } => actor.may_route(f.org_path)?,
        _ => actor.may_work_in(crate::Role::RequestHandler, f.org_path)?,
    }
    let refuse = || StepRefusal::NotInState { state: f.state, step: s.label() };
    let to = |state| Ok(StepOutcome { state, outcome: None });
    let lapse = |code: &str, state| Ok(StepOutcome { state, outcome: Outcome::parse(code) });
    match s {
        Step::Accept => match f.state {
            Received => to(InProgress),
            _ => Err(refuse()),
        },
        Step::RequestClarification => match f.state {
            Received | InProgress if f.clarification_asked => Err(StepRefusal::AlreadyClarified),
            Received | InProgress if f.clarify_late => Err(StepRefusal::ClarificationLate),
            Received | InProgress => to(Clarifying),
            _ => Err(refuse()),
        },
        Step::Clarified { received_on } => match f.state {
            Clarifying => {
                f.check_date(*received_on)?;
                to(InProgress)
            }
            _ => Err(refuse()),
        },
        Step::ClarificationLapsed => match f.state {
            Clarifying => lapse("other.clarification_lapsed", Closed),
            _ => Err(refuse()),
        },
        Step::StartConsultation => match f.state {
            Received | InProgress => to(Consulting),
            _ => Err(refuse()),
        },
        Step::EndConsultation => match f.state {
            Consulting => to(InProgress),
            _ => Err(refuse()),
        },
        Step::Extend { days } => {
            if !f.state.is_open() || f.state == Clarifying {
                return Err(refuse());
            }
            if *days == 0 || f.extension_days + days > MAX_EXTENSION_DAYS {
                return Err(StepRefusal::ExtensionTooLong { already: f.extension_days });
            }
            to(f.state)
        }
        Step::NotifyFee => match f.state {
            Received | InProgress => to(AwaitingFee),
            _ => Err(refuse()),
        },
        Step::FeePaid => match f.state {
            AwaitingFee => to(InProgress),
            _ => Err(refuse()),
        },
        Step::FeeLapsed => match f.state {
            AwaitingFee => lapse("other.fee_unpaid", Closed),
            _ => Err(refuse()),
        },
        Step::Reply { outcome, reason } => {
            if !matches!(f.state, Received | InProgress) {
                return Err(refuse());
            }
            if matches!(outcome.code, "other.clarification_lapsed" | "other.fee_unpaid") {
                return Err(StepRefusal::UseLapseStep);
            }
            if outcome.needs_reason() && reason.trim().is_empty() {
                return Err(StepRefusal::ReasonRequired(outcome.label));
            }
            if needs_sign_off(f.sign_off, *outcome) {
                return to(SigningOff);
            }
            Ok(StepOutcome { state: Replied, outcome: Some(*outcome) })
        }
        Step::SignOff | Step::ReturnReply => {
            let Some(p) = f.proposal.as_ref().filter(|_| f.state == SigningOff) else { return Err(refuse()) };
            if p.by == actor.user_id {
                return Err(StepRefusal::OwnProposal);
            }
            if *s == Step::ReturnReply {
                return to(InProgress);
            }
            Ok(StepOutcome { state: Replied, outcome: Some(p.outcome) })
        }
        Step::Close => match f.state {
            Replied => to(Closed),
            _ => Err(refuse()),
        },
        Step::Transfer { inside, reason } => {
            if !matches!(f.state, Received | InProgress) {
                return Err(refuse());
            }
            if reason.trim().is_empty() {
                return Err(StepRefusal::ReasonRequired("转办"));
            }
            if *inside { to(Received) } else { lapse("unavailable.not_held", Transferred) }
        }
        Step::Withdraw => {
            if f.state.is_open() {
                lapse("other.other", Withdrawn)
            } else {
                Err(refuse())
            }
        }
    }
}

/// The steps an actor may take on a request now, in the order a clerk takes them: the next
/// expected step first (受理 before anything else, 登记补正 while 待补正, 签批 while 待审批),
/// then the others the state allows. Each is a sample of its kind, checked by [`step`]; the
/// page asks for the details (outcome, days, party) when the step is taken.
pub fn allowed_steps(f: &RequestFacts<'_>, actor: &crate::Actor) -> Vec<Step> {
    use RequestState::*;
    let disclosed = OUTCOMES[0];
    let reply = Step::Reply { outcome: disclosed, reason: "-".into() };
    let transfer = Step::Transfer { inside: true, reason: "-".into() };
    let clarified = Step::Clarified { received_on: f.today };
    let order: Vec<Step> = match f.state {
        Received => vec![
            Step::Accept,
            Step::RequestClarification,
            transfer,
            reply,
            Step::StartConsultation,
            Step::NotifyFee,
            Step::Extend { days: 1 },
            Step::Withdraw,
        ],
        InProgress => vec![
            reply,
            Step::StartConsultation,
            Step::NotifyFee,
            Step::Extend { days: 1 },
            Step::RequestClarification,
            transfer,
            Step::Withdraw,
        ],
        Clarifying => vec![clarified, Step::ClarificationLapsed, Step::Withdraw],
        Consulting => vec![Step::EndConsultation, Step::Extend { days: 1 }, Step::Withdraw],
        AwaitingFee => vec![Step::FeePaid, Step::FeeLapsed, Step::Extend { days: 1 }, Step::Withdraw],
        SigningOff => vec![Step::SignOff, Step::ReturnReply, Step::Extend { days: 1 }, Step::Withdraw],
        Replied => vec![Step::Close],
        Closed | Transferred | Withdrawn => Vec::new(),
    };
    order.into_iter().filter(|s| step(f, actor, s).is_ok()).collect()
}

#[cfg(test)]
mod step_tests {
    use super::*;
    use crate::{Actor, OrgPath, Role, Username};

    /// One of each step (both kinds of transfer), for the tests that run them all.
    fn every_step() -> Vec<Step> {
        let disclosed = Outcome::parse("disclosed").expect("outcome");
        vec![
            Step::Accept,
            Step::RequestClarification,
            Step::Clarified { received_on: d(2026, 2, 9) },
            Step::ClarificationLapsed,
            Step::StartConsultation,
            Step::EndConsultation,
            Step::Extend { days: 5 },
            Step::NotifyFee,
            Step::FeePaid,
            Step::FeeLapsed,
            Step::Reply { outcome: disclosed, reason: String::new() },
            Step::SignOff,
            Step::ReturnReply,
            Step::Close,
            Step::Transfer { inside: false, reason: "不属于本机关".into() },
            Step::Transfer { inside: true, reason: "不属于本机关".into() },
            Step::Withdraw,
        ]
    }

    #[test]
    fn every_step_has_a_timeline_label() {
        for s in every_step() {
            assert_ne!(event_label(s.name()), "处理", "{}", s.name());
        }
        assert_eq!(event_label("file"), "收到申请");
    }

    #[test]
    fn an_application_names_every_missing_element_of_article_29() {
        let person = Application {
            applicant_type: "natural_person",
            name: "张三",
            id_type: "居民身份证",
            id_number: "11010519491231002x",
            phone: "13800000000",
            description: "2025年城市道路改造项目的立项批复",
            form: "纸质",
            ..Default::default()
        };
        assert_eq!(check_application(&person), Ok(ApplicantType::NaturalPerson), "a lower-case check letter is read");
        let company = Application {
            applicant_type: "commercial",
            name: "某公司",
            credit_code: "91110000802100433X",
            form: "电子邮件",
            description: "短",
            ..Default::default()
        };
        let fields: Vec<&str> = check_application(&company).expect_err("refused").iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["credit_code", "legal_rep", "contact_person", "phone", "description", "email"]);
    }

    #[test]
    fn a_step_answers_its_effects_and_needs_what_they_need() {
        let org = OrgPath::root(1);
        let a = Actor {
            user_id: 1,
            username: Username::parse("a1").expect("valid"),
            org_id: 1,
            org_path: org.clone(),
            roles: vec![Role::RequestHandler, Role::Approver],
        };
        let today = d(2026, 3, 10);
        let f = RequestFacts {
            state: RequestState::InProgress,
            org_path: &org,
            clarification_asked: false,
            extension_days: 5,
            received_on: d(2026, 3, 2),
            today,
            clarify_late: false,
            applicant_nth_this_month: 1,
            sign_off: &[],
            proposal: None,
            due_on: None,
        };
        let none = StepInput::default();
        let ext = decide(&f, &a, &Step::Extend { days: 10 }, &none).expect("extend");
        assert_eq!(ext.effects, vec![Effect::ExtensionTotal(15)], "the total, from the stored days");
        let on = d(2026, 3, 9);
        let reply = Step::Reply { outcome: Outcome::parse("disclosed").expect("o"), reason: " ".into() };
        let r = decide(&f, &a, &reply, &StepInput { on: Some(on), ..Default::default() }).expect("reply");
        assert_eq!(r.state, RequestState::Replied);
        assert_eq!(
            r.effects,
            vec![
                Effect::Reason(String::new()),
                Effect::Concluded(on),
                Effect::Outcome(Outcome::parse("disclosed").expect("o"))
            ]
        );
        assert_eq!(decide(&f, &a, &Step::NotifyFee, &none), Err(StepRefusal::FeeBasisRequired));
        let inside = Step::Transfer { inside: true, reason: "属发改委职责".into() };
        assert_eq!(decide(&f, &a, &inside, &none), Err(StepRefusal::TargetRequired));
        let moved = decide(&f, &a, &inside, &StepInput { target_org: Some(7), ..Default::default() }).expect("moved");
        assert_eq!((moved.state, moved.effects), (RequestState::Received, vec![Effect::MovesTo(7)]));
        let late = StepInput { on: Some(d(2026, 3, 11)), ..Default::default() };
        assert!(matches!(decide(&f, &a, &Step::Accept, &late), Err(StepRefusal::DateOutOfRange { .. })));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    /// A request received on 2026-02-06 at `org`, in `state`, seen on 2026-02-09, with
    /// nothing asked, extended, proposed or due yet: each test changes what it needs.
    fn facts_at(state: RequestState, org: &OrgPath) -> RequestFacts<'_> {
        RequestFacts {
            state,
            org_path: org,
            clarification_asked: false,
            extension_days: 0,
            received_on: d(2026, 2, 6),
            today: d(2026, 2, 9),
            clarify_late: false,
            applicant_nth_this_month: 1,
            sign_off: &[],
            proposal: None,
            due_on: None,
        }
    }

    fn actor(roles: &[Role], path: &OrgPath) -> Actor {
        Actor {
            user_id: 1,
            username: Username::parse("h1").expect("valid"),
            org_id: 1,
            org_path: path.clone(),
            roles: roles.to_vec(),
        }
    }

    /// The store works out a concluded request's figures on the calendar read before the
    /// step's transaction when the step says it may conclude: every step that moves a
    /// request into or out of a concluded state, from any state, says so.
    #[test]
    fn every_step_that_concludes_says_it_may() {
        let org = OrgPath::root(1);
        let all = actor(&Role::ALL, &org);
        let disclosed = Outcome::parse("disclosed").expect("outcome");
        let steps = every_step();
        let proposal = Proposal { outcome: disclosed, reason: String::new(), by: 2 };
        let input = StepInput { fee: Some(FeeChoice::ByCount), target_org: Some(2), ..Default::default() };
        let mut concluding = 0;
        for state in RequestState::ALL {
            for asked in [false, true] {
                let facts = RequestFacts {
                    clarification_asked: asked,
                    proposal: Some(proposal.clone()),
                    ..facts_at(*state, &org)
                };
                for s in &steps {
                    let Ok(decided) = decide(&facts, &all, s, &input) else { continue };
                    if !decided.state.is_open() || !state.is_open() {
                        concluding += 1;
                        assert!(s.may_conclude(), "{} from {state:?} ends in {:?}", s.name(), decided.state);
                    }
                }
            }
        }
        assert!(concluding >= 6, "only {concluding} concluding steps were tried");
    }

    #[test]
    fn the_ordinary_path_and_its_refusals() {
        let org = OrgPath::root(1);
        let h = actor(&[Role::RequestHandler], &org);
        let facts = |state, asked| RequestFacts { clarification_asked: asked, ..facts_at(state, &org) };
        assert_eq!(
            step(&facts(RequestState::Received, false), &h, &Step::Accept).map(|o| o.state),
            Ok(RequestState::InProgress)
        );
        assert_eq!(
            step(&facts(RequestState::Received, false), &h, &Step::RequestClarification).map(|o| o.state),
            Ok(RequestState::Clarifying)
        );
        assert_eq!(
            step(&facts(RequestState::InProgress, true), &h, &Step::RequestClarification),
            Err(StepRefusal::AlreadyClarified)
        );
        let lapsed = step(&facts(RequestState::Clarifying, true), &h, &Step::ClarificationLapsed).expect("lapsed");
        assert_eq!(
            (lapsed.state, lapsed.outcome.map(|o| o.code)),
            (RequestState::Closed, Some("other.clarification_lapsed"))
        );
        let refusal = Outcome::parse("withheld.process_info").expect("outcome");
        let reply = Step::Reply { outcome: refusal, reason: " ".into() };
        assert_eq!(
            step(&facts(RequestState::InProgress, false), &h, &reply),
            Err(StepRefusal::ReasonRequired("属于四类过程性信息"))
        );
        let reply = Step::Reply { outcome: refusal, reason: "属于讨论记录".into() };
        assert_eq!(
            step(&facts(RequestState::InProgress, false), &h, &reply).map(|o| o.state),
            Ok(RequestState::Replied)
        );
        assert!(matches!(
            step(&facts(RequestState::Consulting, false), &h, &reply),
            Err(StepRefusal::NotInState { .. })
        ));
        assert!(matches!(
            step(&facts(RequestState::Closed, false), &h, &Step::Withdraw),
            Err(StepRefusal::NotInState { .. })
        ));
        let lapse_reply = Step::Reply { outcome: Outcome::parse("other.fee_unpaid").expect("o"), reason: "x".into() };
        assert_eq!(step(&facts(RequestState::InProgress, false), &h, &lapse_reply), Err(StepRefusal::UseLapseStep));
    }

    #[test]
    fn the_disclosure_office_routes_requests_of_the_orgs_below_it_and_nothing_else() {
        let top = OrgPath::root(1);
        let dept = top.child(2);
        let office = actor(&[Role::Supervisor], &top);
        let facts = facts_at(RequestState::Received, &top);
        let transfer = Step::Transfer { inside: true, reason: "属于区发展改革委职责".into() };
        assert_eq!(step(&facts, &office, &transfer).map(|o| o.state), Ok(RequestState::Received));
        let at_dept = RequestFacts { org_path: &dept, ..facts.clone() };
        assert!(step(&at_dept, &office, &transfer).is_ok(), "below the office too");
        assert!(matches!(step(&at_dept, &office, &Step::Accept), Err(StepRefusal::Denied(_))), "routing only");
        let elsewhere = OrgPath::root(9);
        let other = RequestFacts { org_path: &elsewhere, ..facts };
        assert_eq!(step(&other, &office, &transfer), Err(StepRefusal::Denied(crate::Denied::OutsideOrg)));
    }

    #[test]
    fn clarification_is_asked_within_seven_working_days_and_dated_between_receipt_and_today() {
        let org = OrgPath::root(1);
        let h = actor(&[Role::RequestHandler], &org);
        let late = RequestFacts { today: d(2026, 3, 2), clarify_late: true, ..facts_at(RequestState::Received, &org) };
        assert_eq!(step(&late, &h, &Step::RequestClarification), Err(StepRefusal::ClarificationLate));
        let clarifying = RequestFacts { state: RequestState::Clarifying, clarify_late: false, ..late.clone() };
        for bad in [d(1990, 1, 1), d(2026, 2, 5), d(2099, 1, 1), d(2026, 3, 3)] {
            assert_eq!(
                step(&clarifying, &h, &Step::Clarified { received_on: bad }),
                Err(StepRefusal::DateOutOfRange { on: bad, received_on: d(2026, 2, 6), today: d(2026, 3, 2) })
            );
        }
        for good in [d(2026, 2, 6), d(2026, 3, 2)] {
            assert!(step(&clarifying, &h, &Step::Clarified { received_on: good }).is_ok());
        }
    }

    #[test]
    fn extensions_need_an_approver_and_stop_at_20_days() {
        let org = OrgPath::root(1);
        let h = actor(&[Role::RequestHandler], &org);
        let a = actor(&[Role::Approver], &org);
        let facts = facts_at(RequestState::InProgress, &org);
        assert!(matches!(step(&facts, &h, &Step::Extend { days: 10 }), Err(StepRefusal::Denied(_))));
        assert_eq!(step(&facts, &a, &Step::Extend { days: 10 }).map(|o| o.state), Ok(RequestState::InProgress));
        let extended = RequestFacts { extension_days: 10, ..facts.clone() };
        assert_eq!(step(&extended, &a, &Step::Extend { days: 11 }), Err(StepRefusal::ExtensionTooLong { already: 10 }));
        assert!(step(&extended, &a, &Step::Extend { days: 10 }).is_ok());
        let other_org = OrgPath::root(2);
        let outsider = actor(&[Role::RequestHandler], &other_org);
        assert!(matches!(step(&facts, &outsider, &Step::Accept), Err(StepRefusal::Denied(crate::Denied::OutsideOrg))));
    }

    /// Article 33: an extension is granted within the reply period; one dated after its last
    /// day is refused (it would count a late reply as on time), one recorded late for a
    /// letter sent in time is not.
    #[test]
    fn an_extension_is_granted_before_the_period_ends() {
        let org = OrgPath::root(1);
        let a = actor(&[Role::Approver], &org);
        let facts = RequestFacts {
            today: d(2026, 3, 20),
            due_on: Some(d(2026, 3, 16)),
            ..facts_at(RequestState::InProgress, &org)
        };
        let extend = Step::Extend { days: 10 };
        let on = |day| StepInput { on: Some(day), ..Default::default() };
        assert_eq!(
            decide(&facts, &a, &extend, &StepInput::default()),
            Err(StepRefusal::ExtensionAfterDue { due: d(2026, 3, 16) })
        );
        assert_eq!(
            decide(&facts, &a, &extend, &on(d(2026, 3, 17))).map(|d| d.state).expect_err("after the period").code(),
            "extension_after_due"
        );
        assert_eq!(decide(&facts, &a, &extend, &on(d(2026, 3, 16))).map(|d| d.state), Ok(RequestState::InProgress));
        let unknown = RequestFacts { due_on: None, ..facts };
        assert!(decide(&unknown, &a, &extend, &StepInput::default()).is_ok(), "a paused clock is not refused");
    }

    #[test]
    fn urgency_is_overdue_below_zero_and_near_within_five_working_days() {
        assert_eq!(Urgency::of(-1), Urgency::Overdue);
        assert_eq!(Urgency::of(0), Urgency::Near, "due today is not yet overdue");
        assert_eq!(Urgency::of(NEAR_DAYS), Urgency::Near);
        assert_eq!(Urgency::of(NEAR_DAYS + 1), Urgency::Ok);
        const { assert!(REMIND_DAYS <= NEAR_DAYS, "a reminder is sent only for what is already shown as near") };
    }

    #[test]
    fn the_applicant_masked_keeps_the_surname_and_the_ends_of_numbers() {
        let a = Applicant {
            kind: ApplicantType::NaturalPerson,
            name: "王小明".into(),
            id_type: "居民身份证".into(),
            id_number: "11010519491231002X".into(),
            credit_code: String::new(),
            legal_rep: String::new(),
            contact_person: String::new(),
            phone: "13800001234".into(),
            email: "wang@example.com".into(),
            address: "重庆市黔江区城西街道新华大道东段 88 号".into(),
            postcode: "409000".into(),
        };
        let m = a.masked();
        assert_eq!(m.name, "王**");
        assert_eq!(m.id_number, "110105********002X");
        assert_eq!(m.phone, "138****1234");
        assert_eq!(m.email, "w***@example.com");
        assert_eq!(m.address, "重庆市黔江区****");
        let company = Applicant { kind: ApplicantType::Commercial, name: "某建设有限公司".into(), ..a };
        assert_eq!(company.masked().name, "某建设有限公司", "an organisation's name is not personal data");
    }

    #[test]
    fn a_refusal_waits_for_another_approver_and_the_page_offers_only_allowed_steps() {
        let org = OrgPath::root(1);
        let handler = Actor { user_id: 7, ..actor(&[Role::RequestHandler, Role::Approver], &org) };
        let approver = Actor { user_id: 8, ..actor(&[Role::Approver], &org) };
        let rule: Vec<String> = DEFAULT_SIGN_OFF.iter().map(|s| s.to_string()).collect();
        let facts = RequestFacts { today: d(2026, 2, 20), sign_off: &rule, ..facts_at(RequestState::InProgress, &org) };
        let refusal = Outcome::parse("withheld.third_party").expect("o");
        assert!(needs_sign_off(&rule, refusal) && needs_sign_off(&rule, Outcome::parse("partial").expect("o")));
        assert!(!needs_sign_off(&rule, OUTCOMES[0]), "予以公开 goes out directly");
        assert!(!needs_sign_off(&["with".to_string()], refusal), "a group is matched whole, not by prefix");
        let reply = Step::Reply { outcome: refusal, reason: "涉及商业秘密，第三方不同意公开".into() };
        let proposed = decide(&facts, &handler, &reply, &StepInput::default()).expect("proposed");
        assert_eq!(proposed.state, RequestState::SigningOff);
        assert_eq!(proposed.event, "reply.propose");
        assert!(matches!(proposed.effects.as_slice(), [Effect::Proposed { .. }]), "no outcome before sign-off");
        let waiting = RequestFacts {
            state: RequestState::SigningOff,
            proposal: Some(Proposal { outcome: refusal, reason: "涉及商业秘密".into(), by: 7 }),
            ..facts.clone()
        };
        assert_eq!(step(&waiting, &handler, &Step::SignOff), Err(StepRefusal::OwnProposal), "not one's own");
        assert!(matches!(
            step(&waiting, &actor(&[Role::RequestHandler], &org), &Step::SignOff),
            Err(StepRefusal::Denied(_))
        ));
        let signed = decide(&waiting, &approver, &Step::SignOff, &StepInput::default()).expect("signed");
        assert_eq!(signed.state, RequestState::Replied);
        assert!(signed.effects.contains(&Effect::Outcome(refusal)));
        assert!(signed.effects.contains(&Effect::Reason("涉及商业秘密".into())));
        let back = decide(&waiting, &approver, &Step::ReturnReply, &StepInput::default()).expect("returned");
        assert_eq!((back.state, back.effects), (RequestState::InProgress, vec![Effect::ProposalCleared]));
        assert!(matches!(step(&waiting, &handler, &reply), Err(StepRefusal::NotInState { .. })));

        let names = |f: &RequestFacts<'_>, a: &Actor| allowed_steps(f, a).iter().map(Step::name).collect::<Vec<_>>();
        let plain = actor(&[Role::RequestHandler], &org);
        let received = RequestFacts { state: RequestState::Received, ..facts.clone() };
        assert_eq!(names(&received, &plain)[0], "accept", "受理 comes first");
        assert!(!names(&received, &plain).contains(&"extend"), "a handler does not extend");
        assert_eq!(names(&waiting, &approver), ["reply.sign", "reply.return", "extend"]);
        assert_eq!(names(&waiting, &plain), ["withdraw"]);
        let asked = RequestFacts { clarification_asked: true, ..facts.clone() };
        assert!(!names(&asked, &plain).contains(&"clarify.request"), "asked once");
        let clarifying = RequestFacts { state: RequestState::Clarifying, ..asked };
        assert_eq!(names(&clarifying, &plain), ["clarify.received", "clarify.lapsed", "withdraw"]);
        let closed = RequestFacts { state: RequestState::Closed, ..facts };
        assert!(names(&closed, &handler).is_empty());
    }
}
