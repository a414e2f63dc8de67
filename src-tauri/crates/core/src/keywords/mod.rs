//! The keyword index: tantivy, persisted in the data folder beside the database.
//!
//! It holds each paper's title, abstract and authors (positions kept, for phrases), a
//! ranking field of all three (title twice: BM25 weighs it double, as the FTS5 ranking
//! does) and, as fast fields, its id, publication day, categories and sources. BM25
//! ranks the free words of a query; the query's constraints and the search filters
//! narrow the candidates.
//!
//! SQLite stays the truth. Every change to a paper's indexed fields appends its id to
//! `keyword_log` (triggers, in the same transaction as the change); the index records in
//! each commit's payload the last log entry it holds. The library applies the log right
//! after it stores papers, and whoever finds the index behind the log (a crash between
//! the two commits, another process's sync) applies the rest before searching it. A
//! missing, unreadable or older-schema index is rebuilt from SQLite; until it is ready,
//! keyword search runs on FTS5.

mod query;
mod tokenizer;

pub use tokenizer::WordTokenizer;

use crate::locks::LockAny;
use crate::model::KeywordDoc;
use crate::query::Filter;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::{DocSetCollector, FilterCollector, TopDocs};
use tantivy::schema::{
    Field as SchemaField, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, FAST, STRING,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher};
use tantivy::{TantivyDocument, Term};

/// The index's folder inside the data folder.
pub const DIR: &str = "keywords";

/// The layout of the index (fields, tokenizer, ranking). An index of another version is
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// Memory the indexer may fill per thread before it writes a segment: while storing
/// papers (one thread), and while rebuilding (up to four).
const WRITE_BUDGET: usize = 32 << 20;
const BUILD_BUDGET: usize = 96 << 20;

/// Waits of 50 ms for another process's write to end before giving up (about a second).
const WRITER_TRIES: u32 = 20;

/// What each commit records.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    seq: i64,
}

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    id: SchemaField,
    all: SchemaField,
    title: SchemaField,
    abstract_text: SchemaField,
    authors: SchemaField,
    categories: SchemaField,
    sources: SchemaField,
    published: SchemaField,
    newest: SchemaField,
    digest: SchemaField,
}

impl Fields {
    /// The text fields a phrase or prefix without a field may be in.
    fn text(&self) -> [SchemaField; 3] {
        [self.title, self.abstract_text, self.authors]
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer::NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let int = NumericOptions::default().set_indexed().set_fast();
    let ranked = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer::NAME)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_i64_field("id", int.clone()),
        all: b.add_text_field("all", ranked),
        title: b.add_text_field("title", text.clone()),
        abstract_text: b.add_text_field("abstract", text.clone()),
        authors: b.add_text_field("authors", text),
        categories: b.add_text_field("categories", STRING | FAST),
        sources: b.add_text_field("sources", STRING | FAST),
        published: b.add_i64_field("published", int),
        newest: b.add_i64_field("newest", FAST),
        digest: b.add_u64_field("digest", FAST),
    };
    (b.build(), fields)
}

/// A `YYYY-MM-DD` day as the number `YYYYMMDD` (ordered as the days are).
pub(crate) fn day_number(day: Option<&str>) -> Option<i64> {
    let d = day?;
    crate::day::parse_day(d)?;
    d.get(..10)?.replace('-', "").parse().ok()
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::KeywordIndex(e.to_string())
    }
}

/// Runs a search through `collector`, keeping only the `allowed` ids (when given).
fn only<C>(
    searcher: &Searcher,
    q: &dyn tantivy::query::Query,
    collector: C,
    allowed: Option<Arc<HashSet<i64>>>,
) -> Result<C::Fruit>
where
    C: tantivy::collector::Collector + Send + Sync,
{
    Ok(match allowed {
        Some(a) => searcher.search(
            q,
            &FilterCollector::new("id".into(), move |id: i64| a.contains(&id), collector),
        )?,
        None => searcher.search(q, &collector)?,
    })
}

/// One paper's entry as the index holds it, for checks: `(id, digest)`.
pub type Entry = (i64, u64);

/// An open keyword index (see the module documentation). Searches and writes may run
/// from several threads; writes take turns.
pub struct KeywordEngine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    applied: AtomicI64,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for KeywordEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeywordEngine")
            .field("path", &self.path)
            .field("applied", &self.applied())
            .finish()
    }
}

impl KeywordEngine {
    /// Opens the index in `dir` if it is there, complete and of this schema; `None`
    /// when it must be (re)built. An index that cannot be read is reported as `None`
    /// too (and logged): rebuilding replaces it.
    pub fn open(dir: &Path) -> Result<Option<KeywordEngine>> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let opened = Index::open_in_dir(dir)
            .map_err(Error::from)
            .and_then(|index| {
                let engine = Self::with_index(index, Some(dir.to_path_buf()))?;
                engine.refresh()?;
                Ok(engine)
            });
        match opened {
            Ok(e) if e.applied() >= 0 => Ok(Some(e)),
            Ok(_) => {
                log::info!(
                    "keyword index at {} is unfinished or of another version",
                    dir.display()
                );
                Ok(None)
            }
            Err(e) => {
                log::warn!("keyword index at {} is unreadable: {e}", dir.display());
                Ok(None)
            }
        }
    }

    /// A new, empty index in `dir` (whatever was there is removed), or in memory.
    /// It counts as unfinished until [`KeywordEngine::finish_build`].
    pub fn create(dir: Option<&Path>) -> Result<KeywordEngine> {
        let (schema, _) = schema();
        let index = match dir {
            Some(d) => {
                if d.exists() {
                    std::fs::remove_dir_all(d).map_err(|e| Error::io("cannot remove", d, e))?;
                }
                std::fs::create_dir_all(d).map_err(|e| Error::io("cannot create", d, e))?;
                Index::create_in_dir(d, schema)?
            }
            None => Index::create_in_ram(schema),
        };
        Self::with_index(index, dir.map(Path::to_path_buf))
    }

    fn with_index(index: Index, path: Option<PathBuf>) -> Result<KeywordEngine> {
        let (ours, fields) = schema();
        if index.schema() != ours {
            return Err(Error::KeywordIndex("the index has another schema".into()));
        }
        index
            .tokenizers()
            .register(tokenizer::NAME, WordTokenizer::default());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(KeywordEngine {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            applied: AtomicI64::new(-1),
            path,
        })
    }

    /// The last `keyword_log` entry the index holds (-1: unfinished or another schema).
    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::SeqCst)
    }

    /// Takes in what was committed since it was opened (by another process too), and
    /// returns [`KeywordEngine::applied`].
    pub fn refresh(&self) -> Result<i64> {
        self.reader.reload()?;
        let metas = self.index.load_metas()?;
        let seq = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
            .filter(|p| p.schema == SCHEMA_VERSION)
            .map_or(-1, |p| p.seq);
        self.applied.store(seq, Ordering::SeqCst);
        Ok(seq)
    }

    /// The index's writer, opened on first use and held until the write is committed
    /// (so the app and a CLI sync beside it take turns). Another process writing for
    /// longer than a second is `Busy`: the changes stay in the log for it, or the next
    /// search, to apply.
    fn writer(&self, build: bool) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        let mut w = self.writer.lock_any();
        let (threads, budget) = if build {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            (n, BUILD_BUDGET)
        } else {
            (1, WRITE_BUDGET)
        };
        let mut tries = 0;
        while w.is_none() {
            match self
                .index
                .writer_with_num_threads(threads, budget * threads)
            {
                Ok(writer) => {
                    // A writer killed before its commit leaves files no commit names (a
                    // segment's deletes, say). Writing the same operations again would
                    // trip over them ("FileAlreadyExists"): they go first. Only files of
                    // no commit are removed, and this writer holds the lock.
                    writer.garbage_collect_files().wait()?;
                    *w = Some(writer)
                }
                Err(tantivy::TantivyError::LockFailure(..)) if tries < WRITER_TRIES => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(Error::Busy(
                        "another Papersift process is writing the keyword index".into(),
                    ))
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(w)
    }

    /// Lets go of the writer once the merges its commits started are done (they keep
    /// the segments few), so another process may write next.
    fn release_writer(&self) -> Result<()> {
        let writer = self.writer.lock_any().take();
        if let Some(writer) = writer {
            writer.wait_merging_threads()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, d: &KeywordDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.all, &d.title);
        doc.add_text(f.all, &d.title);
        doc.add_text(f.all, &d.abstract_text);
        for a in &d.authors {
            doc.add_text(f.all, a);
        }
        doc.add_text(f.abstract_text, &d.abstract_text);
        for a in &d.authors {
            doc.add_text(f.authors, a);
        }
        for c in &d.categories {
            doc.add_text(f.categories, c.to_lowercase());
        }
        for s in &d.sources {
            doc.add_text(f.sources, s);
        }
        let day = day_number(d.published.as_deref());
        if let Some(n) = day {
            doc.add_i64(f.published, n);
        }
        // Newest first: by day (papers without one last), then by id.
        doc.add_i64(
            f.newest,
            (day.unwrap_or(0) << 40) | (d.id & ((1 << 40) - 1)),
        );
        doc.add_u64(f.digest, d.digest());
        doc
    }

    /// Adds papers during a build (committed by [`KeywordEngine::finish_build`]).
    pub fn add_for_build(&self, docs: &[KeywordDoc]) -> Result<()> {
        let w = self.writer(true)?;
        let w = w.as_ref().expect("writer opened");
        for d in docs {
            w.add_document(self.document(d))?;
        }
        Ok(())
    }

    /// Commits a build as holding the log up to `seq`, and lets its merges finish.
    pub fn finish_build(&self, seq: i64) -> Result<()> {
        self.commit(seq)?;
        self.release_writer()?;
        self.refresh()?;
        Ok(())
    }

    /// Replaces the entries of `ids` with `docs` (the ids' current papers; an id
    /// without one was removed) and commits as holding the log up to `seq`.
    pub fn apply(&self, ids: &[i64], docs: &[KeywordDoc], seq: i64) -> Result<()> {
        let written = {
            let w = self.writer(false)?;
            let w = w.as_ref().expect("writer opened");
            for id in ids {
                w.delete_term(Term::from_field_i64(self.fields.id, *id));
            }
            docs.iter()
                .try_for_each(|d| w.add_document(self.document(d)).map(drop))
        };
        if let Err(e) = written {
            // Nothing half-written is committed later: the writer goes, unused.
            self.writer.lock_any().take();
            return Err(e.into());
        }
        self.commit(seq)?;
        self.release_writer()
    }

    fn commit(&self, seq: i64) -> Result<()> {
        let mut w = self.writer(false)?;
        let writer = w.as_mut().expect("writer opened");
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(
            &serde_json::to_string(&Payload {
                schema: SCHEMA_VERSION,
                seq,
            })
            .expect("payload serializes"),
        );
        if let Err(e) = prepared.commit() {
            // A failed commit (a full disk) leaves the writer unusable: the next write
            // opens a new one from the last good commit, and the log still holds it all.
            *w = None;
            return Err(e.into());
        }
        drop(w);
        self.reader.reload()?;
        self.applied.store(seq, Ordering::SeqCst);
        Ok(())
    }

    /// Row ids of the documents at these addresses, in order.
    fn ids(&self, searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<i64>> {
        let mut columns = HashMap::new();
        let mut out = Vec::with_capacity(addrs.len());
        for a in addrs {
            let col = match columns.entry(a.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(a.segment_ord)
                        .fast_fields()
                        .i64("id")?,
                ),
            };
            if let Some(id) = col.first(a.doc_id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The `k` best papers by BM25 for the free words of a query, `(row id, score)`,
    /// among those the filter admits (and, with `allowed`, only those ids).
    pub fn search(
        &self,
        text: &str,
        k: usize,
        filter: &Filter,
        allowed: Option<Arc<HashSet<i64>>>,
    ) -> Result<Vec<(i64, f64)>> {
        let mut tok = WordTokenizer::default();
        let stems = query::rank_stems(text, &mut tok);
        if k == 0 || stems.is_empty() {
            return Ok(Vec::new());
        }
        let q = query::narrowed(
            query::ranking(&self.fields, &stems),
            query::admits(&self.fields, filter, &mut tok),
        );
        let searcher = self.reader.searcher();
        let hits = only(
            &searcher,
            &*q,
            TopDocs::with_limit(k).order_by_score(),
            allowed,
        )?;
        let addrs: Vec<DocAddress> = hits.iter().map(|h| h.1).collect();
        let ids = self.ids(&searcher, &addrs)?;
        Ok(ids
            .into_iter()
            .zip(hits)
            .map(|(id, (score, _))| (id, f64::from(score)))
            .collect())
    }

    /// What a filter admits as one query (everything when it holds nothing the index
    /// reads; its reading list is the caller's).
    fn admitting(&self, filter: &Filter) -> Box<dyn tantivy::query::Query> {
        query::admits(&self.fields, filter, &mut WordTokenizer::default())
            .unwrap_or_else(|| Box::new(tantivy::query::AllQuery))
    }

    /// Every paper the filter admits (its reading list aside), and, with `among`, only
    /// those ids.
    pub fn matching(&self, filter: &Filter, among: Option<Arc<HashSet<i64>>>) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let mut addrs: Vec<DocAddress> =
            only(&searcher, &*self.admitting(filter), DocSetCollector, among)?
                .into_iter()
                .collect();
        addrs.sort();
        self.ids(&searcher, &addrs)
    }

    /// The newest `k` papers the filter admits (and, with `allowed`, only those ids):
    /// by publication day, then newest stored.
    pub fn newest(
        &self,
        filter: &Filter,
        k: usize,
        allowed: Option<Arc<HashSet<i64>>>,
    ) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(k.max(1)).order_by_fast_field::<i64>("newest", Order::Desc);
        let hits = only(&searcher, &*self.admitting(filter), top, allowed)?;
        let addrs: Vec<DocAddress> = hits.iter().map(|h| h.1).take(k).collect();
        self.ids(&searcher, &addrs)
    }

    /// Every live entry, `(id, digest)`, sorted: what a check compares with SQLite.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let ids = seg.fast_fields().i64("id")?;
            let digests = seg.fast_fields().u64("digest")?;
            for doc in seg.doc_ids_alive() {
                if let (Some(id), Some(d)) = (ids.first(doc), digests.first(doc)) {
                    out.push((id, d));
                }
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Bytes the index takes on disk (0 in memory).
    pub fn disk_bytes(&self) -> u64 {
        let Some(dir) = &self.path else { return 0 };
        std::fs::read_dir(dir)
            .map(|it| {
                it.flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
