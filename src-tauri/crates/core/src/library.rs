//! The library: the store, the in-memory vector index and the embedder, behind one
//! thread-safe handle that the app, the CLI and the tests share.
//!
//! All methods block (SQLite, matrix scans, model inference); async callers run them on
//! `spawn_blocking`. Locks are held only for the store or index access itself, never
//! during inference, so a long embedding pass does not stall searches.

use crate::config::DB_FILE;
use crate::embedder::Embedder;
use crate::model::{Paper, PaperInput};
use crate::rank::bm25::KeywordIndex;
use crate::rank::{
    fuse_convex, fuse_rrf, keyword, Fusion, ScoreParts, SearchHit, SearchMode, SearchOptions,
    VectorIndex, DENSE_WEIGHT, RRF_K,
};
use crate::store::{KeywordDocs, Store, UpsertReport};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// How many candidates each list contributes to fusion.
const FUSION_DEPTH: usize = 100;

/// Papers upserted per transaction when importing large corpora.
const UPSERT_BATCH: usize = 2_000;

/// Candidates one list gives: the top `k` when the search is that list alone, the
/// fusion depth when it is fused.
fn candidates(opts: &SearchOptions, list: SearchMode) -> usize {
    if opts.mode == list {
        opts.k
    } else {
        opts.k.max(FUSION_DEPTH)
    }
}

/// Largest library whose keywords are ranked in memory (78 MB resident for 75k arXiv
/// papers, 414 MB for 1M); larger ones are ranked by SQLite's FTS5 index alone.
const KEYWORDS_IN_MEMORY_MAX: usize = 2_000_000;

/// Share of the keyword index's postings owned by superseded versions of changed papers
/// at which they are dropped (`KeywordIndex::purge`: 69 ms over 74,728 arXiv papers, a
/// fifth of them changed).
const KEYWORDS_STALE_MAX: f64 = 0.2;

/// The in-memory keyword index's life: not loaded (FTS5 ranks), being built (papers
/// changed meanwhile are noted and folded in when it is done), or serving.
enum Keywords {
    Off,
    Building(Vec<i64>),
    Ready(Box<KeywordIndex>),
}

/// Counts shown by `papersift stats` and the app's status line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Papers in the library.
    pub papers: usize,
    /// Papers with a current vector of the active model.
    pub embedded: usize,
    /// Papers waiting for a vector.
    pub pending: usize,
    /// Active embedding model, if one is loaded.
    pub model: Option<String>,
    /// Data folder.
    pub data_dir: PathBuf,
    /// Database schema version.
    pub schema_version: i64,
}

/// The key a library paper has in a reading list: the same as an imported entry's
/// ([`crate::import::Entry::item_key`]) for arXiv papers.
fn list_key(paper: &Paper) -> String {
    match &paper.arxiv_id {
        Some(a) => format!("arxiv:{a}"),
        None => format!("paper:{}", paper.key),
    }
}

/// A recommended paper and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The paper.
    pub paper: Paper,
    /// The method's score (higher is better; comparable within one call).
    pub score: f32,
    /// The list papers it is most like.
    pub because: Vec<Because>,
}

/// A list paper a recommendation resembles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Because {
    /// Its key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Formulas in the title.
    pub title_math: Vec<crate::tex::MathSpan>,
    /// Cosine similarity.
    pub similarity: f32,
}

/// A thread-safe handle to one library.
pub struct Library {
    data_dir: PathBuf,
    store: Mutex<Store>,
    index: RwLock<VectorIndex>,
    // Lock order: keywords, then store.
    keywords: RwLock<Keywords>,
    embedder: RwLock<Option<Arc<dyn Embedder>>>,
    syncing: Arc<AtomicBool>,
    // One embedding pass at a time: the app's start-up pass and a sync's pass would
    // otherwise embed the same pending papers twice.
    embedding: Mutex<()>,
}

/// Held while a sync runs; dropping it lets the next one start.
pub struct SyncGuard {
    flag: Arc<AtomicBool>,
    // Locked for the guard's life so a second process (CLI beside the app) waits its turn.
    _file: Option<std::fs::File>,
}

impl Drop for SyncGuard {
    fn drop(&mut self) {
        self.flag.store(false, Ordering::SeqCst);
    }
}

impl Library {
    /// Opens (or creates) the library in `data_dir`.
    pub fn open(data_dir: &Path, embedder: Option<Arc<dyn Embedder>>) -> Result<Library> {
        let store = Store::open(&data_dir.join(DB_FILE))?;
        Self::with_store(store, data_dir.to_path_buf(), embedder)
    }

    /// A library in memory (tests).
    pub fn open_in_memory(embedder: Option<Arc<dyn Embedder>>) -> Result<Library> {
        Self::with_store(Store::open_in_memory()?, PathBuf::new(), embedder)
    }

    fn with_store(
        store: Store,
        data_dir: PathBuf,
        embedder: Option<Arc<dyn Embedder>>,
    ) -> Result<Library> {
        let lib = Library {
            data_dir,
            store: Mutex::new(store),
            index: RwLock::new(VectorIndex::default()),
            keywords: RwLock::new(Keywords::Off),
            embedder: RwLock::new(None),
            syncing: Arc::new(AtomicBool::new(false)),
            embedding: Mutex::new(()),
        };
        if let Some(e) = embedder {
            lib.set_embedder(e)?;
        }
        Ok(lib)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions).
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Installs the embedder and loads its stored vectors into the index; papers without
    /// one are served by a stand-in model's vector where there is one (see
    /// [`Embedder::stand_in_models`]) until the embedding pass replaces it.
    pub fn set_embedder(&self, embedder: Arc<dyn Embedder>) -> Result<()> {
        let mut stored = self.store().load_embeddings(embedder.model_id())?;
        for other in embedder.stand_in_models() {
            let extra = self.store().load_embeddings(&other)?;
            if extra.dim == 0 || (stored.dim != 0 && extra.dim != stored.dim) {
                continue;
            }
            stored.dim = extra.dim;
            let have: std::collections::HashSet<i64> = stored.ids.iter().copied().collect();
            for (id, row) in extra.ids.iter().zip(extra.data.chunks_exact(extra.dim)) {
                if !have.contains(id) {
                    stored.ids.push(*id);
                    stored.data.extend_from_slice(row);
                }
            }
        }
        let dim = if stored.dim == 0 {
            embedder.dim()
        } else {
            stored.dim
        };
        // Index and embedder change together (lock order: index, then embedder), so an
        // embedding pass of the previous model never writes into the new model's index.
        let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
        *index = VectorIndex::from_parts(stored.ids, stored.data, dim);
        *self.embedder.write().unwrap_or_else(|p| p.into_inner()) = Some(embedder);
        Ok(())
    }

    /// The active embedder.
    pub fn embedder(&self) -> Option<Arc<dyn Embedder>> {
        self.embedder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Writes a consistent copy of the library into `dir` (created if needed) for a move
    /// of the data folder; this library is left untouched. Refuses a folder that
    /// already holds a library.
    pub fn copy_to(&self, dir: &Path) -> Result<PathBuf> {
        let target = dir.join(DB_FILE);
        if target.exists() {
            return Err(Error::Invalid(format!(
                "{} already holds a library",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        self.store().copy_into(&target)?;
        Ok(target)
    }

    /// Inserts or merges papers (in transactions of a few thousand).
    pub fn upsert_papers(&self, papers: &[PaperInput]) -> Result<UpsertReport> {
        let mut total = UpsertReport::default();
        for batch in papers.chunks(UPSERT_BATCH) {
            let r = self.store().upsert_papers(batch)?;
            total.inserted.extend(r.inserted);
            total.updated.extend(r.updated);
            total.text_changed.extend(r.text_changed);
            total.unchanged += r.unchanged;
        }
        let changed: Vec<i64> = total
            .inserted
            .iter()
            .chain(&total.updated)
            .copied()
            .collect();
        if !changed.is_empty() {
            let mut keywords = self.keywords.write().unwrap_or_else(|p| p.into_inner());
            match &mut *keywords {
                Keywords::Off => {}
                Keywords::Building(pending) => pending.extend(changed),
                Keywords::Ready(index) => {
                    match self.store().keyword_docs(KeywordDocs::Ids(&changed)) {
                        Ok(docs) => {
                            index.upsert(docs);
                            if index.stale_share() > KEYWORDS_STALE_MAX {
                                let started = std::time::Instant::now();
                                index.purge();
                                log::info!(
                                    "keyword index: old versions dropped in {:?}",
                                    started.elapsed()
                                );
                            }
                        }
                        Err(e) => {
                            // The papers are stored; FTS5 ranks until the index is rebuilt.
                            log::warn!("keyword index dropped: {e}");
                            *keywords = Keywords::Off;
                        }
                    }
                }
            }
        }
        Ok(total)
    }

    /// Builds the in-memory keyword index, which then ranks keyword searches without a
    /// filter (FTS5 ranks them until it is ready, and in libraries of more than 2M
    /// papers). Takes about a second per 20k papers; searches go on meanwhile. Returns
    /// whether the index is (now) serving.
    pub fn load_keyword_index(&self) -> Result<bool> {
        {
            let mut keywords = self.keywords.write().unwrap_or_else(|p| p.into_inner());
            match &*keywords {
                Keywords::Ready(_) => return Ok(true),
                Keywords::Building(_) => return Ok(false),
                Keywords::Off => {}
            }
            if self.store().paper_count()? > KEYWORDS_IN_MEMORY_MAX {
                return Ok(false);
            }
            *keywords = Keywords::Building(Vec::new());
        }
        let started = std::time::Instant::now();
        let built = self.read_keyword_index();
        let mut keywords = self.keywords.write().unwrap_or_else(|p| p.into_inner());
        // Papers stored while it was being built are folded in before it serves.
        let pending = match &mut *keywords {
            Keywords::Building(pending) => std::mem::take(pending),
            _ => Vec::new(),
        };
        let built = built.and_then(|mut index| {
            if !pending.is_empty() {
                index.upsert(self.store().keyword_docs(KeywordDocs::Ids(&pending))?);
            }
            Ok(index)
        });
        match built {
            Ok(index) => {
                log::info!(
                    "keyword index of {} papers built in {:?}",
                    index.len(),
                    started.elapsed()
                );
                *keywords = Keywords::Ready(Box::new(index));
                Ok(true)
            }
            Err(e) => {
                *keywords = Keywords::Off;
                Err(e)
            }
        }
    }

    /// Every paper's searchable text into a new keyword index, a page at a time: the
    /// store is free between pages and the texts are not all in memory at once.
    fn read_keyword_index(&self) -> Result<KeywordIndex> {
        let mut index = KeywordIndex::default();
        let mut after = i64::MIN;
        loop {
            let page = self.store().keyword_docs(KeywordDocs::Page {
                after,
                limit: 5_000,
            })?;
            let Some(last) = page.last() else { break };
            after = last.id;
            index.upsert(page);
        }
        index.compact();
        Ok(index)
    }

    /// Fills an empty library with the built-in starter corpus; true if it did.
    pub fn seed_if_empty(&self) -> Result<bool> {
        if self.store().paper_count()? > 0 {
            return Ok(false);
        }
        self.upsert_papers(&crate::corpus::seed_papers())?;
        Ok(true)
    }

    /// Number of papers waiting for a vector of the active model (0 without a model).
    pub fn pending_embeddings(&self) -> Result<usize> {
        match self.embedder() {
            Some(e) => self.store().pending_embedding_count(e.model_id()),
            None => Ok(0),
        }
    }

    /// Embeds every paper lacking a current vector, `chunk` papers at a time, calling
    /// `progress(done, total)` after each chunk. Each chunk is committed on its own, so
    /// an interrupted pass keeps its work. Returns the number embedded.
    pub fn embed_pending(
        &self,
        chunk: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<usize> {
        let embedder = self.embedder().ok_or_else(|| {
            Error::Embedding("no embedding model is loaded; semantic search is unavailable".into())
        })?;
        let model = embedder.model_id().to_string();
        let _one_pass = self.embedding.lock().unwrap_or_else(|p| p.into_inner());
        let total = self.store().pending_embedding_count(&model)?;
        let mut done = 0;
        progress(0, total);
        loop {
            let pending = self.store().pending_embeddings(&model, chunk.max(1))?;
            if pending.is_empty() {
                break;
            }
            let texts: Vec<String> = pending.iter().map(|p| p.text.clone()).collect();
            let vectors = embedder.embed_documents(&texts)?;
            if vectors.len() != pending.len() {
                return Err(Error::Embedding(format!(
                    "the model returned {} vectors for {} texts",
                    vectors.len(),
                    pending.len()
                )));
            }
            let items: Vec<(i64, String, Vec<f32>)> = pending
                .into_iter()
                .zip(vectors)
                .map(|(p, v)| (p.paper_id, p.content_hash, v))
                .collect();
            self.store().put_embeddings(&model, &items)?;
            {
                let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
                if self
                    .embedder()
                    .map(|e| e.model_id() != model)
                    .unwrap_or(true)
                {
                    // The model was switched during this pass: its vectors are stored
                    // (they are valid for their model) but the index now serves the new
                    // model, whose own pass takes over.
                    break;
                }
                for (id, _, v) in &items {
                    index.upsert(*id, v);
                }
            }
            done += items.len();
            progress(done, total.max(done));
        }
        Ok(done)
    }

    /// Ranks the library for a typed query.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<Vec<SearchHit>> {
        let query = query.trim();
        if opts.k == 0 || !keyword::has_content_word(query) {
            return Ok(Vec::new());
        }
        let embedder = self.embedder();
        let want_dense = opts.mode != SearchMode::Keyword;
        if opts.mode == SearchMode::Dense && embedder.is_none() {
            return Err(Error::Embedding(
                "meaning search needs the embedding model, which is not loaded".into(),
            ));
        }
        if let (Some(e), SearchMode::Hybrid) = (&embedder, opts.mode) {
            // The keyword search runs beside the query embedding and the dense scan:
            // hybrid costs the slower of the two, not their sum.
            let allowed = self.allowed_ids(&opts.filter)?;
            let (dense, keyword) = std::thread::scope(|s| {
                let keyword = s.spawn(|| self.keyword_list(query, opts));
                let dense = e
                    .embed_query(query)
                    .map(|q| self.dense_list(Some(&q), opts, allowed.as_ref()));
                (dense, keyword.join())
            });
            let keyword = keyword
                .map_err(|_| Error::Invalid("the keyword search failed unexpectedly".into()))??;
            return self.assemble(opts, dense?, keyword);
        }
        let qvec = match (&embedder, want_dense) {
            (Some(e), true) => Some(e.embed_query(query)?),
            _ => None,
        };
        self.search_with_vector(query, qvec.as_deref(), opts)
    }

    /// The ids a filter allows (`None`: no filter).
    fn allowed_ids(&self, filter: &crate::rank::Filter) -> Result<Option<HashSet<i64>>> {
        if filter.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            self.store().filtered_ids(filter)?.into_iter().collect(),
        ))
    }

    /// The dense candidates: the top `k` in dense mode, the fusion depth in hybrid.
    fn dense_list(
        &self,
        qvec: Option<&[f32]>,
        opts: &SearchOptions,
        allowed: Option<&HashSet<i64>>,
    ) -> Vec<(i64, f32)> {
        match (opts.mode, qvec) {
            (SearchMode::Keyword, _) | (_, None) => Vec::new(),
            (_, Some(q)) => self.index.read().unwrap_or_else(|p| p.into_inner()).top_k(
                q,
                candidates(opts, SearchMode::Dense),
                allowed,
            ),
        }
    }

    /// The keyword candidates: the top `k` in keyword mode, the fusion depth in hybrid.
    fn keyword_list(&self, query: &str, opts: &SearchOptions) -> Result<Vec<(i64, f64)>> {
        match (opts.mode, keyword::fts_query(query)) {
            (SearchMode::Dense, _) | (_, None) => Ok(Vec::new()),
            (_, Some(fts)) => {
                let k = candidates(opts, SearchMode::Keyword);
                if opts.filter.is_empty() {
                    let keywords = self.keywords.read().unwrap_or_else(|p| p.into_inner());
                    if let Keywords::Ready(index) = &*keywords {
                        return Ok(index.search(query, k, None));
                    }
                }
                self.store().keyword_search(&fts, k, &opts.filter)
            }
        }
    }

    /// Ranks with a query vector computed by the caller (batch evaluation embeds all
    /// queries up front). `qvec` is ignored in keyword mode.
    pub fn search_with_vector(
        &self,
        query: &str,
        qvec: Option<&[f32]>,
        opts: &SearchOptions,
    ) -> Result<Vec<SearchHit>> {
        let allowed = self.allowed_ids(&opts.filter)?;
        let dense = self.dense_list(qvec, opts, allowed.as_ref());
        let keyword = self.keyword_list(query, opts)?;
        self.assemble(opts, dense, keyword)
    }

    /// Fuses the candidate lists and loads the papers, best first.
    fn assemble(
        &self,
        opts: &SearchOptions,
        dense: Vec<(i64, f32)>,
        keyword: Vec<(i64, f64)>,
    ) -> Result<Vec<SearchHit>> {
        let fused = match opts.fusion {
            Fusion::Convex => fuse_convex(&dense, &keyword, DENSE_WEIGHT, opts.k),
            Fusion::Rrf => fuse_rrf(&dense, &keyword, RRF_K, opts.k),
        };
        let ids: Vec<i64> = fused.iter().map(|f| f.id).collect();
        let papers = self.store().papers_by_ids(&ids)?;
        let mut by_id: std::collections::HashMap<i64, Paper> = papers.into_iter().collect();
        Ok(fused
            .into_iter()
            .filter_map(|f| {
                let paper = by_id.remove(&f.id)?;
                let score = match opts.mode {
                    SearchMode::Dense => f64::from(f.dense.map_or(0.0, |d| d.1)),
                    SearchMode::Keyword => f.keyword.map_or(0.0, |k| k.1),
                    SearchMode::Hybrid => f.score,
                };
                Some(SearchHit {
                    paper,
                    score,
                    parts: ScoreParts {
                        dense: f.dense.map(|d| d.1),
                        dense_rank: f.dense.map(|d| d.0),
                        keyword: f.keyword.map(|k| k.1),
                        keyword_rank: f.keyword.map(|k| k.0),
                    },
                })
            })
            .collect())
    }

    /// Claims the right to sync: one sync at a time per library, across processes.
    pub fn begin_sync(&self) -> Result<SyncGuard> {
        let busy = || Error::Busy("a sync is already running for this library".into());
        if self.syncing.swap(true, Ordering::SeqCst) {
            return Err(busy());
        }
        let flag = self.syncing.clone();
        let file = if self.data_dir.as_os_str().is_empty() {
            None
        } else {
            let path = self.data_dir.join("sync.lock");
            let opened = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path);
            let file = match opened {
                Ok(f) => f,
                Err(e) => {
                    flag.store(false, Ordering::SeqCst);
                    return Err(Error::io("cannot create", path, e));
                }
            };
            if file.try_lock().is_err() {
                flag.store(false, Ordering::SeqCst);
                return Err(busy());
            }
            Some(file)
        };
        Ok(SyncGuard { flag, _file: file })
    }

    /// True while a sync of this handle runs.
    pub fn is_syncing(&self) -> bool {
        self.syncing.load(Ordering::SeqCst)
    }

    /// A source's sync state.
    pub fn sync_state(&self, source: &str) -> Result<crate::store::SyncState> {
        self.store().sync_state(source)
    }

    /// Moves a source's sync cursor forward.
    pub fn set_sync_cursor(&self, source: &str, cursor: &str) -> Result<()> {
        self.store().set_sync_cursor(source, cursor)
    }

    /// Records the outcome of a source's sync (`None` = success).
    pub fn finish_sync(&self, source: &str, error: Option<&str>) -> Result<()> {
        self.store().finish_sync(source, error)
    }

    /// A setting stored as JSON, or `None` when never set or unreadable (a setting
    /// written by another version falls back to defaults instead of failing).
    pub fn setting<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw = self.store().setting(key)?;
        Ok(raw.and_then(|r| match serde_json::from_str(&r) {
            Ok(v) => Some(v),
            Err(e) => {
                log::warn!("ignoring unreadable setting {key}: {e}");
                None
            }
        }))
    }

    /// Stores a setting as JSON.
    pub fn set_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value)
            .map_err(|e| Error::Invalid(format!("setting {key}: {e}")))?;
        self.store().set_setting(key, &json)
    }

    /// All reading lists.
    pub fn lists(&self) -> Result<Vec<crate::store::ListSummary>> {
        self.store().lists()
    }

    /// One reading list.
    pub fn list(&self, id: i64) -> Result<Option<crate::store::ListSummary>> {
        self.store().list(id)
    }

    /// A list's id by name or number.
    pub fn find_list(&self, name_or_id: &str) -> Result<Option<i64>> {
        self.store().find_list(name_or_id)
    }

    /// Stores an import (see [`Store::save_import`]).
    pub fn save_import(
        &self,
        name: &str,
        source_file: Option<&str>,
        file_hash: Option<&str>,
        target: Option<i64>,
        items: &[crate::store::NewItem],
    ) -> Result<(i64, bool)> {
        self.store()
            .save_import(name, source_file, file_hash, target, items)
    }

    /// A list's entries.
    pub fn list_items(&self, list_id: i64) -> Result<Vec<crate::store::ListItem>> {
        self.store().list_items(list_id)
    }

    /// Row ids of a list's papers.
    pub fn list_paper_ids(&self, list_id: i64) -> Result<Vec<i64>> {
        self.store().list_paper_ids(list_id)
    }

    /// Renames a list.
    pub fn rename_list(&self, list_id: i64, name: &str) -> Result<()> {
        self.store().rename_list(list_id, name)
    }

    /// Deletes a list (its papers stay).
    pub fn delete_list(&self, list_id: i64) -> Result<bool> {
        self.store().delete_list(list_id)
    }

    /// Merges `from` into `into`.
    pub fn merge_lists(&self, from: i64, into: i64) -> Result<()> {
        self.store().merge_lists(from, into)
    }

    /// Adds a library paper (by key or arXiv id) to a list.
    pub fn add_to_list(&self, list_id: i64, paper_key: &str) -> Result<()> {
        let store = self.store();
        let (id, paper) = store.paper(paper_key)?.ok_or_else(|| {
            Error::Invalid(format!("there is no paper {paper_key} in the library"))
        })?;
        store.add_to_list(list_id, id, &list_key(&paper))
    }

    /// Removes an entry from a list by its item key, or a paper by key or arXiv id.
    pub fn remove_from_list(&self, list_id: i64, key: &str) -> Result<bool> {
        let store = self.store();
        if store.remove_from_list(list_id, key)? {
            return Ok(true);
        }
        match store.paper(key)? {
            Some((_, p)) => store.remove_from_list(list_id, &list_key(&p)),
            None => Ok(false),
        }
    }

    /// Candidates for a title match (FTS expression), best first.
    pub fn papers_titled(&self, fts_query: &str, limit: usize) -> Result<Vec<(i64, Paper)>> {
        self.store().papers_titled(fts_query, limit)
    }

    /// Row id of a paper by arXiv id.
    pub fn paper_id_by_arxiv(&self, arxiv_id: &str) -> Result<Option<i64>> {
        self.store().paper_id_by_arxiv(arxiv_id)
    }

    /// Marks a paper (by key or arXiv id) as not interesting, or clears the mark.
    pub fn set_not_interested(&self, paper_key: &str, on: bool) -> Result<()> {
        let store = self.store();
        let (id, _) = store.paper(paper_key)?.ok_or_else(|| {
            Error::Invalid(format!("there is no paper {paper_key} in the library"))
        })?;
        store.set_not_interested(id, on)
    }

    /// Recommendations for a list (or, with `None`, for all lists together: "For you"),
    /// each with the list papers it is closest to.
    pub fn recommend(
        &self,
        list: Option<i64>,
        k: usize,
        method: crate::rank::recommend::Method,
    ) -> Result<Vec<Recommendation>> {
        if self.embedder().is_none() {
            return Err(Error::Embedding(
                "recommendations need the embedding model, which is not loaded".into(),
            ));
        }
        let (positives, dismissed) = {
            let store = self.store();
            // A list's own papers; for "For you", the papers of every list.
            let positives = match list {
                Some(id) => {
                    if store.list(id)?.is_none() {
                        return Err(Error::Invalid(format!("there is no list {id}")));
                    }
                    store.list_paper_ids(id)?
                }
                None => {
                    let mut all = Vec::new();
                    for l in store.lists()? {
                        all.extend(store.list_paper_ids(l.id)?);
                    }
                    all
                }
            };
            (positives, store.not_interested_ids()?)
        };
        if positives.is_empty() {
            return Ok(Vec::new());
        }
        // "For you" leaves out what is in any list; a list leaves out its own papers.
        let exclude: HashSet<i64> = match list {
            None => positives.iter().copied().collect(),
            Some(_) => HashSet::new(),
        };
        let (top, because) = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let top = crate::rank::recommend::recommend(
                &index, &positives, &exclude, &dismissed, method, k,
            );
            let because: Vec<Vec<(i64, f32)>> = top
                .iter()
                .map(|(id, _)| crate::rank::recommend::closest(&index, *id, &positives, 2))
                .collect();
            (top, because)
        };
        let store = self.store();
        let mut wanted: Vec<i64> = top.iter().map(|t| t.0).collect();
        wanted.extend(because.iter().flatten().map(|b| b.0));
        let papers: std::collections::HashMap<i64, Paper> =
            store.papers_by_ids(&wanted)?.into_iter().collect();
        Ok(top
            .into_iter()
            .zip(because)
            .filter_map(|((id, score), because)| {
                Some(Recommendation {
                    paper: papers.get(&id)?.clone(),
                    score,
                    because: because
                        .into_iter()
                        .filter_map(|(bid, sim)| {
                            papers.get(&bid).map(|p| Because {
                                key: p.key.clone(),
                                title: p.title.clone(),
                                title_math: p.math.title.clone(),
                                similarity: sim,
                            })
                        })
                        .collect(),
                })
            })
            .collect())
    }

    /// The alert rules.
    pub fn alert_rules(&self) -> Result<Vec<crate::store::AlertRule>> {
        self.store().alert_rules()
    }

    /// Turns alerts on (or off) for a list, with a threshold.
    pub fn set_list_alert(&self, list_id: i64, threshold: f32, enabled: bool) -> Result<i64> {
        let id = self.store().set_list_alert(list_id, threshold, enabled)?;
        self.start_alert_cursor()?;
        Ok(id)
    }

    /// Saves a search with alerts.
    pub fn add_search_alert(&self, name: &str, query: &str, threshold: f32) -> Result<i64> {
        let id = self.store().add_search_alert(name, query, threshold)?;
        self.start_alert_cursor()?;
        Ok(id)
    }

    /// Changes a rule.
    pub fn update_alert_rule(&self, id: i64, threshold: f32, enabled: bool) -> Result<()> {
        self.store().update_alert_rule(id, threshold, enabled)
    }

    /// Deletes a rule.
    pub fn delete_alert_rule(&self, id: i64) -> Result<bool> {
        self.store().delete_alert_rule(id)
    }

    /// Past matches, unseen first.
    pub fn alert_matches(&self, limit: usize) -> Result<Vec<crate::store::AlertMatch>> {
        self.store().alert_matches(limit)
    }

    /// Marks one paper's matches (by key) or all as seen.
    pub fn mark_seen(&self, paper_key: Option<&str>) -> Result<usize> {
        let store = self.store();
        let id = match paper_key {
            Some(k) => Some(
                store
                    .paper(k)?
                    .ok_or_else(|| Error::Invalid(format!("there is no paper {k} in the library")))?
                    .0,
            ),
            None => None,
        };
        store.mark_seen(id)
    }

    /// Papers with unseen matches.
    pub fn unseen_count(&self) -> Result<usize> {
        self.store().unseen_count()
    }

    const ALERT_CURSOR: &'static str = "alerts.evaluated_up_to";

    /// Alerts consider papers added after the first rule exists, not the whole library.
    fn start_alert_cursor(&self) -> Result<()> {
        let store = self.store();
        if store.setting(Self::ALERT_CURSOR)?.is_none() {
            let max: i64 = store.max_paper_id()?;
            store.set_setting(Self::ALERT_CURSOR, &max.to_string())?;
        }
        Ok(())
    }

    fn alert_targets(
        &self,
        rules: &[crate::store::AlertRule],
    ) -> Result<Vec<crate::alerts::RuleTarget>> {
        let embedder = self.embedder();
        let mut targets = Vec::new();
        for rule in rules {
            let (vectors, exclude) = match (rule.kind.as_str(), rule.list_id, &rule.query) {
                ("list", Some(list), _) => {
                    let ids = self.store().list_paper_ids(list)?;
                    let index = self.index.read().unwrap_or_else(|p| p.into_inner());
                    let v: Vec<Vec<f32>> = ids
                        .iter()
                        .filter_map(|id| index.get(*id).map(<[f32]>::to_vec))
                        .collect();
                    (v, ids.into_iter().collect())
                }
                ("search", _, Some(q)) => match &embedder {
                    Some(e) => (vec![e.embed_query(q)?], HashSet::new()),
                    None => continue,
                },
                _ => continue,
            };
            if !vectors.is_empty() {
                targets.push(crate::alerts::RuleTarget {
                    rule_id: rule.id,
                    threshold: rule.threshold,
                    vectors,
                    exclude,
                });
            }
        }
        Ok(targets)
    }

    /// Scores the papers added since the last evaluation against every enabled rule,
    /// records the matches (once per rule and paper) and returns the new ones per rule.
    /// Papers still waiting for a vector are left for the next evaluation.
    pub fn evaluate_alerts(&self) -> Result<Vec<crate::alerts::RuleAlert>> {
        let rules: Vec<crate::store::AlertRule> = self
            .store()
            .alert_rules()?
            .into_iter()
            .filter(|r| r.enabled)
            .collect();
        let Some(cursor) = self.store().setting(Self::ALERT_CURSOR)? else {
            return Ok(Vec::new()); // no rule was ever made
        };
        let cursor: i64 = cursor.parse().unwrap_or(0);
        let candidates = self.store().paper_ids_after(cursor)?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let targets = self.alert_targets(&rules)?;
        let (matches, next_cursor) = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let with: Vec<(i64, &[f32])> = candidates
                .iter()
                .filter_map(|id| index.get(*id).map(|v| (*id, v)))
                .collect();
            // Stop before the first paper without a vector: it is scored next time.
            let first_missing = candidates.iter().find(|id| index.get(**id).is_none());
            let next = match first_missing {
                Some(m) => m - 1,
                None => *candidates.last().unwrap_or(&cursor),
            };
            let with: Vec<(i64, &[f32])> = with.into_iter().filter(|(id, _)| *id <= next).collect();
            (crate::alerts::match_papers(&targets, &with), next)
        };
        let mut store = self.store();
        let fresh = store.record_matches(&matches)?;
        store.set_setting(Self::ALERT_CURSOR, &next_cursor.max(cursor).to_string())?;
        let mut out: Vec<crate::alerts::RuleAlert> = Vec::new();
        for (rule_id, paper, _) in fresh {
            match out.iter_mut().find(|a| a.rule_id == rule_id) {
                Some(a) => a.papers.push(paper),
                None => out.push(crate::alerts::RuleAlert {
                    rule_id,
                    name: rules
                        .iter()
                        .find(|r| r.id == rule_id)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    papers: vec![paper],
                }),
            }
        }
        Ok(out)
    }

    /// What a rule would have matched among the papers added in the last `days` days:
    /// the live preview while the user sets a threshold. Best first.
    pub fn preview_alert(
        &self,
        list_id: Option<i64>,
        query: Option<&str>,
        threshold: f32,
        days: u32,
    ) -> Result<Vec<(Paper, f32)>> {
        let rule = crate::store::AlertRule {
            id: 0,
            kind: if list_id.is_some() { "list" } else { "search" }.into(),
            list_id,
            query: query.map(str::to_string),
            name: String::new(),
            threshold,
            enabled: true,
        };
        if list_id.is_none() && query.is_none_or(|q| q.trim().is_empty()) {
            return Err(Error::Invalid("a preview needs a list or a query".into()));
        }
        let targets = self.alert_targets(&[rule])?;
        let candidates = self.store().papers_added_within_days(days)?;
        let matches = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let with: Vec<(i64, &[f32])> = candidates
                .iter()
                .filter_map(|id| index.get(*id).map(|v| (*id, v)))
                .collect();
            crate::alerts::match_papers(&targets, &with)
        };
        let ids: Vec<i64> = matches.iter().map(|m| m.1).collect();
        let scores: std::collections::HashMap<i64, f32> =
            matches.iter().map(|m| (m.1, m.2)).collect();
        Ok(self
            .store()
            .papers_by_ids(&ids)?
            .into_iter()
            .map(|(id, p)| (p, scores[&id]))
            .collect())
    }

    /// Papers of a period, most upvoted or newest first (the daily feed).
    pub fn feed(&self, from: &str, to: &str, by_upvotes: bool, limit: usize) -> Result<Vec<Paper>> {
        for d in [from, to] {
            if crate::day::parse_day(d).is_none() || d.len() != 10 {
                return Err(Error::Invalid(format!("“{d}” is not a date (YYYY-MM-DD)")));
            }
        }
        self.store().feed(from, to, by_upvotes, limit)
    }

    /// The newest day on or before `day` that has papers.
    pub fn latest_day(&self, day: &str) -> Result<Option<String>> {
        self.store().latest_day(day)
    }

    /// The papers most similar to one paper (by embedding), best first.
    pub fn similar(&self, key: &str, k: usize) -> Result<Vec<(Paper, f32)>> {
        let id = self
            .paper_row(key)?
            .ok_or_else(|| Error::Invalid(format!("there is no paper {key} in the library")))?;
        let top = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let Some(v) = index.get(id).map(<[f32]>::to_vec) else {
                return Ok(Vec::new()); // not embedded yet
            };
            index.top_k(&v, k + 1, None)
        };
        let top: Vec<(i64, f32)> = top.into_iter().filter(|(i, _)| *i != id).take(k).collect();
        let ids: Vec<i64> = top.iter().map(|t| t.0).collect();
        let papers: std::collections::HashMap<i64, Paper> =
            self.store().papers_by_ids(&ids)?.into_iter().collect();
        Ok(top
            .into_iter()
            .filter_map(|(i, s)| papers.get(&i).map(|p| (p.clone(), s)))
            .collect())
    }

    /// A copy of the vector index (evaluation).
    pub fn vector_index(&self) -> VectorIndex {
        self.index.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Row id of a paper by key or arXiv id.
    pub fn paper_row(&self, key: &str) -> Result<Option<i64>> {
        Ok(self.store().paper(key)?.map(|(id, _)| id))
    }

    /// One paper by key or arXiv id.
    pub fn paper(&self, key: &str) -> Result<Option<Paper>> {
        Ok(self.store().paper(key)?.map(|(_, p)| p))
    }

    /// Library counts, with vectors counted for the active model.
    pub fn stats(&self) -> Result<Stats> {
        self.stats_for_model(self.embedder().map(|e| e.model_id().to_string()))
    }

    /// Library counts, with vectors counted for `model` (which need not be loaded).
    pub fn stats_for_model(&self, model: Option<String>) -> Result<Stats> {
        let store = self.store();
        let papers = store.paper_count()?;
        let embedded = match &model {
            Some(m) => store.embedding_count(m)?,
            None => 0,
        };
        Ok(Stats {
            papers,
            embedded,
            pending: papers - embedded.min(papers),
            model,
            data_dir: self.data_dir.clone(),
            schema_version: store.schema_version()?,
        })
    }
}

mod map;
pub use map::{LibraryMap, MapLayout, MapList};
#[cfg(test)]
mod tests;
