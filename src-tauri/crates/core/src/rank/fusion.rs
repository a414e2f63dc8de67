//! Reciprocal-rank fusion of the dense and keyword lists.
//!
//! RRF (Cormack et al., 2009) sums `1 / (k + rank)` over the lists a document appears
//! in. It needs no score calibration between cosine and BM25, which live on unrelated
//! scales, and is a strong baseline for hybrid retrieval.

use std::collections::HashMap;

/// The customary RRF constant.
pub const RRF_K: f64 = 60.0;

/// One fused result with the parts it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    /// Paper row id.
    pub id: i64,
    /// Fused score, higher is better.
    pub score: f64,
    /// `(1-based rank, cosine)` in the dense list.
    pub dense: Option<(usize, f32)>,
    /// `(1-based rank, bm25)` in the keyword list.
    pub keyword: Option<(usize, f64)>,
}

/// Fuses two ranked lists (best first) with RRF, returning the top `limit`.
pub fn fuse_rrf(dense: &[(i64, f32)], keyword: &[(i64, f64)], k: f64, limit: usize) -> Vec<Fused> {
    fn slot(by_id: &mut HashMap<i64, Fused>, id: i64, rank: usize, k: f64) -> &mut Fused {
        let e = by_id.entry(id).or_insert(Fused {
            id,
            score: 0.0,
            dense: None,
            keyword: None,
        });
        e.score += 1.0 / (k + rank as f64);
        e
    }
    let mut by_id: HashMap<i64, Fused> = HashMap::new();
    for (r, (id, s)) in dense.iter().enumerate() {
        slot(&mut by_id, *id, r + 1, k).dense = Some((r + 1, *s));
    }
    for (r, (id, s)) in keyword.iter().enumerate() {
        slot(&mut by_id, *id, r + 1, k).keyword = Some((r + 1, *s));
    }
    let mut out: Vec<Fused> = by_id.into_values().collect();
    // Ties (same summed rank) go to the better dense rank, then the lower id: stable output.
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(rank_of(a.dense).cmp(&rank_of(b.dense)))
            .then(a.id.cmp(&b.id))
    });
    out.truncate(limit);
    out
}

fn rank_of<T>(part: Option<(usize, T)>) -> usize {
    part.map_or(usize::MAX, |p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_beats_a_single_list() {
        let dense = [(1, 0.9), (2, 0.8), (3, 0.7)];
        let keyword = [(3, 12.0), (4, 11.0), (1, 5.0)];
        let fused = fuse_rrf(&dense, &keyword, RRF_K, 10);
        let ids: Vec<i64> = fused.iter().map(|f| f.id).collect();
        // 1: 1/61 + 1/63; 3: 1/63 + 1/61 (tie, broken by dense rank); 2: 1/62; 4: 1/62.
        assert_eq!(ids, vec![1, 3, 2, 4]);
        assert!((fused[0].score - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-12);
        assert_eq!(fused[0].dense, Some((1, 0.9)));
        assert_eq!(fused[0].keyword, Some((3, 5.0)));
        assert_eq!(fused[3].dense, None);
    }

    #[test]
    fn limit_applies() {
        let dense = [(1, 0.9), (2, 0.8), (3, 0.7)];
        assert_eq!(fuse_rrf(&dense, &[], RRF_K, 2).len(), 2);
    }
}
