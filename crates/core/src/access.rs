//! Who may do what where. Every staff action names the role it needs and the org it acts
//! on; the answer depends only on the actor's roles and the two orgs' places in the tree.
//! Work in an org (editing, review, approval, request handling) is done by its own staff
//! (谁公开谁审查); supervisors read and supervise their org and everything below it;
//! admins administer their org and everything below it.

use crate::{OrgPath, Role, Username};
use thiserror::Error;

/// A logged-in staff member, as the checks need them.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id.
    pub user_id: i64,
    /// The user's login name.
    pub username: Username,
    /// The user's org.
    pub org_id: i64,
    /// The user's org's place in the tree.
    pub org_path: OrgPath,
    /// The roles held.
    pub roles: Vec<Role>,
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    /// The actor lacks the role.
    #[error("没有「{}」权限", .0.label())]
    MissingRole(Role),
    /// The target org is outside what the actor's org may act on.
    #[error("无权操作其他单位的数据")]
    OutsideOrg,
}

/// What part of the audit trail an audit administrator reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditScope {
    /// Every row (an auditor of a top-level org).
    All,
    /// Rows written by staff of this org and below.
    Within(OrgPath),
}

impl Actor {
    /// True when the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// An overseer: the office (监督) or an administrator, who see and act for the orgs
    /// within theirs.
    pub fn is_overseer(&self) -> bool {
        self.has(Role::Supervisor) || self.has(Role::Admin)
    }

    /// [`Actor::is_overseer`], or the refusal naming the office's role.
    pub fn must_oversee(&self) -> Result<(), Denied> {
        if self.is_overseer() { Ok(()) } else { Err(Denied::MissingRole(Role::Supervisor)) }
    }

    fn need(&self, role: Role) -> Result<(), Denied> {
        if self.has(role) { Ok(()) } else { Err(Denied::MissingRole(role)) }
    }

    /// Work of `role` on the actor's own org only (editing, review, approval, requests).
    pub fn may_work_in(&self, role: Role, org: &OrgPath) -> Result<(), Denied> {
        self.need(role)?;
        if org == &self.org_path { Ok(()) } else { Err(Denied::OutsideOrg) }
    }

    /// Administration (orgs, users, tokens, catalogs) of the actor's org and below.
    pub fn may_administer(&self, org: &OrgPath) -> Result<(), Denied> {
        self.need(Role::Admin)?;
        if org.is_within(&self.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
    }

    /// Account management (staff of the actor's org and below: adding, roles, disabling,
    /// passwords, second factors, tokens): the security administrator's work (三员).
    pub fn may_manage_accounts(&self, org: &OrgPath) -> Result<(), Denied> {
        self.need(Role::SecurityAdmin)?;
        if org.is_within(&self.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
    }

    /// Reading the audit trail: the audit administrator only (三员). One of a top-level org
    /// reads the whole trail; one below reads what the staff of their org and below did.
    pub fn may_read_audit(&self) -> Result<AuditScope, Denied> {
        self.need(Role::Auditor)?;
        Ok(if self.org_path.depth() == 1 { AuditScope::All } else { AuditScope::Within(self.org_path.clone()) })
    }

    /// Routing a request to the org that holds the information (转办): a request handler of
    /// the org it is with, or the disclosure office (a supervisor) of an org at or above it —
    /// the office routes what was filed as "不确定" or landed where no one handles requests.
    pub fn may_route(&self, org: &OrgPath) -> Result<(), Denied> {
        if self.may_work_in(Role::RequestHandler, org).is_ok() {
            return Ok(());
        }
        self.need(Role::Supervisor)?;
        if org.is_within(&self.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
    }

    /// Keeping an org's registers (政务新媒体 accounts, training records): its own editors,
    /// or the office (an overseer) of an org above or at it.
    pub fn may_keep_registers(&self, org: &OrgPath) -> Result<(), Denied> {
        if self.may_work_in(Role::Editor, org).is_ok() {
            return Ok(());
        }
        self.must_oversee()?;
        if org.is_within(&self.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
    }

    /// Reading and supervising an org's internal data: its own staff, or a supervisor or
    /// admin of an org above it.
    pub fn may_supervise(&self, org: &OrgPath) -> Result<(), Denied> {
        if org == &self.org_path {
            return Ok(());
        }
        if !self.is_overseer() {
            return Err(Denied::MissingRole(Role::Supervisor));
        }
        if org.is_within(&self.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(path: &OrgPath, roles: &[Role]) -> Actor {
        Actor {
            user_id: 1,
            username: Username::parse("u1").expect("valid"),
            org_id: 1,
            org_path: path.clone(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn work_is_for_own_org_staff_with_the_role() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let editor = actor(&dept, &[Role::Editor]);
        assert_eq!(editor.may_work_in(Role::Editor, &dept), Ok(()));
        assert_eq!(editor.may_work_in(Role::Reviewer, &dept), Err(Denied::MissingRole(Role::Reviewer)));
        assert_eq!(editor.may_work_in(Role::Editor, &district), Err(Denied::OutsideOrg));
        // A reviewer of the district does not review a department's items (谁公开谁审查).
        let reviewer = actor(&district, &[Role::Reviewer, Role::Supervisor]);
        assert_eq!(reviewer.may_work_in(Role::Reviewer, &dept), Err(Denied::OutsideOrg));
    }

    #[test]
    fn admins_administer_their_subtree_only() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let other_city = OrgPath::root(7);
        let admin = actor(&district, &[Role::Admin]);
        assert_eq!(admin.may_administer(&dept), Ok(()));
        assert_eq!(admin.may_administer(&district), Ok(()));
        assert_eq!(admin.may_administer(&other_city), Err(Denied::OutsideOrg));
        let dept_admin = actor(&dept, &[Role::Admin]);
        assert_eq!(dept_admin.may_administer(&district), Err(Denied::OutsideOrg));
        let editor = actor(&district, &[Role::Editor]);
        assert_eq!(editor.may_administer(&dept), Err(Denied::MissingRole(Role::Admin)));
        // 三员: the system administrator neither manages accounts nor reads the audit trail.
        assert_eq!(admin.may_manage_accounts(&dept), Err(Denied::MissingRole(Role::SecurityAdmin)));
        assert_eq!(admin.may_read_audit(), Err(Denied::MissingRole(Role::Auditor)));
        let security = actor(&district, &[Role::SecurityAdmin]);
        assert_eq!(security.may_manage_accounts(&dept), Ok(()));
        assert_eq!(security.may_manage_accounts(&other_city), Err(Denied::OutsideOrg));
        assert_eq!(security.may_administer(&dept), Err(Denied::MissingRole(Role::Admin)));
        assert_eq!(security.may_read_audit(), Err(Denied::MissingRole(Role::Auditor)));
        assert_eq!(actor(&dept, &[Role::Auditor]).may_read_audit(), Ok(AuditScope::Within(dept.clone())));
    }

    #[test]
    fn supervisors_see_below_their_org() {
        let district = OrgPath::root(1);
        let town = district.child(3);
        let village = town.child(9);
        let office = actor(&district, &[Role::Supervisor]);
        assert_eq!(office.may_supervise(&village), Ok(()));
        let town_staff = actor(&town, &[Role::Editor]);
        assert_eq!(town_staff.may_supervise(&town), Ok(()));
        assert_eq!(town_staff.may_supervise(&village), Err(Denied::MissingRole(Role::Supervisor)));
        let town_office = actor(&town, &[Role::Supervisor]);
        assert_eq!(town_office.may_supervise(&district), Err(Denied::OutsideOrg));
    }
}
