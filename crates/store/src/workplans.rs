//! Work plans (任务分工与督办): a supervising org imports its yearly task table; each task is
//! assigned to the orgs named responsible; those orgs report progress with evidence links
//! and mark their part done; the supervisor sees completion and overdue tasks per org and
//! sends reminders, which the assigned org sees on its task list.

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::orgs::Org;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::workplan::{self, AssignmentStatus, OrgName, TaskRow};
use gongkai_core::{Actor, Role};
use serde::Serialize;

/// A plan.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    pub title: String,
    pub source: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A task with its assignments.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: i64,
    pub goal: String,
    pub number: String,
    pub task: String,
    pub requirements: String,
    pub responsible: String,
    /// Names in the responsible cell that match no org.
    pub unmatched: String,
    pub due_on: NaiveDate,
    pub assignments: Vec<Assignment>,
}

/// One org's part of a task.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub status: AssignmentStatus,
    pub completed_on: Option<NaiveDate>,
    /// Open past the due date.
    pub overdue: bool,
    pub reports: Vec<Report>,
    pub reminders: i64,
}

/// A progress report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub task_id: i64,
    pub org_id: i64,
    pub body: String,
    /// JSON list of links.
    pub evidence: String,
    pub done: bool,
    pub author: String,
    pub at: DateTime<Utc>,
}

/// Completion per org for a plan.
#[derive(Debug, Clone, Serialize)]
pub struct OrgProgress {
    pub org_code: String,
    pub org_name: String,
    pub assigned: i64,
    pub done: i64,
    pub overdue: i64,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct PlanImport {
    pub plan_id: i64,
    pub tasks: usize,
    pub assignments: usize,
    /// Responsible names that match no org (kept on the task as written).
    pub unmatched: Vec<String>,
}

fn may_run_plans(actor: &Actor, org: &Org) -> Result<(), StoreError> {
    actor.may_supervise(&org.path)?;
    if actor.org_id == org.id && !actor.is_overseer() {
        return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(Role::Supervisor)));
    }
    Ok(())
}

fn check_evidence(links: &[String]) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for l in links.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let ok = (l.starts_with("https://") || l.starts_with("http://") || l.starts_with('/'))
            && l.len() <= 500
            && !l.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
        if !ok {
            return Err(StoreError::Invalid(format!("佐证材料链接「{l}」无效：须为 http(s) 网址或本站路径")));
        }
        out.push(l.to_string());
    }
    if out.len() > 20 {
        return Err(StoreError::Invalid("佐证材料链接不超过 20 个".into()));
    }
    Ok(out)
}

impl Store {
    /// Imports a task table as a plan of `org` (the supervising org) for `year`: tasks
    /// without a due date get 31 December; each task is assigned to the orgs under `org`
    /// that its responsible cell names.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_plan(
        &self,
        ctx: &AuditCtx,
        actor: Option<&Actor>,
        org: &Org,
        year: i32,
        title: &str,
        source: &str,
        rows: Vec<TaskRow>,
    ) -> Result<PlanImport, StoreError> {
        if let Some(a) = actor {
            may_run_plans(a, org)?;
        }
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(StoreError::Invalid("计划名称不能为空，不超过 200 字".into()));
        }
        if !(2008..=2100).contains(&year) {
            return Err(StoreError::Invalid(format!("年度 {year} 无效")));
        }
        if rows.is_empty() || rows.len() > 2000 {
            return Err(StoreError::Invalid("任务表须有 1 至 2000 项任务".into()));
        }
        let names: Vec<OrgName> = self
            .orgs()
            .await?
            .into_iter()
            .filter(|o| o.path.is_within(&org.path))
            .map(|o| OrgName { id: o.id, name: o.name.clone(), short_name: o.short_name.clone(), kind: o.kind })
            .collect();
        let settled = self.settled_names(org.id).await?;
        let default_due = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let (plan_id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO work_plans (org_id, year, title, source, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![org.id.into(), i64::from(year).into(), title.into(), source.into(), ctx.actor.as_str().into(), now.into()],
            ))
            .await?;
        let mut assignments = 0;
        let mut all_unmatched = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let (ids, unmatched) = workplan::resolve(&workplan::split_responsible(&r.responsible), &names, &settled);
            let (task_id,): (i64,) = tx
                .ex()
                .fetch_one(Sql(
                    "INSERT INTO work_tasks (plan_id, position, goal, number, task, requirements, responsible, unmatched, due_on) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    vec![
                        plan_id.into(),
                        (i as i64).into(),
                        r.goal.as_str().into(),
                        r.number.as_str().into(),
                        r.task.as_str().into(),
                        r.requirements.as_str().into(),
                        r.responsible.as_str().into(),
                        unmatched.join("、").into(),
                        r.due_on.unwrap_or(default_due).into(),
                    ],
                ))
                .await?;
            for id in &ids {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO task_assignments (task_id, org_id, status) VALUES ($1, $2, $3)",
                        vec![task_id.into(), (*id).into(), AssignmentStatus::Open.as_str().into()],
                    ))
                    .await?;
            }
            assignments += ids.len();
            for u in unmatched {
                if !all_unmatched.contains(&u) {
                    all_unmatched.push(u);
                }
            }
        }
        tx.audit(
            ctx,
            "workplan.import",
            "work_plan",
            plan_id.to_string(),
            String::new(),
            serde_json::json!({ "org": org.code(), "year": year, "title": title, "tasks": rows.len() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(PlanImport { plan_id, tasks: rows.len(), assignments, unmatched: all_unmatched })
    }

    /// The plans of an org, newest first.
    pub async fn plans(&self, org_id: i64) -> Result<Vec<Plan>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, org_id, year, title, source, created_by, created_at FROM work_plans WHERE org_id = $1 ORDER BY year DESC, id DESC",
                vec![org_id.into()],
            ))
            .await
    }

    /// A plan.
    pub async fn plan(&self, id: i64) -> Result<Option<Plan>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT id, org_id, year, title, source, created_by, created_at FROM work_plans WHERE id = $1",
                vec![id.into()],
            ))
            .await
    }

    /// A plan's tasks with their assignments, reports and reminder counts, as of `today`.
    /// With `only_org`, just the tasks (and parts) assigned to that org.
    pub async fn plan_tasks(
        &self,
        plan_id: i64,
        only_org: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<Task>, StoreError> {
        let mut conn = self.pool.conn().await?;
        type TaskRowDb = (i64, String, String, String, String, String, String, NaiveDate);
        let tasks: Vec<TaskRowDb> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT id, goal, number, task, requirements, responsible, unmatched, due_on FROM work_tasks WHERE plan_id = $1 ORDER BY position",
                vec![plan_id.into()],
            ))
            .await?;
        let assigned: Vec<(i64, i64, String, String, String, Option<NaiveDate>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT a.task_id, a.org_id, o.code, o.name, a.status, a.completed_on FROM task_assignments a \
                 JOIN work_tasks t ON t.id = a.task_id JOIN orgs o ON o.id = a.org_id WHERE t.plan_id = $1 ORDER BY o.path",
                vec![plan_id.into()],
            ))
            .await?;
        let reports: Vec<Report> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT r.id, r.task_id, r.org_id, r.body, r.evidence, r.done, r.author, r.at FROM task_reports r \
                 JOIN work_tasks t ON t.id = r.task_id WHERE t.plan_id = $1 ORDER BY r.id",
                vec![plan_id.into()],
            ))
            .await?;
        let reminders: Vec<(i64, i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT m.task_id, m.org_id, COUNT(*) FROM task_reminders m JOIN work_tasks t ON t.id = m.task_id \
                 WHERE t.plan_id = $1 GROUP BY m.task_id, m.org_id",
                vec![plan_id.into()],
            ))
            .await?;
        let assigned = assigned
            .into_iter()
            .map(|(task, org, code, name, status, on)| {
                Ok((task, org, code, name, AssignmentStatus::try_from(status)?, on))
            })
            .collect::<Result<Vec<_>, gongkai_core::code_enum::UnknownCode>>()
            .map_err(|e| StoreError::Other(Box::new(e)))?;
        let mut out = Vec::new();
        for (id, goal, number, task, requirements, responsible, unmatched, due_on) in tasks {
            let assignments: Vec<Assignment> = assigned
                .iter()
                .filter(|a| a.0 == id && only_org.is_none_or(|o| o == a.1))
                .map(|(_, org_id, code, name, status, completed_on)| Assignment {
                    org_id: *org_id,
                    org_code: code.clone(),
                    org_name: name.clone(),
                    overdue: status.overdue(due_on, today),
                    status: *status,
                    completed_on: *completed_on,
                    reports: reports.iter().filter(|r| r.task_id == id && r.org_id == *org_id).cloned().collect(),
                    reminders: reminders.iter().find(|m| m.0 == id && m.1 == *org_id).map(|m| m.2).unwrap_or(0),
                })
                .collect();
            if only_org.is_some() && assignments.is_empty() {
                continue;
            }
            out.push(Task { id, goal, number, task, requirements, responsible, unmatched, due_on, assignments });
        }
        Ok(out)
    }

    /// Completion per assigned org, worst first (most overdue, then least done).
    pub async fn plan_progress(&self, plan_id: i64, today: NaiveDate) -> Result<Vec<OrgProgress>, StoreError> {
        let tasks = self.plan_tasks(plan_id, None, today).await?;
        let mut by_org: Vec<OrgProgress> = Vec::new();
        for a in tasks.iter().flat_map(|t| &t.assignments) {
            let entry = match by_org.iter_mut().find(|p| p.org_code == a.org_code) {
                Some(e) => e,
                None => {
                    by_org.push(OrgProgress {
                        org_code: a.org_code.clone(),
                        org_name: a.org_name.clone(),
                        assigned: 0,
                        done: 0,
                        overdue: 0,
                    });
                    by_org.last_mut().expect("just pushed")
                }
            };
            entry.assigned += 1;
            entry.done += i64::from(a.status == AssignmentStatus::Done);
            entry.overdue += i64::from(a.overdue);
        }
        by_org.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then((a.done * b.assigned).cmp(&(b.done * a.assigned)))
                .then(a.org_name.cmp(&b.org_name))
        });
        Ok(by_org)
    }

    async fn task_plan_org(&self, task_id: i64) -> Result<(Plan, Org), StoreError> {
        let mut conn = self.pool.conn().await?;
        let plan_id: Option<(i64,)> =
            conn.ex().fetch_optional(Sql("SELECT plan_id FROM work_tasks WHERE id = $1", vec![task_id.into()])).await?;
        let (plan_id,) = plan_id.ok_or_else(|| StoreError::NotFound(format!("任务 {task_id}")))?;
        let plan = self.plan(plan_id).await?.ok_or_else(|| StoreError::NotFound(format!("计划 {plan_id}")))?;
        let org = self.org_by_id(plan.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        Ok((plan, org))
    }

    /// An assigned org reports progress on its part of a task (with evidence links), and
    /// may mark it done.
    pub async fn report_task(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        task_id: i64,
        body: &str,
        evidence: &[String],
        done: bool,
    ) -> Result<Report, StoreError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(StoreError::Invalid("进展情况不能为空，不超过 5000 字".into()));
        }
        let evidence = check_evidence(evidence)?;
        let org_id = actor.org_id;
        let now = self.now();
        let today = gongkai_core::index_no::beijing_date(now);
        let mut tx = self.pool.begin().await?;
        let assigned: Option<(String,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT status FROM task_assignments WHERE task_id = $1 AND org_id = $2",
                vec![task_id.into(), org_id.into()],
            ))
            .await?;
        let Some((status,)) = assigned else { return Err(StoreError::Forbidden(gongkai_core::Denied::OutsideOrg)) };
        let status = AssignmentStatus::try_from(status).map_err(|e| StoreError::Other(Box::new(e)))?;
        let after = status.after_report(done);
        if ![Role::Editor, Role::Supervisor, Role::Admin, Role::Approver].iter().any(|r| actor.has(*r)) {
            return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(Role::Editor)));
        }
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO task_reports (task_id, org_id, body, evidence, done, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    task_id.into(),
                    org_id.into(),
                    body.into(),
                    serde_json::to_string(&evidence).unwrap_or_else(|_| "[]".into()).into(),
                    done.into(),
                    ctx.actor.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        if after != status {
            tx.ex()
                .execute(Sql(
                    "UPDATE task_assignments SET status = $4, completed_on = $1 WHERE task_id = $2 AND org_id = $3",
                    vec![today.into(), task_id.into(), org_id.into(), after.as_str().into()],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "workplan.report",
            "work_task",
            task_id.to_string(),
            String::new(),
            serde_json::json!({ "org_id": org_id, "done": done, "evidence": evidence.len() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(Report {
            id,
            task_id,
            org_id,
            body: body.into(),
            evidence: serde_json::to_string(&evidence).unwrap_or_default(),
            done,
            author: ctx.actor.clone(),
            at: now,
        })
    }

    /// The supervisor reminds an assigned org of its part of a task.
    pub async fn remind_task(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        task_id: i64,
        org_id: i64,
        note: &str,
    ) -> Result<(), StoreError> {
        let (_, plan_org) = self.task_plan_org(task_id).await?;
        may_run_plans(actor, &plan_org)?;
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(StoreError::Invalid("督办说明不超过 500 字".into()));
        }
        let mut tx = self.pool.begin().await?;
        let assigned: Option<(String,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT status FROM task_assignments WHERE task_id = $1 AND org_id = $2",
                vec![task_id.into(), org_id.into()],
            ))
            .await?;
        let Some((status,)) = assigned else { return Err(StoreError::NotFound("该单位的任务".into())) };
        AssignmentStatus::try_from(status).map_err(|e| StoreError::Other(Box::new(e)))?.check_remind()?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO task_reminders (task_id, org_id, note, sent_by, at) VALUES ($1, $2, $3, $4, $5)",
                vec![task_id.into(), org_id.into(), note.into(), ctx.actor.as_str().into(), self.now().into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "workplan.remind",
            "work_task",
            task_id.to_string(),
            String::new(),
            serde_json::json!({ "org_id": org_id }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The office settles a responsible name the import could not match (区审计局): `org`
    /// (within the plan's org) takes that part of every task of the plan naming it, or, with
    /// `None`, the name is confirmed as no org of the platform's (人行黔江中心支行) and
    /// stays only in the task's 责任单位 as written. Answers how many tasks changed.
    pub async fn settle_unmatched(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        plan_id: i64,
        name: &str,
        org: Option<&Org>,
    ) -> Result<usize, StoreError> {
        let plan = self.plan(plan_id).await?.ok_or_else(|| StoreError::NotFound(format!("计划 {plan_id}")))?;
        let owner = self.org_by_id(plan.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        may_run_plans(actor, &owner)?;
        if let Some(o) = org
            && !o.path.is_within(&owner.path)
        {
            return Err(StoreError::Invalid(format!("{}不在{}之下，不能承担本计划的任务", o.name, owner.name)));
        }
        let name = name.trim();
        let mut tx = self.pool.begin().await?;
        let tasks: Vec<(i64, String)> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT id, unmatched FROM work_tasks WHERE plan_id = $1 AND unmatched <> '' ORDER BY id",
                vec![plan_id.into()],
            ))
            .await?;
        let mut changed = 0;
        for (task_id, unmatched) in tasks {
            let Some(rest) = workplan::settle_unmatched(&unmatched, name) else { continue };
            tx.ex()
                .execute(Sql("UPDATE work_tasks SET unmatched = $1 WHERE id = $2", vec![rest.into(), task_id.into()]))
                .await?;
            if let Some(o) = org {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO task_assignments (task_id, org_id, status) VALUES ($1, $2, $3) \
                         ON CONFLICT (task_id, org_id) DO NOTHING",
                        vec![task_id.into(), o.id.into(), AssignmentStatus::Open.as_str().into()],
                    ))
                    .await?;
            }
            changed += 1;
        }
        if changed == 0 {
            return Err(StoreError::NotFound(format!("本计划中未匹配的责任单位「{name}」")));
        }
        // Remembered for the office's next task tables.
        let now = tx.now;
        tx.ex()
            .execute(Sql(
                "INSERT INTO settled_names (owner_org_id, name, org_id, settled_by, settled_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (owner_org_id, name) DO UPDATE SET org_id = excluded.org_id, settled_by = excluded.settled_by, \
                 settled_at = excluded.settled_at",
                vec![
                    plan.org_id.into(),
                    name.into(),
                    org.map(|o| o.id).into(),
                    ctx.actor.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "workplan.settle",
            "work_plan",
            plan_id.to_string(),
            String::new(),
            serde_json::json!({ "name": name, "org": org.map(|o| o.code().to_string()), "tasks": changed }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// The responsible names an office settled before, for its next task tables.
    pub async fn settled_names(&self, owner_org_id: i64) -> Result<Vec<workplan::Settled>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String, Option<i64>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT name, org_id FROM settled_names WHERE owner_org_id = $1 ORDER BY name",
                vec![owner_org_id.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(name, org_id)| workplan::Settled { name, org_id }).collect())
    }

    /// The plans that assign tasks to an org (for its task list).
    pub async fn plans_assigning(&self, org_id: i64) -> Result<Vec<Plan>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT DISTINCT p.id, p.org_id, p.year, p.title, p.source, p.created_by, p.created_at FROM work_plans p \
                 JOIN work_tasks t ON t.plan_id = p.id JOIN task_assignments a ON a.task_id = t.id \
                 WHERE a.org_id = $1 ORDER BY p.year DESC, p.id DESC",
                vec![org_id.into()],
            ))
            .await
    }
}
