//! 规范性文件清理: a government reviews its 规章 and 行政规范性文件 and decides, document by
//! document, which stay in force, which are to be amended, which are repealed and which are
//! declared no longer in force (seed 004 一(一): 制定、公布、备案、清理及监督). The decision is
//! itself a published item (the 清理结果, in the section of article 20 item (一)) going the
//! 三审 path; when it is published its verdicts change the documents' validity in the same
//! transaction, and each document's page names the decision.

use crate::code_enum::code_enum;
use crate::item::Validity;
use chrono::NaiveDate;
use std::collections::HashSet;
use thiserror::Error;

/// The genres a 清理 reviews.
pub const CLEANED_GENRES: &[&str] = &["规章", "行政规范性文件"];

/// Most documents one decision lists.
pub const MAX_ENTRIES: usize = 2000;

/// Longest note on one entry, in characters.
pub const MAX_NOTE: usize = 500;

code_enum! {
    /// What a 清理 decides for one document.
    Verdict {
        /// 继续有效.
        Keep = ("keep", "继续有效"),
        /// 修改 (stays in force until the amendment; shown as 已修改 once amended).
        Amend = ("amend", "拟修改"),
        /// 废止.
        Repeal = ("repeal", "废止"),
        /// 宣布失效.
        Expire = ("expire", "宣布失效"),
    }
}

impl Verdict {
    /// The validity the document has once the decision is published: 修改 leaves it in
    /// force (the amending document changes it), so only 废止 and 宣布失效 end it.
    pub const fn validity(self) -> Validity {
        match self {
            Self::Keep | Self::Amend => Validity::Valid,
            Self::Repeal => Validity::Repealed,
            Self::Expire => Validity::Expired,
        }
    }
}

/// One line of a decision: the document (an item id), the verdict and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub target: i64,
    pub verdict: Verdict,
    pub note: String,
}

/// What is known of a document named in a decision, read by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetFacts {
    pub id: i64,
    pub title: String,
    /// Public now.
    pub public: bool,
    pub genre: String,
    /// Issued by the deciding org or an org below it.
    pub within: bool,
    /// Already repealed or expired.
    pub ended: bool,
}

/// Why a decision's entries are refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CleanupRefusal {
    /// No entries.
    #[error("清理决定须至少列出一件文件")]
    Empty,
    /// Too many.
    #[error("一份清理决定最多列出 2000 件文件")]
    TooMany,
    /// A document listed twice.
    #[error("「{0}」重复列出")]
    Duplicate(String),
    /// A note too long.
    #[error("「{0}」的说明超过 500 字")]
    NoteTooLong(String),
    /// A repeal or an amendment without its reason.
    #[error("「{0}」决定{1}，须说明理由")]
    ReasonRequired(String, &'static str),
    /// Not a public 规章 or 规范性文件.
    #[error("「{0}」不是已公开的规章或行政规范性文件")]
    NotADocument(String),
    /// Issued outside the deciding org's tree.
    #[error("「{0}」不是本机关或所属部门制发的文件")]
    Outside(String),
    /// Already ended.
    #[error("「{0}」已废止或失效，无须再清理")]
    Ended(String),
    /// The decision is published: its verdicts were applied.
    #[error("清理决定已发布，不能再修改")]
    Published,
}

/// Checks a decision's entries against what the store read of each document.
pub fn check(entries: &[Entry], facts: &[TargetFacts]) -> Result<(), CleanupRefusal> {
    if entries.is_empty() {
        return Err(CleanupRefusal::Empty);
    }
    if entries.len() > MAX_ENTRIES {
        return Err(CleanupRefusal::TooMany);
    }
    let mut seen = HashSet::new();
    for e in entries {
        let f = facts.iter().find(|f| f.id == e.target);
        let title = f.map(|f| f.title.clone()).unwrap_or_else(|| format!("信息 {}", e.target));
        if !seen.insert(e.target) {
            return Err(CleanupRefusal::Duplicate(title));
        }
        if e.note.chars().count() > MAX_NOTE {
            return Err(CleanupRefusal::NoteTooLong(title));
        }
        if matches!(e.verdict, Verdict::Repeal | Verdict::Expire | Verdict::Amend) && e.note.trim().is_empty() {
            return Err(CleanupRefusal::ReasonRequired(title, e.verdict.label()));
        }
        let Some(f) = f else { return Err(CleanupRefusal::NotADocument(title)) };
        if !f.public || !CLEANED_GENRES.contains(&f.genre.as_str()) {
            return Err(CleanupRefusal::NotADocument(title));
        }
        if !f.within {
            return Err(CleanupRefusal::Outside(title));
        }
        if f.ended {
            return Err(CleanupRefusal::Ended(title));
        }
    }
    Ok(())
}

/// What publishing a decision on `decided_on` does to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub target: i64,
    /// The new validity, when it changes.
    pub validity: Option<Validity>,
    /// 废止日期 / 失效日期.
    pub ended_on: Option<NaiveDate>,
}

/// The changes the published decision makes: 废止 and 宣布失效 end the document on the
/// decision's day; 继续有效 and 拟修改 leave its validity (the page still names the decision).
pub fn changes(entries: &[Entry], decided_on: NaiveDate) -> Vec<Change> {
    entries
        .iter()
        .map(|e| match e.verdict {
            Verdict::Keep | Verdict::Amend => Change { target: e.target, validity: None, ended_on: None },
            v => Change { target: e.target, validity: Some(v.validity()), ended_on: Some(decided_on) },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, genre: &str) -> TargetFacts {
        TargetFacts { id, title: format!("文件{id}"), public: true, genre: genre.into(), within: true, ended: false }
    }

    fn entry(target: i64, verdict: Verdict, note: &str) -> Entry {
        Entry { target, verdict, note: note.into() }
    }

    #[test]
    fn entries_name_public_documents_of_the_tree_once_with_reasons() {
        let facts = [doc(1, "行政规范性文件"), doc(2, "规章"), doc(3, "通知"), doc(4, "行政规范性文件")];
        let ok = [entry(1, Verdict::Keep, ""), entry(2, Verdict::Repeal, "上位法已废止")];
        assert_eq!(check(&ok, &facts), Ok(()));
        assert_eq!(check(&[], &facts), Err(CleanupRefusal::Empty));
        assert_eq!(
            check(&[entry(1, Verdict::Keep, ""), entry(1, Verdict::Repeal, "x")], &facts),
            Err(CleanupRefusal::Duplicate("文件1".into()))
        );
        assert_eq!(
            check(&[entry(2, Verdict::Repeal, " ")], &facts),
            Err(CleanupRefusal::ReasonRequired("文件2".into(), "废止"))
        );
        assert_eq!(check(&[entry(3, Verdict::Keep, "")], &facts), Err(CleanupRefusal::NotADocument("文件3".into())));
        assert_eq!(check(&[entry(9, Verdict::Keep, "")], &facts), Err(CleanupRefusal::NotADocument("信息 9".into())));
        let mut outside = facts.clone();
        outside[3].within = false;
        assert_eq!(check(&[entry(4, Verdict::Keep, "")], &outside), Err(CleanupRefusal::Outside("文件4".into())));
        outside[3].ended = true;
        outside[3].within = true;
        assert_eq!(check(&[entry(4, Verdict::Keep, "")], &outside), Err(CleanupRefusal::Ended("文件4".into())));
    }

    #[test]
    fn repeal_and_expiry_end_documents_on_the_decision_day() {
        let day: NaiveDate = "2026-12-04".parse().expect("date");
        let entries = [
            entry(1, Verdict::Keep, ""),
            entry(2, Verdict::Amend, "与新修订的上位法不一致"),
            entry(3, Verdict::Repeal, "已被新办法替代"),
            entry(4, Verdict::Expire, "适用期已过"),
        ];
        let c = changes(&entries, day);
        assert_eq!((c[0].validity, c[1].validity), (None, None));
        assert_eq!((c[2].validity, c[2].ended_on), (Some(Validity::Repealed), Some(day)));
        assert_eq!(c[3].validity, Some(Validity::Expired));
    }
}
