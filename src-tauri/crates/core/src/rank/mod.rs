//! Ranking: exact dense top-k over an in-memory vector matrix, FTS5 BM25 keyword top-k,
//! and their fusion. Every hit carries its score parts so the UI can say why it ranked.

pub mod fusion;
pub mod hybrid;
pub mod keyword;
pub mod recommend;
pub mod terms;
pub mod vector;

use crate::query::Filter;
pub use fusion::{fuse_convex, fuse_rrf, Fused, Fusion, DENSE_WEIGHT, RRF_K};
pub use terms::TermIndex;

/// The next number of a xorshift64 sequence: cheap, repeatable pseudo-randomness (the
/// same library samples and shuffles the same way every time).
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Mean and standard deviation (1 when the values do not spread), for putting scores on
/// one scale.
pub(crate) fn moments(xs: impl Iterator<Item = f32>) -> (f32, f32) {
    let (mut n, mut s, mut sq) = (0f64, 0f64, 0f64);
    for x in xs {
        n += 1.0;
        s += f64::from(x);
        sq += f64::from(x) * f64::from(x);
    }
    if n == 0.0 {
        return (0.0, 1.0);
    }
    let mean = s / n;
    let sd = (sq / n - mean * mean).max(0.0).sqrt();
    (mean as f32, if sd > 1e-9 { sd as f32 } else { 1.0 })
}

/// Shuffles `items` in place (Fisher–Yates) from a xorshift64 state.
pub(crate) fn shuffle<T>(items: &mut [T], state: &mut u64) {
    for i in (1..items.len()).rev() {
        items.swap(i, (xorshift(state) % (i as u64 + 1)) as usize);
    }
}
pub use vector::VectorIndex;

use crate::model::Paper;
use serde::{Deserialize, Serialize};

/// How a query is matched.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// Meaning and keywords, fused.
    #[default]
    Hybrid,
    /// Meaning only (embedding similarity).
    Dense,
    /// Keywords only (BM25).
    Keyword,
}

impl std::str::FromStr for SearchMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "hybrid" => Ok(SearchMode::Hybrid),
            "dense" | "meaning" => Ok(SearchMode::Dense),
            "keyword" | "keywords" => Ok(SearchMode::Keyword),
            other => Err(format!(
                "unknown search mode '{other}' (use hybrid, dense or keyword)"
            )),
        }
    }
}

/// A search request's knobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    /// Matching mode.
    pub mode: SearchMode,
    /// Number of results.
    pub k: usize,
    /// Restrictions.
    pub filter: Filter,
    /// How hybrid mode combines meaning and keywords.
    pub fusion: Fusion,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            mode: SearchMode::Hybrid,
            k: 20,
            filter: Filter::default(),
            fusion: Fusion::default(),
        }
    }
}

/// Why a paper ranked where it did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreParts {
    /// Cosine similarity to the query, when the paper was in the dense top-k.
    pub dense: Option<f32>,
    /// 1-based rank in the dense list.
    pub dense_rank: Option<usize>,
    /// BM25 score, when the paper matched the keywords.
    pub keyword: Option<f64>,
    /// 1-based rank in the keyword list.
    pub keyword_rank: Option<usize>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// The paper.
    pub paper: Paper,
    /// The fused score (higher is better); its scale depends on the mode.
    pub score: f64,
    /// The parts the score came from.
    pub parts: ScoreParts,
}
