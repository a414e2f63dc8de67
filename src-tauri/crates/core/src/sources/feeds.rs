//! Journal (and any site's) feeds: RSS 1.0 (RDF, with `prism:` and `dc:`), RSS 2.0 and
//! Atom, parsed by `feed-rs`, with what it does not model (a paper's DOI and journal:
//! `prism:doi`, `dc:identifier`, `prism:publicationName`) read in a second pass over
//! the same XML. The client fetches the user's feeds, one request each.
//!
//! Why `feed-rs`: it is the maintained Rust parser that reads every format journals
//! publish (RSS 0.9x/1.0/2.0, Atom, JSON Feed), with their date formats and character
//! encodings, and it keeps items in document order, which the second pass relies on.
//!
//! Feed text is data: markup in titles and descriptions is reduced to its text here,
//! and the window shows text only. An item whose feed carries only a teaser (Nature's
//! "Published online" line, or the title again) gets no abstract, and its card says
//! the abstract is not in the feed.

use super::fetch::{FetchPolicy, Fetcher};
use super::markup::{pieces, unescape, Piece};
use super::{BoxFuture, Page, Sink, SourceError, Stop};
use crate::model::{normalize_whitespace, paper_key, ArxivId, Doi, Link, PaperInput, Source};
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// What the second pass reads of one item.
#[derive(Debug, Default, Clone)]
struct Extra {
    doi: Option<String>,
    identifier: Option<String>,
    publication: Option<String>,
    date: Option<String>,
}

/// The `prism:`/`dc:` fields of the channel and of each item or entry, in order.
fn extras(body: &[u8]) -> (Extra, Vec<Extra>) {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut channel = Extra::default();
    let mut items: Vec<Extra> = Vec::new();
    let mut in_item = false;
    // The field being read, and its text so far.
    let mut field: Option<(&'static str, String)> = None;
    let mut buf = Vec::new();
    // An error ends the scan: feed-rs reports a broken document.
    while let Ok(ev) = reader.read_event_into(&mut buf) {
        match ev {
            Event::Start(e) => {
                let name = e.name();
                let local = name.local_name();
                let prefix = name
                    .prefix()
                    .map(|p| p.as_ref().to_string())
                    .unwrap_or_default();
                field = None;
                match (prefix.as_str(), local.as_ref()) {
                    ("" | "atom", "item" | "entry") => {
                        in_item = true;
                        items.push(Extra::default());
                    }
                    ("prism", "doi") => field = Some(("doi", String::new())),
                    ("dc", "identifier") => field = Some(("identifier", String::new())),
                    ("prism", "publicationName") => field = Some(("publication", String::new())),
                    ("prism", "publicationDate") | ("dc", "date") => {
                        field = Some(("date", String::new()))
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if matches!(e.name().local_name().as_ref(), "item" | "entry") {
                    in_item = false;
                }
                if let Some((f, text)) = field.take() {
                    put(f, text, in_item, &mut channel, &mut items);
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut field {
                    text.push_str(&t.into_inner());
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = &mut field {
                    text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = &mut field {
                    text.push_str(&unescape(&format!("&{};", r.into_inner())));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (channel, items)
}

fn put(f: &str, text: String, in_item: bool, channel: &mut Extra, items: &mut [Extra]) {
    let text = normalize_whitespace(&text);
    if text.is_empty() {
        return;
    }
    let target = match (in_item, items.last_mut()) {
        (true, Some(last)) => last,
        _ => channel,
    };
    let slot = match f {
        "doi" => &mut target.doi,
        "identifier" => &mut target.identifier,
        "publication" => &mut target.publication,
        _ => &mut target.date,
    };
    slot.get_or_insert(text);
}

/// The text of HTML or other markup: tags dropped (the content of `script` and `style`
/// too), block ends as spaces, entities decoded.
pub fn markup_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut skipping: Option<String> = None;
    for piece in pieces(html) {
        match (piece, &skipping) {
            (Piece::Text(t), None) => out.push_str(t),
            (Piece::Text(_), Some(_)) => {}
            (
                Piece::Tag {
                    name,
                    closing: true,
                },
                Some(s),
            ) if *s == name => skipping = None,
            (Piece::Tag { .. }, Some(_)) => {}
            (Piece::Tag { name, closing }, None) => {
                if !closing && (name == "script" || name == "style") {
                    skipping = Some(name);
                } else if matches!(
                    name.as_str(),
                    "p" | "br" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "tr"
                ) {
                    out.push(' ');
                }
            }
        }
    }
    normalize_whitespace(&unescape(&out))
}

/// The first DOI written in `text` (`doi:10.…`, a doi.org link, a bare `10.…/…`).
fn find_doi(text: &str) -> Option<Doi> {
    text.match_indices("10.").find_map(|(i, _)| {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '.') {
            return None;
        }
        let end = text[i..]
            .find(|c: char| c.is_whitespace() || "\"'<>".contains(c))
            .map_or(text.len(), |e| i + e);
        Doi::parse(&text[i..end])
    })
}

/// `Last, F., Other, A. B.` (bioRxiv's one `dc:creator`) as names; other lists as
/// they are.
fn split_authors(names: Vec<String>) -> Vec<String> {
    if names.len() == 1 && names[0].contains("., ") && names[0].matches(',').count() >= 3 {
        return names[0]
            .split("., ")
            .map(|n| {
                let n = n.trim().trim_end_matches('.');
                match n.split_once(',') {
                    Some((last, first)) => format!("{}. {}", first.trim(), last.trim()),
                    None => n.to_string(),
                }
            })
            .filter(|n| !n.trim().is_empty())
            .collect();
    }
    names
}

/// Preprint servers name themselves where a journal would.
fn is_journal(name: &str) -> bool {
    !["biorxiv", "medrxiv", "arxiv"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// The abstract in a feed item's content or description; empty for a teaser.
fn abstract_of(html: &str, title: &str, doi: Option<&Doi>) -> String {
    // Nature and others open with a "Journal, Published online: …; doi:…" paragraph.
    let mut body = html.trim_start();
    if body.starts_with("<p>") {
        if let Some(end) = body.find("</p>") {
            let first = &body[..end];
            let rest = &body[end + 4..];
            let cites = doi.is_some_and(|d| first.to_lowercase().contains(d.as_str()));
            if first.contains("Published online") || (cites && !rest.trim().is_empty()) {
                body = rest;
            }
        }
    }
    let text = markup_to_text(body);
    let same_as_title = normalize_whitespace(&text).eq_ignore_ascii_case(title);
    if same_as_title || text.chars().count() < 80 {
        String::new()
    } else {
        text
    }
}

/// One parsed feed: its title and the items as papers.
#[derive(Debug, Default)]
pub struct FeedPage {
    /// The feed's own title.
    pub title: Option<String>,
    /// The items as papers, and the items that could not be used.
    pub page: Page,
}

fn https(url: &str) -> Option<String> {
    let url = url.trim();
    let url = match url.strip_prefix("http://") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    let parsed = reqwest::Url::parse(&url).ok()?;
    (parsed.scheme() == "https" && parsed.has_host()).then_some(url)
}

/// Parses a feed document (RSS 1.0, RSS 2.0, Atom or JSON Feed).
pub fn parse_feed(body: &[u8]) -> Result<FeedPage, SourceError> {
    let feed = feed_rs::parser::parse(body)
        .map_err(|e| SourceError::Malformed(format!("not a feed (RSS or Atom): {e}")))?;
    let (channel, extras) = extras(body);
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| markup_to_text(&t.content))
        .filter(|t| !t.is_empty());
    let mut out = FeedPage {
        title: feed_title.clone(),
        ..Default::default()
    };
    out.page.items_seen = feed.entries.len();
    let aligned = extras.len() == feed.entries.len();
    for (i, e) in feed.entries.into_iter().enumerate() {
        let extra = if aligned {
            extras[i].clone()
        } else {
            Extra::default()
        };
        let title = e
            .title
            .as_ref()
            .map(|t| markup_to_text(&t.content))
            .unwrap_or_default();
        if title.is_empty() {
            out.page.skipped.push(format!("item {}: no title", i + 1));
            continue;
        }
        let link = e.links.iter().find_map(|l| https(&l.href));
        let html = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let doi = [
            extra.doi.as_deref(),
            extra.identifier.as_deref(),
            link.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(|t| Doi::parse(t).or_else(|| find_doi(t)))
        .or_else(|| find_doi(&html));
        let arxiv = link
            .as_deref()
            .filter(|l| l.contains("arxiv.org/"))
            .and_then(ArxivId::parse)
            .or_else(|| doi.as_ref().and_then(Doi::arxiv));
        let key = paper_key(arxiv.as_ref(), doi.as_ref(), None)
            .or_else(|| link.as_ref().map(|l| format!("url:{l}")));
        let Some(key) = key else {
            out.page
                .skipped
                .push(format!("item {}: no DOI and no https link", i + 1));
            continue;
        };
        let authors = split_authors(
            e.authors
                .iter()
                .filter_map(|a| a.name.as_deref())
                .map(|n| normalize_whitespace(&markup_to_text(n)))
                .filter(|a| !a.is_empty())
                .collect(),
        );
        let published = e
            .published
            .or(e.updated)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .or_else(|| {
                extra
                    .date
                    .as_deref()
                    .and_then(|d| d.get(..10))
                    .map(String::from)
            });
        let journal = extra
            .publication
            .or(channel.publication.clone())
            .or(feed_title.clone())
            .filter(|j| is_journal(j));
        let mut links = Vec::new();
        if let Some(l) = &link {
            links.push(Link {
                kind: "page".into(),
                url: l.clone(),
            });
        }
        if let Some(d) = &doi {
            links.push(Link {
                kind: "doi".into(),
                url: d.url(),
            });
        }
        out.page.papers.push(PaperInput {
            key,
            abstract_text: abstract_of(&html, &title, doi.as_ref()),
            title,
            author_count: authors.len() as u32,
            authors,
            published,
            categories: e
                .categories
                .iter()
                .map(|c| normalize_whitespace(&c.term))
                .filter(|c| !c.is_empty())
                .collect(),
            sources: vec![Source::Feed],
            links,
            arxiv,
            doi,
            journal,
            ..Default::default()
        });
    }
    Ok(out)
}

/// Checks a feed address the user typed: an http(s) URL, returned trimmed.
pub fn check_url(url: &str) -> crate::Result<String> {
    let u = url.trim();
    if super::fetch::is_http_url(u) {
        Ok(u.to_string())
    } else {
        Err(crate::Error::Invalid(format!(
            "“{u}” is not a feed address (an http or https URL)"
        )))
    }
}

/// The feeds the user follows, as a sync source: each is asked once per sync and its
/// items stored (a feed shows its latest items; storing them again changes nothing).
/// The cursor keeps each feed's title, for the feed list.
pub struct Feeds {
    /// Feed addresses.
    pub urls: Vec<String>,
    /// Timeouts and retries.
    pub fetcher: Fetcher,
}

impl Feeds {
    /// The feeds at `urls`.
    pub fn new(urls: Vec<String>, policy: FetchPolicy) -> Feeds {
        Feeds {
            urls,
            fetcher: Fetcher::new(policy),
        }
    }
}

/// Feed titles by address, as the `feeds` cursor keeps them.
pub fn titles(cursor: Option<&str>) -> BTreeMap<String, String> {
    cursor
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default()
}

impl super::Source for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn sync<'a>(&'a self, _today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>> {
        Box::pin(async move {
            let mut known = titles(sink.cursor());
            let mut failed: Vec<SourceError> = Vec::new();
            for url in &self.urls {
                sink.fetching(url.clone());
                let got = match self.fetcher.get(url).await {
                    Ok(body) => parse_feed(&body),
                    Err(e) => Err(e),
                };
                sink.answered();
                match got {
                    Ok(mut feed) => {
                        if let Some(t) = feed.title.take() {
                            known.insert(url.clone(), t);
                        }
                        for s in &mut feed.page.skipped {
                            *s = format!("{url}: {s}");
                        }
                        sink.store(feed.page).await?;
                    }
                    Err(e) => {
                        sink.store(Page {
                            skipped: vec![format!("{url}: {e}")],
                            ..Default::default()
                        })
                        .await?;
                        failed.push(e);
                    }
                }
            }
            let cursor = serde_json::to_string(&known).unwrap_or_default();
            sink.save_cursor(cursor).await?;
            // A feed that failed is reported; the others' papers are kept.
            match failed.into_iter().next() {
                Some(e) if self.urls.len() == 1 => Err(e.into()),
                Some(e) => Err(SourceError::Api(format!("a feed failed: {e}")).into()),
                None => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::fixture;

    #[test]
    fn a_journal_feed_in_rss_1_with_prism() {
        let f = parse_feed(&fixture("nature_medicine_rss1.rdf")).unwrap();
        assert_eq!(f.title.as_deref(), Some("Nature Medicine"));
        assert_eq!(f.page.items_seen, 8);
        assert_eq!(f.page.papers.len(), 8, "{:?}", f.page.skipped);
        let p = &f.page.papers[1];
        assert_eq!(p.key, "doi:10.1038/s41591-026-04633-x");
        assert_eq!(
            p.title,
            "From algorithms to patient outcomes — lessons from one of the first randomized trials of AI in medicine"
        );
        assert_eq!(p.authors, ["Kristina Lång"]);
        assert_eq!(p.journal.as_deref(), Some("Nature Medicine"));
        assert_eq!(p.published.as_deref(), Some("2026-09-07"));
        assert!(
            p.abstract_text
                .starts_with("The first generation of medical artificial intelligence"),
            "the 'Published online' line is not the abstract: {}",
            p.abstract_text
        );
        assert_eq!(
            p.links[0].url,
            "https://www.nature.com/articles/s41591-026-04633-x"
        );
        assert_eq!(p.links[1].url, "https://doi.org/10.1038/s41591-026-04633-x");
        assert_eq!(p.sources, [Source::Feed]);
        // A teaser (the title again) is no abstract.
        assert_eq!(f.page.papers[0].abstract_text, "");
        // One item has no dc:creator.
        assert!(f.page.papers.iter().any(|p| p.authors.is_empty()));
        assert!(f.page.papers.iter().all(|p| p.doi.is_some()));
    }

    #[test]
    fn a_biorxiv_subject_feed() {
        let f = parse_feed(&fixture("biorxiv_genomics_rss1.xml")).unwrap();
        assert_eq!(
            f.title.as_deref(),
            Some("bioRxiv Subject Collection: Genomics")
        );
        let p = &f.page.papers[0];
        assert_eq!(p.key, "doi:10.1101/2023.12.16.571984", "from dc:identifier");
        assert!(p
            .title
            .starts_with("Complete genome of the Medicago anthracnose fungus"));
        assert_eq!(&p.authors[..3], ["N. LAPALU", "A. SIMON", "A. Lu"]);
        assert_eq!(p.authors.last().unwrap(), "R. J. O'Connell");
        assert_eq!(p.journal, None, "bioRxiv is not a journal");
        assert_eq!(p.published.as_deref(), Some("2023-12-16"));
        assert!(p
            .abstract_text
            .starts_with("Colletotrichum destructivum (Cd)"));
        assert!(p.links[0]
            .url
            .starts_with("https://biorxiv.org/cgi/content/short/"));
    }

    #[test]
    fn rss_2_and_atom_with_markup_that_stays_text() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Lab &amp; Co blog</title>
          <item><title>A &lt;i&gt;new&lt;/i&gt; result</title><link>https://lab.example.org/posts/1</link>
          <description>&lt;p&gt;We show &lt;b&gt;bold&lt;/b&gt; things.&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; Long enough to be an abstract, with doi:10.5555/ABC.123 inside.&lt;/p&gt;</description>
          <pubDate>Tue, 01 Sep 2026 10:00:00 GMT</pubDate></item>
          <item><title>No link, no DOI</title></item>
          <item><description>no title</description><link>https://lab.example.org/x</link></item>
        </channel></rss>"#;
        let f = parse_feed(rss).unwrap();
        assert_eq!(f.title.as_deref(), Some("Lab & Co blog"));
        assert_eq!(f.page.papers.len(), 1);
        assert_eq!(f.page.skipped.len(), 2, "{:?}", f.page.skipped);
        let p = &f.page.papers[0];
        assert_eq!(p.title, "A new result");
        assert_eq!(
            p.abstract_text,
            "We show bold things. Long enough to be an abstract, with doi:10.5555/ABC.123 inside."
        );
        assert_eq!(p.key, "doi:10.5555/abc.123");
        assert_eq!(p.published.as_deref(), Some("2026-09-01"));

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Preprints</title>
          <entry><id>tag:x,1</id><title type="html">Graph &lt;sub&gt;nets&lt;/sub&gt;</title>
          <link href="http://arxiv.org/abs/2401.12345v2"/><updated>2026-09-02T00:00:00Z</updated>
          <author><name>Ada Lovelace</name></author><summary>short</summary></entry></feed>"#;
        let f = parse_feed(atom).unwrap();
        let p = &f.page.papers[0];
        assert_eq!(
            (p.key.as_str(), p.title.as_str()),
            ("2401.12345", "Graph nets")
        );
        assert_eq!(p.abstract_text, "", "a teaser is no abstract");
        assert_eq!(p.authors, ["Ada Lovelace"]);
    }

    #[test]
    fn broken_feeds_are_errors() {
        let full = fixture("nature_medicine_rss1.rdf");
        for body in [
            &full[..full.len() / 3],
            b"<html><body>Just a moment...</body></html>".as_slice(),
            b"{}".as_slice(),
            b"".as_slice(),
        ] {
            let err = parse_feed(body).unwrap_err();
            assert!(matches!(err, SourceError::Malformed(_)), "{err}");
        }
    }

    #[test]
    fn a_five_megabyte_feed() {
        let item = r#"<item><title>Item N</title><link>https://journal.example.org/N</link>
            <description>An abstract long enough to be one, about item N, repeated so the feed grows to megabytes of text.</description></item>"#;
        let mut body = String::from(r#"<rss version="2.0"><channel><title>Big</title>"#);
        let mut n = 0;
        while body.len() < 5 * 1024 * 1024 {
            body.push_str(&item.replace('N', &n.to_string()));
            n += 1;
        }
        body.push_str("</channel></rss>");
        let f = parse_feed(body.as_bytes()).unwrap();
        assert_eq!(f.page.papers.len(), n);
        assert_eq!(
            f.page.papers[n - 1].key,
            format!("url:https://journal.example.org/{}", n - 1)
        );
    }

    #[test]
    fn markup_becomes_text() {
        assert_eq!(markup_to_text("<p>a</p><p>b &amp; c</p>"), "a b & c");
        assert_eq!(
            markup_to_text("x<style>p{}</style>y<script src=1></script>z"),
            "xyz"
        );
        assert_eq!(markup_to_text("unclosed <b"), "unclosed");
        assert_eq!(
            find_doi("see https://doi.org/10.1000/xyz.1, then"),
            Doi::parse("10.1000/xyz.1")
        );
        assert_eq!(find_doi("version 110.1000/x"), None);
    }
}
