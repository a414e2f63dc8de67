//! The default recommender, words and meaning: four signals of how much a paper belongs
//! with a list, blended after each is put on one scale (standardized over the papers
//! ranked):
//!
//! - **meaning**: cosine similarity to the list's mean vector;
//! - **neighbours**: the mean similarity to the list's ten closest papers, which keeps a
//!   list of several themes from being averaged into none of them;
//! - **a classifier**: a linear SVM over the paper's vector and its tf-idf words and
//!   word pairs ([`TermIndex`]), trained on the list against the rest of the library
//!   (a sample of [`NEGATIVES`] in a larger one) and every paper marked 👎; it learns
//!   which words set the list apart, where the mean weighs every word of the list alike;
//! - **shared authors**: for each author of the paper, `ln(1 + list papers by them)`,
//!   added as it is (most papers share no author with a list).
//!
//! Papers like a 👎 paper move down by their similarity to it. The weights were chosen
//! on the dev reading lists (`papersift eval-lists`, figures in docs/benchmarks.md).

use super::moments;
use super::recommend::{centroid, top_k};
use super::terms::{TermIndex, TermRow};
use super::vector::{dot, VectorIndex};
use std::collections::{HashMap, HashSet};

/// Weight of the classifier's standardized score (meaning and neighbours weigh 1).
const W_CLASSIFIER: f32 = 1.5;
/// Weight of the shared-authors score.
const W_AUTHORS: f32 = 0.3;
/// Weight of the standardized similarity to the closest 👎 paper, when above average.
const W_DISMISSED: f32 = 1.0;
/// List papers whose similarity the neighbour score averages.
const NEIGHBOURS: usize = 10;
/// The vector's scale beside the unit-length word features in the classifier.
const DENSE_SCALE: f32 = 0.5;
/// The classifier's negatives: every other library paper, or a sample of this many in a
/// larger library. On the dev lists, the whole library as negatives beat a sample of
/// 8,000 by 0.03 recall@50: it tells the list's own words from the library's.
const NEGATIVES: usize = 40_000;
/// The classifier's misclassification cost, shared by each class (LIBLINEAR's `C`
/// summed over a class's examples), so the list and the rest weigh alike at any size.
const C_PER_CLASS: f32 = 875.0;
/// Passes of coordinate descent at most (three reach the ranking of thirty on the dev
/// lists), and the gradient spread that ends them sooner.
const EPOCHS: usize = 3;
const TOLERANCE: f32 = 1e-2;
/// An example this far past its margin after a pass is not visited again.
const SHRINK_MARGIN: f32 = 0.5;
/// Papers re-scored with the neighbour score: the best by the other signals.
const SHORTLIST: usize = 2_000;
/// Papers sampled to put the neighbour score on the common scale.
const SCALE_SAMPLE: usize = 1_000;

/// Deterministic xorshift over a slice: the same list and library give the same picks.
fn sample<T: Copy>(items: &[T], n: usize, seed: u64) -> Vec<T> {
    if items.len() <= n {
        return items.to_vec();
    }
    let mut idx: Vec<usize> = (0..items.len()).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ seed ^ items.len() as u64;
    for i in 0..n {
        let j = i + (super::xorshift(&mut state) % (items.len() - i) as u64) as usize;
        idx.swap(i, j);
    }
    let mut picked: Vec<usize> = idx[..n].to_vec();
    picked.sort_unstable();
    picked.into_iter().map(|i| items[i]).collect()
}

/// A trained linear model over `[DENSE_SCALE · vector ; words]`.
struct Classifier {
    dense: Vec<f32>,
    /// Word weights, by bucket.
    words: Vec<f32>,
    bias: f32,
}

impl Classifier {
    fn score(&self, v: &[f32], row: Option<TermRow<'_>>) -> f32 {
        let w = row.map_or(0.0, |r| r.dot(&self.words));
        DENSE_SCALE * dot(v, &self.dense) + w + self.bias
    }
}

/// Trains an L2-regularized squared-hinge SVM by dual coordinate descent (as LIBLINEAR
/// does), with a regularized bias feature of 1. `examples` are `(paper, label ±1, C)`.
/// After the first pass, examples well outside the margin are set aside (LIBLINEAR's
/// shrinking, simplified): most of the library is, and later passes skip it.
fn train(index: &VectorIndex, terms: &TermIndex, examples: &[(i64, f32, f32)]) -> Classifier {
    let mut dense = vec![0.0f32; index.dim()];
    let mut words = vec![0.0f32; terms.dims()];
    let mut bias = 0.0f32;
    struct Ex<'a> {
        v: &'a [f32],
        /// This example's weighted terms are `terms[from..to]`.
        from: usize,
        to: usize,
        y: f32,
        diag: f32,
        q: f32,
        alpha: f32,
    }
    // Every example's weighted terms, flat and in f32: each pass then reads only the terms
    // that weigh something (a row also holds terms too rare or too common to count now,
    // about a quarter), which measured faster than reading the rows in place. Sized once:
    // growing 50 MB by doubling cost a copy of it.
    let rows: Vec<Option<TermRow>> = examples.iter().map(|e| terms.row(e.0)).collect();
    let mut flat: Vec<(u32, f32)> =
        Vec::with_capacity(rows.iter().flatten().map(|r| r.entries()).sum());
    let mut ex: Vec<Ex> = Vec::with_capacity(examples.len());
    for (&(id, y, c), row) in examples.iter().zip(&rows) {
        let Some(v) = index.get(id) else { continue };
        let from = flat.len();
        if let Some(r) = row {
            flat.extend(r.terms());
        }
        let words_sq: f32 = flat[from..].iter().map(|t| t.1 * t.1).sum();
        let diag = 0.5 / c;
        let q = DENSE_SCALE * DENSE_SCALE * dot(v, v) + words_sq + 1.0 + diag;
        ex.push(Ex {
            v,
            from,
            to: flat.len(),
            y,
            diag,
            q,
            alpha: 0.0,
        });
    }
    let mut active: Vec<usize> = (0..ex.len()).collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for epoch in 0..EPOCHS {
        super::shuffle(&mut active, &mut state);
        let (mut hi, mut lo) = (f32::MIN, f32::MAX);
        let mut keep = Vec::with_capacity(active.len());
        for &i in &active {
            let e = &mut ex[i];
            let row = &flat[e.from..e.to];
            let wx = DENSE_SCALE * dot(e.v, &dense)
                + row.iter().map(|&(b, x)| words[b as usize] * x).sum::<f32>()
                + bias;
            let g = e.y * wx - 1.0 + e.diag * e.alpha;
            let pg = if e.alpha == 0.0 { g.min(0.0) } else { g };
            hi = hi.max(pg);
            lo = lo.min(pg);
            if pg.abs() > 1e-12 {
                let old = e.alpha;
                e.alpha = (old - g / e.q).max(0.0);
                let step = (e.alpha - old) * e.y;
                let ds = step * DENSE_SCALE;
                dense.iter_mut().zip(e.v).for_each(|(w, x)| *w += ds * x);
                for &(b, x) in row {
                    words[b as usize] += step * x;
                }
                bias += step;
            }
            if e.alpha > 0.0 || g < SHRINK_MARGIN || epoch == 0 && g < 0.0 {
                keep.push(i);
            }
        }
        active = keep;
        if hi - lo <= TOLERANCE || active.is_empty() {
            break;
        }
    }
    Classifier { dense, words, bias }
}

pub(crate) fn rank(
    index: &VectorIndex,
    terms: &TermIndex,
    positives: &[i64],
    skip: &HashSet<i64>,
    dismissed: &[i64],
    k: usize,
) -> Vec<(i64, f32)> {
    let pos: Vec<(i64, &[f32])> = positives
        .iter()
        .filter_map(|id| index.get(*id).map(|v| (*id, v)))
        .collect();
    let mut candidates: Vec<(i64, &[f32])> =
        index.rows().filter(|(id, _)| !skip.contains(id)).collect();
    // By id, not by the index's row order (which follows the order papers were
    // embedded): the same library ranks the same way after a restart.
    candidates.sort_unstable_by_key(|c| c.0);
    if pos.is_empty() || candidates.is_empty() || k == 0 {
        return Vec::new();
    }
    let pos_vecs: Vec<&[f32]> = pos.iter().map(|p| p.1).collect();
    let c = centroid(&pos_vecs, index.dim());

    // The classifier: the list against the rest (or a sample of it), and every 👎 paper.
    let ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
    let negatives = sample(&ids, NEGATIVES, positives.len() as u64);
    let dis: Vec<(i64, &[f32])> = dismissed
        .iter()
        .filter_map(|id| index.get(*id).map(|v| (*id, v)))
        .collect();
    let mut examples: Vec<(i64, f32, f32)> = Vec::new();
    let c_pos = C_PER_CLASS / pos.len() as f32;
    examples.extend(pos.iter().map(|p| (p.0, 1.0, c_pos)));
    let c_neg = C_PER_CLASS / negatives.len().max(1) as f32;
    examples.extend(negatives.iter().map(|id| (*id, -1.0, c_neg)));
    // A 👎 weighs like a list paper: one judgment, not one of thousands of samples.
    examples.extend(dis.iter().map(|d| (d.0, -1.0, c_pos)));

    // Authors of the list, each weighted by how many list papers they wrote.
    let mut authors: HashMap<u32, f32> = HashMap::new();
    for (id, _) in &pos {
        if let Some(r) = terms.row(*id) {
            for a in r.authors() {
                *authors.entry(*a).or_default() += 1.0;
            }
        }
    }
    authors.values_mut().for_each(|n| *n = n.ln_1p());

    // The classifier trains (one core) while each paper's meaning and shared-author
    // scores are computed beside it; then every core scores with the classifier.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = candidates.len().div_ceil(threads).max(1);
    let (model, (meaning, shared)) = std::thread::scope(|s| {
        let beside = s.spawn(|| -> (Vec<f32>, Vec<f32>) {
            candidates
                .iter()
                .map(|(id, v)| {
                    let shared = terms.row(*id).map_or(0.0, |r| {
                        r.authors().iter().filter_map(|a| authors.get(a)).sum()
                    });
                    (dot(v, &c), shared)
                })
                .unzip()
        });
        let model = train(index, terms, &examples);
        (model, beside.join().expect("a scoring thread panicked"))
    });
    let model = &model;
    let classifier: Vec<f32> = std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(id, v)| model.score(v, terms.row(*id)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a scoring thread panicked"))
            .collect()
    });
    let (mm, ms) = moments(meaning.iter().copied());
    let (cm, cs) = moments(classifier.iter().copied());
    let mut scored: Vec<(i64, f32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            let s = (meaning[i] - mm) / ms
                + W_CLASSIFIER * (classifier[i] - cm) / cs
                + W_AUTHORS * shared[i];
            (*id, s)
        })
        .collect();

    // Papers like a 👎 move down.
    if !dis.is_empty() {
        let closest: Vec<f32> = candidates
            .iter()
            .map(|(_, v)| dis.iter().map(|d| dot(v, d.1)).fold(f32::MIN, f32::max))
            .collect();
        let (dm, ds) = moments(closest.iter().copied());
        for (s, x) in scored.iter_mut().zip(&closest) {
            s.1 -= W_DISMISSED * ((x - dm) / ds).max(0.0);
        }
    }

    // Neighbours, for the best of the rest: on a sample's scale, added to a shortlist.
    let neighbours = |v: &[f32]| -> f32 {
        let mut sims: Vec<f32> = pos_vecs.iter().map(|p| dot(v, p)).collect();
        let n = NEIGHBOURS.min(sims.len());
        sims.select_nth_unstable_by(n - 1, |a, b| b.total_cmp(a));
        sims[..n].iter().sum::<f32>() / n as f32
    };
    let scale: Vec<&[f32]> = sample(&candidates, SCALE_SAMPLE, 7)
        .into_iter()
        .map(|c| c.1)
        .collect();
    let (nm, ns) = moments(scale.iter().map(|v| neighbours(v)));
    let short = top_k(scored, SHORTLIST.max(4 * k));
    // Candidates are sorted by id: a shortlisted paper's vector is a binary search away.
    let vector_of = |id: i64| {
        let at = candidates.binary_search_by_key(&id, |c| c.0);
        candidates[at.expect("shortlisted papers are candidates")].1
    };
    let rescored: Vec<(i64, f32)> = short
        .into_iter()
        .map(|(id, s)| (id, s + (neighbours(vector_of(id)) - nm) / ns))
        .collect();
    top_k(rescored, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::recommend::{recommend, Method};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Record {
        id: String,
        title: String,
        #[serde(rename = "abstract")]
        abstract_text: String,
        authors: Vec<String>,
        vector: Vec<f32>,
    }

    #[derive(Deserialize)]
    struct List {
        name: String,
        train: Vec<String>,
        test: Vec<String>,
    }

    /// A list's name, its papers and its later papers, as row ids.
    type Lists = Vec<(String, Vec<i64>, Vec<i64>)>;

    /// 110 real arXiv papers with their all-MiniLM-L6-v2 vectors, and two real reading
    /// lists over them (`tests/fixtures/recommend/`), as row ids.
    fn fixture() -> (VectorIndex, TermIndex, Lists) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../tests/fixtures/recommend");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        let records: Vec<Record> = read("papers.jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let row: HashMap<&str, i64> = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i as i64 + 1))
            .collect();
        let mut index = VectorIndex::default();
        let mut terms = TermIndex::default();
        for (i, r) in records.iter().enumerate() {
            let mut v = r.vector.clone();
            crate::rank::vector::normalize(&mut v);
            index.upsert(i as i64 + 1, &v);
        }
        terms.upsert_all(records.iter().enumerate().map(|(i, r)| {
            (
                i as i64 + 1,
                r.title.as_str(),
                r.abstract_text.as_str(),
                &r.authors[..],
            )
        }));
        let lists = read("lists.jsonl")
            .lines()
            .map(|l| {
                let l: List = serde_json::from_str(l).unwrap();
                let ids = |v: &[String]| v.iter().map(|a| row[a.as_str()]).collect::<Vec<_>>();
                (l.name, ids(&l.train), ids(&l.test))
            })
            .collect();
        (index, terms, lists)
    }

    fn ranked(
        f: &(VectorIndex, TermIndex, Lists),
        positives: &[i64],
        dismissed: &[i64],
    ) -> Vec<(i64, f32)> {
        recommend(
            &f.0,
            &f.1,
            positives,
            &HashSet::new(),
            dismissed,
            Method::Hybrid,
            200,
        )
    }

    fn place(r: &[(i64, f32)], id: i64) -> usize {
        r.iter().position(|x| x.0 == id).unwrap()
    }

    #[test]
    fn a_lists_later_papers_rank_first_among_real_papers() {
        let f = fixture();
        for (name, train, test) in &f.2 {
            let r = ranked(&f, train, &[]);
            assert_eq!(r.len(), 100, "{name}: every paper but the list's ten");
            // Each later paper among the best 15 of 100, most of them in the top 5.
            let places: Vec<usize> = test.iter().map(|id| place(&r, *id)).collect();
            assert!(places.iter().all(|p| *p < 15), "{name}: {places:?}");
            assert!(
                places.iter().filter(|p| **p < 5).count() >= 3,
                "{name}: {places:?}"
            );
            assert!(r.windows(2).all(|w| w[0].1 >= w[1].1));
        }
    }

    #[test]
    fn a_dismissed_paper_is_gone_and_its_neighbours_move_down() {
        let f = fixture();
        let (_, train, test) = &f.2[0];
        let before = ranked(&f, train, &[]);
        let gone = test[0];
        // Its closest other paper of the same list.
        let v = f.0.get(gone).unwrap();
        let neighbour = *test[1..]
            .iter()
            .max_by(|a, b| dot(v, f.0.get(**a).unwrap()).total_cmp(&dot(v, f.0.get(**b).unwrap())))
            .unwrap();
        let after = ranked(&f, train, &[gone]);
        assert!(after.iter().all(|x| x.0 != gone));
        assert!(
            place(&after, neighbour) > place(&before, neighbour),
            "{neighbour}: {} then {}",
            place(&before, neighbour),
            place(&after, neighbour)
        );
    }

    #[test]
    fn a_liked_paper_lifts_its_neighbours_and_undoing_it_restores_the_order() {
        let f = fixture();
        let (_, train, _) = &f.2[0];
        let (_, other_train, other_test) = &f.2[1];
        let before = ranked(&f, train, &[]);
        // Liking one paper of another topic adds it to what the ranker learns from.
        let liked = other_train[0];
        let mut with_like = train.clone();
        with_like.push(liked);
        let after = ranked(&f, &with_like, &[]);
        let mean_place = |r: &[(i64, f32)]| {
            other_test.iter().map(|id| place(r, *id)).sum::<usize>() as f32
                / other_test.len() as f32
        };
        assert!(
            mean_place(&after) + 5.0 < mean_place(&before),
            "{} then {}",
            mean_place(&before),
            mean_place(&after)
        );
        // Undone: exactly the first order again, scores included.
        assert_eq!(ranked(&f, train, &[]), before);
    }
}
