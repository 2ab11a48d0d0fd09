//! The seed: two district governments (黔江 with its office below it, and 武进), a system
//! and a security administrator of each (and 黔江's audit administrator: 三员), and in the
//! office an editor, a reviewer, an approver, a request handler and a letter handler — every
//! one with [`PASSWORD`].

use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::auth::hash_password;
use gongkai_store::{AuditCtx, NewOrg, NewUser, Store};

pub const QIANJIANG: &str = "11500114009130039C";
pub const QIANJIANG_OFFICE: &str = "11500114709480021G";
pub const WUJIN: &str = "11320412014155302Q";
pub const PASSWORD: &str = "gongkai-2026";

/// Creates the seed orgs and staff in an empty store.
pub async fn seed(store: &Store) {
    let ctx = AuditCtx::cli();
    for (parent, code, name, kind) in [
        (None, QIANJIANG, "重庆市黔江区人民政府", OrgKind::Government),
        (Some(QIANJIANG), QIANJIANG_OFFICE, "重庆市黔江区人民政府办公室", OrgKind::Department),
        (None, WUJIN, "常州市武进区人民政府", OrgKind::Government),
    ] {
        store
            .create_org(
                &ctx,
                NewOrg {
                    parent_code: parent.map(str::to_string),
                    ident: OrgIdent::parse(code).expect("valid code"),
                    name: name.into(),
                    short_name: String::new(),
                    kind,
                },
            )
            .await
            .expect("org");
    }
    let hash = hash_password(&Password::parse(PASSWORD).expect("valid")).expect("hash");
    for (username, org, roles) in [
        ("qj-admin", QIANJIANG, vec![Role::Admin, Role::Supervisor]),
        ("wj-admin", WUJIN, vec![Role::Admin]),
        // 三员: accounts and the audit trail are two other people's.
        ("qj-security", QIANJIANG, vec![Role::SecurityAdmin]),
        ("qj-audit", QIANJIANG, vec![Role::Auditor]),
        ("wj-security", WUJIN, vec![Role::SecurityAdmin]),
        ("editor", QIANJIANG_OFFICE, vec![Role::Editor]),
        ("reviewer", QIANJIANG_OFFICE, vec![Role::Reviewer]),
        ("approver", QIANJIANG_OFFICE, vec![Role::Approver]),
        ("handler", QIANJIANG_OFFICE, vec![Role::RequestHandler]),
        ("letters", QIANJIANG_OFFICE, vec![Role::LetterHandler]),
    ] {
        store
            .create_user(
                &ctx,
                NewUser {
                    org_code: org.into(),
                    username: Username::parse(username).expect("valid"),
                    display_name: format!("{username} 姓名"),
                    password_hash: hash.clone(),
                    roles,
                },
            )
            .await
            .expect("user");
    }
}
