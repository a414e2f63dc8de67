//! Where papers come from, one file per provider: Hugging Face Daily Papers, arXiv,
//! bioRxiv and medRxiv, OpenReview, journal feeds, and Crossref (for the DOIs reading
//! lists name).
//!
//! A source file holds all that is particular to one provider: its pure parsers (bytes
//! in, papers out, tested on recorded responses), its client (the URLs it asks, through
//! a polite [`fetch::Fetcher`]), and its [`Source`]: what one sync asks, given how far
//! the last one got. It knows nothing of the library: it hands pages and its cursor to
//! a [`Sink`], which the sync orchestration (`crate::sync`) implements over the
//! library. Adding a source is one file here and its entry in the sync settings.

pub mod arxiv;
pub mod arxiv_taxonomy;
pub mod biorxiv;
pub mod crossref;
pub mod feeds;
pub mod fetch;
pub mod hf;
mod markup;
pub mod openreview;

use crate::model::PaperInput;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, so that [`Source`] and [`Sink`] can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a source stopped early.
#[derive(Debug)]
pub enum Stop {
    /// The source failed (offline, an HTTP error, a malformed response): reported, and
    /// the other sources go on.
    Source(SourceError),
    /// The library failed (a full disk, say): the whole sync stops.
    Library(crate::Error),
}

impl From<SourceError> for Stop {
    fn from(e: SourceError) -> Self {
        Stop::Source(e)
    }
}

impl From<crate::Error> for Stop {
    fn from(e: crate::Error) -> Self {
        Stop::Library(e)
    }
}

/// Where a source puts what it fetched. Every page is committed before the next
/// request, so a sync killed at any moment keeps what it stored.
pub trait Sink: Send {
    /// What the source saved with [`Sink::save_cursor`] at its last complete step.
    fn cursor(&self) -> Option<&str>;
    /// Says what is fetched next ("2026-11-27 page 1"), for the progress line.
    fn fetching(&mut self, what: String);
    /// Counts one response received.
    fn answered(&mut self);
    /// Stores one page's papers; its skipped items go to the report.
    fn store(&mut self, page: Page) -> BoxFuture<'_, Result<(), Stop>>;
    /// Remembers how far the source got: the next sync starts from there.
    fn save_cursor(&mut self, cursor: String) -> BoxFuture<'_, Result<(), Stop>>;
}

/// One provider's sync: fetch what is new since the cursor, page by page, into a sink.
pub trait Source: Send + Sync {
    /// The name in sync state, reports and progress (`hf`, `arxiv`).
    fn name(&self) -> &'static str;
    /// Fetches what is new up to `today` (days since the Unix epoch, UTC).
    fn sync<'a>(&'a self, today: i64, sink: &'a mut dyn Sink) -> BoxFuture<'a, Result<(), Stop>>;
}

/// The days a daily source asks for: from the day after the last complete one (its
/// cursor, `YYYY-MM-DD`) to `today`, but no further back than `days` (today included).
pub fn days_to_fetch(cursor: Option<&str>, today: i64, days: u32) -> std::ops::RangeInclusive<i64> {
    let window_start = today - i64::from(days.max(1)) + 1;
    let first = cursor
        .and_then(crate::day::parse_day)
        .map_or(window_start, |c| (c + 1).max(window_start));
    first..=today
}

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
