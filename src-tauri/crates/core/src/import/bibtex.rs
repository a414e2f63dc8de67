//! BibTeX / BibLaTeX through the `biblatex` crate's syntax parser. Identifiers come
//! from `eprint` (+ `archivePrefix` / `eprinttype`), `journal = {arXiv preprint …}`,
//! `url`, `doi`, `note` and `howpublished`.

use super::{scan_into, Entry};
use crate::model::ArxivId;
use crate::{Error, Result};
use biblatex::{RawBibliography, RawChunk};

pub(super) fn parse(src: &str) -> Result<Vec<Entry>> {
    // The raw parse: duplicate keys and unknown macros are common in real files and
    // must not reject the whole list.
    let bib = RawBibliography::parse(src).map_err(|e| {
        let at = e.span.start.min(src.len());
        let line_of = |i: usize| src[..i].matches('\n').count() + 1;
        if e.kind == biblatex::ParseErrorKind::UnexpectedEof {
            let open = src[..at].rfind('@').unwrap_or(0);
            return Error::Invalid(format!(
                "not valid BibTeX: the entry starting on line {} is not closed",
                line_of(open)
            ));
        }
        Error::Invalid(format!(
            "not valid BibTeX: {} on line {}",
            e.kind,
            line_of(at)
        ))
    })?;
    let abbreviation = |name: &str| -> Option<String> {
        bib.abbreviations
            .iter()
            .find(|p| p.key.v.eq_ignore_ascii_case(name))
            .map(|p| {
                p.value
                    .v
                    .iter()
                    .map(|c| match c.v {
                        RawChunk::Normal(s) | RawChunk::Abbreviation(s) => s,
                    })
                    .collect()
            })
    };
    let mut entries = Vec::new();
    for raw in &bib.entries {
        let value = |name: &str| -> Option<String> {
            let pair = raw
                .v
                .fields
                .iter()
                .find(|p| p.key.v.eq_ignore_ascii_case(name))?;
            let s: String = pair
                .value
                .v
                .iter()
                .map(|c| match c.v {
                    RawChunk::Normal(s) => s.to_string(),
                    RawChunk::Abbreviation(a) => abbreviation(a).unwrap_or_else(|| a.to_string()),
                })
                .collect();
            Some(s)
        };
        let mut entry = Entry {
            label: raw.v.key.v.to_string(),
            arxiv: None,
            doi: None,
            title: value("title").map(|t| detex(&t)).filter(|t| !t.is_empty()),
        };
        let prefix = value("archiveprefix")
            .or_else(|| value("eprinttype"))
            .unwrap_or_default();
        if let Some(eprint) = value("eprint") {
            if prefix.is_empty() || prefix.trim().eq_ignore_ascii_case("arxiv") {
                entry.arxiv = ArxivId::parse(eprint.trim());
            }
        }
        for field in [
            "journal",
            "journaltitle",
            "url",
            "doi",
            "note",
            "howpublished",
            "number",
            "eprint",
        ] {
            if let Some(v) = value(field) {
                let v = if field == "doi" && !v.contains("10.") {
                    String::new()
                } else {
                    v
                };
                scan_into(&mut entry, &v);
            }
        }
        if let Some(doi) = value("doi") {
            let d = doi.trim().to_ascii_lowercase();
            if entry.doi.is_none() && d.starts_with("10.") && !d.starts_with("10.48550/") {
                entry.doi = Some(d);
            }
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// TeX markup out of a title, as a stored paper's is cleaned (`{\"o}` → `ö`).
fn detex(s: &str) -> String {
    crate::tex::clean_text(&crate::model::normalize_whitespace(s))
}
