//! The keyword baselines a recommender must beat, computed as scikit-learn computes them
//! so the figures compare with published ones: a TF-IDF vectorizer
//! (`TfidfVectorizer`: its token patterns, English stop words, word pairs, document
//! frequency cut-offs, vocabulary cap, smoothed idf, sublinear tf, L2 rows), the centroid
//! of a list's rows, and a linear SVM trained on the list against every other paper
//! (`LinearSVC`, squared hinge loss, classes balanced: arxiv-sanity-lite's recommender).
//!
//! Evaluation only: the product ranks with [`crate::rank::recommend`].

use crate::rank::terms::ENGLISH_STOP_WORDS;
use std::collections::HashMap;

/// How text becomes weighted terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfidfConfig {
    /// Tokens are runs of ASCII letters, digits and `_` that start with a letter or `_`,
    /// after accents are stripped (arxiv-sanity-lite's pattern); otherwise any run of
    /// two or more word characters (scikit-learn's default).
    pub ascii_tokens: bool,
    /// Leave out scikit-learn's English stop words (before word pairs are formed).
    pub stop_words: bool,
    /// Word pairs beside words.
    pub pairs: bool,
    /// `1 + ln(tf)` instead of `tf`.
    pub sublinear: bool,
    /// Terms in fewer papers are left out.
    pub min_df: u32,
    /// Terms in more than this share of the papers are left out.
    pub max_df: f32,
    /// Keep only this many terms, the most frequent over the corpus.
    pub max_features: Option<usize>,
}

impl TfidfConfig {
    /// `TfidfVectorizer()`: scikit-learn's defaults.
    pub const PLAIN: TfidfConfig = TfidfConfig {
        ascii_tokens: false,
        stop_words: false,
        pairs: false,
        sublinear: false,
        min_df: 1,
        max_df: 1.0,
        max_features: None,
    };
    /// Sublinear tf, words and word pairs, English stop words, terms in at least 2
    /// papers and at most half of them.
    pub const TUNED: TfidfConfig = TfidfConfig {
        ascii_tokens: false,
        stop_words: true,
        pairs: true,
        sublinear: true,
        min_df: 2,
        max_df: 0.5,
        max_features: None,
    };
    /// arxiv-sanity-lite's `compute.py` (its defaults: 10,000 terms, `min_df` 5,
    /// `max_df` 0.5), over title, abstract and authors.
    pub const ARXIV_SANITY: TfidfConfig = TfidfConfig {
        ascii_tokens: true,
        stop_words: true,
        pairs: true,
        sublinear: true,
        min_df: 5,
        max_df: 0.5,
        max_features: Some(10_000),
    };
}

/// Rows of L2-normalized tf-idf weights, `(term, weight)` sorted by term.
#[derive(Debug, Clone, Default)]
pub struct Tfidf {
    /// One row per text, in input order.
    pub rows: Vec<Vec<(u32, f32)>>,
    /// Terms kept.
    pub terms: usize,
}

/// Splits `text` into tokens as the configured scikit-learn pattern does (lower case).
pub fn tokens(text: &str, cfg: &TfidfConfig) -> Vec<String> {
    let lower = text.to_lowercase();
    let text: std::borrow::Cow<str> = if cfg.ascii_tokens && !lower.is_ascii() {
        use unicode_normalization::UnicodeNormalization;
        lower
            .nfkd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .into()
    } else {
        lower.as_str().into()
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out: Vec<String> = text
        .split(|c: char| !word(c))
        .filter(|t| {
            if cfg.ascii_tokens {
                t.len() >= 2
                    && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !t.as_bytes()[0].is_ascii_digit()
            } else {
                t.chars().nth(1).is_some()
            }
        })
        .filter(|t| !(cfg.stop_words && ENGLISH_STOP_WORDS.binary_search(t).is_ok()))
        .map(str::to_string)
        .collect();
    if cfg.pairs {
        let pairs: Vec<String> = out
            .windows(2)
            .map(|w| format!("{} {}", w[0], w[1]))
            .collect();
        out.extend(pairs);
    }
    out
}

/// Fits the vocabulary and idf on `texts` and returns their rows.
pub fn fit_transform(texts: &[String], cfg: &TfidfConfig) -> Tfidf {
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<u32> = Vec::new();
    let mut total: Vec<u64> = Vec::new();
    let mut counted: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
    for text in texts {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for t in tokens(text, cfg) {
            let next = vocab.len() as u32;
            let id = *vocab.entry(t).or_insert(next);
            if id == next {
                df.push(0);
                total.push(0);
            }
            *counts.entry(id).or_default() += 1;
        }
        let mut row: Vec<(u32, u32)> = counts.into_iter().collect();
        row.sort_unstable();
        for &(t, c) in &row {
            df[t as usize] += 1;
            total[t as usize] += u64::from(c);
        }
        counted.push(row);
    }
    let n = texts.len() as f32;
    let max_count = cfg.max_df * n;
    let mut kept: Vec<u32> = (0..df.len() as u32)
        .filter(|&t| df[t as usize] >= cfg.min_df && df[t as usize] as f32 <= max_count)
        .collect();
    if let Some(cap) = cfg.max_features {
        if kept.len() > cap {
            kept.sort_by_key(|&t| (std::cmp::Reverse(total[t as usize]), t));
            kept.truncate(cap);
        }
    }
    let mut new_id = vec![u32::MAX; df.len()];
    let mut idf = Vec::with_capacity(kept.len());
    kept.sort_unstable();
    for (i, &t) in kept.iter().enumerate() {
        new_id[t as usize] = i as u32;
        idf.push(((1.0 + n) / (1.0 + df[t as usize] as f32)).ln() + 1.0);
    }
    let rows = counted
        .into_iter()
        .map(|row| {
            let mut out: Vec<(u32, f32)> = row
                .into_iter()
                .filter(|(t, _)| new_id[*t as usize] != u32::MAX)
                .map(|(t, c)| {
                    let id = new_id[t as usize];
                    let tf = if cfg.sublinear {
                        1.0 + (c as f32).ln()
                    } else {
                        c as f32
                    };
                    (id, tf * idf[id as usize])
                })
                .collect();
            out.sort_unstable_by_key(|x| x.0);
            let norm = out.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                out.iter_mut().for_each(|x| x.1 /= norm);
            }
            out
        })
        .collect();
    Tfidf {
        rows,
        terms: kept.len(),
    }
}

impl Tfidf {
    /// Every row's dot product with the mean of rows `positives`.
    pub fn centroid_scores(&self, positives: &[usize]) -> Vec<f32> {
        let mut c = vec![0.0f32; self.terms];
        for &p in positives {
            for &(t, w) in &self.rows[p] {
                c[t as usize] += w / positives.len().max(1) as f32;
            }
        }
        self.scores(&c, 0.0)
    }

    fn scores(&self, w: &[f32], bias: f32) -> Vec<f32> {
        self.rows
            .iter()
            .map(|row| row.iter().map(|&(t, x)| w[t as usize] * x).sum::<f32>() + bias)
            .collect()
    }

    /// A linear SVM's decision values for every row, trained on rows `positives` against
    /// all the others: L2-regularized squared hinge loss with a regularized bias feature
    /// of 1 and classes weighted to balance (`LinearSVC(C, class_weight="balanced")`),
    /// solved by dual coordinate descent as LIBLINEAR does, to `tol` or `max_epochs`.
    pub fn svm_scores(&self, positives: &[usize], c: f32, tol: f32, max_epochs: usize) -> Vec<f32> {
        let n = self.rows.len();
        let mut y = vec![-1.0f32; n];
        for &p in positives {
            y[p] = 1.0;
        }
        let n_pos = y.iter().filter(|v| **v > 0.0).count().max(1) as f32;
        let n_neg = (n as f32 - n_pos).max(1.0);
        let c_of = |yi: f32| {
            if yi > 0.0 {
                c * n as f32 / (2.0 * n_pos)
            } else {
                c * n as f32 / (2.0 * n_neg)
            }
        };
        // Squared hinge: the dual has no upper bound and a diagonal of 1 / (2 C_i).
        let diag: Vec<f32> = y.iter().map(|&yi| 0.5 / c_of(yi)).collect();
        let qii: Vec<f32> = self
            .rows
            .iter()
            .zip(&diag)
            .map(|(row, d)| row.iter().map(|x| x.1 * x.1).sum::<f32>() + 1.0 + d)
            .collect();
        let mut alpha = vec![0.0f32; n];
        let mut w = vec![0.0f32; self.terms];
        let mut b = 0.0f32;
        let mut order: Vec<usize> = (0..n).collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..max_epochs {
            crate::rank::shuffle(&mut order, &mut state);
            let (mut pg_max, mut pg_min) = (f32::MIN, f32::MAX);
            for &i in &order {
                let row = &self.rows[i];
                let wx = row.iter().map(|&(t, x)| w[t as usize] * x).sum::<f32>() + b;
                let g = y[i] * wx - 1.0 + diag[i] * alpha[i];
                let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
                pg_max = pg_max.max(pg);
                pg_min = pg_min.min(pg);
                if pg.abs() > 1e-12 {
                    let old = alpha[i];
                    alpha[i] = (old - g / qii[i]).max(0.0);
                    let step = (alpha[i] - old) * y[i];
                    for &(t, x) in row {
                        w[t as usize] += step * x;
                    }
                    b += step;
                }
            }
            if pg_max - pg_min <= tol {
                break;
            }
        }
        self.scores(&w, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_configured_pattern() {
        let t = tokens("The 3D Gaussian-splatting of naïve x", &TfidfConfig::TUNED);
        assert_eq!(
            t,
            vec![
                "3d",
                "gaussian",
                "splatting",
                "naïve",
                "3d gaussian",
                "gaussian splatting",
                "splatting naïve"
            ]
        );
        let t = tokens("The 3D Gaussian naïve", &TfidfConfig::ARXIV_SANITY);
        assert_eq!(t, vec!["gaussian", "naive", "gaussian naive"]);
        assert_eq!(tokens("a To be", &TfidfConfig::PLAIN), vec!["to", "be"]);
    }

    /// Three documents worked by hand as scikit-learn weighs them.
    #[test]
    fn weights_match_a_hand_computation() {
        let texts: Vec<String> = ["apple apple banana", "banana cherry", "cherry"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let x = fit_transform(&texts, &TfidfConfig::PLAIN);
        assert_eq!(x.terms, 3);
        // idf: apple ln(4/2)+1, banana ln(4/3)+1; row 0 = (2·idf_a, idf_b) / norm.
        let (ia, ib) = ((2.0f32).ln() + 1.0, (4.0f32 / 3.0).ln() + 1.0);
        let norm = ((2.0 * ia).powi(2) + ib.powi(2)).sqrt();
        assert!((x.rows[0][0].1 - 2.0 * ia / norm).abs() < 1e-6);
        assert!((x.rows[0][1].1 - ib / norm).abs() < 1e-6);
        assert_eq!(x.rows[2].len(), 1);
        assert!((x.rows[2][0].1 - 1.0).abs() < 1e-6);
        // The centroid of row 0 scores row 0 first, then row 1 (banana), then row 2.
        let s = x.centroid_scores(&[0]);
        assert!((s[0] - 1.0).abs() < 1e-5 && s[1] > 0.0 && s[2] == 0.0);
    }

    #[test]
    fn the_svm_separates_a_list_from_the_rest() {
        let mut texts: Vec<String> = (0..6)
            .map(|i| format!("graph neural network {i}"))
            .collect();
        texts.extend((0..30).map(|i| format!("protein folding structure {i}")));
        texts.push("graph network for molecules".into());
        let x = fit_transform(&texts, &TfidfConfig::PLAIN);
        let s = x.svm_scores(&[0, 1, 2], 0.1, 1e-4, 1000);
        let unseen_graph = s[3].min(s[4]).min(s[5]).min(s[36]);
        let best_protein = s[6..36].iter().copied().fold(f32::MIN, f32::max);
        assert!(unseen_graph > best_protein, "{s:?}");
    }
}
