//! The lists' rows in search: indexed masked as the outbox says they changed, filtered as
//! the public table filters, a 公示期限 that ended leaving on its day, counted per kind,
//! and a rows folder that is new (an upgrade) filled from the store.

use gongkai_core::Role;
use gongkai_core::list::{AdjustKind, RowChange, Values};
use gongkai_core::review::ReviewStep;
use gongkai_search::{RowRequest, SearchIndex};
use gongkai_store::{AuditCtx, NewAdjustment, Store};

use gongkai_testkit::lists::{penalty, values};

fn power(name: &str) -> Values {
    values(&[
        ("name", name),
        ("power_type", "行政处罚"),
        ("basis", "《中华人民共和国食品安全法》"),
        ("subject", "黔江区市场监督管理局"),
    ])
}

/// Drafts, passes and signs an adjustment of `kind` for the org of `editor`.
async fn signed(
    store: &Store,
    staff: &[gongkai_core::Actor; 3],
    kind: &str,
    adjust: AdjustKind,
    changes: Vec<RowChange>,
) {
    let ctx = AuditCtx::cli();
    let [editor, reviewer, approver] = staff;
    let today = store.today();
    let new = NewAdjustment {
        kind: kind.into(),
        org_id: editor.org_id,
        adjust,
        basis: "黔江市监〔2026〕5号".into(),
        effective_on: today,
        changes,
    };
    let a = store.draft_list_adjustment(&ctx, editor, new).await.expect("draft");
    store.list_adjustment_step(&ctx, editor, a.id, ReviewStep::Submit).await.expect("submit");
    store.list_adjustment_step(&ctx, reviewer, a.id, ReviewStep::Pass).await.expect("pass");
    store.list_adjustment_step(&ctx, approver, a.id, ReviewStep::Approve).await.expect("sign");
}

async fn staff(store: &Store, code: &str) -> [gongkai_core::Actor; 3] {
    [
        gongkai_testkit::stores::staff(store, code, &format!("e{code}"), vec![Role::Editor]).await,
        gongkai_testkit::stores::staff(store, code, &format!("r{code}"), vec![Role::Reviewer]).await,
        gongkai_testkit::stores::staff(store, code, &format!("a{code}"), vec![Role::Approver]).await,
    ]
}

#[tokio::test]
async fn rows_are_searched_masked_filtered_and_current() {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        Store::open_and_migrate(&format!("sqlite://{}", dir.path().join("gk.db").display())).await.expect("store");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
    store.clock().set(Some(today.and_hms_opt(2, 0, 0).expect("t").and_utc()));
    let root = gongkai_testkit::stores::org(&store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
    let dept =
        gongkai_testkit::stores::org(&store, Some("11500114009130039C"), "11500114709480021G", "黔江区市场监督管理局")
            .await;
    let district = staff(&store, "11500114009130039C").await;
    let market = staff(&store, "11500114709480021G").await;
    signed(
        &store,
        &market,
        "penalty",
        AdjustKind::Add,
        vec![
            RowChange { row_id: None, values: penalty("王小明", "自然人", "2027-11-01") },
            RowChange {
                row_id: None, values: penalty("黔江区某某食品有限公司", "法人及非法人组织", "2026-12-02")
            },
            RowChange {
                row_id: None, values: penalty("黔江区康宁药房有限公司", "法人及非法人组织", "2027-06-30")
            },
        ],
    )
    .await;
    signed(
        &store,
        &district,
        "power",
        AdjustKind::Add,
        vec![RowChange { row_id: None, values: power("对经营超过保质期食品的处罚") }],
    )
    .await;

    let (index, _) = SearchIndex::open(&dir.path().join("index")).expect("index");
    index.catch_up(&store, 0).await.expect("catch up");
    let find = |q: &str| RowRequest { q: q.into(), today, limit: 20, ..Default::default() };
    let in_kind = |q: &str, kind: &str| RowRequest { kind: Some(kind.into()), ..find(q) };

    // Masked: the natural person's full name finds nothing; the masked form, one character
    // of it, and the words of the decision do.
    assert_eq!(index.search_rows(&find("王小明")).expect("search").total, 0);
    assert_eq!(index.search_rows(&find("王")).expect("search").total, 1, "one character finds the masked 王**");
    assert_eq!(index.search_rows(&in_kind("罚款 王", "penalty")).expect("search").total, 1);
    // The company whose 公示期限 ended yesterday is not public today (nothing was expired in
    // the store yet); the other company is.
    assert_eq!(index.search_rows(&find("某某食品")).expect("search").total, 0);
    assert_eq!(index.search_rows(&find("康宁药房")).expect("search").total, 1);
    let yesterday = RowRequest { today: today.pred_opt().expect("day"), ..find("某某食品") };
    assert_eq!(index.search_rows(&yesterday).expect("search").total, 1, "it was public until yesterday");

    // Across kinds: counted per kind, newest first.
    let all = index.search_rows(&find("保质期")).expect("search");
    assert_eq!(all.total, 3);
    assert_eq!(all.kinds, vec![("penalty".to_string(), 2), ("power".to_string(), 1)]);
    let ids = all.ids.clone();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");

    // The table's filters, the org and the org's tree.
    let natural = RowRequest { filter1: "自然人".into(), ..in_kind("保质期", "penalty") };
    assert_eq!(index.search_rows(&natural).expect("search").total, 1);
    let of_market = RowRequest { org_id: Some(dept.id), ..find("保质期") };
    assert_eq!(index.search_rows(&of_market).expect("search").total, 2);
    let tree = RowRequest { org_path: Some(root.path.as_str().to_string()), ..find("保质期") };
    assert_eq!(index.search_rows(&tree).expect("search").total, 3, "the district's tree holds the department's rows");
    let page = RowRequest { offset: 2, limit: 2, ..find("保质期") };
    assert_eq!(index.search_rows(&page).expect("search").ids.len(), 1);
    assert_eq!(index.search_rows(&find("。。")).expect("search").total, 0, "punctuation finds nothing");

    // A cancelled row leaves the index when the outbox is followed.
    let row = ids[0];
    signed(
        &store,
        &district,
        "power",
        AdjustKind::Cancel,
        vec![RowChange { row_id: Some(row), values: Values::new() }],
    )
    .await;
    index.catch_up(&store, 0).await.expect("catch up");
    assert_eq!(index.search_rows(&find("保质期")).expect("search").total, 2);

    // An index from before rows were searched (no rows folder): filled from the store.
    drop(index);
    std::fs::remove_dir_all(dir.path().join("index").join("rows")).expect("remove rows");
    let (index, _) = SearchIndex::open(&dir.path().join("index")).expect("index");
    assert!(!index.rows_ready(), "the store answers until the rows are in");
    index.catch_up(&store, 0).await.expect("catch up");
    assert!(index.rows_ready());
    assert_eq!(index.search_rows(&find("保质期")).expect("search").total, 2);
}
