//! Interpretation and responding over HTTP: a policy that needs an interpretation is approved
//! only with its interpretation submitted (or, in warn mode, with the warning recorded), and
//! its coverage figures tie to the records behind them as the days pass; a concern is
//! answered within hours by a public item that the portal and search show; interview
//! questions are masked, answered live or in writing; press conferences count against the
//! yearly targets.

use crate::common;

use common::{QIANJIANG_OFFICE, TestApp, WUJIN, csrf_in};
use serde_json::{Value, json};

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.expect("request")
}

async fn item(app: &TestApp, token: &str, title: &str, genre: &str) -> i64 {
    let res = app
        .post_json(
            "/api/v1/items",
            Some(token),
            &json!({ "title": title, "genre": genre, "disclosure_attr": "proactive", "body": "<p>正文</p>" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.expect("json")["id"].as_i64().expect("id")
}

async fn review(app: &TestApp, id: i64) {
    let reviewer = app.token_for("reviewer").await;
    let res =
        app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
    assert_eq!(res.status(), 200, "review {id}");
}

async fn approve(app: &TestApp, id: i64) -> reqwest::Response {
    let approver = app.token_for("approver").await;
    app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await
}

async fn coverage(app: &TestApp) -> Vec<Value> {
    let admin = app.token_for("qj-admin").await;
    let res = app.get_with_token("/api/v1/interpretations/coverage?year=2026", &admin).await;
    assert_eq!(res.status(), 200);
    // One page holds them all: no next page.
    assert!(res.headers().get("link").is_none());
    res.json::<Vec<Value>>().await.expect("json")
}

#[tokio::test]
async fn a_policy_waits_for_its_interpretation_and_coverage_follows_the_days() {
    let app = TestApp::spawn_roomy().await;
    // Tuesday before the National Day holiday (1-7 October 2026, make-up Saturday 10 October).
    app.set_today("2026-09-29");
    let editor = app.token_for("editor").await;
    let policy = item(&app, &editor, "黔江区城市停车管理办法", "行政规范性文件").await;
    app.post_empty(&format!("/api/v1/items/{policy}/submit"), &editor).await;
    review(&app, policy).await;
    // 同步审签: no interpretation submitted with it, no approval.
    let blocked = approve(&app, policy).await;
    assert_eq!(blocked.status(), 409);
    assert_eq!(blocked.json::<Value>().await.expect("json")["code"], "interpretation_missing");

    let interp = item(&app, &editor, "《黔江区城市停车管理办法》政策解读", "政策解读").await;
    let path = format!("/api/v1/items/{interp}/interpretation");
    let res = put_json(&app, &path, &editor, &json!({ "form": "graphic", "policies": policy.to_string() })).await;
    assert_eq!(res.status(), 422, "a 图解 needs its text alternative");
    let body = json!({ "form": "text", "policies": policy.to_string(),
        "elements": { "background": "为规范停车秩序，依据《重庆市停车场管理办法》制定。", "content": "共五章三十条。" } });
    assert_eq!(put_json(&app, &path, &editor, &body).await.status(), 204);
    let reviewer = app.token_for("reviewer").await;
    assert_eq!(put_json(&app, &path, &reviewer, &body).await.status(), 403, "editors of the org only");
    // A draft interpretation is not yet submitted with the policy.
    assert_eq!(approve(&app, policy).await.status(), 409);
    app.post_empty(&format!("/api/v1/items/{interp}/submit"), &editor).await;
    assert_eq!(approve(&app, policy).await.status(), 200);
    assert_eq!(app.post_empty(&format!("/api/v1/items/{policy}/publish"), &editor).await.status(), 200);

    // Published on 29 September: the interpretation is due within 3 working days, 9 October.
    let rows = coverage(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["id"].as_i64(), rows[0]["status"].as_str()), (Some(policy), Some("待解读")));
    assert_eq!(rows[0]["due_on"], "2026-10-09");
    app.login("editor").await;
    assert!(app.get("/admin").await.text().await.expect("html").contains("政策解读：待发布"));

    // 12 October: the days are over and nothing is published.
    app.set_today("2026-10-12");
    let rows = coverage(&app).await;
    assert_eq!(rows[0]["status"], "逾期未解读");
    app.login("qj-admin").await;
    let supervision = app.get("/admin/supervision").await.text().await.expect("html");
    let org = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("lookup").expect("org");
    assert!(
        supervision
            .contains(&format!("<a href=\"/admin/supervision/interpretations?org={}&amp;year=2026\">1</a>", org.id)),
        "{supervision}"
    );
    assert!(supervision.contains("<strong class=\"warn-text\">1</strong>"));
    let drill = app.get(&format!("/admin/supervision/interpretations?org={}&year=2026", org.id)).await;
    let drill = drill.text().await.expect("html");
    assert!(drill.contains("黔江区城市停车管理办法") && drill.contains("逾期未解读"), "{drill}");
    assert!(!drill.contains("rel=\"next\""), "{drill}");
    // Past the last page: said so, with the way back.
    let past = app.get(&format!("/admin/supervision/interpretations?org={}&year=2026&page=2", org.id)).await;
    let past = past.text().await.expect("html");
    assert!(past.contains("本页没有政策文件") && !past.contains("黔江区城市停车管理办法"), "{past}");
    assert!(
        past.contains(&format!("href=\"/admin/supervision/interpretations?year=2026&#38;org={}&#38;page=1\"", org.id)),
        "{past}"
    );

    // Published late: covered, not on time; both pages link each other.
    review(&app, interp).await;
    assert_eq!(approve(&app, interp).await.status(), 200);
    let editor = app.token_for("editor").await;
    assert_eq!(app.post_empty(&format!("/api/v1/items/{interp}/publish"), &editor).await.status(), 200);
    let rows = coverage(&app).await;
    assert_eq!((rows[0]["status"].as_str(), rows[0]["covered"].as_bool()), (Some("逾期解读"), Some(true)));
    assert_eq!(rows[0]["on_time"], false);
    let page = app.get(&format!("/items/{policy}")).await.text().await.expect("html");
    assert!(page.contains("<h3>文字解读</h3>") && page.contains(&format!("<a href=\"/items/{interp}\">")), "{page}");
    let page = app.get(&format!("/items/{interp}")).await.text().await.expect("html");
    assert!(page.contains("<h3>背景依据</h3>") && page.contains(&format!("<a href=\"/items/{policy}\">")));

    // Search files it as an interpretation, with its facet.
    app.index_now().await;
    let hits = app.get("/api/v1/search?q=停车&kind=interpretation").await.json::<Value>().await.expect("json");
    assert_eq!(hits["total"], 1, "{hits}");
    let page = app.get("/search?q=停车").await.text().await.expect("html");
    assert!(page.contains(">政策解读</a> <small class=\"muted\">(1)</small>"), "{page}");
}

#[tokio::test]
async fn the_warn_mode_approves_and_records_the_warning() {
    let app = TestApp::spawn_roomy().await;
    let csrf = app.login("qj-admin").await;
    let res = app
        .post_form(
            "/admin/site",
            &[
                ("csrf", &csrf),
                ("site_name", "黔江区政府信息公开平台"),
                ("interpretation_genres", "行政规范性文件\n规章"),
                ("interpretation_gate", "warn"),
                ("interpretation_days", "5"),
                ("interview_answer_days", "5"),
                ("press_government", "12"),
                ("press_government_principal", "1"),
                ("press_department", "2"),
                ("press_department_principal", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let editor = app.token_for("editor").await;
    let policy = item(&app, &editor, "黔江区河道管理办法", "规章").await;
    app.post_empty(&format!("/api/v1/items/{policy}/submit"), &editor).await;
    review(&app, policy).await;
    assert_eq!(approve(&app, policy).await.status(), 200);
    app.login("approver").await;
    let page = app.get(&format!("/admin/items/{policy}")).await.text().await.expect("html");
    assert!(page.contains("审批时尚未报送政策解读"), "{page}");
    // An editor's mark overrides the genre: 无须解读 needs its reason.
    let csrf = app.login("editor").await;
    let path = format!("/admin/items/{policy}/interpretation-need");
    assert_eq!(app.post_form(&path, &[("csrf", &csrf), ("needed", "no")]).await.status(), 422);
    assert_eq!(
        app.post_form(&path, &[("csrf", &csrf), ("needed", "no"), ("note", "内部管理规定，不涉及公众")]).await.status(),
        303
    );
    let page = app.get(&format!("/admin/items/{policy}")).await.text().await.expect("html");
    assert!(page.contains("本文件目前不要求同步解读"), "{page}");
}

#[tokio::test]
async fn a_concern_is_answered_within_hours_and_the_response_is_public() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-04");
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("lookup").expect("org");
    let admin = app.token_for("qj-admin").await;
    let res = app
        .post_json(
            "/api/v1/concerns",
            Some(&admin),
            &json!({ "source": "weibo", "source_detail": "微博话题 #黔江停水#", "first_seen_at": "2026-12-04 09:30",
                "topic": "城区部分小区突发停水", "severity": "major", "in_charge_org": office.id }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.expect("json");
    let id = c["id"].as_i64().expect("id");
    assert_eq!(c["org_name"], "重庆市黔江区人民政府办公室");
    assert_eq!(c["clocks"].as_array().map(Vec::len), Some(2), "5 hours and 24 hours");
    assert_eq!(c["clocks"][0]["due_at"], "2026-12-04 14:30");
    assert_eq!(c["clocks"][0]["left"], "剩余 4 小时 30 分");
    let bad = app
        .post_json(
            "/api/v1/concerns",
            Some(&admin),
            &json!({ "source": "weibo", "first_seen_at": "2026-12-05 09:30", "topic": "x", "severity": "general" }),
        )
        .await;
    assert_eq!(bad.status(), 422, "not first seen in the future");
    let stranger = app.token_for("wj-admin").await;
    assert_eq!(app.get_with_token(&format!("/api/v1/concerns/{id}"), &stranger).await.status(), 403);

    // The response is an item that went through review and approval.
    let editor = app.token_for("editor").await;
    let draft = item(&app, &editor, "关于城区部分小区临时停水的情况通报", "通报").await;
    let step = |target: i64| json!({ "step": "respond", "kind": "item", "target_id": target, "note": "" });
    let res = app.post_json(&format!("/api/v1/concerns/{id}/steps"), Some(&editor), &step(draft)).await;
    assert_eq!(res.status(), 422, "a draft is not a public response");
    let (published, res) = app
        .publish_item(
            &json!({ "title": "关于城区部分小区临时停水的情况通报", "disclosure_attr": "proactive",
                "body": "<p>12月4日9时许，城区供水管网爆管，抢修已于13时完成。</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let target = published["id"].as_i64().expect("id");
    let res = app.post_json(&format!("/api/v1/concerns/{id}/steps"), Some(&editor), &step(target)).await;
    assert_eq!(res.status(), 200);
    let c: Value = res.json().await.expect("json");
    assert_eq!(c["stage"], "responded");
    assert_eq!(
        (c["clocks"][0]["met_at"].as_str(), c["clocks"][0]["in_time"].as_bool()),
        (Some("2026-12-04 10:00"), Some(true))
    );
    assert!(c["clocks"][1]["met_at"].is_null(), "the press conference is still owed");

    let page = app.get("/responses").await.text().await.expect("html");
    assert!(page.contains("城区部分小区突发停水") && page.contains(&format!("<a href=\"/items/{target}\">")), "{page}");
    let office_page = app.get(&format!("/responses?org={QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(office_page.contains("城区部分小区突发停水"));
    app.index_now().await;
    let hits = app.get("/api/v1/search?q=停水").await.json::<Value>().await.expect("json");
    assert_eq!(hits["hits"][0]["id"], target, "{hits}");

    let res = app
        .post_json(
            &format!("/api/v1/concerns/{id}/steps"),
            Some(&editor),
            &json!({ "step": "evaluate", "note": "回应及时，舆情平稳。", "adopted": "采纳网民建议，增设临时送水点 3 处。" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = app.get("/responses").await.text().await.expect("html");
    assert!(page.contains("增设临时送水点 3 处"));
    let res = app.post_json(&format!("/api/v1/concerns/{id}/steps"), Some(&editor), &step(target)).await;
    assert_eq!(res.status(), 409, "closed");
    // Supervision by severity: answered, but the press conference was never held.
    app.login("qj-admin").await;
    let supervision = app.get("/admin/supervision").await.text().await.expect("html");
    assert!(
        supervision.contains("<td>重大</td><td class=\"num\"><a href=\"/admin/concerns?severity=major\">1</a></td><td class=\"num\">1</td><td class=\"num\">0</td>"),
        "{supervision}"
    );
    // Each figure drills down to its records.
    let major = app.get("/admin/concerns?severity=major").await.text().await.expect("html");
    assert!(major.contains("城区部分小区突发停水") && major.contains("显示全部"), "{major}");
    let general = app.get("/admin/concerns?severity=general").await.text().await.expect("html");
    assert!(!general.contains("城区部分小区突发停水"));
    assert!(supervision.contains(&format!("<a href=\"/admin/concerns?org={}\">1</a>", office.id)), "{supervision}");
    let other = app.get(&format!("/admin/concerns?org={}", office.id + 100)).await.text().await.expect("html");
    assert!(other.contains("暂无舆情"));

    // A general concern first seen on Friday morning is overdue on Sunday morning: the
    // 48 hours run through the weekend.
    let res = app
        .post_json(
            "/api/v1/concerns",
            Some(&admin),
            &json!({ "source": "hotline_12345", "first_seen_at": "2026-12-04 09:00", "topic": "学校周边道路拥堵",
                "severity": "general", "in_charge_org": office.id }),
        )
        .await;
    assert_eq!(res.status(), 201);
    app.set_today("2026-12-06");
    let editor = app.token_for("editor").await;
    let open =
        app.get_with_token("/api/v1/concerns?open=true", &editor).await.json::<Vec<Value>>().await.expect("json");
    let late = open.iter().find(|c| c["topic"] == "学校周边道路拥堵").expect("listed");
    assert_eq!((late["urgency"].as_str(), late["clocks"][0]["left"].as_str()), (Some("overdue"), Some("超时 1 小时")));
    let csrf = app.login("editor").await;
    assert!(app.get("/admin").await.text().await.expect("html").contains("舆情：回应已超时"));

    // The console's form: each missing field named, what was typed kept; then logged.
    let office_id = office.id.to_string();
    let res = app
        .post_form(
            "/admin/concerns",
            &[
                ("csrf", &csrf),
                ("topic", ""),
                ("source", "forum"),
                ("first_seen_at", "2026-12-06T08:15"),
                ("severity", ""),
                ("in_charge_org", &office_id),
                ("local_org", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"topic-err\"") && html.contains("id=\"severity-err\""), "{html}");
    assert!(html.contains("value=\"forum\" selected") && html.contains(&format!("value=\"{office_id}\" selected")));
    let res = app
        .post_form(
            "/admin/concerns",
            &[
                ("csrf", &csrf),
                ("topic", "菜市场改造期间摊位安置"),
                ("source", "forum"),
                ("first_seen_at", "2026-12-06T08:15"),
                ("severity", "general"),
                ("in_charge_org", &office_id),
                ("local_org", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app.get("/admin/concerns").await.text().await.expect("html");
    assert!(page.contains("菜市场改造期间摊位安置") && page.contains("剩余 46 小时 15 分"), "{page}");
}

#[tokio::test]
async fn interview_questions_are_masked_and_answered_live_or_in_writing() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-01");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/press-conferences",
            Some(&editor),
            &json!({ "kind": "interview", "title": "城市停车管理政策在线访谈", "starts_at": "2026-12-10 09:00",
                "place": "区政府门户网站", "summary": "区城市管理局负责同志解读停车新规。" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let question = json!({ "name": "张三", "phone": "13800000000", "subject": "老旧小区停车位",
        "text": "我的身份证号是500114199001011234，家住城西，请问老旧小区能否增设停车位？", "consent": true });
    let res = app.post_json(&format!("/api/v1/interviews/{id}/questions"), None, &question).await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    // The written answer is due 5 working days after the interview day.
    assert_eq!(filed["due_on"], "2026-12-17");
    // The portal form: no account, CSRF and honeypot.
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(page.contains("向访谈嘉宾提问"));
    let csrf = csrf_in(&page);
    let res = app
        .post_form(
            &format!("/interviews/{id}/questions"),
            &[
                ("csrf", &csrf),
                ("key", "k-1"),
                ("name", "李四"),
                ("phone", "13900000000"),
                ("subject", "收费标准"),
                ("text", "路内停车收费标准何时公布？"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("提问已收到"));
    let res = app
        .post_form(&format!("/interviews/{id}/questions"), &[("csrf", &csrf), ("key", "k-2"), ("name", "王五")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("class=\"field-error\""));

    // Held: the record goes out and the first question is marked answered live.
    app.set_today("2026-12-10");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            &format!("/api/v1/press-conferences/{id}/record"),
            Some(&editor),
            &json!({ "speakers": "刘强 区城市管理局局长 *", "transcript": "主持人：欢迎各位网友……" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let letters = app.store.interview_questions(id).await.expect("questions");
    assert_eq!(letters.len(), 2);
    let csrf = app.login("letters").await;
    let res = app
        .post_form(
            &format!("/admin/press/{id}"),
            &[("csrf", &csrf), ("action", "live"), ("letter", &letters[0].id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    let console = app.get(&format!("/admin/press/{id}")).await.text().await.expect("html");
    assert!(console.contains("2026-12-17"), "the second question's written answer is due");

    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(page.contains("老旧小区停车位") && page.contains("现场答复") && page.contains("张*"), "{page}");
    assert!(!page.contains("500114199001011234") && !page.contains("13800000000"), "no personal data: {page}");
    assert!(!page.contains("向访谈嘉宾提问"), "no more questions once held");
    let api = app.get(&format!("/api/v1/interviews/{id}")).await.text().await.expect("json");
    assert!(!api.contains("500114199001011234"));
}

#[tokio::test]
async fn press_conferences_count_against_the_yearly_targets() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-01");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/press-conferences",
            Some(&editor),
            &json!({ "kind": "conference", "title": "2026年前三季度经济运行情况新闻发布会", "starts_at": "2026-12-01 09:30" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let before = app.get("/api/v1/press-conferences").await.json::<Value>().await.expect("json");
    let office = |v: &Value| {
        v["progress"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|p| p["org_code"] == QIANJIANG_OFFICE)
            .cloned()
            .expect("office")
    };
    assert_eq!((office(&before)["held"].as_i64(), office(&before)["target"].as_i64()), (Some(0), Some(2)));
    let record = json!({ "speakers": "王明 区人民政府办公室主任 *\n李华 区统计局局长", "transcript": "王明：各位记者朋友……",
        "video_url": "javascript:alert(1)" });
    let res = app.post_json(&format!("/api/v1/press-conferences/{id}/record"), Some(&editor), &record).await;
    assert_eq!(res.status(), 422, "a video link is a web address");
    let mut record = record;
    record["video_url"] = json!("https://www.qianjiang.gov.cn/video/2026-12-01.mp4");
    let res = app.post_json(&format!("/api/v1/press-conferences/{id}/record"), Some(&editor), &record).await;
    assert_eq!(res.status(), 200);
    let after = app.get("/api/v1/press-conferences").await.json::<Value>().await.expect("json");
    assert_eq!((office(&after)["held"].as_i64(), office(&after)["principal"].as_i64()), (Some(1), Some(1)));
    let page = app.get(&format!("/press/{id}")).await.text().await.expect("html");
    assert!(page.contains("王明 区人民政府办公室主任（主要负责同志）") && page.contains("文字实录"), "{page}");
    let list = app.get("/press").await.text().await.expect("html");
    assert!(list.contains("新闻发布完成情况") && list.contains("未完成"), "{list}");
    // The console's form keeps what was typed when the time is missing.
    let csrf = app.login("editor").await;
    let res = app
        .post_form(
            "/admin/press",
            &[("csrf", &csrf), ("kind", "briefing"), ("title", "冬季供暖政策吹风会"), ("starts_at", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"starts_at-err\"") && html.contains("value=\"冬季供暖政策吹风会\""), "{html}");
    let res = app
        .post_form(
            "/admin/press",
            &[
                ("csrf", &csrf),
                ("kind", "briefing"),
                ("title", "冬季供暖政策吹风会"),
                ("starts_at", "2026-12-20T10:00"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Supervision's press figure drills down to the org's events.
    app.login("qj-admin").await;
    let org = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("lookup").expect("org");
    let supervision = app.get("/admin/supervision").await.text().await.expect("html");
    assert!(supervision.contains(&format!("<a href=\"/admin/press?org={}\">1 / 2</a>", org.id)), "{supervision}");
    let drill = app.get(&format!("/admin/press?org={}", org.id)).await.text().await.expect("html");
    assert!(drill.contains("2026年前三季度经济运行情况新闻发布会") && drill.contains("显示全部"), "{drill}");
    assert_eq!(app.get(&format!("/interviews/{id}")).await.status(), 404, "a conference is not an interview");
}

/// The yearly interview plan: typed one line a month, refused with the line named; each line
/// is fulfilled by an interview held in its month, shown on the portal, in the console and
/// against the org's progress.
#[tokio::test]
async fn an_interview_plan_is_followed_and_the_interview_shows_its_photos() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-02");
    let editor = app.token_for("editor").await;
    let handler = app.token_for("handler").await;
    let put = |token: String, year: i32, body: Value| {
        let app = &app;
        async move {
            app.client
                .put(app.url(&format!("/api/v1/interviews/plans/{year}")))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("send")
        }
    };
    let plan = json!({ "text": "9月｜秋季学期教育惠民政策｜区教委\n11月｜城市停车管理｜区城市管理局局长\n12月｜民生实事项目征集" });
    assert_eq!(put(handler.clone(), 2026, plan.clone()).await.status(), 403);
    let res = put(editor.clone(), 2026, json!({ "text": "13月｜x" })).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        (body["code"].as_str(), body["message"].as_str()),
        (Some("invalid_plan"), Some("访谈计划第 1 行：月份须为 1 至 12"))
    );
    assert_eq!(put(editor.clone(), 2030, plan.clone()).await.status(), 422, "too far ahead");
    assert_eq!(put(editor.clone(), 2026, plan).await.status(), 204);

    // An interview held in November fulfils the November line.
    let res = app
        .post_json(
            "/api/v1/press-conferences",
            Some(&editor),
            &json!({ "kind": "interview", "title": "城市停车管理在线访谈", "starts_at": "2026-11-20 09:00", "place": "门户网站" }),
        )
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    app.set_today("2026-11-20");
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            &format!("/api/v1/press-conferences/{id}/record"),
            Some(&editor),
            &json!({ "speakers": "刘强 区城市管理局局长", "transcript": "主持人：欢迎各位网友……" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let plans: Value = app
        .get(&format!("/api/v1/interviews/plans?year=2026&org={QIANJIANG_OFFICE}"))
        .await
        .json()
        .await
        .expect("json");
    let lines = plans[0]["lines"].as_array().expect("lines");
    let status: Vec<&str> = lines.iter().filter_map(|l| l["status"].as_str()).collect();
    assert_eq!(status, ["missed", "held", "upcoming"]);
    assert_eq!(lines[1]["interview_id"].as_i64(), Some(id));
    assert_eq!((plans[0]["held"].as_i64(), plans[0]["planned"].as_i64()), (Some(1), Some(3)));
    let none: Value = app.get(&format!("/api/v1/interviews/plans?org={WUJIN}")).await.json().await.expect("json");
    assert_eq!(none, json!([]));

    let page = app.get(&format!("/interviews?org={QIANJIANG_OFFICE}")).await.text().await.expect("html");
    assert!(
        page.contains("2026 年在线访谈计划")
            && page.contains("未按计划举办")
            && page.contains(&format!("/interviews/{id}\">已举办"))
    );
    app.login("editor").await;
    let console = app.get("/admin/press").await.text().await.expect("html");
    assert!(console.contains("已按计划举办 1 / 3 场") && console.contains("11月｜城市停车管理｜区城市管理局局长"));
    let index: Value = app.get("/api/v1/press-conferences").await.json().await.expect("json");
    let rows = index["progress"].as_array().expect("progress");
    assert!(rows.iter().any(|r| r["interviews"] == 1 && r["interviews_planned"] == 3), "{index}");

    // Photos of the held interview: an image told by its content, with a caption.
    let handler = app.token_for("handler").await;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let upload = |token: String, caption: &'static str, bytes: Vec<u8>| {
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new()
                .text("caption", caption)
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("photo.png"));
            app.client
                .post(app.url(&format!("/api/v1/press-conferences/{id}/photos")))
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .expect("send")
        }
    };
    assert_eq!(upload(handler.clone(), "访谈现场", png.clone()).await.status(), 403);
    let res = upload(editor.clone(), "", png.clone()).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "caption_required");
    let res = upload(editor.clone(), "访谈现场", b"not an image".to_vec()).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "not_a_photo");
    let res = upload(editor.clone(), "刘强局长在线回答网友提问", png.clone()).await;
    assert_eq!(res.status(), 201);
    let view: Value = res.json().await.expect("json");
    let url = view["photos"][0]["url"].as_str().expect("url").to_string();
    let res = app.get(&url).await;
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), png);
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(page.contains(&format!("<img src=\"{url}\" alt=\"刘强局长在线回答网友提问\"")), "{page}");
    let photo = view["photos"][0]["id"].as_i64().expect("id");
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/press-conferences/{id}/photos/{photo}")))
        .bearer_auth(&editor)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 204);
    assert_eq!(app.get(&url).await.status(), 404);
}
