//! arXiv: pure parsers over Atom XML — the API (`export.arxiv.org/api/query`, used for
//! `id_list` look-ups and back-fill) and the listing feeds (`rss.arxiv.org/atom/…`,
//! what is new each day, with `announce_type` new / cross / replace / replace-cross).
//!
//! Entries lacking an id or title are skipped with a reason; an API error entry or
//! unparsable XML is an error for the page.

use super::{Page, SourceError};
use crate::model::{normalize_whitespace, ArxivId, PaperInput, Source};
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct Feed {
    #[serde(rename = "entry", default)]
    entries: Vec<Entry>,
    #[serde(rename = "totalResults", alias = "opensearch:totalResults")]
    total_results: Option<String>,
}

#[derive(Deserialize, Default)]
struct Entry {
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    #[serde(rename = "author", default)]
    authors: Vec<Author>,
    #[serde(rename = "category", default)]
    categories: Vec<Category>,
    #[serde(rename = "primary_category", alias = "arxiv:primary_category")]
    primary_category: Option<Category>,
    #[serde(rename = "announce_type", alias = "arxiv:announce_type")]
    announce_type: Option<String>,
    #[serde(rename = "creator", alias = "dc:creator")]
    creator: Option<String>,
}

#[derive(Deserialize, Default)]
struct Author {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct Category {
    #[serde(rename = "@term")]
    term: Option<String>,
}

/// One parsed feed page, with arXiv's own paging total (API only).
#[derive(Debug, Default)]
pub struct ArxivPage {
    /// The papers and skipped entries.
    pub page: Page,
    /// `opensearch:totalResults`, for paging API queries.
    pub total_results: Option<usize>,
    /// Entries the listing feed marked as replacements (new versions of known papers).
    pub replacements: usize,
}

/// The abstract of a listing-feed summary ("arXiv:… Announce Type: new \nAbstract: …").
fn listing_abstract(summary: &str) -> &str {
    match summary.find("Abstract:") {
        Some(i) if summary.trim_start().starts_with("arXiv:") => &summary[i + "Abstract:".len()..],
        _ => summary,
    }
}

fn entry_to_input(e: Entry) -> Result<(PaperInput, bool), String> {
    let raw_id = e.id.ok_or("entry without <id>")?;
    let id_text = raw_id.trim().trim_start_matches("oai:arXiv.org:");
    let arxiv =
        ArxivId::parse(id_text).ok_or_else(|| format!("'{}' is not an arXiv id", raw_id.trim()))?;
    let title = normalize_whitespace(e.title.as_deref().unwrap_or(""));
    if title.is_empty() {
        return Err(format!("{arxiv} has no title"));
    }
    let abstract_text = normalize_whitespace(listing_abstract(e.summary.as_deref().unwrap_or("")));
    let mut authors: Vec<String> = e
        .authors
        .into_iter()
        .filter_map(|a| a.name.map(|n| normalize_whitespace(&n)))
        .filter(|n| !n.is_empty())
        .collect();
    if authors.is_empty() {
        if let Some(c) = e.creator {
            authors = c
                .split(',')
                .map(normalize_whitespace)
                .filter(|n| !n.is_empty())
                .collect();
        }
    }
    let mut categories: Vec<String> = Vec::new();
    for t in e
        .primary_category
        .into_iter()
        .chain(e.categories)
        .filter_map(|c| c.term)
    {
        let t = t.trim().to_string();
        if !t.is_empty() && !categories.contains(&t) {
            categories.push(t);
        }
    }
    let id = arxiv.id().to_string();
    let links = arxiv.links();
    let replacement = e
        .announce_type
        .as_deref()
        .is_some_and(|t| t.trim().starts_with("replace"));
    Ok((
        PaperInput {
            key: id.clone(),
            author_count: authors.len() as u32,
            authors,
            arxiv: Some(arxiv),
            title,
            abstract_text,
            published: e
                .published
                .and_then(|d| d.trim().get(..10).map(str::to_string)),
            updated: e
                .updated
                .and_then(|d| d.trim().get(..10).map(str::to_string)),
            categories,
            sources: vec![Source::Arxiv],
            links,
            ..Default::default()
        },
        replacement,
    ))
}

/// Parses an arXiv Atom document (API response or listing feed).
pub fn parse_atom(body: &[u8]) -> Result<ArxivPage, SourceError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| SourceError::Malformed(format!("arXiv response is not UTF-8: {e}")))?;
    if !text.contains("<feed") {
        return Err(SourceError::Malformed(
            "arXiv response is not an Atom feed".into(),
        ));
    }
    let feed: Feed = quick_xml::de::from_str(text).map_err(|e| {
        SourceError::Malformed(format!("arXiv response is not valid Atom XML: {e}"))
    })?;
    let mut out = ArxivPage {
        total_results: feed.total_results.and_then(|t| t.trim().parse().ok()),
        ..Default::default()
    };
    out.page.items_seen = feed.entries.len();
    for (i, e) in feed.entries.into_iter().enumerate() {
        // The API reports a bad query as a single entry whose id is an error URL.
        if e.id.as_deref().is_some_and(|id| id.contains("/api/errors")) {
            let msg = normalize_whitespace(e.summary.as_deref().unwrap_or("unknown error"));
            return Err(SourceError::Api(format!("arXiv API error: {msg}")));
        }
        match entry_to_input(e) {
            Ok((p, replacement)) => {
                out.replacements += usize::from(replacement);
                out.page.papers.push(p);
            }
            Err(reason) => out.page.skipped.push(format!("entry {}: {reason}", i + 1)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sources::fixture;

    #[test]
    fn api_response_maps_fields() {
        let page = parse_atom(&fixture("fastpaper_arxiv_search.xml")).unwrap();
        assert_eq!(page.total_results, Some(314000));
        assert_eq!(page.page.items_seen, 3);
        assert!(page.page.skipped.is_empty(), "{:?}", page.page.skipped);
        let p = &page.page.papers[0];
        assert_eq!(p.key, "2002.00741");
        assert_eq!(p.arxiv.as_ref().unwrap().version(), Some(1));
        assert_eq!(
            p.title,
            "Déjà vu: A Contextualized Temporal Attention Mechanism for Sequential Recommendation"
        );
        assert!(p.abstract_text.starts_with("Predicting users' preferences"));
        assert!(!p.abstract_text.contains('\n'));
        assert_eq!(p.authors, vec!["Jibang Wu", "Renqin Cai", "Hongning Wang"]);
        assert_eq!(
            p.categories,
            vec!["cs.IR", "cs.CL", "cs.LG"],
            "primary first, no duplicates"
        );
        assert_eq!(p.published.as_deref(), Some("2020-01-29"));
        assert_eq!(page.page.papers[1].key, "1102.2017");
        assert_eq!(
            page.page.papers[1].arxiv.as_ref().unwrap().version(),
            Some(2)
        );
    }

    #[test]
    fn listing_feed_entry() {
        let page = parse_atom(&fixture("arxiv_atom_listing_from_official_spec.xml")).unwrap();
        assert_eq!(page.page.papers.len(), 1);
        assert_eq!(page.replacements, 1);
        let p = &page.page.papers[0];
        assert_eq!(p.key, "2203.01250");
        assert_eq!(p.arxiv.as_ref().unwrap().version(), Some(3));
        assert!(
            p.abstract_text
                .starts_with("We consider first order local minimization problems"),
            "{}",
            p.abstract_text
        );
        assert_eq!(p.authors, vec!["Antonin Monteil", "Paul Pegon"]);
        assert_eq!(p.categories, vec!["math.AP", "math.OC"]);
    }

    #[test]
    fn api_error_and_malformed_bodies() {
        let err = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>"#;
        assert!(
            matches!(parse_atom(err), Err(SourceError::Api(m)) if m.contains("incorrect id format"))
        );
        let full = fixture("fastpaper_arxiv_search.xml");
        for body in [
            &full[..full.len() / 2],
            b"<html>busy</html>".as_slice(),
            b"\xff\xfe".as_slice(),
        ] {
            assert!(matches!(parse_atom(body), Err(SourceError::Malformed(_))));
        }
    }

    #[test]
    fn entries_missing_fields_are_skipped() {
        let body = br#"<feed xmlns="http://www.w3.org/2005/Atom">
            <entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Kept &amp; escaped &lt;b&gt;</title><summary>x</summary></entry>
            <entry><title>No id</title></entry>
            <entry><id>http://arxiv.org/abs/2401.00002v1</id></entry>
        </feed>"#;
        let page = parse_atom(body).unwrap();
        assert_eq!(page.page.papers.len(), 1);
        assert_eq!(
            page.page.papers[0].title, "Kept & escaped <b>",
            "entities decoded, markup kept as text"
        );
        assert_eq!(page.page.skipped.len(), 2);
    }
}
