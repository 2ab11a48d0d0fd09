//! Self-inspection (自查), the rules: what an org must answer for a year — every item it
//! withholds, and every piece of information its requests concentrated on — the advice on
//! each, what an answer must contain, and when the result may be submitted.
//!
//! Advice: a withheld item whose review date (article 18) has passed, or that has none, is
//! advised for publication review; otherwise keep. Information asked for by two or more
//! requests (the same information by [`same_information_key`]) is advised for proactive
//! publication when any of those requests was answered 予以公开 or 部分公开 (article 44),
//! otherwise keep.

use crate::code_enum::code_enum;
use crate::request::{Outcome, same_information_key};
use chrono::NaiveDate;

code_enum! {
    /// What an entry is about.
    EntryKind {
        /// An item the org withholds (不予公开).
        Withheld = ("withheld", "不予公开信息"),
        /// Information the year's requests asked for more than once.
        Requested = ("requested", "被多次申请的信息"),
        /// A matter of the org's 政务公开负面清单 (its review day come or not).
        Matter = ("matter", "负面清单事项"),
    }
}

code_enum! {
    /// An advice or the org's answer on an entry.
    Advice {
        /// 继续不予公开 (with the reason it still holds).
        Keep = ("keep", "继续不予公开"),
        /// 予以公开.
        Publish = ("publish", "予以公开"),
    }
}

/// The advice on a withheld item, with why.
pub fn advise_withheld(review_on: Option<NaiveDate>, today: NaiveDate) -> (Advice, String) {
    match review_on {
        Some(d) if d > today => (Advice::Keep, format!("复核日期 {d} 未到，可继续不予公开，须说明理由仍然成立")),
        Some(d) => (Advice::Publish, format!("复核日期 {d} 已过，请复核能否公开")),
        None => (Advice::Publish, "未设复核日期，请复核能否公开".to_string()),
    }
}

/// The advice on a matter of the 负面清单: reviewed when its review day has come (条例第十八条
/// applies to the matter as to each item withheld on it).
pub fn advise_matter(review_on: Option<NaiveDate>, today: NaiveDate) -> (Advice, String) {
    match review_on {
        Some(d) if d > today => (Advice::Keep, format!("复核日期 {d} 未到，可保留在负面清单，须说明理由仍然成立")),
        Some(d) => (Advice::Publish, format!("复核日期 {d} 已到，请复核该事项能否公开；可以公开的，调整出负面清单")),
        None => (Advice::Publish, "未设复核日期，请复核该事项能否公开".to_string()),
    }
}

/// A piece of information the year's requests asked for, with how many did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    /// What it is, as the first request described it (with its document number).
    pub subject: String,
    /// How many requests asked for it.
    pub requests: i64,
    /// Whether any of them was answered 予以公开 or 部分公开.
    pub disclosed: bool,
}

impl Requested {
    /// The advice on it, with why.
    pub fn advice(&self) -> (Advice, String) {
        let n = self.requests;
        if self.disclosed {
            (Advice::Publish, format!("本年度有 {n} 件申请涉及，且已依申请公开，建议纳入主动公开（条例第四十四条）"))
        } else {
            (Advice::Keep, format!("本年度有 {n} 件申请涉及，均未予公开，请确认理由是否仍然成立"))
        }
    }
}

/// The information asked for by two or more of the year's requests, each request given as
/// (document reference, description, outcome code), in first-asked order.
pub fn concentrated<'a>(requests: impl IntoIterator<Item = (&'a str, &'a str, Option<&'a str>)>) -> Vec<Requested> {
    let mut groups: Vec<(String, Requested)> = Vec::new();
    for (doc_ref, description, outcome) in requests {
        let key = same_information_key(doc_ref, description);
        let disclosed = Outcome::code_disclosed_it(outcome);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => {
                g.requests += 1;
                g.disclosed |= disclosed;
            }
            None => {
                let subject = if doc_ref.trim().is_empty() {
                    description.to_string()
                } else {
                    format!("{}（{}）", description, doc_ref.trim())
                };
                groups.push((key, Requested { subject, requests: 1, disclosed }));
            }
        }
    }
    groups.into_iter().map(|(_, g)| g).filter(|g| g.requests >= 2).collect()
}

/// What carrying out a 予以公开 answer does to a withheld item: one still waiting with its
/// 不予公开 attribute (it cannot be published or edited so) is reopened as a draft marked
/// 主动公开, for the org's editors to complete and send through review; one already
/// reopened or public needs nothing. Answers the new state and attribute, if any change.
pub fn reopen_withheld(
    state: crate::item::ItemState,
    attr: Option<crate::item::DisclosureAttr>,
) -> Option<(crate::item::ItemState, crate::item::DisclosureAttr)> {
    use crate::item::{DisclosureAttr, ItemState};
    (attr == Some(DisclosureAttr::Withheld) && matches!(state, ItemState::Approved | ItemState::Draft))
        .then_some((ItemState::Draft, DisclosureAttr::Proactive))
}

/// Why an inspection step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectionRefusal {
    /// Keeping something withheld needs the reason it still holds.
    #[error("继续不予公开须说明理由")]
    NoReason,
    /// A reason over 2000 characters.
    #[error("理由不超过 2000 字")]
    ReasonTooLong,
    /// The result went to the disclosure office already.
    #[error("自查结果已报送，不能修改")]
    Submitted,
    /// Submitting with entries unanswered.
    #[error("尚有 {0} 项未提出处理意见，不能报送")]
    Unanswered(usize),
}

/// Checks an answer to an entry of an inspection not yet submitted; answers the reason as kept.
pub fn check_answer(submitted: bool, decision: Advice, reason: &str) -> Result<String, InspectionRefusal> {
    if submitted {
        return Err(InspectionRefusal::Submitted);
    }
    let reason = reason.trim();
    if decision == Advice::Keep && reason.is_empty() {
        return Err(InspectionRefusal::NoReason);
    }
    if reason.chars().count() > 2000 {
        return Err(InspectionRefusal::ReasonTooLong);
    }
    Ok(reason.to_string())
}

/// Checks that an inspection may be submitted: not yet, and every entry answered.
pub fn check_submit(submitted: bool, unanswered: usize) -> Result<(), InspectionRefusal> {
    match (submitted, unanswered) {
        (true, _) => Err(InspectionRefusal::Submitted),
        (false, 0) => Ok(()),
        (false, n) => Err(InspectionRefusal::Unanswered(n)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_publish_answer_reopens_a_waiting_withheld_item_only() {
        use crate::item::{DisclosureAttr as A, ItemState as S};
        assert_eq!(reopen_withheld(S::Approved, Some(A::Withheld)), Some((S::Draft, A::Proactive)));
        assert_eq!(reopen_withheld(S::Published, Some(A::Proactive)), None, "already public");
        assert_eq!(reopen_withheld(S::Submitted, Some(A::Withheld)), None, "in review: the reviewer decides");
    }

    use super::*;

    #[test]
    fn a_withheld_item_is_advised_by_its_review_date() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(advise_withheld(NaiveDate::from_ymd_opt(2026, 6, 30), today).0, Advice::Keep);
        assert_eq!(advise_withheld(Some(today), today).0, Advice::Publish, "due today is due");
        assert_eq!(advise_withheld(None, today).0, Advice::Publish);
        assert_eq!(advise_matter(NaiveDate::from_ymd_opt(2027, 6, 30), today).0, Advice::Keep);
        assert_eq!(advise_matter(Some(today), today).0, Advice::Publish, "a matter due today is reviewed");
    }

    #[test]
    fn information_asked_twice_is_concentrated_and_disclosed_once_means_publish() {
        let reqs = [
            ("京政发〔2024〕3号", "关于征收补偿的文件", Some("withheld.third_party")),
            ("京政发[2024]3号", "征收补偿", Some("partial")),
            ("", "2025年预算", None),
            ("", "2025 年预算！", Some("withheld.process_info")),
            ("", "只问过一次", Some("disclosed")),
        ];
        let g = concentrated(reqs);
        assert_eq!(g.len(), 2);
        assert_eq!((g[0].requests, g[0].disclosed), (2, true));
        assert_eq!(g[0].subject, "关于征收补偿的文件（京政发〔2024〕3号）");
        assert_eq!(g[0].advice().0, Advice::Publish);
        assert_eq!((g[1].requests, g[1].disclosed, g[1].advice().0), (2, false, Advice::Keep));
    }

    #[test]
    fn an_answer_needs_a_reason_to_keep_and_a_result_needs_every_answer() {
        assert_eq!(check_answer(false, Advice::Keep, "  "), Err(InspectionRefusal::NoReason));
        assert_eq!(check_answer(false, Advice::Publish, " "), Ok(String::new()));
        assert_eq!(check_answer(true, Advice::Publish, ""), Err(InspectionRefusal::Submitted));
        assert_eq!(check_answer(false, Advice::Keep, &"理".repeat(2001)), Err(InspectionRefusal::ReasonTooLong));
        assert_eq!(check_submit(false, 2).map_err(|e| e.to_string()), Err("尚有 2 项未提出处理意见，不能报送".into()));
        assert_eq!(check_submit(false, 0), Ok(()));
        assert_eq!(check_submit(true, 0), Err(InspectionRefusal::Submitted));
    }
}
