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

    /// The pace of an embedding pass: papers per second so far and the seconds left at
    /// that pace, from what `embed_pending` reports and the time since it started; none
    /// before the first chunk is done.
    pub fn pace(
        done: usize,
        total: usize,
        elapsed: std::time::Duration,
    ) -> (Option<f64>, Option<f64>) {
        let secs = elapsed.as_secs_f64();
        if done == 0 || secs <= 0.0 {
            return (None, None);
        }
        let rate = done as f64 / secs;
        (Some(rate), Some(total.saturating_sub(done) as f64 / rate))
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

mod alerts;
mod lists;
mod map;
mod search;
mod suggest;

pub use suggest::{Suggestion, SuggestionKind, SUGGEST_MIN_CHARS};

pub use lists::{Because, Recommendation};
pub use map::{LibraryMap, MapLayout, MapList};
#[cfg(test)]
mod tests;
