//! Plain text, Markdown and CSV: every arXiv id, link or DOI in the text is an entry.

use super::ids::{find_ids, FoundId};
use super::Entry;

pub(super) fn parse(text: &str) -> Vec<Entry> {
    find_ids(text)
        .into_iter()
        .map(|f| match f {
            FoundId::Arxiv(id, hit) => Entry {
                label: hit,
                arxiv: Some(id),
                doi: None,
                title: None,
            },
            FoundId::Doi(doi, hit) => Entry {
                label: hit,
                arxiv: None,
                doi: Some(doi),
                title: None,
            },
        })
        .collect()
}
