//! Sync: fetch new papers from the enabled sources, upsert them, embed them, and
//! score them against the alert rules.
//!
//! Only the fetching is async; upserts and embedding run on blocking threads. Every
//! page is committed as it arrives (through [`LibrarySink`]), so a sync killed at any
//! moment keeps what it stored and the next run resumes from the per-source cursor. A
//! failing source is reported (and recorded in its sync state) without stopping the
//! others. What each source asks for is its own business (`crate::sources`); what the
//! user turned on is [`settings`].

pub mod dois;
mod settings;

pub use settings::{
    add_feed, feed_list, remove_feed, FeedInfo, SourceKind, SyncConfig, SyncSettings,
    MAX_BACKFILL_DAYS, MAX_DAYS,
};

use crate::day::{parse_day, today_utc};
use crate::library::Library;
use crate::sources::{BoxFuture, Page, Sink, Stop};
use crate::{Error, Result};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// Progress reported while syncing.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(
    tag = "stage",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub enum SyncProgress {
    /// A request is being made.
    Fetching {
        /// Source name.
        source: &'static str,
        /// What is fetched ("2026-11-27 page 1").
        what: String,
    },
    /// Papers were stored.
    Stored {
        /// Source name.
        source: &'static str,
        /// Papers stored by this source so far.
        papers: usize,
    },
    /// New papers are being embedded.
    Embedding {
        /// Done so far.
        done: usize,
        /// Total.
        total: usize,
        /// Papers per second so far (see [`Library::pace`]).
        rate: Option<f64>,
        /// Seconds left at that pace.
        eta_s: Option<f64>,
    },
}

/// What one source's sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceReport {
    /// Source name.
    pub source: String,
    /// HTTP requests that returned a body.
    pub requests: usize,
    /// Items seen in responses.
    pub items: usize,
    /// Papers new to the library.
    pub new: usize,
    /// Known papers that changed.
    pub updated: usize,
    /// Items skipped, with reasons.
    pub skipped: Vec<String>,
    /// Why the source stopped early, if it did.
    pub error: Option<String>,
    /// True when the source could not be reached at all.
    pub offline: bool,
    /// Wall time of fetching and storing (embedding comes after, for all sources).
    pub seconds: f64,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// Per source, in order.
    pub sources: Vec<SourceReport>,
    /// Papers embedded after fetching.
    pub embedded: usize,
    /// Why embedding failed, if it did (papers stay stored and are embedded later).
    pub embed_error: Option<String>,
    /// Reading-list entries that waited for a DOI look-up and are library papers now.
    pub list_entries_resolved: usize,
    /// New papers matching alert rules, per rule.
    pub alerts: Vec<crate::alerts::RuleAlert>,
    /// Wall time.
    pub seconds: f64,
}

impl SyncReport {
    /// Papers new to the library across sources.
    pub fn new_papers(&self) -> usize {
        self.sources.iter().map(|s| s.new).sum()
    }
}

/// A [`Sink`] over the library for one source: each page is upserted on a blocking
/// thread and committed before the source asks for the next.
struct LibrarySink<'a> {
    lib: &'a Arc<Library>,
    cursor: Option<String>,
    report: &'a mut SourceReport,
    source: &'static str,
    progress: &'a (dyn Fn(SyncProgress) + Send + Sync),
}

/// Runs the library's synchronous work on a blocking thread (sync and import).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("a library task stopped: {e}")))?
}

impl Sink for LibrarySink<'_> {
    fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    fn fetching(&mut self, what: String) {
        (self.progress)(SyncProgress::Fetching {
            source: self.source,
            what,
        });
    }

    fn answered(&mut self) {
        self.report.requests += 1;
    }

    fn store(&mut self, page: Page) -> BoxFuture<'_, Result<(), Stop>> {
        Box::pin(async move {
            self.report.items += page.items_seen;
            self.report.skipped.extend(page.skipped);
            let lib = self.lib.clone();
            let papers = page.papers;
            let r = blocking(move || lib.upsert_papers(&papers)).await?;
            self.report.new += r.inserted.len();
            self.report.updated += r.updated.len();
            (self.progress)(SyncProgress::Stored {
                source: self.source,
                papers: self.report.new + self.report.updated,
            });
            Ok(())
        })
    }

    fn save_cursor(&mut self, cursor: String) -> BoxFuture<'_, Result<(), Stop>> {
        Box::pin(async move {
            let lib = self.lib.clone();
            let source = self.source;
            blocking(move || lib.set_sync_cursor(source, &cursor)).await?;
            Ok(())
        })
    }
}

/// Runs one sync over the configured sources, then embeds what is new. A full disk
/// stops it with [`Error::DiskFull`]; every page stored before stays.
pub async fn run_sync(
    lib: Arc<Library>,
    cfg: &SyncConfig,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport> {
    let dir = lib.data_dir().to_path_buf();
    sync_sources(lib, cfg, progress)
        .await
        .map_err(|e| e.disk_full(&dir, "sync again"))
}

async fn sync_sources(
    lib: Arc<Library>,
    cfg: &SyncConfig,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport> {
    let started = Instant::now();
    let _one_at_a_time = {
        let lib = lib.clone();
        blocking(move || lib.begin_sync()).await?
    };
    let today = cfg
        .today
        .as_deref()
        .and_then(parse_day)
        .unwrap_or_else(today_utc);
    let mut report = SyncReport::default();
    for source in cfg.sources()? {
        let name = source.name();
        let source_started = Instant::now();
        let mut r = SourceReport {
            source: name.into(),
            ..Default::default()
        };
        let l = lib.clone();
        let cursor = blocking(move || l.sync_state(name)).await?.cursor;
        let mut sink = LibrarySink {
            lib: &lib,
            cursor,
            report: &mut r,
            source: name,
            progress,
        };
        match source.sync(today, &mut sink).await {
            Ok(()) => {}
            Err(Stop::Source(e)) => {
                r.offline = e.is_offline();
                r.error = Some(e.to_string());
            }
            Err(Stop::Library(e)) => return Err(e),
        }
        if r.offline {
            log::info!("{}: {}", r.source, r.error.as_deref().unwrap_or("offline"));
        }
        let (l, error) = (lib.clone(), r.error.clone());
        blocking(move || l.finish_sync(name, error.as_deref())).await?;
        r.seconds = source_started.elapsed().as_secs_f64();
        report.sources.push(r);
    }
    // List entries whose DOI could not be looked up at import (offline) try again.
    match dois::resolve_waiting(&lib, cfg).await {
        Ok(n) => report.list_entries_resolved = n,
        Err(e) if e.is_disk_full() => return Err(e),
        Err(e) => log::warn!("waiting list entries were not resolved: {e}"),
    }
    if lib.embedder().is_some() {
        let lib2 = lib.clone();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let started = std::time::Instant::now();
        let job = tokio::task::spawn_blocking(move || {
            lib2.embed_pending(64, &mut |done, total| {
                let _ = tx.send((done, total, started.elapsed()));
            })
        });
        while let Some((done, total, elapsed)) = rx.recv().await {
            let (rate, eta_s) = Library::pace(done, total, elapsed);
            progress(SyncProgress::Embedding {
                done,
                total,
                rate,
                eta_s,
            });
        }
        match job.await.map_err(|e| Error::Internal(e.to_string()))? {
            Ok(n) => report.embedded = n,
            Err(e) => report.embed_error = Some(e.to_string()),
        }
    }
    // New papers with vectors are scored against the alert rules.
    let lib2 = lib.clone();
    match tokio::task::spawn_blocking(move || lib2.evaluate_alerts()).await {
        Ok(Ok(alerts)) => report.alerts = alerts,
        Ok(Err(e)) => log::warn!("alerts were not evaluated: {e}"),
        Err(e) => log::warn!("alerts were not evaluated: {e}"),
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
