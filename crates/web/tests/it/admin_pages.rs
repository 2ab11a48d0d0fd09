//! Administration in the console: orgs and staff added by an administrator of the org
//! above, each org's contact, and the refusals (another district, a bad code, a weak
//! password, no role).

use crate::common;

use common::{QIANJIANG, TestApp, csrf_in};

#[tokio::test]
async fn an_administrator_adds_orgs_and_staff_in_the_console() {
    let app = TestApp::spawn().await;
    let csrf = app.login("qj-admin").await;
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
    let ok = app
        .post_form("/admin/orgs/014109453/contact", &[("csrf", &csrf), ("contact", "统计局办公室，电话 023-79221111")])
        .await;
    assert_eq!(ok.status(), 303);
    assert!(app.get("/admin/orgs").await.text().await.expect("html").contains("023-79221111"));
    // 三员: the system administrator does not add staff; the security administrator does.
    let html = app.get("/admin/orgs").await.text().await.expect("html");
    assert!(!html.contains("action=\"/admin/users\""), "no staff form for the system administrator");
    let res = app
        .post_form(
            "/admin/users",
            &[("csrf", &csrf), ("org", "014109453"), ("username", "tongji"), ("password", "a-long-password-1")],
        )
        .await;
    assert_eq!(res.status(), 403);
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let csrf = app.login("qj-security").await;
    let html = app.get("/admin/orgs").await.text().await.expect("html");
    assert!(!html.contains("action=\"/admin/orgs\""), "no org form for the security administrator");
    let res = app
        .post_form(
            "/admin/orgs",
            &[
                ("csrf", &csrf),
                ("parent", QIANJIANG),
                ("code", "11500114MB1234567X"),
                ("name", "x"),
                ("kind", "department"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    let weak = app
        .post_form(
            "/admin/users",
            &[("csrf", &csrf), ("org", "014109453"), ("username", "tongji"), ("password", "short"), ("role", "editor")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let html = weak.text().await.expect("html");
    assert!(html.contains("<span id=\"password-err\" class=\"field-error\">"), "{html}");
    assert!(html.contains("value=\"tongji\"") && html.contains("value=\"editor\" checked"), "typed values kept");
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
    let html = app.get("/admin/orgs").await.text().await.expect("html");
    assert!(html.contains("统计局编辑（tongji）：信息编辑、依申请办理"), "{html}");
    assert!(!html.contains("023-79221111"), "the contact form is the system administrator's");
    // The new user logs in.
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let page = app.get("/login").await.text().await.expect("html");
    let c = csrf_in(&page);
    let res = app.post_form("/login", &[("username", "tongji"), ("password", "a-long-password-1"), ("csrf", &c)]).await;
    assert_eq!(res.status(), 303);
    // The administrator chose the password: the owner changes it before any other page.
    assert_eq!(res.headers()["location"], "/admin/password");
    let res = app.get("/admin").await;
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().ok()), (303, Some("/admin/password")));
    let page = app.get("/admin/password").await.text().await.expect("html");
    assert!(page.contains("首次登录须修改管理员设置的初始密码"));
    let c = csrf_in(&page);
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (app, c) = (&app, c.clone());
        async move {
            app.post_form(
                "/admin/password",
                &[("csrf", &c), ("current", current), ("new_password", new), ("confirm", confirm)],
            )
            .await
        }
    };
    let res = change("a-long-password-1", "maple-bridge-7", "maple-bridge-8").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("两次输入的新密码不一致"));
    let res = change("wrong-password-1", "maple-bridge-7", "maple-bridge-7").await;
    assert!(res.text().await.expect("html").contains("原密码不正确"));
    let res = change("a-long-password-1", "tongji-2026!", "tongji-2026!").await;
    assert!(res.text().await.expect("html").contains("密码不能包含用户名"));
    let res = change("a-long-password-1", "maple-bridge-7", "maple-bridge-7").await;
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().ok()), (303, Some("/login?changed=1")));
    let page = app.get("/login?changed=1").await.text().await.expect("html");
    assert!(page.contains("密码已修改，请用新密码登录"));
    let c = csrf_in(&page);
    let res = app.post_form("/login", &[("username", "tongji"), ("password", "maple-bridge-7"), ("csrf", &c)]).await;
    assert_eq!(res.headers()["location"], "/admin");
    assert_eq!(app.get("/admin").await.status(), 200);

    // Another district's administrator cannot add under 黔江.
    let app2 = TestApp::spawn().await;
    let csrf = app2.login("wj-admin").await;
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
    let csrf = app.login("qj-admin").await;
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
    let csrf = app.login("editor").await;
    assert_eq!(app.get("/admin/sections").await.status(), 403);
    assert_eq!(app.post_form("/admin/sections", &[("csrf", &csrf), ("name", "x")]).await.status(), 403);
}

#[tokio::test]
async fn the_dashboard_shows_what_waits_for_each_role() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
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
    app.login("qj-admin").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("年度报告尚未发布的单位"), "{html}");
}

/// A top-level administrator keeps the site's name, footer and vocabulary additions; the
/// portal shows them at once (kept pages included) and the editor accepts a new topic.
#[tokio::test]
async fn site_settings_in_the_console_show_on_every_page() {
    let app = TestApp::spawn().await;
    // The home page is rendered and kept before the change.
    assert!(
        app.get("/").await.text().await.expect("html").contains("<a class=\"brand\" href=\"/\">政府信息公开平台</a>")
    );
    let csrf = app.login("editor").await;
    assert_eq!(app.get("/admin/site").await.status(), 403, "an editor may not");
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = app.login("qj-admin").await;
    let html = app.get("/admin").await.text().await.expect("html");
    assert!(html.contains("href=\"/admin/site\""), "the dashboard links the settings");
    let bad = app
        .post_form(
            "/admin/site",
            &[
                ("csrf", &csrf),
                ("site_name", "黔江区政府信息公开"),
                ("site_code", "50-01"),
                ("topics_extra", "乡村振兴"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.expect("html");
    assert!(html.contains("<span id=\"site_code-err\" class=\"field-error\">网站标识码只含字母和数字"), "{html}");
    assert!(
        html.contains(">乡村振兴</textarea>") && html.contains("value=\"黔江区政府信息公开\""),
        "typed values kept"
    );
    let ok = app
        .post_form(
            "/admin/site",
            &[
                ("csrf", &csrf),
                ("site_name", "黔江区政府信息公开"),
                ("sponsor", "重庆市黔江区人民政府办公室"),
                ("site_code", "5001140001"),
                ("icp", "渝ICP备05003300号"),
                ("police_record", ""),
                ("topics_extra", "乡村振兴\n营商环境"),
                ("genres_extra", ""),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let home = app.get("/").await.text().await.expect("html");
    assert!(home.contains("<a class=\"brand\" href=\"/\">黔江区政府信息公开</a>"), "the kept home page was not used");
    assert!(home.contains("主办单位：重庆市黔江区人民政府办公室") && home.contains("网站标识码：5001140001"));
    assert!(home.contains("渝ICP备05003300号"));
    let topics: Vec<String> = app.get("/api/v1/topics").await.json().await.expect("json");
    assert!(topics.iter().any(|t| t == "乡村振兴"), "{topics:?}");
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = app.login("editor").await;
    let res = app
        .post_form("/admin/items/new", &[("csrf", &csrf), ("title", "关于乡村振兴项目的公示"), ("topic", "营商环境")])
        .await;
    assert_eq!(res.status(), 303, "the added topic is accepted");
}

/// Each org's administrators keep its 制度 page and an addition to its guide; an org
/// without its own rules shows those of the org above; HTML is sanitised.
#[tokio::test]
async fn org_rules_and_guide_additions() {
    let app = TestApp::spawn().await;
    let office = common::QIANJIANG_OFFICE;
    let html = app.get(&format!("/orgs/{office}/rules")).await.text().await.expect("html");
    assert!(html.contains("本机关尚未在本平台发布制度文本") && html.contains("本平台执行的制度"));
    let csrf = app.login("qj-admin").await;
    let res = app
        .post_form(
            &format!("/admin/orgs/{QIANJIANG}/pages"),
            &[
                ("csrf", &csrf),
                ("rules", "第一条 为规范本区政府信息公开工作，制定本制度。\n第二条 <script>alert(1)</script>"),
                ("guide_addition", "<p onclick=\"x()\">周六上午在区政务服务中心二楼也可当面申请。</p>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let rules = app.get(&format!("/orgs/{QIANJIANG}/rules")).await.text().await.expect("html");
    assert!(rules.contains("<p>第一条 为规范本区政府信息公开工作，制定本制度。</p>"), "{rules}");
    assert!(!rules.contains("<script>alert(1)</script>"), "escaped or removed");
    let below = app.get(&format!("/orgs/{office}/rules")).await.text().await.expect("html");
    assert!(below.contains(
        "本机关执行<a href=\"/orgs/11500114009130039C/rules\">重庆市黔江区人民政府</a>制定的政府信息公开制度"
    ));
    let guide = app.get(&format!("/orgs/{QIANJIANG}/guide")).await.text().await.expect("html");
    assert!(guide.contains("五、其他事项") && guide.contains("周六上午在区政务服务中心二楼也可当面申请。"));
    assert!(
        guide.contains("<title>重庆市黔江区人民政府政府信息公开指南</title>"),
        "the addition stays out of the title"
    );
    assert_eq!(guide.matches("五、其他事项").count(), 1);
    assert!(!guide.contains("onclick"));
    let office_guide = app.get(&format!("/orgs/{office}/guide")).await.text().await.expect("html");
    assert!(!office_guide.contains("五、其他事项"), "the addition is the org's own");
    // The form shows what is stored; another district's administrator may not edit.
    let form = app.get(&format!("/admin/orgs/{office}/pages")).await.text().await.expect("html");
    assert!(form.contains("目前显示上级单位「重庆市黔江区人民政府」的制度"));
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let csrf = app.login("wj-admin").await;
    let res = app.post_form(&format!("/admin/orgs/{QIANJIANG}/pages"), &[("csrf", &csrf), ("rules", "x")]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_console_menu_is_the_console_s_alone() {
    let app = TestApp::spawn().await;
    let public = app.get("/").await.text().await.expect("html");
    assert!(public.contains("href=\"/mailbox\"") && public.contains("href=\"/admin\""), "the public menu");
    app.login("editor").await;
    let html = app.get("/admin/items").await.text().await.expect("html");
    let nav = &html[html.find("<nav").expect("nav")..html.find("</nav>").expect("nav end")];
    assert!(nav.contains("class=\"console-home\"") && nav.contains("网站首页"), "{nav}");
    assert!(nav.contains("<details class=\"menu\" open><summary>菜单</summary>"), "one menu, folded on a phone: {nav}");
    assert!(
        !nav.contains("href=\"/mailbox\"") && !nav.contains("/prefs/care"),
        "not mixed with the public menu: {nav}"
    );
    // Each person's own: the editor's work, not the office's or the administrators'.
    assert!(nav.contains("信息管理") && nav.contains("公示管理"), "{nav}");
    assert!(
        !nav.contains("年度报告")
            && !nav.contains("监测指标")
            && !nav.contains("访问令牌")
            && !nav.contains("操作记录")
    );
    let csrf = csrf_in(&html);
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    app.login("qj-audit").await;
    let html = app.get("/admin").await.text().await.expect("html");
    let nav = &html[html.find("<nav").expect("nav")..html.find("</nav>").expect("nav end")];
    assert!(nav.contains("href=\"/admin/audit\"") && !nav.contains("信息管理"), "{nav}");
}
