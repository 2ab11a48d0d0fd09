//! The audit trail's hash chain. Each row stores the hash of the row before it and its own
//! hash over its content and that previous hash, so changing, removing or reordering any
//! stored row breaks every hash after it. The store writes rows; this module decides what
//! a row's hash is and whether a sequence of rows is intact.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sm3::Sm3;

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited action: who did what to which object, when, from where, with before/after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The acting user's name, or `system` / `cli` for actions without a logged-in user.
    pub actor: String,
    /// What was done, as `area.verb` (`org.create`, `user.set_password`, `token.revoke`).
    pub action: String,
    /// The kind of object acted on (`org`, `user`, `token`).
    pub object_kind: String,
    /// The object's id or code.
    pub object_id: String,
    /// Where from: the staff member's address, or `cli`.
    pub origin: String,
    /// A summary of the object before the change (JSON), empty for creations.
    pub before: String,
    /// A summary after the change (JSON), empty for deletions.
    pub after: String,
}

/// The hash function of new rows: SHA-256, or SM3 (GB/T 32905-2016) where a deployment
/// must use 国密 algorithms. A row says which by its hash: SM3 ones start `sm3:`, so a chain
/// begun with one and continued with the other still verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChainHash {
    #[default]
    Sha256,
    Sm3,
}

/// The prefix of a hash made with SM3.
pub const SM3_PREFIX: &str = "sm3:";

impl AuditEvent {
    /// The hash of this event chained to `prev_hash`: SHA-256 over the fields, each
    /// length-prefixed so no two different rows can serialise alike.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        self.chain_hash_as(ChainHash::Sha256, prev_hash)
    }

    /// [`AuditEvent::chain_hash`] with the hash function `alg` (SM3 hashes carry
    /// [`SM3_PREFIX`]).
    pub fn chain_hash_as(&self, alg: ChainHash, prev_hash: &str) -> String {
        match alg {
            ChainHash::Sha256 => hex::encode(self.digest::<Sha256>(prev_hash)),
            ChainHash::Sm3 => format!("{SM3_PREFIX}{}", hex::encode(self.digest::<Sm3>(prev_hash))),
        }
    }

    fn digest<D: Digest>(&self, prev_hash: &str) -> Vec<u8> {
        let mut h = D::new();
        let at = self.at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let seq = self.seq.to_string();
        for part in [
            prev_hash,
            &seq,
            &at,
            &self.actor,
            &self.action,
            &self.object_kind,
            &self.object_id,
            &self.origin,
            &self.before,
            &self.after,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().to_vec()
    }
}

/// Where a stored chain stops being intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's `seq` is not one more than the previous row's (a row removed or inserted).
    Gap { expected: i64, found: i64 },
    /// The row's stored `prev_hash` is not the previous row's hash.
    PrevMismatch { seq: i64 },
    /// The row's stored hash does not match its content.
    HashMismatch { seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Gap { expected, found } => {
                write!(f, "第 {expected} 条记录缺失（下一条为第 {found} 条）")
            }
            Self::PrevMismatch { seq } => write!(f, "第 {seq} 条记录的前序哈希与上一条不符"),
            Self::HashMismatch { seq } => {
                write!(f, "第 {seq} 条记录的内容与其哈希不符（已被改动）")
            }
        }
    }
}

/// Incremental verification of a chain read in `seq` order, so the store can stream rows.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { expected_seq: 1, prev_hash: GENESIS_HASH.to_string() }
    }
}

impl ChainVerifier {
    /// Checks the next stored row (`event` with its stored `prev_hash` and `hash`).
    pub fn check(&mut self, event: &AuditEvent, prev_hash: &str, hash: &str) -> Result<(), ChainBreak> {
        if event.seq != self.expected_seq {
            return Err(ChainBreak::Gap { expected: self.expected_seq, found: event.seq });
        }
        if prev_hash != self.prev_hash {
            return Err(ChainBreak::PrevMismatch { seq: event.seq });
        }
        let alg = if hash.starts_with(SM3_PREFIX) { ChainHash::Sm3 } else { ChainHash::Sha256 };
        if event.chain_hash_as(alg, prev_hash) != hash {
            return Err(ChainBreak::HashMismatch { seq: event.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = hash.to_string();
        Ok(())
    }

    /// How many rows have been verified.
    pub fn verified(&self) -> i64 {
        self.expected_seq - 1
    }

    /// The hash of the last verified row (the chain head).
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

/// What an area of the trail (the part of an action before the first dot) is about, in the
/// words the console shows.
pub const ACTION_AREAS: &[(&str, &str)] = &[
    ("archive", "归档导出"),
    ("assessment", "考核"),
    ("attachment", "附件"),
    ("audit", "操作记录"),
    ("calendar", "工作日历"),
    ("concern", "舆情回应"),
    ("consultation", "意见征集"),
    ("faq", "常见问题"),
    ("gazette", "政府公报"),
    ("inspection", "年度自查"),
    ("interview_plan", "访谈计划"),
    ("item", "政府信息"),
    ("letter", "来信"),
    ("list", "公开清单"),
    ("list_kind", "清单种类"),
    ("list_row", "清单条目"),
    ("login", "登录"),
    ("logout", "退出登录"),
    ("mailbox", "信箱"),
    ("meeting", "会议列席"),
    ("notice", "文书模板"),
    ("org", "单位"),
    ("press", "新闻发布"),
    ("proposal", "建议提案"),
    ("report", "年度报告"),
    ("request", "依申请公开"),
    ("review", "保密审查"),
    ("approve", "审批"),
    ("section", "目录栏目"),
    ("site", "网站设置"),
    ("spot_check", "抽查整改"),
    ("survey", "网上调查"),
    ("token", "访问令牌"),
    ("user", "账号"),
    ("wording", "表述检查词表"),
    ("workplan", "工作任务"),
];

/// What was done (the rest of an action, or its last part), in the console's words.
const VERBS: &[(&str, &str)] = &[
    ("accept", "验收"),
    ("add", "添加"),
    ("adjust", "调整"),
    ("adjustment.draft", "起草调整"),
    ("answer", "答复"),
    ("announce", "发布公告"),
    ("applicant_view", "查看申请人信息"),
    ("apply", "报名"),
    ("approve", "审批"),
    ("approve.pass", "审批通过"),
    ("approve.return", "审批退回"),
    ("approve_reply", "审核答复"),
    ("article.add", "添加文章"),
    ("assess", "研判"),
    ("assign", "分办"),
    ("cancel", "取消"),
    ("change", "变更"),
    ("change_password", "修改密码"),
    ("cleanup", "清理"),
    ("close_invalid", "无效办结"),
    ("comment", "提交意见"),
    ("consult", "会商"),
    ("contact", "设置联系方式"),
    ("create", "新建"),
    ("decide", "决定"),
    ("decline", "不予刊登"),
    ("delete", "删除"),
    ("delivery", "送达"),
    ("disable", "停用"),
    ("draft_reply", "起草答复"),
    ("edit", "修改"),
    ("email", "设置邮箱"),
    ("enable", "启用"),
    ("evaluate", "评估办结"),
    ("expire", "公示期满下线"),
    ("export", "导出"),
    ("extend", "延期"),
    ("failed", "失败"),
    ("feedback", "反馈"),
    ("file", "登记"),
    ("file.add", "添加答复文件"),
    ("file.remove", "移除答复文件"),
    ("find", "记录问题"),
    ("follow_up", "整改跟进"),
    ("hand_off", "移交"),
    ("import", "导入"),
    ("instruction", "领导批示"),
    ("instruction_done", "批示办结"),
    ("interpretation", "关联解读"),
    ("interpretation_need", "标记需解读"),
    ("issue.create", "新建期次"),
    ("issue.import", "导入期次"),
    ("issue.publish", "发布期次"),
    ("load", "载入"),
    ("locked", "锁定"),
    ("log", "登记"),
    ("mask", "去标识化"),
    ("moderate", "审核意见"),
    ("notice", "出具文书"),
    ("open", "发起"),
    ("page", "编辑页面"),
    ("pass", "通过"),
    ("photo_add", "添加照片"),
    ("photo_remove", "移除照片"),
    ("police", "移交公安"),
    ("public_notice", "公示"),
    ("publish", "发布"),
    ("publish_feedback", "公布采纳情况"),
    ("publish_list", "公布名单"),
    ("publish_results", "公布结果"),
    ("rate", "评价"),
    ("reassign", "改派"),
    ("record", "登记"),
    ("remedy", "登记救济"),
    ("remedy_decided", "救济结果"),
    ("remind", "提醒"),
    ("remove", "移除"),
    ("reopen_withheld", "重新审查不予公开"),
    ("reply", "答复"),
    ("report", "报送"),
    ("respond", "回应"),
    ("return", "退回"),
    ("return_reply", "退回答复"),
    ("review.pass", "保密审查通过"),
    ("review.return", "保密审查退回"),
    ("roles", "调整角色"),
    ("save", "保存"),
    ("schedule", "安排"),
    ("scheme", "设置方案"),
    ("set_password", "重置密码"),
    ("set_validity", "变更效力"),
    ("settings", "修改"),
    ("settle", "确认责任单位"),
    ("start", "开始"),
    ("step", "办理"),
    ("submit", "提交"),
    ("template", "修改"),
    ("transfer", "转办"),
    ("update", "修改"),
    ("verify", "校验哈希链"),
    ("withdraw", "撤回"),
    ("withhold", "不予公开"),
    ("withhold_ground", "记录不予公开理由"),
];

/// Kinds of object that are not also areas of actions.
const OBJECT_KINDS: &[(&str, &str)] = &[
    ("annual_report", "年度报告"),
    ("gazette_issue", "公报期次"),
    ("gazette_submission", "公报报送"),
    ("guide_addition", "指南补充"),
    ("index_no", "索引号"),
    ("list_adjustment", "清单调整"),
    ("rules", "制度页面"),
    ("wording_list", "表述检查词表"),
    ("work_plan", "工作要点"),
    ("work_task", "工作任务"),
];

/// A kind of object of the trail in the console's words (`item` → 政府信息).
pub fn object_kind_label(kind: &str) -> &'static str {
    OBJECT_KINDS.iter().chain(ACTION_AREAS).find(|(k, _)| *k == kind).map(|(_, v)| *v).unwrap_or("其他")
}

/// An actor or origin of the trail: the two the platform writes itself read as Chinese
/// (`cli` 命令行, `system` 系统); user names and addresses stay as they are.
pub fn who_label(who: &str) -> &str {
    match who {
        "cli" => "命令行",
        "system" => "系统",
        other => other,
    }
}

/// An action of the trail (`item.review.pass`, `user.roles`, `logout`) in the console's
/// words: `政府信息·保密审查通过`, `账号·调整角色`, `退出登录`. Codes not listed still read as
/// Chinese (`…·其他操作`); the code itself stays in the downloads.
pub fn action_label(action: &str) -> String {
    let find = |table: &[(&str, &'static str)], key: &str| table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let (area, rest) = action.split_once('.').unwrap_or((action, ""));
    let area_label = find(ACTION_AREAS, area).unwrap_or("其他");
    if rest.is_empty() {
        return area_label.to_string();
    }
    let verb =
        find(VERBS, rest).or_else(|| rest.rsplit('.').next().and_then(|last| find(VERBS, last))).unwrap_or("其他操作");
    format!("{area_label}·{verb}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(seq: i64, action: &str) -> AuditEvent {
        AuditEvent {
            seq,
            at: Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).single().expect("valid time"),
            actor: "admin".into(),
            action: action.into(),
            object_kind: "org".into(),
            object_id: "11500114009130039C".into(),
            origin: "cli".into(),
            before: String::new(),
            after: r#"{"name":"重庆市黔江区人民政府"}"#.into(),
        }
    }

    fn chain(n: i64) -> Vec<(AuditEvent, String, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = event(seq, "org.create");
                let h = e.chain_hash(&prev);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let mut v = ChainVerifier::default();
        for (e, p, h) in chain(5) {
            assert_eq!(v.check(&e, &p, &h), Ok(()));
        }
        assert_eq!(v.verified(), 5);
    }

    #[test]
    fn edited_row_is_detected() {
        let mut rows = chain(3);
        rows[1].0.after = r#"{"name":"改过的名字"}"#.into();
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&rows[0].0, &rows[0].1, &rows[0].2), Ok(()));
        assert_eq!(v.check(&rows[1].0, &rows[1].1, &rows[1].2), Err(ChainBreak::HashMismatch { seq: 2 }));
    }

    #[test]
    fn removed_row_is_detected() {
        let rows = chain(3);
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&rows[0].0, &rows[0].1, &rows[0].2), Ok(()));
        assert_eq!(v.check(&rows[2].0, &rows[2].1, &rows[2].2), Err(ChainBreak::Gap { expected: 2, found: 3 }));
    }

    #[test]
    fn rehashed_row_breaks_the_next_link() {
        let mut rows = chain(3);
        rows[1].0.actor = "mallory".into();
        rows[1].2 = rows[1].0.chain_hash(&rows[1].1);
        let mut v = ChainVerifier::default();
        for r in &rows[..2] {
            assert_eq!(v.check(&r.0, &r.1, &r.2), Ok(()));
        }
        assert_eq!(v.check(&rows[2].0, &rows[2].1, &rows[2].2), Err(ChainBreak::PrevMismatch { seq: 3 }));
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = event(1, "org.create");
        let mut b = event(1, "org.create");
        a.actor = "ab".into();
        a.action = "c".into();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }

    #[test]
    fn actions_read_as_chinese() {
        assert_eq!(action_label("item.review.pass"), "政府信息·保密审查通过");
        assert_eq!(action_label("user.roles"), "账号·调整角色");
        assert_eq!(action_label("logout"), "退出登录");
        assert_eq!(action_label("gazette.issue.publish"), "政府公报·发布期次");
        assert_eq!(action_label("letter.approve_reply"), "来信·审核答复");
        assert_eq!(action_label("zzz.qqq"), "其他·其他操作");
        assert_eq!(object_kind_label("list_adjustment"), "清单调整");
        assert_eq!(object_kind_label("request"), "依申请公开");
        for (k, _) in VERBS.iter().chain(ACTION_AREAS) {
            assert!(!k.is_empty());
        }
    }

    #[test]
    fn a_chain_may_change_to_sm3_and_still_verify() {
        let at = "2026-12-04T02:00:00Z".parse().expect("time");
        let event = |seq| AuditEvent {
            seq,
            at,
            actor: "cli".into(),
            action: "org.create".into(),
            object_kind: "org".into(),
            object_id: seq.to_string(),
            origin: "cli".into(),
            before: String::new(),
            after: "{}".into(),
        };
        let h1 = event(1).chain_hash(GENESIS_HASH);
        let h2 = event(2).chain_hash_as(ChainHash::Sm3, &h1);
        assert!(h2.starts_with("sm3:") && h2.len() == 4 + 64, "{h2}");
        assert_ne!(h2[4..], event(2).chain_hash(&h1));
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&event(1), GENESIS_HASH, &h1), Ok(()));
        assert_eq!(v.check(&event(2), &h1, &h2), Ok(()));
        let mut changed = event(3);
        let h3 = changed.chain_hash_as(ChainHash::Sm3, &h2);
        changed.actor = "mallory".into();
        assert_eq!(v.check(&changed, &h2, &h3), Err(ChainBreak::HashMismatch { seq: 3 }));
    }

    #[test]
    fn sm3_is_the_standard_one() {
        // GB/T 32905-2016 appendix A, example 1: SM3("abc").
        assert_eq!(
            hex::encode(Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }
}
