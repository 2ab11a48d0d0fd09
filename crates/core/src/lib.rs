//! gongkai's domain: the rules of the 《政府信息公开条例》 and of the national templates as
//! plain types and functions. Nothing here touches a database, a clock, a file or the
//! network; callers pass `today` and other facts in, so every rule is unit-testable.
#![forbid(unsafe_code)]

pub mod access;
pub mod assessment;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod cleanup;
pub mod clock;
pub mod code_enum;
pub mod concern;
pub mod consultation;
pub mod doc_no;
pub mod gazette;
pub mod html;
pub mod import;
pub mod index_no;
pub mod inspection;
pub mod interpretation;
pub mod item;
pub mod letter;
pub mod list;
pub mod media;
pub mod milestones;
pub mod notice;
pub mod org;
pub mod org_profile;
pub mod press;
pub mod privacy;
pub mod proposal;
pub mod public_notice;
pub mod report;
pub mod request;
pub mod review;
pub mod role;
pub mod second_factor;
pub mod site_check;
pub mod spot_check;
pub mod supervision;
pub mod survey;
pub mod training;
pub mod user;
pub mod wording;
pub mod workplan;

pub use access::{Actor, AuditScope, Denied};
pub use audit::{AuditEvent, ChainBreak, ChainVerifier, GENESIS_HASH};
pub use doc_no::{DocNo, DocNoError};
pub use org::{CreditCode, OrgCode, OrgCodeError, OrgIdent, OrgKind, OrgPath};
pub use role::{AdminsNotApart, Role, RoleError, check_admins_apart};
pub use user::{Password, PasswordError, Username, UsernameError};
