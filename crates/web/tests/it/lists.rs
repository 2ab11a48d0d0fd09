//! Structured lists over HTTP, as a clerk and a citizen use them: a sheet with one bad row is
//! refused whole, with the row and column named, and nothing is stored; a good sheet becomes an
//! adjustment that is public only once reviewed and signed off by others; the public table,
//! its downloads and the row page show a natural person masked and never find the full name;
//! a row whose 公示期限 is over leaves the table and its page.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const HEADER: &str = "行政相对人名称,行政相对人类别,行政处罚决定书文号,违法行为类型及事实,处罚依据,处罚类别,处罚内容,罚没金额（万元）,处罚决定日期,处罚机关,公示截止日期\n";

async fn import(app: &TestApp, csrf: &str, csv: String) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("adjust", "add")
        .text("basis", "行政处罚决定信息（双公示）2026年第5批")
        .text("effective_on", "2026-12-03")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("处罚.csv"));
    app.client.post(app.url("/admin/lists/penalty/import")).multipart(form).send().await.expect("request")
}

#[tokio::test]
async fn a_penalty_list_from_sheet_to_public_table() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    let csrf = app.login("editor").await;

    let good = "刘建国,自然人,黔江交执罚〔2026〕118号,未取得道路运输经营许可从事客运,《道路运输条例》第六十三条,罚款,罚款一万元,1,2026-11-20,黔江区交通运输综合行政执法支队,2027-11-19\n\
                黔江区某某建材有限公司,法人及非法人组织,黔江市监罚〔2026〕40号,销售不合格建材,《产品质量法》第四十九条,罚款,罚款三万元,3,2026/11/25,黔江区市场监督管理局,2026-12-10\n";
    let bad = format!("{HEADER}{good}某某店,个体工商户,,无照经营,依据,罚款,罚款,-2,明天,区局,\n");
    let res = import(&app, &csrf, bad).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("html");
    assert!(page.contains("文件未导入"), "{page}");
    assert!(page.contains("第 4 行「行政处罚决定书文号」：必填"), "row and column named");
    assert!(page.contains("第 4 行「罚没金额（万元）」"));
    assert!(app.get("/admin/lists").await.text().await.expect("html").contains("暂无清单调整"), "nothing stored");

    let res = import(&app, &csrf, format!("\u{feff}{HEADER}{good}")).await;
    assert_eq!(res.status(), 303);
    let at = res.headers()["location"].to_str().expect("location").to_string();
    let id: i64 = at.rsplit('/').next().expect("id").parse().expect("number");
    let page = app.get(&at).await.text().await.expect("html");
    assert!(page.contains("刘建国") && page.contains("提交审查"), "staff see the rows unmasked");

    // The index of lists counts the public rows: none yet (and that count is kept).
    let listed = |html: String| -> String {
        let row =
            html.split("href=\"/lists/penalty\"").nth(1).expect("the list's row").split("</tr>").next().expect("row");
        row.rsplit("<td>").next().expect("cell").trim_end_matches("</td>").to_string()
    };
    assert_eq!(listed(app.get("/lists").await.text().await.expect("html")), "0");

    // Public only after review and sign-off, by others than the drafter.
    let steps = format!("/api/v1/list-adjustments/{id}/steps");
    let editor = app.token_for("editor").await;
    assert_eq!(app.post_json(&steps, Some(&editor), &json!({ "step": "submit" })).await.status(), 200);
    assert!(!app.get("/lists/penalty").await.text().await.expect("html").contains("刘*"));
    let reviewer = app.token_for("reviewer").await;
    let res = app.post_json(&steps, Some(&reviewer), &json!({ "step": "return" })).await;
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "reason_required");
    assert_eq!(app.post_json(&steps, Some(&reviewer), &json!({ "step": "pass" })).await.status(), 200);
    let approver = app.token_for("approver").await;
    let res = app.post_json(&steps, Some(&approver), &json!({ "step": "approve" })).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "published");

    assert_eq!(listed(app.get("/lists").await.text().await.expect("html")), "2", "the kept count follows the change");
    // The server's follower indexes rows every two seconds; the test does not wait for it.
    app.index_now().await;
    let table = app.get("/lists/penalty").await.text().await.expect("html");
    assert!(table.contains("刘**") && !table.contains("刘建国"), "masked");
    assert!(table.contains("黔江区某某建材有限公司"), "a company is not masked");
    assert!(table.contains("共 2 条"));
    let found = app.get("/lists/penalty?q=%E5%88%98%E5%BB%BA%E5%9B%BD").await.text().await.expect("html");
    assert!(found.contains("共 0 条"), "the full name finds nothing");
    let company = app.get("/lists/penalty?q=%E5%BB%BA%E6%9D%90&f1=%E6%B3%95%E4%BA%BA%E5%8F%8A%E9%9D%9E%E6%B3%95%E4%BA%BA%E7%BB%84%E7%BB%87").await;
    assert!(company.text().await.expect("html").contains("共 1 条"));
    // One org's rows, named by its code as everywhere on the portal (the org page links so).
    let office = app.get(&format!("/lists/penalty?org={}", common::QIANJIANG_OFFICE)).await;
    assert_eq!(office.status(), 200);
    let office = office.text().await.expect("html");
    assert!(office.contains("只显示重庆市黔江区人民政府办公室公开的条目") && office.contains("共 2 条"), "{office}");
    assert!(
        office.contains(&format!("name=\"org\" value=\"{}\"", common::QIANJIANG_OFFICE)),
        "the search keeps the org"
    );
    let other = app.get(&format!("/lists/penalty?org={}&q=%E5%BB%BA%E6%9D%90", common::QIANJIANG)).await;
    assert!(other.text().await.expect("html").contains("共 0 条"), "the district's own rows: none");
    assert_eq!(app.get("/lists/penalty?org=NOSUCHORG").await.status(), 404);

    // The site's search finds rows too, masked, with the list they are in.
    let site = app.get("/search?q=%E5%BB%BA%E6%9D%90").await.text().await.expect("html");
    assert!(site.contains("公开清单中有 1 条相关条目"), "{site}");
    assert!(site.contains("href=\"/lists/penalty?q=%E5%BB%BA%E6%9D%90\">行政处罚决定</a>"), "the list, searched");
    assert!(site.contains("黔江区某某建材有限公司"));
    assert!(site.contains("政府信息中没有“建材”的结果") && !site.contains("没有找到相关信息"), "rows were found");
    let person = app.get("/search?q=%E5%88%98").await.text().await.expect("html");
    assert!(person.contains("刘**") && !person.contains("刘建国"), "one character finds the masked name");
    let none = app.get("/search?q=%E5%88%98%E5%BB%BA%E5%9B%BD").await.text().await.expect("html");
    assert!(!none.contains("公开清单中有"), "the full name finds no row");
    let narrowed = app.get("/search?q=%E5%BB%BA%E6%9D%90&year=2026").await.text().await.expect("html");
    assert!(!narrowed.contains("公开清单中有"), "a filter rows do not have leaves them out");
    let api = app.get("/api/v1/search?q=%E5%BB%BA%E6%9D%90").await.json::<Value>().await.expect("json");
    assert_eq!(api["lists"]["total"], 1);
    assert_eq!(api["lists"]["kinds"][0]["name"], "行政处罚决定");
    assert!(api["lists"]["rows"][0]["url"].as_str().expect("url").starts_with("/lists/penalty/rows/"));

    let csv = app.get("/lists/penalty/download?format=csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with('\u{feff}') && csv.contains("刘**") && !csv.contains("刘建国"));
    assert!(csv.contains("1.00") && csv.contains("2026-11-25"), "amounts and dates normalised");
    let feed = app.get("/lists/penalty/feed.atom").await.text().await.expect("atom");
    assert!(feed.contains("行政处罚决定：新增 2 项") && feed.contains("2026年第5批"), "{feed}");
    let xlsx = app.get("/lists/penalty/download?format=xlsx").await.bytes().await.expect("xlsx");
    assert!(xlsx.starts_with(b"PK"), "an XLSX workbook");
    let json = app.get("/api/v1/lists/penalty/rows").await.json::<Value>().await.expect("json");
    assert_eq!(json["total"], 2);
    let rows = json["rows"].as_array().expect("rows");
    let person = rows.iter().find(|r| r["values"]["subject_type"] == "自然人").expect("person");
    assert_eq!(person["values"]["subject_name"], "刘**");
    let row_page = app.get(&format!("/lists/penalty/rows/{}", person["id"])).await;
    assert_eq!(row_page.status(), 200);
    let row_page = row_page.text().await.expect("html");
    assert!(row_page.contains("黔江交执罚〔2026〕118号") && row_page.contains("新增"), "fields and history");

    // The company's 公示期限 ends on 10 December: from the 11th it is gone from the public.
    let company_id = rows.iter().find(|r| r["values"]["subject_type"] != "自然人").expect("company")["id"].clone();
    app.set_today("2026-12-11");
    let table = app.get("/lists/penalty").await.text().await.expect("html");
    assert!(table.contains("共 1 条") && !table.contains("建材"));
    assert_eq!(listed(app.get("/lists").await.text().await.expect("html")), "1", "and the day");
    assert_eq!(app.get(&format!("/lists/penalty/rows/{company_id}")).await.status(), 404);
    let site = app.get("/search?q=%E5%BB%BA%E6%9D%90").await.text().await.expect("html");
    assert!(!site.contains("公开清单中有"), "nor does the site's search find it");

    // The government's own spreadsheets: an XLSX sheet with the same header imports too.
    app.set_today("2026-12-11");
    let csrf = app.login("editor").await;
    let header: Vec<String> = HEADER.trim().split(',').map(str::to_string).collect();
    let line = "黔江区某某药房,个体工商户,黔江市监罚〔2026〕41号,销售劣药,《药品管理法》第一百一十七条,罚款,罚款二万元,2,2026-12-01,黔江区市场监督管理局,2027-11-30";
    let sheet = gongkai_formats::tables::table_xlsx("处罚", &header, &[line.split(',').map(str::to_string).collect()])
        .expect("xlsx");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("adjust", "add")
        .text("basis", "双公示第6批")
        .part("file", reqwest::multipart::Part::bytes(sheet).file_name("处罚.xlsx"));
    let res = app.client.post(app.url("/admin/lists/penalty/import")).multipart(form).send().await.expect("request");
    assert_eq!(res.status(), 303, "the XLSX sheet is drafted as an adjustment");
    let at = res.headers()["location"].to_str().expect("location").to_string();
    assert!(app.get(&at).await.text().await.expect("html").contains("黔江区某某药房"));

    // Bad input gets an answer, never a crash.
    assert_eq!(app.get("/lists/none").await.status(), 404);
    assert_eq!(app.get("/lists/penalty/rows/abc").await.status(), 404);
    let long = "%E5%88%98".repeat(3000);
    assert_eq!(app.get(&format!("/lists/penalty?q={long}&page=-5")).await.status(), 200);
    assert_eq!(app.get("/lists").await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn an_administrator_adds_a_list_kind_in_the_console() {
    let app = TestApp::spawn_roomy().await;
    let csrf = app.login("qj-admin").await;
    let page = app.get("/admin/lists").await.text().await.expect("html");
    assert!(page.contains("添加清单种类或新版本"));
    let bad = "code = \"coercion\"\nname = \"行政强制事项清单\"\nversion = 1\n";
    let res = app.post_form("/admin/lists/kinds", &[("csrf", &csrf), ("schema", bad)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"schema-err\"") && html.contains("行政强制事项清单"), "refused next to the field, kept");
    let good = "code = \"coercion\"\nname = \"行政强制事项清单\"\nversion = 1\norder = 200\n\
                about = \"本级行政机关实施的行政强制措施和行政强制执行事项。\"\nupdate = \"事项调整之日起20个工作日内\"\n\
                title = \"name\"\nfields = [\n  { key = \"name\", label = \"事项名称\", type = \"text\", required = true },\n  \
                { key = \"basis\", label = \"设定依据\", type = \"longtext\", required = true },\n]\n";
    let res = app.post_form("/admin/lists/kinds", &[("csrf", &csrf), ("schema", good)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin/lists/coercion");
    assert!(app.get("/lists").await.text().await.expect("html").contains("行政强制事项清单"));
    // An editor is not offered the form, and cannot post it.
    let csrf = app.login("editor").await;
    assert!(!app.get("/admin/lists").await.text().await.expect("html").contains("添加清单种类"));
    let res = app.post_form("/admin/lists/kinds", &[("csrf", &csrf), ("schema", good)]).await;
    assert_eq!(res.status(), 403);
}
