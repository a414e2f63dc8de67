//! Reading paper collections from files: JSON Lines corpora (arXiv listings as in the
//! project's arXiv data set, BEIR `corpus.jsonl`), optionally gzip-compressed, and the
//! built-in starter corpus.
//!
//! Parsing is all-or-nothing: a malformed line is an error naming the file and line, and
//! nothing is imported, so a bad file never leaves half a corpus behind.

use crate::model::{normalize_whitespace, ArxivId, PaperInput, Source};
use crate::{Error, Result};
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The built-in starter corpus (61 Hugging Face Daily Papers entries).
const SEED_JSON: &str = include_str!("../data/seed_papers.json");

#[derive(Deserialize)]
struct SeedEntry {
    title: String,
    #[serde(rename = "abstract")]
    abstract_text: String,
    authors: u32,
    date: String,
    upvotes: i64,
}

/// The starter corpus a new library is filled with, so search works offline at once.
pub fn seed_papers() -> Vec<PaperInput> {
    let entries: Vec<SeedEntry> =
        serde_json::from_str(SEED_JSON).expect("built-in seed corpus is valid");
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| PaperInput {
            key: format!("seed:{:02}", i + 1),
            title: normalize_whitespace(&e.title),
            abstract_text: normalize_whitespace(&e.abstract_text),
            author_count: e.authors,
            published: parse_display_date(&e.date),
            sources: vec![Source::Seed],
            upvotes: Some(e.upvotes),
            ..Default::default()
        })
        .collect()
}

/// Parses dates as Hugging Face shows them ("Apr 19, 2023") into `YYYY-MM-DD`.
pub fn parse_display_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = s.replace(',', " ");
    let mut parts = s.split_whitespace();
    let month = parts.next()?.get(..3)?.to_ascii_lowercase();
    let m = MONTHS.iter().position(|x| *x == month)? + 1;
    let d: u32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    let y: u32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (1900..=2999).contains(y))?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// One line of a corpus file; both supported shapes are read through it.
#[derive(Deserialize)]
struct CorpusLine {
    // BEIR
    #[serde(rename = "_id")]
    beir_id: Option<String>,
    text: Option<String>,
    // arXiv listings
    id: Option<serde_json::Value>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    authors: Option<serde_json::Value>,
    categories: Option<serde_json::Value>,
    first_seen: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    // both
    title: Option<String>,
}

fn string_list(v: Option<serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|x| x.as_str().map(normalize_whitespace))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(serde_json::Value::String(s)) => s
            .split([',', ';'])
            .map(normalize_whitespace)
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn date_only(s: Option<String>) -> Option<String> {
    s.and_then(|s| s.get(..10).map(str::to_string))
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
}

fn parse_line(line: &str) -> std::result::Result<PaperInput, String> {
    let l: CorpusLine =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let title = normalize_whitespace(l.title.as_deref().unwrap_or(""));
    if let Some(id) = l.beir_id {
        let text = normalize_whitespace(l.text.as_deref().unwrap_or(""));
        if title.is_empty() && text.is_empty() {
            return Err(format!("document '{id}' has neither title nor text"));
        }
        return Ok(PaperInput {
            key: id,
            title,
            abstract_text: text,
            sources: vec![Source::Corpus],
            ..Default::default()
        });
    }
    let raw_id = match l.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("missing \"id\" (or BEIR \"_id\")".into()),
    };
    if title.is_empty() {
        return Err(format!("paper '{raw_id}' has no title"));
    }
    let arxiv = ArxivId::parse(&raw_id);
    let links = arxiv.as_ref().map(ArxivId::links).unwrap_or_default();
    let authors = string_list(l.authors);
    Ok(PaperInput {
        key: arxiv.as_ref().map_or(raw_id, |a| a.id().to_string()),
        sources: vec![if arxiv.is_some() {
            Source::Arxiv
        } else {
            Source::Corpus
        }],
        arxiv,
        title,
        abstract_text: normalize_whitespace(l.abstract_text.as_deref().unwrap_or("")),
        author_count: authors.len() as u32,
        authors,
        published: date_only(l.published.or(l.first_seen)),
        updated: date_only(l.updated),
        categories: string_list(l.categories),
        links,
        ..Default::default()
    })
}

/// Reads a JSON Lines corpus (`.jsonl` or `.jsonl.gz`). Blank lines are skipped; any
/// malformed line fails the whole read with its line number.
pub fn read_jsonl(path: &Path) -> Result<Vec<PaperInput>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut out = Vec::new();
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(|e| Error::Parse {
            path: path.into(),
            line: i + 1,
            message: format!("cannot read line ({e}); is this a UTF-8 JSON Lines file?"),
        })?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let paper = parse_line(line).map_err(|message| Error::Parse {
            path: path.into(),
            line: i + 1,
            message,
        })?;
        out.push(paper);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn seed_corpus_parses_with_dates() {
        let seed = seed_papers();
        assert_eq!(seed.len(), 61);
        assert_eq!(seed[0].key, "seed:01");
        assert_eq!(
            seed[0].title,
            "Affective social anthropomorphic intelligent system"
        );
        assert_eq!(seed[0].published.as_deref(), Some("2023-04-19"));
        assert_eq!(seed[0].author_count, 5);
        assert!(seed.iter().all(|p| !p.abstract_text.is_empty()));
        // Hugging Face omits the year for the current year ("Apr 11"): those stay undated.
        assert_eq!(seed.iter().filter(|p| p.published.is_some()).count(), 55);
    }

    #[test]
    fn display_dates() {
        assert_eq!(
            parse_display_date("Mar 26, 2021").as_deref(),
            Some("2021-03-26")
        );
        assert_eq!(
            parse_display_date("September 3, 2026").as_deref(),
            Some("2026-09-03")
        );
        assert_eq!(parse_display_date("Foo 3, 2026"), None);
        assert_eq!(parse_display_date("Mar 40, 2026"), None);
    }

    #[test]
    fn both_line_shapes_and_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let arxiv = r#"{"id": "2503.11932", "title": "SPRINT:\n Tables", "abstract": "Table\nStructure", "authors": ["A B", "C D"], "categories": ["cs.CV"], "first_seen": "2025-03-18"}"#;
        let beir = r#"{"_id": "4983", "title": "Microstructural development", "text": "Alterations of the architecture"}"#;
        let plain = dir.path().join("c.jsonl");
        std::fs::write(&plain, format!("{arxiv}\n\n{beir}\n")).unwrap();
        let gz = dir.path().join("c.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(format!("{arxiv}\n{beir}\n").as_bytes())
            .unwrap();
        enc.finish().unwrap();
        for path in [plain, gz] {
            let papers = read_jsonl(&path).unwrap();
            assert_eq!(papers.len(), 2);
            assert_eq!(papers[0].key, "2503.11932");
            assert_eq!(papers[0].title, "SPRINT: Tables");
            assert_eq!(papers[0].abstract_text, "Table Structure");
            assert_eq!(papers[0].authors, vec!["A B", "C D"]);
            assert_eq!(papers[0].published.as_deref(), Some("2025-03-18"));
            assert_eq!(papers[0].sources, vec![Source::Arxiv]);
            assert_eq!(papers[1].key, "4983");
            assert_eq!(papers[1].abstract_text, "Alterations of the architecture");
            assert_eq!(papers[1].sources, vec![Source::Corpus]);
        }
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.jsonl");
        std::fs::write(
            &path,
            "{\"_id\": \"1\", \"title\": \"ok\", \"text\": \"x\"}\n{\"title\": \"no id\"}\n",
        )
        .unwrap();
        let err = read_jsonl(&path).unwrap_err().to_string();
        assert!(err.contains("bad.jsonl:2:"), "{err}");
        assert!(err.contains("missing \"id\""), "{err}");
        std::fs::write(&path, "not json\n").unwrap();
        assert!(read_jsonl(&path)
            .unwrap_err()
            .to_string()
            .contains("bad.jsonl:1: not a JSON object"));
    }
}
