//! The library: the store, the in-memory vector index and the embedder, behind one
//! thread-safe handle that the app, the CLI and the tests share.
//!
//! All methods block (SQLite, matrix scans, model inference); async callers run them on
//! `spawn_blocking`. Locks are held only for the store or index access itself, never
//! during inference, so a long embedding pass does not stall searches.

use crate::config::DB_FILE;
use crate::embedder::Embedder;
use crate::keywords::{self, KeywordEngine};
use crate::locks::{LockAny, RwLockAny};
use crate::model::{Paper, PaperInput};
use crate::rank::{
    fuse_convex, fuse_rrf, keyword, Fusion, ScoreParts, SearchHit, SearchMode, SearchOptions,
    TermIndex, VectorIndex, DENSE_WEIGHT, RRF_K,
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
    match (&paper.arxiv_id, &paper.doi) {
        (Some(a), _) => format!("arxiv:{a}"),
        (None, Some(d)) => format!("doi:{d}"),
        (None, None) => format!("paper:{}", paper.key),
    }
}

/// What the term index reads of a paper.
fn doc_terms(d: &crate::model::KeywordDoc) -> (i64, &str, &str, &[String]) {
    (d.id, &d.title, &d.abstract_text, &d.authors)
}

/// A thread-safe handle to one library.
pub struct Library {
    data_dir: PathBuf,
    store: Mutex<Store>,
    index: RwLock<VectorIndex>,
    /// Words and authors of every paper, for recommendations: built at the first one,
    /// then kept in step by [`Library::upsert_papers`]. Lock order: terms, then index;
    /// never held while waiting for the store.
    terms: RwLock<TermIndex>,
    // Lock order: keywords, then store.
    keywords: RwLock<Keywords>,
    // Applying the keyword log runs one at a time (the changes read and the commit that
    // records them must not interleave with another's).
    keyword_writes: Mutex<()>,
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
        let store = Store::open(&data_dir.join(DB_FILE))
            .map_err(|e| e.disk_full(data_dir, "open the library again"))?;
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
            terms: RwLock::new(TermIndex::default()),
            keywords: RwLock::new(Keywords::Off),
            keyword_writes: Mutex::new(()),
            embedder: RwLock::new(None),
            syncing: Arc::new(AtomicBool::new(false)),
            embedding: Mutex::new(()),
        };
        if let Some(e) = embedder {
            lib.set_embedder(e)?;
        }
        lib.open_keyword_index()?;
        Ok(lib)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions).
        self.store.lock_any()
    }

    /// Installs the embedder and loads its stored vectors into the index; papers without
    /// one are served by a stand-in model's vector where there is one (see
    /// [`Embedder::stand_in_models`]) until the embedding pass replaces it.
    pub fn set_embedder(&self, embedder: Arc<dyn Embedder>) -> Result<()> {
        let mut stored = self.load_vectors(embedder.model_id())?;
        for other in embedder.stand_in_models() {
            let extra = self.load_vectors(&other)?;
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
        let mut index = self.index.write_any();
        *index = VectorIndex::from_parts(stored.ids, stored.data, dim);
        *self.embedder.write_any() = Some(embedder);
        Ok(())
    }

    /// Every stored vector of `model`, read a page at a time so the store stays free
    /// between pages (the window's first questions do not wait for a million vectors).
    fn load_vectors(&self, model: &str) -> Result<crate::store::StoredVectors> {
        let mut out = crate::store::StoredVectors::default();
        let mut after = i64::MIN;
        while let Some(last) = self
            .store()
            .load_embeddings_page(model, after, 5_000, &mut out)?
        {
            after = last;
        }
        Ok(out)
    }

    /// The active embedder.
    pub fn embedder(&self) -> Option<Arc<dyn Embedder>> {
        self.embedder.read_any().clone()
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
            total.merged_away.extend(r.merged_away);
        }
        self.update_keyword_index();
        self.update_terms(&total)?;
        Ok(total)
    }

    /// Brings a built term index up to what `report` changed (an unbuilt one waits for
    /// the first recommendation).
    fn update_terms(&self, report: &UpsertReport) -> Result<()> {
        if self.terms.read_any().is_empty() {
            return Ok(());
        }
        let mut changed: Vec<i64> = report.inserted.clone();
        changed.extend(&report.updated);
        changed.extend(&report.text_changed);
        changed.sort_unstable();
        changed.dedup();
        let docs = self.store().keyword_docs(KeywordDocs::Ids(&changed))?;
        let mut terms = self.terms.write_any();
        if !report.merged_away.is_empty() {
            terms.remove_all(&report.merged_away);
        }
        terms.upsert_all(docs.iter().map(doc_terms));
        Ok(())
    }

    /// Runs `f` over the term index, built first when it is missing papers (the first
    /// call, or papers another process stored).
    pub fn with_terms<T>(&self, f: impl FnOnce(&TermIndex) -> T) -> Result<T> {
        let papers = self.store().paper_count()?;
        let stale = self.terms.read_any().len() != papers;
        if stale {
            let docs = self.paper_docs()?;
            let mut fresh = TermIndex::default();
            fresh.upsert_all(docs.iter().map(doc_terms));
            *self.terms.write_any() = fresh;
        }
        Ok(f(&self.terms.read_any()))
    }

    /// Fills an empty library with the built-in starter corpus; true if it did.
    pub fn seed_if_empty(&self) -> Result<bool> {
        if self.store().paper_count()? > 0 {
            return Ok(false);
        }
        self.upsert_papers(&crate::corpus::seed_papers())?;
        Ok(true)
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
            .map_err(|e| Error::Internal(format!("setting {key}: {e}")))?;
        self.store().set_setting(key, &json)
    }

    /// Papers of a period, most upvoted or newest first (the daily feed).
    pub fn feed(&self, from: &str, to: &str, by_upvotes: bool, limit: usize) -> Result<Vec<Paper>> {
        Ok(self
            .feed_rows(from, to, by_upvotes, limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// [`Library::feed`] with each paper's row id.
    fn feed_rows(
        &self,
        from: &str,
        to: &str,
        by_upvotes: bool,
        limit: usize,
    ) -> Result<Vec<(i64, Paper)>> {
        for d in [from, to] {
            if crate::day::parse_day(d).is_none() || d.len() != 10 {
                return Err(Error::Invalid(format!("“{d}” is not a date (YYYY-MM-DD)")));
            }
        }
        self.store().feed_rows(from, to, by_upvotes, limit)
    }

    /// The newest day on or before `day` that has papers.
    pub fn latest_day(&self, day: &str) -> Result<Option<String>> {
        self.store().latest_day(day)
    }

    /// A copy of the vector index (evaluation).
    pub fn vector_index(&self) -> VectorIndex {
        self.index.read_any().clone()
    }

    /// Every paper's text, authors, categories and day, by row id, read a page at a time
    /// so the store stays free between pages.
    pub fn paper_docs(&self) -> Result<Vec<crate::model::KeywordDoc>> {
        let mut out = Vec::new();
        loop {
            let after = out
                .last()
                .map_or(i64::MIN, |d: &crate::model::KeywordDoc| d.id);
            let page = self.store().keyword_docs(KeywordDocs::Page {
                after,
                limit: 5_000,
            })?;
            if page.is_empty() {
                return Ok(out);
            }
            out.extend(page);
        }
    }

    /// Row id of a paper by key or arXiv id.
    pub fn paper_row(&self, key: &str) -> Result<Option<i64>> {
        self.store().paper_id(key)
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
mod embedding;
mod keyword_index;
mod lists;
mod map;
mod search;
mod suggest;

pub use suggest::{Suggestion, SuggestionKind, SUGGEST_MIN_CHARS};

pub use keyword_index::KeywordCheck;
use keyword_index::Keywords;
pub use lists::{Because, PaperMarks, RatedPaper, Recommendation, UnseenCounts};
pub use map::{LibraryMap, MapLayout, MapList};
#[cfg(test)]
mod tests;
