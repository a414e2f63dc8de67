//! Turning what a person types into a safe FTS5 match expression.
//!
//! FTS5 has its own query language (`NEAR`, `*`, `-`, quotes, column filters); raw
//! input would error or change meaning. We take the words, drop a few stop words, quote
//! each as a string token and OR them, letting BM25 rank by how many and how rare.

/// English stop words that only add noise to BM25 over abstracts. A paper that shares
/// only these with a query ("not", "or") does not match it.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "which",
    "with", "why", "can", "we", "our", "their", "its", "into", "than", "then", "there", "not",
    "no", "nor",
];

/// Whether a lower-cased word is one of the stop words queries drop.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Whether a query holds a word that says what it is about (not only stop words): a
/// query of stop words alone ("not or") finds nothing, by keywords or by meaning.
pub fn has_content_word(query: &str) -> bool {
    let mut found = false;
    crate::query::words::for_each_word(query, &mut String::new(), |w, _| {
        found |= !is_stop_word(w);
    });
    found
}

/// The FTS5 expression for a free-text query, or `None` when it holds no searchable word.
///
/// ```
/// use papersift_core::rank::keyword::fts_query;
/// assert_eq!(fts_query("NEAR(\"sparse\" attention*"), Some("\"near\" OR \"sparse\" OR \"attention\"".into()));
/// assert_eq!(fts_query("the of -"), None);
/// ```
pub fn fts_query(input: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    crate::query::words::for_each_word(input, &mut String::new(), |w, _| {
        if is_stop_word(w) || terms.iter().any(|t| t == w) {
            return;
        }
        terms.push(w.to_string());
        // `gpt4` is also looked for as the words `gpt 4` next to each other, the way
        // FTS5 holds `GPT-4`.
        let parts = letter_digit_parts(w);
        if parts.len() > 1 {
            terms.push(parts.join(" "));
        }
    });
    if terms.is_empty() {
        return None;
    }
    Some(
        terms
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" OR "),
    )
}

/// A word split where letters meet digits (`gpt4o` → `gpt`, `4`, `o`).
fn letter_digit_parts(w: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, c) in w.char_indices() {
        let digit = c.is_ascii_digit();
        if prev.is_some_and(|p| p != digit) {
            parts.push(&w[start..i]);
            start = i;
        }
        prev = Some(digit);
    }
    parts.push(&w[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_neutralized() {
        for (input, want) in [
            ("diffusion models", Some("\"diffusion\" OR \"models\"")),
            ("\"unbalanced", Some("\"unbalanced\"")),
            ("a AND b OR NOT c", Some("\"b\" OR \"c\"")),
            ("col:title x*", Some("\"col\" OR \"title\" OR \"x\"")),
            ("((((", None),
            ("", None),
            ("Ünïcode naïve", Some("\"unicode\" OR \"naive\"")),
            (
                "GPT4 vs GPT-4",
                Some("\"gpt4\" OR \"gpt 4\" OR \"vs\" OR \"gpt\" OR \"4\""),
            ),
        ] {
            assert_eq!(fts_query(input).as_deref(), want, "input {input:?}");
        }
    }
}
