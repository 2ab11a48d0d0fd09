-- Work plans (任务分工与督办): a plan of an org for a year, its tasks, the orgs each task is
-- assigned to with their status, their progress reports with evidence links, and the
-- reminders sent. Paired across backends.

CREATE TABLE work_plans (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    year       INTEGER NOT NULL,
    title      TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX work_plans_org ON work_plans(org_id, year);

CREATE TABLE work_tasks (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES work_plans(id),
    position     INTEGER NOT NULL,
    goal         TEXT NOT NULL DEFAULT '',
    number       TEXT NOT NULL DEFAULT '',
    task         TEXT NOT NULL DEFAULT '',
    requirements TEXT NOT NULL DEFAULT '',
    responsible  TEXT NOT NULL DEFAULT '',
    unmatched    TEXT NOT NULL DEFAULT '',
    due_on       TEXT NOT NULL
);
CREATE INDEX work_tasks_plan ON work_tasks(plan_id, position);

CREATE TABLE task_assignments (
    task_id      INTEGER NOT NULL REFERENCES work_tasks(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    status       TEXT NOT NULL DEFAULT 'open',
    completed_on TEXT,
    PRIMARY KEY (task_id, org_id)
);
CREATE INDEX task_assignments_org ON task_assignments(org_id);

CREATE TABLE task_reports (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES work_tasks(id),
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    body      TEXT NOT NULL,
    evidence  TEXT NOT NULL DEFAULT '[]',
    done      BOOLEAN NOT NULL DEFAULT 0,
    author    TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX task_reports_task ON task_reports(task_id, org_id);

CREATE TABLE task_reminders (
    id      INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES work_tasks(id),
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    note    TEXT NOT NULL DEFAULT '',
    sent_by TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX task_reminders_org ON task_reminders(org_id, at);
