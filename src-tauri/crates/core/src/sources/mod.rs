//! Where papers come from: Hugging Face Daily Papers and arXiv.
//!
//! Parsing is pure (bytes in, papers out) and tested on recorded responses; fetching is
//! the only async part ([`fetch::Fetcher`]: politeness delay, timeouts, retries with
//! bounded exponential backoff and jitter, `Retry-After`).

pub mod arxiv;
pub mod fetch;
pub mod hf;

use crate::model::PaperInput;

/// The papers of one response, and the items that could not be used.
#[derive(Debug, Default, Clone)]
pub struct Page {
    /// Items the response held.
    pub items_seen: usize,
    /// Usable papers.
    pub papers: Vec<PaperInput>,
    /// One reason per skipped item ("item 3: no title").
    pub skipped: Vec<String>,
}

/// Why a request or response failed. Each is one clear sentence for the sync report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The host could not be reached at all (no network, connection refused, DNS).
    #[error("offline: cannot reach {0}")]
    Offline(String),
    /// The server did not answer in time, even after retries.
    #[error("timed out waiting for {0}")]
    Timeout(String),
    /// HTTP 429 that did not clear within the retry budget.
    #[error("rate limited by {url} (retry after {retry_after_s} s)")]
    RateLimited {
        /// The URL.
        url: String,
        /// What the server asked for.
        retry_after_s: u64,
    },
    /// A non-success HTTP status.
    #[error("HTTP {status} from {url}")]
    Http {
        /// Status code.
        status: u16,
        /// The URL.
        url: String,
    },
    /// The body ended early.
    #[error("the response from {0} was cut off")]
    Truncated(String),
    /// The body is not what the source sends.
    #[error("{0}")]
    Malformed(String),
    /// The source answered with an error of its own.
    #[error("{0}")]
    Api(String),
}

impl SourceError {
    /// True for errors that mean "no network" rather than a broken source.
    pub fn is_offline(&self) -> bool {
        matches!(self, SourceError::Offline(_))
    }
}

/// A recorded response from `tests/fixtures/sources/` (parser tests).
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../tests/fixtures/sources")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
