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
    /// 系统管理: orgs, users, roles, catalogs, calendars, settings of its org and below.
    Admin,
}

/// A role name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("未知角色「{0}」，可选：editor、reviewer、approver、request_handler、letter_handler、supervisor、admin")]
pub struct RoleError(pub String);

impl Role {
    /// Every role, in the order the console lists them.
    pub const ALL: [Role; 7] = [
        Self::Editor,
        Self::Reviewer,
        Self::Approver,
        Self::RequestHandler,
        Self::LetterHandler,
        Self::Supervisor,
        Self::Admin,
    ];

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
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
    }
}
