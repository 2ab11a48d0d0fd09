//! HTTP behaviour against the real server on a random port with a fresh SQLite file.

use crate::common;

use common::{PASSWORD, QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use serde_json::{Value, json};

#[tokio::test]
async fn api_login_token_use_cross_org_refusal_and_malformed_json() {
    let app = TestApp::spawn_roomy().await;

    // Wrong password and unknown user get the same answer.
    for (user, pw) in [("qj-admin", "wrong-password-1"), ("nobody", PASSWORD)] {
        let res = app.login_api(user, pw).await;
        assert_eq!(res.status(), 401);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["code"], "bad_credentials");
        assert_eq!(body["message"], "用户名或密码错误");
    }

    // Log in, then use the session token.
    let admin = app.token_for("qj-admin").await;
    let me: Value = app.get_with_token("/api/v1/me", &admin).await.json().await.expect("json");
    assert_eq!(me["username"], "qj-admin");
    assert_eq!(me["org"], QIANJIANG);
    assert_eq!(me["roles"], json!(["supervisor", "admin"]));
    // 三员: the system administrator does not add staff.
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&admin),
            &json!({ "org": QIANJIANG_OFFICE, "username": "zhangsan", "password": "river-lamp-2026", "roles": ["editor"] }),
        )
        .await;
    assert_eq!(
        (res.status().as_u16(), res.json::<Value>().await.expect("json")["code"].clone()),
        (403, json!("forbidden_role"))
    );
    let session = app.token_for("qj-security").await;

    // Create an API token and use it for an account action in the security admin's subtree.
    let res = app.post_json("/api/v1/tokens", Some(&session), &json!({ "name": "同步脚本" })).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.expect("json");
    let api_token = created["token"].as_str().expect("token").to_string();
    assert!(api_token.starts_with("gk_"));
    let listed: Value = app.get_with_token("/api/v1/tokens", &session).await.json().await.expect("json");
    let ends = listed[0]["expires_at"].as_str().expect("expires_at");
    let created_at = listed[0]["created_at"].as_str().expect("created_at");
    let days = chrono::DateTime::parse_from_rfc3339(ends).expect("time")
        - chrono::DateTime::parse_from_rfc3339(created_at).expect("time");
    assert_eq!(days.num_days(), 90, "new tokens end after 90 days");
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG_OFFICE, "username": "zhangsan", "display_name": "张三",
                     "password": "zhangsan-2026", "roles": ["editor", "reviewer"] }),
        )
        .await;
    let refused: Value = res.json().await.expect("json");
    assert_eq!(
        (refused["code"].as_str(), refused["message"].as_str()),
        (Some("weak_password"), Some("密码不能包含用户名"))
    );
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG_OFFICE, "username": "zhangsan", "password": "Password2026!", "roles": ["editor"] }),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.expect("json")["code"],
        "weak_password",
        "a common password with digits added"
    );
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG_OFFICE, "username": "zhangsan", "display_name": "张三",
                     "password": "river-lamp-2026", "roles": ["admin", "auditor"] }),
        )
        .await;
    let refused: Value = res.json().await.expect("json");
    assert_eq!(
        (refused["code"].as_str(), refused["message"].as_str()),
        (Some("admins_not_apart"), Some("「系统管理员」与「审计管理员」须由不同人员担任（三员分立），请只选其一"))
    );
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG_OFFICE, "username": "zhangsan", "display_name": "张三",
                     "password": "river-lamp-2026", "roles": ["editor", "reviewer"] }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let user: Value = res.json().await.expect("json");
    assert_eq!(user["roles"], json!(["editor", "reviewer"]));
    // The administrator chose the password: its owner changes it before logging in.
    let res =
        app.post_json("/api/v1/session", None, &json!({ "username": "zhangsan", "password": "river-lamp-2026" })).await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "password_change_required");
    let change = |new: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/session/password",
                None,
                &json!({ "username": "zhangsan", "password": "river-lamp-2026", "new_password": new }),
            )
            .await
        }
    };
    assert_eq!(change("river-lamp-2026").await.json::<Value>().await.expect("json")["code"], "same_password");
    assert_eq!(change("zhangsan-2027").await.json::<Value>().await.expect("json")["code"], "weak_password");
    assert_eq!(change("ocean-kite-2027").await.status(), 204);
    let zhang = app.token_for_password("zhangsan", "ocean-kite-2027").await;
    assert!(zhang.starts_with("s_"));

    // A security admin of another district may not add users to 黔江.
    let wj_security = app.token_for("wj-security").await;
    let wj = app.token_for("wj-admin").await;
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&wj_security),
            &json!({ "org": QIANJIANG_OFFICE, "username": "intruder", "password": "intruder-2026", "roles": ["admin"] }),
        )
        .await;
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "forbidden_org");
    assert_eq!(body["message"], "无权操作其他单位的数据");
    let res = app
        .post_json(
            "/api/v1/orgs",
            Some(&wj),
            &json!({ "parent": QIANJIANG, "code": "91110000802100433B", "name": "某部门", "kind": "department" }),
        )
        .await;
    assert_eq!(res.status(), 403);
    // An editor is not an admin at all.
    let editor = app.token_for("editor").await;
    let res = app
        .post_json("/api/v1/orgs", Some(&editor), &json!({ "parent": QIANJIANG_OFFICE, "code": "91110000802100433B", "name": "某科室", "kind": "department" }))
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "forbidden_role");

    // A malformed body is a 400 in the API's format.
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&api_token)
        .header("content-type", "application/json")
        .body("{\"org\": \"11500114009130039C\", ")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "malformed_json");
    assert!(body["message"].as_str().expect("message").starts_with("请求体不是有效的 JSON"));

    // Wrong shapes and bad values are 422 with their own codes.
    let res = app.post_json("/api/v1/users", Some(&api_token), &json!({ "org": QIANJIANG })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_fields");
    let res = app
        .post_json(
            "/api/v1/orgs",
            Some(&admin),
            &json!({ "parent": QIANJIANG, "code": "11500114009130039D", "name": "某部门", "kind": "department" }),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "invalid_org_code");
    assert_eq!(body["message"], "机构代码校验位错误：应为「C」，实为「D」");
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG, "username": "weak", "password": "short" }),
        )
        .await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "weak_password");
    let res = app
        .post_json(
            "/api/v1/users",
            Some(&api_token),
            &json!({ "org": QIANJIANG, "username": "zhangsan", "password": "river-lamp-2026" }),
        )
        .await;
    assert_eq!(res.status(), 409);

    // Revoked tokens stop working; a non-numeric id is a JSON 400.
    let id = created["id"].as_i64().expect("id");
    let res =
        app.client.delete(app.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&wj).send().await.expect("request");
    assert_eq!(res.status(), 403, "another district's admin cannot revoke it");
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(&session)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 204);
    let res = app.get_with_token("/api/v1/me", &api_token).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "unauthorized");
    let res = app.client.delete(app.url("/api/v1/tokens/abc")).bearer_auth(&session).send().await.expect("request");
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "bad_path");

    // Logging out ends the session token.
    let res = app.client.delete(app.url("/api/v1/session")).bearer_auth(&session).send().await.expect("request");
    assert_eq!(res.status(), 204);
    assert_eq!(app.get_with_token("/api/v1/me", &session).await.status(), 401);

    // Every change above is in the audit trail, and the chain holds.
    let report = app.store.verify_audit_chain().await.expect("verify");
    assert_eq!(report.broken, None);
    let rows = app.store.recent_audit(Some(("user", "zhangsan")), 5).await.expect("audit");
    // Newest first: the owner's password change, then the creation by the administrator.
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].action.as_str(), rows[0].actor.as_str()), ("user.change_password", "zhangsan"));
    assert_eq!(rows[1].actor, "qj-security");
    assert_eq!(rows[1].origin, "127.0.0.1");
}

#[tokio::test]
async fn org_tree_is_public_and_nested() {
    let app = TestApp::spawn().await;
    let tree: Value = app.get("/api/v1/orgs").await.json().await.expect("json");
    assert_eq!(tree.as_array().expect("array").len(), 2);
    assert_eq!(tree[0]["name"], "重庆市黔江区人民政府");
    assert_eq!(tree[0]["index_prefix"], QIANJIANG);
    assert_eq!(tree[0]["children"][0]["code"], QIANJIANG_OFFICE);
    assert_eq!(tree[0]["children"][0]["kind"], "department");
    assert_eq!(tree[1]["children"], json!([]));
}

#[tokio::test]
async fn console_login_with_csrf_tokens_page_and_logout() {
    let app = TestApp::spawn().await;
    // Not logged in: the console redirects to the login page, keeping the target.
    let res = app.get("/admin/tokens").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=/admin/tokens");

    let page = app.get("/login?next=/admin/tokens").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    // A post without the login page's token is refused.
    let res = app.post_form("/login", &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", "forged")]).await;
    assert_eq!(res.status(), 403);
    // A wrong password re-shows the form with the name kept.
    let res = app.post_form("/login", &[("username", "qj-admin"), ("password", "nope-nope-1"), ("csrf", &csrf)]).await;
    assert_eq!(res.status(), 401);
    let html = res.text().await.expect("html");
    assert!(html.contains("用户名或密码错误"));
    assert!(html.contains("value=\"qj-admin\""));
    let res = app
        .post_form(
            "/login",
            &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", &csrf), ("next", "/admin/tokens")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin/tokens");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gk_session="))
        .expect("session cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(
        dash.contains("qj-admin 姓名") && dash.contains("重庆市黔江区人民政府办公室"),
        "dashboard lists the subtree"
    );
    assert!(!dash.contains("常州市武进区人民政府"), "and nothing outside it");
    assert!(!dash.contains("最近操作记录"), "the audit trail is the audit administrator's alone (三员)");
    let csrf = csrf_in(&dash);

    // Create a token in the console: shown once.
    let res = app.post_form("/admin/tokens", &[("csrf", "forged"), ("name", "x")]).await;
    assert_eq!(res.status(), 403);
    let html = app
        .post_form("/admin/tokens", &[("csrf", &csrf), ("name", "<script>报表</script>")])
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("新令牌已生成"));
    assert!(html.contains("有效期至 "), "the list says when each token ends");
    assert!(
        html.contains("&#60;script&#62;报表&#60;/script&#62;") || html.contains("&lt;script&gt;报表"),
        "names are escaped"
    );
    assert!(!html.contains("<script>报表"));
    let start = html.find("<code class=\"secret\">").expect("secret shown") + "<code class=\"secret\">".len();
    let secret = &html[start..start + 46];
    assert_eq!(app.get_with_token("/api/v1/me", secret).await.status(), 200);
    let admin = gongkai_core::Username::parse("qj-admin").expect("valid");
    let admin = app.store.user_by_username(&admin).await.expect("lookup").expect("user");
    let tokens = app.store.tokens_of(admin.id).await.expect("tokens");
    let id = tokens[0].id;
    let res = app.post_form(&format!("/admin/tokens/{id}/revoke"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get_with_token("/api/v1/me", secret).await.status(), 401);

    let res = app.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get("/admin").await.status(), 303, "logged out");
}

#[tokio::test]
async fn logins_are_rate_limited() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { login_attempts_per_minute: 3, ..Default::default() }).await;
    for _ in 0..3 {
        assert_eq!(app.login_api("qj-admin", "wrong-password-1").await.status(), 401);
    }
    let res = app.login_api("qj-admin", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "too_many_requests");
}

#[tokio::test]
async fn probes_metrics_not_found_and_body_limit() {
    let mut app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.text().await.expect("text"), "ok");
    assert_eq!(app.get("/readyz").await.text().await.expect("text"), "ready");
    let metrics = app.get("/metrics").await.text().await.expect("text");
    assert!(metrics.contains("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), "{metrics}");

    let res = app.get("/api/v1/nothing-here").await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "not_found");
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("html").contains("页面不存在"));

    let huge = "x".repeat(3 * 1024 * 1024);
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 413);

    let home = app.get("/").await;
    assert_eq!(home.headers()["x-content-type-options"], "nosniff");
    assert!(home.headers().contains_key("x-request-id"));
    assert!(home.text().await.expect("html").contains("重庆市黔江区人民政府办公室"));

    // Shutdown stops the server cleanly.
    app.shutdown().await;
    assert!(app.client.get(app.url("/healthz")).send().await.is_err());
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    assert_eq!(doc["info"]["title"], "gongkai API");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/session", "post"),
        ("/api/v1/orgs", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/tokens/{id}", "delete"),
        ("/api/v1/items", "post"),
        ("/api/v1/items/{id}", "get"),
        ("/api/v1/items/{id}/submit", "post"),
        ("/api/v1/items/{id}/review", "post"),
        ("/api/v1/items/{id}/approve", "post"),
        ("/api/v1/items/{id}/publish", "post"),
        ("/api/v1/items/{id}/withdraw", "post"),
        ("/api/v1/items/{id}/set-validity", "post"),
        ("/api/v1/items/{id}/attachments", "post"),
        ("/api/v1/orgs/{code}/sections", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is documented");
    }
    assert!(doc["components"]["schemas"]["ItemView"]["properties"]["index_no"].is_object());
    // Valid OpenAPI 3.1 (CI runs openapi-spec-validator on `gongkai openapi` as well).
    assert_eq!(doc["info"]["contact"]["name"], "gongkai 政府信息公开平台");
    let required: Vec<&str> = doc["components"]["schemas"]["FilingInput"]["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(required, ["applicant_type", "name", "description", "form"], "article 29's elements");
    let mut ids = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("methods") {
            assert!(ids.insert(op["operationId"].as_str().expect("id").to_string()), "{method} {path}: unique id");
            for (code, r) in op["responses"].as_object().expect("responses") {
                assert!(r["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {code}");
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    assert!(path.contains(&format!("{{{}}}", p["name"].as_str().expect("name"))), "{method} {path}");
                }
            }
        }
    }
    let step = &paths["/api/v1/requests/{tracking_no}/{step}"]["post"]["responses"];
    for code in ["200", "400", "401", "403", "404", "409", "422"] {
        assert!(step.get(code).is_some(), "a step documents {code}");
    }
    let rows = &paths["/api/v1/lists/{code}/rows"]["get"]["parameters"];
    let q = rows.as_array().expect("params").iter().find(|p| p["name"] == "q").expect("q");
    assert_eq!(q["in"], "query", "the search words are a query parameter");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    // Every documented method is routed (an unrouted one would answer 405).
    for (path, item) in paths {
        let concrete = path.replace("{id}", "1").replace("{aid}", "1").replace("{code}", common::QIANJIANG);
        for method in item.as_object().expect("methods").keys() {
            let req = app.client.request(method.to_uppercase().parse().expect("method"), app.url(&concrete));
            let status = req.send().await.expect("request").status();
            assert_ne!(status, 405, "{method} {path} is routed");
        }
    }
}

/// After login the browser goes back only to a path of this site: a tab or line break that
/// browsers drop (`/\t/evil.example/` is `//evil.example/` to them) sends it to the console.
#[tokio::test]
async fn login_returns_only_to_this_sites_paths() {
    let app = TestApp::spawn().await;
    for (next, expected) in [
        ("/\t/evil.example/", "/admin"),
        ("/\n/x", "/admin"),
        ("//evil.example/", "/admin"),
        ("/admin/requests", "/admin/requests"),
    ] {
        let page = app.client.get(app.url("/login")).query(&[("next", next)]).send().await.expect("page");
        assert_eq!(page.status(), 200);
        let csrf = csrf_in(&page.text().await.expect("html"));
        let res = app
            .post_form("/login", &[("username", "editor"), ("password", PASSWORD), ("csrf", &csrf), ("next", next)])
            .await;
        assert_eq!(res.status(), 303, "{next:?}");
        assert_eq!(res.headers()["location"], expected, "{next:?}");
        let csrf = csrf_in(&app.get("/admin").await.text().await.expect("html"));
        app.post_form("/logout", &[("csrf", &csrf)]).await;
    }
}

/// Answers for one person are never kept by a shared cache: the console, an API answer to a
/// token, a staff download; public pages are revalidated but may be cached.
#[tokio::test]
async fn private_answers_are_private_no_store_and_public_pages_no_cache() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/").await.headers()["cache-control"], "no-cache");
    let token = app.token_for("editor").await;
    let me = app.get_with_token("/api/v1/me", &token).await;
    assert_eq!(me.headers()["cache-control"], "private, no-store");
    let login = app.get("/login").await;
    assert_eq!(login.headers()["cache-control"], "private, no-store");
    let csrf = csrf_in(&login.text().await.expect("html"));
    app.post_form("/login", &[("username", "editor"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    assert_eq!(app.get("/admin").await.headers()["cache-control"], "private, no-store");
    // A draft's attachment, downloaded by its editor.
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&token),
            &json!({ "title": "关于草稿附件的通知", "disclosure_attr": "proactive" }),
        )
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
        .file_name("a.pdf")
        .mime_str("application/pdf")
        .expect("mime");
    let res = app
        .client
        .post(app.url(&format!("/api/v1/items/{id}/attachments")))
        .bearer_auth(&token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 201);
    let aid = res.json::<Value>().await.expect("json")["id"].as_i64().expect("aid");
    let file = app.get_with_token(&format!("/api/v1/items/{id}/attachments/{aid}"), &token).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["cache-control"], "private, no-store", "a draft's file is not public");
    let file = app.get(&format!("/admin/items/{id}/attachments/{aid}")).await;
    assert_eq!(file.headers()["cache-control"], "private, no-store");
}

/// Behind a trusted reverse proxy each citizen is limited on their own address; a header
/// from anyone else names no one.
#[tokio::test]
async fn limits_key_on_the_client_a_trusted_proxy_names() {
    let login = |app: &TestApp, user: &'static str, password: &'static str, client: &'static str| {
        app.client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", format!("{client}, 10.1.2.3"))
            .json(&json!({ "username": user, "password": password }))
            .send()
    };
    let config = || gongkai_web::WebConfig { login_attempts_per_minute: 3, ..Default::default() };
    let behind = TestApp::spawn_with(gongkai_web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".into(), "10.0.0.0/8".into()],
        ..config()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(login(&behind, "editor", "wrong-password-1", "203.0.113.5").await.expect("req").status(), 401);
    }
    assert_eq!(login(&behind, "reviewer", PASSWORD, "203.0.113.5").await.expect("req").status(), 429);
    assert_eq!(
        login(&behind, "reviewer", PASSWORD, "203.0.113.6").await.expect("req").status(),
        201,
        "another citizen"
    );

    // Not configured: the header is ignored, so it cannot dodge the limit either.
    let direct = TestApp::spawn_with(config()).await;
    for client in ["203.0.113.5", "203.0.113.6", "203.0.113.7"] {
        assert_eq!(login(&direct, "editor", "wrong-password-1", client).await.expect("req").status(), 401);
    }
    assert_eq!(login(&direct, "reviewer", PASSWORD, "203.0.113.8").await.expect("req").status(), 429);
}

/// `/metrics` does not grow with made-up methods, and answers only its scraper.
#[tokio::test]
async fn metrics_fold_unknown_methods_and_need_the_token_when_set() {
    let app =
        TestApp::spawn_with(gongkai_web::WebConfig { metrics_token: "scrape-secret-1".into(), ..Default::default() })
            .await;
    for i in 0..50 {
        let method = reqwest::Method::from_bytes(format!("MADEUP{i}").as_bytes()).expect("method");
        app.client.request(method, app.url("/")).send().await.expect("answered");
    }
    assert_eq!(app.get("/metrics").await.status(), 404, "no token");
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("guess").send().await.expect("get");
    assert_eq!(wrong.status(), 404);
    let text = app.client.get(app.url("/metrics")).bearer_auth("scrape-secret-1").send().await.expect("get");
    assert_eq!(text.status(), 200);
    let text = text.text().await.expect("text");
    assert!(!text.contains("MADEUP"), "made-up methods are folded");
    assert!(text.contains("method=\"other\""));
}

/// 等保 level 3: five failures in a row lock the account (and the client) for a while, even
/// against the right password; logins, failures, lockouts and logouts are audited.
#[tokio::test]
async fn failed_logins_lock_the_account_and_every_login_event_is_audited() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { lockout_minutes: 15, ..Default::default() }).await;
    app.set_today("2026-11-20");
    for i in 0..4 {
        assert_eq!(app.login_api("editor", "wrong-password-1").await.status(), 401, "failure {i}");
    }
    let res = app.login_api("editor", "wrong-password-1").await;
    assert_eq!(res.status(), 429, "the fifth failure locks");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "account_locked");
    assert_eq!(body["message"], "登录失败次数过多，已暂时锁定，请于 10:15 后再试");
    assert_eq!(app.login_api("editor", PASSWORD).await.status(), 429, "locked even with the right password");
    // Fifteen minutes on, the right password works and starts the count again.
    app.store.clock().set(Some(app.store.now() + chrono::Duration::minutes(16)));
    let res = app.login_api("editor", PASSWORD).await;
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    let res = app.client.delete(app.url("/api/v1/session")).bearer_auth(&token).send().await.expect("logout");
    assert_eq!(res.status(), 204);
    let actions: Vec<String> =
        app.store.recent_audit(None, 50).await.expect("audit").into_iter().map(|a| a.action).collect();
    for action in ["login.failed", "login.locked", "login", "logout"] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}

/// A console login left alone for the idle period ends, whatever its absolute lifetime.
#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { idle_minutes: 30, ..Default::default() }).await;
    app.set_today("2026-11-20");
    app.login("editor").await;
    assert_eq!(app.get("/admin").await.status(), 200);
    let later = |minutes| app.store.clock().set(Some(app.store.now() + chrono::Duration::minutes(minutes)));
    later(25);
    assert_eq!(app.get("/admin").await.status(), 200, "used within 30 minutes: still open");
    later(25);
    assert_eq!(app.get("/admin").await.status(), 200, "the last use counts, not the login");
    later(31);
    assert_eq!(app.get("/admin").await.status(), 303, "31 minutes idle: back to the login page");
}

/// An administrator disables a staff member or changes their roles: their logins and API
/// tokens end at once; an administrator cannot disable themselves; API tokens expire.
#[tokio::test]
async fn disabling_a_user_or_changing_roles_ends_their_sessions_and_tokens() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-20");
    let editor = app.user("editor").await;
    let token = app.token_for("editor").await;
    let (api_token, secret) =
        app.store.create_token(&gongkai_store::AuditCtx::cli(), editor.id, "接口").await.expect("token");
    assert_eq!(app.get_with_token("/api/v1/me", &secret).await.status(), 200);
    let csrf = app.login("qj-security").await;
    let me = app.user("qj-security").await;
    let res = app.post_form(&format!("/admin/users/{}/active", me.id), &[("csrf", &csrf), ("active", "0")]).await;
    assert_eq!(res.status(), 409, "not oneself");
    let res = app
        .post_form(
            &format!("/admin/users/{}/roles", editor.id),
            &[("csrf", &csrf), ("role", "editor"), ("role", "reviewer")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        401,
        "the login ended with the change of roles"
    );
    assert_eq!(app.get_with_token("/api/v1/me", &secret).await.status(), 401, "and the API token");
    let roles = app.store.actor(editor.id).await.expect("read").expect("active").roles;
    assert_eq!(roles, [gongkai_core::Role::Editor, gongkai_core::Role::Reviewer]);
    let res = app.post_form(&format!("/admin/users/{}/active", editor.id), &[("csrf", &csrf), ("active", "0")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.login_api("editor", PASSWORD).await.status(), 401, "a disabled user cannot log in");
    assert!(app.get("/admin/orgs").await.text().await.expect("html").contains("已停用"));
    let res = app.post_form(&format!("/admin/users/{}/active", editor.id), &[("csrf", &csrf), ("active", "1")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.login_api("editor", PASSWORD).await.status(), 201, "enabled again");
    let audit: Vec<String> =
        app.store.recent_audit(None, 50).await.expect("audit").into_iter().map(|a| a.action).collect();
    assert!(["user.roles", "user.disable", "user.enable"].iter().all(|a| audit.iter().any(|x| x == a)), "{audit:?}");
    assert!(api_token.id > 0);

    // A new API token lasts 90 days.
    let (_, fresh) = app.store.create_token(&gongkai_store::AuditCtx::cli(), editor.id, "季度").await.expect("token");
    assert_eq!(app.get_with_token("/api/v1/me", &fresh).await.status(), 200);
    app.store.clock().set(Some(app.store.now() + chrono::Duration::days(91)));
    assert_eq!(app.get_with_token("/api/v1/me", &fresh).await.status(), 401, "expired");
}

/// With the database gone (its pool closed, as when PostgreSQL is down), the node says so:
/// `/readyz` 503, and search — whose snippets are read from the store — 503 "unavailable",
/// not 500; the liveness probe still answers.
#[tokio::test]
async fn a_database_that_is_gone_is_503_not_500() {
    let app = TestApp::spawn().await;
    let (_, res) = app
        .publish_item(
            &json!({ "title": "关于数据库不可用时检索的通知", "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.index_now().await;
    let v: Value = app.get("/api/v1/search?q=数据库不可用时检索").await.json().await.expect("json");
    assert_eq!(v["total"], 1, "indexed: {v}");
    app.store.close().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    let res = app.get("/api/v1/search?q=数据库不可用时检索").await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "unavailable");
    assert_eq!(app.get("/healthz").await.status(), 200);
}
