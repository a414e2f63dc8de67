//! The search box's query language, the same in the app and the CLI.
//!
//! - `"exact phrase"`, `word*` (prefix), `-word` / `-"phrase"` / `NOT word` (exclusion)
//! - fields: `title:`, `abstract:`, `author:` and `cat:` (or `category:`), with a word,
//!   a `"quoted value"` or, for `cat:`, an arXiv category (`cs.CL`) or archive (`cs`)
//! - `AND`, `OR` (upper case) and parentheses
//!
//! Free words at the top level rank as they always did (meaning and BM25); everything
//! else is a **constraint** that every result obeys, in every mode. The words of a
//! phrase or of a `title:`/`abstract:` value also rank. A malformed query (an unclosed
//! quote or parenthesis, a bare `-`, an unknown field, an operator with nothing on one
//! side) never fails: it is searched as plain words, with a one-line hint saying why.

pub mod filter;
pub mod words;

pub use filter::Filter;
use words::words;

/// Where a term must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title, abstract or authors.
    Any,
    /// The title.
    Title,
    /// The abstract.
    Abstract,
    /// An author's name.
    Author,
    /// An arXiv category (`cs.CL`) or archive (`cs`).
    Category,
}

/// What a leaf looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// These words next to each other, in this order (one word: just the word).
    Phrase(Vec<String>),
    /// A word starting with this.
    Prefix(String),
}

/// A constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A term in a field.
    Leaf(Field, Term),
    /// Must not hold.
    Not(Box<Expr>),
    /// All must hold.
    And(Vec<Expr>),
    /// One at least must hold.
    Or(Vec<Expr>),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The words that rank: free words, and those of positive phrases and
    /// `title:`/`abstract:` values. Empty when the query only constrains.
    pub text: String,
    /// What every result must satisfy.
    pub constraint: Option<Expr>,
    /// Why the query was searched as plain words (it was malformed).
    pub hint: Option<String>,
}

/// The help text for the syntax (`?` next to the search box, `papersift search --help`).
pub const SYNTAX_HELP: &str = "\
Query syntax:
\"exact phrase\"          the words next to each other
author:Surname          an author (author:\"Full Name\" for the whole name)
title:word  abstract:word   the word in that part (quotes for a phrase)
cat:cs.CL  cat:cs       an arXiv category, or every category of an archive
-word  -\"phrase\"        without it (also NOT word)
word*                   words starting with it
a OR b, a AND b, ( )    combine; upper-case AND/OR
Other words rank by meaning and keywords, as before; the rest must hold for every result.";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    Field(Field, Value),
    Neg,
    And,
    Or,
    Not,
    Open,
    Close,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Word(String),
    Quoted(String),
}

/// Reads a query; never fails (see the module docs).
pub fn parse(input: &str) -> Query {
    match tokens(input).and_then(|t| Parser { toks: t, at: 0 }.top()) {
        Ok(q) => q,
        Err(why) => Query {
            text: input.to_string(),
            constraint: None,
            hint: Some(format!("searched for the words; {why}")),
        },
    }
}

fn field_named(name: &str) -> Option<Field> {
    Some(match name.to_lowercase().as_str() {
        "title" | "ti" => Field::Title,
        "abstract" | "abs" => Field::Abstract,
        "author" | "au" | "authors" => Field::Author,
        "cat" | "category" | "categories" => Field::Category,
        _ => return None,
    })
}

fn tokens(input: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let quoted = |i: &mut usize| -> Result<String, String> {
        // chars[*i] is the opening quote.
        let start = *i + 1;
        let end = chars[start..]
            .iter()
            .position(|&c| is_quote(c))
            .map(|p| start + p)
            .ok_or("the quote was not closed")?;
        *i = end + 1;
        Ok(chars[start..end].iter().collect())
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else if is_quote(c) {
            out.push(Tok::Phrase(quoted(&mut i)?));
        } else if c == '-' && out_may_negate(&chars, i) {
            match chars.get(i + 1) {
                Some(&n) if !n.is_whitespace() && n != ')' => {
                    out.push(Tok::Neg);
                    i += 1;
                }
                _ => return Err("a '-' needs a word right after it".into()),
            }
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')')
                && !is_quote(chars[i])
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "AND" => out.push(Tok::And),
                "OR" => out.push(Tok::Or),
                "NOT" => out.push(Tok::Not),
                _ => out.push(field_or_word(word, &chars, &mut i, quoted)?),
            }
        }
    }
    Ok(out)
}

/// A straight or typographic double quote.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// A `-` negates at the start of a token (not inside `state-of-the-art`, which the word
/// reader takes whole).
fn out_may_negate(chars: &[char], i: usize) -> bool {
    i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '('
}

fn field_or_word(
    word: String,
    chars: &[char],
    i: &mut usize,
    quoted: impl Fn(&mut usize) -> Result<String, String>,
) -> Result<Tok, String> {
    let Some((name, value)) = word.split_once(':') else {
        return Ok(Tok::Word(word));
    };
    // `10:30`, `https://…`, `e.g.:`: not an attempt at a field.
    if name.is_empty() || !name.chars().all(char::is_alphabetic) || value.starts_with('/') {
        return Ok(Tok::Word(word));
    }
    let Some(field) = field_named(name) else {
        return Err(format!(
            "'{name}:' is not a field (use title:, abstract:, author: or cat:)"
        ));
    };
    if !value.is_empty() {
        return Ok(Tok::Field(field, Value::Word(value.to_string())));
    }
    match chars.get(*i) {
        Some(&c) if is_quote(c) => {
            let v = quoted(i)?;
            Ok(Tok::Field(field, Value::Quoted(v)))
        }
        _ => Err(format!("'{name}:' needs a value right after it")),
    }
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn top(mut self) -> Result<Query, String> {
        let mut text: Vec<String> = Vec::new();
        let mut all: Vec<Expr> = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Tok::Close {
                return Err("a ')' has no '(' before it".into());
            }
            // Words in parentheses with nothing else, not joined by AND/OR, are a
            // parenthetical ("retrieval augmented generation (RAG)"): they rank.
            if *t == Tok::Open {
                if let Some(end) = self.plain_group_end() {
                    if !matches!(self.toks.get(end + 1), Some(Tok::And | Tok::Or)) {
                        for tok in &self.toks[self.at..end] {
                            if let Tok::Word(w) = tok {
                                text.push(w.clone());
                            }
                        }
                        self.at = end + 1;
                        continue;
                    }
                }
            }
            // A lone word, not joined by AND/OR: it ranks and does not constrain.
            let lone = matches!(t, Tok::Word(_))
                && !matches!(self.toks.get(self.at + 1), Some(Tok::And | Tok::Or));
            if lone {
                if let Some(Tok::Word(w)) = self.next() {
                    match prefix_of(&w) {
                        Some(p) => all.push(Expr::Leaf(Field::Any, Term::Prefix(p))),
                        None => text.push(w),
                    }
                }
                continue;
            }
            // Anything else constrains (punctuation alone, or a phrase without words,
            // comes back as no expression: nothing to hold).
            let (e, words) = self.or_expr()?;
            if let Some(e) = e {
                text.extend(words);
                all.push(e);
            }
        }
        let constraint = match all.len() {
            0 => None,
            1 => all.pop(),
            _ => Some(Expr::And(all)),
        };
        Ok(Query {
            text: text.join(" "),
            constraint,
            hint: None,
        })
    }

    /// Where the parenthesized group starting here closes, if it holds only plain words
    /// (and parentheses).
    fn plain_group_end(&self) -> Option<usize> {
        let mut depth = 0usize;
        for (i, t) in self.toks.iter().enumerate().skip(self.at) {
            match t {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                Tok::Word(w) if !w.ends_with('*') => {}
                _ => return None,
            }
        }
        None
    }

    /// `and (OR and)*`; returns the expression and its positive ranking words.
    fn or_expr(&mut self) -> Result<(Option<Expr>, Vec<String>), String> {
        let (first, mut words) = self.and_expr()?;
        let mut parts = vec![first];
        while self.peek() == Some(&Tok::Or) {
            self.next();
            let (e, w) = self.and_expr()?;
            parts.push(e);
            words.extend(w);
        }
        Ok((join(parts, Expr::Or), words))
    }

    /// `unary (AND unary)*` (inside parentheses, terms side by side are ANDed by the caller).
    fn and_expr(&mut self) -> Result<(Option<Expr>, Vec<String>), String> {
        let (first, mut words) = self.unary()?;
        let mut parts = vec![first];
        while self.peek() == Some(&Tok::And) {
            self.next();
            let (e, w) = self.unary()?;
            parts.push(e);
            words.extend(w);
        }
        Ok((join(parts, Expr::And), words))
    }

    fn unary(&mut self) -> Result<(Option<Expr>, Vec<String>), String> {
        match self.peek() {
            Some(Tok::Neg | Tok::Not) => {
                let op = if self.next() == Some(Tok::Not) {
                    "NOT"
                } else {
                    "-"
                };
                if self.peek().is_none() {
                    return Err(format!("'{op}' needs something after it"));
                }
                let (e, _) = self.unary()?;
                Ok((e.map(|e| Expr::Not(Box::new(e))), Vec::new()))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<(Option<Expr>, Vec<String>), String> {
        let Some(tok) = self.next() else {
            return Err("the query ends after an operator".into());
        };
        match tok {
            Tok::And | Tok::Or => Err(format!(
                "'{}' needs something on each side",
                if tok == Tok::And { "AND" } else { "OR" }
            )),
            Tok::Close => Err("a ')' has no '(' before it".into()),
            Tok::Open => {
                // Inside parentheses, terms side by side must all hold.
                let mut parts = Vec::new();
                let mut words = Vec::new();
                loop {
                    match self.peek() {
                        None => return Err("a '(' was not closed".into()),
                        Some(Tok::Close) => {
                            self.next();
                            break;
                        }
                        _ => {
                            let (e, w) = self.or_expr()?;
                            parts.push(e);
                            words.extend(w);
                        }
                    }
                }
                Ok((join(parts, Expr::And), words))
            }
            Tok::Word(w) => Ok(match prefix_of(&w) {
                Some(p) => (Some(Expr::Leaf(Field::Any, Term::Prefix(p))), Vec::new()),
                None => {
                    let ws = words(&w);
                    (phrase(Field::Any, ws.clone()), ws)
                }
            }),
            Tok::Phrase(p) => {
                let ws = words(&p);
                Ok((phrase(Field::Any, ws.clone()), ws))
            }
            Tok::Field(field, value) => field_leaf(field, value),
            Tok::Neg | Tok::Not => unreachable!("handled by unary"),
        }
    }
}

fn field_leaf(field: Field, value: Value) -> Result<(Option<Expr>, Vec<String>), String> {
    if field == Field::Category {
        let raw = match value {
            Value::Word(w) | Value::Quoted(w) => w,
        };
        let cat = raw.trim().trim_end_matches('*').trim_end_matches('.');
        if cat.is_empty() || cat.chars().any(char::is_whitespace) {
            return Err(format!(
                "'{raw}' is not an arXiv category (like cs.CL or cs)"
            ));
        }
        return Ok((
            Some(Expr::Leaf(
                Field::Category,
                Term::Phrase(vec![cat.to_lowercase()]),
            )),
            Vec::new(),
        ));
    }
    let (term, ws) = match value {
        Value::Word(w) => match prefix_of(&w) {
            Some(p) => (Some(Term::Prefix(p)), Vec::new()),
            None => {
                let ws = words(&w);
                ((!ws.is_empty()).then(|| Term::Phrase(ws.clone())), ws)
            }
        },
        Value::Quoted(q) => {
            let ws = words(&q);
            ((!ws.is_empty()).then(|| Term::Phrase(ws.clone())), ws)
        }
    };
    // Title and abstract words also rank; an author's name does not.
    let rank = if matches!(field, Field::Title | Field::Abstract) {
        ws
    } else {
        Vec::new()
    };
    Ok((term.map(|t| Expr::Leaf(field, t)), rank))
}

/// `diffus*` → `diffus`; `None` for a word without a trailing `*` (or only a `*`).
fn prefix_of(word: &str) -> Option<String> {
    let stem = word.strip_suffix('*')?.trim_end_matches('*');
    let ws = words(stem);
    // `self-super*` is not a prefix of one word: take its last word as the prefix.
    ws.last().cloned()
}

fn phrase(field: Field, words: Vec<String>) -> Option<Expr> {
    (!words.is_empty()).then_some(Expr::Leaf(field, Term::Phrase(words)))
}

fn join(parts: Vec<Option<Expr>>, make: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    let mut parts: Vec<Expr> = parts.into_iter().flatten().collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(make(parts)),
    }
}

#[cfg(test)]
mod tests;
