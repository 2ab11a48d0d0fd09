//! Attachments: upload by content type, text extracted into the privacy check, public only
//! with the revision that publishes them.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};
use std::io::Write;

pub(crate) fn docx(text: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", opts).expect("entry");
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
        );
        z.write_all(xml.as_bytes()).expect("write");
        z.finish().expect("finish");
    }
    buf.into_inner()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

async fn upload(app: &TestApp, token: &str, id: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.client
        .post(app.url(&format!("/api/v1/items/{id}/attachments")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn attachment_text_joins_the_privacy_check_and_goes_public_with_its_revision() {
    let app =
        TestApp::spawn_with(gongkai_web::WebConfig { attachment_limit_bytes: 64 * 1024, ..Default::default() }).await;
    let editor = app.token_for("editor").await;
    let reviewer = app.token_for("reviewer").await;
    let approver = app.token_for("approver").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于公布联系人的通知", "disclosure_attr": "proactive", "body": "<p>见附件。</p>" }),
        )
        .await;
    let id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    // Type by content: an HTML page named .pdf is refused; too large is refused.
    let res = upload(&app, &editor, id, "名单.pdf", b"<html><body>not a pdf</body></html>".to_vec()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "unsupported_type");
    let res = upload(&app, &editor, id, "大.png", [PNG, &vec![0u8; 70 * 1024]].concat()).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "file_too_large");

    let res = upload(&app, &editor, id, "联系人名单.docx", docx("联系人：王五，手机 13912345678")).await;
    assert_eq!(res.status(), 201);
    let att: Value = res.json().await.expect("json");
    assert_eq!(att["mime"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert!(att["text_chars"].as_i64().expect("chars") > 10);
    let docx_id = att["id"].as_i64().expect("id");
    let res = upload(&app, &editor, id, "说明.docx", docx("附件说明：黄鹤楼景区开放时间调整")).await;
    assert_eq!(res.status(), 201);
    let res = upload(&app, &editor, id, "示意图.png", PNG.to_vec()).await;
    assert_eq!(res.status(), 201);
    let png_id = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");

    let report: Value =
        app.get_with_token(&format!("/api/v1/items/{id}/privacy"), &editor).await.json().await.expect("json");
    assert_eq!(
        report["findings"][0]["field"], "attachment:联系人名单.docx",
        "the privacy check shows what submission will be checked against"
    );
    let res = app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["findings"][0]["field"], "attachment:联系人名单.docx");
    assert_eq!(body["findings"][0]["kind"], "mobile");

    let res = app
        .client
        .delete(app.url(&format!("/api/v1/items/{id}/attachments/{docx_id}")))
        .bearer_auth(&editor)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 204);
    assert_eq!(app.post_empty(&format!("/api/v1/items/{id}/submit"), &editor).await.status(), 200);
    app.post_json(&format!("/api/v1/items/{id}/review"), Some(&reviewer), &json!({ "decision": "pass" })).await;
    app.post_json(&format!("/api/v1/items/{id}/approve"), Some(&approver), &json!({ "decision": "pass" })).await;
    assert_eq!(app.post_empty(&format!("/api/v1/items/{id}/publish"), &editor).await.status(), 200);

    let page = app.get(&format!("/items/{id}")).await.text().await.expect("html");
    assert!(
        page.contains(&format!("<a href=\"/items/{id}/files/{png_id}\">示意图.png</a> <span class=\"muted\">（图片，")),
        "{page}"
    );
    let file = app.get(&format!("/items/{id}/files/{png_id}")).await;
    assert_eq!(file.headers()["content-type"], "image/png");
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("filename*=UTF-8''%E7%A4%BA%E6%84%8F%E5%9B%BE.png")
    );
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), PNG);
    assert_eq!(
        app.get(&format!("/items/{id}/files/{docx_id}")).await.status(),
        404,
        "the removed draft attachment never went public"
    );

    // The public attachments' text is searched with the item; the removed one's is not.
    app.index_now().await;
    let found = |q: &'static str| {
        let app = &app;
        async move {
            let r: Value = app.get(&format!("/api/v1/search?q={q}")).await.json().await.expect("json");
            r["hits"].as_array().expect("hits").iter().filter_map(|h| h["id"].as_i64()).collect::<Vec<i64>>()
        }
    };
    assert_eq!(found("%E9%BB%84%E9%B9%A4%E6%A5%BC").await, vec![id], "黄鹤楼, in the public attachment");
    assert!(found("%E7%8E%8B%E4%BA%94").await.is_empty(), "王五, in the removed attachment");
    let snippet = || {
        let app = &app;
        async move {
            let r: Value = app.get("/api/v1/search?q=%E9%BB%84%E9%B9%A4%E6%A5%BC").await.json().await.expect("json");
            r["hits"][0]["snippet"].as_str().expect("snippet").to_string()
        }
    };
    let s = snippet().await;
    assert!(s.contains("<b>黄鹤楼</b>景区") && !s.contains("王五"), "the snippet shows the public attachment: {s}");

    // A new attachment on the published item waits for the next revision.
    let res = upload(&app, &editor, id, "补充.png", [PNG, b"x"].concat()).await;
    let later = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    assert_eq!(app.get(&format!("/items/{id}/files/{later}")).await.status(), 404);
    let res = upload(&app, &editor, id, "补充.docx", docx("补充说明：滕王阁修缮")).await;
    assert_eq!(res.status(), 201);
    app.index_now().await;
    assert!(found("%E6%BB%95%E7%8E%8B%E9%98%81").await.is_empty(), "滕王阁, waiting for the next revision");
    assert_eq!(found("%E9%BB%84%E9%B9%A4%E6%A5%BC").await, vec![id], "the public revision is still found");
    let s = snippet().await;
    assert!(s.contains("<b>黄鹤楼</b>") && !s.contains("滕王阁"), "nor is it in the snippet: {s}");
    assert_eq!(
        app.get(&format!("/items/{id}/files/{png_id}")).await.status(),
        200,
        "the public revision keeps its files"
    );
    let item: Value = app.get_with_token(&format!("/api/v1/items/{id}"), &editor).await.json().await.expect("json");
    assert_eq!(item["state"], "draft");
}

/// The console editor: upload with the page's form (CSRF in the form), the file's text in
/// the privacy check, a wrong file named next to the field, removal.
#[tokio::test]
async fn attachments_in_the_console_editor() {
    let app = TestApp::spawn().await;
    let page = app.get("/login").await.text().await.expect("html");
    let csrf = common::csrf_in(&page);
    let res = app.post_form("/login", &[("username", "editor"), ("password", common::PASSWORD), ("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let csrf = common::csrf_in(&app.get("/admin/items/new").await.text().await.expect("html"));
    let res = app
        .post_form(
            "/admin/items/new",
            &[("csrf", &csrf), ("title", "关于公布评审专家名单的通知"), ("body", "见附件。")],
        )
        .await;
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let send = |csrf: &str, name: &str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        app.client.post(app.url(&format!("{path}/attachments"))).multipart(form).send()
    };
    assert_eq!(send("forged", "名单.docx", docx("张三")).await.expect("send").status(), 403);
    let res = send(&csrf, "名单.pdf", b"<html>not a pdf</html>".to_vec()).await.expect("send");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("<span id=\"file-err\" class=\"field-error\">附件只能是"), "{html}");
    let res = send(&csrf, "专家名单.docx", docx("评审专家张三，身份证号11010519491231002X")).await.expect("send");
    assert_eq!(res.status(), 303);
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("专家名单.docx</a></td><td>Word</td>"), "{html}");
    assert!(html.contains("随下次发布公开"));
    assert!(html.contains("附件“专家名单.docx”：身份证号码"), "the file's text is checked: {html}");
    let aid: String = html
        .split(&format!("{path}/attachments/"))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("attachment link")
        .to_string();
    let file = app.get(&format!("{path}/attachments/{aid}")).await;
    assert_eq!(file.status(), 200);
    let res = app.post_form(&format!("{path}/attachments/{aid}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("暂无附件") && !html.contains("隐私检查：发现"), "removed with its finding");
}

/// An upload the uploader may not make is refused before its body is read: no file is left
/// behind. Uploads are rate-limited per staff member.
#[tokio::test]
async fn a_refused_upload_stores_no_file_and_uploads_are_rate_limited() {
    let app = TestApp::spawn_with(gongkai_web::WebConfig { uploads_per_minute: 2, ..Default::default() }).await;
    let editor = app.token_for("editor").await;
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "关于上传权限的通知", "disclosure_attr": "proactive" }),
        )
        .await;
    let id = res.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let send = |token: String, bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("a.pdf").mime_str("application/pdf").expect("mime");
        app.client
            .post(app.url(&format!("/api/v1/items/{id}/attachments")))
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let files = || walk(&app.state.config.files_dir);
    let reviewer = app.token_for("reviewer").await;
    let res = send(reviewer, b"%PDF-1.4\n% reviewer's file\n%%EOF\n".to_vec()).await.expect("upload");
    assert_eq!(res.status(), 403, "a reviewer does not edit");
    assert_eq!(files(), 0, "no file left behind");
    assert_eq!(send(editor.clone(), b"%PDF-1.4\n% one\n%%EOF\n".to_vec()).await.expect("upload").status(), 201);
    assert_eq!(files(), 1);
    assert_eq!(send(editor.clone(), b"%PDF-1.4\n% two\n%%EOF\n".to_vec()).await.expect("upload").status(), 201);
    assert_eq!(send(editor, b"%PDF-1.4\n% three\n%%EOF\n".to_vec()).await.expect("upload").status(), 429);
    assert_eq!(files(), 2);

    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
}

/// A one-page PDF whose text (Helvetica) is `text`.
fn pdf(text: &str) -> Vec<u8> {
    gongkai_testkit::pdf::with_latin_text(text)
}

/// 一键去标识化 masks inside Word and Excel attachments, each replaced by its masked revision
/// (the public keeps the published file until the next revision); a PDF's finding is named
/// with what to do, and submitting stays refused until the file is replaced.
#[tokio::test]
async fn one_click_masks_word_and_excel_attachments_and_names_a_pdf() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
    let res = app
        .post_form(
            "/admin/items/new",
            &[
                ("csrf", &csrf),
                ("title", "关于公布补助对象名单的通知"),
                ("body", "联系电话13800138000。"),
                ("disclosure_attr", "proactive"),
            ],
        )
        .await;
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let send = |name: &str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        app.client.post(app.url(&format!("{path}/attachments"))).multipart(form).send()
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "张某某").expect("cell");
    sheet.write_number(0, 1, 13912345678.0).expect("cell");
    let xlsx = book.save_to_buffer().expect("xlsx");
    for (name, bytes) in [
        ("名单.docx", docx("补助对象张某某，身份证号11010519491231002X")),
        ("名单.xlsx", xlsx),
        ("扫描件.pdf", pdf("ID 11010519491231002X")),
    ] {
        assert_eq!(send(name, bytes).await.expect("send").status(), 303, "{name}");
    }
    let html = app.get(&path).await.text().await.expect("html");
    for place in ["正文", "附件“名单.docx”", "附件“名单.xlsx”", "附件“扫描件.pdf”"] {
        assert!(html.contains(&format!("{place}：")), "{place} found: {html}");
    }

    let res = app.post_form(&format!("{path}/act/deidentify"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    let done = html.split("role=\"status\">").nth(1).and_then(|r| r.split("</p>").next()).expect("what was done");
    assert!(done.contains("正文中的个人信息已按规则遮盖"), "{done}");
    assert!(
        done.contains("附件“名单.docx”已在文件内遮盖 1 处") && done.contains("附件“名单.xlsx”已在文件内遮盖 1 处"),
        "{done}"
    );
    assert!(done.contains("附件“扫描件.pdf”是PDF文件，平台无法在文件内遮盖：请上传处理后的文件替换"), "{done}");
    // Only the PDF's finding is left; the masked files are the working copy's, in place.
    let html = app.get(&path).await.text().await.expect("html");
    assert!(
        html.contains("附件“扫描件.pdf”：")
            && !html.contains("附件“名单.docx”：")
            && !html.contains("附件“名单.xlsx”：")
    );
    assert!(!html.contains("正文：手机号码"), "{html}");
    let link = |name: &str| -> String {
        let before = html.split(&format!("\">{name}</a>")).next().expect("row");
        before.rsplit("href=\"").next().expect("href").to_string()
    };
    let word = app.get(&link("名单.docx")).await.bytes().await.expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(word.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("part"), &mut xml).expect("read");
    assert!(xml.contains("110105********002X") && !xml.contains("11010519491231002X"), "{xml}");
    let excel = app.get(&link("名单.xlsx")).await.bytes().await.expect("bytes");
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(excel.to_vec())).expect("xlsx");
    let range = calamine::Reader::worksheet_range(&mut wb, "Sheet1").expect("sheet");
    assert_eq!(range.get_value((0, 1)).map(ToString::to_string).as_deref(), Some("139****5678"));
    assert_eq!(html.matches("名单.docx</a>").count(), 1, "the unpublished original is gone, not listed twice");

    // The PDF still blocks submission.
    let res = app.post_form(&format!("{path}/act/submit"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("须去标识化或说明理由"));
    assert_eq!(gongkai_core::audit::action_label("attachment.mask"), "附件·去标识化");
}

/// A spreadsheet kept before Excel files were read has no text: at start its cells are read,
/// and the privacy check finds what they hold.
#[tokio::test]
async fn the_cells_of_spreadsheets_kept_earlier_are_read_at_start() {
    let app = TestApp::spawn().await;
    let csrf = app.login("editor").await;
    let res = app
        .post_form("/admin/items/new", &[("csrf", &csrf), ("title", "关于发放补贴的公示"), ("body", "见附件。")])
        .await;
    let path = res.headers()["location"].to_str().expect("location").to_string();
    let id: i64 = path.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "身份证号 11010519491231002X").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    let sha256 = app.state.blobs.put(&bytes).await.expect("blob");
    let username = gongkai_core::Username::parse("editor").expect("name");
    let user = app.store.user_by_username(&username).await.expect("read").expect("user");
    let actor = app.store.actor(user.id).await.expect("read").expect("actor");
    let kind = gongkai_store::files::FileKind::Xlsx;
    let new = gongkai_store::NewAttachment { name: "旧表.xlsx".into(), kind, size: 1, sha256, text: String::new() };
    app.store.add_attachment(&gongkai_store::AuditCtx::system(), &actor, id, new).await.expect("attach");
    assert!(!app.get(&path).await.text().await.expect("html").contains("附件“旧表.xlsx”："));
    gongkai_web::app::attachments::read_old_spreadsheets(app.state.clone()).await;
    let html = app.get(&path).await.text().await.expect("html");
    assert!(html.contains("附件“旧表.xlsx”：身份证号码"), "{html}");
    // Read once: nothing is left to read.
    let left = app.store.attachments_without_text(&[kind.mime()], 0, 10).await.expect("read");
    assert!(left.is_empty());
}
