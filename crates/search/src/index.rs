//! The index: its schema, opening (rebuilding what cannot be opened), following the outbox
//! and rebuilding from the store.

use crate::analysis::{BigramTokenizer, ZhTokenizer};
use crate::rows::{RowIndex, RowRequest, RowResults};
use gongkai_store::{PublicItem, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};
use thiserror::Error;

/// Matches are counted (and ranked) exactly up to this many; beyond it the scan stops, the
/// total and facets are estimated from the part scanned, and documents with every part in
/// the title are still looked for where it did not reach. It bounds the work of one search
/// (about half a microsecond per match scored, whatever the index's size): at 1,000,000
/// items every query of the benchmark's mix matches more than 10,000, and 2,000 is what
/// serves 500 distinct searches a second on two cores (DECISIONS, "Counting").
pub const EXACT_UP_TO: usize = 2_000;

/// Indexes at least this large are scanned by two threads (see
/// [`SearchIndex::with_parallel_from`]); a look-up of a document number is not.
pub const PARALLEL_FROM: u64 = 200_000;

/// Queries that may match at least this many documents are scanned by two threads on a
/// machine of two cores or more, whatever the size of the index: counting them is most of
/// what their page waits for.
pub const PARALLEL_MATCHES: u64 = 4_000;

/// What can go wrong with the index.
#[derive(Debug, Error)]
pub enum SearchError {
    /// The index itself.
    #[error("搜索索引错误：{0}")]
    Index(#[from] tantivy::TantivyError),
    /// The store, while reading what to index.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Files of the index directory.
    #[error("搜索索引目录错误：{0}")]
    Io(#[from] std::io::Error),
    /// The query could not be understood.
    #[error("{0}")]
    Query(String),
}

/// The fields of the schema.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub kind: Field,
    /// `gazette` when carried in a published issue of the 政府公报, else empty.
    pub source: Field,
    pub title: Field,
    pub title_bi: Field,
    /// The title as a key (folded, without 中华人民共和国 and bracketed parts, letters and
    /// digits only): an exact-title match.
    pub title_key: Field,
    /// The title with its bracketed parts, folded, letters only: a title typed whole.
    pub whole_title_key: Field,
    /// 内容概述, weighed between title and body.
    pub summary: Field,
    pub body_bi: Field,
    /// The opening of the text (what a hit shows when nothing in it is highlighted).
    pub lead: Field,
    pub doc_no: Field,
    pub index_no: Field,
    pub org_path: Field,
    pub org_code: Field,
    pub org_name: Field,
    pub topic: Field,
    pub genre: Field,
    pub validity: Field,
    pub year: Field,
    pub published: Field,
}

const ZH: &str = "gk_zh";
pub(crate) const BI: &str = "gk_bigram";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Bigram fields keep positions (every text query is a phrase of bigrams); word fields
    // only rank, by term, so they keep frequencies alone — a third less to write and merge.
    let text = |tok: &str, stored: bool| {
        let record = if tok == BI { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
        let o = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tok).set_index_option(record));
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        source: b.add_text_field("source", STRING | FAST),
        title: b.add_text_field("title", text(ZH, true)),
        title_bi: b.add_text_field("title_bi", text(BI, false)),
        title_key: b.add_text_field("title_key", STRING),
        whole_title_key: b.add_text_field("whole_title_key", STRING),
        summary: b.add_text_field("summary", text(ZH, false)),
        // The body's words are found through `body_bi`; it is not stored (snippets are made
        // from the store's text, see `SearchResults::with_snippets`), which halves the index.
        body_bi: b.add_text_field("body_bi", text(BI, false)),
        lead: b.add_text_field("lead", STORED),
        doc_no: b.add_text_field("doc_no", STRING | STORED),
        index_no: b.add_text_field("index_no", STRING | STORED),
        org_path: b.add_text_field("org_path", STRING),
        org_code: b.add_text_field("org_code", STRING | STORED | FAST),
        org_name: b.add_text_field("org_name", STRING | STORED),
        topic: b.add_text_field("topic", STRING | STORED | FAST),
        genre: b.add_text_field("genre", STRING | STORED | FAST),
        validity: b.add_text_field("validity", STRING | STORED | FAST),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        published: b.add_i64_field("published", INDEXED | STORED | FAST),
    };
    (b.build(), fields)
}

/// The text of an item that is searched and shown in snippets: 内容概述, the body (HTML) as
/// text and the text of its public attachments (`attachments`).
pub(crate) fn searchable_text(summary: &str, body: &str, attachments: &str) -> String {
    format!("{summary}\n{}\n{attachments}", gongkai_core::html::to_text(body))
}

/// The opening of a text that a hit shows when nothing in it is highlighted (a look-up by
/// number, a list by filters alone): kept in the index, so such a page reads no texts.
pub(crate) fn lead(text: &str) -> String {
    text.chars().take(120).collect()
}

/// The public items among `ids`, each with the text of its public attachments, in two
/// queries whatever their number.
pub(crate) async fn public_texts(store: &Store, ids: &[i64]) -> Result<Vec<(PublicItem, String)>, SearchError> {
    let items = store.public_items_by_ids(ids).await?;
    let revs: Vec<(i64, i64)> = items.iter().map(|p| (p.id, p.rev)).collect();
    let mut texts: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for a in store.public_attachments_of(&revs).await? {
        texts.entry(a.item_id).or_default().push(a.text);
    }
    Ok(items
        .into_iter()
        .map(|p| {
            let att = texts.remove(&p.id).unwrap_or_default().join("\n");
            (p, att)
        })
        .collect())
}

/// The writers of the two indexes, taken together.
struct Writers {
    items: IndexWriter,
    rows: IndexWriter,
}

/// The search index of one node.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) f: Fields,
    /// The rows of the public lists, in `rows/` inside the items' folder.
    pub(crate) rows: RowIndex,
    writer: Option<tokio::sync::Mutex<Writers>>,
    dir: PathBuf,
    generation: String,
    pub(crate) exact_up_to: usize,
    pub(crate) parallel_from: u64,
    /// Searches running now: one not alone is scanned by one thread (see [`Running`]).
    pub(crate) running: AtomicUsize,
    /// Documents holding each term looked up, for ranking (see [`DocFreqs`]).
    pub(crate) doc_freqs: DocFreqs,
    /// Each segment's facet columns, opened once per searcher generation.
    pub(crate) facet_columns: crate::facets::FacetColumns,
}

/// A search running, counted while it runs. A second thread shortens a search only when a
/// core is idle: beside other searches (a busy node, or a flood of distinct queries) it
/// takes a core from one of them and adds the handing over, so a search that is not alone
/// is scanned by one thread.
pub(crate) struct Running<'a>(&'a AtomicUsize);

impl<'a> Running<'a> {
    pub(crate) fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Running(count)
    }

    /// Whether no other search is running now.
    pub(crate) fn alone(&self) -> bool {
        self.0.load(Ordering::Relaxed) <= 1
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs `here` on this thread and `there` on the helper thread, both at once, and answers
/// both results: how a page alone shares its scan and its snippets (see [`Running`]). The
/// helper is one thread kept for the life of the process: a thread started for each page
/// cost its start and, with it, fresh memory for its allocations (the kernel zeroing a huge
/// page on the first touch), several times the handing over. With the helper busy (another
/// page's half) or not to be had (it could not be started), both run here, one after the
/// other: a page never waits in the helper's queue. A panic in either is raised here.
pub(crate) fn in_two<A: Send, B: Send>(here: impl FnOnce() -> A + Send, there: impl FnOnce() -> B + Send) -> (A, B) {
    static HELPER: std::sync::LazyLock<Option<rayon::ThreadPool>> = std::sync::LazyLock::new(helper);
    static BUSY: AtomicBool = AtomicBool::new(false);
    in_two_on(HELPER.as_ref(), &BUSY, here, there)
}

/// A pool of one thread, or none when it cannot be started.
fn helper() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(1).thread_name(|_| "gongkai-helper".into()).build().ok()
}

/// [`in_two`] with this helper, `busy` while it works for a caller.
fn in_two_on<A: Send, B: Send>(
    helper: Option<&rayon::ThreadPool>,
    busy: &AtomicBool,
    here: impl FnOnce() -> A + Send,
    there: impl FnOnce() -> B + Send,
) -> (A, B) {
    let Some(pool) = helper else { return (here(), there()) };
    if busy.swap(true, Ordering::Acquire) {
        return (here(), there());
    }
    /// Frees the helper however the scope ends (a panic included).
    struct Free<'a>(&'a AtomicBool);
    impl Drop for Free<'_> {
        fn drop(&mut self) {
            self.0.store(false, Ordering::Release);
        }
    }
    let _free = Free(busy);
    let mut theirs = None;
    let ours = pool.in_place_scope(|scope| {
        scope.spawn(|_| theirs = Some(there()));
        here()
    });
    match theirs {
        Some(theirs) => (ours, theirs),
        // The scope returns only once the helper's part has run (or re-raises its panic).
        None => unreachable!("the helper's part ran before its scope ended"),
    }
}

/// How many documents hold each term, as BM25 asks on every search that ranks (and the
/// search itself, to tell an org's name): each answer is a look-up in every segment's term
/// dictionary, the same for every search until the searcher changes. Kept for the searcher
/// of one generation, at most [`DocFreqs::MOST`] terms (then started again).
#[derive(Default)]
pub(crate) struct DocFreqs(std::sync::Mutex<(u64, std::collections::HashMap<Term, u64>)>);

impl DocFreqs {
    const MOST: usize = 100_000;

    /// Documents of `searcher` holding `term`.
    pub(crate) fn get(&self, searcher: &tantivy::Searcher, term: &Term) -> tantivy::Result<u64> {
        let generation = searcher.generation().generation_id();
        {
            let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 == generation
                && let Some(&n) = kept.1.get(term)
            {
                return Ok(n);
            }
        }
        let n = searcher.doc_freq(term)?;
        let mut kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.0 != generation || kept.1.len() >= Self::MOST {
            *kept = (generation, std::collections::HashMap::new());
        }
        kept.1.insert(term.clone(), n);
        Ok(n)
    }
}

/// What searches keep of a searcher between them: BM25's statistics (the documents holding
/// each term, from [`DocFreqs`]) and its segments' facet columns.
pub(crate) struct Statistics<'a> {
    pub(crate) searcher: &'a tantivy::Searcher,
    pub(crate) doc_freqs: &'a DocFreqs,
    pub(crate) facet_columns: &'a crate::facets::FacetColumns,
}

impl tantivy::query::Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        tantivy::query::Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        tantivy::query::Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.doc_freqs.get(self.searcher, term)
    }
}

/// Memory the index writer fills before it writes a segment (shared by its threads). Larger
/// segments mean fewer merges during a bulk import; memory is taken as documents arrive, so a
/// node indexing a few changes uses little of it.
const WRITER_BUDGET: usize = 256 * 1024 * 1024;

/// How often a catch-up that has not caught up yet commits what it applied: within seconds
/// of being stored an item is searchable, even during a bulk import. (Segments of a few
/// seconds are also quicker to build than one filling the writer's memory.)
pub const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The file naming an index directory's generation; a rebuild into a new directory swapped
/// in place has a new one, which tells a running server to reopen.
const GENERATION: &str = "GENERATION";

/// The generation of the index in `dir`, if any.
pub fn generation(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(GENERATION)).ok().map(|s| s.trim().to_string())
}

fn register(index: &Index) {
    index.tokenizers().register(ZH, ZhTokenizer);
    index.tokenizers().register(BI, BigramTokenizer);
}

/// The folder of the rows' index, inside the items'.
const ROWS: &str = "rows";

/// Memory the rows' writer fills before it writes a segment.
const ROWS_WRITER_BUDGET: usize = 64 * 1024 * 1024;

/// Opens the tantivy index in `dir`, creating it when absent; one of an older schema is
/// removed and one that cannot be opened moved aside, and a new empty one created. Answers
/// whether it is empty (to be filled from the store).
fn open_index(dir: &Path, schema: Schema) -> Result<(Index, bool), SearchError> {
    std::fs::create_dir_all(dir)?;
    let opened = tantivy::directory::MmapDirectory::open(dir)
        .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))
        .and_then(|d| Index::open_or_create(d, schema.clone()));
    let (mut index, fresh) = match opened {
        Ok(index) => {
            let empty = index.load_metas().map(|m| m.segments.is_empty()).unwrap_or(true);
            (index, empty)
        }
        Err(tantivy::TantivyError::SchemaError(e)) => {
            // An index of an older version: nothing in it is lost by building it again.
            tracing::warn!(error = %e, dir = %dir.display(), "search index of an older schema: rebuilding");
            std::fs::remove_dir_all(dir)?;
            std::fs::create_dir_all(dir)?;
            (Index::create_in_dir(dir, schema)?, true)
        }
        Err(e) => {
            tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable: rebuilding");
            let aside = dir.with_extension(format!("broken-{}", std::process::id()));
            std::fs::rename(dir, &aside)?;
            std::fs::create_dir_all(dir)?;
            (Index::create_in_dir(dir, schema)?, true)
        }
    };
    // Segments written from now on, also in an index made before this was set (blocks of
    // either size are read alike).
    index.settings_mut().docstore_blocksize = DOCSTORE_BLOCK;
    register(&index);
    Ok((index, fresh))
}

/// Bytes of stored fields compressed together. A results page reads twenty documents from
/// anywhere in the index, each from its own block, so a block is decompressed to read one
/// document of about 600 bytes: 4 KB rather than tantivy's 16 KB (DECISIONS, "The stored
/// fields in blocks of 4 KB").
const DOCSTORE_BLOCK: usize = 4 * 1024;

/// Every ancestor path of an org path (`/1/4/9/` → `/1/`, `/1/4/`, `/1/4/9/`).
pub(crate) fn ancestors(path: &str) -> Vec<String> {
    let ids: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (1..=ids.len()).map(|n| format!("/{}/", ids[..n].join("/"))).collect()
}

/// The path of org `org_id`, from `paths` (read again from the store when it is not there:
/// an org created since).
pub(crate) async fn org_path_of(
    store: &Store,
    paths: &mut Vec<(i64, String)>,
    org_id: i64,
) -> Result<String, SearchError> {
    if !paths.iter().any(|(id, _)| *id == org_id) {
        *paths = store.orgs().await?.into_iter().map(|o| (o.id, o.path.as_str().to_string())).collect();
    }
    Ok(paths.iter().find(|(id, _)| *id == org_id).map(|(_, p)| p.clone()).unwrap_or_default())
}

impl SearchIndex {
    /// Opens the index under `dir`, creating it when absent. An index that cannot be opened
    /// (a crash during a write that left it unreadable, an older schema) is moved aside and
    /// a new empty one created: answers `true` then, and the caller rebuilds it.
    pub fn open(dir: &Path) -> Result<(Self, bool), SearchError> {
        let (schema, f) = schema();
        let (index, fresh) = open_index(dir, schema)?;
        let (rows, _) = open_index(&dir.join(ROWS), crate::rows::schema().0)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        // Another process (a running server) may hold the writer: then this one only reads.
        let writer = match (index.writer(WRITER_BUDGET), rows.writer(ROWS_WRITER_BUDGET)) {
            (Ok(items), Ok(rows)) => Some(tokio::sync::Mutex::new(Writers { items, rows })),
            (Err(tantivy::TantivyError::LockFailure(..)), _) | (_, Err(tantivy::TantivyError::LockFailure(..))) => None,
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let rows = RowIndex::new(rows)?;
        let generation = match generation(dir) {
            Some(g) => g,
            None => {
                let g = format!(
                    "{:x}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos())
                        .unwrap_or(0)
                );
                std::fs::write(dir.join(GENERATION), &g)?;
                g
            }
        };
        Ok((
            Self {
                index,
                reader,
                f,
                rows,
                writer,
                dir: dir.to_path_buf(),
                generation,
                exact_up_to: EXACT_UP_TO,
                running: AtomicUsize::new(0),
                doc_freqs: DocFreqs::default(),
                facet_columns: Default::default(),
                // Asked once: on Linux the answer reads the cgroup's files.
                parallel_from: if std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2) {
                    PARALLEL_FROM
                } else {
                    u64::MAX
                },
            },
            fresh,
        ))
    }

    /// Counts matches exactly up to `n` (default [`EXACT_UP_TO`]); beyond, the
    /// total is estimated.
    pub fn with_exact_up_to(mut self, n: usize) -> Self {
        self.exact_up_to = n.max(1);
        self
    }

    /// Scans with two threads from `n` documents on (default [`PARALLEL_FROM`]
    /// on a machine of two cores or more, never on one).
    pub fn with_parallel_from(mut self, n: u64) -> Self {
        self.parallel_from = n;
        self
    }

    /// True when the directory now holds another generation (swapped in by a rebuild).
    pub fn replaced(&self) -> bool {
        generation(&self.dir).is_some_and(|g| g != self.generation)
    }

    /// Picks up what another process committed (a read-only index).
    pub fn refresh(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        Ok(())
    }

    fn writer(&self) -> Result<&tokio::sync::Mutex<Writers>, SearchError> {
        self.writer.as_ref().ok_or_else(|| SearchError::Query("搜索索引正由另一个进程写入（服务运行中）".into()))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The last commit's payload: the last outbox row applied and, after `@`, when due
    /// publications were last looked for (Unix seconds).
    fn payload(&self) -> (i64, Option<i64>) {
        let payload = self.index.load_metas().ok().and_then(|m| m.payload).unwrap_or_default();
        let (row, swept) = payload.split_once('@').unwrap_or((&payload, ""));
        (row.parse().unwrap_or(0), swept.parse().ok())
    }

    /// The last outbox row applied.
    pub fn applied(&self) -> i64 {
        self.payload().0
    }

    /// Moves whenever searches see a new state of the index (a commit was picked up), so a
    /// cache of result pages knows when to render again.
    pub fn version(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// Searches the lists' rows the public sees (see [`RowRequest`]).
    pub fn search_rows(&self, r: &RowRequest) -> Result<RowResults, SearchError> {
        self.rows.search(r)
    }

    /// True once the lists' rows are in the index: an index from before rows were searched
    /// gets them at its first catch-up, and until then the store is asked.
    pub fn rows_ready(&self) -> bool {
        self.rows.is_ready()
    }

    /// Number of documents visible to searches.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(
        &self,
        p: &PublicItem,
        org_paths: &[String],
        extra_text: &str,
        interpretation: bool,
        in_gazette: bool,
    ) -> TantivyDocument {
        let f = &self.f;
        let body = searchable_text(&p.summary, &p.body, extra_text);
        let published = gongkai_core::index_no::beijing(p.published_at);
        let mut d = doc!(
            f.id => p.id as u64,
            f.kind => if interpretation { "interpretation" } else { "item" },
            f.source => if in_gazette { "gazette" } else { "" },
            f.title => p.title.clone(),
            f.title_bi => format!("{} {}", p.title, p.doc_no),
            f.title_key => crate::analysis::title_key(&p.title),
            f.whole_title_key => crate::analysis::whole_title_key(&p.title),
            f.summary => p.summary.clone(),
            f.lead => lead(&body),
            // Title, number and body in one bigram field (with breaks between), so the
            // condition "this text appears" is one phrase on one field.
            f.body_bi => format!("{}{br}{}{br}{body}", p.title, p.doc_no, br = crate::analysis::FIELD_BREAK),
            f.doc_no => gongkai_core::DocNo::parse(&p.doc_no).map(|d| d.to_string()).unwrap_or_else(|_| p.doc_no.clone()),
            f.index_no => p.index_no.clone().unwrap_or_default(),
            f.org_code => p.org_code.clone(),
            f.org_name => p.org_name.clone(),
            f.topic => p.topic.clone(),
            f.genre => p.genre.clone(),
            f.validity => p.validity.clone(),
            f.year => chrono::Datelike::year(&published) as u64,
            f.published => p.published_at.timestamp(),
        );
        for path in org_paths {
            d.add_text(f.org_path, path);
        }
        d
    }

    /// Puts the current public state of these items in the index: each one's document
    /// replaced, or removed when it is no longer public. The items and their attachments
    /// are read in two queries whatever their number.
    async fn upsert(
        &self,
        store: &Store,
        writer: &IndexWriter,
        ids: &[i64],
        paths: &mut Vec<(i64, String)>,
    ) -> Result<(), SearchError> {
        for id in ids {
            writer.delete_term(Term::from_field_u64(self.f.id, *id as u64));
        }
        let interpretations = store.interpretation_ids(ids).await?;
        let in_gazette = store.gazette_item_ids(ids).await?;
        for (p, att) in public_texts(store, ids).await? {
            let path = org_path_of(store, paths, p.org_id).await?;
            let interpretation = interpretations.contains(&p.id);
            let gazette = in_gazette.contains(&p.id);
            writer.add_document(self.document(&p, &ancestors(&path), &att, interpretation, gazette))?;
        }
        Ok(())
    }

    /// Applies the outbox rows not yet applied and, when `sweep_secs` > 0, items whose
    /// scheduled publication time has come since the last look (recorded with each commit,
    /// so a node that was down finds what came due meanwhile; the first look goes
    /// `sweep_secs` back); commits with the last row applied. While the outbox keeps ahead
    /// (a bulk import), what was applied is also committed every [`COMMIT_EVERY`], so it is
    /// searchable within seconds rather than when the import ends. Answers how many changes
    /// were applied.
    pub async fn catch_up(&self, store: &Store, sweep_secs: i64) -> Result<usize, SearchError> {
        let (items_after, swept) = self.payload();
        let now = store.now();
        let mut paths = Vec::new();
        let mut applied = 0;
        let mut writers = self.writer()?.lock().await;
        let rows_after = match self.rows.applied() {
            Some(a) => a,
            None => {
                // A new folder of rows (a new deployment, or one from before rows were
                // searched): every row from the store, then the outbox from its head.
                let head = store.outbox_head().await?;
                applied += self.rows.refill(store, &writers.rows, &mut paths).await? as usize;
                head
            }
        };
        let mut after = items_after.min(rows_after);
        let mut committed = std::time::Instant::now();
        loop {
            let changes = store.outbox_after(after, 500).await?;
            let Some(last) = changes.last() else { break };
            after = last.0;
            let of = |kind: &str| -> Vec<i64> {
                changes.iter().filter(|(_, k, _)| k == kind).map(|(_, _, id)| *id).collect()
            };
            let (items, rows) = (of("item"), of(gongkai_store::ROW_OUTBOX));
            self.upsert(store, &writers.items, &items, &mut paths).await?;
            self.rows.upsert(store, &writers.rows, &rows, &mut paths).await?;
            applied += items.len() + rows.len();
            if committed.elapsed() >= COMMIT_EVERY {
                self.commit(&mut writers, after, swept)?;
                committed = std::time::Instant::now();
            }
        }
        let mut swept_now = swept;
        if sweep_secs > 0 {
            let from = swept
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .unwrap_or(now - chrono::Duration::seconds(sweep_secs));
            let due = store.items_published_between(from, now).await?;
            for ids in due.chunks(500) {
                self.upsert(store, &writers.items, ids, &mut paths).await?;
            }
            applied += due.len();
            swept_now = Some(now.timestamp());
        }
        if applied > 0
            || after > items_after
            || self.rows.applied() != Some(after)
            || (swept.is_none() && swept_now.is_some())
        {
            self.commit(&mut writers, after, swept_now)?;
        }
        Ok(applied)
    }

    /// Commits what the writers hold, recording the last outbox row applied (and, for the
    /// items, the time of the last look for due publications), and lets searches see it.
    fn commit(&self, writers: &mut Writers, after: i64, swept: Option<i64>) -> Result<(), SearchError> {
        let mut prepared = writers.rows.prepare_commit()?;
        prepared.set_payload(&after.to_string());
        prepared.commit()?;
        self.rows.committed()?;
        let mut prepared = writers.items.prepare_commit()?;
        let payload = match swept {
            Some(t) => format!("{after}@{t}"),
            None => after.to_string(),
        };
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Rebuilds into a new directory beside `dir` and swaps it in, so a running server keeps
    /// answering from the old index until the new one is complete (it notices the new
    /// generation and reopens). Answers the number of documents.
    pub async fn rebuild_into(
        dir: &Path,
        store: &Store,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, SearchError> {
        let fresh = dir.with_extension("new");
        if fresh.exists() {
            std::fs::remove_dir_all(&fresh)?;
        }
        let (index, _) = Self::open(&fresh)?;
        let n = index.rebuild(store, progress).await?;
        drop(index);
        let old = dir.with_extension(format!("old-{}", std::process::id()));
        if dir.exists() {
            std::fs::rename(dir, &old)?;
        }
        std::fs::rename(&fresh, dir)?;
        if old.exists() {
            // A server still reading the old files keeps them open; removing the names is safe.
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(n)
    }

    /// Rebuilds the whole index from the store's public items (and the lists' rows),
    /// calling `progress(done)` as it goes through the items; the outbox position is taken
    /// first, so nothing changed meanwhile is lost. Answers the number of items.
    pub async fn rebuild(&self, store: &Store, progress: &mut (dyn FnMut(u64) + Send)) -> Result<u64, SearchError> {
        let head = store.outbox_head().await?;
        let mut paths: Vec<(i64, String)> =
            store.orgs().await?.into_iter().map(|o| (o.id, o.path.as_str().to_string())).collect();
        let mut writers = self.writer()?.lock().await;
        self.rows.refill(store, &writers.rows, &mut paths).await?;
        let writer = &mut writers.items;
        writer.delete_all_documents()?;
        let mut after = 0;
        let mut done = 0u64;
        loop {
            let ids = store.public_item_ids(after, 500).await?;
            let Some(last) = ids.last() else { break };
            after = *last;
            self.upsert(store, writer, &ids, &mut paths).await?;
            done += ids.len() as u64;
            progress(done);
        }
        self.commit(&mut writers, head, None)?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_two_runs_the_second_half_on_the_helper_and_never_queues() {
        // A helper of the test's own, so other tests' searches do not keep it busy.
        let (pool, busy) = (helper(), AtomicBool::new(false));
        let id = || std::thread::current().id();
        let me = id();
        let (here, there) = in_two_on(pool.as_ref(), &busy, id, id);
        assert_eq!(here, me, "the first half runs on the caller's thread");
        assert_ne!(there, me, "the second on the helper");
        // A page that finds the helper busy (another page's half) runs both halves itself,
        // and does not wait; the helper stays the other page's.
        busy.store(true, Ordering::Relaxed);
        assert_eq!(in_two_on(pool.as_ref(), &busy, id, id), (me, me), "with the helper busy, both halves here");
        assert!(busy.load(Ordering::Relaxed), "still the other page's");
        busy.store(false, Ordering::Relaxed);
        // A panic in the helper's half reaches the caller, and the helper is free after.
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_two_on(pool.as_ref(), &busy, || 1, || -> i32 { panic!("half") })
        }));
        assert!(panicked.is_err());
        let (_, there) = in_two_on(pool.as_ref(), &busy, || (), id);
        assert_ne!(there, me, "the helper is free again after a panic");
        // Without a helper both halves run here.
        let (here, there) = in_two_on(None, &busy, id, id);
        assert_eq!((here, there), (me, me));
    }

    #[test]
    fn kept_document_counts_follow_the_searcher() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer(15_000_000)?;
        writer.add_document(doc!(word => "公开"))?;
        writer.commit()?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let freqs = DocFreqs::default();
        let term = Term::from_field_text(word, "公开");
        let before = reader.searcher();
        assert_eq!(freqs.get(&before, &term)?, 1);
        assert_eq!(freqs.get(&before, &term)?, 1, "kept");
        writer.add_document(doc!(word => "公开"))?;
        writer.commit()?;
        reader.reload()?;
        assert_eq!(freqs.get(&reader.searcher(), &term)?, 2, "a new searcher counts again");
        assert_eq!(freqs.get(&before, &term)?, 1, "the old one still answers its own");
        Ok(())
    }
}
