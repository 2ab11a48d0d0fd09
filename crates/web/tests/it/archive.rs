//! The console's 归档导出 (条例 §25) as the disclosure office uses it: the register page offers
//! it to an overseer only; the download is a ZIP of the BagIt folder with the year's items;
//! a year out of range is named next to the field; the export is in the audit trail.

use crate::common;

use common::{PASSWORD, QIANJIANG_OFFICE, TestApp};
use gongkai_core::Role;
use serde_json::json;
use std::io::Read;

#[tokio::test]
async fn the_office_downloads_its_year_as_a_bagit_zip() {
    let app = TestApp::spawn_roomy().await;
    let (item, res) = app
        .publish_item(
            &json!({ "title": "关于归档导出测试的通知", "disclosure_attr": "proactive", "body": "<p>各单位：请按时归档。</p>" }),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.add_staff("bgs-office", "办公室政务公开", QIANJIANG_OFFICE, PASSWORD, vec![Role::Supervisor]).await;
    let year = chrono::Datelike::year(&app.state.today());

    // An editor sees the register without the form and may not export.
    let csrf = app.login("editor").await;
    let page = app.get("/admin/register").await.text().await.expect("html");
    assert!(page.contains("发布登记簿") && !page.contains("导出归档压缩包"), "{page}");
    assert!(page.contains(">发布<") || page.contains(">发布："), "register events in words: {page}");
    assert!(!page.contains(">publish"), "no codes: {page}");
    let res = app.post_form("/admin/register/archive", &[("csrf", &csrf), ("year", &year.to_string())]).await;
    assert_eq!(res.status(), 403);
    app.post_form("/logout", &[("csrf", &csrf)]).await;

    let csrf = app.login("bgs-office").await;
    let page = app.get("/admin/register").await.text().await.expect("html");
    assert!(page.contains("导出归档压缩包") && page.contains("第二十五条"), "{page}");
    // Without the token: refused.
    let res = app.post_form("/admin/register/archive", &[("csrf", "forged"), ("year", "2026")]).await;
    assert_eq!(res.status(), 403);
    let res = app.post_form("/admin/register/archive", &[("csrf", &csrf), ("year", "1999")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("html");
    assert!(page.contains("年份应在 2008") && page.contains("aria-invalid=\"true\""), "{page}");

    let res = app.post_form("/admin/register/archive", &[("csrf", &csrf), ("year", &year.to_string())]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let top = format!("archive-{QIANJIANG_OFFICE}-{year}");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(&format!("{top}/{name}")).expect(name).read_to_string(&mut s).expect("utf-8");
        s
    };
    assert!(read("bagit.txt").starts_with("BagIt-Version: 1.0"));
    let items = read("data/items.jsonl");
    assert!(items.contains("关于归档导出测试的通知"), "{items}");
    let manifest = read("manifest-sha256.txt");
    let id = item["id"].as_i64().expect("id");
    assert!(manifest.contains(&format!("data/items/{id}-r1/body.html")), "{manifest}");
    assert!(read("bag-info.txt").contains("第二十五条"));

    // In the trail, for the auditor.
    let entries = app.store.audit_rows(&Default::default()).await.expect("trail");
    assert!(entries.iter().any(|e| e.action == "archive.export" && e.actor == "bgs-office"), "audited");
}
