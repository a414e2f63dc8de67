//! Reading lists from files: BibTeX, RIS, CSL-JSON, plain text / Markdown / CSV with
//! arXiv ids, links and DOIs, and PDFs. Parsing is pure and all-or-nothing: a file
//! either yields its entries or one clear error, before anything touches the library.

mod bibtex;
mod csl;
pub mod ids;
pub mod links;
mod pdf;
pub mod resolve;
mod ris;
mod text;
pub mod zotero;

use crate::model::ArxivId;
use crate::{Error, Result};
use serde::Serialize;
use std::path::Path;

/// Largest file read as a reading list.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Most entries one file may hold.
pub const MAX_ENTRIES: usize = 50_000;

/// The formats a reading list can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// BibTeX / BibLaTeX.
    Bibtex,
    /// RIS.
    Ris,
    /// CSL-JSON (Zotero, Pandoc).
    CslJson,
    /// Text, Markdown or CSV with identifiers.
    Text,
    /// A PDF of one paper.
    Pdf,
}

/// One entry of a reading list, as the file gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// What identifies the entry in the file (citation key, the id as written, title).
    pub label: String,
    /// The arXiv paper, when the entry names one.
    pub arxiv: Option<ArxivId>,
    /// A DOI that is not an arXiv DOI.
    pub doi: Option<String>,
    /// The title, when the file has one.
    pub title: Option<String>,
}

impl Entry {
    /// The key under which the entry is stored in a list (stable across re-imports).
    pub fn item_key(&self) -> String {
        match (&self.arxiv, &self.doi, &self.title) {
            (Some(id), _, _) => format!("arxiv:{}", id.id()),
            (None, Some(doi), _) => format!("doi:{doi}"),
            (None, None, Some(t)) => format!("title:{}", normalize_title(t)),
            (None, None, None) => format!("entry:{}", self.label),
        }
    }

    fn useful(&self) -> bool {
        self.arxiv.is_some()
            || self.doi.is_some()
            || self.title.as_deref().is_some_and(|t| !t.trim().is_empty())
    }
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedFile {
    /// Detected format.
    pub format: Format,
    /// Entries in file order, each paper once.
    pub entries: Vec<Entry>,
}

/// Lower-case letters and digits only, single-spaced: titles compare equal across
/// capitalization, punctuation, TeX braces and accents.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// Reads and parses one file. Fails, with the file named, when it cannot be read, is
/// empty, too large, binary (other than a PDF), malformed, or names no paper.
pub fn parse_path(path: &Path) -> Result<ParsedFile> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("cannot read", path, e))?;
    if meta.is_dir() {
        return Err(Error::Invalid(format!(
            "{} is a folder, not a reading list",
            path.display()
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::Invalid(format!(
            "{} is {} MB; reading lists up to {} MB are supported",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_bytes(&name, &bytes).map_err(|e| match e {
        Error::Invalid(m) => Error::Invalid(format!("{}: {m}", path.display())),
        other => other,
    })
}

/// Parses file contents; `name` (the file name) picks the format with the contents.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<ParsedFile> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Invalid("the file is empty".into()));
    }
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if bytes.starts_with(b"%PDF-") || ext == "pdf" {
        let entries = guarded("PDF", || pdf::parse(name, bytes))?;
        return finish(Format::Pdf, entries);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Error::Invalid(
            "this is not a reading list (binary data); drop BibTeX, RIS, CSL-JSON, text, Markdown, CSV or PDF files".into(),
        ));
    }
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.trim_start().chars().next().unwrap_or(' ');
    let format = match ext {
        "bib" | "bibtex" | "biblatex" => Format::Bibtex,
        "ris" => Format::Ris,
        "json" => Format::CslJson,
        _ if first == '@' => Format::Bibtex,
        _ if text.trim_start().starts_with("TY  -") => Format::Ris,
        _ if (first == '[' || first == '{') && ext != "md" => Format::CslJson,
        _ => Format::Text,
    };
    let entries = match format {
        Format::Bibtex => guarded("BibTeX", || bibtex::parse(text))?,
        Format::Ris => guarded("RIS", || ris::parse(text))?,
        Format::CslJson => csl::parse(text)?,
        Format::Text | Format::Pdf => text::parse(text),
    };
    finish(format, entries)
}

/// Runs a third-party parser so that a panic inside it (a bug on some odd input)
/// becomes a clear error for this one file instead of taking the app down.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::Invalid(format!(
            "not valid {what}: the file could not be read (it may be damaged)"
        )))
    })
}

fn finish(format: Format, entries: Vec<Entry>) -> Result<ParsedFile> {
    let mut seen = std::collections::HashSet::new();
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(Entry::useful)
        .filter(|e| seen.insert(e.item_key()))
        .collect();
    if entries.is_empty() {
        return Err(Error::Invalid(
            "no papers found: no arXiv ids, arXiv links, DOIs or titles".into(),
        ));
    }
    if entries.len() > MAX_ENTRIES {
        return Err(Error::Invalid(format!(
            "{} entries; reading lists of up to {MAX_ENTRIES} are supported",
            entries.len()
        )));
    }
    Ok(ParsedFile { format, entries })
}

/// UTF-8 where it is valid; lines that are not are read as Windows-1252 (the usual
/// other encoding of exported bibliographies), so a file mixing both keeps every line.
fn decode(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(|line| match std::str::from_utf8(line) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(line)
                .0
                .into_owned(),
        })
        .collect()
}

/// Fills `entry` from identifier-bearing text (URLs, journal lines, notes).
fn scan_into(entry: &mut Entry, text: &str) {
    for found in ids::find_ids(text) {
        match found {
            ids::FoundId::Arxiv(id, _) if entry.arxiv.is_none() => entry.arxiv = Some(id),
            ids::FoundId::Doi(d, _) if entry.doi.is_none() => entry.doi = Some(d),
            _ => {}
        }
    }
}

/// Fills `entry` from a DOI field, bare (`10.…`) or as a link.
fn scan_doi(entry: &mut Entry, doi: &str) {
    let d = doi.trim();
    if d.starts_with("10.") {
        scan_into(entry, d);
    } else {
        scan_into(entry, &format!("https://doi.org/{d}"));
    }
}

#[cfg(test)]
mod tests;
