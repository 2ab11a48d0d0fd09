//! 转载: a policy republished from a higher level keeps its source. The editor types it in
//! the console (a wrong address shown next to its field), the public page names it and links
//! to the original, the API carries it, an edit of the source waits for publication like any
//! other change, and the 20 working days of article 26 do not run for another org's text.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const URL: &str = "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm";

#[tokio::test]
async fn a_republished_policy_names_its_source_and_links_to_the_original() {
    let app = TestApp::spawn_roomy().await;
    let csrf = app.login("editor").await;
    let form = |url: &'static str| {
        vec![
            ("title", "中华人民共和国政府信息公开条例"),
            ("issuer_name", "国务院"),
            ("topic", "综合政务"),
            ("genre", "法律法规"),
            ("written_on", "2019-04-03"),
            ("body", "第一条 为了保障公民、法人和其他组织依法获取政府信息，制定本条例。"),
            ("disclosure_attr", "proactive"),
            ("reprinted_from", "中国政府网"),
            ("reprint_url", url),
        ]
    };

    // An address that is not on the web is refused next to its field, the rest kept.
    let mut fields = form("javascript:alert(1)");
    fields.push(("csrf", &csrf));
    let res = app.post_form("/admin/items/new", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("<span id=\"reprint_url-err\" class=\"field-error\">原文地址应以 http:// 或 https:// 开头"),
        "{html}"
    );
    assert!(html.contains("value=\"中国政府网\""), "the source typed is kept");
    // An address without a source is refused too.
    let mut fields = form(URL);
    fields.retain(|(k, _)| *k != "reprinted_from");
    fields.push(("csrf", &csrf));
    let res = app.post_form("/admin/items/new", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("<span id=\"reprinted_from-err\" class=\"field-error\">"));

    let mut fields = form(URL);
    fields.push(("csrf", &csrf));
    let res = app.post_form("/admin/items/new", &fields).await;
    assert_eq!(res.status(), 303);
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let id: i64 = path.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let html = app.get(&path).await.text().await.expect("html");
    assert!(
        html.contains("id=\"reprinted_from\" name=\"reprinted_from\"") && html.contains(&format!("value=\"{URL}\""))
    );

    let res = app.through_review(id, &json!({})).await;
    assert_eq!(res.status(), 200);
    let page = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(page.contains("<th scope=\"row\">转载来源</th><td colspan=\"3\">中国政府网"), "{page}");
    assert!(page.contains(&format!("<a href=\"{URL}\" rel=\"noopener noreferrer nofollow\">查看原文</a>")));
    assert!(page.contains("<meta name=\"ContentSource\" content=\"中国政府网\">"));
    assert!(page.contains("来源：中国政府网"));
    // Its editor has nothing to do on it here (no privacy finding to mask, withdrawal is the
    // approver's): no empty 办理 panel.
    let html = app.get(&path).await.text().await.expect("html");
    assert!(!html.contains("id=\"act-h\""), "an empty 办理 panel");

    // The API says it, public and staff alike; published seven years after it was written,
    // it is not "late": the 20 working days were the State Council's.
    let public: Value = app.get(&format!("/api/v1/items/{id}")).await.json().await.expect("json");
    assert_eq!((public["reprinted_from"].as_str(), public["reprint_url"].as_str()), (Some("中国政府网"), Some(URL)));
    let token = app.token_for("editor").await;
    let staff: Value = app.get_with_token(&format!("/api/v1/items/{id}"), &token).await.json().await.expect("json");
    assert_eq!(staff["reprinted_from"], "中国政府网");
    assert!(staff.get("late_workdays").is_none_or(Value::is_null), "{staff}");

    // The API refuses a bad address with its code.
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&token),
            &json!({ "title": "转载测试", "reprinted_from": "国务院", "reprint_url": "data:text/html,x" }),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_reprint");

    // A new source is the working copy's until it is published: the public keeps the old.
    let version = staff["version"].as_i64().expect("version").to_string();
    let mut fields = form(URL);
    fields.retain(|(k, _)| *k != "reprinted_from");
    fields.push(("reprinted_from", "国务院办公厅"));
    fields.push(("csrf", &csrf));
    fields.push(("version", &version));
    assert_eq!(app.post_form(&format!("/admin/items/{id}"), &fields).await.status(), 303);
    let page = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(page.contains("来源：中国政府网") && !page.contains("国务院办公厅"), "the published source stands");
    assert_eq!(app.through_review(id, &json!({})).await.status(), 200);
    let page = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(page.contains("来源：国务院办公厅"));

    // An item of the org's own shows no source.
    let own = app.publish_notice("关于做好2027年元旦春节期间有关工作的通知").await;
    let page = app.get(&format!("/items/{own}")).await.text().await.expect("html");
    assert!(!page.contains("转载来源") && !page.contains("来源："));
}
