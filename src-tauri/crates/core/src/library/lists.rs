//! Reading lists and the recommendations made for them.

use super::*;
use crate::locks::RwLockAny;
use crate::store::Rating;

/// A recommended paper and why.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// The paper.
    pub paper: Paper,
    /// The method's score (higher is better; comparable within one call).
    pub score: f32,
    /// The list papers it is most like.
    pub because: Vec<Because>,
    /// Words it shares with those papers that weigh most in both, as written in it.
    pub words: Vec<String>,
}

/// What the user has done with a paper, for its card.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperMarks {
    /// The paper's key.
    pub key: String,
    /// Its rating where the card is shown.
    pub rating: Option<Rating>,
    /// Whether its card stayed in view before.
    pub seen: bool,
}

/// Recommendations the user has not seen yet: For you's and each list's.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UnseenCounts {
    /// Among For you's first recommendations.
    pub for_you: usize,
    /// `(list id, count)` among each list's first recommendations.
    pub lists: Vec<(i64, usize)>,
}

/// What a ranker learns from for `list` (or, with `None`, For you): the list's papers
/// (every list's) and the 👍 that count there, sorted; and every 👎.
pub(super) fn learned_from(store: &Store, list: Option<i64>) -> Result<(Vec<i64>, Vec<i64>)> {
    let (mut positives, dismissed) = store.rated_ids(list)?;
    match list {
        Some(id) => {
            if store.list(id)?.is_none() {
                return Err(Error::Invalid(format!("there is no list {id}")));
            }
            positives.extend(store.list_paper_ids(id)?);
        }
        None => {
            for l in store.lists()? {
                positives.extend(store.list_paper_ids(l.id)?);
            }
        }
    }
    positives.sort_unstable();
    positives.dedup();
    Ok((positives, dismissed))
}

/// A rating with what finds its paper and list in another library (the JSON of
/// `export-ratings`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RatedPaper {
    /// The paper's library key.
    pub key: String,
    /// Its arXiv id, when it has one.
    #[serde(alias = "arxiv_id")] // export-ratings files written before camelCase
    pub arxiv_id: Option<String>,
    /// Its title, for people reading the file.
    pub title: String,
    /// The list the rating was given inside, by name.
    pub list: Option<String>,
    /// 👍 or 👎.
    pub rating: Rating,
    /// When.
    #[serde(alias = "rated_at")]
    pub rated_at: String,
}

/// A list paper a recommendation resembles.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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

    /// Makes a list that follows `source` (see [`crate::import::links`]).
    pub fn create_linked_list(
        &self,
        name: &str,
        source: &crate::store::LinkSource,
        label: &str,
    ) -> Result<i64> {
        self.store().create_linked_list(name, source, label)
    }

    /// Every linked list, or the one `only` names.
    pub fn linked_lists(&self, only: Option<i64>) -> Result<Vec<crate::store::Linked>> {
        self.store().linked_lists(only)
    }

    /// The item keys a list holds.
    pub fn list_keys(&self, list_id: i64) -> Result<Vec<String>> {
        self.store().list_keys(list_id)
    }

    /// Brings a linked list in step (see [`Store::follow_list`]).
    pub fn follow_list(
        &self,
        list_id: i64,
        keep: &std::collections::HashSet<String>,
        added: &[crate::store::NewItem],
        seen: &str,
    ) -> Result<usize> {
        self.store().follow_list(list_id, keep, added, seen)
    }

    /// Records a linked list's last check and its failure, if any.
    pub fn set_link_status(&self, list_id: i64, error: Option<&str>) -> Result<()> {
        self.store().set_link_status(list_id, error)
    }

    /// Stops following; the list keeps its entries and becomes editable.
    pub fn unlink_list(&self, list_id: i64) -> Result<bool> {
        self.store().unlink_list(list_id)
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

    /// DOIs of list entries waiting for a look-up.
    pub fn waiting_dois(&self, limit: usize) -> Result<Vec<String>> {
        self.store().waiting_dois(limit)
    }

    /// Settles the list entries that name `doi` (see [`Store::settle_doi`]).
    pub fn settle_doi(&self, doi: &str, paper_id: Option<i64>, reason: &str) -> Result<()> {
        self.store().settle_doi(doi, paper_id, reason)
    }

    /// Row id of a paper by arXiv id.
    pub fn paper_id_by_arxiv(&self, arxiv_id: &str) -> Result<Option<i64>> {
        self.store().paper_id_by_arxiv(arxiv_id)
    }

    /// Rates a paper (by key or arXiv id) inside `list` or anywhere, or clears that
    /// rating. It is committed before this returns.
    pub fn rate(&self, paper_key: &str, list: Option<i64>, rating: Option<Rating>) -> Result<()> {
        let store = self.store();
        let id = store.paper_id(paper_key)?.ok_or_else(|| {
            Error::Invalid(format!("there is no paper {paper_key} in the library"))
        })?;
        if let Some(l) = list {
            if store.list(l)?.is_none() {
                return Err(Error::Invalid(format!("there is no list {l}")));
            }
        }
        store.set_rating(id, list, rating)
    }

    /// Every rating with its paper, newest first: what `export-ratings` writes.
    pub fn ratings(&self) -> Result<Vec<RatedPaper>> {
        let store = self.store();
        let rows = store.ratings()?;
        let ids: Vec<i64> = rows.iter().map(|r| r.paper_id).collect();
        let papers: std::collections::HashMap<i64, Paper> =
            store.papers_by_ids(&ids)?.into_iter().collect();
        let lists: std::collections::HashMap<i64, String> =
            store.lists()?.into_iter().map(|l| (l.id, l.name)).collect();
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let p = papers.get(&r.paper_id)?;
                Some(RatedPaper {
                    key: p.key.clone(),
                    arxiv_id: p.arxiv_id.clone(),
                    title: p.title.clone(),
                    list: r.list_id.and_then(|l| lists.get(&l).cloned()),
                    rating: r.rating,
                    rated_at: r.rated_at,
                })
            })
            .collect())
    }

    /// Restores exported ratings: each paper is found by key or arXiv id and each list by
    /// name. Returns how many were restored and the entries that could not be (paper or
    /// list not in this library), with why.
    pub fn import_ratings(&self, ratings: &[RatedPaper]) -> Result<(usize, Vec<String>)> {
        let store = self.store();
        let (mut done, mut skipped) = (0, Vec::new());
        for r in ratings {
            let paper_id = match store.paper_id(&r.key)? {
                Some(id) => Some(id),
                None => match &r.arxiv_id {
                    Some(a) => store.paper_id(a)?,
                    None => None,
                },
            };
            let Some(paper_id) = paper_id else {
                skipped.push(format!("{}: not in this library", r.key));
                continue;
            };
            let list_id = match &r.list {
                Some(name) => match store.find_list(name)? {
                    Some(id) => Some(id),
                    None => {
                        skipped.push(format!("{}: there is no list {name}", r.key));
                        continue;
                    }
                },
                None => None,
            };
            store.put_rating(&crate::store::RatingRow {
                paper_id,
                list_id,
                rating: r.rating,
                rated_at: r.rated_at.clone(),
            })?;
            done += 1;
        }
        Ok((done, skipped))
    }

    /// Clears the ratings given inside `list`, or every rating given anywhere ("Reset"
    /// for For you). Returns how many were removed.
    pub fn reset_ratings(&self, list: Option<i64>) -> Result<usize> {
        self.store().reset_ratings(list)
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
        let (positives, dismissed) = learned_from(&self.store(), list)?;
        if positives.is_empty() {
            return Ok(Vec::new());
        }
        // "For you" leaves out what is in any list; a list leaves out its own papers.
        let exclude: HashSet<i64> = match list {
            None => positives.iter().copied().collect(),
            Some(_) => HashSet::new(),
        };
        self.rank_with(&positives, &dismissed, &exclude, method, k)
    }

    /// The papers of the days `from..=to` (as the feed dates them) in For you's order:
    /// papers in a list or 👍 first (with an infinite score), then the rest by the default
    /// ranker trained on those; 👎 papers are left out. Empty when there is nothing to
    /// learn from yet (no list and no 👍).
    pub fn feed_for_you(&self, from: &str, to: &str, limit: usize) -> Result<Vec<Recommendation>> {
        let day_papers = self.feed_rows(from, to, false, 100_000)?;
        let (positives, dismissed) = learned_from(&self.store(), None)?;
        if positives.is_empty() || day_papers.is_empty() {
            return Ok(Vec::new());
        }
        let period: HashSet<i64> = day_papers.iter().map(|(id, _)| *id).collect();
        let mut exclude: HashSet<i64> = self
            .index
            .read_any()
            .rows()
            .map(|(id, _)| id)
            .filter(|id| !period.contains(id))
            .collect();
        exclude.extend(&positives);
        let mut out = self.rank_with(
            &positives,
            &dismissed,
            &exclude,
            crate::rank::recommend::Method::Hybrid,
            limit,
        )?;
        // The period's own listed and 👍 papers lead, in the feed's order.
        let mut lead: Vec<Recommendation> = day_papers
            .into_iter()
            .filter(|(id, _)| positives.binary_search(id).is_ok())
            .map(|(_, paper)| Recommendation {
                paper,
                score: f32::INFINITY,
                because: Vec::new(),
                words: Vec::new(),
            })
            .collect();
        lead.append(&mut out);
        lead.truncate(limit);
        Ok(lead)
    }

    /// Ranks the library for `positives` (every paper but `exclude`) and says why.
    fn rank_with(
        &self,
        positives: &[i64],
        dismissed: &[i64],
        exclude: &HashSet<i64>,
        method: crate::rank::recommend::Method,
        k: usize,
    ) -> Result<Vec<Recommendation>> {
        let (top, because) = self.with_terms(|terms| {
            let index = self.index.read_any();
            let top = crate::rank::recommend::recommend(
                &index, terms, positives, exclude, dismissed, method, k,
            );
            let because: Vec<Vec<(i64, f32)>> = top
                .iter()
                .map(|(id, _)| crate::rank::recommend::closest(&index, *id, positives, 2))
                .collect();
            (top, because)
        })?;
        let mut wanted: Vec<i64> = top.iter().map(|t| t.0).collect();
        wanted.extend(because.iter().flatten().map(|b| b.0));
        let papers: std::collections::HashMap<i64, Paper> =
            self.store().papers_by_ids(&wanted)?.into_iter().collect();
        // The words each shares with the list papers it is most like.
        let words: Vec<Vec<String>> = self.with_terms(|terms| {
            top.iter()
                .zip(&because)
                .map(|((id, _), b)| match papers.get(id) {
                    Some(p) => {
                        let others: Vec<i64> = b.iter().map(|x| x.0).collect();
                        crate::rank::terms::shared_words(
                            terms,
                            *id,
                            &p.title,
                            &p.abstract_text,
                            &others,
                            4,
                        )
                    }
                    None => Vec::new(),
                })
                .collect()
        })?;
        Ok(top
            .into_iter()
            .zip(because)
            .zip(words)
            .filter_map(|(((id, score), because), words)| {
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
                    words,
                })
            })
            .collect())
    }

    /// The rating (inside `list`, or anywhere) and the seen mark of each paper of `keys`
    /// that is in the library.
    pub fn marks(&self, keys: &[String], list: Option<i64>) -> Result<Vec<PaperMarks>> {
        let store = self.store();
        let mut found: Vec<(i64, String)> = Vec::new();
        for k in keys {
            if let Some(id) = store.paper_id(k)? {
                found.push((id, k.clone()));
            }
        }
        let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        let ratings = store.ratings_of(&ids, list)?;
        let seen = store.seen_among(&ids)?;
        Ok(found
            .into_iter()
            .map(|(id, key)| PaperMarks {
                key,
                rating: ratings.get(&id).copied(),
                seen: seen.contains(&id),
            })
            .collect())
    }

    /// Marks papers (by key) seen; unknown keys are skipped. Returns how many were new.
    pub fn mark_papers_seen(&self, keys: &[String]) -> Result<usize> {
        let mut store = self.store();
        let mut ids = Vec::new();
        for k in keys {
            if let Some(id) = store.paper_id(k)? {
                ids.push(id);
            }
        }
        store.mark_papers_seen(&ids)
    }

    /// For you's and each list's first `k` recommendations that the user has not seen.
    /// Zero everywhere while the embedding model is not loaded.
    pub fn unseen_recommendations(&self, k: usize) -> Result<UnseenCounts> {
        if self.embedder().is_none() {
            return Ok(UnseenCounts {
                for_you: 0,
                lists: Vec::new(),
            });
        }
        let unseen = |recs: Vec<Recommendation>| -> Result<usize> {
            let keys: Vec<String> = recs.into_iter().map(|r| r.paper.key).collect();
            Ok(self.marks(&keys, None)?.iter().filter(|m| !m.seen).count())
        };
        let method = crate::rank::recommend::Method::default();
        let for_you = unseen(self.recommend(None, k, method)?)?;
        let mut lists = Vec::new();
        for l in self.lists()? {
            lists.push((l.id, unseen(self.recommend(Some(l.id), k, method)?)?));
        }
        Ok(UnseenCounts { for_you, lists })
    }

    /// With nothing to learn from yet: `n` of the newest papers (at most the newest
    /// 5,000), one from each region of meaning they cover, for the user to rate. 👎
    /// papers are left out.
    pub fn cold_start(&self, n: usize) -> Result<Vec<Paper>> {
        let (_, dismissed) = self.store().rated_ids(None)?;
        let picks = {
            let index = self.index.read_any();
            let mut ids: Vec<i64> = index
                .rows()
                .map(|(id, _)| id)
                .filter(|id| dismissed.binary_search(id).is_err())
                .collect();
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids.truncate(5_000);
            crate::rank::recommend::spread(&index, &ids, n)
        };
        let mut papers: std::collections::HashMap<i64, Paper> =
            self.store().papers_by_ids(&picks)?.into_iter().collect();
        Ok(picks.iter().filter_map(|id| papers.remove(id)).collect())
    }
}
