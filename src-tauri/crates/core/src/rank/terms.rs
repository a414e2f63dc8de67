//! Papers as bags of terms, for recommendations: each paper's stemmed title and abstract
//! words and adjacent word pairs, and its authors, held as sparse rows beside the vector
//! index. Word weights are tf-idf (sublinear term frequency, smoothed idf, rows
//! L2-normalized over the terms kept: in at least two papers and at most half of them),
//! recomputed for every row whenever papers are added or removed, since each change
//! moves the document frequencies.
//!
//! Terms are hashed into a fixed number of buckets (the hashing trick): no vocabulary
//! is kept, so a library of 75k papers with a few million distinct word pairs costs
//! four bytes per term of a paper. Two terms that share a bucket count as one; at
//! 2^22 buckets that is rare among the words that carry weight.
//!
//! It is not a search index (that is [`crate::keywords`]) and keeps no text.

use crate::query::words::{for_each_word, stemmer};
use std::collections::HashMap;

/// Word buckets (a power of two).
const BITS: u32 = 22;
const BUCKETS: usize = 1 << BITS;
/// Row entries pack a bucket (low bits) and a capped term count (high bits).
const COUNT_MAX: u32 = (1 << (32 - BITS)) - 1;
/// Words in fewer papers than this carry no weight (typos, one paper's coinages).
const MIN_DF: u32 = 2;
/// Words in more than this share of the papers carry no weight.
const MAX_DF_SHARE: f32 = 0.5;
const GONE: i64 = i64::MIN;

/// A sparse paper-by-term matrix keyed by paper row id.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    /// Papers holding each bucket (live rows only); empty until the first paper.
    df: Vec<u32>,
    pos: HashMap<i64, usize>,
    /// Row → paper id; `GONE` for a row replaced or removed.
    ids: Vec<i64>,
    /// Row `r`'s words are `words[offsets[r]..offsets[r + 1]]`, sorted by bucket.
    offsets: Vec<u32>,
    words: Vec<u32>,
    /// Row `r`'s authors (hashed names) are `authors[author_offsets[r]..]`.
    author_offsets: Vec<u32>,
    authors: Vec<u32>,
    /// Each entry of `words`: its tf-idf weight in its row (unit length over the terms
    /// kept) as of the last refresh, as bfloat16 (the top half of an `f32`: three
    /// significant digits, which ranking does not notice, at half the memory).
    weights: Vec<u16>,
    /// `1 + ln(count)` for every count a row entry can hold.
    tf: Vec<f32>,
    dead: usize,
}

/// FNV-1a, 64-bit: stable across runs and platforms.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The bucket of a word or word pair.
fn bucket(term: &str) -> u32 {
    (hash(term.as_bytes()) & (BUCKETS as u64 - 1)) as u32
}

/// An author's hashed name: case and spacing do not matter.
pub fn author_key(name: &str) -> u32 {
    let folded = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (hash(folded.as_bytes()) >> 32) as u32
}

/// The words of `text` as the index sees them, in order: each word of two or more
/// characters that is not a stop word as `(stem, word)` (the word only when `surface`
/// asks for it, else empty), and `None` for a word left out (it breaks a pair).
fn kept_words(text: &str, surface: bool) -> Vec<Option<(String, String)>> {
    let stem = stemmer();
    let mut buf = String::new();
    let mut words = Vec::new();
    for_each_word(text, &mut buf, |w, joined| {
        if joined {
            return;
        }
        let keep = w.chars().nth(1).is_some() && ENGLISH_STOP_WORDS.binary_search(&w).is_err();
        words.push(keep.then(|| {
            let written = if surface {
                w.to_string()
            } else {
                String::new()
            };
            (stem.stem(w).into_owned(), written)
        }));
    });
    words
}

/// The terms of a title and abstract: stemmed words of two or more characters that are
/// not stop words, and each pair of such words that stand next to each other. Each term
/// is given with its text, for explanations; the index keeps only its bucket.
pub fn terms_of(title: &str, abstract_text: &str, mut f: impl FnMut(&str)) {
    for text in [title, abstract_text] {
        let mut prev: Option<String> = None;
        for w in kept_words(text, false) {
            match w {
                Some((w, _)) => {
                    f(&w);
                    if let Some(p) = &prev {
                        f(&format!("{p} {w}"));
                    }
                    prev = Some(w);
                }
                None => prev = None,
            }
        }
    }
}

/// The words a paper shares with `others` that weigh most in both (tf-idf weight in the
/// paper times its largest weight in the others), as written in the paper's title and
/// abstract: at most `k`, a word pair standing for the words in it. Empty when the
/// paper is not in the index.
pub fn shared_words(
    index: &TermIndex,
    id: i64,
    title: &str,
    abstract_text: &str,
    others: &[i64],
    k: usize,
) -> Vec<String> {
    let Some(row) = index.row(id) else {
        return Vec::new();
    };
    let mut theirs: HashMap<u32, f32> = HashMap::new();
    for o in others.iter().filter_map(|o| index.row(*o)) {
        for (b, w) in o.terms() {
            let e = theirs.entry(b).or_default();
            *e = e.max(w);
        }
    }
    let mine: HashMap<u32, f32> = row.terms().collect();
    let mut best: HashMap<u32, (f32, String)> = HashMap::new();
    let mut consider = |term: &str, surface: String| {
        let b = bucket(term);
        if let (Some(a), Some(t)) = (mine.get(&b), theirs.get(&b)) {
            best.entry(b).or_insert((a * t, surface));
        }
    };
    for text in [title, abstract_text] {
        let mut prev: Option<(String, String)> = None;
        for w in kept_words(text, true) {
            match w {
                Some((stem, word)) => {
                    if let Some((ps, pw)) = &prev {
                        consider(&format!("{ps} {stem}"), format!("{pw} {word}"));
                    }
                    consider(&stem, word.clone());
                    prev = Some((stem, word));
                }
                None => prev = None,
            }
        }
    }
    let mut ranked: Vec<(f32, String)> = best.into_values().collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    // A pair stands for its words: it takes the place of those already chosen, and a
    // word of a chosen pair is not repeated.
    let mut out: Vec<String> = Vec::new();
    for (_, w) in ranked {
        let parts: Vec<&str> = w.split(' ').collect();
        let overlapping: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].split(' ').any(|x| parts.contains(&x)))
            .collect();
        if overlapping.is_empty() {
            if out.len() < k {
                out.push(w);
            }
        } else if parts.len() == 2 && overlapping.iter().all(|&i| !out[i].contains(' ')) {
            let at = overlapping[0];
            for &i in overlapping.iter().rev() {
                out.remove(i);
            }
            out.insert(at, w);
        }
    }
    out
}

impl TermIndex {
    /// Papers held.
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// Whether no paper is held.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// Adds papers (id, title, abstract, authors) or replaces them, then re-weights.
    pub fn upsert_all<'a>(
        &mut self,
        docs: impl IntoIterator<Item = (i64, &'a str, &'a str, &'a [String])>,
    ) {
        if self.df.is_empty() {
            self.tf = (0..=COUNT_MAX)
                .map(|c| 1.0 + (c.max(1) as f32).ln())
                .collect();
            self.df = vec![0; BUCKETS];
            self.offsets.push(0);
            self.author_offsets.push(0);
        }
        for (id, title, abstract_text, authors) in docs {
            self.remove_one(id);
            let mut counts: HashMap<u32, u32> = HashMap::new();
            terms_of(title, abstract_text, |t| {
                *counts.entry(bucket(t)).or_default() += 1
            });
            let mut row: Vec<(u32, u32)> = counts.into_iter().collect();
            row.sort_unstable();
            for (b, c) in row {
                self.df[b as usize] += 1;
                self.words.push(b | (c.min(COUNT_MAX) << BITS));
                self.weights.push(0);
            }
            self.offsets.push(self.words.len() as u32);
            let mut names: Vec<u32> = authors.iter().map(|a| author_key(a)).collect();
            names.sort_unstable();
            names.dedup();
            self.authors.extend(names);
            self.author_offsets.push(self.authors.len() as u32);
            self.pos.insert(id, self.ids.len());
            self.ids.push(id);
        }
        self.compact_if_sparse();
        self.refresh();
    }

    /// Removes papers, then re-weights.
    pub fn remove_all(&mut self, ids: &[i64]) {
        for id in ids {
            self.remove_one(*id);
        }
        self.compact_if_sparse();
        self.refresh();
    }

    /// Where row `r`'s entries are in `words` and `weights`.
    fn span(&self, r: usize) -> std::ops::Range<usize> {
        self.offsets[r] as usize..self.offsets[r + 1] as usize
    }

    fn row_words(&self, r: usize) -> &[u32] {
        &self.words[self.span(r)]
    }

    fn row_authors(&self, r: usize) -> &[u32] {
        &self.authors[self.author_offsets[r] as usize..self.author_offsets[r + 1] as usize]
    }

    fn remove_one(&mut self, id: i64) {
        let Some(r) = self.pos.remove(&id) else {
            return;
        };
        for i in self.span(r) {
            self.df[bucket_of(self.words[i])] -= 1;
        }
        self.ids[r] = GONE;
        self.dead += 1;
    }

    /// Drops replaced rows once they are a quarter of the matrix.
    fn compact_if_sparse(&mut self) {
        if self.dead * 4 < self.ids.len().max(64) {
            return;
        }
        let mut next = TermIndex {
            tf: std::mem::take(&mut self.tf),
            df: std::mem::take(&mut self.df),
            offsets: vec![0],
            author_offsets: vec![0],
            ..Default::default()
        };
        for r in 0..self.ids.len() {
            let id = self.ids[r];
            if id == GONE {
                continue;
            }
            next.words.extend_from_slice(self.row_words(r));
            next.weights.extend_from_slice(&self.weights[self.span(r)]);
            next.offsets.push(next.words.len() as u32);
            next.authors.extend_from_slice(self.row_authors(r));
            next.author_offsets.push(next.authors.len() as u32);
            next.pos.insert(id, next.ids.len());
            next.ids.push(id);
        }
        *self = next;
    }

    /// Recomputes every entry's weight from the current document frequencies.
    fn refresh(&mut self) {
        let n = self.pos.len() as f32;
        let max_df = (MAX_DF_SHARE * n).max(1.0);
        let idf: Vec<f32> = self
            .df
            .iter()
            .map(|&df| {
                if df >= MIN_DF && df as f32 <= max_df {
                    ((1.0 + n) / (1.0 + df as f32)).ln() + 1.0
                } else {
                    0.0
                }
            })
            .collect();
        let mut row: Vec<f32> = Vec::new();
        for r in 0..self.ids.len() {
            if self.ids[r] == GONE {
                continue;
            }
            let span = self.span(r);
            row.clear();
            row.extend(
                self.words[span.clone()]
                    .iter()
                    .map(|&e| self.tf[(e >> BITS) as usize] * idf[bucket_of(e)]),
            );
            let norm = row.iter().map(|w| w * w).sum::<f32>().sqrt();
            for (slot, w) in self.weights[span].iter_mut().zip(&row) {
                *slot = to_bf16(if norm > 0.0 { w / norm } else { 0.0 });
            }
        }
    }

    /// Buckets (word-space dimensions), for weight vectors over them.
    pub fn dims(&self) -> usize {
        BUCKETS
    }

    /// Paper `id`'s row: its weighted terms (unit length) and its authors.
    pub fn row(&self, id: i64) -> Option<TermRow<'_>> {
        let r = *self.pos.get(&id)?;
        Some(TermRow { index: self, r })
    }

    /// Bytes the rows and tables take (approximately), for benchmarks.
    pub fn memory_bytes(&self) -> usize {
        (self.words.len() + self.authors.len()) * 4
            + (self.offsets.len() + self.author_offsets.len()) * 4
            + self.ids.len() * 12
            + self.pos.len() * 24
            + self.weights.len() * 2
            + self.df.len() * 4
    }
}

/// The bucket of a packed row entry.
fn bucket_of(entry: u32) -> usize {
    (entry & (BUCKETS as u32 - 1)) as usize
}

fn to_bf16(x: f32) -> u16 {
    // Round to nearest (ties away), then keep the top half.
    ((x.to_bits() + 0x8000) >> 16) as u16
}

fn from_bf16(h: u16) -> f32 {
    f32::from_bits(u32::from(h) << 16)
}

/// One paper's terms.
#[derive(Clone, Copy)]
pub struct TermRow<'a> {
    index: &'a TermIndex,
    r: usize,
}

impl TermRow<'_> {
    /// Weighted terms `(bucket, weight)`, unit length over the terms kept.
    pub fn terms(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        let span = self.index.span(self.r);
        self.index.words[span.clone()]
            .iter()
            .zip(&self.index.weights[span])
            .filter(|(_, w)| **w != 0)
            .map(|(&e, &w)| (bucket_of(e) as u32, from_bf16(w)))
    }

    /// `Σ weight · w[bucket]` over the weighted terms.
    pub fn dot(&self, w: &[f32]) -> f32 {
        let span = self.index.span(self.r);
        let mut s = 0.0;
        for (&e, &x) in self.index.words[span.clone()]
            .iter()
            .zip(&self.index.weights[span])
        {
            s += w[bucket_of(e)] * from_bf16(x);
        }
        s
    }

    /// Entries held, weighted or not (an upper bound on [`TermRow::terms`]).
    pub fn entries(&self) -> usize {
        self.index.span(self.r).len()
    }

    /// Hashed author names ([`author_key`]), sorted.
    pub fn authors(&self) -> &[u32] {
        self.index.row_authors(self.r)
    }
}

/// scikit-learn's `ENGLISH_STOP_WORDS` (from the Glasgow Information Retrieval Group's
/// list), sorted for binary search.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "amongst",
    "amoungst",
    "amount",
    "an",
    "and",
    "another",
    "any",
    "anyhow",
    "anyone",
    "anything",
    "anyway",
    "anywhere",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "became",
    "because",
    "become",
    "becomes",
    "becoming",
    "been",
    "before",
    "beforehand",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "bill",
    "both",
    "bottom",
    "but",
    "by",
    "call",
    "can",
    "cannot",
    "cant",
    "co",
    "con",
    "could",
    "couldnt",
    "cry",
    "de",
    "describe",
    "detail",
    "do",
    "done",
    "down",
    "due",
    "during",
    "each",
    "eg",
    "eight",
    "either",
    "eleven",
    "else",
    "elsewhere",
    "empty",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "few",
    "fifteen",
    "fifty",
    "fill",
    "find",
    "fire",
    "first",
    "five",
    "for",
    "former",
    "formerly",
    "forty",
    "found",
    "four",
    "from",
    "front",
    "full",
    "further",
    "get",
    "give",
    "go",
    "had",
    "has",
    "hasnt",
    "have",
    "he",
    "hence",
    "her",
    "here",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "hundred",
    "i",
    "ie",
    "if",
    "in",
    "inc",
    "indeed",
    "interest",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "keep",
    "last",
    "latter",
    "latterly",
    "least",
    "less",
    "ltd",
    "made",
    "many",
    "may",
    "me",
    "meanwhile",
    "might",
    "mill",
    "mine",
    "more",
    "moreover",
    "most",
    "mostly",
    "move",
    "much",
    "must",
    "my",
    "myself",
    "name",
    "namely",
    "neither",
    "never",
    "nevertheless",
    "next",
    "nine",
    "no",
    "nobody",
    "none",
    "noone",
    "nor",
    "not",
    "nothing",
    "now",
    "nowhere",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "part",
    "per",
    "perhaps",
    "please",
    "put",
    "rather",
    "re",
    "same",
    "see",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "serious",
    "several",
    "she",
    "should",
    "show",
    "side",
    "since",
    "sincere",
    "six",
    "sixty",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometime",
    "sometimes",
    "somewhere",
    "still",
    "such",
    "system",
    "take",
    "ten",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "thence",
    "there",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "these",
    "they",
    "thick",
    "thin",
    "third",
    "this",
    "those",
    "though",
    "three",
    "through",
    "throughout",
    "thru",
    "thus",
    "to",
    "together",
    "too",
    "top",
    "toward",
    "towards",
    "twelve",
    "twenty",
    "two",
    "un",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whatever",
    "when",
    "whence",
    "whenever",
    "where",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereupon",
    "wherever",
    "whether",
    "which",
    "while",
    "whither",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ENGLISH_STOP_WORDS.len(), 318);
    }

    #[test]
    fn terms_are_stems_and_adjacent_pairs() {
        let mut got = Vec::new();
        terms_of("Sparse attention for the long contexts", "", |t| {
            got.push(t.to_string())
        });
        assert_eq!(
            got,
            vec![
                "spars",
                "attent",
                "spars attent",
                "long",
                "context",
                "long context"
            ]
        );
    }

    #[test]
    fn weights_are_tf_idf_of_the_kept_terms_and_follow_changes() {
        let no: &[String] = &[];
        let a = ["Ada Lovelace".to_string()];
        let mut idx = TermIndex::default();
        // "graph" in papers 1 and 2 of 4 (kept), "protein" in 3 and 4, "alpha" only in 1.
        idx.upsert_all([
            (1, "graph graph alpha", "", &a[..]),
            (2, "graph", "", no),
            (3, "protein", "", no),
            (4, "protein", "", no),
        ]);
        let row: Vec<(u32, f32)> = idx.row(1).unwrap().terms().collect();
        assert_eq!(row.len(), 1, "alpha is in one paper only: {row:?}");
        assert_eq!(row[0].0, bucket("graph"));
        assert!((row[0].1 - 1.0).abs() < 1e-6);
        assert_eq!(
            idx.row(1).unwrap().authors(),
            &[author_key(" ada  LOVELACE")]
        );
        // A second "alpha" paper gives alpha weight; idf ln(6/3)+1 for both words.
        idx.upsert_all([(5, "alpha", "", no)]);
        let row: Vec<(u32, f32)> = idx.row(1).unwrap().terms().collect();
        let idf = (6.0f32 / 3.0).ln() + 1.0;
        let (g, al) = ((1.0 + 2f32.ln()) * idf, idf);
        let norm = (g * g + al * al).sqrt();
        // Weights are kept as bfloat16: within 2^-8 of the exact value.
        let w = |b: u32| row.iter().find(|x| x.0 == b).unwrap().1;
        let near = |got: f32, want: f32| (got - want).abs() <= want * 2f32.powi(-8);
        assert!(near(w(bucket("graph")), g / norm), "{row:?}");
        assert!(near(w(bucket("alpha")), al / norm), "{row:?}");
        let mut dense = vec![0.0f32; idx.dims()];
        dense[bucket("graph") as usize] = 2.0;
        assert!(near(idx.row(1).unwrap().dot(&dense), 2.0 * g / norm));
        // Replacing and removing papers keeps counts right: graph and alpha are left in
        // one paper each, protein in three of four (more than half).
        idx.upsert_all([(2, "protein", "", no)]);
        idx.remove_all(&[5]);
        assert_eq!(idx.len(), 4);
        assert_eq!(idx.row(1).unwrap().terms().count(), 0);
        dense[bucket("protein") as usize] = 2.0;
        assert_eq!(idx.row(2).unwrap().dot(&dense), 0.0);
    }

    #[test]
    fn shared_words_are_the_heaviest_in_both_as_written() {
        let mut idx = TermIndex::default();
        let none: &[String] = &[];
        idx.upsert_all([
            (
                1,
                "Anomaly detection in images",
                "Industrial anomaly detection with memory banks.",
                none,
            ),
            (
                2,
                "Detecting anomalies",
                "Anomaly detection for industrial inspection.",
                none,
            ),
            (3, "Protein folding", "Predicting protein structure.", none),
            (
                4,
                "Language models",
                "Reasoning benchmarks for language models.",
                none,
            ),
            (5, "Image synthesis", "Diffusion for image synthesis.", none),
        ]);
        let words = shared_words(
            &idx,
            1,
            "Anomaly detection in images",
            "Industrial anomaly detection with memory banks.",
            &[2],
            4,
        );
        // The pair stands for its words; "industrial" comes as written.
        assert_eq!(words, vec!["anomaly detection", "industrial"], "{words:?}");
        assert!(shared_words(&idx, 3, "Protein folding", "", &[2], 4).is_empty());
        assert!(shared_words(&idx, 99, "Anomaly", "", &[2], 4).is_empty());
    }
}
