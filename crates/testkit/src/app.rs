//! `TestApp`: the real server on 127.0.0.1:0 against a fresh SQLite file, seeded with
//! [`crate::seed`], and one method per endpoint the tests use.

use crate::seed::{PASSWORD, QIANJIANG_OFFICE, seed};
use gongkai_store::{AuditCtx, Store};
use gongkai_web::{AppState, WebConfig};
use serde_json::{Value, json};
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub struct TestApp {
    pub search: std::sync::Arc<gongkai_search::SearchIndex>,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub store: Store,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(WebConfig::default()).await
    }

    /// The server with room for the many logins of a long scenario (the login limit itself
    /// is tested in the login tests).
    pub async fn spawn_roomy() -> Self {
        Self::spawn_with(WebConfig { login_attempts_per_minute: 100, ..Default::default() }).await
    }

    /// Logs `user` into the console (this client's cookies) and answers the session's CSRF
    /// token. Log in again after moving the clock past a session's lifetime.
    pub async fn login(&self, user: &str) -> String {
        let page = self.get("/login").await.text().await.expect("html");
        let csrf = csrf_in(&page);
        let res = self.post_form("/login", &[("username", user), ("password", PASSWORD), ("csrf", &csrf)]).await;
        assert_eq!(res.status(), 303, "login {user}");
        csrf_in(&self.get("/admin").await.text().await.expect("html"))
    }

    pub async fn spawn_with(mut config: WebConfig) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        config.files_dir = dir.path().join("files");
        let url = format!("sqlite://{}", dir.path().join("gongkai.db").display());
        let store = Store::open_and_migrate(&url).await.expect("store");
        seed(&store).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let state = AppState::new(store.clone(), config);
        let (index, _) = gongkai_search::SearchIndex::open(&dir.path().join("index")).expect("index");
        let search = std::sync::Arc::new(index);
        state.set_search(search.clone()).await;
        let server = tokio::spawn(gongkai_web::serve(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self { search, addr, client, store, state, shutdown: Some(tx), server: Some(server), _dir: dir }
    }

    /// Stands the server's clock at 10:00 Beijing time on `date` (YYYY-MM-DD).
    pub fn set_today(&self, date: &str) {
        let at = chrono::DateTime::parse_from_rfc3339(&format!("{date}T10:00:00+08:00")).expect("date").to_utc();
        self.store.clock().set(Some(at));
    }

    /// Loads a year's holiday schedule (the data/holidays format) through the API.
    pub async fn load_year(&self, token: &str, text: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/calendar/years"))
            .bearer_auth(token)
            .body(text.to_string())
            .send()
            .await
            .expect("request")
    }

    /// Imports a document's text into the district office and brings the index up to date;
    /// answers the item's id.
    pub async fn import_office_doc(&self, name: &str, text: &str) -> i64 {
        let office = self.store.org_by_code(QIANJIANG_OFFICE).await.expect("lookup").expect("org");
        let target = gongkai_store::importer::ImportTarget { org_id: office.id, section_id: None };
        let report = gongkai_store::importer::import_document(
            &self.store,
            &AuditCtx::cli(),
            target,
            name,
            text.as_bytes(),
            "txt",
        )
        .await;
        let Ok(gongkai_store::ImportOutcome::Created { id, .. }) = report.outcome else { panic!("import {name}") };
        self.index_now().await;
        id
    }

    /// Takes a new item of the district office through draft, secrecy review, approval and
    /// publication, by its editor, reviewer and approver; answers the item created and the
    /// answer to the publication.
    pub async fn publish_item(&self, fields: &Value, publish: &Value) -> (Value, reqwest::Response) {
        let editor = self.token_for("editor").await;
        let res = self.post_json("/api/v1/items", Some(&editor), fields).await;
        assert_eq!(res.status(), 201);
        let item: Value = res.json().await.expect("json");
        let id = item["id"].as_i64().expect("id");
        let res = self.through_review(id, publish).await;
        (item, res)
    }

    /// Publishes now a 通知 of the district office titled `title` (a one-line body); answers
    /// its id.
    pub async fn publish_notice(&self, title: &str) -> i64 {
        let fields = serde_json::json!({ "title": title, "genre": "通知", "topic": "综合政务",
            "disclosure_attr": "proactive", "body": "<p>正文。</p>" });
        let (item, res) = self.publish_item(&fields, &serde_json::json!({})).await;
        assert_eq!(res.status(), 200, "publish {title}");
        item["id"].as_i64().expect("id")
    }

    /// Takes an item of the district office through submission, secrecy review and approval
    /// (each must pass) by its editor, reviewer and approver, then publishes it with `publish`
    /// (`{}`: now); answers the answer to the publication.
    pub async fn through_review(&self, id: i64, publish: &Value) -> reqwest::Response {
        self.approve(id).await;
        let editor = self.token_for("editor").await;
        self.post_json(&format!("/api/v1/items/{id}/publish"), Some(&editor), publish).await
    }

    /// Takes an item of the district office through submission, secrecy review and approval
    /// by its editor, reviewer and approver, leaving it approved and not yet published.
    pub async fn approve(&self, id: i64) {
        let editor = self.token_for("editor").await;
        let reviewer = self.token_for("reviewer").await;
        let approver = self.token_for("approver").await;
        self.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
        self.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
        self.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await;
    }

    /// A new item of the district office with `fields`, approved and waiting to be published.
    pub async fn approved_item(&self, fields: &Value) -> i64 {
        let editor = self.token_for("editor").await;
        let res = self.post_json("/api/v1/items", Some(&editor), fields).await;
        assert_eq!(res.status(), 201);
        let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
        self.approve(id).await;
        id
    }

    /// Marks an item as needing no interpretation (its editor's word), so that a 规范性文件
    /// can be approved without one.
    pub async fn no_interpretation(&self, id: i64) {
        let editor = self.token_for("editor").await;
        let res = self
            .client
            .put(self.url(&format!("/api/v1/items/{id}/interpretation-need")))
            .bearer_auth(&editor)
            .json(&json!({ "needed": "no", "note": "无须解读" }))
            .send()
            .await
            .expect("put");
        assert_eq!(res.status(), 204);
    }

    /// Brings the search index up to date (what the server's follower does every 2 s).
    pub async fn index_now(&self) {
        self.search.catch_up(&self.store, 0).await.expect("catch up");
    }

    /// The SQLite file (for a second handle, as another node would open).
    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self._dir.path().join("gongkai.db").display())
    }

    /// Adds a staff member of `org_code` with `password` and `roles`.
    pub async fn add_staff(
        &self,
        name: &str,
        display: &str,
        org_code: &str,
        password: &str,
        roles: Vec<gongkai_core::Role>,
    ) {
        let hash = gongkai_store::auth::hash_password(&gongkai_core::Password::parse(password).expect("password"))
            .expect("hash");
        let new = gongkai_store::NewUser {
            org_code: org_code.into(),
            username: gongkai_core::Username::parse(name).expect("name"),
            display_name: display.into(),
            password_hash: hash,
            roles,
        };
        self.store.create_user(&gongkai_store::AuditCtx::cli(), new).await.expect("user");
    }

    /// The seeded (or added) staff member `name`.
    pub async fn user(&self, name: &str) -> gongkai_store::User {
        let name = gongkai_core::Username::parse(name).expect("user name");
        self.store.user_by_username(&name).await.expect("read").expect("user")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn login_api(&self, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/session"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request")
    }

    pub async fn token_for(&self, username: &str) -> String {
        self.token_for_password(username, PASSWORD).await
    }

    /// A session token for a user with their own password.
    pub async fn token_for_password(&self, username: &str, password: &str) -> String {
        let res = self.login_api(username, password).await;
        assert_eq!(res.status(), 201, "login {username}");
        let body: Value = res.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn post_empty(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.post(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn get_with_token(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(form).send().await.expect("request")
    }

    /// Stops accepting and waits for the server task to finish.
    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server result");
        }
    }
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    let end = html[start..].find('"').expect("end of value") + start;
    html[start..end].to_string()
}
