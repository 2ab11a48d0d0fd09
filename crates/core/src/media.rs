//! 政务新媒体: an org's official accounts on other platforms (微信公众号, 微博, 政务客户端, short
//! video). 《关于推进政务新媒体健康有序发展的意见》(国办发〔2018〕123号) asks every account to be
//! registered with its 开办主体 and a content review mechanism, and closed (关停) or merged
//! (整合) when it cannot be kept; seed 004 asks the office to cure "更新慢、雷人雷语、无序发声".
//! 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) fails an account that has not been
//! updated for two weeks, as it fails a home page.
//!
//! An account is `active` until it is closed or merged into another; both end it, with the
//! reason and the day, and nothing is deleted. What it published is recorded as an update —
//! typed by the org, or an item of the platform republished there — and the freshness rule
//! reads the latest one.

use crate::code_enum::code_enum;
use chrono::NaiveDate;

/// Longest account name, in characters.
pub const MAX_NAME: usize = 60;
/// Longest free text (review mechanism, reason, title), in characters.
pub const MAX_TEXT: usize = 500;
/// Longest link.
pub const MAX_URL: usize = 500;
/// Days an active account may go without an update (两周, as the home page).
pub const STALE_DAYS: i64 = 14;

code_enum! {
    /// The platform an account is on.
    Platform {
        /// 微信公众号.
        Wechat = ("wechat", "微信公众号"),
        /// 微信视频号.
        WechatChannels = ("wechat_channels", "微信视频号"),
        /// 微博.
        Weibo = ("weibo", "微博"),
        /// 政务客户端 (the government's own app).
        App = ("app", "政务客户端"),
        /// 抖音.
        Douyin = ("douyin", "抖音"),
        /// 快手.
        Kuaishou = ("kuaishou", "快手"),
        /// 今日头条.
        Toutiao = ("toutiao", "今日头条"),
        /// Any other platform.
        Other = ("other", "其他平台"),
    }
}

code_enum! {
    /// Where an account stands.
    AccountState {
        /// Operating.
        Active = ("active", "运营中"),
        /// 关停: closed for good.
        Closed = ("closed", "已关停"),
        /// 整合: merged into another account.
        Merged = ("merged", "已整合"),
    }
}

/// Why an account or an update is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaRefusal {
    #[error("账号名称不能为空，且不超过 {MAX_NAME} 字")]
    Name,
    #[error("请写明内容发布审核机制（国办发〔2018〕123号要求建立），不超过 {MAX_TEXT} 字")]
    Review,
    #[error("请写明运营单位，不超过 {MAX_NAME} 字")]
    Operator,
    #[error("「{0}」不超过 {MAX_TEXT} 字")]
    TooLong(&'static str),
    #[error("链接应以 http:// 或 https:// 开头，不超过 {MAX_URL} 个字符")]
    Url,
    #[error("日期不能晚于今天")]
    Future,
    #[error("开通日期不能晚于今天")]
    OpenedFuture,
    #[error("该账号{0}，不能再登记更新或变更")]
    Ended(&'static str),
    #[error("关停或整合须写明原因")]
    Reason,
    #[error("请选择整合到的账号；不能整合到自身或已停止运营的账号")]
    MergeTarget,
    #[error("更新日期不能早于账号开通日期")]
    BeforeOpened,
}

/// An account as the org registers or edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountInput {
    pub platform: Option<Platform>,
    pub name: String,
    /// The account's id or handle on the platform (微信号, 微博 ID).
    pub handle: String,
    /// Its home page or QR-code page, when it has one.
    pub url: String,
    /// 运营单位: who runs it day to day (defaults to the 开办主体 itself).
    pub operator: String,
    /// 内容发布审核机制: how a post is reviewed before it goes out.
    pub review: String,
    pub opened_on: Option<NaiveDate>,
}

fn url_ok(url: &str) -> bool {
    url.is_empty() || crate::html::is_http_address(url, MAX_URL)
}

/// Checks and tidies an account's fields (trimmed; a missing platform is 其他).
pub fn check(input: &AccountInput, today: NaiveDate) -> Result<AccountInput, MediaRefusal> {
    let t = |s: &str| s.trim().to_string();
    let out = AccountInput {
        platform: Some(input.platform.unwrap_or(Platform::Other)),
        name: t(&input.name),
        handle: t(&input.handle),
        url: t(&input.url),
        operator: t(&input.operator),
        review: t(&input.review),
        opened_on: input.opened_on,
    };
    let len = |s: &str| s.chars().count();
    if out.name.is_empty() || len(&out.name) > MAX_NAME {
        return Err(MediaRefusal::Name);
    }
    if len(&out.handle) > MAX_NAME {
        return Err(MediaRefusal::TooLong("账号"));
    }
    if out.operator.is_empty() || len(&out.operator) > MAX_NAME {
        return Err(MediaRefusal::Operator);
    }
    if out.review.is_empty() || len(&out.review) > MAX_TEXT {
        return Err(MediaRefusal::Review);
    }
    if !url_ok(&out.url) {
        return Err(MediaRefusal::Url);
    }
    if out.opened_on.is_some_and(|d| d > today) {
        return Err(MediaRefusal::OpenedFuture);
    }
    Ok(out)
}

/// An update (a post) to record on an account in `state` opened on `opened_on`.
pub fn record_update(
    state: AccountState,
    opened_on: Option<NaiveDate>,
    on: NaiveDate,
    title: &str,
    url: &str,
    today: NaiveDate,
) -> Result<(), MediaRefusal> {
    if state != AccountState::Active {
        return Err(MediaRefusal::Ended(state.label()));
    }
    if on > today {
        return Err(MediaRefusal::Future);
    }
    if opened_on.is_some_and(|o| on < o) {
        return Err(MediaRefusal::BeforeOpened);
    }
    if title.trim().chars().count() > MAX_TEXT {
        return Err(MediaRefusal::TooLong("标题"));
    }
    if !url_ok(url.trim()) {
        return Err(MediaRefusal::Url);
    }
    Ok(())
}

/// What ends an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// 关停.
    Close,
    /// 整合 into another account, which must be active and not this one.
    Merge { into_active: bool, into_self: bool },
}

/// Ends an active account on `on` (not after today), with a reason: the new state.
pub fn end(
    state: AccountState,
    how: Ending,
    reason: &str,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<AccountState, MediaRefusal> {
    if state != AccountState::Active {
        return Err(MediaRefusal::Ended(state.label()));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(MediaRefusal::Reason);
    }
    if reason.chars().count() > MAX_TEXT {
        return Err(MediaRefusal::TooLong("原因"));
    }
    if on > today {
        return Err(MediaRefusal::Future);
    }
    match how {
        Ending::Close => Ok(AccountState::Closed),
        Ending::Merge { into_active: true, into_self: false } => Ok(AccountState::Merged),
        Ending::Merge { .. } => Err(MediaRefusal::MergeTarget),
    }
}

/// The day an active account must next be updated by: two weeks after its latest update,
/// or after it was opened when it has none (or at once when neither is known).
pub fn update_due(last_update: Option<NaiveDate>, opened_on: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    match last_update.or(opened_on) {
        Some(d) => d + chrono::Duration::days(STALE_DAYS),
        None => today - chrono::Duration::days(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn input() -> AccountInput {
        AccountInput {
            platform: Some(Platform::Wechat),
            name: " 黔江发布 ".into(),
            handle: "qianjiangfabu".into(),
            url: String::new(),
            operator: "区融媒体中心".into(),
            review: "三审三校：编辑初审、科室负责人复审、分管领导终审".into(),
            opened_on: Some(d(2018, 3, 1)),
        }
    }

    #[test]
    fn an_account_needs_a_name_an_operator_and_a_review_mechanism() {
        let today = d(2026, 12, 4);
        assert_eq!(check(&input(), today).map(|a| a.name), Ok("黔江发布".into()));
        assert_eq!(check(&AccountInput { name: "  ".into(), ..input() }, today), Err(MediaRefusal::Name));
        assert_eq!(check(&AccountInput { review: String::new(), ..input() }, today), Err(MediaRefusal::Review));
        assert_eq!(check(&AccountInput { operator: String::new(), ..input() }, today), Err(MediaRefusal::Operator));
        assert_eq!(
            check(&AccountInput { url: "javascript:alert(1)".into(), ..input() }, today),
            Err(MediaRefusal::Url)
        );
        assert_eq!(
            check(&AccountInput { opened_on: Some(d(2027, 1, 1)), ..input() }, today),
            Err(MediaRefusal::OpenedFuture)
        );
        assert_eq!(
            check(&AccountInput { platform: None, ..input() }, today).map(|a| a.platform),
            Ok(Some(Platform::Other))
        );
    }

    #[test]
    fn updates_only_on_active_accounts_and_never_ahead_of_today() {
        let today = d(2026, 12, 4);
        let opened = Some(d(2026, 1, 1));
        assert_eq!(record_update(AccountState::Active, opened, today, "", "", today), Ok(()));
        assert_eq!(
            record_update(AccountState::Active, opened, d(2026, 12, 5), "", "", today),
            Err(MediaRefusal::Future)
        );
        assert_eq!(
            record_update(AccountState::Active, opened, d(2025, 12, 31), "", "", today),
            Err(MediaRefusal::BeforeOpened)
        );
        assert_eq!(
            record_update(AccountState::Closed, opened, today, "", "", today),
            Err(MediaRefusal::Ended("已关停"))
        );
    }

    #[test]
    fn closing_and_merging_need_a_reason_and_end_the_account() {
        let today = d(2026, 12, 4);
        assert_eq!(
            end(AccountState::Active, Ending::Close, "长期无更新，按要求关停", today, today),
            Ok(AccountState::Closed)
        );
        assert_eq!(end(AccountState::Active, Ending::Close, " ", today, today), Err(MediaRefusal::Reason));
        let merge = Ending::Merge { into_active: true, into_self: false };
        assert_eq!(end(AccountState::Active, merge, "并入区政府发布", today, today), Ok(AccountState::Merged));
        let to_self = Ending::Merge { into_active: true, into_self: true };
        assert_eq!(end(AccountState::Active, to_self, "并入", today, today), Err(MediaRefusal::MergeTarget));
        let to_closed = Ending::Merge { into_active: false, into_self: false };
        assert_eq!(end(AccountState::Active, to_closed, "并入", today, today), Err(MediaRefusal::MergeTarget));
        assert_eq!(
            end(AccountState::Merged, Ending::Close, "再关停", today, today),
            Err(MediaRefusal::Ended("已整合"))
        );
        assert_eq!(end(AccountState::Active, Ending::Close, "关停", d(2026, 12, 5), today), Err(MediaRefusal::Future));
    }

    #[test]
    fn an_account_is_due_two_weeks_after_its_latest_update() {
        let today = d(2026, 12, 4);
        assert_eq!(update_due(Some(d(2026, 11, 20)), Some(d(2020, 1, 1)), today), d(2026, 12, 4));
        assert_eq!(update_due(None, Some(d(2026, 12, 1)), today), d(2026, 12, 15));
        assert_eq!(update_due(None, None, today), d(2026, 12, 3));
    }
}
