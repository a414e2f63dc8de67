//! RIS through the `biblib` crate. Identifiers come from `UR`/`L1`/`L2` links, `DO`,
//! the journal (`JO`/`T2`) and notes.

use super::{scan_doi, scan_into, Entry};
use crate::{Error, Result};
use biblib::{CitationParser, RisParser};

pub(super) fn parse(src: &str) -> Result<Vec<Entry>> {
    // Page numbers are not used, and biblib's page-range code panics on some
    // non-ASCII input (found by fuzzing): leave those lines out.
    let src: String = src
        .lines()
        .filter(|l| !(l.starts_with("SP  -") || l.starts_with("EP  -")))
        .map(|l| format!("{l}\n"))
        .collect();
    let citations = RisParser::new()
        .parse(&src)
        .map_err(|e| Error::Invalid(format!("not valid RIS: {e}")))?;
    Ok(citations
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let title =
                Some(crate::model::normalize_whitespace(&c.title)).filter(|t| !t.is_empty());
            let mut entry = Entry {
                label: title.clone().unwrap_or_else(|| format!("record {}", i + 1)),
                arxiv: None,
                doi: None,
                title,
            };
            for url in &c.urls {
                scan_into(&mut entry, url);
            }
            if let Some(doi) = &c.doi {
                scan_doi(&mut entry, doi);
            }
            for text in c.journal.iter().chain(c.extra_fields.values().flatten()) {
                scan_into(&mut entry, text);
            }
            entry
        })
        .collect())
}
