//! Recommendations for a reading list: rank every library paper that is not in the
//! list by how much it resembles the list, four ways (compared by `papersift
//! eval-lists`):
//!
//! - **hybrid** (the default): words and meaning blended ([`super::hybrid`]);
//! - **nearest**: the best cosine similarity to any list paper;
//! - **centroid**: cosine similarity to the list's mean vector;
//! - **linear**: a logistic-regression classifier trained on the list (positives)
//!   against a sample of the library (negatives), as arxiv-sanity-lite does with an SVM
//!   over tf-idf.
//!
//! Papers rated 👎 are never recommended, and papers like them move down: by their
//! similarity (hybrid, nearest, centroid) or as negatives (hybrid, linear).

use super::vector::{dot, normalize, VectorIndex};
use super::TermIndex;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How candidates are scored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Best similarity to any list paper.
    Nearest,
    /// Similarity to the list's mean vector.
    Centroid,
    /// A linear classifier, list vs library.
    Linear,
    /// Words and meaning: the list's words, its meaning, its nearest papers and its
    /// authors, blended ([`super::hybrid`]).
    #[default]
    Hybrid,
}

impl std::str::FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "nearest" => Ok(Method::Nearest),
            "centroid" => Ok(Method::Centroid),
            "linear" | "svm" => Ok(Method::Linear),
            "hybrid" => Ok(Method::Hybrid),
            other => Err(format!(
                "unknown method '{other}' (use hybrid, nearest, centroid or linear)"
            )),
        }
    }
}

impl Method {
    /// All methods, for evaluation.
    pub const ALL: [Method; 4] = [
        Method::Hybrid,
        Method::Nearest,
        Method::Centroid,
        Method::Linear,
    ];

    /// The method's name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Nearest => "nearest",
            Method::Centroid => "centroid",
            Method::Linear => "linear",
            Method::Hybrid => "hybrid",
        }
    }
}

/// How hard "not interested" pushes similar papers down (nearest, centroid).
const DISMISS_WEIGHT: f32 = 0.5;
/// Library papers sampled as negatives for the classifier.
const NEGATIVES: usize = 2_000;

/// Deterministic xorshift, so recommendations do not change between calls.
fn sample_negatives(index: &VectorIndex, exclude: &HashSet<i64>, n: usize) -> Vec<i64> {
    let ids: Vec<i64> = index
        .rows()
        .map(|(id, _)| id)
        .filter(|id| !exclude.contains(id))
        .collect();
    if ids.len() <= n {
        return ids;
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ ids.len() as u64;
    let mut picked = HashSet::with_capacity(n);
    while picked.len() < n {
        picked.insert(ids[(super::xorshift(&mut state) % ids.len() as u64) as usize]);
    }
    let mut out: Vec<i64> = picked.into_iter().collect();
    out.sort_unstable();
    out
}

/// Trains `w·x + b` by full-batch gradient descent on the logistic loss, classes
/// balanced, with L2 regularization. Returns `(w, b)`.
fn train_linear(
    index: &VectorIndex,
    positives: &[i64],
    negatives: &[i64],
    hard_negatives: &[i64],
) -> (Vec<f32>, f32) {
    let dim = index.dim();
    let mut rows: Vec<(&[f32], f32, f32)> = Vec::new();
    let (np, nn) = (positives.len().max(1) as f32, negatives.len().max(1) as f32);
    for id in positives {
        if let Some(v) = index.get(*id) {
            rows.push((v, 1.0, 0.5 / np));
        }
    }
    for id in negatives {
        if let Some(v) = index.get(*id) {
            rows.push((v, 0.0, 0.5 / nn));
        }
    }
    for id in hard_negatives {
        if let Some(v) = index.get(*id) {
            // Each dismissed paper counts like a tenth of the positives together.
            rows.push((v, 0.0, 0.1 / np.max(1.0) * np.min(10.0)));
        }
    }
    let (mut w, mut b) = (vec![0.0f32; dim], 0.0f32);
    let (lr, l2) = (4.0f32, 1e-4f32);
    let mut grad = vec![0.0f32; dim];
    for _ in 0..150 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut gb = 0.0;
        for (x, y, weight) in &rows {
            let z = dot(&w, x) + b;
            let p = 1.0 / (1.0 + (-z).exp());
            let e = (p - y) * weight;
            for (g, xi) in grad.iter_mut().zip(x.iter()) {
                *g += e * xi;
            }
            gb += e;
        }
        for (wi, g) in w.iter_mut().zip(&grad) {
            *wi -= lr * (g + l2 * *wi);
        }
        b -= lr * gb;
    }
    (w, b)
}

/// Scores every paper in `index` that is not in `positives`, `exclude` or `dismissed`,
/// best first, keeping the top `k`. `terms` holds the papers' words and authors
/// ([`Method::Hybrid`] reads them; the others rank by meaning alone).
pub fn recommend(
    index: &VectorIndex,
    terms: &TermIndex,
    positives: &[i64],
    exclude: &HashSet<i64>,
    dismissed: &[i64],
    method: Method,
    k: usize,
) -> Vec<(i64, f32)> {
    let pos: Vec<&[f32]> = positives.iter().filter_map(|id| index.get(*id)).collect();
    if pos.is_empty() || k == 0 {
        return Vec::new();
    }
    let mut skip: HashSet<i64> = exclude.clone();
    skip.extend(positives);
    skip.extend(dismissed);
    let dis: Vec<&[f32]> = dismissed.iter().filter_map(|id| index.get(*id)).collect();
    let penalty = |v: &[f32]| -> f32 {
        dis.iter().map(|d| dot(v, d)).fold(0.0f32, f32::max) * DISMISS_WEIGHT
    };
    type Scorer<'a> = Box<dyn Fn(&[f32]) -> f32 + 'a>;
    let scorer: Scorer = match method {
        Method::Hybrid => return super::hybrid::rank(index, terms, positives, &skip, dismissed, k),
        Method::Nearest => Box::new(|v: &[f32]| {
            pos.iter().map(|p| dot(v, p)).fold(f32::MIN, f32::max) - penalty(v)
        }),
        Method::Centroid => {
            let c = centroid(&pos, index.dim());
            Box::new(move |v: &[f32]| dot(v, &c) - penalty(v))
        }
        Method::Linear => {
            let negatives = sample_negatives(index, &skip, NEGATIVES);
            let (w, b) = train_linear(index, positives, &negatives, dismissed);
            Box::new(move |v: &[f32]| dot(v, &w) + b)
        }
    };
    let scored: Vec<(i64, f32)> = index
        .rows()
        .filter(|(id, _)| !skip.contains(id))
        .map(|(id, v)| (id, scorer(v)))
        .collect();
    top_k(scored, k)
}

/// The normalized mean of `rows`.
pub(crate) fn centroid(rows: &[&[f32]], dim: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; dim];
    for p in rows {
        c.iter_mut().zip(p.iter()).for_each(|(a, b)| *a += b);
    }
    normalize(&mut c);
    c
}

/// The best `k` of `scored`, best first, ties by id.
pub(crate) fn top_k(mut scored: Vec<(i64, f32)>, k: usize) -> Vec<(i64, f32)> {
    let k = k.min(scored.len());
    if k == 0 {
        return Vec::new();
    }
    scored.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

/// The list papers most like `candidate`: the "because" shown with a recommendation.
pub fn closest(
    index: &VectorIndex,
    candidate: i64,
    positives: &[i64],
    n: usize,
) -> Vec<(i64, f32)> {
    let Some(v) = index.get(candidate) else {
        return Vec::new();
    };
    let mut sims: Vec<(i64, f32)> = positives
        .iter()
        .filter_map(|id| index.get(*id).map(|p| (*id, dot(v, p))))
        .collect();
    sims.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    sims.truncate(n);
    sims
}

/// `n` papers spread over the regions of meaning `candidates` cover, for a new user to
/// rate: `candidates` are cut into `n` groups by k-means on their vectors (seeded with
/// far-apart papers, a few rounds), and each group gives the paper closest to its
/// centre, largest group first. Fewer when fewer candidates have vectors.
pub fn spread(index: &VectorIndex, candidates: &[i64], n: usize) -> Vec<i64> {
    let rows: Vec<(i64, &[f32])> = candidates
        .iter()
        .filter_map(|id| index.get(*id).map(|v| (*id, v)))
        .collect();
    if rows.len() <= n {
        return rows.into_iter().map(|r| r.0).collect();
    }
    let vecs: Vec<&[f32]> = rows.iter().map(|r| r.1).collect();
    let mean = centroid(&vecs, index.dim());
    let nearest = |c: &[f32]| -> usize {
        (0..vecs.len())
            .max_by(|&a, &b| dot(vecs[a], c).total_cmp(&dot(vecs[b], c)).then(b.cmp(&a)))
            .unwrap_or(0)
    };
    // Seeds: the most typical paper, then each time the paper farthest from every seed.
    let mut centres: Vec<Vec<f32>> = vec![vecs[nearest(&mean)].to_vec()];
    let mut far: Vec<f32> = vecs.iter().map(|v| dot(v, &centres[0])).collect();
    while centres.len() < n {
        let (i, _) = far
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            .expect("rows are not empty");
        centres.push(vecs[i].to_vec());
        let c = centres.last().expect("just pushed");
        for (f, v) in far.iter_mut().zip(&vecs) {
            *f = f.max(dot(v, c));
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for _ in 0..5 {
        groups = vec![Vec::new(); n];
        for (i, v) in vecs.iter().enumerate() {
            let g = (0..n)
                .max_by(|&a, &b| {
                    dot(v, &centres[a])
                        .total_cmp(&dot(v, &centres[b]))
                        .then(b.cmp(&a))
                })
                .expect("n > 0");
            groups[g].push(i);
        }
        for (c, g) in centres.iter_mut().zip(&groups) {
            if !g.is_empty() {
                let members: Vec<&[f32]> = g.iter().map(|&i| vecs[i]).collect();
                *c = centroid(&members, index.dim());
            }
        }
    }
    let mut picks: Vec<(usize, i64)> = groups
        .iter()
        .zip(&centres)
        .filter(|(g, _)| !g.is_empty())
        .map(|(g, c)| {
            let best = g
                .iter()
                .copied()
                .max_by(|&a, &b| dot(vecs[a], c).total_cmp(&dot(vecs[b], c)).then(b.cmp(&a)))
                .expect("the group is not empty");
            (g.len(), rows[best].0)
        })
        .collect();
    picks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    picks.into_iter().map(|p| p.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clusters on the unit circle in 4-D plus noise dimensions.
    fn index() -> VectorIndex {
        let mut idx = VectorIndex::default();
        let mut put = |id: i64, v: [f32; 4]| {
            let mut v = v.to_vec();
            normalize(&mut v);
            idx.upsert(id, &v);
        };
        for i in 0..10 {
            let t = i as f32 * 0.02;
            put(i, [1.0, t, 0.0, 0.1]); // cluster A: ids 0..10
            put(100 + i, [0.0, 0.1, 1.0, t]); // cluster B: ids 100..110
        }
        put(50, [0.7, 0.0, 0.7, 0.0]); // in between
        idx
    }

    #[test]
    fn every_method_ranks_the_lists_cluster_first() {
        let idx = index();
        let list = [0, 1, 2];
        for m in Method::ALL {
            let top = recommend(
                &idx,
                &TermIndex::default(),
                &list,
                &HashSet::new(),
                &[],
                m,
                7,
            );
            let ids: Vec<i64> = top.iter().map(|t| t.0).collect();
            assert_eq!(ids.len(), 7, "{m:?}");
            assert!(ids.iter().all(|id| (3..10).contains(id)), "{m:?}: {ids:?}");
            assert!(top.windows(2).all(|w| w[0].1 >= w[1].1));
        }
    }

    #[test]
    fn not_interested_moves_similar_papers_down() {
        let idx = index();
        let list = [0, 1, 2, 100];
        for m in Method::ALL {
            let before = recommend(
                &idx,
                &TermIndex::default(),
                &list,
                &HashSet::new(),
                &[],
                m,
                30,
            );
            let after = recommend(
                &idx,
                &TermIndex::default(),
                &list,
                &HashSet::new(),
                &[101, 102],
                m,
                30,
            );
            let score = |r: &[(i64, f32)], id: i64| r.iter().find(|x| x.0 == id).unwrap().1;
            assert!(after.iter().all(|x| x.0 != 101 && x.0 != 102), "{m:?}");
            // A paper like the dismissed ones falls further behind one like the list.
            let gap = |r: &[(i64, f32)]| score(r, 3) - score(r, 103);
            assert!(
                gap(&after) > gap(&before) + 0.05,
                "{m:?}: before {before:?} after {after:?}"
            );
        }
        assert_eq!(
            closest(&idx, 5, &list, 2)
                .iter()
                .map(|c| c.0)
                .collect::<Vec<_>>(),
            vec![2, 1]
        );
    }

    #[test]
    fn spread_picks_one_paper_from_each_region() {
        let idx = index();
        let all: Vec<i64> = idx.rows().map(|(id, _)| id).collect();
        let picks = spread(&idx, &all, 2);
        assert_eq!(picks.len(), 2, "{picks:?}");
        assert_eq!(picks.iter().filter(|p| **p < 50).count(), 1, "{picks:?}");
        assert_eq!(picks.iter().filter(|p| **p >= 100).count(), 1, "{picks:?}");
        // Few candidates: every one of them.
        assert_eq!(spread(&idx, &[3, 104], 10), vec![3, 104]);
    }
}
