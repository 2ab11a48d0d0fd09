//! The second factor of staff logins (TOTP): set up with a QR code and proven by a code,
//! asked at every login and password change, each code used once; reset by the security
//! administrator; required of everyone where the platform says so.

use crate::common;

use common::{PASSWORD, TestApp, csrf_in};
use gongkai_core::second_factor::SecondFactor;
use gongkai_web::WebConfig;
use serde_json::{Value, json};

fn roomy(require: bool) -> WebConfig {
    WebConfig {
        login_attempts_per_minute: 100,
        lockout_failures: 50,
        require_second_factor: require,
        ..Default::default()
    }
}

/// The hidden secret of the set-up form.
fn secret_in(html: &str) -> String {
    let at = html.find("name=\"secret\" value=\"").expect("secret field") + "name=\"secret\" value=\"".len();
    html[at..].split('"').next().expect("value").to_string()
}

fn code(app: &TestApp, secret: &str) -> String {
    let f = SecondFactor::from_base32(secret, "x", "x").expect("secret");
    f.code_at(u64::try_from(app.store.now().timestamp()).expect("after 1970"))
}

async fn console_login(app: &TestApp, user: &str, password: &str, totp: &str) -> reqwest::Response {
    let c = csrf_in(&app.get("/login").await.text().await.expect("html"));
    app.post_form("/login", &[("username", user), ("password", password), ("totp", totp), ("csrf", &c)]).await
}

fn later(app: &TestApp, seconds: i64) {
    app.store.clock().set(Some(app.store.now() + chrono::Duration::seconds(seconds)));
}

#[tokio::test]
async fn a_second_factor_is_set_up_asked_at_login_used_once_and_reset() {
    let app = TestApp::spawn_with(roomy(false)).await;
    app.store.clock().set(Some(app.store.now()));
    let csrf = app.login("editor").await;
    let html = app.get("/admin/second-factor").await.text().await.expect("html");
    assert!(html.contains("<svg role=\"img\" aria-label=\"两步验证二维码\"") && !html.contains("<?xml"), "{html}");
    let secret = secret_in(&html);
    assert_eq!(secret.len(), 32);
    let res = app
        .post_form(
            "/admin/second-factor",
            &[("csrf", &csrf), ("action", "on"), ("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("<span id=\"code-err\" class=\"field-error\">动态口令不正确或已过期</span>"), "{html}");
    assert_eq!(secret_in(&html), secret, "the same secret is offered again after a wrong code");
    let now = code(&app, &secret);
    let res = app
        .post_form("/admin/second-factor", &[("csrf", &csrf), ("action", "on"), ("secret", &secret), ("code", &now)])
        .await;
    assert_eq!(res.status(), 303);
    assert!(app.get("/admin/second-factor").await.text().await.expect("html").contains("已启用"));
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    // The login asks for the code; the code that turned it on is spent.
    let res = console_login(&app, "editor", PASSWORD, "").await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.expect("html").contains("该账号已启用两步验证，请填写动态口令"));
    let res = console_login(&app, "editor", PASSWORD, &now).await;
    assert!(res.text().await.expect("html").contains("该动态口令已使用过"));
    let res = console_login(&app, "editor", "wrong-password-1", &now).await;
    assert!(res.text().await.expect("html").contains("用户名或密码错误"), "the password first");
    later(&app, 30);
    let res = console_login(&app, "editor", PASSWORD, &code(&app, &secret)).await;
    assert_eq!(res.status(), 303);

    // The API too; a code works once even there.
    let body = |totp: Option<String>| json!({ "username": "editor", "password": PASSWORD, "totp": totp });
    let res = app.post_json("/api/v1/session", None, &body(None)).await;
    assert_eq!(
        (res.status().as_u16(), res.json::<Value>().await.expect("json")["code"].clone()),
        (401, json!("second_factor"))
    );
    later(&app, 30);
    let fresh = code(&app, &secret);
    assert_eq!(app.post_json("/api/v1/session", None, &body(Some(fresh.clone()))).await.status(), 201);
    let res = app.post_json("/api/v1/session", None, &body(Some(fresh))).await;
    assert_eq!(res.json::<Value>().await.expect("json")["message"], "该动态口令已使用过，请等待下一个口令");

    // The password change asks for it as well.
    let csrf = csrf_in(&app.get("/admin").await.text().await.expect("html"));
    let html = app.get("/admin/password").await.text().await.expect("html");
    assert!(html.contains("name=\"totp\""));
    let res = app
        .post_form(
            "/admin/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new_password", "amber-field-2027"),
                ("confirm", "amber-field-2027"),
                ("totp", "123"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("<span id=\"totp-err\" class=\"field-error\">动态口令是 6 位数字</span>")
    );

    // A lost phone: the security administrator resets it; the person logs in without one.
    let editor = app.user("editor").await;
    let other = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let page = other.get(app.url("/login")).send().await.expect("get").text().await.expect("html");
    let c = csrf_in(&page);
    let res = other
        .post(app.url("/login"))
        .form(&[("username", "qj-security"), ("password", PASSWORD), ("csrf", &c)])
        .send()
        .await
        .expect("login");
    assert!(res.status().is_success() || res.status().is_redirection());
    let page = other.get(app.url("/admin/orgs")).send().await.expect("get").text().await.expect("html");
    assert!(page.contains("重置两步验证"));
    let c = csrf_in(&page);
    let res = other
        .post(app.url(&format!("/admin/users/{}/second-factor/reset", editor.id)))
        .form(&[("csrf", &c)])
        .send()
        .await
        .expect("reset");
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert!(
        app.get("/admin").await.headers()["location"].to_str().expect("ascii").starts_with("/login"),
        "the editor's login ended"
    );
    assert_eq!(console_login(&app, "editor", PASSWORD, "").await.status(), 303);
    let trail: Vec<String> = app
        .store
        .recent_audit(Some(("user", "editor")), 10)
        .await
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(
        trail.contains(&"user.second_factor_on".to_string()) && trail.contains(&"user.second_factor_off".to_string()),
        "{trail:?}"
    );

    // Its owner turns it off with a code: every login of the account ends.
    let html = app.get("/admin/second-factor").await.text().await.expect("html");
    let (csrf, secret) = (csrf_in(&html), secret_in(&html));
    let on = [("csrf", csrf.as_str()), ("action", "on"), ("secret", secret.as_str())];
    let now = code(&app, &secret);
    assert_eq!(
        app.post_form("/admin/second-factor", &[&on[..], &[("code", now.as_str())]].concat()).await.status(),
        303
    );
    later(&app, 30);
    let off = code(&app, &secret);
    let res = app
        .post_form("/admin/second-factor", &[("csrf", csrf.as_str()), ("action", "off"), ("code", off.as_str())])
        .await;
    assert_eq!(res.headers()["location"], "/login");
    assert!(app.get("/admin").await.headers()["location"].to_str().expect("ascii").starts_with("/login"));
    assert_eq!(console_login(&app, "editor", PASSWORD, "").await.status(), 303);
}

#[tokio::test]
async fn where_required_no_one_works_before_setting_one_up() {
    let app = TestApp::spawn_with(roomy(true)).await;
    app.store.clock().set(Some(app.store.now()));
    let res = app.login_api("editor", PASSWORD).await;
    assert_eq!(
        (res.status().as_u16(), res.json::<Value>().await.expect("json")["code"].clone()),
        (403, json!("second_factor_required"))
    );
    assert_eq!(console_login(&app, "editor", PASSWORD, "").await.status(), 303);
    let res = app.get("/admin/items").await;
    assert_eq!(res.headers()["location"], "/admin/second-factor", "every page leads to the set-up");
    let html = app.get("/admin/second-factor").await.text().await.expect("html");
    assert!(html.contains("本平台要求工作人员启用两步验证"));
    let csrf = csrf_in(&html);
    let secret = secret_in(&html);
    let now = code(&app, &secret);
    let res = app
        .post_form("/admin/second-factor", &[("csrf", &csrf), ("action", "on"), ("secret", &secret), ("code", &now)])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get("/admin/items").await.status(), 200);
    // It cannot be turned off here.
    later(&app, 30);
    let res = app
        .post_form("/admin/second-factor", &[("csrf", &csrf), ("action", "off"), ("code", &code(&app, &secret))])
        .await;
    assert_eq!(res.status(), 409);
    later(&app, 30);
    let res = app
        .post_json(
            "/api/v1/session",
            None,
            &json!({ "username": "editor", "password": PASSWORD, "totp": code(&app, &secret) }),
        )
        .await;
    assert_eq!(res.status(), 201);
}
