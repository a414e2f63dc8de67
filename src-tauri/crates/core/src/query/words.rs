//! Words as papers and queries are split: runs of letters and digits, folded to lower
//! case without accents as FTS5's `unicode61` tokenizer with `remove_diacritics 2` folds
//! them, and stemmed with the Snowball English stemmer (Porter's algorithm, revised).
//! The keyword index, the query reader and the FTS5 fallback all split text here.

use rust_stemmers::{Algorithm, Stemmer};

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

/// The stem a folded word is indexed and searched as.
pub fn stem(stemmer: &Stemmer, word: &str) -> String {
    stemmer.stem(word).into_owned()
}

/// The English stemmer every index and query uses.
pub fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_and_hyphenated_model_names_are_also_joined() {
        let mut words = Vec::new();
        for_each_word(
            "GPT-4o and Llama-3 vs. x-y Schrödinger",
            &mut String::new(),
            |w, j| words.push((w.to_string(), j)),
        );
        let joined: Vec<&str> = words.iter().filter(|w| w.1).map(|w| w.0.as_str()).collect();
        assert_eq!(joined, vec!["gpt4o", "llama3"]);
        assert_eq!(words.len() - joined.len(), 9);
        assert_eq!(words.last().unwrap().0, "schrodinger");
        assert_eq!(
            super::words("Self-supervised, SCHRÖDINGER"),
            vec!["self", "supervised", "schrodinger"]
        );
        assert_eq!(stem(&stemmer(), "attentions"), "attent");
    }
}
