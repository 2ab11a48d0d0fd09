//! 三员 (GB/T 22239-2019): the system, security and audit administrators held apart — accounts
//! are the security administrator's, the audit trail the audit administrator's alone, no one
//! holds two of the three; the auditor finds, downloads and checks the trail.

use crate::common;

use common::{PASSWORD, QIANJIANG_OFFICE, TestApp, csrf_in};
use gongkai_core::Role;
use serde_json::Value;

#[tokio::test]
async fn only_the_audit_administrator_reads_the_trail() {
    let app = TestApp::spawn_roomy().await;
    // Something to find: a login by the editor and one failed login.
    assert_eq!(app.login_api("editor", PASSWORD).await.status(), 201);
    assert_eq!(app.login_api("editor", "wrong-password-9").await.status(), 401);

    for who in ["qj-admin", "qj-security", "editor"] {
        let token = app.token_for(who).await;
        let res = app.get_with_token("/api/v1/audit", &token).await;
        assert_eq!(res.status(), 403, "{who}");
        assert_eq!(res.json::<Value>().await.expect("json")["code"], "forbidden_role");
    }
    let csrf = app.login("qj-admin").await;
    assert_eq!(app.get("/admin/audit").await.status(), 403);
    assert_eq!(app.get("/admin/audit.csv").await.status(), 403);
    assert_eq!(app.post_form("/admin/audit/verify", &[("csrf", &csrf)]).await.status(), 403);
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = app.login("qj-audit").await;
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("最近操作记录") && dash.contains("/admin/audit"), "{dash}");
    let html = app.get("/admin/audit").await.text().await.expect("html");
    assert!(html.contains("账号·新建") && html.contains("命令行"), "actions and actors read as Chinese: {html}");
    assert!(!html.contains("user.create") && !html.contains(">cli<"), "no codes reach the auditor");
    let html = app.get("/admin/audit?actor=editor&area=login").await.text().await.expect("html");
    assert!(html.contains("登录·失败") && html.contains("<td>登录</td>"), "{html}");
    assert!(!html.contains("账号·新建"), "filtered");
    let res = app.get("/admin/audit?from=2026-13-01").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("<span id=\"from-err\" class=\"field-error\">日期格式应为 2026-12-01</span>"), "{html}");

    let res = app.get("/admin/audit.csv?actor=editor").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let body = res.text().await.expect("csv");
    assert!(body.starts_with('\u{feff}') && body.contains("序号,时间,操作人"), "{body}");
    assert!(body.contains("login.failed") && !body.contains("user.create"), "{body}");

    let res = app.post_form("/admin/audit/verify", &[("csrf", "forged")]).await;
    assert_eq!(res.status(), 403);
    let html = app.post_form("/admin/audit/verify", &[("csrf", &csrf)]).await.text().await.expect("html");
    assert!(html.contains("哈希链完整：共校验"), "{html}");

    // The download and the check are themselves in the trail.
    let token = app.token_for("qj-audit").await;
    let page: Value = app.get_with_token("/api/v1/audit?action=audit", &token).await.json().await.expect("json");
    let actions: Vec<&str> =
        page["entries"].as_array().expect("array").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["audit.verify", "audit.export"]);
    assert_eq!(page["entries"][0]["action_label"], "操作记录·校验哈希链");
    assert_eq!(page["entries"][0]["actor"], "qj-audit");
    let res = app.get_with_token("/api/v1/audit?from=yesterday", &token).await;
    assert_eq!(res.status(), 400);

    // An auditor below the top reads what the staff of their org did, and does not check the
    // whole chain.
    app.add_staff("bgs-audit", "办公室审计", QIANJIANG_OFFICE, "office-audit-2026", vec![Role::Auditor]).await;
    let office = app.token_for_password("bgs-audit", "office-audit-2026").await;
    let page: Value = app.get_with_token("/api/v1/audit", &office).await.json().await.expect("json");
    let actors: Vec<&str> =
        page["entries"].as_array().expect("array").iter().filter_map(|e| e["actor"].as_str()).collect();
    assert!(actors.contains(&"editor") && actors.contains(&"bgs-audit"), "{actors:?}");
    assert!(!actors.iter().any(|a| ["qj-admin", "qj-audit", "cli"].contains(a)), "{actors:?}");
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let page = app.get("/login").await.text().await.expect("html");
    let c = csrf_in(&page);
    let res =
        app.post_form("/login", &[("username", "bgs-audit"), ("password", "office-audit-2026"), ("csrf", &c)]).await;
    assert_eq!(res.status(), 303);
    let csrf = csrf_in(&app.get("/admin").await.text().await.expect("html"));
    let res = app.post_form("/admin/audit/verify", &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn no_one_holds_two_of_the_three_administrators() {
    let app = TestApp::spawn().await;
    let csrf = app.login("qj-security").await;
    let editor = app.user("editor").await;
    let res = app
        .post_form(
            &format!("/admin/users/{}/roles", editor.id),
            &[("csrf", &csrf), ("role", "admin"), ("role", "security_admin")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("「系统管理员」与「安全管理员」须由不同人员担任（三员分立），请只选其一"), "{html}");
    let res = app
        .post_form(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("org", QIANJIANG_OFFICE),
                ("username", "shenji"),
                ("password", "quiet-harbor-2026"),
                ("role", "auditor"),
                ("role", "security_admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("<span id=\"role-err\" class=\"field-error\">「安全管理员」与「审计管理员」")
    );
    // The security administrator keeps their own role.
    let me = app.user("qj-security").await;
    let res = app.post_form(&format!("/admin/users/{}/roles", me.id), &[("csrf", &csrf), ("role", "editor")]).await;
    assert_eq!(res.status(), 409);
    // The store refuses it too, whoever asks (the CLI).
    let err = app
        .store
        .set_user_roles(&gongkai_store::AuditCtx::cli(), editor.id, &[Role::Auditor, Role::Admin])
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("三员分立"), "{err}");
    // One of the three with other roles is fine.
    let res = app
        .post_form(
            &format!("/admin/users/{}/roles", editor.id),
            &[("csrf", &csrf), ("role", "editor"), ("role", "auditor")],
        )
        .await;
    assert_eq!(res.status(), 303);
}
