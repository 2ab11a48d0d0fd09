//! Search over the real corpus: folding, the substring-recall rule, document and index
//! numbers, facets, catch-up after a missed change, and rebuilding while queries run.

use gongkai_search::{SearchIndex, SearchRequest, Sort};
use gongkai_store::importer::{ImportTarget, import_document};
use gongkai_store::{AuditCtx, ImportOutcome, Store};
use std::sync::Arc;

const DOCS: &[(&str, &str)] = &[
    ("000", include_str!("../../../../demo/corpus/000_a46ebe3c9fae9831.txt")),
    ("001", include_str!("../../../../demo/corpus/001_48fbd0a234bc08f9.txt")),
    ("002", include_str!("../../../../demo/corpus/002_b0d84d08535e947a.txt")),
    ("003", include_str!("../../../../demo/corpus/003_b2b1b5630be58451.txt")),
    ("004", include_str!("../../../../demo/corpus/004_0bc03b790c89a567.txt")),
];

struct Fixture {
    store: Store,
    index: SearchIndex,
    ids: Vec<i64>,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let store =
        Store::open_and_migrate(&format!("sqlite://{}", dir.path().join("gk.db").display())).await.expect("store");
    let ctx = AuditCtx::cli();
    let root = gongkai_testkit::stores::org(&store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
    let dept = gongkai_testkit::stores::org(&store, Some("11500114009130039C"), "014109453", "常州市经信委").await;
    let mut ids = Vec::new();
    for (name, text) in DOCS {
        let org = if *name == "003" { dept.id } else { root.id };
        let r =
            import_document(&store, &ctx, ImportTarget { org_id: org, section_id: None }, name, text.as_bytes(), "txt")
                .await;
        let Ok(ImportOutcome::Created { id, .. }) = r.outcome else { panic!("import {name}") };
        ids.push(id);
    }
    let (index, fresh) = SearchIndex::open(&dir.path().join("index")).expect("index");
    assert!(fresh);
    assert_eq!(index.catch_up(&store, 0).await.expect("catch up"), 5);
    Fixture { store, index, ids, _dir: dir }
}

fn q(text: &str) -> SearchRequest {
    SearchRequest { q: text.into(), page: 1, per_page: 10, ..Default::default() }
}

#[tokio::test]
async fn simplified_and_traditional_find_each_other() {
    let f = fixture().await;
    let simplified = f.index.search(&q("政务公开")).expect("search");
    assert_eq!(simplified.total, 4, "every corpus document but 000 (which says 政府信息公开) speaks of 政务公开");
    let ids: Vec<u64> = f.index.search(&q("鄉鎮政務公開實施方案")).expect("search").hits.iter().map(|h| h.id).collect();
    assert_eq!(ids.first(), Some(&(f.ids[1] as u64)), "the traditional text is found by a traditional query");
    let ids: Vec<u64> = f.index.search(&q("乡镇政务公开实施方案")).expect("search").hits.iter().map(|h| h.id).collect();
    assert_eq!(ids.first(), Some(&(f.ids[1] as u64)), "and by the simplified one");
    // Taiwan words as a mainland reader says them: 資訊 is 信息. The query as typed still
    // counts — 001, written in traditional characters on the mainland, says 資料 (资料),
    // which Taiwan's vocabulary would read as 数据.
    let mainland = f.index.search(&q("政府信息公开")).expect("search");
    let taiwan = f.index.search(&q("政府資訊公開")).expect("search");
    assert!(mainland.total > 0);
    assert_eq!(
        taiwan.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        mainland.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        "政府資訊公開 finds what 政府信息公开 finds"
    );
    let hit = &taiwan.with_snippets(&f.store).await.expect("snippets").hits[0];
    assert!(hit.snippet.contains("<b>政府信息公开</b>"), "the mainland words are highlighted: {}", hit.snippet);
    let ids: Vec<u64> = f.index.search(&q("資料")).expect("search").hits.iter().map(|h| h.id).collect();
    assert!(ids.contains(&(f.ids[1] as u64)), "資料 as typed still finds 001: {ids:?}");
    let r = f.index.search(&q("政務公開")).expect("search");
    assert!(r.hits.iter().all(|h| h.snippet.is_empty()), "the index keeps no texts");
    let hit = &r.with_snippets(&f.store).await.expect("snippets").hits[0];
    assert!(hit.snippet.contains("<b>"), "snippets highlight: {}", hit.snippet);
}

/// A word that names an org finds that org's items and those below it, after the texts
/// that have the word.
#[tokio::test]
async fn a_word_of_an_org_name_finds_its_items_and_those_below() {
    let f = fixture().await;
    let orgs: std::sync::Arc<[gongkai_search::NamedOrg]> = f
        .store
        .orgs()
        .await
        .expect("orgs")
        .into_iter()
        .map(|o| gongkai_search::NamedOrg::new(&o.name, &o.short_name, o.path.as_str()))
        .collect();
    let ids = |r: gongkai_search::SearchResults| r.hits.iter().map(|h| h.id).collect::<Vec<u64>>();
    let text_only = ids(f.index.search(&q("黔江")).expect("search"));
    assert_eq!(text_only, vec![f.ids[4] as u64], "only 004 says 黔江");
    let with_orgs = ids(f.index.search(&SearchRequest { orgs: Some(orgs.clone()), ..q("黔江") }).expect("search"));
    assert_eq!(with_orgs.len(), 5, "every item of 黔江 and of the department below it: {with_orgs:?}");
    assert_eq!(with_orgs[0], f.ids[4] as u64, "the text saying 黔江 first");
    // With another word: both must hold.
    let both = ids(f.index.search(&SearchRequest { orgs: Some(orgs), ..q("黔江 双随机") }).expect("search"));
    let plain = ids(f.index.search(&q("双随机")).expect("search"));
    assert!(!plain.is_empty());
    assert_eq!(both.len(), plain.len(), "every text saying 双随机 is an item of 黔江's subtree");
    // A word only an org's name has is not a missing word: with one no text has, the
    // suggestion keeps the org's word and drops the other.
    let dept = f.store.orgs().await.expect("orgs").into_iter().find(|o| o.name == "常州市经信委").expect("dept");
    let town: std::sync::Arc<[gongkai_search::NamedOrg]> =
        vec![gongkai_search::NamedOrg::new("重庆市黔江区濯水镇人民政府", "濯水镇", dept.path.as_str())].into();
    assert!(f.index.search(&q("濯水")).expect("search").hits.is_empty(), "no text says 濯水");
    let r = f.index.search(&SearchRequest { orgs: Some(town), ..q("濯水 外星人") }).expect("search");
    assert_eq!((r.total, r.suggestion.as_deref()), (0, Some("濯水")));
}

/// Withdraws these items as an approver of the district (made on the first call), without
/// the index catching up.
async fn withdraw(store: &Store, ids: &[i64]) {
    let ctx = AuditCtx::cli();
    let name = gongkai_core::Username::parse("approver").expect("name");
    let user = match store.user_by_username(&name).await.expect("read") {
        Some(u) => u,
        None => store
            .create_user(
                &ctx,
                gongkai_store::NewUser {
                    org_code: "11500114009130039C".into(),
                    username: name,
                    display_name: String::new(),
                    password_hash: "x".into(),
                    roles: vec![gongkai_core::Role::Approver],
                },
            )
            .await
            .expect("user"),
    };
    let approver = store.actor(user.id).await.expect("actor").expect("active");
    for &id in ids {
        let withdraw = gongkai_core::item::Command::Withdraw { reason: "内容需更正".into() };
        store
            .apply(&ctx, &approver, id, withdraw, gongkai_store::TransitionExtra::default(), &[])
            .await
            .expect("withdrawn");
    }
}

/// The index keeps no texts: snippets are made from the store's. A hit withdrawn since the
/// index last caught up still answers, with an empty snippet; the others are highlighted.
#[tokio::test]
async fn snippets_come_from_the_store_and_a_hit_withdrawn_meanwhile_has_none() {
    let f = fixture().await;
    withdraw(&f.store, &[f.ids[4]]).await;
    let r = f.index.search(&q("政务公开")).expect("search").with_snippets(&f.store).await.expect("snippets");
    assert_eq!(r.total, 4, "the index has not caught up with the withdrawal");
    for h in &r.hits {
        if h.id == f.ids[4] as u64 {
            assert_eq!(h.snippet, "", "no text for a hit the public may no longer see");
        } else {
            assert!(h.snippet.contains("<b>政务公开</b>") || h.snippet.contains("<b>政務公開</b>"), "{}", h.snippet);
        }
    }
    assert!(r.hits.iter().any(|h| h.id == f.ids[4] as u64));
}

/// A page of four or more hits makes its snippets on two threads, half each: every hit
/// gets the snippet it gets on a page of its own (made on one).
#[tokio::test]
async fn a_page_made_on_two_threads_gives_each_hit_its_own_snippet() {
    let f = fixture().await;
    let whole = f.index.search(&q("政务公开")).expect("search").with_snippets(&f.store).await.expect("snippets");
    assert_eq!(whole.hits.len(), 4);
    for (n, hit) in whole.hits.iter().enumerate() {
        let one = SearchRequest { page: n + 1, per_page: 1, ..q("政务公开") };
        let alone = f.index.search(&one).expect("search").with_snippets(&f.store).await.expect("snippets");
        assert_eq!(alone.hits[0].id, hit.id);
        assert_eq!(alone.hits[0].snippet, hit.snippet, "hit {n}");
        assert!(hit.snippet.contains("<b>政务公开</b>") || hit.snippet.contains("<b>政務公開</b>"), "{}", hit.snippet);
    }
}

/// A hit whose query is in its title alone shows its text's opening, the index telling so
/// without the text being read; a hit with the query in its text too — written in
/// traditional characters, across punctuation, far into the body, in an attachment, or in
/// the title and the text both — is highlighted there. One withdrawn since the index last
/// caught up shows nothing.
#[tokio::test]
async fn a_query_in_the_title_alone_shows_the_opening_and_in_the_text_is_marked() {
    let f = fixture().await;
    let ctx = AuditCtx::cli();
    let org = f.store.orgs().await.expect("orgs").into_iter().find(|o| o.parent_id.is_none()).expect("root");
    let filler = "本机关依法做好各项工作，接受社会监督。".repeat(400);
    let items: [(&str, String, Vec<String>); 6] = [
        ("关于第一五〇批试点的通知", format!("各单位：现将有关事项通知如下。{filler}"), vec![]),
        ("试点情况通报", format!("見第一五〇批試點名單。{filler}"), vec![]),
        ("另一份通报", format!("{filler}请对照第一，五〇批名单执行。"), vec![]),
        ("附件情况说明", filler.clone(), vec!["附件：第一五〇批名单".to_string()]),
        ("第一五〇批名单的说明", format!("第一五〇批名单如下。{filler}"), vec![]),
        ("又一份第一五〇批的通知", "没有相关内容。".to_string(), vec![]),
    ];
    let mut ids = Vec::new();
    for (k, (title, body, attachments)) in items.iter().enumerate() {
        let r = f
            .store
            .import_item(
                &ctx,
                org.id,
                gongkai_store::import::ImportedItem {
                    draft: gongkai_store::ItemDraft {
                        title: title.to_string(),
                        body: gongkai_core::html::from_plain_text(body),
                        genre: "其他文件".into(),
                        ..Default::default()
                    },
                    index_no: None,
                    published_at: f.store.now() - chrono::Duration::days(1),
                    validity: gongkai_core::item::Validity::Valid,
                    repealed_on: None,
                    source_key: format!("title-alone-{k}"),
                    source: format!("title-alone-{k}"),
                    attachments: attachments
                        .iter()
                        .map(|t| gongkai_store::NewAttachment {
                            name: "名单.pdf".into(),
                            kind: gongkai_store::files::FileKind::Pdf,
                            size: 1,
                            sha256: format!("{:064x}", k),
                            text: t.clone(),
                        })
                        .collect(),
                },
            )
            .await
            .expect("import");
        let ImportOutcome::Created { id, .. } = r else { panic!("created") };
        ids.push(id as u64);
    }
    f.index.catch_up(&f.store, 0).await.expect("catch up");
    let search = || async {
        let r = f.index.search(&q("第一五〇批")).expect("search").with_snippets(&f.store).await.expect("snippets");
        assert_eq!(r.total, 6, "every item has it in its title or text");
        r.hits.into_iter().map(|h| (h.id, h.snippet)).collect::<std::collections::HashMap<u64, String>>()
    };
    let snippets = search().await;
    let of = |k: usize| snippets[&ids[k]].trim();
    assert!(of(0).starts_with("各单位：现将有关事项通知如下。") && !of(0).contains("<b>"), "the opening: {}", of(0));
    assert!(of(1).contains("見<b>第一五〇批</b>試點"), "traditional: {}", of(1));
    assert!(of(2).contains("<b>第一，五〇批</b>"), "across punctuation, at the end: {}", of(2));
    assert!(of(3).contains("<b>第一五〇批</b>名单"), "in an attachment: {}", of(3));
    assert!(of(4).contains("<b>第一五〇批</b>名单如下"), "in the title and the text: {}", of(4));
    assert_eq!(of(5), "没有相关内容。", "a short text's opening is all of it");

    // Withdrawn meanwhile, whether its query is in its text or in its title alone: nothing.
    withdraw(&f.store, &[ids[0] as i64, ids[4] as i64]).await;
    let snippets = search().await;
    assert_eq!((snippets[&ids[0]].as_str(), snippets[&ids[4]].as_str()), ("", ""));
    assert!(snippets[&ids[2]].contains("<b>"));
}

#[tokio::test]
async fn any_substring_of_two_or_more_characters_finds_its_document() {
    let f = fixture().await;
    let mut seed = 42u64;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for (i, id) in f.ids.iter().enumerate() {
        let item = f.store.public_item(*id).await.expect("read").expect("public");
        let text: Vec<char> = gongkai_core::html::to_text(&item.body).chars().filter(|c| c.is_alphanumeric()).collect();
        for _ in 0..40 {
            let len = 2 + next() % 7;
            let start = next() % (text.len() - len);
            let sub: String = text[start..start + len].iter().collect();
            let mut req = q(&sub);
            req.per_page = 100;
            let found = f.index.search(&req).expect("search");
            assert!(found.hits.iter().any(|h| h.id == *id as u64), "document {i}: 「{sub}」 did not find it");
        }
    }
}

#[tokio::test]
async fn document_and_index_numbers_come_first_in_every_bracket_form() {
    let f = fixture().await;
    for no in ["黔江府办发〔2017〕53号", "黔江府办发[2017]53号", "黔江府办发(2017)53号", "黔江府办发（2017）53号"]
    {
        let r = f.index.search(&q(no)).expect("search").with_snippets(&f.store).await.expect("snippets");
        assert_eq!(r.hits.first().map(|h| h.id), Some(f.ids[4] as u64), "{no}");
        // Nothing to highlight in a look-up: the snippet is the opening of the text (kept in
        // the index, so such a page reads nothing from the store).
        let item = f.store.public_item(f.ids[4]).await.expect("read").expect("public");
        let text = format!("{}\n{}", item.summary, gongkai_core::html::to_text(&item.body));
        let opening = gongkai_core::html::escape(&text.chars().take(120).collect::<String>());
        assert_eq!(r.hits[0].snippet, opening, "{no}");
        assert!(opening.chars().count() >= 100 && !opening.contains("<b>"), "{no}: {opening}");
    }
    let r = f.index.search(&q("014109453/2018-00070")).expect("search");
    assert_eq!(r.hits.first().map(|h| h.id), Some(f.ids[3] as u64));
    assert_eq!(r.hits[0].index_no, "014109453/2018-00070");
}

#[tokio::test]
async fn filters_and_facets_count_what_is_there() {
    let f = fixture().await;
    let all = f.index.search(&SearchRequest { page: 1, per_page: 10, ..Default::default() }).expect("search");
    assert_eq!(all.total, 5);
    let org_counts: std::collections::HashMap<String, u64> = all.facets.org.iter().cloned().collect();
    assert_eq!(org_counts.get("014109453"), Some(&1));
    assert_eq!(org_counts.get("11500114009130039C"), Some(&4));
    let genres: std::collections::HashMap<String, u64> = all.facets.genre.iter().cloned().collect();
    assert_eq!(genres.get("行政规范性文件"), Some(&1));
    // The top org's filter includes the department below it.
    let mut req = q("公开");
    req.org_path = Some("/1/".into());
    assert_eq!(f.index.search(&req).expect("search").total, 5);
    req.org_path = Some("/1/2/".into());
    assert_eq!(f.index.search(&req).expect("search").total, 1);
    let mut by_year = q("政务公开");
    by_year.year = Some(2018);
    assert_eq!(f.index.search(&by_year).expect("search").total, 2);
    let mut dated = q("政务公开");
    dated.sort = Sort::Date;
    let r = f.index.search(&dated).expect("search");
    let dates: Vec<_> = r.hits.iter().map(|h| h.published_at).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
}

#[tokio::test]
async fn bad_queries_give_a_note_not_an_error() {
    let f = fixture().await;
    for bad in ["\"政务公开", "，。！？", "\u{0}\u{1}", &"政".repeat(10_000)] {
        let r = f.index.search(&q(bad)).expect("no error");
        assert!(r.note.is_some() || r.total > 0, "{bad:?}");
    }
    let r = f.index.search(&q("，。！？")).expect("search");
    assert_eq!(r.total, 0);
    assert!(r.note.expect("note").contains("标点"));
}

#[tokio::test]
async fn a_node_that_missed_changes_catches_up_and_rebuilds_while_serving() {
    let f = fixture().await;
    // A change made while this index was not following: a validity change of 004.
    let importer = f.store.clone();
    let ctx = AuditCtx::cli();
    let (_, created) = importer
        .file_request(
            &ctx,
            gongkai_store::NewRequest {
                description: "与索引无关的申请".into(),
                ..gongkai_testkit::requests::new_request(1, chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"))
            },
        )
        .await
        .expect("unrelated write");
    assert!(created);
    let extra = "关于公布2026年黔江区生态环境保护督察整改情况的通告\n\n为回应群众关切，现将整改情况公告如下。\n\n重庆市黔江区人民政府\n2026年11月1日\n";
    let r = import_document(
        &f.store,
        &ctx,
        ImportTarget { org_id: 1, section_id: None },
        "late.txt",
        extra.as_bytes(),
        "txt",
    )
    .await;
    let Ok(ImportOutcome::Created { id, .. }) = r.outcome else { panic!("import") };
    let before_catch_up = f.index.search(&q("生态环境保护督察整改")).expect("search");
    assert!(!before_catch_up.hits.iter().any(|h| h.id == id as u64), "not yet seen");
    let before = f.index.applied();
    assert_eq!(f.index.catch_up(&f.store, 0).await.expect("catch up"), 1);
    assert!(f.index.applied() > before);
    let r = f.index.search(&q("生态环境保护督察整改")).expect("search");
    assert_eq!(r.hits.first().map(|h| h.id), Some(id as u64));

    // Rebuild while queries run: every query answers, with the full set before and after.
    let index = Arc::new(f.index);
    let expected = index.search(&q("公开")).expect("search").total;
    assert_eq!(expected, 5, "the new notice says 公告 and 公布, not 公开");
    let searching = {
        let index = index.clone();
        tokio::spawn(async move {
            for _ in 0..200 {
                let r = index.search(&q("公开")).expect("search during rebuild");
                assert_eq!(r.total, expected, "the old index serves until the new one is committed");
                tokio::task::yield_now().await;
            }
        })
    };
    let n = index.rebuild(&f.store, &mut |_| {}).await.expect("rebuild");
    assert_eq!(n, 6);
    searching.await.expect("queries");
    assert_eq!(index.search(&q("公开")).expect("search").total, expected);
    assert_eq!(index.search(&q("生态环境保护督察整改")).expect("search").total, 1);
}

/// An index that cannot be opened — its metadata torn by a crash, or written by an older
/// version with another schema — is set aside or replaced at start, and the store fills the
/// new one again.
#[tokio::test]
async fn an_index_that_cannot_be_opened_is_rebuilt_from_the_store() {
    let f = fixture().await;
    let dir = f._dir.path().join("index");
    let expected = f.index.search(&q("政务公开")).expect("search").total;
    assert!(expected > 0);
    drop(f.index);

    // Torn metadata (a crash in the middle of writing it): set aside, rebuilt.
    std::fs::write(dir.join("meta.json"), b"{\"segments\": [").expect("tear");
    let (index, fresh) = SearchIndex::open(&dir).expect("open");
    assert!(fresh, "a new, empty index");
    assert!(
        std::fs::read_dir(f._dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("index.broken-")),
        "the unreadable one is kept aside for inspection"
    );
    assert_eq!(index.catch_up(&f.store, 0).await.expect("catch up"), 5);
    assert_eq!(index.search(&q("政务公开")).expect("search").total, expected);
    drop(index);

    // An index of another schema (an older version): replaced, nothing kept aside.
    std::fs::remove_dir_all(&dir).expect("clear");
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("title", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(std::fs::create_dir_all(&dir).map(|_| &dir).expect("dir"), b.build())
        .expect("old index");
    let before = std::fs::read_dir(f._dir.path()).expect("list").count();
    let (index, fresh) = SearchIndex::open(&dir).expect("open");
    assert!(fresh);
    assert_eq!(std::fs::read_dir(f._dir.path()).expect("list").count(), before, "no copy left behind");
    assert_eq!(index.catch_up(&f.store, 0).await.expect("catch up"), 5);
    assert_eq!(index.search(&q("政务公开")).expect("search").total, expected);
}
