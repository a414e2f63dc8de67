//! The nouns of the library: [`Paper`], its ids ([`ArxivId`], [`Doi`]), [`Source`].
//!
//! Pure data and parsing only; storage lives in `store`, ranking in `rank`.

use crate::tex::MathSpan;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalized arXiv identifier, with its version kept apart.
///
/// New-style ids (`2401.12345`, `0704.0001`) and old-style ids (`hep-th/9901001`) are
/// accepted in every form researchers paste: `arXiv:2401.12345v2`, abs/pdf links,
/// the arXiv DOI `10.48550/arXiv.2401.12345`, and old ids with a subject class
/// (`math.GT/0309136` is the paper `math/0309136`).
///
/// ```
/// use papersift_core::model::ArxivId;
/// let id = ArxivId::parse("https://arxiv.org/pdf/2401.12345v3.pdf").unwrap();
/// assert_eq!(id.id(), "2401.12345");
/// assert_eq!(id.version(), Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArxivId {
    id: String,
    version: Option<u32>,
}

impl ArxivId {
    /// The normalized id without version (`2401.12345`, `hep-th/9901001`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The version, when the input named one.
    pub fn version(&self) -> Option<u32> {
        self.version
    }

    /// Parses one arXiv identifier in any common written form; `None` if the text
    /// is not an arXiv id.
    pub fn parse(input: &str) -> Option<ArxivId> {
        let mut s = input.trim();
        // Strip URL and prefix forms, innermost last.
        for prefix in ["https://", "http://"] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                s = rest;
            }
        }
        for host in ["www.arxiv.org/", "arxiv.org/", "export.arxiv.org/"] {
            if let Some(rest) = strip_prefix_ci(s, host) {
                s = rest;
                for section in ["abs/", "pdf/", "html/", "format/"] {
                    if let Some(rest) = s.strip_prefix(section) {
                        s = rest;
                        break;
                    }
                }
                break;
            }
        }
        if let Some(rest) = strip_prefix_ci(s, "doi.org/") {
            s = rest;
        }
        if let Some(rest) = strip_prefix_ci(s, "10.48550/") {
            s = rest;
        }
        if let Some(rest) = strip_prefix_ci(s, "arxiv:") {
            s = rest.trim_start();
        } else if let Some(rest) = strip_prefix_ci(s, "arxiv.") {
            s = rest;
        }
        let s = s
            .trim_end_matches('/')
            .trim_end_matches(".pdf")
            .trim_end_matches(".PDF");
        Self::parse_bare(s)
    }

    fn parse_bare(s: &str) -> Option<ArxivId> {
        let (body, version) = split_version(s)?;
        if let Some((archive, number)) = body.split_once('/') {
            // Old style: archive[.SUBJ]/YYMMNNN.
            let archive = archive.split('.').next()?.to_ascii_lowercase();
            let archive_ok = !archive.is_empty()
                && archive.len() <= 12
                && archive.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            let number_ok = number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit());
            if !archive_ok || !number_ok || !valid_month(&number[2..4]) {
                return None;
            }
            return Some(ArxivId {
                id: format!("{archive}/{number}"),
                version,
            });
        }
        let (yymm, seq) = body.split_once('.')?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if yymm.len() != 4 || !digits(yymm) || !digits(seq) || !valid_month(&yymm[2..4]) {
            return None;
        }
        // Four-digit sequence numbers until 1412, five from 1501 on.
        let five = yymm >= "1501";
        if (five && seq.len() != 5) || (!five && seq.len() != 4) {
            return None;
        }
        Some(ArxivId {
            id: format!("{yymm}.{seq}"),
            version,
        })
    }
}

impl ArxivId {
    /// The arXiv abstract page and PDF links of this paper.
    pub fn links(&self) -> Vec<Link> {
        vec![
            Link {
                kind: "abs".into(),
                url: format!("https://arxiv.org/abs/{}", self.id),
            },
            Link {
                kind: "pdf".into(),
                url: format!("https://arxiv.org/pdf/{}", self.id),
            },
        ]
    }
}

impl fmt::Display for ArxivId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            Some(v) => write!(f, "{}v{}", self.id, v),
            None => f.write_str(&self.id),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn valid_month(mm: &str) -> bool {
    matches!(mm.parse::<u8>(), Ok(1..=12))
}

/// Splits a trailing `vN` off; `None` when the version is malformed (`v`, `v0x`).
fn split_version(s: &str) -> Option<(&str, Option<u32>)> {
    match s.rfind(['v', 'V']) {
        Some(pos) if pos > 0 && s[..pos].bytes().last().is_some_and(|b| b.is_ascii_digit()) => {
            let digits = &s[pos + 1..];
            let v: u32 = digits.parse().ok().filter(|v| *v > 0)?;
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((&s[..pos], Some(v)))
        }
        _ => Some((s, None)),
    }
}

/// A DOI, normalized: the `10.` prefix form, in lower case (DOIs are case-insensitive).
///
/// Accepts what references and feeds carry: a bare DOI, `doi:` and `DOI ` prefixes,
/// `https://doi.org/…` and `dx.doi.org` links, and a `%2F`-escaped slash.
///
/// ```
/// use papersift_core::model::Doi;
/// let d = Doi::parse("https://doi.org/10.1101/2024.01.02.573880").unwrap();
/// assert_eq!(d.as_str(), "10.1101/2024.01.02.573880");
/// assert_eq!(Doi::parse("doi:10.48550/arXiv.2401.12345").unwrap().arxiv().unwrap().id(), "2401.12345");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Doi(String);

impl Doi {
    /// Parses a DOI in any common written form; `None` when the text is not one.
    pub fn parse(input: &str) -> Option<Doi> {
        let mut s = input.trim();
        for prefix in ["https://", "http://"] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                s = rest;
            }
        }
        for prefix in ["www.doi.org/", "dx.doi.org/", "doi.org/", "doi:", "doi "] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                s = rest.trim_start();
                break;
            }
        }
        let s = s.replace("%2F", "/").replace("%2f", "/");
        let s = s.trim_end_matches(['.', ',', ';', ':']);
        let (prefix, suffix) = s.split_once('/')?;
        let registrant = prefix.strip_prefix("10.")?;
        let registrant_ok = (4..=9).contains(&registrant.split('.').next()?.len())
            && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let suffix_ok = !suffix.is_empty()
            && suffix.len() <= 300
            && !suffix.chars().any(|c| c.is_whitespace() || c.is_control());
        (registrant_ok && suffix_ok).then(|| Doi(s.to_lowercase()))
    }

    /// The normalized DOI.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The arXiv paper an arXiv DOI (`10.48550/arXiv.ID`) names.
    pub fn arxiv(&self) -> Option<ArxivId> {
        self.0
            .starts_with("10.48550/")
            .then(|| ArxivId::parse(&self.0))
            .flatten()
    }

    /// The doi.org link.
    pub fn url(&self) -> String {
        format!("https://doi.org/{}", self.0)
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The library key of a paper known by these ids: its arXiv id, else `doi:DOI`, else
/// `openreview:ID`. `None` when it has none of them.
pub fn paper_key(
    arxiv: Option<&ArxivId>,
    doi: Option<&Doi>,
    openreview: Option<&str>,
) -> Option<String> {
    arxiv
        .map(|a| a.id().to_string())
        .or_else(|| doi.map(|d| format!("doi:{d}")))
        .or_else(|| openreview.map(|o| format!("openreview:{o}")))
}

/// Where a paper's metadata came from. A paper seen by several sources keeps all.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Source {
    /// Hugging Face Daily Papers.
    Hf,
    /// arXiv listings or API.
    Arxiv,
    /// The built-in starter corpus.
    Seed,
    /// A corpus file imported by the user (`papersift import-corpus`).
    Corpus,
    /// bioRxiv.
    Biorxiv,
    /// medRxiv.
    Medrxiv,
    /// OpenReview.
    Openreview,
    /// A journal's (or any site's) RSS or Atom feed.
    Feed,
    /// Crossref, for a DOI a reading list named.
    Crossref,
}

impl Source {
    /// The lowercase name stored in the database and shown in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Hf => "hf",
            Source::Arxiv => "arxiv",
            Source::Seed => "seed",
            Source::Corpus => "corpus",
            Source::Biorxiv => "biorxiv",
            Source::Medrxiv => "medrxiv",
            Source::Openreview => "openreview",
            Source::Feed => "feed",
            Source::Crossref => "crossref",
        }
    }

    /// Parses a stored source name.
    pub fn parse(s: &str) -> Option<Source> {
        Some(match s {
            "hf" => Source::Hf,
            "arxiv" => Source::Arxiv,
            "seed" => Source::Seed,
            "corpus" => Source::Corpus,
            "biorxiv" => Source::Biorxiv,
            "medrxiv" => Source::Medrxiv,
            "openreview" => Source::Openreview,
            "feed" => Source::Feed,
            "crossref" => Source::Crossref,
            _ => return None,
        })
    }
}

/// A link shown with a paper (abstract page, PDF, code, project page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// What the link is: `abs`, `pdf`, `hf`, `code`, `project`.
    pub kind: String,
    /// An absolute `https://` URL.
    pub url: String,
}

/// A paper as it goes into the library: what a source or corpus file knows about it.
///
/// `key` is the paper's identity in the library: the normalized arXiv id when there is
/// one, else `doi:DOI` or `openreview:ID` ([`paper_key`]), else an id from its corpus
/// (e.g. a BEIR document id). A paper that another row already holds under any of its
/// ids (arXiv id, DOIs, OpenReview id) merges into that row.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PaperInput {
    /// Library identity (see type docs).
    pub key: String,
    /// arXiv id when known.
    pub arxiv: Option<ArxivId>,
    /// Title, whitespace-normalized.
    pub title: String,
    /// Abstract, whitespace-normalized.
    pub abstract_text: String,
    /// Author names in order; may be empty when only the count is known.
    pub authors: Vec<String>,
    /// Number of authors (at least `authors.len()`).
    pub author_count: u32,
    /// First publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Last update date, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// arXiv categories, primary first.
    pub categories: Vec<String>,
    /// Sources that reported this paper.
    pub sources: Vec<Source>,
    /// Hugging Face upvotes, when known.
    pub upvotes: Option<i64>,
    /// Links.
    pub links: Vec<Link>,
    /// Hugging Face's AI-written one-line summary.
    pub ai_summary: Option<String>,
    /// Hugging Face's AI-extracted keywords.
    pub ai_keywords: Vec<String>,
    /// Stars of the code repository, when known.
    pub github_stars: Option<i64>,
    /// Comments on the Hugging Face paper page.
    pub num_comments: Option<i64>,
    /// The day the paper was on Hugging Face Daily Papers, `YYYY-MM-DD`.
    pub hf_date: Option<String>,
    /// The DOI the source names the paper by.
    pub doi: Option<Doi>,
    /// Other DOIs of the same work (a preprint's published version).
    pub other_dois: Vec<Doi>,
    /// The journal or venue it was published in.
    pub journal: Option<String>,
    /// Its OpenReview forum id.
    pub openreview_id: Option<String>,
}

/// A paper as stored in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Paper {
    /// Library identity.
    pub key: String,
    /// Normalized arXiv id, if any.
    pub arxiv_id: Option<String>,
    /// Highest arXiv version seen.
    pub arxiv_version: Option<u32>,
    /// Title.
    pub title: String,
    /// Abstract.
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Number of authors.
    pub author_count: u32,
    /// First publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Last update date, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// arXiv categories.
    pub categories: Vec<String>,
    /// Sources that reported this paper.
    pub sources: Vec<Source>,
    /// Hugging Face upvotes.
    pub upvotes: Option<i64>,
    /// Links.
    pub links: Vec<Link>,
    /// Hugging Face's AI-written one-line summary.
    pub ai_summary: Option<String>,
    /// Hugging Face's AI-extracted keywords.
    pub ai_keywords: Vec<String>,
    /// Stars of the code repository, when known.
    pub github_stars: Option<i64>,
    /// Comments on the Hugging Face paper page.
    pub num_comments: Option<i64>,
    /// The day the paper was on Hugging Face Daily Papers, `YYYY-MM-DD`.
    pub hf_date: Option<String>,
    /// The DOI it is cited by (the published version's, where known).
    pub doi: Option<String>,
    /// The journal or venue it was published in.
    pub journal: Option<String>,
    /// Its OpenReview forum id.
    pub openreview_id: Option<String>,
    /// Where the formulas sit in the title and abstract.
    #[serde(default)]
    pub math: PaperMath,
    /// The day Papersift first stored the paper, `YYYY-MM-DD`: the date shown for a
    /// paper without a published date.
    #[serde(default)]
    pub first_seen: Option<String>,
    /// Title, abstract and authors as the source wrote them, where cleaning changed
    /// them (kept in the library, not sent to the UI).
    #[serde(skip)]
    pub original: Original,
}

/// Where the formulas sit in a paper's cleaned title and abstract ([`crate::tex`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PaperMath {
    /// Formulas in the title.
    pub title: Vec<MathSpan>,
    /// Formulas in the abstract.
    #[serde(rename = "abstract")]
    pub abstract_text: Vec<MathSpan>,
}

impl PaperMath {
    /// True when neither field has a formula.
    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.abstract_text.is_empty()
    }
}

/// A paper's text as its source wrote it, for the fields cleaning changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Original {
    /// The title, with its TeX.
    pub title: Option<String>,
    /// The abstract, with its TeX.
    pub abstract_text: Option<String>,
    /// The author names, with their TeX.
    pub authors: Option<Vec<String>>,
}

/// Collapses runs of whitespace (arXiv abstracts are hard-wrapped) and trims.
pub fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a paper is embedded and keyword-indexed by: title, then abstract.
pub fn embedding_text(title: &str, abstract_text: &str) -> String {
    if abstract_text.is_empty() {
        title.to_string()
    } else {
        format!("{title}. {abstract_text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_id_normalization_table() {
        type Case<'a> = (&'a str, Option<(&'a str, Option<u32>)>);
        let cases: &[Case<'_>] = &[
            ("2401.12345", Some(("2401.12345", None))),
            ("2401.12345v2", Some(("2401.12345", Some(2)))),
            ("arXiv:2401.12345v2", Some(("2401.12345", Some(2)))),
            ("ARXIV: 2401.12345", Some(("2401.12345", None))),
            (
                "https://arxiv.org/abs/2401.12345",
                Some(("2401.12345", None)),
            ),
            (
                "http://arxiv.org/abs/2401.12345v11",
                Some(("2401.12345", Some(11))),
            ),
            (
                "https://arxiv.org/pdf/2401.12345v3.pdf",
                Some(("2401.12345", Some(3))),
            ),
            (
                "https://arxiv.org/pdf/2401.12345",
                Some(("2401.12345", None)),
            ),
            (
                "https://www.arxiv.org/abs/2401.12345/",
                Some(("2401.12345", None)),
            ),
            ("10.48550/arXiv.2401.12345", Some(("2401.12345", None))),
            (
                "https://doi.org/10.48550/arXiv.2401.12345",
                Some(("2401.12345", None)),
            ),
            ("0704.0001", Some(("0704.0001", None))),
            ("1412.6980", Some(("1412.6980", None))),
            ("hep-th/9901001", Some(("hep-th/9901001", None))),
            ("hep-th/9901001v1", Some(("hep-th/9901001", Some(1)))),
            ("arXiv:hep-th/9901001", Some(("hep-th/9901001", None))),
            ("math.GT/0309136", Some(("math/0309136", None))),
            (
                "https://arxiv.org/abs/cond-mat/0207270v2",
                Some(("cond-mat/0207270", Some(2))),
            ),
            // Not arXiv ids.
            ("1412.69801", None),  // five digits before 2015
            ("2401.1234", None),   // four digits after 2015
            ("2413.12345", None),  // month 13
            ("2401.12345v", None), // dangling v
            ("2401.12345v0", None),
            ("hep-th/990100", None),
            ("10.1038/nature14539", None),
            ("hello world", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = ArxivId::parse(input);
            let got = got.as_ref().map(|a| (a.id(), a.version()));
            assert_eq!(got, *want, "input {input:?}");
        }
    }

    #[test]
    fn display_keeps_version() {
        assert_eq!(
            ArxivId::parse("arXiv:2401.12345v2").unwrap().to_string(),
            "2401.12345v2"
        );
        assert_eq!(
            ArxivId::parse("hep-th/9901001").unwrap().to_string(),
            "hep-th/9901001"
        );
    }

    #[test]
    fn doi_normalization_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "10.1101/2024.01.02.573880",
                Some("10.1101/2024.01.02.573880"),
            ),
            (
                "https://doi.org/10.1038/S41591-026-04012-X",
                Some("10.1038/s41591-026-04012-x"),
            ),
            (
                "http://dx.doi.org/10.1371/journal.pone.0033693",
                Some("10.1371/journal.pone.0033693"),
            ),
            (
                "doi:10.1109/CVPR52688.2022.01042",
                Some("10.1109/cvpr52688.2022.01042"),
            ),
            (
                "DOI 10.64898/2026.07.15.123456",
                Some("10.64898/2026.07.15.123456"),
            ),
            (
                "10.1002/(SICI)1097-4636(199706)35:4<443::AID-JBM6>3.0.CO;2-L",
                Some("10.1002/(sici)1097-4636(199706)35:4<443::aid-jbm6>3.0.co;2-l"),
            ),
            (
                "https://doi.org/10.1101%2F2024.01.02.573880.",
                Some("10.1101/2024.01.02.573880"),
            ),
            (
                "10.48550/arXiv.2401.12345",
                Some("10.48550/arxiv.2401.12345"),
            ),
            ("10.1/x", None),
            ("10.1234/", None),
            ("11.1234/abc", None),
            ("10.1234/a b", None),
            ("2401.12345", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                Doi::parse(input).as_ref().map(Doi::as_str),
                *want,
                "input {input:?}"
            );
        }
        let arxiv = Doi::parse("10.48550/ARXIV.2401.12345")
            .unwrap()
            .arxiv()
            .unwrap();
        assert_eq!(arxiv.id(), "2401.12345");
        assert!(Doi::parse("10.1101/2024.01.02.573880")
            .unwrap()
            .arxiv()
            .is_none());
        assert_eq!(
            paper_key(None, Doi::parse("10.1101/X").as_ref(), Some("abc")).as_deref(),
            Some("doi:10.1101/x")
        );
        assert_eq!(
            paper_key(None, None, Some("abc")).as_deref(),
            Some("openreview:abc")
        );
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(normalize_whitespace("  a\n b\t\tc "), "a b c");
    }
}

/// One paper as the keyword index holds it: its searchable text and what filters
/// read (the FTS5 triggers index the same title, abstract and authors).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeywordDoc {
    /// Paper row id.
    pub id: i64,
    /// Title (TeX cleaned).
    pub title: String,
    /// Abstract (TeX cleaned).
    pub abstract_text: String,
    /// Author names, one value each.
    pub authors: Vec<String>,
    /// arXiv categories.
    pub categories: Vec<String>,
    /// Sources that reported the paper.
    pub sources: Vec<String>,
    /// Publication day (`YYYY-MM-DD`).
    pub published: Option<String>,
}

impl KeywordDoc {
    /// A 64-bit FNV-1a digest of everything indexed: the index keeps it beside each
    /// paper, so a check can tell a stale entry from a current one.
    pub fn digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |s: &str| {
            for b in s.bytes().chain([0xff]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(&self.title);
        eat(&self.abstract_text);
        for group in [&self.authors, &self.categories, &self.sources] {
            for v in group {
                eat(v);
            }
            eat("\u{1}");
        }
        eat(self.published.as_deref().unwrap_or(""));
        h
    }
}
