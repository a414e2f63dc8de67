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

/// The built-in starter corpus: 61 real arXiv papers with ids, authors and categories,
/// built by `scripts/build_starter.py` (where each came from: its `source` field).
const STARTER_JSON: &str = include_str!("../data/starter_papers.json");

#[derive(Deserialize)]
struct StarterEntry {
    id: String,
    title: String,
    #[serde(rename = "abstract")]
    abstract_text: String,
    authors: Vec<String>,
    categories: Vec<String>,
    /// The day the paper was first listed, `YYYY-MM-DD`.
    date: String,
    upvotes: Option<i64>,
    hf_date: Option<String>,
}

/// The starter corpus a new library is filled with, so search works offline at once.
/// Papers are keyed by arXiv id, as a sync keys them, so a first Sync that sees one of
/// them fills in what the starter record lacks instead of adding a duplicate.
pub fn seed_papers() -> Vec<PaperInput> {
    let entries: Vec<StarterEntry> =
        serde_json::from_str(STARTER_JSON).expect("built-in starter corpus is valid");
    entries
        .into_iter()
        .map(|e| {
            let arxiv = ArxivId::parse(&e.id).expect("starter papers have arXiv ids");
            let authors: Vec<String> = e.authors.iter().map(|a| normalize_whitespace(a)).collect();
            PaperInput {
                key: arxiv.id().to_string(),
                links: arxiv.links(),
                arxiv: Some(arxiv),
                title: normalize_whitespace(&e.title),
                abstract_text: normalize_whitespace(&e.abstract_text),
                author_count: authors.len() as u32,
                authors,
                categories: e.categories,
                published: Some(e.date),
                sources: vec![Source::Seed],
                upvotes: e.upvotes,
                hf_date: e.hf_date,
                ..Default::default()
            }
        })
        .collect()
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
    fn starter_corpus_is_complete() {
        let seed = seed_papers();
        assert_eq!(seed.len(), 61);
        // A Daily Papers entry found in the arXiv listings keeps its upvotes and day.
        assert_eq!(seed[0].key, "2504.08269");
        assert!(seed[0]
            .title
            .starts_with("VLMT: Vision-Language Multimodal Transformer"));
        assert_eq!(seed[0].published.as_deref(), Some("2025-04-14"));
        assert_eq!(seed[0].hf_date.as_deref(), Some("2025-04-11"));
        assert_eq!(seed[0].categories, vec!["cs.CV", "cs.CL"]);
        assert_eq!(seed[0].author_count, 4);
        assert_eq!(seed[0].links[0].url, "https://arxiv.org/abs/2504.08269");
        // Every paper has what its card and page show: no empty affordance.
        for p in &seed {
            assert!(!p.abstract_text.is_empty(), "{}", p.key);
            assert!(!p.authors.is_empty(), "{}", p.key);
            assert_eq!(p.author_count as usize, p.authors.len(), "{}", p.key);
            assert!(
                p.published.as_deref().is_some_and(|d| d.len() == 10),
                "{}",
                p.key
            );
            assert!(!p.links.is_empty(), "{}", p.key);
            assert!(!p.categories.is_empty(), "{}", p.key);
        }
        let keys: std::collections::HashSet<_> = seed.iter().map(|p| &p.key).collect();
        assert_eq!(keys.len(), 61);
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
