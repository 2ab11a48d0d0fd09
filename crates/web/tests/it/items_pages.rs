//! Items in the console: an editor drafts with the form, sees a privacy finding and masks
//! it, submits; the reviewer and the approver decide on the item page; the approver
//! publishes; an edit of the published item shows its changes; the register lists it all.

use crate::common;

use common::TestApp;

async fn logout(app: &TestApp, csrf: &str) {
    app.post_form("/logout", &[("csrf", csrf)]).await;
}

/// Every wrong field is named next to itself at once, and everything typed is kept.
#[tokio::test]
async fn the_editor_shows_each_error_next_to_its_field() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
    let res = app
        .post_form(
            "/admin/items/new",
            &[
                ("csrf", &csrf),
                ("title", "关于调整部分行政事业性收费标准的通知"),
                ("topic", "不存在的分类"),
                ("written_on", "2026-13-45"),
                ("withhold_review_on", "明年"),
                ("body", "正文保留"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    for (field, message) in [
        ("topic", "主题分类「不存在的分类」不在分类表中"),
        ("written_on", "成文日期「2026-13-45」格式有误"),
        ("withhold_review_on", "复核日期「明年」格式有误"),
    ] {
        assert!(html.contains(&format!("aria-describedby=\"{field}-err\"")), "{field} marked");
        assert!(html.contains(&format!("<span id=\"{field}-err\" class=\"field-error\">{message}")), "{field}: {html}");
    }
    assert!(!html.contains("id=\"title-err\""), "a right field has no error");
    assert!(html.contains("value=\"关于调整部分行政事业性收费标准的通知\"") && html.contains(">正文保留</textarea>"));

    // A withheld item without its ground: the workflow's problems sit next to their fields.
    let res = app
        .post_form(
            "/admin/items/new",
            &[("csrf", &csrf), ("title", "某项目涉密材料"), ("disclosure_attr", "withheld"), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let res = app.post_form(&format!("{path}/act/submit"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(
        html.contains(
            "<span id=\"withhold_reason-err\" class=\"field-error\">不予公开或部分公开须说明理由和法律依据</span>"
        ),
        "{html}"
    );
    assert!(html.contains("<span id=\"withhold_review_on-err\" class=\"field-error\">不予公开须确定复核日期"));
}

#[tokio::test]
async fn an_item_goes_through_the_workflow_in_the_console() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
    let form = |body: &'static str| {
        vec![
            ("title", "关于开展2026年度政务公开培训的通知"),
            ("doc_no", "黔江府办发〔2026〕8号"),
            ("topic", "综合政务"),
            ("genre", "通知"),
            ("written_on", "2026-11-20"),
            ("summary", "培训安排"),
            ("body", body),
            ("disclosure_attr", "proactive"),
        ]
    };
    let mut fields = form("各单位：\n定于12月1日举办培训，联系人电话 13812345678。");
    fields.push(("csrf", "forged"));
    assert_eq!(app.post_form("/admin/items/new", &fields).await.status(), 403);
    let mut fields = form("各单位：\n定于12月1日举办培训，联系人电话 13812345678。");
    fields.push(("csrf", &csrf));
    let res = app.post_form("/admin/items/new", &fields).await;
    assert_eq!(res.status(), 303);
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("隐私检查：发现 1 处") && html.contains("13812345678"), "{html}");

    // Submitting with the phone number is refused with the finding; masking clears it.
    let res = app.post_form(&format!("{path}/act/submit"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"body-err\"")
            && html.contains("<span id=\"body-err\" class=\"field-error\">手机号码「13812345678」"),
        "the finding is shown next to the body: {html}"
    );
    // The editor comes back saying what was masked.
    let res = app.post_form(&format!("{path}/act/deidentify"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("role=\"status\">标题、内容概述和正文中的个人信息已按规则遮盖。"));
    let html = app.get(&path).await.text().await.expect("html");
    assert!(!html.contains("隐私检查：发现") && html.contains("138****5678"), "{html}");
    assert_eq!(app.post_form(&format!("{path}/act/submit"), &[("csrf", &csrf)]).await.status(), 303);
    logout(&app, &csrf).await;

    // The reviewer returns without a comment (refused), then passes; the approver approves
    // and publishes.
    let csrf = app.login("reviewer").await;
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("保密审查") && html.contains("待审查"));
    let res =
        app.post_form(&format!("{path}/act/review"), &[("csrf", &csrf), ("decision", "return"), ("comment", "")]).await;
    assert_eq!(res.status(), 422);
    let res =
        app.post_form(&format!("{path}/act/review"), &[("csrf", &csrf), ("decision", "pass"), ("comment", "")]).await;
    assert_eq!(res.status(), 303);
    logout(&app, &csrf).await;
    let csrf = app.login("approver").await;
    assert_eq!(
        app.post_form(&format!("{path}/act/approve"), &[("csrf", &csrf), ("decision", "pass")]).await.status(),
        303
    );
    assert_eq!(
        app.post_form(&format!("{path}/act/publish"), &[("csrf", &csrf), ("publish_at", "")]).await.status(),
        303
    );
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("已发布") && html.contains("公开页面"));
    // The history names people and steps in words, in Beijing time.
    let history = &html[html.find("办理记录").expect("history")..];
    assert!(history.contains("editor 姓名（editor） 起草") && history.contains("保密审查通过"), "{history}");
    assert!(!history.contains(" create") && !history.contains("review.pass"), "{history}");
    let beijing = (app.store.now() + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string();
    assert!(history.contains(&beijing), "{history}");
    logout(&app, &csrf).await;

    // An edit of the published item: the public keeps the published text, the page shows
    // the changes.
    let csrf = app.login("editor").await;
    let html = app.get(&path).await.text().await.expect("html");
    let version =
        html.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("version").to_string();
    let mut fields = form("各单位：\n定于12月8日举办培训。");
    fields.push(("csrf", &csrf));
    fields.push(("version", &version));
    assert_eq!(app.post_form(&path, &fields).await.status(), 303);
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("与已公开版本相比的修改") && html.contains("diff-ins") && html.contains("12月8日"), "{html}");
    let id = path.rsplit('/').next().expect("id");
    let public = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(public.contains("12月1日") && !public.contains("12月8日"));
    let register = app.get("/admin/register").await.text().await.expect("html");
    assert!(register.contains(&format!("/admin/items/{id}")));
}

/// An interpretation names the policy it explains (by 发文字号 in any bracket form): the
/// policy's page lists it under 相关解读 and it links back; an unknown number is named next
/// to the field.
#[tokio::test]
async fn interpretations_link_to_their_policy() {
    let app = TestApp::spawn().await;
    let office = app.store.org_by_code(common::QIANJIANG_OFFICE).await.expect("lookup").expect("org");
    let ctx = gongkai_store::AuditCtx::cli();
    let target = gongkai_store::importer::ImportTarget { org_id: office.id, section_id: None };
    let doc = include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt");
    let policy = gongkai_store::importer::import_document(&app.store, &ctx, target, "004.txt", doc.as_bytes(), "txt")
        .await
        .outcome;
    let Ok(gongkai_store::ImportOutcome::Created { id: policy, .. }) = policy else { panic!("import") };
    let interp = gongkai_store::importer::import_document(
        &app.store,
        &ctx,
        target,
        "解读.txt",
        "《关于认真落实政务公开重点任务分工和有关工作的通知》政策解读\n\n一、出台背景\n为贯彻落实国务院办公厅要点，制定本通知。".as_bytes(),
        "txt",
    )
    .await
    .outcome;
    let Ok(gongkai_store::ImportOutcome::Created { id: interp, .. }) = interp else { panic!("import") };

    let csrf = app.login("editor").await;
    let path = format!("/admin/items/{interp}/interprets");
    let post = |fields: &[(&str, &str)]| {
        let mut f: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        f.push(("csrf".into(), csrf.clone()));
        app.client.post(app.url(&path)).form(&f).send()
    };
    let res = post(&[("form", "text"), ("policies", "黔江府办发〔2099〕1号")]).await.expect("post");
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("<span id=\"policies-err\" class=\"field-error\">没有找到已公开的「黔江府办发〔2099〕1号」")
    );
    let res = post(&[("form", "text"), ("policies", &interp.to_string())]).await.expect("post");
    assert_eq!(res.status(), 422, "not itself");
    // A 图解 needs its text alternative, named next to its field.
    let res = post(&[("form", "graphic"), ("policies", "黔江府办发[2017]53号")]).await.expect("post");
    assert_eq!(res.status(), 422);
    assert!(
        res.text().await.expect("html").contains("<span id=\"alt_text-err\" class=\"field-error\">图解须附文字说明")
    );
    let res = post(&[
        ("form", "qa"),
        ("policies", "黔江府办发[2017]53号"),
        ("el_background", "为贯彻落实国务院办公厅要点。"),
    ])
    .await
    .expect("post");
    assert_eq!(res.status(), 303);
    // The editor is warned about the required elements still empty.
    let console = app.get(&format!("/admin/items/{interp}")).await.text().await.expect("html");
    assert!(
        console.contains("以下解读要素尚未填写，提交前请补充或确认不适用：目标任务、主要内容、涉及范围、执行标准"),
        "{console}"
    );

    let page = app.get(&format!("/items/{policy}")).await.text().await.expect("html");
    assert!(
        page.contains("<h2 id=\"int-h\">相关解读</h2>")
            && page.contains("<h3>问答</h3>")
            && page.contains(&format!("<a href=\"/items/{interp}\">")),
        "{page}"
    );
    let page = app.get(&format!("/items/{interp}")).await.text().await.expect("html");
    assert!(
        page.contains("解读的文件")
            && page.contains("<h3>背景依据</h3>")
            && page.contains(&format!("<a href=\"/items/{policy}\">重庆市黔江区人民政府办公室关于认真落实"))
    );
    let list = app.get("/interpretations?form=qa").await.text().await.expect("html");
    assert!(list.contains(&format!("<a href=\"/items/{interp}\">")), "{list}");
    assert!(
        !app.get("/interpretations?form=graphic")
            .await
            .text()
            .await
            .expect("html")
            .contains(&format!("/items/{interp}\""))
    );
    // Cleared: gone from both pages.
    assert_eq!(post(&[("form", "text"), ("policies", "")]).await.expect("post").status(), 303);
    assert!(!app.get(&format!("/items/{policy}")).await.text().await.expect("html").contains("相关解读"));
}

/// What the console form does not show (co-issuers, channels) survives a save and a
/// de-identification there.
#[tokio::test]
async fn saving_in_the_console_keeps_what_the_form_does_not_edit() {
    let app = TestApp::spawn().await;
    let token = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&token),
            &serde_json::json!({
                "title": "关于联合开展安全生产检查的通知",
                "topic": "综合政务",
                "genre": "通知",
                "body": "<p>联系人电话 13812345678。</p>",
                "disclosure_attr": "proactive",
                "co_issuers": ["重庆市黔江区应急管理局"],
                "channels": ["政府网站", "政务新媒体"]
            }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let csrf = app.login("editor").await;
    let html = app.get(&format!("/admin/items/{id}")).await.text().await.expect("html");
    let version = html.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("version");
    let res = app
        .post_form(
            &format!("/admin/items/{id}"),
            &[
                ("csrf", &csrf),
                ("version", version),
                ("title", "关于联合开展安全生产大检查的通知"),
                ("topic", "综合政务"),
                ("genre", "通知"),
                ("body", "联系人电话 13812345678。"),
                ("disclosure_attr", "proactive"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.post_form(&format!("/admin/items/{id}/act/deidentify"), &[("csrf", &csrf)]).await.status(), 200);
    let item: serde_json::Value =
        app.get_with_token(&format!("/api/v1/items/{id}"), &token).await.json().await.expect("json");
    assert_eq!(item["title"], "关于联合开展安全生产大检查的通知");
    assert!(item["body"].as_str().is_some_and(|b| b.contains("138****5678")), "{item}");
    assert_eq!(item["co_issuers"], serde_json::json!(["重庆市黔江区应急管理局"]));
    assert_eq!(item["channels"], serde_json::json!(["政府网站", "政务新媒体"]));
}

/// 预览 shows the page the working copy would have once published — Word's table kept, its
/// script and styles gone by the same sanitiser the store applies — and stores nothing.
#[tokio::test]
async fn the_preview_shows_the_published_page_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
    let word = "<div class=WordSection1><h1>一、总体要求</h1><p class=MsoNormal style='text-indent:2em'>正文第一段<script>alert(1)</script></p>\
        <table class=MsoTableGrid border=1><tr><td colspan=2 style='width:100pt'><p>事项</p></td></tr><tr><td>甲</td><td onclick='x()'>乙</td></tr></table></div>";
    let res = app
        .post_form(
            "/admin/items/new/preview",
            &[("csrf", &csrf), ("title", "关于预览的通知"), ("topic", "综合政务"), ("body", word)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("<strong>预览</strong>") && html.contains("noindex"), "{html}");
    assert!(html.contains("<h1 class=\"item-title\">关于预览的通知</h1>"));
    let body = html.split("<div class=\"item-body\">").nth(1).expect("body").split("</div>").next().expect("end");
    assert!(body.contains("<td colspan=\"2\">") && body.contains("<td>乙</td>"), "{body}");
    assert!(!body.contains("script") && !body.contains("style=") && !body.contains("onclick"), "{body}");
    // The publishing org is the editor's, as saving would make it.
    assert!(html.contains("发布机构</th><td>"), "{html}");

    // Nothing was stored; a wrong token is refused.
    let list = app.get("/admin/items").await.text().await.expect("list");
    assert!(!list.contains("关于预览的通知"));
    let res = app.post_form("/admin/items/new/preview", &[("csrf", "x"), ("title", "t")]).await;
    assert_eq!(res.status(), 403);

    // An existing draft's preview shows the edits, not what is saved.
    let res = app
        .post_form("/admin/items/new", &[("csrf", &csrf), ("title", "已保存的标题"), ("body", "已保存的正文")])
        .await;
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let res = app
        .post_form(&format!("{path}/preview"), &[("csrf", &csrf), ("title", "改过的标题"), ("body", "改过的正文")])
        .await;
    let html = res.text().await.expect("html");
    assert!(html.contains("改过的标题") && html.contains("<p>改过的正文</p>") && !html.contains("已保存的正文"));
    let saved = app.get(&path).await.text().await.expect("editor");
    assert!(saved.contains("已保存的正文") && !saved.contains("改过的正文"));
    assert!(!saved.contains("表述检查"), "nothing wrong, no panel");

    // The editor names each wrong form with its right one before anything is published.
    let res = app
        .post_form(
            "/admin/items/new",
            &[("csrf", &csrf), ("title", "关于落实一国两治的通知"), ("body", "工作布署。再次布署。")],
        )
        .await;
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let html = app.get(&path).await.text().await.expect("editor");
    assert!(html.contains("表述检查：发现 2 处错误写法"), "{html}");
    assert!(html.contains("<li>严重表述错误：「一国两治」应为「一国两制」</li>"));
    assert!(html.contains("<li>错别字：「布署」应为「部署」（2 处）</li>"));
}
