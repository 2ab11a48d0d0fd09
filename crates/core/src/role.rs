//! Staff roles. A user belongs to one org and may hold several roles; what each role may do
//! is decided in [`crate::access`].

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 信息编辑: drafts items, sets the disclosure attribute, attaches files.
    Editor,
    /// 保密审查: secrecy review of every item before it goes out.
    Reviewer,
    /// 审批签发: the responsible leader's sign-off; approves request extensions.
    Approver,
    /// 依申请公开办理: handles information requests.
    RequestHandler,
    /// 信箱办理: handles letters from the public (mailboxes) and drafts their replies.
    LetterHandler,
    /// 公开办: reads and supervises every org below its own.
    Supervisor,
    /// 系统管理员: orgs, catalogs, calendars, mailboxes and settings of its org and below.
    Admin,
    /// 安全管理员: staff accounts of its org and below — adding, roles, disabling, passwords,
    /// second factors, tokens.
    SecurityAdmin,
    /// 审计管理员: reads the audit trail (the only role that does).
    Auditor,
}

/// A role name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "未知角色「{0}」，可选：editor、reviewer、approver、request_handler、letter_handler、supervisor、admin、security_admin、auditor"
)]
pub struct RoleError(pub String);

impl Role {
    /// Every role, in the order the console lists them.
    pub const ALL: [Role; 9] = [
        Self::Editor,
        Self::Reviewer,
        Self::Approver,
        Self::RequestHandler,
        Self::LetterHandler,
        Self::Supervisor,
        Self::Admin,
        Self::SecurityAdmin,
        Self::Auditor,
    ];

    /// The three administrators (三员: 系统管理员, 安全管理员, 审计管理员), which no one holds
    /// two of (GB/T 22239-2019 8.1.4.2 and 8.1.10: 管理用户的权限分离).
    pub const THREE_ADMINS: [Role; 3] = [Self::Admin, Self::SecurityAdmin, Self::Auditor];

    /// The code name (snake_case) used in storage, the API and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Reviewer => "reviewer",
            Self::Approver => "approver",
            Self::RequestHandler => "request_handler",
            Self::LetterHandler => "letter_handler",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
            Self::SecurityAdmin => "security_admin",
            Self::Auditor => "auditor",
        }
    }

    /// The Chinese label shown in the console.
    pub fn label(self) -> &'static str {
        match self {
            Self::Editor => "信息编辑",
            Self::Reviewer => "保密审查",
            Self::Approver => "审批签发",
            Self::RequestHandler => "依申请办理",
            Self::LetterHandler => "信箱办理",
            Self::Supervisor => "公开办监督",
            Self::Admin => "系统管理员",
            Self::SecurityAdmin => "安全管理员",
            Self::Auditor => "审计管理员",
        }
    }

    /// Parses a code name; also accepts the CamelCase glossary names (`RequestHandler`).
    pub fn parse(s: &str) -> Result<Self, RoleError> {
        let folded: String = s.trim().chars().filter(|c| *c != '_' && *c != '-').collect();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().replace('_', "").eq_ignore_ascii_case(&folded))
            .ok_or_else(|| RoleError(s.to_string()))
    }
}

/// Two of the three administrators held by one person.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("「{}」与「{}」须由不同人员担任（三员分立），请只选其一", .0.label(), .1.label())]
pub struct AdminsNotApart(pub Role, pub Role);

/// Checks a set of roles against the separation of the three administrators: refused when it
/// holds two of [`Role::THREE_ADMINS`].
pub fn check_admins_apart(roles: &[Role]) -> Result<(), AdminsNotApart> {
    let held: Vec<Role> = Role::THREE_ADMINS.into_iter().filter(|r| roles.contains(r)).collect();
    match held[..] {
        [a, b, ..] => Err(AdminsNotApart(a, b)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_code_and_glossary_names() {
        assert_eq!(Role::parse("request_handler"), Ok(Role::RequestHandler));
        assert_eq!(Role::parse("RequestHandler"), Ok(Role::RequestHandler));
        assert_eq!(Role::parse("request-handler"), Ok(Role::RequestHandler));
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert_eq!(Role::parse("root"), Err(RoleError("root".into())));
        assert_eq!(Role::parse("SecurityAdmin"), Ok(Role::SecurityAdmin));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
    }

    #[test]
    fn the_three_administrators_are_held_apart() {
        assert_eq!(check_admins_apart(&[Role::Admin, Role::Supervisor, Role::Editor]), Ok(()));
        assert_eq!(check_admins_apart(&[Role::Auditor]), Ok(()));
        assert_eq!(
            check_admins_apart(&[Role::Supervisor, Role::SecurityAdmin, Role::Admin]),
            Err(AdminsNotApart(Role::Admin, Role::SecurityAdmin))
        );
        let e = check_admins_apart(&[Role::Auditor, Role::SecurityAdmin]).expect_err("two of three");
        assert_eq!(e.to_string(), "「安全管理员」与「审计管理员」须由不同人员担任（三员分立），请只选其一");
    }
}
