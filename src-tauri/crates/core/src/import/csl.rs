//! CSL-JSON (Zotero, Pandoc, Better BibTeX): an array of items (or one item).
//! Identifiers come from `URL`, `DOI`, `number` (`arXiv:…`), `note` and `archive_location`.

use super::{scan_doi, scan_into, Entry};
use crate::{Error, Result};
use serde_json::Value;

pub(super) fn parse(src: &str) -> Result<Vec<Entry>> {
    let json: Value = serde_json::from_str(src)
        .map_err(|e| Error::Invalid(format!("not valid CSL-JSON: {e}")))?;
    let items = match json {
        Value::Array(items) => items,
        Value::Object(_) => vec![json],
        _ => {
            return Err(Error::Invalid(
                "not valid CSL-JSON: expected a list of items".into(),
            ))
        }
    };
    let mut entries = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(Error::Invalid(format!(
                "not valid CSL-JSON: item {} is not an object",
                i + 1
            )));
        };
        let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
        let title = text("title")
            .map(|t| crate::model::normalize_whitespace(&t))
            .filter(|t| !t.is_empty());
        let mut entry = Entry {
            label: text("id")
                .filter(|s| !s.starts_with("http"))
                .or_else(|| title.clone())
                .unwrap_or_else(|| format!("item {}", i + 1)),
            arxiv: None,
            doi: None,
            title,
        };
        for k in [
            "URL",
            "number",
            "archive_location",
            "note",
            "container-title",
            "publisher",
        ] {
            if let Some(v) = text(k) {
                scan_into(&mut entry, &v);
            }
        }
        if let Some(doi) = text("DOI") {
            scan_doi(&mut entry, &doi);
        }
        entries.push(entry);
    }
    Ok(entries)
}
