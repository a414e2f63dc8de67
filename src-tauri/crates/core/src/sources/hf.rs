//! Hugging Face Daily Papers: pure parsers over the JSON of `GET /api/daily_papers`
//! and `GET /api/papers/{arxiv_id}`, the client that asks for them, and the daily sync.
//!
//! An item that lacks what a paper needs (an arXiv id, a title) is skipped with a
//! reason; the rest of the page is kept. Text is kept as data: nothing here interprets
//! markup.

use super::fetch::{Endpoint, FetchPolicy};
use super::{BoxFuture, Page, Sink, SourceError, Stop};
use crate::day::format_day;
use crate::model::{normalize_whitespace, ArxivId, Link, PaperInput, Source};
use serde::Deserialize;

/// Daily Papers returns at most this many items per page.
const PAGE: usize = 100;

/// The Hugging Face paper API at one base URL.
pub struct Client {
    api: Endpoint,
}

impl Client {
    /// A client for `base` (`https://huggingface.co`, a mirror, a test server).
    pub fn new(base: &str, policy: FetchPolicy) -> Client {
        Client {
            api: Endpoint::new(base, policy),
        }
    }

    /// One page of the Daily Papers of `date` (`YYYY-MM-DD`), parsed.
    pub async fn daily_papers(&self, date: &str, page: usize) -> Result<Page, SourceError> {
        let path = format!("/api/daily_papers?date={date}&p={page}&limit={PAGE}");
        parse_daily_papers(&self.api.get(&path).await?)
    }

    /// The paper with this arXiv id, as Hugging Face knows it.
    pub async fn paper(&self, arxiv_id: &str) -> Result<PaperInput, SourceError> {
        parse_paper(&self.api.get(&format!("/api/papers/{arxiv_id}")).await?)
    }
}

/// Daily Papers as a sync source: every day of the last `days`, from the day after the
/// last complete one. The cursor is that day; today is never complete.
pub struct DailyPapers {
    /// The client.
    pub client: Client,
    /// How many days back, today included.
    pub days: u32,
}

impl super::Source for DailyPapers {
    fn name(&self) -> &'static str {
        "hf"
    }

    fn sync<'a>(&'a self, today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>> {
        Box::pin(async move {
            for day in super::days_to_fetch(sink.cursor(), today, self.days) {
                let date = format_day(day);
                for p in 0.. {
                    sink.fetching(format!("{date} page {}", p + 1));
                    let mut page = self.client.daily_papers(&date, p).await?;
                    sink.answered();
                    let last = page.items_seen < PAGE;
                    for s in &mut page.skipped {
                        *s = format!("{date}: {s}");
                    }
                    sink.store(page).await?;
                    if last {
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DailyItem {
    paper: Option<HfPaper>,
    num_comments: Option<i64>,
    // Item-level title/summary repeat the paper's; used only when the paper's are empty.
    title: Option<String>,
    summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HfPaper {
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    authors: Vec<HfAuthor>,
    published_at: Option<String>,
    submitted_on_daily_at: Option<String>,
    upvotes: Option<i64>,
    github_repo: Option<String>,
    github_stars: Option<i64>,
    project_page: Option<String>,
    // These two are snake_case in the API.
    #[serde(rename = "ai_summary")]
    ai_summary: Option<String>,
    #[serde(rename = "ai_keywords", default)]
    ai_keywords: Vec<String>,
    num_comments: Option<i64>,
}

#[derive(Deserialize)]
struct HfAuthor {
    name: Option<String>,
}

fn https_only(url: Option<String>) -> Option<String> {
    url.map(|u| u.trim().to_string())
        .filter(|u| u.starts_with("https://") && !u.contains(char::is_whitespace))
}

fn to_input(
    p: HfPaper,
    item_title: Option<String>,
    item_summary: Option<String>,
    comments: Option<i64>,
) -> Result<PaperInput, String> {
    let raw_id = p.id.ok_or("item without paper.id")?;
    let arxiv = ArxivId::parse(&raw_id).ok_or_else(|| format!("'{raw_id}' is not an arXiv id"))?;
    let title = normalize_whitespace(p.title.or(item_title).as_deref().unwrap_or(""));
    if title.is_empty() {
        return Err(format!("paper {raw_id} has no title"));
    }
    let id = arxiv.id().to_string();
    let mut links = arxiv.links();
    links.push(Link {
        kind: "hf".into(),
        url: format!("https://huggingface.co/papers/{id}"),
    });
    if let Some(code) = https_only(p.github_repo) {
        links.push(Link {
            kind: "code".into(),
            url: code,
        });
    }
    if let Some(page) = https_only(p.project_page) {
        links.push(Link {
            kind: "project".into(),
            url: page,
        });
    }
    let authors: Vec<String> = p
        .authors
        .into_iter()
        .filter_map(|a| a.name.map(|n| normalize_whitespace(&n)))
        .filter(|n| !n.is_empty())
        .collect();
    Ok(PaperInput {
        key: id,
        arxiv: Some(arxiv),
        title,
        abstract_text: normalize_whitespace(p.summary.or(item_summary).as_deref().unwrap_or("")),
        author_count: authors.len() as u32,
        authors,
        published: p.published_at.and_then(|d| d.get(..10).map(str::to_string)),
        sources: vec![Source::Hf],
        upvotes: p.upvotes,
        links,
        ai_summary: p
            .ai_summary
            .map(|s| normalize_whitespace(&s))
            .filter(|s| !s.is_empty()),
        ai_keywords: p
            .ai_keywords
            .iter()
            .map(|k| normalize_whitespace(k))
            .filter(|k| !k.is_empty())
            .collect(),
        github_stars: p.github_stars,
        num_comments: comments.or(p.num_comments),
        hf_date: p
            .submitted_on_daily_at
            .and_then(|d| d.get(..10).map(str::to_string)),
        ..Default::default()
    })
}

/// Parses one page of `GET /api/daily_papers`.
pub fn parse_daily_papers(body: &[u8]) -> Result<Page, SourceError> {
    let items: Vec<serde_json::Value> = serde_json::from_slice(body).map_err(|e| {
        SourceError::Malformed(format!("Daily Papers response is not a JSON list: {e}"))
    })?;
    let mut page = Page {
        items_seen: items.len(),
        ..Default::default()
    };
    for (i, raw) in items.into_iter().enumerate() {
        let parsed = serde_json::from_value::<DailyItem>(raw)
            .map_err(|e| e.to_string())
            .and_then(|item| {
                let paper = item.paper.ok_or("item without a paper")?;
                to_input(paper, item.title, item.summary, item.num_comments)
            });
        match parsed {
            Ok(p) => page.papers.push(p),
            Err(reason) => page.skipped.push(format!("item {}: {reason}", i + 1)),
        }
    }
    Ok(page)
}

/// Parses `GET /api/papers/{arxiv_id}`.
pub fn parse_paper(body: &[u8]) -> Result<PaperInput, SourceError> {
    let p: HfPaper = serde_json::from_slice(body).map_err(|e| {
        SourceError::Malformed(format!("paper response is not the expected JSON: {e}"))
    })?;
    to_input(p, None, None, None).map_err(SourceError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sources::fixture;

    #[test]
    fn daily_papers_page_maps_every_field() {
        let page = parse_daily_papers(&fixture("hf_api_daily_papers_sample.json")).unwrap();
        assert_eq!(page.items_seen, 2);
        assert!(page.skipped.is_empty(), "{:?}", page.skipped);
        let p = &page.papers[0];
        assert_eq!(p.key, "2608.09888");
        assert_eq!(
            p.title,
            "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning"
        );
        assert!(p
            .abstract_text
            .starts_with("We introduce BDH-CQ, a reasoning model"));
        assert_eq!(p.authors[0], "Björn Engdahl");
        assert_eq!(p.author_count as usize, p.authors.len());
        // paper.publishedAt (the arXiv date), not the item's.
        assert_eq!(p.published.as_deref(), Some("2026-08-10"));
        assert_eq!(p.hf_date.as_deref(), Some("2026-08-11"));
        assert_eq!(p.upvotes, Some(781));
        assert_eq!(p.num_comments, Some(6));
        assert_eq!(p.github_stars, Some(11184));
        assert!(p
            .ai_summary
            .as_deref()
            .unwrap()
            .starts_with("A 150M-parameter reasoning model"));
        assert!(!p.ai_keywords.is_empty());
        assert_eq!(p.sources, vec![Source::Hf]);
        let kinds: Vec<&str> = p.links.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, vec!["abs", "pdf", "hf", "code", "project"]);
        assert_eq!(p.links[3].url, "https://github.com/pathwaycom/arc-task-gen");
    }

    #[test]
    fn single_paper_endpoint() {
        let p = parse_paper(&fixture("hf_api_papers_2608.09888.json")).unwrap();
        assert_eq!(p.key, "2608.09888");
        // Captured a little later than the daily list: one more upvote.
        assert_eq!(p.upvotes, Some(782));
        assert!(p.authors.len() >= 3);
    }

    #[test]
    fn bad_items_are_skipped_and_the_rest_kept() {
        let body = br#"[
            {"paper": {"id": "2401.00001", "title": "Good", "summary": "ok", "authors": [{"name": "A"}], "publishedAt": "2024-01-02T00:00:00.000Z"}},
            {"paper": {"title": "No id"}},
            {"paper": {"id": "not-an-id", "title": "Bad id"}},
            {"title": "no paper"},
            {"paper": {"id": "2401.00002", "title": "   "}},
            {"paper": {"id": "2401.00003", "title": "Hostile link", "githubRepo": "javascript:alert(1)"}}
        ]"#;
        let page = parse_daily_papers(body).unwrap();
        assert_eq!(page.items_seen, 6);
        let keys: Vec<&str> = page.papers.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, vec!["2401.00001", "2401.00003"]);
        assert_eq!(page.skipped.len(), 4);
        assert!(
            page.skipped[0].starts_with("item 2: item without paper.id"),
            "{:?}",
            page.skipped
        );
        assert!(
            !page.papers[1].links.iter().any(|l| l.kind == "code"),
            "only https links are kept"
        );
    }

    #[test]
    fn malformed_and_truncated_bodies_are_errors() {
        let full = fixture("hf_api_daily_papers_sample.json");
        for body in [
            &full[..full.len() / 2],
            b"<html>oops</html>".as_slice(),
            b"{}".as_slice(),
        ] {
            let err = parse_daily_papers(body).unwrap_err();
            assert!(matches!(err, SourceError::Malformed(_)), "{err}");
        }
        assert_eq!(parse_daily_papers(b"[]").unwrap().papers.len(), 0);
    }
}
