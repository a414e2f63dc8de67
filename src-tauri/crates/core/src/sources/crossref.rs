//! Crossref: a pure parser over `GET /works/{doi}` (a published paper's title, authors,
//! journal, date and JATS abstract), and the client that asks it, for reading-list
//! entries that name a DOI arXiv does not know.
//!
//! Crossref answers an unknown DOI with HTTP 404 and the plain text "Resource not
//! found.": the client gives `Ok(None)` for it. Crossref is not a sync source: it is
//! asked only for DOIs a file the user imported names.

use super::fetch::{Endpoint, FetchPolicy};
use super::markup::{pieces, unescape, Piece};
use super::SourceError;
use crate::model::{normalize_whitespace, paper_key, Doi, Link, PaperInput, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    status: Option<String>,
    #[serde(rename = "message-type")]
    message_type: Option<String>,
    message: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Work {
    #[serde(rename = "DOI")]
    doi: Option<String>,
    title: Vec<String>,
    author: Vec<Author>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(rename = "container-title")]
    container_title: Vec<String>,
    published: Option<DateParts>,
    issued: Option<DateParts>,
    #[serde(rename = "published-print")]
    published_print: Option<DateParts>,
    #[serde(rename = "published-online")]
    published_online: Option<DateParts>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Author {
    given: Option<String>,
    family: Option<String>,
    /// Organisations ("the XYZ consortium").
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DateParts {
    #[serde(rename = "date-parts")]
    parts: Vec<Vec<Option<serde_json::Value>>>,
}

impl DateParts {
    /// `YYYY-MM-DD`; a month or year alone is dated to its first day.
    fn day(&self) -> Option<String> {
        let p = self.parts.first()?;
        let n = |i: usize| -> Option<i64> {
            match p.get(i)?.as_ref()? {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        let y = n(0).filter(|y| (1000..=9999).contains(y))?;
        let m = n(1).filter(|m| (1..=12).contains(m)).unwrap_or(1);
        let d = n(2).filter(|d| (1..=31).contains(d)).unwrap_or(1);
        Some(format!("{y:04}-{m:02}-{d:02}"))
    }
}

/// The text of a JATS abstract (`<jats:title>`, `<jats:p>`, inline markup): tags
/// dropped, entities decoded, a leading "Abstract" heading removed, section headings
/// kept as "Heading: text".
pub fn jats_text(jats: &str) -> String {
    let mut out = String::new();
    let mut title: Option<String> = None;
    for piece in pieces(jats) {
        match piece {
            Piece::Text(t) => title.as_mut().unwrap_or(&mut out).push_str(t),
            Piece::Tag { name, closing } => {
                match (name.rsplit(':').next().unwrap_or(&name), closing) {
                    ("title", false) => title = Some(String::new()),
                    ("title", true) => {
                        let t = normalize_whitespace(&unescape(&title.take().unwrap_or_default()));
                        let heading = out.trim().is_empty() && t.eq_ignore_ascii_case("abstract");
                        if !t.is_empty() && !heading {
                            out.push_str(&format!(" {}: ", t.trim_end_matches([':', '.'])));
                        }
                    }
                    ("p" | "sec" | "list-item" | "list" | "br" | "break", _) => out.push(' '),
                    _ => {}
                }
            }
        }
    }
    normalize_whitespace(&unescape(&out))
}

/// Parses the body of `GET /works/{doi}`.
pub fn parse_work(body: &[u8]) -> Result<PaperInput, SourceError> {
    let env: Envelope = serde_json::from_slice(body).map_err(|e| {
        SourceError::Malformed(format!("Crossref response is not the expected JSON: {e}"))
    })?;
    if env.status.as_deref() != Some("ok") || env.message_type.as_deref() != Some("work") {
        return Err(SourceError::Api(format!(
            "Crossref answered {} {}",
            env.status.as_deref().unwrap_or("without a status"),
            env.message_type.as_deref().unwrap_or("")
        )));
    }
    let w: Work = serde_json::from_value(env.message.unwrap_or_default()).map_err(|e| {
        SourceError::Malformed(format!("Crossref work is not the expected JSON: {e}"))
    })?;
    let doi = w
        .doi
        .as_deref()
        .and_then(Doi::parse)
        .ok_or_else(|| SourceError::Malformed("Crossref work without a DOI".into()))?;
    let title = normalize_whitespace(&jats_text(&w.title.join(" ")));
    if title.is_empty() {
        return Err(SourceError::Malformed(format!(
            "Crossref has no title for {doi}"
        )));
    }
    let authors: Vec<String> = w
        .author
        .iter()
        .filter_map(|a| {
            let name = match (&a.given, &a.family, &a.name) {
                (Some(g), Some(f), _) => format!("{g} {f}"),
                (None, Some(f), _) => f.clone(),
                (_, None, Some(n)) => n.clone(),
                _ => return None,
            };
            Some(normalize_whitespace(&name)).filter(|n| !n.is_empty())
        })
        .collect();
    let published = [
        &w.published,
        &w.published_online,
        &w.published_print,
        &w.issued,
    ]
    .into_iter()
    .flatten()
    .find_map(DateParts::day);
    let journal = w
        .container_title
        .first()
        .map(|j| normalize_whitespace(&jats_text(j)))
        .filter(|j| !j.is_empty());
    let arxiv = doi.arxiv();
    let mut links = vec![Link {
        kind: "doi".into(),
        url: doi.url(),
    }];
    if let Some(a) = &arxiv {
        links = a.links();
    }
    Ok(PaperInput {
        key: paper_key(arxiv.as_ref(), Some(&doi), None).expect("a DOI makes a key"),
        arxiv,
        title,
        abstract_text: w
            .abstract_text
            .as_deref()
            .map(jats_text)
            .unwrap_or_default(),
        author_count: authors.len() as u32,
        authors,
        published,
        sources: vec![Source::Crossref],
        links,
        // Posted content (a preprint) has no journal to cite.
        journal: journal.filter(|_| w.kind.as_deref() != Some("posted-content")),
        doi: Some(doi),
        ..Default::default()
    })
}

/// Crossref's REST API at one base URL.
pub struct Client {
    api: Endpoint,
    mailto: Option<String>,
}

impl Client {
    /// A client for `base` (`https://api.crossref.org`, or a test server); `mailto` is
    /// the contact address Crossref asks of its polite pool.
    pub fn new(base: &str, mailto: Option<&str>, policy: FetchPolicy) -> Client {
        Client {
            api: Endpoint::new(base, policy),
            mailto: mailto.map(str::to_string),
        }
    }

    /// The work with this DOI; `None` when Crossref has no record of it.
    pub async fn work(&self, doi: &Doi) -> Result<Option<PaperInput>, SourceError> {
        let mut path = format!("/works/{}", path_escape(doi.as_str()));
        if let Some(m) = &self.mailto {
            path.push_str("?mailto=");
            path.push_str(&path_escape(m).replace('/', "%2F"));
        }
        match self.api.get(&path).await {
            Ok(body) => parse_work(&body).map(Some),
            Err(SourceError::Http { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A DOI as a URL path: its `/` kept (as Crossref's own clients send it), every byte
/// outside the unreserved set percent-encoded.
fn path_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:()@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::fixture;

    #[test]
    fn a_work_with_a_jats_abstract() {
        let p = parse_work(&fixture("works_10.1002_jor.1100150407_jats_abstract.json")).unwrap();
        assert_eq!(p.key, "doi:10.1002/jor.1100150407");
        assert_eq!(
            p.title,
            "Growth hormone secretagogue increases muscle strength during remobilization after canine hindlimb immobilization"
        );
        assert_eq!(&p.authors[..2], ["Richard L. Lieber", "Thomas M. Jacks"]);
        assert_eq!(
            p.journal.as_deref(),
            Some("Journal of Orthopaedic Research")
        );
        assert_eq!(p.published.as_deref(), Some("1997-07-01"));
        assert!(
            p.abstract_text
                .starts_with("Twenty‐two beagles were divided"),
            "{}",
            p.abstract_text
        );
        assert!(!p.abstract_text.contains("jats"));
        assert!(
            p.abstract_text.contains("(p < 0.001)"),
            "entities decoded once"
        );
        assert_eq!(p.sources, [Source::Crossref]);
        assert_eq!(p.links[0].url, "https://doi.org/10.1002/jor.1100150407");
    }

    #[test]
    fn works_without_abstract_or_date() {
        let p = parse_work(&fixture("works_10.1371_journal.pone.0033693.json")).unwrap();
        assert_eq!(p.journal.as_deref(), Some("PLoS ONE"));
        assert_eq!(p.published.as_deref(), Some("2012-03-21"));
        assert_eq!(p.abstract_text, "");
        let p = parse_work(&fixture(
            "works_10.1109_icdcsw.2003.1203662_proceedings.json",
        ))
        .unwrap();
        assert_eq!(p.published, None, "date-parts [[null]] is no date");
        assert!(p
            .journal
            .as_deref()
            .unwrap()
            .starts_with("23rd International Conference"));
        let p = parse_work(&fixture("works_10.1016_j.neurobiolaging.2010.03.024.json")).unwrap();
        assert_eq!(
            p.doi.unwrap().as_str(),
            "10.1016/j.neurobiolaging.2010.03.024"
        );
    }

    #[test]
    fn dois_are_escaped_into_the_path() {
        assert_eq!(
            path_escape("10.1002/(sici)1097-4636(199706)35:4<443::aid-jbm6>3.0.co;2-l"),
            "10.1002/(sici)1097-4636(199706)35:4%3C443::aid-jbm6%3E3.0.co%3B2-l"
        );
        assert_eq!(path_escape("10.1/a#b?c d"), "10.1/a%23b%3Fc%20d");
    }

    #[test]
    fn jats_becomes_text() {
        assert_eq!(
            jats_text("<jats:title>Abstract</jats:title><jats:p>A &amp; B <jats:italic>in vivo</jats:italic> x<jats:sup>2</jats:sup>.</jats:p>"),
            "A & B in vivo x2."
        );
        assert_eq!(
            jats_text("<jats:sec><jats:title>Background</jats:title><jats:p>Why.</jats:p></jats:sec><jats:sec><jats:title>Methods:</jats:title><jats:p>How.</jats:p></jats:sec>"),
            "Background: Why. Methods: How."
        );
        assert_eq!(
            jats_text("<script>alert(1)</script> plain"),
            "alert(1) plain"
        );
        assert_eq!(jats_text("cut <jats:p"), "cut");
    }

    #[test]
    fn broken_bodies_and_the_404_text() {
        for body in [
            fixture("works_notarealdoi_404.txt"),
            b"{\"status\":\"ok\"".to_vec(),
        ] {
            let err = parse_work(&body).unwrap_err();
            assert!(matches!(err, SourceError::Malformed(_)), "{err}");
        }
        let err =
            parse_work(br#"{"status":"failed","message-type":"validation-failure","message":[]}"#)
                .unwrap_err();
        assert!(matches!(err, SourceError::Api(_)), "{err}");
        let err = parse_work(
            br#"{"status":"ok","message-type":"work","message":{"DOI":"10.1234/x","title":[]}}"#,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "Crossref has no title for 10.1234/x");
        let p = parse_work(br#"{"status":"ok","message-type":"work","message":{"DOI":"10.48550/arXiv.2401.12345","title":["T"],"type":"posted-content","container-title":["arXiv"]}}"#).unwrap();
        assert_eq!(p.key, "2401.12345");
        assert_eq!(p.journal, None);
    }
}
