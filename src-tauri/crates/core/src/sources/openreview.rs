//! OpenReview: a pure parser over API v2 notes (`/notes?content.venueid=VENUE`), the
//! client that asks for a venue's accepted papers a page at a time, and the sync of
//! the venues the user picks (`ICLR.cc/2026/Conference`).
//!
//! The real format: every field sits under `content.NAME.value`; `authors` holds names
//! or, for some records, `{fullname, username}` objects; rejected and withdrawn papers
//! carry a `venueid` ending in `Rejected_Submission` or `Withdrawn_Submission`; dates are
//! milliseconds and some are missing. OpenReview sometimes answers 403 with a browser
//! challenge: the error says so.

use super::fetch::{Endpoint, FetchPolicy};
use super::{BoxFuture, Page, Sink, SourceError, Stop};
use crate::model::{normalize_whitespace, paper_key, Link, PaperInput, Source};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Notes per page.
pub const PAGE: usize = 1000;

#[derive(Deserialize)]
struct Notes {
    notes: Vec<serde_json::Value>,
    count: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Note {
    id: Option<String>,
    forum: Option<String>,
    pdate: Option<i64>,
    odate: Option<i64>,
    cdate: Option<i64>,
    content: BTreeMap<String, Field>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Field {
    value: serde_json::Value,
}

/// One parsed page of notes.
#[derive(Debug, Default)]
pub struct NotesPage {
    /// The accepted papers, and the notes that could not be used.
    pub page: Page,
    /// Notes the query matches in all (for paging).
    pub count: usize,
}

fn text(v: &serde_json::Value) -> Option<String> {
    v.as_str()
        .map(normalize_whitespace)
        .filter(|s| !s.is_empty())
}

fn day(ms: i64) -> Option<String> {
    (ms > 0).then(|| crate::day::format_day(ms.div_euclid(86_400_000)))
}

/// Whether a note's `venueid` is an accepted paper's (not a rejected, withdrawn or
/// desk-rejected submission, nor one still under review).
fn accepted(venueid: &str) -> bool {
    let last = venueid.rsplit('/').next().unwrap_or("");
    !(last.contains("Rejected") || last.contains("Withdrawn") || last == "Submission")
}

fn to_input(n: Note) -> Result<PaperInput, String> {
    let forum = n.forum.or(n.id).ok_or("note without an id")?;
    let get = |k: &str| n.content.get(k).map(|f| &f.value);
    let title = get("title")
        .and_then(text)
        .ok_or(format!("{forum} has no title"))?;
    let authors: Vec<String> = get("authors")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| match x {
                    serde_json::Value::Object(o) => o.get("fullname").and_then(text),
                    other => text(other),
                })
                .collect()
        })
        .unwrap_or_default();
    let keywords: Vec<String> = get("keywords")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default();
    let mut links = vec![Link {
        kind: "openreview".into(),
        url: format!("https://openreview.net/forum?id={forum}"),
    }];
    if let Some(pdf) = get("pdf").and_then(text) {
        let url = if pdf.starts_with('/') {
            Some(format!("https://openreview.net{pdf}"))
        } else {
            pdf.starts_with("https://").then_some(pdf)
        };
        if let Some(url) = url {
            links.push(Link {
                kind: "pdf".into(),
                url,
            });
        }
    }
    Ok(PaperInput {
        key: paper_key(None, None, Some(&forum)).expect("an id makes a key"),
        title,
        abstract_text: get("abstract").and_then(text).unwrap_or_default(),
        author_count: authors.len() as u32,
        authors,
        published: n.pdate.or(n.odate).or(n.cdate).and_then(day),
        categories: keywords,
        sources: vec![Source::Openreview],
        links,
        // The decision as the venue states it ("ICLR 2025 Spotlight").
        journal: get("venue").and_then(text),
        openreview_id: Some(forum),
        ..Default::default()
    })
}

/// Parses a page of API v2 notes, keeping accepted papers only.
pub fn parse_notes(body: &[u8]) -> Result<NotesPage, SourceError> {
    let notes: Notes = serde_json::from_slice(body).map_err(|e| {
        SourceError::Malformed(format!("OpenReview response is not the expected JSON: {e}"))
    })?;
    let mut out = NotesPage {
        count: notes.count.unwrap_or(0) as usize,
        ..Default::default()
    };
    out.page.items_seen = notes.notes.len();
    for (i, raw) in notes.notes.into_iter().enumerate() {
        let note = match serde_json::from_value::<Note>(raw) {
            Ok(n) => n,
            Err(e) => {
                out.page.skipped.push(format!("note {}: {e}", i + 1));
                continue;
            }
        };
        let venueid = note
            .content
            .get("venueid")
            .and_then(|f| f.value.as_str())
            .unwrap_or("")
            .to_string();
        if !accepted(&venueid) {
            continue;
        }
        match to_input(note) {
            Ok(p) => out.page.papers.push(p),
            Err(reason) => out.page.skipped.push(format!("note {}: {reason}", i + 1)),
        }
    }
    Ok(out)
}

/// Checks a venue id the user typed (`ICLR.cc/2026/Conference`).
pub fn check_venue(venue: &str) -> crate::Result<String> {
    let v = venue.trim().trim_matches('/');
    let ok = v.contains('/')
        && v.len() <= 120
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "./_-".contains(c));
    if ok {
        Ok(v.to_string())
    } else {
        Err(crate::Error::Invalid(format!(
            "“{v}” is not an OpenReview venue id (example: ICLR.cc/2026/Conference)"
        )))
    }
}

/// OpenReview's API v2 at one base URL.
pub struct Client {
    api: Endpoint,
}

impl Client {
    /// A client for `base` (`https://api2.openreview.net`, or a test server).
    pub fn new(base: &str, policy: FetchPolicy) -> Client {
        Client {
            api: Endpoint::new(base, policy),
        }
    }

    /// The accepted papers of `venue`, from note `offset` on.
    pub async fn accepted(&self, venue: &str, offset: usize) -> Result<NotesPage, SourceError> {
        let path = format!("/notes?content.venueid={venue}&limit={PAGE}&offset={offset}");
        match self.api.get(&path).await {
            Ok(body) => parse_notes(&body),
            Err(SourceError::Http { status: 403, .. }) => Err(SourceError::Api(
                "OpenReview asked for a browser check (HTTP 403) instead of answering; sync again later"
                    .into(),
            )),
            Err(e) => Err(e),
        }
    }
}

/// The venues the user follows, as a sync source. A venue's accepted papers are read
/// once, page by page (the cursor records the pages read, so a killed sync resumes);
/// a venue read completely is not asked again.
pub struct Venues {
    /// The client.
    pub client: Client,
    /// Venue ids.
    pub venues: Vec<String>,
}

/// How far each venue was read: notes read, or `None` once complete.
type Progress = BTreeMap<String, Option<usize>>;

impl super::Source for Venues {
    fn name(&self) -> &'static str {
        "openreview"
    }

    fn sync<'a>(&'a self, _today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>> {
        Box::pin(async move {
            let mut progress: Progress = sink
                .cursor()
                .and_then(|c| serde_json::from_str(c).ok())
                .unwrap_or_default();
            for venue in &self.venues {
                let mut offset = match progress.get(venue) {
                    Some(None) => continue, // complete
                    Some(Some(n)) => *n,
                    None => 0,
                };
                loop {
                    sink.fetching(format!("{venue} from note {}", offset + 1));
                    let got = self.client.accepted(venue, offset).await?;
                    sink.answered();
                    let seen = got.page.items_seen;
                    sink.store(got.page).await?;
                    offset += seen;
                    let done = seen < PAGE || offset >= got.count;
                    progress.insert(venue.clone(), (!done).then_some(offset));
                    sink.save_cursor(serde_json::to_string(&progress).unwrap_or_default())
                        .await?;
                    if done {
                        break;
                    }
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::fixture;

    #[test]
    fn accepted_notes_with_string_and_object_authors() {
        let got = parse_notes(&fixture("fastpaper_openreview_notes_search.json")).unwrap();
        assert_eq!((got.count, got.page.items_seen), (10000, 6));
        // Two rejected ICLR submissions are not papers to read.
        let keys: Vec<&str> = got.page.papers.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "openreview:iaA07eD0bP",
                "openreview:9TJMTG2bcQ",
                "openreview:YcgDBWhjEF",
                "openreview:Gj5JTAwdoy"
            ]
        );
        let public = &got.page.papers[0];
        assert_eq!(
            public.authors[..2],
            ["Sunil Sahu", "Efstathia Christopoulou"]
        );
        assert_eq!(public.published.as_deref(), Some("2019-07-01"));
        let iclr = &got.page.papers[3];
        assert_eq!(iclr.journal.as_deref(), Some("ICLR 2025 Spotlight"));
        assert_eq!(iclr.openreview_id.as_deref(), Some("Gj5JTAwdoy"));
        assert_eq!(iclr.published.as_deref(), Some("2025-01-22"));
        assert!(iclr.categories.contains(&"music generation".to_string()));
        assert_eq!(
            iclr.links[0].url,
            "https://openreview.net/forum?id=Gj5JTAwdoy"
        );
        assert_eq!(
            iclr.links[1].url,
            "https://openreview.net/pdf/e0b307e9b7220cc8ec5717503ac193aff6bb2737.pdf"
        );
        assert!(!iclr.abstract_text.is_empty());
        assert_eq!(iclr.sources, [Source::Openreview]);
        // A DBLP record's PDF elsewhere is kept when it is https.
        assert!(got.page.papers[1].links[1]
            .url
            .starts_with("https://ieeexplore.ieee.org/"));
    }

    #[test]
    fn odd_and_broken_notes() {
        let body = br#"{"count":3,"notes":[
            {"id":"a1","content":{"title":{"value":"  "},"venueid":{"value":"X.cc/2026/Conference"}}},
            {"content":{"title":{"value":"No id"}}},
            {"id":"c3","content":{"title":{"value":"Desk"},"venueid":{"value":"X.cc/2026/Conference/Desk_Rejected_Submission"}}},
            {"id":"d4","content":{"title":{"value":"Fine"},"authors":{"value":[{"username":"~x"},"B"]},"pdf":{"value":"javascript:alert(1)"}}}
        ]}"#;
        let got = parse_notes(body).unwrap();
        assert_eq!(got.page.papers.len(), 1);
        let p = &got.page.papers[0];
        assert_eq!(
            (p.title.as_str(), p.authors.clone()),
            ("Fine", vec!["B".to_string()])
        );
        assert_eq!(p.links.len(), 1, "only https PDF links");
        assert_eq!(got.page.skipped.len(), 2, "{:?}", got.page.skipped);
        for bad in [
            b"<html>Just a moment...</html>".as_slice(),
            b"{\"notes\":5}",
        ] {
            assert!(matches!(
                parse_notes(bad).unwrap_err(),
                SourceError::Malformed(_)
            ));
        }
        assert_eq!(
            check_venue(" ICLR.cc/2026/Conference/ ").unwrap(),
            "ICLR.cc/2026/Conference"
        );
        assert!(check_venue("ICLR 2026").is_err());
        assert!(check_venue("a/b?x=1").is_err());
    }
}
