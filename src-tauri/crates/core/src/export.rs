//! Writing a reading list as BibTeX, in the shape arXiv's own "Export BibTeX" uses, so
//! any reference manager (and Papersift itself) reads it back.

use crate::store::ListItem;
use std::collections::HashSet;
use std::fmt::Write;

/// TeX-safe text: special characters escaped, braces balanced away.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::model::normalize_whitespace(s).chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '{' | '}' | '\\' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A citation key: first author's family name, year, first title word.
fn cite_key(
    authors: &[String],
    year: Option<&str>,
    title: &str,
    used: &mut HashSet<String>,
) -> String {
    let family = authors
        .first()
        .and_then(|a| a.split_whitespace().last())
        .unwrap_or("anon");
    let word = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 3)
        .unwrap_or("paper");
    let base: String = format!("{family}{}{word}", year.unwrap_or(""))
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let base = if base.is_empty() {
        "paper".to_string()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 1;
    while !used.insert(key.clone()) {
        n += 1;
        key = format!("{base}{n}");
    }
    key
}

/// The list as BibTeX: papers as `@misc` with `eprint`/`archivePrefix`/`primaryClass`
/// and `url`; unresolved entries with what the file gave (title, DOI) and a note.
pub fn bibtex(items: &[ListItem]) -> String {
    let mut out = String::new();
    let mut used = HashSet::new();
    for item in items {
        if let Some(p) = &item.paper {
            let year = p.published.as_deref().and_then(|d| d.get(..4));
            let key = cite_key(&p.authors, year, &p.title, &mut used);
            let _ = writeln!(out, "@misc{{{key},");
            let _ = writeln!(out, "  title = {{{}}},", tex(&p.title));
            if !p.authors.is_empty() {
                let names: Vec<String> = p.authors.iter().map(|a| tex(a)).collect();
                let _ = writeln!(out, "  author = {{{}}},", names.join(" and "));
            }
            if let Some(y) = year {
                let _ = writeln!(out, "  year = {{{y}}},");
            }
            if let Some(id) = &p.arxiv_id {
                let _ = writeln!(out, "  eprint = {{{id}}},");
                let _ = writeln!(out, "  archivePrefix = {{arXiv}},");
                if let Some(c) = p.categories.first() {
                    let _ = writeln!(out, "  primaryClass = {{{}}},", tex(c));
                }
                let _ = writeln!(out, "  url = {{https://arxiv.org/abs/{id}}},");
            }
            out.push_str("}\n\n");
        } else {
            let title = item.title.as_deref().unwrap_or("");
            let key = cite_key(
                &[],
                None,
                if title.is_empty() { "entry" } else { title },
                &mut used,
            );
            let _ = writeln!(out, "@misc{{{key},");
            if !title.is_empty() {
                let _ = writeln!(out, "  title = {{{}}},", tex(title));
            }
            if let Some(doi) = item.key.strip_prefix("doi:") {
                let _ = writeln!(out, "  doi = {{{}}},", tex(doi));
            }
            if let Some(reason) = &item.unresolved_reason {
                let _ = writeln!(out, "  note = {{Papersift: {}}},", tex(reason));
            }
            out.push_str("}\n\n");
        }
    }
    out
}
