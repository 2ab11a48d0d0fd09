//! The 政务公开负面清单 as a managed list: a matter is added through the reviewed adjustment
//! path and is public with its basis, reason and review day; a withheld item names the matter
//! it rests on (only a current matter of its org or above); the year's self-inspection lists
//! the matter with its review advice and the withheld item with its matter.

use crate::common;

use common::{QIANJIANG_OFFICE, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn a_withheld_item_rests_on_a_reviewed_matter_of_the_negative_list() {
    let app = TestApp::spawn_roomy().await;
    app.set_today("2026-12-03");
    let editor = app.token_for("editor").await;
    let matter = json!({ "matter": "区政府常务会议讨论中的议题材料", "category": "讨论记录、过程稿、磋商信函、请示报告等过程性信息",
        "basis": "《中华人民共和国政府信息公开条例》第十六条第二款", "reason": "讨论中的过程性信息，公开可能影响决策",
        "department": "区政府办公室", "review_on": "2026-12-01" });
    let res = app
        .post_json(
            "/api/v1/lists/negative/adjustments",
            Some(&editor),
            &json!({ "adjust": "add", "basis": "2026年度政务公开负面清单", "changes": [{ "values": matter }] }),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let adj = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let steps = format!("/api/v1/list-adjustments/{adj}/steps");
    app.post_json(&steps, Some(&editor), &json!({ "step": "submit" })).await;
    let reviewer = app.token_for("reviewer").await;
    app.post_json(&steps, Some(&reviewer), &json!({ "step": "pass" })).await;
    let approver = app.token_for("approver").await;
    assert_eq!(app.post_json(&steps, Some(&approver), &json!({ "step": "approve" })).await.status(), 200);
    let table = app.get("/lists/negative").await.text().await.expect("html");
    assert!(table.contains("区政府常务会议讨论中的议题材料"), "public once signed");
    let rows: Value = app.get("/api/v1/lists/negative/rows").await.json().await.expect("json");
    let row = rows["rows"][0]["id"].as_i64().expect("row id");

    // A withheld item names it; an unknown matter is refused.
    let res = app
        .post_json(
            "/api/v1/items",
            Some(&editor),
            &json!({ "title": "区政府第52次常务会议议题材料", "disclosure_attr": "withheld",
                "withhold_reason": "过程性信息（条例第十六条第二款）", "withhold_review_on": "2027-06-30" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let item = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let put = |body: Value| {
        let (app, editor) = (&app, editor.clone());
        async move {
            app.client
                .put(app.url(&format!("/api/v1/items/{item}/withhold-ground")))
                .bearer_auth(editor)
                .json(&body)
                .send()
                .await
                .expect("put")
        }
    };
    let res = put(json!({ "row_id": row + 1000 })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["code"], "invalid_ground");
    assert_eq!(put(json!({ "row_id": row })).await.status(), 204);
    app.login("editor").await;
    let page = app.get(&format!("/admin/items/{item}")).await.text().await.expect("html");
    assert!(page.contains("当前依据：<strong>区政府常务会议讨论中的议题材料</strong>"));

    // The self-inspection reviews the matter (its review day has passed) and the item with it.
    let csrf = app.login("qj-admin").await;
    assert_eq!(app.post_form("/admin/inspections", &[("csrf", &csrf), ("year", "2026")]).await.status(), 303);
    let office = app.store.org_by_code(QIANJIANG_OFFICE).await.expect("org").expect("office");
    let ins = app.store.inspections_of_year(2026).await.expect("list");
    let mine = ins.iter().find(|i| i.org_id == office.id).expect("the office's inspection");
    let entries = app.store.inspection_entries(mine.id).await.expect("entries");
    let m = entries.iter().find(|e| e.kind.as_str() == "matter").expect("the matter is reviewed");
    assert_eq!(m.subject, "区政府常务会议讨论中的议题材料");
    assert!(m.why.contains("复核日期 2026-12-01 已到"), "{}", m.why);
    let w = entries.iter().find(|e| e.item_id == Some(item)).expect("the withheld item");
    assert!(w.ground.contains("负面清单事项：区政府常务会议讨论中的议题材料"), "{}", w.ground);
}
