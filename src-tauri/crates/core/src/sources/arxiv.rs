//! arXiv: pure parsers over Atom XML — the API (`export.arxiv.org/api/query`, used for
//! `id_list` look-ups and back-fill) and the listing feeds (`rss.arxiv.org/atom/…`,
//! what is new each day, with `announce_type` new / cross / replace / replace-cross).
//!
//! Entries lacking an id or title are skipped with a reason; an API error entry or
//! unparsable XML is an error for the page.
//!
//! Also here: the client that builds arXiv's URLs (listings, searches, `id_list`), and
//! the sync source, which reads the day's listing and plans the API back-fill from
//! what earlier syncs covered.

use super::fetch::{FetchPolicy, Fetcher};
use super::{BoxFuture, Page, Sink, SourceError, Stop};
use crate::day::{format_day, parse_day};
use crate::model::{normalize_whitespace, ArxivId, Doi, PaperInput, Source};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
    /// The published version's DOI, which the authors gave arXiv.
    #[serde(rename = "doi", alias = "arxiv:doi")]
    doi: Option<String>,
    #[serde(rename = "journal_ref", alias = "arxiv:journal_ref")]
    journal_ref: Option<String>,
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
    let mut links = arxiv.links();
    // arXiv's DOI field may hold several, separated by spaces.
    let doi = e
        .doi
        .as_deref()
        .and_then(|d| d.split_whitespace().find_map(Doi::parse));
    if let Some(d) = &doi {
        links.push(crate::model::Link {
            kind: "doi".into(),
            url: d.url(),
        });
    }
    let journal = e
        .journal_ref
        .map(|j| normalize_whitespace(&j))
        .filter(|j| !j.is_empty());
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
            doi,
            journal,
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

/// arXiv API page size for back-fill.
const API_PAGE: usize = 200;
/// The arXiv API serves at most this many results of one query.
const MAX_RESULTS: usize = 30_000;
/// A back-fill asks for at most this many days per query: a month of even the busiest
/// categories stays far below [`MAX_RESULTS`] (all of arXiv is about 25,000 a month). A
/// window that still reports more is halved, down to a week.
const WINDOW_DAYS: i64 = 30;
/// Windows are not halved below this: a week of any category set is far below the cap.
const MIN_WINDOW_DAYS: i64 = 7;
/// The listing feed shows one announcement day; a gap longer than this since the last
/// sync is not filled (the user can ask for a back-fill instead).
const MAX_GAP_DAYS: i64 = 14;

/// arXiv's API and listing feeds.
pub struct Client {
    api_url: reqwest::Url,
    feed_url: String,
    fetcher: Fetcher,
}

impl Client {
    /// A client for the API query URL and the listing-feed base URL. `policy` should
    /// keep arXiv's 3 s between requests (`min_interval`).
    pub fn new(api_url: &str, feed_url: &str, policy: FetchPolicy) -> crate::Result<Client> {
        let api_url = reqwest::Url::parse(api_url)
            .map_err(|e| crate::Error::Invalid(format!("bad arXiv API URL {api_url}: {e}")))?;
        Ok(Client {
            api_url,
            feed_url: feed_url.trim_end_matches('/').to_string(),
            fetcher: Fetcher::new(policy),
        })
    }

    async fn query(&self, pairs: &[(&str, &str)]) -> Result<ArxivPage, SourceError> {
        let mut url = self.api_url.clone();
        url.query_pairs_mut().extend_pairs(pairs);
        parse_atom(&self.fetcher.get(url.as_str()).await?)
    }

    /// The latest announcement listing of these categories.
    pub async fn listing(&self, categories: &[String]) -> Result<ArxivPage, SourceError> {
        let url = format!("{}/{}", self.feed_url, categories.join("+"));
        parse_atom(&self.fetcher.get(&url).await?)
    }

    /// Papers of these categories submitted between two days (both included), newest
    /// first, `API_PAGE` from result `start`.
    pub async fn submitted(
        &self,
        categories: &[String],
        from: i64,
        to: i64,
        start: usize,
    ) -> Result<ArxivPage, SourceError> {
        let cats: Vec<String> = categories.iter().map(|c| format!("cat:{c}")).collect();
        let query = format!(
            "({}) AND submittedDate:[{}0000 TO {}2359]",
            cats.join(" OR "),
            format_day(from).replace('-', ""),
            format_day(to).replace('-', "")
        );
        self.query(&[
            ("search_query", query.as_str()),
            ("sortBy", "submittedDate"),
            ("sortOrder", "descending"),
            ("start", &start.to_string()),
            ("max_results", &API_PAGE.to_string()),
        ])
        .await
    }

    /// The papers with these ids (arXiv answers up to a few hundred per request).
    pub async fn by_ids(&self, ids: &[String]) -> Result<ArxivPage, SourceError> {
        self.query(&[
            ("id_list", ids.join(",").as_str()),
            ("max_results", &ids.len().to_string()),
        ])
        .await
    }
}

/// A range cut into windows of at most [`WINDOW_DAYS`] days, newest first.
fn windows(from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut end = to;
    while end >= from {
        let start = (end - WINDOW_DAYS + 1).max(from);
        out.push((start, end));
        end = start - 1;
    }
    out
}

/// What the arXiv API has covered, kept as the arXiv sync cursor (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Coverage {
    /// Categories the coverage holds for.
    categories: Vec<String>,
    /// First day back-filled for all of them (`None`: listings only).
    from: Option<String>,
    /// Day of the last sync.
    to: String,
}

/// One arXiv API query: categories and submission days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ApiRange {
    categories: Vec<String>,
    from: i64,
    to: i64,
}

/// Which API queries a sync needs, given what earlier syncs covered: the gap since the
/// last sync (the feed only shows the latest announcement), the back-fill for newly
/// added categories, and a deeper back-fill when the user raised the depth. Returns the
/// queries and the coverage to store once they succeed.
fn plan(
    prev: Option<&Coverage>,
    categories: &[String],
    backfill_days: u32,
    today: i64,
) -> (Vec<ApiRange>, Coverage) {
    let want_from = (backfill_days > 0).then(|| today - i64::from(backfill_days) + 1);
    let prev_cats: BTreeSet<&str> = prev
        .map(|p| p.categories.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let (old, new): (Vec<String>, Vec<String>) = categories
        .iter()
        .cloned()
        .partition(|c| prev_cats.contains(c.as_str()));
    let mut ranges = Vec::new();
    if let (Some(w), false) = (want_from, new.is_empty()) {
        ranges.push(ApiRange {
            categories: new.clone(),
            from: w,
            to: today,
        });
    }
    let mut old_ranges: Vec<(i64, i64)> = Vec::new();
    if let Some(p) = prev.filter(|_| !old.is_empty()) {
        let prev_to = parse_day(&p.to).unwrap_or(today);
        let prev_from = p.from.as_deref().and_then(parse_day);
        if prev_to < today {
            // Overlap two days: papers submitted then may be announced later.
            old_ranges.push(((prev_to - 1).max(today - MAX_GAP_DAYS + 1), today));
        }
        if let Some(w) = want_from {
            let covered_from = prev_from.unwrap_or(today + 1);
            if w < covered_from {
                old_ranges.push((w, (covered_from - 1).min(today)));
            }
        }
    }
    old_ranges.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (f, t) in old_ranges {
        match merged.last_mut() {
            Some(last) if f <= last.1 + 1 => last.1 = last.1.max(t),
            _ => merged.push((f, t)),
        }
    }
    ranges.extend(merged.into_iter().map(|(from, to)| ApiRange {
        categories: old.clone(),
        from,
        to,
    }));
    let prev_from = prev.and_then(|p| p.from.as_deref()).and_then(parse_day);
    let from = match (want_from, new.is_empty()) {
        (Some(w), true) => Some(prev_from.map_or(w, |f| f.min(w))),
        (Some(w), false) => Some(w),
        (None, true) => prev_from,
        (None, false) => None,
    };
    let coverage = Coverage {
        categories: categories.to_vec(),
        from: from.map(format_day),
        to: format_day(today),
    };
    (ranges, coverage)
}

/// arXiv as a sync source: the day's listing of the categories, then the API queries
/// [`plan`] asks for, in windows, newest first.
pub struct Listings {
    /// The client.
    pub client: Client,
    /// Categories to follow (`cs.LG`, `hep-th`, …).
    pub categories: Vec<String>,
    /// Back-fill depth in days (0: listings only).
    pub backfill_days: u32,
}

impl super::Source for Listings {
    fn name(&self) -> &'static str {
        "arxiv"
    }

    fn sync<'a>(&'a self, today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>> {
        Box::pin(async move {
            if self.categories.is_empty() {
                return Ok(());
            }
            sink.fetching("new listings".into());
            let page = self.client.listing(&self.categories).await?;
            sink.answered();
            sink.store(page.page).await?;

            let prev: Option<Coverage> = sink.cursor().and_then(|c| serde_json::from_str(c).ok());
            let (ranges, coverage) =
                plan(prev.as_ref(), &self.categories, self.backfill_days, today);
            // Work list of (categories, from, to), popped newest first.
            let mut work: Vec<(&[String], i64, i64)> = Vec::new();
            for range in ranges.iter().rev() {
                for (from, to) in windows(range.from, range.to).into_iter().rev() {
                    work.push((&range.categories, from, to));
                }
            }
            'window: while let Some((categories, from, to)) = work.pop() {
                let mut start = 0;
                loop {
                    sink.fetching(format!(
                        "{} to {}, from result {start}",
                        format_day(from),
                        format_day(to)
                    ));
                    let page = self.client.submitted(categories, from, to, start).await?;
                    sink.answered();
                    if start == 0
                        && to - from + 1 > MIN_WINDOW_DAYS
                        && page.total_results.is_some_and(|t| t > MAX_RESULTS)
                    {
                        // More than the API will page through: halve the window (newer
                        // half first) rather than lose the rest.
                        let mid = from + (to - from) / 2;
                        work.push((categories, from, mid));
                        work.push((categories, mid + 1, to));
                        continue 'window;
                    }
                    let seen = page.page.items_seen;
                    sink.store(page.page).await?;
                    start += seen;
                    if seen == 0
                        || start >= MAX_RESULTS
                        || page.total_results.is_some_and(|t| start >= t)
                    {
                        break;
                    }
                }
            }
            let cursor = serde_json::to_string(&coverage)
                .map_err(|e| crate::Error::Internal(format!("arXiv sync state: {e}")))?;
            sink.save_cursor(cursor).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sources::fixture;

    #[test]
    fn a_long_backfill_is_asked_for_in_windows_newest_first() {
        let (from, to) = (day("2025-07-02"), day("2026-07-01"));
        let w = windows(from, to);
        assert_eq!(w.len(), 13);
        assert_eq!(w[0], (to - 29, to));
        assert_eq!(w.last().unwrap().0, from);
        // Contiguous, no day twice, none longer than the window.
        for pair in w.windows(2) {
            assert_eq!(pair[1].1 + 1, pair[0].0);
        }
        assert!(w.iter().all(|(a, b)| b - a < WINDOW_DAYS && b >= a));
        assert_eq!(windows(to, to), vec![(to, to)]);
        assert_eq!(windows(to - 2, to), vec![(to - 2, to)]);
    }

    fn cats(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    fn day(s: &str) -> i64 {
        parse_day(s).unwrap()
    }

    fn range(c: &[&str], from: &str, to: &str) -> ApiRange {
        ApiRange {
            categories: cats(c),
            from: day(from),
            to: day(to),
        }
    }

    #[test]
    fn arxiv_plan_first_run_and_same_day() {
        let today = day("2026-11-27");
        // Listings only, first run: no API query.
        let (r, cov) = plan(None, &cats(&["cs.LG"]), 0, today);
        assert!(r.is_empty());
        assert_eq!(cov.from, None);
        assert_eq!(cov.to, "2026-11-27");
        // First run with a 7-day back-fill: one query over the window.
        let (r, cov) = plan(None, &cats(&["cs.LG", "cs.CL"]), 7, today);
        assert_eq!(
            r,
            vec![range(&["cs.LG", "cs.CL"], "2026-11-21", "2026-11-27")]
        );
        assert_eq!(cov.from.as_deref(), Some("2026-11-21"));
        // Again the same day: nothing to ask the API.
        let (r2, cov2) = plan(Some(&cov), &cats(&["cs.LG", "cs.CL"]), 7, today);
        assert!(r2.is_empty(), "{r2:?}");
        assert_eq!(cov2, cov);
    }

    #[test]
    fn arxiv_plan_fills_gaps_new_categories_and_deeper_backfill() {
        let prev = Coverage {
            categories: cats(&["cs.LG"]),
            from: Some("2026-11-21".into()),
            to: "2026-11-24".into(),
        };
        let today = day("2026-11-27");
        // Three days away: the gap (with two days' overlap) for the known category.
        let (r, cov) = plan(Some(&prev), &cats(&["cs.LG"]), 7, today);
        assert_eq!(r, vec![range(&["cs.LG"], "2026-11-23", "2026-11-27")]);
        assert_eq!(cov.from.as_deref(), Some("2026-11-21"));
        // A new category gets the whole window; a deeper back-fill adds the older days
        // for the known one, merged with its gap.
        let (r, cov) = plan(Some(&prev), &cats(&["cs.LG", "cs.CV"]), 30, today);
        assert_eq!(
            r,
            vec![
                range(&["cs.CV"], "2026-10-29", "2026-11-27"),
                range(&["cs.LG"], "2026-10-29", "2026-11-20"),
                range(&["cs.LG"], "2026-11-23", "2026-11-27"),
            ]
        );
        assert_eq!(cov.from.as_deref(), Some("2026-10-29"));
        assert_eq!(cov.categories, cats(&["cs.LG", "cs.CV"]));
        // A long absence is capped; a category added without back-fill resets `from`.
        let (r, cov) = plan(
            Some(&prev),
            &cats(&["cs.LG", "cs.CV"]),
            0,
            day("2027-01-31"),
        );
        assert_eq!(r, vec![range(&["cs.LG"], "2027-01-18", "2027-01-31")]);
        assert_eq!(cov.from, None);
    }

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
        let journal_version = &page.page.papers[2];
        assert_eq!(
            journal_version.doi.as_ref().map(Doi::as_str),
            Some("10.1016/j.mechmachtheory.2012.07.003")
        );
        assert_eq!(
            journal_version.journal.as_deref(),
            Some("Mechanism and Machine Theory 57 (2012) 62-70")
        );
        assert_eq!(p.doi, None);
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
