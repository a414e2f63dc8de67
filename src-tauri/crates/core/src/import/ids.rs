//! Finding paper identifiers in free text: arXiv ids in every form people write them
//! (abs/pdf links, `arXiv:` with versions, old-style ids, arXiv DOIs, Hugging Face paper
//! links, bare new-style ids) and DOIs.

use crate::model::ArxivId;
use regex::Regex;
use std::sync::OnceLock;

/// One identifier found in text, with the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundId {
    /// An arXiv paper.
    Arxiv(ArxivId, String),
    /// A DOI that is not an arXiv DOI (lower-cased, as DOIs compare).
    Doi(String, String),
}

/// Old-style arXiv archives (before 2007 ids carried the archive name).
const ARCHIVES: &str = "hep-th|hep-ph|hep-ex|hep-lat|astro-ph|cond-mat|gr-qc|math-ph|nucl-th|nucl-ex|quant-ph|nlin|physics|math|cs|q-bio|q-fin|stat|alg-geom|funct-an|chao-dyn|solv-int|patt-sol|adap-org|comp-gas|dg-ga|q-alg|cmp-lg|mtrl-th|supr-con|acc-phys|ao-sci|atom-ph|bayes-an|chem-ph|plasm-ph";

fn explicit() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let id =
            format!(r"(?:(?:{ARCHIVES})(?:\.[A-Za-z]{{2}})?/\d{{7}}|\d{{4}}\.\d{{4,5}})(?:v\d+)?");
        Regex::new(&format!(
            r"(?ix)
            (?:arxiv\.org/(?:abs|pdf|html|format)/(?P<url>{id}))
          | (?:huggingface\.co/papers/(?P<hf>\d{{4}}\.\d{{4,5}}))
          | (?:10\.48550/arxiv\.(?P<doi>{id}))
          | (?:arxiv\s*:\s*(?P<pre>{id}))
          | (?P<anydoi>\b10\.\d{{4,9}}/[^\s<>{{}}\x22]+)
            "
        ))
        .expect("valid identifier regex")
    })
}

fn bare() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?:(?:{ARCHIVES})(?:\.[A-Za-z]{{2}})?/\d{{7}}|\d{{4}}\.\d{{4,5}})(?:v\d+)?"
        ))
        .expect("valid bare-id regex")
    })
}

/// True when `text[start..end]` is a whole token: not glued to letters, digits, dots,
/// slashes or dashes (a trailing sentence dot or `.pdf` is fine).
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-');
    if text[..start].chars().next_back().is_some_and(glued) {
        return false;
    }
    let rest = &text[end..];
    match rest.chars().next() {
        None => true,
        Some('.') => {
            let after = &rest[1..];
            after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with("pdf")
        }
        Some(c) => !glued(c),
    }
}

/// Every identifier in `text`, in order of appearance, each paper once. Explicit forms
/// (links, `arXiv:`, DOIs) are taken first; bare ids only outside them, and only when
/// they are valid arXiv ids (so `2023.12345` — month 23 — is not one).
pub fn find_ids(text: &str) -> Vec<FoundId> {
    let mut found: Vec<(usize, FoundId)> = Vec::new();
    let mut spans = Vec::new();
    for caps in explicit().captures_iter(text) {
        let whole = caps.get(0).expect("match");
        spans.push(whole.range());
        let hit = whole.as_str().to_string();
        let arxiv = ["url", "hf", "doi", "pre"]
            .iter()
            .find_map(|n| caps.name(n))
            .and_then(|m| ArxivId::parse(m.as_str()));
        if let Some(id) = arxiv {
            found.push((whole.start(), FoundId::Arxiv(id, hit)));
        } else if let Some(doi) = caps.name("anydoi") {
            let doi = doi
                .as_str()
                .trim_end_matches(['.', ',', ';', ')', ']', '\'', '>'])
                .to_ascii_lowercase();
            found.push((whole.start(), FoundId::Doi(doi, hit)));
        }
    }
    for m in bare().find_iter(text) {
        if spans.iter().any(|s| s.contains(&m.start())) || !standalone(text, m.start(), m.end()) {
            continue;
        }
        if let Some(id) = ArxivId::parse(m.as_str()) {
            found.push((m.start(), FoundId::Arxiv(id, m.as_str().to_string())));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .map(|(_, f)| f)
        .filter(|f| {
            seen.insert(match f {
                FoundId::Arxiv(id, _) => format!("arxiv:{}", id.id()),
                FoundId::Doi(d, _) => format!("doi:{d}"),
            })
        })
        .collect()
}

/// The first arXiv id in `text`.
pub fn first_arxiv(text: &str) -> Option<ArxivId> {
    find_ids(text).into_iter().find_map(|f| match f {
        FoundId::Arxiv(id, _) => Some(id),
        FoundId::Doi(..) => None,
    })
}

/// The first non-arXiv DOI in `text`.
pub fn first_doi(text: &str) -> Option<String> {
    find_ids(text).into_iter().find_map(|f| match f {
        FoundId::Doi(d, _) => Some(d),
        FoundId::Arxiv(..) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        find_ids(text)
            .into_iter()
            .map(|f| match f {
                FoundId::Arxiv(id, _) => id.to_string(),
                FoundId::Doi(d, _) => format!("doi:{d}"),
            })
            .collect()
    }

    #[test]
    fn every_form_of_an_arxiv_id() {
        let cases = [
            ("https://arxiv.org/abs/1706.03762", "1706.03762"),
            ("see arXiv:1810.04805v2 — BERT", "1810.04805v2"),
            ("https://arxiv.org/pdf/2006.11239v2.pdf", "2006.11239v2"),
            (
                "http://export.arxiv.org/abs/hep-th/9711200v3",
                "hep-th/9711200v3",
            ),
            ("https://huggingface.co/papers/2112.10752", "2112.10752"),
            ("https://doi.org/10.48550/arXiv.2202.00512", "2202.00512"),
            ("10.48550/ARXIV.2202.00512", "2202.00512"),
            ("arXiv preprint arXiv:1810.04805", "1810.04805"),
            (
                "journal = {arXiv preprint hep-th/9711200}",
                "hep-th/9711200",
            ),
            ("math.AG/0309136", "math/0309136"),
            ("2401.00001.", "2401.00001"),
            ("(2401.00001)", "2401.00001"),
            ("arXiv: 0704.0001", "0704.0001"),
            ("2006.11239v2.pdf", "2006.11239v2"),
        ];
        assert_eq!(
            ids("1706.03762 1810.04805,2006.11239"),
            ["1706.03762", "1810.04805", "2006.11239"]
        );
        for (text, want) in cases {
            assert_eq!(ids(text), vec![want.to_string()], "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_ids_and_dois() {
        for text in [
            "a number 2023.12345 in prose",
            "version 1.2.3",
            "1706.037",
            "pi is 3.14159",
            "2401.000012",
            "see /abs/x.1234",
        ] {
            assert!(ids(text).is_empty(), "{text}: {:?}", ids(text));
        }
        assert_eq!(
            ids("doi: 10.1109/CVPR52688.2022.01042."),
            vec!["doi:10.1109/cvpr52688.2022.01042"]
        );
        assert_eq!(
            ids("https://doi.org/10.1145/3442188.3445922), and arXiv:1706.03762 again arxiv.org/abs/1706.03762v5"),
            vec!["doi:10.1145/3442188.3445922", "1706.03762"]
        );
    }
}
