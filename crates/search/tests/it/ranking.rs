//! Ranking on a small fixed set of real texts (six laws and regulations from shared/laws,
//! one of them 53,000 characters long): the exact title first — typed without
//! 中华人民共和国, in traditional characters, or with punctuation; a document number first in
//! any bracket form; the valid version of a regulation above its repealed one with the same
//! title; a long text not winning a word just by being long; parts close together above
//! parts far apart; a mistyped title still finding its text; a year or an org name as a
//! filter.

use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_core::item::Validity;
use gongkai_core::{OrgIdent, OrgKind};
use gongkai_search::{SearchIndex, SearchRequest};
use gongkai_store::import::ImportedItem;
use gongkai_store::{AuditCtx, ImportOutcome, ItemDraft, NewOrg, Store};
use std::collections::HashMap;

const LAWS: &str = include_str!("data/laws.jsonl");

struct Fixture {
    index: SearchIndex,
    ids: HashMap<String, u64>,
    repealed: u64,
    _dir: tempfile::TempDir,
}

#[derive(serde::Deserialize)]
struct Law {
    title: String,
    body: String,
    written_on: Option<NaiveDate>,
}

async fn import(store: &Store, org: i64, key: &str, law: &Law, doc_no: &str, validity: Validity, year: i32) -> u64 {
    let r = store
        .import_item(
            &AuditCtx::cli(),
            org,
            ImportedItem {
                draft: ItemDraft {
                    title: law.title.clone(),
                    doc_no: doc_no.into(),
                    body: gongkai_core::html::from_plain_text(&law.body),
                    genre: "法律法规".into(),
                    written_on: law.written_on,
                    ..Default::default()
                },
                index_no: None,
                published_at: Utc.with_ymd_and_hms(year, 6, 1, 2, 0, 0).single().expect("date"),
                validity,
                repealed_on: None,
                source_key: key.into(),
                source: key.into(),
                attachments: Vec::new(),
            },
        )
        .await
        .expect("import");
    let ImportOutcome::Created { id, .. } = r else { panic!("created") };
    id as u64
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        Store::open_and_migrate(&format!("sqlite://{}", dir.path().join("gk.db").display())).await.expect("store");
    let ctx = AuditCtx::cli();
    let org = |code: &str, name: &str, parent: Option<&str>| NewOrg {
        parent_code: parent.map(str::to_string),
        ident: OrgIdent::parse(code).expect("code"),
        name: name.into(),
        short_name: String::new(),
        kind: OrgKind::Government,
    };
    let state = store.create_org(&ctx, org("11100000000013127D", "中华人民共和国国务院", None)).await.expect("org");
    let district = store.create_org(&ctx, org("11500114009130039C", "重庆市黔江区人民政府", None)).await.expect("org");
    let mut ids = HashMap::new();
    for (i, line) in LAWS.lines().enumerate() {
        let law: Law = serde_json::from_str(line).expect("law");
        // A document number for the test (not the law's real one) on the second text.
        let doc_no = if i == 1 { "国办发〔2012〕12号" } else { "" };
        let id = import(&store, state.id, &format!("law-{i}"), &law, doc_no, Validity::Valid, 2020).await;
        ids.insert(law.title.clone(), id);
    }
    // An older, repealed version of the flood-control regulation, with the same title.
    let flood: Law = serde_json::from_str(LAWS.lines().next_back().expect("law")).expect("law");
    let repealed = import(&store, state.id, "flood-old", &flood, "", Validity::Repealed, 2005).await;
    // One notice of another org, for the org-name filter.
    let notice = Law {
        title: "关于做好防汛工作的通知".into(),
        body: "各乡镇人民政府、街道办事处：为做好汛期防汛工作，现通知如下。".into(),
        written_on: None,
    };
    ids.insert("notice".into(), import(&store, district.id, "notice", &notice, "", Validity::Valid, 2024).await);
    // A judicial interpretation and its sequel, whose text names the first one twice: the
    // same title but for its （二）.
    let first = "最高人民法院关于审理期货纠纷案件若干问题的规定";
    for (key, title, body, year) in [
        (
            "futures-1",
            first.to_string(),
            format!("为了正确审理期货纠纷案件，制定本规定。{}", "期货公司应当按照交易所的规则办理结算。".repeat(300)),
            2003,
        ),
        (
            "futures-2",
            format!("{first}（二）"),
            format!(
                "为解决期货纠纷案件中的保证金问题，根据《{first}》，制定本规定。本规定与《{first}》不一致的，以本规定为准。"
            ),
            2011,
        ),
    ] {
        let law = Law { title: title.clone(), body, written_on: None };
        ids.insert(title, import(&store, state.id, key, &law, "", Validity::Valid, year).await);
    }
    let (index, _) = SearchIndex::open(&dir.path().join("index")).expect("index");
    index.catch_up(&store, 0).await.expect("catch up");
    Fixture { index, ids, repealed, _dir: dir }
}

/// The fixture's index opened again, counting exactly up to `cap` matches and scanned by
/// two threads from `parallel_from` documents.
fn reopen(f: &Fixture, cap: usize, parallel_from: u64) -> SearchIndex {
    SearchIndex::open(&f._dir.path().join("index"))
        .expect("open")
        .0
        .with_exact_up_to(cap)
        .with_parallel_from(parallel_from)
}

fn first(f: &Fixture, q: &str) -> Option<u64> {
    f.index
        .search(&SearchRequest { q: q.into(), page: 1, per_page: 10, ..Default::default() })
        .expect("search")
        .hits
        .first()
        .map(|h| h.id)
}

fn rank(f: &Fixture, q: &str, id: u64) -> Option<usize> {
    let r =
        f.index.search(&SearchRequest { q: q.into(), page: 1, per_page: 10, ..Default::default() }).expect("search");
    r.hits.iter().position(|h| h.id == id).map(|p| p + 1)
}

#[tokio::test]
async fn the_right_document_comes_first() {
    let f = fixture().await;
    let id = |t: &str| f.ids[t];

    // Exact titles, as people type them.
    for title in f.ids.keys().filter(|t| *t != "notice") {
        assert_eq!(first(&f, title), Some(id(title)), "{title}");
        let plain = title.trim_start_matches("中华人民共和国");
        assert_eq!(first(&f, plain), Some(id(title)), "{plain}");
    }
    assert_eq!(first(&f, "國家情報法"), Some(id("中华人民共和国国家情报法")), "traditional characters");
    // A title typed whole comes before its sequel, which has the same words but for （二）.
    let futures = "最高人民法院关于审理期货纠纷案件若干问题的规定";
    assert_eq!(first(&f, futures), Some(id(futures)), "the title, not its sequel");
    assert_eq!(first(&f, &format!("{futures}（二）")), Some(id(&format!("{futures}（二）"))));
    assert_eq!(first(&f, &format!("{futures}(二)")), Some(id(&format!("{futures}（二）"))), "any brackets");
    assert_eq!(first(&f, "《拘留所条例》"), Some(id("拘留所条例")), "punctuation ignored");
    assert_eq!(first(&f, "ＳＨＥＮＧ 拘留所条例"), None, "full-width letters fold, and must still appear");

    // A document number in any bracket form.
    for q in ["国办发〔2012〕12号", "国办发[2012]12号", "国办发(2012)12号", "国办发（2012）12号"] {
        assert_eq!(first(&f, q), Some(id("拘留所条例")), "{q}");
    }

    // The valid version above the repealed one with the same title.
    let flood = id("中华人民共和国防汛条例");
    assert_eq!(first(&f, "防汛条例"), Some(flood));
    assert_eq!(rank(&f, "防汛条例", f.repealed), Some(2));

    // Length: 监督 appears 12 times in the 53,000-character procedure rules and 8 times in
    // the 2,800-character iodised-salt regulation; the shorter text, denser in the word,
    // ranks above it.
    let salt = rank(&f, "监督", id("食盐加碘消除碘缺乏危害管理条例")).expect("salt");
    let long = rank(&f, "监督", id("公安机关办理刑事案件程序规定")).expect("long");
    assert!(salt < long, "salt {salt}, long {long}");

    // A title with a character missing or two words swapped still finds its text.
    assert_eq!(first(&f, "生产安全事应急条例"), Some(id("生产安全事故应急条例")));
    assert_eq!(first(&f, "应急生产安全事故条例"), Some(id("生产安全事故应急条例")));

    // A year or an org's name filters.
    let r = f
        .index
        .search(&SearchRequest { q: "2024年".into(), page: 1, per_page: 10, ..Default::default() })
        .expect("search");
    assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id("notice")]);
    let r = f
        .index
        .search(&SearchRequest {
            q: "重庆市黔江区人民政府".into(), page: 1, per_page: 10, ..Default::default()
        })
        .expect("search");
    assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id("notice")]);
    assert!(r.note.is_some_and(|n| n.contains("筛选")));
}

/// A query that finds nothing as typed is offered another: the words of the nearest title,
/// or the query without a word no document has. One that finds something is offered none.
#[tokio::test]
async fn a_query_that_finds_nothing_as_typed_is_offered_a_correction() {
    let f = fixture().await;
    let suggest = |q: &str| {
        f.index
            .search(&SearchRequest { q: q.into(), page: 1, per_page: 10, ..Default::default() })
            .expect("search")
            .suggestion
    };
    assert_eq!(suggest("生产安全事应急条例").as_deref(), Some("生产安全事故应急条例"), "a character missing");
    assert_eq!(suggest("应急生产安全事故条例").as_deref(), Some("生产安全事故应急条例"), "words swapped");
    assert_eq!(suggest("防汛条列").as_deref(), Some("防汛条例"), "a character wrong");
    assert_eq!(suggest("防汛条例"), None, "found as typed");
    // A word no document has, beside words some have.
    assert_eq!(suggest("拘留所 量子纠缠").as_deref(), Some("拘留所"));
    assert_eq!(suggest("量子纠缠"), None, "nothing left to offer");
}

#[tokio::test]
async fn beyond_the_exact_count_totals_are_estimated_and_title_matches_still_lead() {
    let f = fixture().await;
    let all = f
        .index
        .search(&SearchRequest { q: "安全".into(), page: 1, per_page: 10, ..Default::default() })
        .expect("search");
    assert!(!all.total_is_estimate && all.total >= 3, "{}", all.total);
    let id = f.ids["生产安全事故应急条例"];
    assert_eq!(all.hits.first().map(|h| h.id), Some(id));
    // Counting exactly only up to one match: the scan stops after the first, estimates the
    // rest, and still finds the text with the word in its title.
    let r = reopen(&f, 1, u64::MAX)
        .search(&SearchRequest { q: "安全".into(), page: 1, per_page: 10, ..Default::default() })
        .expect("search");
    assert!(r.total_is_estimate);
    assert!(r.total >= 1);
    assert_eq!(r.hits.first().map(|h| h.id), Some(id));
    // The capped scan and the search for title matches score a document alike, so one both
    // found is listed once, and the page holds the title matches an exact count shows.
    let mut checked = 0;
    for q in ["安全", "条例", "管理", "人民政府", "应急 条例"] {
        let req = SearchRequest { q: q.into(), page: 1, per_page: 20, ..Default::default() };
        let exact = f.index.search(&req).expect("search");
        let everything = f.index.search(&SearchRequest { per_page: 100, ..req.clone() }).expect("search");
        assert!(everything.total <= 100 && !everything.total_is_estimate);
        for cap in [1, 2, 3, 8] {
            let r = reopen(&f, cap, u64::MAX).search(&req).expect("search");
            let ids: Vec<u64> = r.hits.iter().map(|h| h.id).collect();
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{q} capped at {cap}: {ids:?}");
            let titled = |r: &gongkai_search::SearchResults| {
                let parts: Vec<&str> = q.split_whitespace().collect();
                r.hits.iter().filter(|h| parts.iter().all(|p| h.title.contains(p))).map(|h| h.id).collect::<Vec<_>>()
            };
            // The search for title matches stops at the cap too: when they are fewer, those of
            // an exact count's page come first, in its order (documents the capped scan did
            // not reach can only leave room for more).
            if titled(&everything).len() <= cap {
                let (capped, exact) = (titled(&r), titled(&exact));
                assert!(capped.starts_with(&exact), "{q} capped at {cap}: {capped:?} vs {exact:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "title matches checked {checked} times");
}

#[tokio::test]
async fn parts_close_together_rank_above_parts_far_apart() {
    let f = fixture().await;
    // 监督 and 人员: the iodised-salt regulation has them together once (监督人员); the
    // emergency regulation has them 17 and 33 times, never within 24 characters. Closeness
    // wins over counts.
    let together = rank(&f, "监督 人员", f.ids["食盐加碘消除碘缺乏危害管理条例"]).expect("together");
    let apart = rank(&f, "监督 人员", f.ids["生产安全事故应急条例"]).expect("apart");
    assert!(together < apart, "together {together}, apart {apart}");
}

/// A large index is scanned by two threads; what they find is the same as one thread finds
/// whenever the count is exact, and the same on every run when the scan stops at the cap.
#[tokio::test]
async fn two_threads_scanning_find_what_one_finds() {
    let f = fixture().await;
    let open = |cap: usize, parallel_from: u64| reopen(&f, cap, parallel_from);
    let key = |r: &gongkai_search::SearchResults| {
        (r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), r.total, r.total_is_estimate, format!("{:?}", r.facets))
    };
    for q in ["安全", "条例", "管理", "防汛", "人民政府"] {
        let req = SearchRequest { q: q.into(), page: 1, per_page: 3, ..Default::default() };
        let one = open(1000, u64::MAX).search(&req).expect("search");
        let two = open(1000, 0).search(&req).expect("search");
        assert!(!one.total_is_estimate);
        assert_eq!(key(&two), key(&one), "{q}: exact counts agree");
        for cap in [1, 2, 3] {
            let two = open(cap, 0);
            let first = key(&two.search(&req).expect("search"));
            for _ in 0..5 {
                assert_eq!(key(&two.search(&req).expect("search")), first, "{q} capped at {cap}: the same every time");
            }
            // Beside other searches each scans its two halves on its own thread, one after
            // the other: the same halves, so the same page as alone.
            std::thread::scope(|scope| {
                for _ in 0..4 {
                    scope.spawn(|| {
                        for _ in 0..10 {
                            assert_eq!(
                                key(&two.search(&req).expect("search")),
                                first,
                                "{q} capped at {cap}: the same beside other searches"
                            );
                        }
                    });
                }
            });
            if (one.total as usize) < cap {
                assert_eq!(first, key(&one), "{q}: a total within the cap is exact");
            }
        }
    }
}

/// Newest first, page by page: the pages of a few results each, one after the other, are
/// the one long page, in date order, and hold what a relevance search finds — whether a
/// page was found among the latest dates or had to look further back (here: a notice of
/// 2024, six laws of 2020 — equal dates — and a repealed version of 2005).
#[tokio::test]
async fn newest_first_pages_are_the_date_order_of_every_match() {
    let f = fixture().await;
    let mut checked = 0;
    for q in ["条例", "人民政府", "防汛", "安全", "通知"] {
        let req = |page: usize, per_page: usize| SearchRequest {
            q: q.into(),
            sort: gongkai_search::Sort::Date,
            page,
            per_page,
            ..Default::default()
        };
        let everything = f.index.search(&req(1, 100)).expect("search");
        let relevance = f
            .index
            .search(&SearchRequest { q: q.into(), page: 1, per_page: 100, ..Default::default() })
            .expect("search");
        assert_eq!(everything.total, relevance.total, "{q}");
        assert!(!everything.total_is_estimate);
        assert_eq!(format!("{:?}", everything.facets), format!("{:?}", relevance.facets), "{q}");
        let ids: Vec<u64> = everything.hits.iter().map(|h| h.id).collect();
        let mut by_relevance: Vec<u64> = relevance.hits.iter().map(|h| h.id).collect();
        let mut sorted_ids = ids.clone();
        sorted_ids.sort_unstable();
        by_relevance.sort_unstable();
        assert_eq!(sorted_ids, by_relevance, "{q}: the same matches");
        let dates: Vec<_> = everything.hits.iter().map(|h| h.published_at).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{q}: newest first {dates:?}");
        for per_page in [1, 2, 3] {
            let mut paged = Vec::new();
            for page in 1..=ids.len().div_ceil(per_page) {
                let r = f.index.search(&req(page, per_page)).expect("search");
                assert_eq!(r.total, everything.total, "{q} page {page} of {per_page}");
                paged.extend(r.hits.iter().map(|h| h.id));
            }
            assert_eq!(paged, ids, "{q}, {per_page} a page");
        }
        if dates.first() != dates.last() {
            checked += 1;
        }
    }
    assert!(checked >= 3, "queries with matches of several dates: {checked}");
}
