//! Administration in the console: orgs and staff added by an administrator of the org
//! above, each org's contact, and the refusals (another district, a bad code, a weak
//! password, no role).

mod common;

use common::{PASSWORD, QIANJIANG, TestApp, csrf_in};

async fn login(app: &TestApp, user: &str) -> String {
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", user), ("password", PASSWORD), ("csrf", &csrf)]).await;
    csrf_in(&app.get("/admin").await.text().await.expect("html"))
}

#[tokio::test]
async fn an_administrator_adds_orgs_and_staff_in_the_console() {
    let app = TestApp::spawn().await;
    let csrf = login(&app, "qj-admin").await;
    let html = app.get("/admin/orgs").await.text().await.expect("html");
    assert!(html.contains("重庆市黔江区人民政府办公室") && !html.contains("常州市武进区"), "only the admin's own tree");
    let bad = app
        .post_form(
            "/admin/orgs",
            &[("csrf", &csrf), ("parent", QIANJIANG), ("code", "123"), ("name", "某局"), ("kind", "department")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.expect("html");
    assert!(
        html.contains("aria-describedby=\"code-err\"") && html.contains("<span id=\"code-err\" class=\"field-error\">"),
        "{html}"
    );
    assert!(html.contains("value=\"某局\""), "the name typed is kept");
    let ok = app
        .post_form(
            "/admin/orgs",
            &[
                ("csrf", &csrf),
                ("parent", QIANJIANG),
                ("code", "014109453"),
                ("name", "黔江区统计局"),
                ("kind", "department"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let weak = app
        .post_form(
            "/admin/users",
            &[("csrf", &csrf), ("org", "014109453"), ("username", "tongji"), ("password", "short"), ("role", "editor")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let html = weak.text().await.expect("html");
    assert!(html.contains("<span id=\"password-err\" class=\"field-error\">"), "{html}");
    assert!(
        html.contains("value=\"tongji\"") && html.contains("value=\"editor\" style=\"width:auto\" checked"),
        "typed values kept"
    );
    assert!(!html.contains("value=\"short\""), "the password is not sent back");
    let none = app
        .post_form(
            "/admin/users",
            &[("csrf", &csrf), ("org", "014109453"), ("username", "tongji"), ("password", "a-long-password-1")],
        )
        .await;
    assert_eq!(none.status(), 422);
    assert!(
        none.text()
            .await
            .expect("html")
            .contains("<span id=\"role-err\" class=\"field-error\">请至少选择一个角色</span>")
    );
    let ok = app
        .post_form(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("org", "014109453"),
                ("username", "tongji"),
                ("display_name", "统计局编辑"),
                ("password", "a-long-password-1"),
                ("role", "editor"),
                ("role", "request_handler"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let ok = app
        .post_form("/admin/orgs/014109453/contact", &[("csrf", &csrf), ("contact", "统计局办公室，电话 023-79221111")])
        .await;
    assert_eq!(ok.status(), 303);
    let html = app.get("/admin/orgs").await.text().await.expect("html");
    assert!(html.contains("统计局编辑（tongji）：信息编辑、依申请办理") && html.contains("023-79221111"), "{html}");
    // The new user logs in.
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let page = app.get("/login").await.text().await.expect("html");
    let c = csrf_in(&page);
    let res = app.post_form("/login", &[("username", "tongji"), ("password", "a-long-password-1"), ("csrf", &c)]).await;
    assert_eq!(res.status(), 303);

    // Another district's administrator cannot add under 黔江.
    let app2 = TestApp::spawn().await;
    let csrf = login(&app2, "wj-admin").await;
    let res = app2
        .post_form(
            "/admin/orgs",
            &[("csrf", &csrf), ("parent", QIANJIANG), ("code", "014109453"), ("name", "x"), ("kind", "department")],
        )
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn an_administrator_keeps_the_catalog_sections() {
    let app = TestApp::spawn().await;
    let csrf = login(&app, "qj-admin").await;
    let res = app.post_form("/admin/sections", &[("csrf", &csrf), ("baseline", "district")]).await;
    assert_eq!(res.status(), 303);
    let html = app.get("/admin/sections").await.text().await.expect("html");
    assert!(html.contains("行政法规、规章和规范性文件") && html.contains("每年"));
    let res = app.post_form("/admin/sections", &[("csrf", &csrf), ("name", "政策解读"), ("update_rule", "即时")]).await;
    assert_eq!(res.status(), 303);
    let bad = app.post_form("/admin/sections", &[("csrf", &csrf), ("name", " ")]).await;
    assert_eq!(bad.status(), 422);
    let html = app.get("/admin/sections").await.text().await.expect("html");
    let id = html.split("/admin/sections/").nth(1).and_then(|s| s.split('/').next()).expect("id").to_string();
    assert_eq!(app.post_form(&format!("/admin/sections/{id}/delete"), &[("csrf", &csrf)]).await.status(), 303);
    // An editor is not an administrator.
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let csrf = login(&app, "editor").await;
    assert_eq!(app.get("/admin/sections").await.status(), 403);
    assert_eq!(app.post_form("/admin/sections", &[("csrf", &csrf), ("name", "x")]).await.status(), 403);
}

#[tokio::test]
async fn the_dashboard_shows_what_waits_for_each_role() {
    let app = TestApp::spawn().await;
    let csrf = login(&app, "editor").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("暂无待办事项"), "nothing yet");
    let res = app
        .post_form(
            "/admin/items/new",
            &[("csrf", &csrf), ("title", "关于某事项的通知"), ("body", "正文"), ("disclosure_attr", "proactive")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("草稿待完善、送审") && html.contains("/admin/items?state=draft"), "{html}");
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    // The district's supervisor sees last year's reports not yet published.
    login(&app, "qj-admin").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("年度报告尚未发布的单位"), "{html}");
}
