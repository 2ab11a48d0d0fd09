//! Requests as records: notices frozen when issued with their 文号, sign-off before a
//! refusal goes out, the handler's page offering only the steps allowed now, released files
//! for the applicant, 送达 records, and letters registered in the console.

use crate::attachments::docx;
use crate::common;

use common::{QIANJIANG_OFFICE, TestApp};
use serde_json::{Value, json};

fn filing(name: &str) -> Value {
    json!({ "applicant_type": "natural_person", "name": name, "id_type": "居民身份证", "id_number": "11010519491231002X",
            "phone": "13800000000", "email": "zhang@example.com", "address": "重庆市黔江区城西街道新华大道东段 88 号",
            "postcode": "409000", "description": "2025年黔江区城市道路改造项目的立项批复文件", "org": QIANJIANG_OFFICE, "form": "电子邮件" })
}

async fn file(app: &TestApp, name: &str) -> (String, String) {
    let res = app.post_json("/api/v1/requests", None, &filing(name)).await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.expect("json");
    (filed["tracking_no"].as_str().expect("no").to_string(), filed["query_code"].as_str().expect("code").to_string())
}

async fn staff_view(app: &TestApp, token: &str, tracking: &str) -> Value {
    app.get_with_token(&format!("/api/v1/requests/{tracking}"), token).await.json().await.expect("json")
}

async fn notice(app: &TestApp, token: &str, tracking: &str, kind: &str, seq: Option<i64>) -> String {
    let q = seq.map(|s| format!("?seq={s}")).unwrap_or_default();
    let res = app.get_with_token(&format!("/api/v1/requests/{tracking}/notices/{kind}{q}"), token).await;
    assert_eq!(res.status(), 200, "{kind}");
    res.text().await.expect("html")
}

fn doc_nos(view: &Value) -> Vec<(String, String)> {
    view["staff"]["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| (n["kind"].as_str().expect("kind").to_string(), n["doc_no"].as_str().expect("no").to_string()))
        .collect()
}

#[tokio::test]
async fn issued_notices_are_frozen_with_their_numbers_and_later_steps_issue_new_ones() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-10");
    // The office sets its numbering as the district numbers its documents.
    let csrf = app.login("qj-admin").await;
    let contact = format!("/admin/orgs/{QIANJIANG_OFFICE}/contact");
    let res = app
        .post_form(&contact, &[("csrf", &csrf), ("contact", "政务公开科"), ("notice_no_pattern", "黔江府办〔{号}〕")])
        .await;
    assert_eq!(res.status(), 422, "a pattern without the year is refused");
    assert!(res.text().await.expect("html").contains("文号格式须包含 {年} 和 {号}"));
    let res = app
        .post_form(
            &contact,
            &[("csrf", &csrf), ("contact", "政务公开科"), ("notice_no_pattern", "黔江府办信公开〔{年}〕{号}号")],
        )
        .await;
    assert_eq!(res.status(), 303);

    let (tracking, _) = file(&app, "张三").await;
    let handler = app.token_for("handler").await;
    let view = staff_view(&app, &handler, &tracking).await;
    assert_eq!(doc_nos(&view), [("acknowledgement".to_string(), "黔江府办信公开〔2026〕1号".to_string())]);
    assert_eq!(view["staff"]["notices"][0]["issued_on"], "2026-11-10");
    let ack = notice(&app, &handler, &tracking, "acknowledgement", None).await;
    assert!(ack.contains("黔江府办信公开〔2026〕1号") && ack.contains("2026年12月8日前"), "{ack}");

    // An extension after the receipt is a new notice; the receipt keeps the date it promised.
    app.set_today("2026-11-16");
    let (handler, approver) = (app.token_for("handler").await, app.token_for("approver").await);
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/extend"),
            Some(&approver),
            &json!({ "days": 10, "comment": "需调取 2025 年档案" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/extend"),
            Some(&approver),
            &json!({ "days": 5, "comment": "需征询住建委" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        notice(&app, &handler, &tracking, "acknowledgement", None).await,
        ack,
        "byte-identical after later steps"
    );
    let first = notice(&app, &handler, &tracking, "extension", Some(1)).await;
    let second = notice(&app, &handler, &tracking, "extension", None).await;
    assert!(first.contains("黔江府办信公开〔2026〕2号") && first.contains("需调取 2025 年档案"), "{first}");
    assert!(second.contains("黔江府办信公开〔2026〕3号") && second.contains("需征询住建委"), "{second}");
    assert!(!first.contains("需征询住建委"), "the first extension notice is not rewritten by the second");

    // Numbers run per org and year.
    let (other, _) = file(&app, "李四").await;
    assert_eq!(doc_nos(&staff_view(&app, &handler, &other).await)[0].1, "黔江府办信公开〔2026〕4号");
    app.set_today("2027-01-05");
    let handler = app.token_for("handler").await;
    let (next_year, _) = file(&app, "王五").await;
    assert_eq!(doc_nos(&staff_view(&app, &handler, &next_year).await)[0].1, "黔江府办信公开〔2027〕1号");
    let missing = app.get_with_token(&format!("/api/v1/requests/{other}/notices/reply"), &handler).await;
    assert_eq!(missing.status(), 404, "no reply yet, no reply notice");
}

fn pos(html: &str, needle: &str) -> Option<usize> {
    html.find(needle)
}

#[tokio::test]
async fn a_refusal_is_signed_off_by_an_approver_and_the_page_offers_only_the_steps_allowed_now() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-20");
    let (tracking, code) = file(&app, "张三").await;
    let page_url = format!("/admin/requests/{tracking}");
    let step = |s: &str| format!("/admin/requests/{tracking}/steps/{s}");

    let csrf = app.login("handler").await;
    let html = app.get(&page_url).await.text().await.expect("html");
    let (accept, reply) = (pos(&html, &step("accept")), pos(&html, &step("reply")));
    assert!(accept.is_some() && reply.is_some() && accept < reply, "受理 is offered first");
    for absent in ["extend", "sign", "return", "clarified", "fee-paid", "close"] {
        assert!(pos(&html, &step(absent)).is_none(), "{absent} is not allowed now");
    }
    assert!(html.contains("张三") && !html.contains("已遮盖"), "the handler sees the applicant");
    assert_eq!(app.post_form(&step("accept"), &[("csrf", &csrf)]).await.status(), 303);
    let html = app.get(&page_url).await.text().await.expect("html");
    assert!(pos(&html, &step("accept")).is_none(), "accepted once");
    assert!(pos(&html, &step("reply")) < pos(&html, &step("consult")), "答复 comes first once accepted");

    let res = app
        .post_form(
            &step("reply"),
            &[("csrf", &csrf), ("outcome", "withheld.third_party"), ("reason", "涉及第三方商业秘密，第三方不同意公开")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = app.get(&page_url).await.text().await.expect("html");
    assert!(html.contains("拟办答复（待审批）") && html.contains("待审批"));
    assert!(pos(&html, &step("reply")).is_none() && pos(&html, &step("sign")).is_none(), "the handler waits");
    let status =
        app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await.text().await.expect("html");
    assert!(!status.contains("不予公开") && !status.contains("拟办"), "nothing reached the applicant yet");

    let csrf = app.login("approver").await;
    let html = app.get(&page_url).await.text().await.expect("html");
    assert!(pos(&html, &step("sign")) < pos(&html, &step("return")), "签批 first");
    assert!(html.contains("张*") && html.contains("已遮盖") && !html.contains("张三"), "masked for the approver");
    assert!(!html.contains("11010519491231002X") && html.contains("110105********002X"));
    assert_eq!(app.post_form(&step("sign"), &[("csrf", &csrf)]).await.status(), 303);
    let html = app.get(&page_url).await.text().await.expect("html");
    assert!(html.contains("签批答复") || html.contains("已答复"));
    assert!(pos(&html, &step("sign")).is_none());
    let status =
        app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await.text().await.expect("html");
    assert!(status.contains("不予公开") && status.contains("理由和依据见答复告知书"), "{status}");
    let handler = app.token_for("handler").await;
    let reply = notice(&app, &handler, &tracking, "reply", None).await;
    assert!(reply.contains("涉及第三方商业秘密") && !reply.contains("approver"), "who signed stays internal");
    let timeline = staff_view(&app, &handler, &tracking).await["timeline"].clone();
    let by: Vec<(&str, &str)> = timeline
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| (e["step"].as_str().expect("step"), e["by"].as_str().unwrap_or("")))
        .collect();
    assert!(by.contains(&("reply.propose", "handler")) && by.contains(&("reply.sign", "approver")), "{by:?}");
    assert_eq!(by[0], ("file", ""), "an online filing names no one (never the word system)");
    // Each unmasked view is in the audit trail; the approver's masked ones are not.
    let views: Vec<String> = app
        .store
        .recent_audit(Some(("request", &tracking)), 200)
        .await
        .expect("audit")
        .into_iter()
        .filter(|a| a.action == "request.applicant_view")
        .map(|a| a.actor)
        .collect();
    assert!(views.len() >= 3 && views.iter().all(|a| a == "handler"), "{views:?}");
}

#[tokio::test]
async fn released_files_reach_the_applicant_with_the_query_code_and_delivery_is_recorded() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-20");
    let (tracking, code) = file(&app, "张三").await;
    let csrf = app.login("handler").await;
    let upload = |csrf: &str, bytes: Vec<u8>, confirm: bool| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("立项批复.docx"));
        if confirm {
            form = form.text("confirm_privacy", "1");
        }
        app.client.post(app.url(&format!("/admin/requests/{tracking}/files"))).multipart(form).send()
    };
    let with_id = docx("经办人 李某，身份证号 11010519491231002X");
    let res = upload(&csrf, with_id.clone(), false).await.expect("send");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("文件中发现 1 处个人信息（身份证号码）"));
    let res = upload(&csrf, with_id.clone(), true).await.expect("send");
    assert_eq!(res.status(), 303, "kept once the handler confirms");
    let handler = app.token_for("handler").await;
    let view = staff_view(&app, &handler, &tracking).await;
    let id = view["files"][0]["id"].as_i64().expect("file id");
    let download = format!("/requests/{tracking}/files/{id}?code={code}");
    assert_eq!(app.get(&download).await.status(), 404, "nothing for the applicant before the reply");

    let step = format!("/admin/requests/{tracking}/steps/reply");
    let res = app.post_form(&step, &[("csrf", &csrf), ("outcome", "disclosed"), ("reason", "")]).await;
    assert_eq!(res.status(), 303, "予以公开 goes out without sign-off");
    let res = app.get(&download).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), with_id);
    let wrong = app.get(&format!("/requests/{tracking}/files/{id}?code=AAAAAAAA")).await;
    assert_eq!(wrong.status(), 404);
    let status =
        app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await.text().await.expect("html");
    assert!(status.contains("立项批复.docx") && status.contains(&download.replace('&', "&amp;")), "{status}");

    let deliveries = format!("/admin/requests/{tracking}/deliveries");
    let res = app.post_form(&deliveries, &[("csrf", &csrf), ("method", "post"), ("delivered_on", "2026-11-20")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("邮寄须填写邮寄单号"));
    let res = app
        .post_form(
            &deliveries,
            &[("csrf", &csrf), ("method", "post"), ("delivered_on", "2026-11-19"), ("proof", "EMS 1100000000000")],
        )
        .await;
    assert_eq!(res.status(), 422, "not before the reply");
    let res = app
        .post_form(
            &deliveries,
            &[("csrf", &csrf), ("method", "post"), ("delivered_on", "2026-11-20"), ("proof", "EMS 1100000000000")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let view = staff_view(&app, &handler, &tracking).await;
    assert_eq!(view["staff"]["deliveries"][0]["method_label"], "邮寄");
    assert_eq!(view["staff"]["deliveries"][0]["proof"], "EMS 1100000000000");
    let html = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    assert!(html.contains("EMS 1100000000000") && html.contains("handler 登记"));

    // The same over the API.
    let api_file = format!("/api/v1/requests/{tracking}/files");
    let part = reqwest::multipart::Part::bytes(docx("补充说明")).file_name("补充说明.docx");
    let res = app
        .client
        .post(app.url(&api_file))
        .bearer_auth(&handler)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    let added: Value = res.json().await.expect("json");
    let url = format!("{api_file}/{}", added["id"]);
    assert_eq!(app.get_with_token(&url, &handler).await.status(), 200);
    let res = app.client.delete(app.url(&url)).bearer_auth(&handler).send().await.expect("delete");
    assert_eq!(res.status(), 204);
    assert_eq!(app.get_with_token(&url, &handler).await.status(), 404, "removed from the reply");
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/deliveries"),
            Some(&handler),
            &json!({ "method": "online", "delivered_on": "2026-11-20" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.expect("json")["method_label"], "平台在线获取");
    let approver = app.token_for("approver").await;
    let res = app
        .post_json(&format!("/api/v1/requests/{tracking}/deliveries"), Some(&approver), &json!({ "method": "online" }))
        .await;
    assert_eq!(res.status(), 403, "only the org's request handlers record deliveries");
}

#[tokio::test]
async fn a_letter_is_registered_in_the_console_with_its_article_31_receipt_date() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-20");
    let csrf = app.login("handler").await;
    let page = app.get("/admin/requests/record").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("签收日期（邮寄）"));
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("channel", "registered_post"),
        ("applicant_type", "natural_person"),
        ("name", "王五"),
        ("id_type", "护照"),
        ("id_number", "E12345678"),
        ("address", "重庆市黔江区某路 1 号"),
        ("postcode", "4090"),
        ("description", "某项目的立项批复文件"),
        ("form", "纸质"),
    ];
    let res = app.post_form("/admin/requests/record", &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("签收") && html.contains("王五"), "the refusal keeps what was typed");
    form.push(("signed_on", "2026-11-18"));
    let res = app.post_form("/admin/requests/record", &form).await;
    assert_eq!(res.status(), 422, "a five-digit postcode");
    form.retain(|(k, _)| *k != "postcode");
    form.push(("postcode", "409000"));
    let res = app.post_form("/admin/requests/record", &form).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    let html = app.get(&location).await.text().await.expect("html");
    assert!(html.contains("2026-11-18") && html.contains("邮寄（需签收）"), "{html}");
}

#[tokio::test]
async fn a_search_that_finds_nothing_offers_the_request_form_and_a_clarification_pauses_the_deadline() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-11-20");
    let html = app
        .get("/search?q=%E5%9C%9F%E5%9C%B0%E5%BE%81%E6%94%B6%E8%A1%A5%E5%81%BF%E6%A0%87%E5%87%86")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("没有找到？可申请公开"), "{html}");
    let link = "/requests/new?description=%E5%9C%9F%E5%9C%B0%E5%BE%81%E6%94%B6%E8%A1%A5%E5%81%BF%E6%A0%87%E5%87%86";
    assert!(html.contains(link), "the link carries the words searched for");
    let form = app.get(link).await.text().await.expect("html");
    assert!(form.contains(">土地征收补偿标准</textarea>"), "the form opens with them filled in");
    assert!(form.contains("个人信息保护说明") && form.contains("name=\"postcode\""));

    let (tracking, code) = file(&app, "张三").await;
    let handler = app.token_for("handler").await;
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/clarify"),
            Some(&handler),
            &json!({ "comment": "请说明项目名称" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let status =
        app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await.text().await.expect("html");
    assert!(status.contains("暂停计算") && status.contains("自收到补正材料之日起重新计算答复期限"), "{status}");
    assert!(!status.contains("2026-12-18"), "the old deadline is not shown while 待补正");
}
