//! Search: typed queries in three modes, their fusion, and similar papers.

use super::*;
use crate::locks::RwLockAny;
use std::collections::HashMap;

impl Library {
    /// Ranks the library for a typed query, read with the query syntax
    /// (`query`: phrases, fields, exclusions, prefixes, AND/OR): its free words
    /// rank, and every result obeys the rest. A query that only constrains lists its
    /// matches newest first.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<Vec<SearchHit>> {
        self.search_parsed(&crate::query::parse(query), opts)
    }

    /// [`Library::search`] for a query already read (a caller that also shows its hint).
    pub fn search_parsed(
        &self,
        parsed: &crate::query::Query,
        opts: &SearchOptions,
    ) -> Result<Vec<SearchHit>> {
        let Some(constraint) = parsed.constraint.clone() else {
            return self.search_words(&parsed.text, opts);
        };
        let mut opts = opts.clone();
        opts.filter.query = Some(match opts.filter.query.take() {
            Some(outer) => crate::query::Expr::And(vec![outer, constraint]),
            None => constraint,
        });
        if opts.k == 0 {
            return Ok(Vec::new());
        }
        if !keyword::has_content_word(&parsed.text) {
            let ids = match self.current_keywords() {
                Some(engine) => {
                    let list = self.list_ids(&opts.filter)?;
                    engine.newest(&opts.filter, opts.k, list)?
                }
                None => self.store().newest_ids(&opts.filter, opts.k)?,
            };
            let mut papers: HashMap<i64, Paper> =
                self.store().papers_by_ids(&ids)?.into_iter().collect();
            return Ok(ids
                .iter()
                .filter_map(|id| papers.remove(id))
                .map(|paper| SearchHit {
                    paper,
                    score: 0.0,
                    parts: ScoreParts::default(),
                })
                .collect());
        }
        self.search_words(&parsed.text, &opts)
    }

    /// Ranks the library for the words of a query, without reading any syntax in them.
    pub fn search_words(&self, query: &str, opts: &SearchOptions) -> Result<Vec<SearchHit>> {
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
            let reads = self.reads(&opts.filter)?;
            let allowed = self.allowed_ids(&opts.filter, &reads)?;
            let (dense, keyword) = std::thread::scope(|s| {
                let keyword = s.spawn(|| self.keyword_list(query, opts, &reads));
                let dense = e
                    .embed_query(query)
                    .map(|q| self.dense_list(Some(&q), opts, allowed.as_ref()));
                (dense, keyword.join())
            });
            let keyword = keyword
                .map_err(|_| Error::Internal("the keyword search thread stopped".into()))??;
            return self.assemble(opts, dense?, keyword);
        }
        let qvec = match (&embedder, want_dense) {
            (Some(e), true) => Some(e.embed_query(query)?),
            _ => None,
        };
        self.search_with_vector(query, qvec.as_deref(), opts)
    }

    /// What one search reads once for both of its halves.
    fn reads(&self, filter: &crate::query::Filter) -> Result<Reads> {
        Ok(Reads {
            keywords: self.current_keywords(),
            list: self.list_ids(filter)?,
        })
    }

    /// The ids a filter allows (`None`: no filter).
    fn allowed_ids(
        &self,
        filter: &crate::query::Filter,
        reads: &Reads,
    ) -> Result<Option<HashSet<i64>>> {
        if filter.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.admitted_by(
            reads.keywords.as_deref(),
            filter,
            reads.list.clone(),
        )?))
    }

    /// The ids a filter admits, only those in `among` when given. The keyword index
    /// holds no reading lists: a filter's list comes as `among` ([`Library::allowed_ids`]
    /// passes it).
    pub(super) fn admitted(
        &self,
        filter: &crate::query::Filter,
        among: Option<Arc<HashSet<i64>>>,
    ) -> Result<HashSet<i64>> {
        self.admitted_by(self.current_keywords().as_deref(), filter, among)
    }

    /// [`Library::admitted`] with the keyword snapshot already read (`None`: SQLite).
    fn admitted_by(
        &self,
        keywords: Option<&KeywordEngine>,
        filter: &crate::query::Filter,
        among: Option<Arc<HashSet<i64>>>,
    ) -> Result<HashSet<i64>> {
        if let Some(engine) = keywords {
            return Ok(engine.matching(filter, among)?.into_iter().collect());
        }
        Ok(self
            .store()
            .filtered_ids(filter)?
            .into_iter()
            .filter(|id| among.as_ref().is_none_or(|a| a.contains(id)))
            .collect())
    }

    /// The papers of the filter's reading list (`None`: no list), which the keyword
    /// index does not hold.
    fn list_ids(&self, filter: &crate::query::Filter) -> Result<Option<Arc<HashSet<i64>>>> {
        let Some(list) = filter.list else {
            return Ok(None);
        };
        let only_list = crate::query::Filter {
            list: Some(list),
            ..Default::default()
        };
        Ok(Some(Arc::new(
            self.store().filtered_ids(&only_list)?.into_iter().collect(),
        )))
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
            (_, Some(q)) => {
                self.index
                    .read_any()
                    .top_k(q, candidates(opts, SearchMode::Dense), allowed)
            }
        }
    }

    /// The keyword candidates: the top `k` in keyword mode, the fusion depth in hybrid.
    fn keyword_list(
        &self,
        query: &str,
        opts: &SearchOptions,
        reads: &Reads,
    ) -> Result<Vec<(i64, f64)>> {
        match (opts.mode, keyword::fts_query(query)) {
            (SearchMode::Dense, _) | (_, None) => Ok(Vec::new()),
            (_, Some(fts)) => {
                let k = candidates(opts, SearchMode::Keyword);
                if let Some(engine) = &reads.keywords {
                    match engine.search(query, k, &opts.filter, reads.list.clone()) {
                        Ok(hits) => return Ok(hits),
                        Err(e) => log::warn!("keyword index failed, FTS5 serves: {e}"),
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
        let reads = self.reads(&opts.filter)?;
        let allowed = self.allowed_ids(&opts.filter, &reads)?;
        let dense = self.dense_list(qvec, opts, allowed.as_ref());
        let keyword = self.keyword_list(query, opts, &reads)?;
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
        let mut by_id: HashMap<i64, Paper> = papers.into_iter().collect();
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

    /// The papers most similar to one paper (by embedding), best first.
    pub fn similar(&self, key: &str, k: usize) -> Result<Vec<(Paper, f32)>> {
        let id = self
            .paper_row(key)?
            .ok_or_else(|| Error::Invalid(format!("there is no paper {key} in the library")))?;
        let top = {
            let index = self.index.read_any();
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
}

/// What one search reads once and its dense and keyword halves share: the keyword
/// snapshot, brought up to what other processes stored (`None`: not built; SQLite
/// serves), and the papers of the filter's reading list (`None`: no list).
struct Reads {
    keywords: Option<Arc<KeywordEngine>>,
    list: Option<Arc<HashSet<i64>>>,
}
