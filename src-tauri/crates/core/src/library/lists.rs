//! Reading lists and the recommendations made for them.

use super::*;

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

impl Library {
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
        let (top, because) = self.with_terms(|terms| {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let top = crate::rank::recommend::recommend(
                &index, terms, &positives, &exclude, &dismissed, method, k,
            );
            let because: Vec<Vec<(i64, f32)>> = top
                .iter()
                .map(|(id, _)| crate::rank::recommend::closest(&index, *id, &positives, 2))
                .collect();
            (top, because)
        })?;
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
}
