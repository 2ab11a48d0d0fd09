//! Work plans over HTTP: the office imports corpus document 004's task table, a department
//! reports progress, the office sees completion and sends a reminder, and the console pages
//! with their CSRF-protected forms.

use crate::common;

use common::{PASSWORD, QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

/// Corpus 004: 黔江's 2017 plan with its table of 34 tasks.
const TABLE_004: &str = include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt");

/// Corpus 004's table imported by the district's administrator as its 2026 plan.
async fn import_004(app: &TestApp, admin: &str) -> Value {
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/workplans"),
            Some(admin),
            &json!({ "year": 2026, "title": "2026年政务公开重点工作任务分工", "text": TABLE_004 }),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json")
}

#[tokio::test]
async fn a_task_table_goes_from_import_to_reports_and_reminders() {
    let app = TestApp::spawn().await;
    let admin = app.token_for("qj-admin").await;
    let imported = import_004(&app, &admin).await;
    assert_eq!(imported["tasks"], 34);
    let plan = imported["plan_id"].as_i64().expect("id");
    let bad = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/workplans"),
            Some(&admin),
            &json!({ "year": 2026, "title": "x", "csv": "a,b\n1,2\n" }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let editor = app.token_for("editor").await;
    let denied = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/workplans"),
            Some(&editor),
            &json!({ "year": 2026, "title": "x", "text": TABLE_004 }),
        )
        .await;
    assert_eq!(denied.status(), 403);

    // The office (a department) sees only its own tasks.
    let mine: Value =
        app.get_with_token(&format!("/api/v1/workplans/{plan}"), &editor).await.json().await.expect("json");
    let tasks = mine["tasks"].as_array().expect("tasks");
    assert!(!tasks.is_empty() && mine.get("progress").is_none());
    assert!(tasks.iter().all(|t| t["assignments"].as_array().map(Vec::len) == Some(1)));
    let task = tasks[0]["id"].as_i64().expect("task");
    let res = app
        .post_json(
            &format!("/api/v1/workplans/tasks/{task}/reports"),
            Some(&editor),
            &json!({ "body": "已完成主动公开目录梳理", "evidence": ["https://www.qianjiang.gov.cn/zwgk/1.html"], "done": true }),
        )
        .await;
    assert_eq!(res.status(), 201);

    // The supervisor sees completion per org and reminds the office of another task.
    let all: Value = app.get_with_token(&format!("/api/v1/workplans/{plan}"), &admin).await.json().await.expect("json");
    let office = all["progress"]
        .as_array()
        .expect("progress")
        .iter()
        .find(|p| p["org_code"] == QIANJIANG_OFFICE)
        .expect("office");
    assert_eq!(office["done"], 1);
    let other = tasks[1]["id"].as_i64().expect("task");
    let res = app
        .post_json(
            &format!("/api/v1/workplans/tasks/{other}/reminders"),
            Some(&admin),
            &json!({ "org": QIANJIANG_OFFICE, "note": "请尽快报送" }),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .post_json(
            &format!("/api/v1/workplans/tasks/{task}/reminders"),
            Some(&admin),
            &json!({ "org": QIANJIANG_OFFICE }),
        )
        .await;
    assert_eq!(res.status(), 409, "a done part is not reminded");

    // The console: the editor sees the reminder and a report form; a forged form is refused.
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "editor"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let list = app.get("/admin/workplans").await.text().await.expect("html");
    assert!(list.contains(&format!("/admin/workplans/{plan}")));
    let html = app.get(&format!("/admin/workplans/{plan}")).await.text().await.expect("html");
    assert!(html.contains("已督办 1 次") && html.contains("报送"));
    // Report forms for the editor's own open parts only: the done task has none.
    assert!(html.contains(&format!("/tasks/{other}/report")), "its open part");
    assert!(!html.contains(&format!("/tasks/{task}/report")), "its done part takes no more reports");
    assert!(html.contains("https://www.qianjiang.gov.cn/zwgk/1.html"));
    let csrf = csrf_in(&html);
    let path = format!("/admin/workplans/{plan}/tasks/{other}/report");
    assert_eq!(app.post_form(&path, &[("csrf", "forged"), ("body", "x")]).await.status(), 403);
    let ok = app.post_form(&path, &[("csrf", &csrf), ("body", "正在办理"), ("evidence", "")]).await;
    assert_eq!(ok.status(), 303);
}

/// A name the import could not match is settled by the office on the plan's page: the org
/// chosen takes that part of every task naming it; a name confirmed as no org of the
/// platform's leaves the list; a forged form does neither.
#[tokio::test]
async fn the_office_settles_each_unmatched_name_on_the_plan_page() {
    let app = TestApp::spawn().await;
    let admin = app.token_for("qj-admin").await;
    let imported = import_004(&app, &admin).await;
    let plan = imported["plan_id"].as_i64().expect("id");
    let unmatched: Vec<String> = imported["unmatched"]
        .as_array()
        .expect("unmatched")
        .iter()
        .map(|n| n.as_str().expect("name").to_string())
        .collect();
    assert!(unmatched.iter().any(|n| n == "区统计局"), "{unmatched:?}");
    let naming = |v: &Value, name: &str| -> Vec<Value> {
        v["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .filter(|t| t["responsible"].as_str().is_some_and(|r| r.contains(name)))
            .cloned()
            .collect()
    };

    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let path = format!("/admin/workplans/{plan}");
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("待确认的责任单位") && html.contains(">区统计局</label>"), "{html}");
    let csrf = csrf_in(&html);
    let settle = format!("/admin/workplans/{plan}/unmatched");
    let forged = app.post_form(&settle, &[("csrf", "forged"), ("name", "区统计局"), ("org", QIANJIANG_OFFICE)]).await;
    assert_eq!(forged.status(), 403);
    let ok = app.post_form(&settle, &[("csrf", &csrf), ("name", "区统计局"), ("org", QIANJIANG_OFFICE)]).await;
    assert!(ok.status().is_success() || ok.status().is_redirection(), "{}", ok.status());

    let all: Value = app.get_with_token(&format!("/api/v1/workplans/{plan}"), &admin).await.json().await.expect("json");
    let tasks = naming(&all, "区统计局");
    assert!(!tasks.is_empty());
    for t in &tasks {
        assert!(!t["unmatched"].as_str().unwrap_or_default().contains("区统计局"), "{t}");
        assert!(
            t["assignments"].as_array().expect("assignments").iter().any(|a| a["org_code"] == QIANJIANG_OFFICE),
            "{t}"
        );
    }
    // Another name confirmed as no org of the platform's: off the list, nobody assigned.
    let other = unmatched.iter().find(|n| *n != "区统计局").expect("another name").clone();
    let ok = app.post_form(&settle, &[("csrf", &csrf), ("name", &other), ("org", "")]).await;
    assert!(ok.status().is_success() || ok.status().is_redirection(), "{}", ok.status());
    let html = app.get(&path).await.text().await.expect("html");
    assert!(!html.contains(">区统计局</label>") && !html.contains(&format!(">{other}</label>")));
    // The name is settled: a second time finds nothing.
    let again = app.post_form(&settle, &[("csrf", &csrf), ("name", "区统计局"), ("org", QIANJIANG_OFFICE)]).await;
    assert_eq!(again.status(), 404);

    // The next table of the same office: both names are settled as they were, not asked again.
    let next = import_004(&app, &admin).await;
    let left: Vec<&str> = next["unmatched"].as_array().expect("unmatched").iter().filter_map(Value::as_str).collect();
    assert!(!left.contains(&"区统计局") && !left.contains(&other.as_str()), "{left:?}");
    assert_eq!(left.len(), unmatched.len() - 2, "{left:?}");
    let next_plan = next["plan_id"].as_i64().expect("id");
    let all: Value =
        app.get_with_token(&format!("/api/v1/workplans/{next_plan}"), &admin).await.json().await.expect("json");
    for t in naming(&all, "区统计局") {
        assert!(
            t["assignments"].as_array().expect("assignments").iter().any(|a| a["org_code"] == QIANJIANG_OFFICE),
            "{t}"
        );
    }
}
