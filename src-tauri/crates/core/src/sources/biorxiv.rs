//! bioRxiv and medRxiv: a pure parser over the `details` API
//! (`api.biorxiv.org/details/{server}/{from}/{to}/{cursor}`, 100 records a page), the
//! client that asks it, and the daily sync of the subjects the user follows.
//!
//! The real format has its quirks, all handled here: counts that come as strings
//! (`total`), `funder` as `"NA"` or a list, DOIs under 10.1101 and (from late 2025)
//! 10.64898, a `published` DOI (`"NA"` until the journal version is out), a
//! `"no posts found"` status with HTTP 200 and an empty collection, withdrawn records,
//! one record per version of a preprint, and authors written `Last, F.; Other, A.`.

use super::fetch::{Endpoint, FetchPolicy};
use super::{BoxFuture, Page, Sink, SourceError, Stop};
use crate::day::format_day;
use crate::model::{normalize_whitespace, paper_key, Doi, Link, PaperInput, Source};
use serde::Deserialize;

/// Records per page of the `details` endpoint.
pub const PAGE: usize = 100;

/// Which of the two servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// bioRxiv (biology).
    Biorxiv,
    /// medRxiv (health sciences).
    Medrxiv,
}

impl Server {
    /// The name in the API's path and in sync state.
    pub fn name(self) -> &'static str {
        match self {
            Server::Biorxiv => "biorxiv",
            Server::Medrxiv => "medrxiv",
        }
    }

    fn site(self) -> &'static str {
        match self {
            Server::Biorxiv => "https://www.biorxiv.org",
            Server::Medrxiv => "https://www.medrxiv.org",
        }
    }

    fn source(self) -> Source {
        match self {
            Server::Biorxiv => Source::Biorxiv,
            Server::Medrxiv => Source::Medrxiv,
        }
    }
}

#[derive(Deserialize)]
struct Details {
    #[serde(default)]
    messages: Vec<Message>,
    #[serde(default)]
    collection: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct Message {
    status: Option<String>,
    /// A string in the real API, a number in older documentation.
    total: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Record {
    doi: Option<String>,
    title: Option<String>,
    #[serde(default)]
    authors: String,
    #[serde(rename = "abstract", default)]
    abstract_text: String,
    date: Option<String>,
    version: Option<serde_json::Value>,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    category: String,
    published: Option<String>,
}

/// One parsed page of `details`.
#[derive(Debug, Default)]
pub struct DetailsPage {
    /// The papers (of the followed subjects) and the records that could not be used.
    pub page: Page,
    /// The interval's record count, for paging.
    pub total: usize,
}

/// `Last, F. M.` as `F. M. Last`; names without a comma stay as they are.
fn author_name(raw: &str) -> String {
    let raw = normalize_whitespace(raw);
    match raw.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => raw.trim_matches(',').trim().to_string(),
    }
}

/// A subject as the API writes it (`cell biology`) or as a query asks it
/// (`cell_biology`), compared without case.
fn subject_key(s: &str) -> String {
    normalize_whitespace(&s.replace('_', " ")).to_lowercase()
}

fn to_input(server: Server, r: Record) -> Result<PaperInput, String> {
    let doi = r
        .doi
        .as_deref()
        .and_then(Doi::parse)
        .ok_or("record without a DOI")?;
    let title = normalize_whitespace(r.title.as_deref().unwrap_or(""));
    if title.is_empty() {
        return Err(format!("{doi} has no title"));
    }
    if r.kind.trim().eq_ignore_ascii_case("withdrawn") {
        return Err(format!("{doi} was withdrawn"));
    }
    let authors: Vec<String> = r
        .authors
        .split(';')
        .map(author_name)
        .filter(|a| !a.is_empty())
        .collect();
    let version = match &r.version {
        Some(serde_json::Value::String(s)) => s.trim().parse::<u32>().ok(),
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|v| u32::try_from(v).ok()),
        _ => None,
    };
    let page = match version {
        Some(v) => format!("{}/content/{doi}v{v}", server.site()),
        None => format!("{}/content/{doi}", server.site()),
    };
    let published_doi = r
        .published
        .as_deref()
        .filter(|p| !p.trim().eq_ignore_ascii_case("na"))
        .and_then(Doi::parse)
        .filter(|p| *p != doi);
    let mut links = vec![
        Link {
            kind: server.name().into(),
            url: page.clone(),
        },
        Link {
            kind: "pdf".into(),
            url: format!("{page}.full.pdf"),
        },
    ];
    if let Some(p) = &published_doi {
        links.push(Link {
            kind: "doi".into(),
            url: p.url(),
        });
    }
    let category = normalize_whitespace(&r.category);
    Ok(PaperInput {
        key: paper_key(None, Some(&doi), None).expect("a DOI makes a key"),
        title,
        abstract_text: normalize_whitespace(&r.abstract_text),
        author_count: authors.len() as u32,
        authors,
        published: r
            .date
            .as_deref()
            .and_then(|d| d.get(..10))
            .map(String::from),
        categories: if category.is_empty() {
            Vec::new()
        } else {
            vec![category]
        },
        sources: vec![server.source()],
        links,
        doi: Some(doi),
        other_dois: published_doi.into_iter().collect(),
        ..Default::default()
    })
}

/// Parses one `details` page, keeping the records of `subjects` (all when empty).
pub fn parse_details(
    server: Server,
    body: &[u8],
    subjects: &[String],
) -> Result<DetailsPage, SourceError> {
    let what = match server {
        Server::Biorxiv => "bioRxiv",
        Server::Medrxiv => "medRxiv",
    };
    let d: Details = serde_json::from_slice(body).map_err(|e| {
        SourceError::Malformed(format!("{what} response is not the expected JSON: {e}"))
    })?;
    let msg = d.messages.into_iter().next().unwrap_or_default();
    let status = msg.status.as_deref().map(str::trim).unwrap_or("");
    if status.eq_ignore_ascii_case("no posts found") {
        return Ok(DetailsPage::default());
    }
    if !status.eq_ignore_ascii_case("ok") {
        return Err(SourceError::Api(format!(
            "{what} answered: {}",
            if status.is_empty() {
                "no status"
            } else {
                status
            }
        )));
    }
    let total = match &msg.total {
        Some(serde_json::Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(0) as usize,
        _ => 0,
    };
    let wanted: Vec<String> = subjects.iter().map(|s| subject_key(s)).collect();
    let mut out = DetailsPage {
        total,
        ..Default::default()
    };
    out.page.items_seen = d.collection.len();
    for (i, raw) in d.collection.into_iter().enumerate() {
        let record = match serde_json::from_value::<Record>(raw) {
            Ok(r) => r,
            Err(e) => {
                out.page.skipped.push(format!("record {}: {e}", i + 1));
                continue;
            }
        };
        if !wanted.is_empty() && !wanted.contains(&subject_key(&record.category)) {
            continue;
        }
        match to_input(server, record) {
            Ok(p) => out.page.papers.push(p),
            Err(reason) => out.page.skipped.push(format!("record {}: {reason}", i + 1)),
        }
    }
    Ok(out)
}

/// The `details` API of one server at one base URL.
pub struct Client {
    api: Endpoint,
    server: Server,
}

impl Client {
    /// A client for `base` (`https://api.biorxiv.org`, or a test server).
    pub fn new(base: &str, server: Server, policy: FetchPolicy) -> Client {
        Client {
            api: Endpoint::new(base, policy),
            server,
        }
    }

    /// The records posted from `from` to `to` (`YYYY-MM-DD`), from record `cursor` on.
    pub async fn details(
        &self,
        from: &str,
        to: &str,
        cursor: usize,
        subjects: &[String],
    ) -> Result<DetailsPage, SourceError> {
        let path = format!("/details/{}/{from}/{to}/{cursor}", self.server.name());
        parse_details(self.server, &self.api.get(&path).await?, subjects)
    }
}

/// A server as a sync source: every day of the last `days`, from the day after the
/// last complete one, page by page; the cursor is that day (today is never complete).
pub struct Preprints {
    /// The client.
    pub client: Client,
    /// Subjects to keep (`neuroscience`, `cell biology`); all when empty.
    pub subjects: Vec<String>,
    /// How many days back on the first sync, today included.
    pub days: u32,
}

impl super::Source for Preprints {
    fn name(&self) -> &'static str {
        self.client.server.name()
    }

    fn sync<'a>(&'a self, today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>> {
        Box::pin(async move {
            for day in super::days_to_fetch(sink.cursor(), today, self.days) {
                let date = format_day(day);
                let mut cursor = 0;
                loop {
                    sink.fetching(format!("{date} from record {}", cursor + 1));
                    let mut got = self
                        .client
                        .details(&date, &date, cursor, &self.subjects)
                        .await?;
                    sink.answered();
                    let seen = got.page.items_seen;
                    for s in &mut got.page.skipped {
                        *s = format!("{date}: {s}");
                    }
                    sink.store(got.page).await?;
                    cursor += seen;
                    if seen < PAGE || cursor >= got.total {
                        break;
                    }
                }
                if day < today {
                    sink.save_cursor(date).await?;
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
    fn a_biorxiv_page_maps_every_field() {
        let body = fixture("fastpaper_biorxiv_details_2024_cursor0.json");
        let got = parse_details(Server::Biorxiv, &body, &[]).unwrap();
        assert_eq!(got.total, 60568, "the total comes as a string");
        assert_eq!(got.page.items_seen, 100);
        // Two withdrawn records are skipped, with the reason.
        assert_eq!(got.page.papers.len(), 98);
        assert_eq!(got.page.skipped.len(), 2);
        assert!(got
            .page
            .skipped
            .iter()
            .all(|s| s.ends_with("was withdrawn")));
        let p = &got.page.papers[0];
        assert_eq!(p.key, "doi:10.1101/029900");
        assert_eq!(p.doi.as_ref().map(Doi::as_str), Some("10.1101/029900"));
        assert!(p
            .title
            .starts_with("Adaptation to heavy-metal contaminated environments"));
        assert_eq!(&p.authors[..2], ["K. M. Wright", "A. Gaudinier"]);
        assert_eq!(p.author_count as usize, p.authors.len());
        assert_eq!(p.published.as_deref(), Some("2024-12-16"));
        assert_eq!(p.categories, ["evolutionary biology"]);
        assert_eq!(p.sources, [Source::Biorxiv]);
        assert_eq!(
            p.links[0].url,
            "https://www.biorxiv.org/content/10.1101/029900v3"
        );
        assert_eq!(
            p.links[1].url,
            "https://www.biorxiv.org/content/10.1101/029900v3.full.pdf"
        );
        // Records whose journal version is out carry its DOI.
        let published = got
            .page
            .papers
            .iter()
            .filter(|p| !p.other_dois.is_empty())
            .count();
        assert!(published >= 50, "{published}");
        assert!(got
            .page
            .papers
            .iter()
            .all(|p| !p.abstract_text.is_empty() && !p.abstract_text.contains('\n')));
    }

    #[test]
    fn medrxiv_new_prefixes_funder_lists_and_subjects() {
        let body = fixture("fastpaper_medrxiv_details_2024_cursor0.json");
        let all = parse_details(Server::Medrxiv, &body, &[]).unwrap();
        assert_eq!(all.page.papers.len(), 100);
        assert!(all
            .page
            .papers
            .iter()
            .all(|p| p.sources == [Source::Medrxiv]));
        assert!(all.page.papers[0].links[0]
            .url
            .starts_with("https://www.medrxiv.org/content/10.1101/"));
        let some = parse_details(
            Server::Medrxiv,
            &body,
            &["Infectious_Diseases".into(), "epidemiology".into()],
        )
        .unwrap();
        assert_eq!(some.page.papers.len(), 9 + 8);
        assert_eq!(some.page.items_seen, 100);

        let body = fixture("research_bot_biorxiv_details.json");
        let got = parse_details(Server::Biorxiv, &body, &[]).unwrap();
        assert_eq!(got.page.papers.len(), 3, "{:?}", got.page.skipped);
        assert_eq!(
            got.page.papers[0].doi.as_ref().map(Doi::as_str),
            Some("10.64898/2026.07.13.738145")
        );
    }

    #[test]
    fn no_posts_errors_and_broken_bodies() {
        let none = br#"{"messages":[{"status":"no posts found"}],"collection":[]}"#;
        let got = parse_details(Server::Biorxiv, none, &[]).unwrap();
        assert_eq!((got.page.items_seen, got.total), (0, 0));
        let err = parse_details(
            Server::Biorxiv,
            br#"{"messages":[{"status":"interval not properly formatted"}],"collection":[]}"#,
            &[],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "bioRxiv answered: interval not properly formatted"
        );
        let full = fixture("research_bot_biorxiv_details.json");
        for body in [&full[..full.len() / 2], b"<html>busy</html>".as_slice()] {
            let err = parse_details(Server::Biorxiv, body, &[]).unwrap_err();
            assert!(matches!(err, SourceError::Malformed(_)), "{err}");
        }
        let odd = br#"{"messages":[{"status":"ok","total":3}],"collection":[
            {"doi":"10.1101/2024.01.01.000001","title":"  ","authors":"A, B."},
            {"title":"No DOI"},
            {"doi":"10.1101/2024.01.01.000003","title":"Fine","authors":"Solo;; Two, A.;","version":2,"published":"10.1101/2024.01.01.000003"},
            7
        ]}"#;
        let got = parse_details(Server::Biorxiv, odd, &[]).unwrap();
        assert_eq!(got.total, 3);
        assert_eq!(got.page.papers.len(), 1);
        let p = &got.page.papers[0];
        assert_eq!(p.authors, ["Solo", "A. Two"]);
        assert!(p.other_dois.is_empty(), "its own DOI is not another one");
        assert!(p.links[0].url.ends_with("000003v2"));
        assert_eq!(got.page.skipped.len(), 3, "{:?}", got.page.skipped);
    }
}
