//! The request pages as a citizen and a handler use them: the form with its errors kept,
//! the confirmation, the status page, the console workspace and the notices.

use crate::common;

use common::{PASSWORD, QIANJIANG_OFFICE, TestApp, csrf_in};

fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).expect("field");
    &html[start..start + html[start..].find('"').expect("end")]
}

#[tokio::test]
async fn a_citizen_files_on_the_form_and_follows_it_and_a_handler_replies() {
    let app = TestApp::spawn().await;
    // Filed on 2026-11-20; steps are dated up to the 25th, so the clock stands at the 27th.
    app.set_today("2026-11-20");
    let form = app.get("/requests/new").await.text().await.expect("html");
    assert!(form.contains("<label for=\"description\">"));
    let csrf = csrf_in(&form);
    let key = field(&form, "key").to_string();

    // Errors come back next to their fields, with what was typed kept.
    let bad = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("applicant_type", "natural_person"),
        ("name", "张三"),
        ("id_type", "居民身份证"),
        ("id_number", "110105194912310021"),
        ("phone", "13800000000"),
        ("description", "黔江区2025年道路改造立项批复"),
        ("org", QIANJIANG_OFFICE),
        ("form", "纸质"),
    ];
    let res = app.post_form("/requests", &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("居民身份证号码有误"));
    assert!(html.contains("黔江区2025年道路改造立项批复"), "the description typed is kept");
    assert!(html.contains("value=\"13800000000\""));

    let mut good = bad.to_vec();
    good[5] = ("id_number", "11010519491231002X");
    let res = app.post_form("/requests", &good).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("申请已提交"));
    let tracking = html
        .split("<dt>申请编号</dt><dd><code>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("tracking")
        .to_string();
    let code =
        html.split("<dt>查询码</dt><dd><code>").nth(1).and_then(|s| s.split('<').next()).expect("code").to_string();
    // A double click (same key) does not file twice.
    let again = app.post_form("/requests", &good).await.text().await.expect("html");
    assert!(again.contains(&tracking));
    app.set_today("2026-11-27");

    // A form posted without the page's token is refused.
    let mut forged = good.clone();
    forged[0] = ("csrf", "forged");
    assert_eq!(app.post_form("/requests", &forged).await.status(), 403);

    let status = app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await;
    assert_eq!(status.status(), 200);
    let html = status.text().await.expect("html");
    assert!(html.contains("<strong>已收到</strong>") && html.contains("收到申请"));
    let wrong = app.get(&format!("/requests/status?tracking_no={tracking}&code=WRONGWRO")).await;
    assert_eq!(wrong.status(), 404);
    assert!(wrong.text().await.expect("html").contains("未找到该申请"));

    // The handler logs in to the console and replies from the request page.
    let page = app.get("/login").await.text().await.expect("html");
    let login_csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "handler"), ("password", PASSWORD), ("csrf", &login_csrf)]).await;
    let ws = app.get("/admin/requests").await.text().await.expect("html");
    assert!(ws.contains(&format!("<a href=\"/admin/requests/{tracking}\">{tracking}</a>")));
    assert!(ws.contains("clock-ok"));
    let detail = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    let staff_csrf = csrf_in(&detail);
    let res = app
        .post_form(
            &format!("/admin/requests/{tracking}/steps/reply"),
            &[("csrf", &staff_csrf), ("outcome", "withheld.internal_affairs"), ("reason", ""), ("on", "2026-11-24")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("须说明理由"));
    // The refused reply keeps what was chosen and typed, with the reason in its form.
    assert!(html.contains("value=\"withheld.internal_affairs\" selected"), "{html}");
    assert!(html.contains("name=\"on\" type=\"date\" value=\"2026-11-24\""));
    let reply_form = html.split("/steps/reply\">").nth(1).and_then(|r| r.split("</form>").next()).expect("reply form");
    assert!(reply_form.contains("class=\"field-error\">") && reply_form.contains("须说明理由"), "{reply_form}");
    let res = app
        .post_form(
            &format!("/admin/requests/{tracking}/steps/reply"),
            &[
                ("csrf", &staff_csrf),
                ("outcome", "withheld.internal_affairs"),
                ("reason", "所申请信息为机关内部人事管理信息"),
                ("on", "2026-11-25"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // A refusal goes out once an approver of the org signs it off, dated the day it is sent.
    let approver_csrf = app.login("approver").await;
    let res = app
        .post_form(&format!("/admin/requests/{tracking}/steps/sign"), &[("csrf", &approver_csrf), ("on", "2026-11-25")])
        .await;
    assert_eq!(res.status(), 303);

    // The reply notice: as a page with the review-first remedy, and as DOCX.
    let notice = app.get(&format!("/admin/requests/{tracking}/notices/reply")).await.text().await.expect("html");
    assert!(notice.contains("政府信息公开申请答复告知书") && notice.contains("2026年11月25日"));
    assert!(notice.contains("应当先自收到本告知书之日起六十日内向重庆市黔江区人民政府申请行政复议"));
    let docx = app.get(&format!("/admin/requests/{tracking}/notices/reply?format=docx")).await;
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let bytes = docx.bytes().await.expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document"), &mut xml).expect("read");
    assert!(xml.contains("应当先自收到本告知书之日起六十日内"));
    // The file says who issued it and when, as a 公文 does.
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").expect("core"), &mut core).expect("read");
    assert!(core.contains("<dc:creator>重庆市黔江区人民政府办公室</dc:creator>"), "{core}");
    assert!(core.contains("2026-11-25T00:00:00Z") && !core.contains("1970"), "{core}");
    assert_eq!(
        app.get(&format!("/admin/requests/{tracking}/notices/extension")).await.status(),
        404,
        "no extension was granted"
    );

    // The applicant reads the same notice with the query code, and nobody without it.
    let public = app.get(&format!("/requests/{tracking}/notice?code={code}")).await;
    assert_eq!(public.status(), 200);
    assert!(public.text().await.expect("html").contains("属于三类内部事务信息"));
    assert_eq!(app.get(&format!("/requests/{tracking}/notice?code=AAAAAAAA")).await.status(), 404);
    let status =
        app.get(&format!("/requests/status?tracking_no={tracking}&code={code}")).await.text().await.expect("html");
    assert!(status.contains("不予公开：属于三类内部事务信息"));
}

#[tokio::test]
async fn a_disclosed_request_is_proposed_for_proactive_publication_and_remedies_are_recorded() {
    let app = TestApp::spawn().await;
    let res = app
        .post_json(
            "/api/v1/requests",
            None,
            &serde_json::json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
                "phone": "13800000000", "email": "zhang@example.com", "address": "重庆市黔江区某路1号", "description": "2025年黔江区城市道路改造项目的立项批复文件",
                "org": QIANJIANG_OFFICE, "form": "电子邮件" }),
        )
        .await;
    let tracking =
        res.json::<serde_json::Value>().await.expect("json")["tracking_no"].as_str().expect("no").to_string();
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "handler"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let html = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    let csrf = csrf_in(&html);
    assert!(!html.contains("建议转为主动公开"), "not before a disclosure");
    let res = app
        .post_form(
            &format!("/admin/requests/{tracking}/steps/reply"),
            &[("csrf", &csrf), ("outcome", "disclosed"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app.post_form(&format!("/admin/requests/{tracking}/propose"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let item = res.headers()["location"].to_str().expect("location").to_string();
    assert!(item.starts_with("/admin/items/"));
    let again = app.post_form(&format!("/admin/requests/{tracking}/propose"), &[("csrf", &csrf)]).await;
    assert_eq!(again.status(), 409, "once per request");

    // Review and litigation records: added pending, then decided.
    let path = format!("/admin/requests/{tracking}/remedies");
    let bad = app.post_form(&path, &[("csrf", &csrf), ("kind", "review"), ("filed_on", "")]).await;
    assert_eq!(bad.status(), 422);
    let res = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("kind", "review"),
                ("body", "重庆市黔江区人民政府"),
                ("filed_on", "2026-11-25"),
                ("result", "pending"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    assert!(html.contains("尚未审结") && html.contains("登记审结"));
    let id =
        html.split("name=\"remedy\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("remedy id").to_string();
    let res = app
        .post_form(&path, &[("csrf", &csrf), ("remedy", &id), ("result", "upheld"), ("decided_on", "2026-12-20")])
        .await;
    assert_eq!(res.status(), 303);
    let html = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    assert!(html.contains("结果维持") && html.contains("2026-12-20 审结"));

    // The editor finds the proposal among the drafts.
    app.post_form("/logout", &[("csrf", &csrf)]).await;
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "editor"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let drafts = app.get("/admin/items?state=draft").await.text().await.expect("html");
    assert!(drafts.contains("2025年黔江区城市道路改造项目的立项批复文件") && drafts.contains(&item));
}

#[tokio::test]
async fn an_orgs_own_notice_text_is_used_below_it_and_keeps_the_remedy() {
    let app = TestApp::spawn().await;
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "qj-admin"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    let html = app.get("/admin/notice-templates").await.text().await.expect("html");
    let csrf = csrf_in(&html);
    let bad = app
        .post_form("/admin/notice-templates", &[("csrf", &csrf), ("kind", "reply"), ("body", "{不存在的占位符}")])
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.expect("html");
    assert!(
        html.contains(">{不存在的占位符}</textarea><span id=\"body-reply-err\" class=\"field-error\">"),
        "kept and named: {html}"
    );
    let text = "{申请人}：\n\n您于{收到日期}提出的申请（{申请编号}）已办结，结果为“{办理结果}”。理由：{说明}";
    let ok = app.post_form("/admin/notice-templates", &[("csrf", &csrf), ("kind", "reply"), ("body", text)]).await;
    assert_eq!(ok.status(), 303);
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let res = app
        .post_json(
            "/api/v1/requests",
            None,
            &serde_json::json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
                "phone": "13800000000", "email": "zhang@example.com", "address": "重庆市黔江区某路1号", "description": "某项目批复",
                "org": QIANJIANG_OFFICE, "form": "电子邮件" }),
        )
        .await;
    let tracking =
        res.json::<serde_json::Value>().await.expect("json")["tracking_no"].as_str().expect("no").to_string();
    let handler = app.token_for("handler").await;
    let res = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/reply"),
            Some(&handler),
            &serde_json::json!({ "outcome": "withheld.process_info", "reason": "属于内部讨论记录" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let approver = app.token_for("approver").await;
    let res =
        app.post_json(&format!("/api/v1/requests/{tracking}/sign"), Some(&approver), &serde_json::json!({})).await;
    assert_eq!(res.status(), 200);
    let notice = app
        .get_with_token(&format!("/api/v1/requests/{tracking}/notices/reply"), &handler)
        .await
        .text()
        .await
        .expect("html");
    assert!(notice.contains("已办结，结果为“属于四类过程性信息”"), "{notice}");
    assert!(notice.contains("应当先自收到本告知书之日起六十日内"), "the remedy stays");
}

/// A request filed as 不确定 lands with the top org, where no one handles requests: the
/// disclosure office sees it waiting to be routed and transfers it by the org's name; the
/// clock goes on and the transfer is on the timeline.
#[tokio::test]
async fn the_office_routes_an_unsure_request_to_the_org_by_name() {
    let app = TestApp::spawn().await;
    let filing = serde_json::json!({
        "org": "", "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证",
        "id_number": "11010519491231002X", "phone": "13800000000", "email": "zhang@example.com",
        "address": "重庆市黔江区某路1号", "description": "2025年黔江区城市道路改造项目的立项批复文件", "form": "电子邮件"
    });
    let filed: serde_json::Value = app.post_json("/api/v1/requests", None, &filing).await.json().await.expect("json");
    let tracking = filed["tracking_no"].as_str().expect("tracking").to_string();
    let due = filed["due_on"].clone();

    let page = app.get("/login").await.text().await.expect("html");
    let csrf = csrf_in(&page);
    app.post_form("/login", &[("username", "qj-admin"), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
    let dashboard = app.get("/admin").await.text().await.expect("html");
    assert!(dashboard.contains("依申请公开：待分办（所在机关无办理人员）"), "the office is told");
    let list = app.get("/admin/requests").await.text().await.expect("html");
    assert!(list.contains("待分办：该机关无依申请办理人员，请转办"));
    let html = app.get(&format!("/admin/requests/{tracking}")).await.text().await.expect("html");
    assert!(
        html.contains("<option value=\"11500114709480021G\">　重庆市黔江区人民政府办公室</option>"),
        "orgs by name"
    );
    let csrf = csrf_in(&html);
    let res = app
        .post_form(
            &format!("/admin/requests/{tracking}/steps/transfer"),
            &[("csrf", &csrf), ("target_org", QIANJIANG_OFFICE), ("reason", "属于区政府办公室职责")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let handler = app.token_for("handler").await;
    let staff: serde_json::Value =
        app.get_with_token(&format!("/api/v1/requests/{tracking}"), &handler).await.json().await.expect("json");
    assert_eq!(staff["org_name"], "重庆市黔江区人民政府办公室");
    assert_eq!(staff["clock"]["due_on"], due, "the clock goes on");
    assert!(staff["timeline"].as_array().expect("timeline").iter().any(|e| e["step"] == "transfer"));
    // The office routes; it does not answer.
    let supervisor = app.token_for("qj-admin").await;
    let res =
        app.post_json(&format!("/api/v1/requests/{tracking}/accept"), Some(&supervisor), &serde_json::json!({})).await;
    assert_eq!(res.status(), 403);
}
