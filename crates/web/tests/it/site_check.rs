//! The website self-check over HTTP: each rule fires on a crafted case — a 90-day open letter,
//! a monthly column not updated, empty columns, a broken internal link, an attachment whose
//! file is gone — and clears when it is fixed; the office runs it, an editor sees only
//! their org's part and may not run it; the console page and the dashboard show it.

use crate::common;

use common::{QIANJIANG, QIANJIANG_OFFICE, TestApp, csrf_in};
use gongkai_core::catalog::Baseline;
use gongkai_store::AuditCtx;
use gongkai_store::sections::SectionInput;
use serde_json::{Value, json};

async fn run(app: &TestApp, token: &str) -> Value {
    let res = app.post_json("/api/v1/site-check/runs", Some(token), &json!({})).await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json")
}

fn find<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == rule).collect()
}

/// Creates an item of the office in `section` and publishes it now; answers its id.
async fn publish(app: &TestApp, title: &str, section: i64, body: &str) -> i64 {
    let (item, res) = app
        .publish_item(
            &json!({ "title": title, "genre": "工作动态", "topic": "综合政务", "disclosure_attr": "proactive",
                "section": section, "body": body }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{title}");
    item["id"].as_i64().expect("id")
}

#[tokio::test]
async fn each_rule_fires_on_its_case_and_clears_when_fixed() {
    let app = TestApp::spawn_roomy().await;
    let ctx = AuditCtx::cli();
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store.apply_baseline(&ctx, None, office.id, Baseline::District).await.expect("baseline");
    let monthly = app
        .store
        .create_section(
            &ctx,
            None,
            office.id,
            SectionInput { name: "统计月报".into(), update_rule: "每月".into(), ..Default::default() },
        )
        .await
        .expect("section");
    let sections = app.store.sections(office.id).await.expect("sections");
    let work = sections.iter().find(|s| s.name.starts_with("机关职能")).expect("section").id;
    let admin = app.token_for("qj-admin").await;
    let res = app
        .post_json(
            &format!("/api/v1/orgs/{QIANJIANG}/mailboxes"),
            Some(&admin),
            &json!({ "kind": "consult", "name": "政务咨询" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mailbox = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    // 1 September: a letter arrives and the monthly column is updated; then nothing.
    app.set_today("2026-09-01");
    let res = app
        .client
        .post(app.url("/api/v1/letters"))
        .json(&json!({ "mailbox": mailbox, "name": "张三", "phone": "13912345678", "subject": "路灯不亮", "text": "正阳路路灯已坏一个月。" }))
        .send()
        .await
        .expect("letter");
    assert_eq!(res.status(), 201);
    publish(&app, "2026年8月统计月报", monthly.id, "<p>8月数据。</p>").await;

    // 3 December: a page links to a draft that is not public, and carries a file.
    app.set_today("2026-12-03");
    let editor = app.token_for("editor").await;
    let draft = app
        .post_json("/api/v1/items", Some(&editor), &json!({ "title": "附件：补助标准", "genre": "其他", "disclosure_attr": "proactive", "body": "<p>标准。</p>" }))
        .await
        .json::<Value>()
        .await
        .expect("json")["id"]
        .as_i64()
        .expect("id");
    let body = format!(
        r#"<p>补助标准见<a href="/items/{draft}">附件</a>，政策原文见<a href="https://www.gov.cn/zhengce/">中国政府网</a>。</p>"#
    );
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于调整困难群众补助标准的通知", "genre": "工作动态",
            "topic": "综合政务", "disclosure_attr": "proactive", "section": work, "body": body }),
        )
        .await;
    let page = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4\n% standards\n%%EOF\n".to_vec()).file_name("标准.pdf");
    let res = app
        .client
        .post(app.url(&format!("/api/v1/items/{page}/attachments")))
        .bearer_auth(&editor)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 201);
    let sha = res.json::<Value>().await.expect("json")["sha256"].as_str().map(str::to_string);
    assert_eq!(app.through_review(page, &json!({})).await.status(), 200);

    // An editor may not start a run; the office may.
    assert_eq!(app.post_json("/api/v1/site-check/runs", Some(&editor), &json!({})).await.status(), 403);
    let report = run(&app, &admin).await;
    assert_eq!(report["run"]["trigger"], "manual");
    assert!(report["run"]["checked"]["links"].as_i64() >= Some(1), "{}", report["run"]);

    let letter = find(&report, "letter_unanswered");
    assert_eq!(letter.len(), 1, "{report}");
    assert_eq!(letter[0]["severity"], "veto");
    assert_eq!(letter[0]["days_left"], -2, "3 months from 1 September end on 1 December");
    let stale = find(&report, "column_stale");
    assert!(stale.iter().any(|f| f["subject"] == "统计月报" && f["severity"] == "deduct"), "{report}");
    let link = find(&report, "broken_link");
    assert_eq!(link.len(), 1, "only the internal link is opened: {report}");
    assert_eq!(link[0]["href"], format!("/admin/items/{page}"));
    assert!(link[0]["detail"].as_str().expect("detail").contains("404"));
    let empty = find(&report, "empty_column");
    let veto = empty.iter().find(|f| f["severity"] == "veto").expect("five or more empty columns fail the site");
    assert_eq!(veto["subject"], "全站");
    let office_empty = empty.iter().find(|f| f["org_name"] == "重庆市黔江区人民政府办公室").expect("office");
    let empty_before: usize = office_empty["subject"]
        .as_str()
        .expect("s")
        .trim_start_matches("空白栏目 ")
        .trim_end_matches(" 个")
        .parse()
        .expect("n");
    assert!(find(&report, "no_consultation").is_empty(), "the district has a consultation mailbox");
    assert!(find(&report, "broken_attachment").is_empty());
    let first = &report["findings"][0];
    assert_eq!(first["severity"], "veto", "veto risks come first");

    // The editor sees the office's findings only, 武进's not at all.
    let own: Value = app.get_with_token("/api/v1/site-check", &editor).await.json().await.expect("json");
    assert!(
        own["findings"].as_array().expect("f").iter().all(|f| f["org_name"] == "重庆市黔江区人民政府办公室"),
        "{own}"
    );
    let all_names: Vec<&str> =
        report["findings"].as_array().expect("f").iter().filter_map(|f| f["org_name"].as_str()).collect();
    assert!(!all_names.contains(&"常州市武进区人民政府"), "another district is not the office's: {all_names:?}");

    // Fixed: the draft is published, the letter closed, the monthly column updated, one empty
    // column filled. The attachment's file goes missing.
    assert_eq!(app.through_review(draft, &json!({})).await.status(), 200);
    let letters: Value = app.get_with_token("/api/v1/letters?open=true", &admin).await.json().await.expect("json");
    let id = letters[0]["id"].as_i64().expect("id");
    let res = app
        .post_json(
            &format!("/api/v1/letters/{id}/steps"),
            Some(&admin),
            &json!({ "step": "close_invalid", "ground": "duplicate", "reason": "与 12345 工单重复，已由热线答复" }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    publish(&app, "2026年11月统计月报", monthly.id, "<p>11月数据。</p>").await;
    let plan = sections.iter().find(|s| s.name.starts_with("国民经济和社会发展规划")).expect("section").id;
    publish(&app, "黔江区“十五五”规划纲要", plan, "<p>纲要全文。</p>").await;
    let sha = sha.expect("the upload answers its hash");
    let file = app.state.blobs.path(&sha);
    let bytes = std::fs::read(&file).expect("file");
    std::fs::remove_file(&file).expect("remove");

    let report = run(&app, &admin).await;
    assert!(find(&report, "letter_unanswered").is_empty(), "{report}");
    assert!(find(&report, "broken_link").is_empty(), "{report}");
    assert!(!find(&report, "column_stale").iter().any(|f| f["subject"] == "统计月报"), "{report}");
    let office_empty = find(&report, "empty_column")
        .into_iter()
        .find(|f| f["org_name"] == "重庆市黔江区人民政府办公室")
        .cloned()
        .expect("office");
    assert_eq!(office_empty["subject"], format!("空白栏目 {} 个", empty_before - 1));
    let gone = find(&report, "broken_attachment");
    assert_eq!(gone.len(), 1, "{report}");
    assert!(
        gone[0]["detail"].as_str().expect("d").contains("标准.pdf")
            && gone[0]["detail"].as_str().expect("d").contains("文件缺失")
    );

    std::fs::write(&file, bytes).expect("restore");
    let report = run(&app, &admin).await;
    assert!(find(&report, "broken_attachment").is_empty(), "{report}");

    // The console page and the dashboard.
    let csrf = app.login("qj-admin").await;
    let html = app.get("/admin/site-check").await.text().await.expect("html");
    assert!(html.contains("网站自查") && html.contains("单项否决风险") && html.contains("立即检查"), "{html}");
    assert!(html.contains("全站共有"), "the site-wide veto is listed");
    let res = app.post_form("/admin/site-check/run", &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let res = app.post_form("/admin/site-check/run", &[("csrf", "forged")]).await;
    assert_ne!(res.status(), 303, "a forged form is refused");
    let one = app.get(&format!("/admin/site-check?org={QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(one.contains("网站自查：重庆市黔江区人民政府办公室"));
    let dash = app.get("/admin").await.text().await.expect("html");
    assert!(dash.contains("网站自查：单项否决风险"), "{dash}");
    let _ = csrf_in(&dash);
}

#[tokio::test]
async fn the_daily_run_is_stored_once_a_day() {
    let app = TestApp::spawn().await;
    app.set_today("2026-12-03");
    let first = gongkai_web::app::site_check::run(&app.state, None, true).await.expect("run");
    assert!(first.is_some());
    // A second node's daily run of the same day is not stored again; a manual one is.
    let second = gongkai_web::app::site_check::run(&app.state, None, true).await.expect("run");
    assert_eq!(second, None);
    let admin = app.token_for("qj-admin").await;
    let report = run(&app, &admin).await;
    assert!(report["run"]["id"].as_i64() > first);
    // Without a consultation mailbox both districts fail on the channel.
    assert_eq!(find(&report, "no_consultation").len(), 1, "the admin sees their district's: {report}");
    app.set_today("2026-12-04");
    assert!(gongkai_web::app::site_check::run(&app.state, None, true).await.expect("run").is_some());
}

/// A published page that misspells the state's name fails the site (严重表述错误); a 错别字
/// costs points; each names its item, the wrong form and the right one; corrected and
/// published again, both clear.
#[tokio::test]
async fn wrong_forms_in_published_text_are_found_and_clear_when_corrected() {
    let app = TestApp::spawn_roomy().await;
    let ctx = AuditCtx::cli();
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store.apply_baseline(&ctx, None, office.id, Baseline::District).await.expect("baseline");
    let section = app.store.sections(office.id).await.expect("sections")[0].id;
    let id = publish(
        &app,
        "关于贯彻《中华人民共合国政府信息公开条例》的通知",
        section,
        "<p>认真落实党中央决策布署，工作布署到位。</p>",
    )
    .await;
    let admin = app.token_for("qj-admin").await;
    let report = run(&app, &admin).await;
    let serious = find(&report, "wording");
    assert_eq!(serious.len(), 1, "{report}");
    assert_eq!(serious[0]["severity"], "veto");
    assert_eq!(serious[0]["detail"], "「中华人民共合国」应为「中华人民共和国」");
    assert_eq!(serious[0]["href"], format!("/admin/items/{id}"));
    assert_eq!(serious[0]["rule_label"], "严重表述错误");
    let typo = find(&report, "typo");
    assert_eq!(typo.len(), 1);
    assert_eq!(
        (typo[0]["severity"].as_str(), typo[0]["detail"].as_str()),
        (Some("deduct"), Some("「布署」应为「部署」（共 2 处）"))
    );

    // Corrected and published again: both clear.
    let editor = app.token_for("editor").await;
    let item: Value = app.get_with_token(&format!("/api/v1/items/{id}"), &editor).await.json().await.expect("item");
    let res = app
        .client
        .put(app.url(&format!("/api/v1/items/{id}")))
        .bearer_auth(&editor)
        .json(&json!({ "title": "关于贯彻《中华人民共和国政府信息公开条例》的通知", "body": "<p>认真落实党中央决策部署。</p>",
            "topic": "综合政务", "genre": "工作动态", "section": section, "disclosure_attr": "proactive", "version": item["version"] }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);
    let report = run(&app, &admin).await;
    assert!(find(&report, "wording").is_empty() && find(&report, "typo").is_empty(), "{report}");
}

/// The home page opened from outside every few minutes: when it did not open 5 times in 100
/// over the week the site fails (网站无法访问); from 2 in 100 the office is warned.
#[tokio::test]
async fn a_home_page_that_does_not_open_fails_the_site() {
    // A public address where nothing answers.
    let app = TestApp::spawn_with(gongkai_web::WebConfig {
        public_url: "http://127.0.0.1:1".into(),
        login_attempts_per_minute: 100,
        ..Default::default()
    })
    .await;
    for _ in 0..20 {
        gongkai_web::app::site_check::probe_once(&app.state).await.expect("probe");
    }
    let admin = app.token_for("qj-admin").await;
    let report = run(&app, &admin).await;
    let down = find(&report, "unreachable");
    assert_eq!(down.len(), 1, "{report}");
    assert_eq!(down[0]["severity"], "veto");
    assert!(down[0]["detail"].as_str().expect("detail").contains("20 次，20 次打不开"), "{}", down[0]["detail"]);
    // The same platform seen at an address that answers: 20 failures in 500 are 4%.
    let reachable = gongkai_web::AppState::new(
        app.store.clone(),
        gongkai_web::WebConfig { public_url: format!("http://{}", app.addr), ..Default::default() },
    );
    for _ in 0..480 {
        gongkai_web::app::site_check::probe_once(&reachable).await.expect("probe");
    }
    let report = run(&app, &admin).await;
    let down = find(&report, "unreachable");
    assert_eq!((down.len(), down[0]["severity"].as_str()), (1, Some("warn")), "{report}");
}

/// A sub-site whose 专栏 shows no 政府信息公开制度 (none of its own, none above it) loses
/// points, with a link to where it is written; the government writing one clears every org
/// below it.
#[tokio::test]
async fn a_subsite_without_rules_is_named_until_the_government_writes_them() {
    let app = TestApp::spawn_roomy().await;
    let admin = app.token_for("qj-admin").await;
    let report = run(&app, &admin).await;
    let missing = find(&report, "rules");
    assert!(!missing.is_empty(), "{report}");
    let office =
        missing.iter().find(|f| f["subject"] == "重庆市黔江区人民政府办公室政府信息公开制度").expect("the office's");
    assert_eq!(office["severity"], "deduct");
    assert_eq!(office["href"], format!("/admin/orgs/{QIANJIANG_OFFICE}/pages"));
    let csrf = app.login("qj-admin").await;
    let res = app
        .client
        .post(app.url(&format!("/admin/orgs/{QIANJIANG}/pages")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("rules", "保密审查制度：拟公开的政府信息应当依照法律法规进行审查。"),
            ("guide_addition", ""),
        ])
        .send()
        .await
        .expect("post");
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let report = run(&app, &admin).await;
    assert!(find(&report, "rules").is_empty(), "the government's rules show on every sub-site below it: {report}");
}

/// The office keeps its site's own list: its office holders with their titles and its own
/// wrong forms. A holder's name beside a title not theirs is a serious error in the editor and
/// in the daily self-check; an editor cannot change the list; a stale version is refused; a
/// list that cannot be read is refused with the line named, and nothing is saved.
#[tokio::test]
async fn the_sites_own_list_names_a_holder_under_a_wrong_title() {
    let app = TestApp::spawn_roomy().await;
    let ctx = AuditCtx::cli();
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    app.store.apply_baseline(&ctx, None, office.id, Baseline::District).await.expect("baseline");
    let section = app.store.sections(office.id).await.expect("sections")[0].id;

    // The console page, as the office uses it.
    let csrf = app.login("qj-admin").await;
    let page = app.get("/admin/wording").await.text().await.expect("html");
    assert!(page.contains("尚未设置词表") && page.contains("中华人民共合国"), "the shipped list is shown");
    let post = |text: &str, version: Option<i64>| {
        let mut form = vec![("csrf", csrf.clone()), ("text", text.to_string())];
        if let Some(v) = version {
            form.push(("version", v.to_string()));
        }
        app.client.post(app.url("/admin/wording")).form(&form).send()
    };
    let bad = post("领导 | 张三 | 区委副书记、区长\n领导 | 王 | 副区长\n", None).await.expect("post");
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("html").contains("词表未保存：第 2 行"), "the line is named");
    assert!(app.get("/admin/wording").await.text().await.expect("html").contains("尚未设置词表"), "nothing saved");
    let list =
        "# 区领导\n领导 | 张三 | 区委副书记、区长\n领导 | 李四 | 副区长\n严重 | 黔江区人名政府 | 黔江区人民政府\n";
    let saved = post(list, None).await.expect("post");
    assert_eq!(saved.status(), 303);
    let page = app.get("/admin/wording?saved=1").await.text().await.expect("html");
    assert!(page.contains("词表已保存") && page.contains("现有领导 2 人、自定错误写法 1 条"), "{page}");
    assert_eq!(post(list, None).await.expect("post").status(), 409, "a stale version is refused");

    // An editor sees it in the item editor before submitting…
    app.login("editor").await;
    assert_eq!(app.get("/admin/wording").await.status(), 403, "the list is the office's");
    let editor = app.token_for("editor").await;
    let body = "<p>副区长张三主持会议，区长张三讲话。李四副区长出席。</p>";
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "黔江区人名政府召开常务会议", "body": body, "topic": "综合政务", "genre": "工作动态",
                "section": section, "disclosure_attr": "proactive" }),
        )
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let editor_page = app.get(&format!("/admin/items/{id}")).await.text().await.expect("html");
    assert!(editor_page.contains("严重表述错误：「副区长张三」应为「张三（区委副书记、区长）」"), "{editor_page}");
    assert!(editor_page.contains("严重表述错误：「黔江区人名政府」应为「黔江区人民政府」"));
    assert!(!editor_page.contains("「李四副区长」"), "李四 is 副区长");
    let res = app
        .client
        .put(app.url("/api/v1/wording"))
        .bearer_auth(&editor)
        .json(&json!({ "text": "", "version": 1 }))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 403);

    // …and once it is published, the daily self-check fails the site on it.
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);
    let admin = app.token_for("qj-admin").await;
    let report = run(&app, &admin).await;
    let serious: Vec<String> =
        find(&report, "wording").iter().map(|f| f["detail"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(serious.len(), 2, "{report}");
    assert!(serious.contains(&"「副区长张三」应为「张三（区委副书记、区长）」".to_string()), "{serious:?}");
    // The office corrects its list (张三 became 副区长): the finding goes at the next run.
    let shown: Value = app.get_with_token("/api/v1/wording", &admin).await.json().await.expect("json");
    assert_eq!(shown["version"], 1);
    let res = app
        .client
        .put(app.url("/api/v1/wording"))
        .bearer_auth(&admin)
        .json(&json!({ "text": "领导 | 张三 | 副区长\n", "version": 1 }))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 200);
    let report = run(&app, &admin).await;
    let serious: Vec<String> =
        find(&report, "wording").iter().map(|f| f["detail"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(serious, vec!["「区长张三」应为「张三（副区长）」".to_string()], "{report}");
}

/// A site elsewhere: `/ok` answers, `/gone` is 404, `/head-refused` answers GET only.
async fn other_site() -> std::net::SocketAddr {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route("/gone", get(|| async { (axum::http::StatusCode::NOT_FOUND, "gone") }))
        .route(
            "/head-refused",
            axum::routing::on(axum::routing::MethodFilter::HEAD, || async {
                axum::http::StatusCode::METHOD_NOT_ALLOWED
            })
            .get(|| async { "ok" }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test]
async fn links_to_other_sites_are_opened_only_when_the_operator_turns_it_on() {
    let other = other_site().await;
    let body = format!(
        "<p><a href=\"http://{other}/ok\">正常</a> <a href=\"http://{other}/gone#x\">失效</a> <a href=\"http://{other}/head-refused\">仅GET</a></p>"
    );
    for on in [false, true] {
        let app = TestApp::spawn_with(gongkai_web::WebConfig { check_external_links: on, ..Default::default() }).await;
        let (_, res) = app
            .publish_item(
                &json!({ "title": "关于转发上级文件的通知", "genre": "通知", "topic": "综合政务",
                    "disclosure_attr": "proactive", "body": body }),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let admin = app.token_for("qj-admin").await;
        let report = run(&app, &admin).await;
        let broken: Vec<String> =
            find(&report, "broken_link").iter().map(|f| f["detail"].as_str().unwrap_or_default().to_string()).collect();
        if on {
            assert_eq!(broken.len(), 1, "{broken:?}");
            assert!(broken[0].contains(&format!("http://{other}/gone#x")) && broken[0].contains("404"), "{broken:?}");
        } else {
            assert!(broken.is_empty(), "off: other sites are not opened: {broken:?}");
        }
    }
}
