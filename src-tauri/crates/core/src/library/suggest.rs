//! As-you-type suggestions for the search box: titles, authors and categories that
//! match what is being typed (the last word as a prefix).

use super::*;
use crate::query::words::words;
use std::collections::HashMap;

/// What a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    /// A paper's title: picking it opens the paper.
    Title,
    /// An author: picking it searches `author:"Name"`.
    Author,
    /// An arXiv category: picking it searches `cat:code`.
    Category,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// Title, author or category.
    pub kind: SuggestionKind,
    /// What the list shows.
    pub text: String,
    /// What replaces the word being typed when it is picked (authors, categories), or
    /// the paper's key (titles).
    pub insert: String,
    /// Papers with this author or category (among those looked at, for authors).
    pub count: usize,
}

/// Characters typed before anything is suggested.
pub const SUGGEST_MIN_CHARS: usize = 2;

/// Papers whose authors are looked at for author suggestions.
const AUTHOR_SCAN: usize = 400;

impl Library {
    /// Suggestions for the text in the search box, titles first; at most `k` of each
    /// kind. The word being typed is the last one (a prefix); `author:` or `cat:` in
    /// front of it asks for that kind only.
    pub fn suggest(&self, typed: &str, k: usize) -> Result<Vec<Suggestion>> {
        if typed.trim().chars().count() < SUGGEST_MIN_CHARS || k == 0 {
            return Ok(Vec::new());
        }
        let last = typed.rsplit(char::is_whitespace).next().unwrap_or("");
        let (only, last) = match last.split_once(':') {
            Some((f, v)) if f.eq_ignore_ascii_case("author") => {
                (Some(SuggestionKind::Author), v.trim_start_matches('"'))
            }
            Some((f, v)) if f.eq_ignore_ascii_case("cat") || f.eq_ignore_ascii_case("category") => {
                (Some(SuggestionKind::Category), v)
            }
            _ => (None, last),
        };
        let mut out = Vec::new();
        let mut typed_words = words(typed);
        let typing = !typed.ends_with(char::is_whitespace);
        // A one-letter prefix matches a large part of the index: it is not looked up
        // until a second letter comes.
        let short = typing && typed_words.last().is_some_and(|w| w.chars().count() < 2);
        if short {
            typed_words.pop();
        }
        let prefix = words(last).pop().unwrap_or_default();
        if only.is_none() && !typed_words.is_empty() && !typed.contains(':') {
            for (key, title) in self
                .store()
                .titles_matching(&typed_words, typing && !short, k)?
            {
                out.push(Suggestion {
                    kind: SuggestionKind::Title,
                    text: title,
                    insert: key,
                    count: 1,
                });
            }
        }
        if only != Some(SuggestionKind::Category) && typing && prefix.chars().count() >= 2 {
            // "yang li": names with a word starting "li" and, first, also one "yang".
            let before = if only.is_some() {
                None
            } else {
                typed_words
                    .len()
                    .checked_sub(2)
                    .map(|i| typed_words[i].as_str())
            };
            out.extend(self.author_suggestions(&prefix, before, k)?);
        }
        if only != Some(SuggestionKind::Author) && typing && !last.is_empty() {
            let want = last.to_lowercase();
            let mut cats: Vec<(String, usize)> = self
                .store()
                .category_counts()?
                .into_iter()
                .filter(|(c, _)| c.to_lowercase().starts_with(&want))
                .collect();
            cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.extend(cats.into_iter().take(k).map(|(c, n)| Suggestion {
                kind: SuggestionKind::Category,
                insert: format!("cat:{c}"),
                text: c,
                count: n,
            }));
        }
        Ok(out)
    }

    fn author_suggestions(
        &self,
        prefix: &str,
        before: Option<&str>,
        k: usize,
    ) -> Result<Vec<Suggestion>> {
        // name -> (also matches the word before, papers)
        let mut counts: HashMap<String, (bool, usize)> = HashMap::new();
        for name in self.store().authors_matching(prefix, AUTHOR_SCAN)? {
            let folded = words(&name);
            if folded.iter().any(|w| w.starts_with(prefix)) {
                let both = before.is_some_and(|b| folded.iter().any(|w| w.starts_with(b)));
                let e = counts.entry(name).or_default();
                e.0 = both;
                e.1 += 1;
            }
        }
        let mut names: Vec<(String, (bool, usize))> = counts.into_iter().collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let names = names.into_iter().map(|(n, (_, c))| (n, c));
        Ok(names
            .take(k)
            .map(|(name, n)| Suggestion {
                kind: SuggestionKind::Author,
                insert: format!("author:\"{name}\""),
                text: name,
                count: n,
            })
            .collect())
    }
}
