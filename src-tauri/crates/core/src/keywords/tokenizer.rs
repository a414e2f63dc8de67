//! The tokenizer every text field of the keyword index uses: the words of
//! [`crate::query::words::for_each_word`], stemmed, stop words left out but counted in
//! the positions (so `"chain of thought"` is `chain`, a gap, `thought`), and a hyphenated
//! name with a digit (`GPT-4`) also given joined (`gpt4`) at its second word's position.

use crate::query::words::{for_each_word, stemmer};
use crate::rank::keyword::is_stop_word;
use rust_stemmers::Stemmer;
use std::collections::HashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in every index.
pub const NAME: &str = "papersift";

/// Stems seen, so each surface word is stemmed once per tokenizer (words repeat far
/// more often than they are new). Bounded; cleared when full.
const STEM_CACHE_MAX: usize = 200_000;

/// See the module documentation.
pub struct WordTokenizer {
    stemmer: Stemmer,
    stems: HashMap<String, String>,
    tokens: Vec<Token>,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            stemmer: stemmer(),
            stems: HashMap::new(),
            tokens: Vec::new(),
        }
    }
}

impl Clone for WordTokenizer {
    fn clone(&self) -> Self {
        WordTokenizer::default()
    }
}

impl WordTokenizer {
    /// The stem of a folded word, from the cache when seen before.
    fn stem(&mut self, word: &str) -> String {
        if let Some(s) = self.stems.get(word) {
            return s.clone();
        }
        if self.stems.len() >= STEM_CACHE_MAX {
            self.stems.clear();
        }
        let s = self.stemmer.stem(word).into_owned();
        self.stems.insert(word.to_string(), s.clone());
        s
    }

    /// `(position, stem)` of every indexed token of a text.
    pub fn positions(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut position = 0usize;
        let mut first = true;
        let mut words: Vec<(String, bool)> = Vec::new();
        for_each_word(text, &mut String::new(), |w, joined| {
            words.push((w.to_string(), joined));
        });
        for (w, joined) in words {
            if !joined {
                if !first {
                    position += 1;
                }
                first = false;
            }
            if is_stop_word(&w) {
                continue;
            }
            out.push((position, self.stem(&w)));
        }
        out
    }
}

/// The tokens of one text, handed out one at a time.
pub struct WordStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        let tokens: Vec<Token> = self
            .positions(text)
            .into_iter()
            .map(|(position, text)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            })
            .collect();
        self.tokens = tokens;
        WordStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_skip_stop_words_and_joined_names_share_a_position() {
        let mut t = WordTokenizer::default();
        let got = t.positions("Chain of Thought with GPT-4 attentions");
        let want: Vec<(usize, String)> = [
            (0, "chain"),
            (2, "thought"),
            (4, "gpt"),
            (5, "4"),
            (5, "gpt4"),
            (6, "attent"),
        ]
        .iter()
        .map(|(p, s)| (*p, s.to_string()))
        .collect();
        assert_eq!(got, want);
        let mut stream = t.token_stream("Schrödinger bridges");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().position, stream.token().text.clone()));
        }
        assert_eq!(
            seen,
            vec![(0, "schroding".to_string()), (1, "bridg".to_string())]
        );
    }
}
