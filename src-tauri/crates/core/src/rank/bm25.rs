//! Keyword ranking in memory: an inverted index over title, abstract and authors that
//! scores exactly as SQLite's `bm25(papers_fts, 2.0, 1.0, 0.5)` does (a term's frequency
//! is its occurrences weighted by column, the length is the whole row's), only without
//! FTS5's per-row auxiliary-function calls: over 75k papers a top 100 costs about 2 ms
//! instead of 36, over 1M about 12 ms instead of 440 (docs/benchmarks.md). Postings are
//! gap-coded (a byte or two each, plus a byte of frequency), so the index of 1M papers
//! adds about 400 MB.
//!
//! Words are split and folded as FTS5's `unicode61` tokenizer does (letters and digits,
//! lower case) and stemmed with the Snowball English stemmer (Porter's algorithm,
//! revised). Stop words count toward a paper's length but are not indexed: queries drop
//! them anyway (`rank::keyword`).
//!
//! Papers added or changed after the build are folded in with [`KeywordIndex::upsert`];
//! a changed paper's old postings stay as tombstones (skipped when scoring) until
//! [`KeywordIndex::purge`] drops them (the library does when they pass a fifth of the
//! papers).

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// BM25's term-frequency saturation (FTS5's value).
pub const K1: f32 = 1.2;
/// BM25's length normalization (FTS5's value).
pub const B: f32 = 0.75;
/// Column weights: title, abstract, authors (as the FTS5 query weighs them).
pub const WEIGHTS: [f32; 3] = [2.0, 1.0, 0.5];

/// One paper's searchable text.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordDoc {
    /// Paper row id.
    pub id: i64,
    /// Title, abstract and authors (joined with ", ").
    pub columns: [String; 3],
}

/// One term's postings: the papers' slots, ascending, as LEB128-coded gaps (a byte or
/// two a posting), and each paper's column-weighted frequency in half units (a byte;
/// weights are 2, 1 and ½, so that is exact up to 127.5, where BM25 has long saturated).
#[derive(Default)]
struct Postings {
    gaps: Vec<u8>,
    freqs: Vec<u8>,
    last: u32,
}

impl Postings {
    /// Appends paper `slot` (above every slot already in the list).
    fn push(&mut self, slot: u32, freq: f32) {
        let mut gap = slot - self.last;
        while gap >= 0x80 {
            self.gaps.push((gap as u8 & 0x7f) | 0x80);
            gap >>= 7;
        }
        self.gaps.push(gap as u8);
        self.freqs
            .push((freq * 2.0).round().clamp(0.0, 255.0) as u8);
        self.last = slot;
    }

    fn len(&self) -> usize {
        self.freqs.len()
    }

    /// `(slot, frequency)` in slot order.
    fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        let mut bytes = self.gaps.iter();
        let mut slot = 0u32;
        self.freqs.iter().map(move |&f| {
            let mut shift = 0;
            for &b in bytes.by_ref() {
                slot += u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
            (slot, f32::from(f) * 0.5)
        })
    }

    fn shrink_to_fit(&mut self) {
        self.gaps.shrink_to_fit();
        self.freqs.shrink_to_fit();
    }
}

/// An in-memory BM25 index (see the module documentation).
pub struct KeywordIndex {
    stemmer: Stemmer,
    /// Every surface word seen, and its stem's term (`None`: a stop word). Words repeat
    /// far more often than they are new, so each is stemmed once.
    seen: HashMap<String, Option<u32>>,
    terms: HashMap<String, u32>,
    postings: Vec<Postings>,
    ids: Vec<i64>,
    lens: Vec<u32>,
    live: Vec<bool>,
    doc_of: HashMap<i64, u32>,
    total_len: u64,
}

impl std::fmt::Debug for KeywordIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeywordIndex")
            .field("papers", &self.len())
            .field("terms", &self.terms.len())
            .finish()
    }
}

impl Default for KeywordIndex {
    fn default() -> Self {
        KeywordIndex {
            stemmer: Stemmer::create(Algorithm::English),
            seen: HashMap::new(),
            terms: HashMap::new(),
            postings: Vec::new(),
            ids: Vec::new(),
            lens: Vec::new(),
            live: Vec::new(),
            doc_of: HashMap::new(),
            total_len: 0,
        }
    }
}

/// The words of a text, folded as [`for_each_word`] folds them (the joined forms of
/// hyphenated words left out): what a query's phrase or prefix is matched as.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, &mut String::new(), |w, joined| {
        if !joined {
            out.push(w.to_string());
        }
    });
    out
}

/// Calls `f` with each word of a text as FTS5's `unicode61` tokenizer with
/// `remove_diacritics 2` sees it: a run of letters and digits, lower-cased and stripped
/// of accents into `buf` (reused, so indexing allocates no word; `Schrödinger` is
/// `schrodinger`). Papers and queries are split by this one function.
///
/// Two words joined by a hyphen where one holds a digit (`GPT-4`, `Llama-3`) are also
/// given joined (`gpt4`), with `joined` set, so `GPT4` finds `GPT-4` and back; a joined
/// word does not count toward a paper's length (FTS5's BM25 does not see it).
pub fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str, bool)) {
    let digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
    let mut prev: Option<(usize, usize)> = None;
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            // `split` yields slices of `text`: their offsets are where they start.
            let from = w.as_ptr() as usize - text.as_ptr() as usize;
            (from, from + w.len())
        });
    for (from, to) in words {
        let w = &text[from..to];
        fold_word(w, buf);
        f(buf, false);
        if let Some((p_from, p_to)) = prev {
            let p = &text[p_from..p_to];
            if p_to + 1 == from && text.as_bytes()[p_to] == b'-' && (digit(p) || digit(w)) {
                let mut joined = String::with_capacity(p.len() + w.len());
                let mut tail = String::new();
                fold_word(p, &mut joined);
                fold_word(w, &mut tail);
                joined.push_str(&tail);
                f(&joined, true);
            }
        }
        prev = Some((from, to));
    }
}

/// One word lower-cased and without accents, into `buf`.
fn fold_word(w: &str, buf: &mut String) {
    buf.clear();
    if w.is_ascii() {
        buf.extend(w.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    use unicode_normalization::UnicodeNormalization;
    buf.extend(
        w.chars()
            .flat_map(char::to_lowercase)
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
    );
}

impl KeywordIndex {
    /// Indexes `docs`.
    pub fn build(docs: impl IntoIterator<Item = KeywordDoc>) -> KeywordIndex {
        let mut index = KeywordIndex::default();
        index.upsert(docs);
        index.compact();
        index
    }

    /// Papers indexed (changed papers once).
    pub fn len(&self) -> usize {
        self.doc_of.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.doc_of.is_empty()
    }

    /// Share of the postings' papers that are superseded versions.
    pub fn stale_share(&self) -> f64 {
        if self.ids.is_empty() {
            0.0
        } else {
            1.0 - self.doc_of.len() as f64 / self.ids.len() as f64
        }
    }

    /// Releases what only building needs: the cache of stemmed surface words and the
    /// postings lists' spare capacity (a third less memory after a full build).
    pub fn compact(&mut self) {
        self.seen = HashMap::new();
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
    }

    /// Drops superseded papers' postings and renumbers the rest: what rebuilding from
    /// the texts would give, without reading them again. Scores do not change.
    pub fn purge(&mut self) {
        const GONE: u32 = u32::MAX;
        let mut renumbered = vec![GONE; self.ids.len()];
        let mut next = 0u32;
        for (slot, live) in renumbered.iter_mut().zip(&self.live) {
            if *live {
                *slot = next;
                next += 1;
            }
        }
        for list in &mut self.postings {
            // Renumbering keeps the order, so each list stays sorted by paper.
            let mut kept = Postings::default();
            for (slot, freq) in list.iter() {
                let to = renumbered[slot as usize];
                if to != GONE {
                    kept.push(to, freq);
                }
            }
            kept.shrink_to_fit();
            *list = kept;
        }
        let live = std::mem::take(&mut self.live);
        let kept = |i: &usize| live[*i];
        self.ids = (0..live.len()).filter(kept).map(|i| self.ids[i]).collect();
        self.lens = (0..live.len()).filter(kept).map(|i| self.lens[i]).collect();
        self.live = vec![true; self.ids.len()];
        self.doc_of = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i as u32))
            .collect();
    }

    /// Adds papers, replacing earlier versions of the same ids.
    pub fn upsert(&mut self, docs: impl IntoIterator<Item = KeywordDoc>) {
        let mut scratch = Vec::new();
        for doc in docs {
            if let Some(old) = self.doc_of.get(&doc.id) {
                self.live[*old as usize] = false;
                self.total_len -= u64::from(self.lens[*old as usize]);
            }
            self.add(&doc, &mut scratch);
        }
    }

    fn term_of(&mut self, word: &str) -> Option<u32> {
        if let Some(t) = self.seen.get(word) {
            return *t;
        }
        let t = if super::keyword::is_stop_word(word) {
            None
        } else {
            let stem = self.stemmer.stem(word).into_owned();
            let next = self.terms.len() as u32;
            let t = *self.terms.entry(stem).or_insert(next);
            if t == next {
                self.postings.push(Postings::default());
            }
            Some(t)
        };
        self.seen.insert(word.to_string(), t);
        t
    }

    /// Indexes one paper; `scratch` is reused between papers.
    fn add(&mut self, doc: &KeywordDoc, scratch: &mut Vec<(u32, f32)>) {
        let slot = self.ids.len() as u32;
        scratch.clear();
        let mut len = 0u32;
        let mut buf = String::new();
        for (column, text) in doc.columns.iter().enumerate() {
            for_each_word(text, &mut buf, |w, joined| {
                len += u32::from(!joined);
                if let Some(t) = self.term_of(w) {
                    scratch.push((t, WEIGHTS[column]));
                }
            });
        }
        scratch.sort_unstable_by_key(|(t, _)| *t);
        let mut i = 0;
        while i < scratch.len() {
            let t = scratch[i].0;
            let mut freq = 0.0;
            while i < scratch.len() && scratch[i].0 == t {
                freq += scratch[i].1;
                i += 1;
            }
            self.postings[t as usize].push(slot, freq);
        }
        self.ids.push(doc.id);
        self.lens.push(len);
        self.live.push(true);
        self.doc_of.insert(doc.id, slot);
        self.total_len += u64::from(len);
    }

    /// The stems of a typed query's words (stop words dropped, each stem once).
    fn query_terms(&self, query: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for_each_word(query, &mut String::new(), |w, _| {
            if super::keyword::is_stop_word(w) {
                return;
            }
            if let Some(&t) = self.terms.get(self.stemmer.stem(w).as_ref()) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        });
        out
    }

    /// The `k` best papers for a typed query, best first, as `(row id, BM25 score)`;
    /// with `allowed`, only those ids.
    pub fn search(&self, query: &str, k: usize, allowed: Option<&HashSet<i64>>) -> Vec<(i64, f64)> {
        let terms = self.query_terms(query);
        let n = self.ids.len();
        if k == 0 || terms.is_empty() || n == 0 {
            return Vec::new();
        }
        let live = self.doc_of.len().max(1) as f32;
        let avg = (self.total_len as f32 / live).max(1.0);
        let mut acc = vec![0f32; n];
        let mut touched: Vec<u32> = Vec::new();
        // Superseded versions are skipped (and not counted) only while there are any.
        let all_live = self.doc_of.len() == n;
        let is_live = |slot: &(u32, f32)| all_live || self.live[slot.0 as usize];
        for t in terms {
            let list = &self.postings[t as usize];
            let hits = if all_live {
                list.len()
            } else {
                list.iter().filter(is_live).count()
            } as f32;
            // FTS5's idf, floored as it floors it for terms in most papers.
            let idf = ((live - hits + 0.5) / (hits + 0.5)).ln().max(1e-6);
            for (slot, freq) in list.iter().filter(is_live) {
                let d = slot as usize;
                let norm = K1 * (1.0 - B + B * self.lens[d] as f32 / avg);
                if acc[d] == 0.0 {
                    touched.push(slot);
                }
                acc[d] += idf * freq * (K1 + 1.0) / (freq + norm);
            }
        }
        let mut hits: Vec<(i64, f32)> = touched
            .into_iter()
            .map(|d| (self.ids[d as usize], acc[d as usize]))
            .filter(|(id, _)| allowed.is_none_or(|a| a.contains(id)))
            .collect();
        let by_score = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if hits.len() > k {
            hits.select_nth_unstable_by(k, by_score);
            hits.truncate(k);
        }
        hits.sort_unstable_by(by_score);
        hits.into_iter().map(|(id, s)| (id, f64::from(s))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, abstract_text: &str) -> KeywordDoc {
        KeywordDoc {
            id,
            columns: [title.into(), abstract_text.into(), String::new()],
        }
    }

    #[test]
    fn accents_and_hyphenated_model_names_match_either_way() {
        let index = KeywordIndex::build([
            doc(1, "Schrödinger bridges", "Entropic transport."),
            doc(2, "Evaluating GPT-4 on proofs", "A study."),
            doc(3, "GPT4 as a judge", "Another study."),
            doc(4, "Self-supervised learning", "Pretext tasks."),
        ]);
        let ids = |q: &str| -> Vec<i64> {
            let mut v: Vec<i64> = index.search(q, 10, None).iter().map(|h| h.0).collect();
            v.sort();
            v
        };
        assert_eq!(ids("Schrodinger"), vec![1]);
        assert_eq!(ids("SCHRÖDINGER"), vec![1]);
        assert_eq!(ids("GPT4"), vec![2, 3]);
        assert_eq!(ids("gpt-4"), vec![2, 3]);
        // Words joined without a digit stay apart; a joined word adds no length.
        assert!(ids("selfsupervised").is_empty());
        let mut words = Vec::new();
        for_each_word("GPT-4o and Llama-3 vs. x-y", &mut String::new(), |w, j| {
            words.push((w.to_string(), j))
        });
        let joined: Vec<&str> = words.iter().filter(|w| w.1).map(|w| w.0.as_str()).collect();
        assert_eq!(joined, vec!["gpt4o", "llama3"]);
        assert_eq!(words.len() - joined.len(), 8);
    }

    #[test]
    fn stems_weights_and_rarity_decide_the_order() {
        let index = KeywordIndex::build([
            doc(
                1,
                "Sparse attention",
                "We study transformers for long documents.",
            ),
            doc(
                2,
                "Graph networks",
                "Sparse graphs and attention over molecules.",
            ),
            doc(3, "Diffusion models", "Image generation with diffusion."),
            doc(4, "Protein folding", "Structures predicted from sequences."),
        ]);
        // "attentions" stems to "attent"; the title match (weight 2) outranks the abstract.
        let hits = index.search("the sparse attentions", 10, None);
        let ids: Vec<i64> = hits.iter().map(|h| h.0).collect();
        assert_eq!(ids, vec![1, 2]);
        assert!(hits[0].1 > hits[1].1 && hits[1].1 > 0.0);
        assert!(index.search("the of and", 10, None).is_empty());
        assert!(index.search("unknownword", 10, None).is_empty());
        let only: HashSet<i64> = [2].into();
        assert_eq!(index.search("sparse", 10, Some(&only))[0].0, 2);
        assert_eq!(index.search("sparse attention", 1, None).len(), 1);
    }

    #[test]
    fn a_changed_paper_replaces_its_old_text() {
        let mut index = KeywordIndex::build([
            doc(1, "Quantum error correction", "Surface codes."),
            doc(2, "Surface codes at scale", "Decoding quantum memories."),
        ]);
        assert_eq!(index.search("correction", 5, None)[0].0, 1);
        index.upsert([doc(1, "Protein design", "Language models for enzymes.")]);
        assert!(index.search("correction", 5, None).is_empty());
        assert_eq!(index.search("enzymes", 5, None)[0].0, 1);
        assert_eq!(index.len(), 2);
        assert!((index.stale_share() - 1.0 / 3.0).abs() < 1e-9);
        index.upsert([doc(3, "Error correction", "New.")]);
        assert_eq!(index.search("correction", 5, None)[0].0, 3);
    }

    #[test]
    fn postings_round_trip_through_their_coding() {
        let mut list = Postings::default();
        let slots = [
            0u32,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            2_000_000,
            4_000_000_000,
        ];
        for (i, slot) in slots.iter().enumerate() {
            list.push(*slot, i as f32 * 0.5 + 0.5);
        }
        list.push(4_000_000_001, 400.0);
        let got: Vec<(u32, f32)> = list.iter().collect();
        assert_eq!(got.len(), slots.len() + 1);
        for (i, (slot, freq)) in got.iter().take(slots.len()).enumerate() {
            assert_eq!((*slot, *freq), (slots[i], i as f32 * 0.5 + 0.5));
        }
        // Frequencies saturate at 127.5 weighted occurrences.
        assert_eq!(got[slots.len()], (4_000_000_001, 127.5));
    }

    #[test]
    fn purging_drops_old_versions_and_keeps_every_score() {
        let mut index = KeywordIndex::build([
            doc(1, "Quantum error correction", "Surface codes for qubits."),
            doc(2, "Surface codes at scale", "Decoding quantum memories."),
            doc(3, "Protein folding", "Structures from sequences."),
            doc(4, "Error mitigation", "Noisy quantum circuits."),
        ]);
        index.upsert([
            doc(1, "Protein design", "Language models for enzymes."),
            doc(
                3,
                "Protein folding, revisited",
                "Quantum chemistry of structures.",
            ),
            doc(5, "Surface chemistry", "Catalysts."),
        ]);
        let queries = [
            "quantum error",
            "protein structures",
            "surface codes",
            "correction",
        ];
        let before: Vec<_> = queries.iter().map(|q| index.search(q, 10, None)).collect();
        assert!((index.stale_share() - 2.0 / 7.0).abs() < 1e-9);
        index.purge();
        assert_eq!(index.stale_share(), 0.0);
        assert_eq!(index.len(), 5);
        assert_eq!((index.ids.len(), index.lens.len()), (5, 5));
        assert!(index
            .postings
            .iter()
            .all(|l| l.iter().all(|(slot, _)| slot < 5)));
        let after: Vec<_> = queries.iter().map(|q| index.search(q, 10, None)).collect();
        assert_eq!(before, after);
        assert!(index.search("correction", 10, None).is_empty());
        // Still updatable after the purge.
        index.upsert([doc(2, "Error correction codes", "Decoders.")]);
        assert_eq!(index.search("correction", 10, None)[0].0, 2);
    }
}
