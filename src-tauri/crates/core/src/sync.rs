//! Sync: fetch new papers from the sources, upsert them, embed them.
//!
//! Only the fetching is async; upserts and embedding run on blocking threads. Every
//! page is committed as it arrives, so a sync killed at any moment keeps what it
//! stored and the next run resumes from the per-source cursor. A failing source is
//! reported (and recorded in its sync state) without stopping the others.

use crate::day::{format_day, parse_day, today_utc};
use crate::library::Library;
use crate::model::PaperInput;
use crate::sources::fetch::{FetchPolicy, Fetcher};
use crate::sources::{arxiv, hf, SourceError};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Daily Papers returns at most this many items per page.
const HF_PAGE: usize = 100;
/// arXiv API page size for back-fill.
const ARXIV_PAGE: usize = 200;
/// The arXiv API serves at most this many results of one query.
const ARXIV_MAX_RESULTS: usize = 30_000;
/// A back-fill asks for at most this many days per query: a month of even the busiest
/// categories stays far below [`ARXIV_MAX_RESULTS`] (all of arXiv is about 25,000 a
/// month). A window that still reports more is halved, down to a week.
const ARXIV_WINDOW_DAYS: i64 = 30;

/// Windows are not halved below this: a week of any category set is far below the cap.
const ARXIV_MIN_WINDOW_DAYS: i64 = 7;

/// A range cut into windows of at most [`ARXIV_WINDOW_DAYS`] days, newest first.
fn windows(from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut end = to;
    while end >= from {
        let start = (end - ARXIV_WINDOW_DAYS + 1).max(from);
        out.push((start, end));
        end = start - 1;
    }
    out
}

/// Which sources to sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Hugging Face Daily Papers.
    Hf,
    /// arXiv listings (and API back-fill).
    Arxiv,
}

impl SourceKind {
    /// The name used in sync state and reports.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Hf => "hf",
            SourceKind::Arxiv => "arxiv",
        }
    }
}

/// What to sync and from where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    /// Hugging Face base URL.
    pub hf_url: String,
    /// arXiv API query URL.
    pub arxiv_api_url: String,
    /// arXiv listing feed base URL (categories are appended).
    pub arxiv_feed_url: String,
    /// Minimum time between two arXiv requests (their terms ask for 3 s).
    pub arxiv_delay: Duration,
    /// Sources to sync.
    pub sources: Vec<SourceKind>,
    /// Daily Papers: how many days back, today included.
    pub days: u32,
    /// arXiv categories.
    pub categories: Vec<String>,
    /// arXiv API back-fill depth in days on a source's first sync (0: listings only).
    pub backfill_days: u32,
    /// "Today" as `YYYY-MM-DD` (UTC); `None` uses the clock.
    pub today: Option<String>,
    /// Timeouts and retries.
    pub policy: FetchPolicy,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            hf_url: "https://huggingface.co".into(),
            arxiv_api_url: "https://export.arxiv.org/api/query".into(),
            arxiv_feed_url: "https://rss.arxiv.org/atom".into(),
            arxiv_delay: Duration::from_secs(3),
            sources: vec![SourceKind::Hf, SourceKind::Arxiv],
            days: 7,
            categories: ["cs.LG", "cs.CL", "cs.AI", "cs.CV"]
                .map(String::from)
                .to_vec(),
            backfill_days: 0,
            today: None,
            policy: FetchPolicy::default(),
        }
    }
}

impl SyncConfig {
    /// Defaults with URLs and timings overridden by `PAPERSIFT_HF_URL`,
    /// `PAPERSIFT_ARXIV_API_URL`, `PAPERSIFT_ARXIV_FEED_URL`, `PAPERSIFT_ARXIV_DELAY_MS`,
    /// `PAPERSIFT_HTTP_TIMEOUT_MS` and `PAPERSIFT_HTTP_BACKOFF_MS`.
    pub fn from_env() -> SyncConfig {
        let mut c = SyncConfig::default();
        c.apply_env();
        c.keep_arxiv_polite();
        c
    }

    fn apply_env(&mut self) {
        let c = self;
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("PAPERSIFT_HF_URL") {
            c.hf_url = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = var("PAPERSIFT_ARXIV_API_URL") {
            c.arxiv_api_url = v;
        }
        if let Some(v) = var("PAPERSIFT_ARXIV_FEED_URL") {
            c.arxiv_feed_url = v.trim_end_matches('/').to_string();
        }
        if let Some(ms) = var("PAPERSIFT_ARXIV_DELAY_MS").and_then(|v| v.parse().ok()) {
            c.arxiv_delay = Duration::from_millis(ms);
        }
        if let Some(ms) = var("PAPERSIFT_HTTP_TIMEOUT_MS").and_then(|v| v.parse().ok()) {
            c.policy.timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = var("PAPERSIFT_HTTP_BACKOFF_MS").and_then(|v| v.parse().ok()) {
            c.policy.backoff = Duration::from_millis(ms);
        }
    }

    /// arXiv's terms ask for 3 s between requests: a shorter delay is only allowed
    /// when both arXiv URLs point somewhere else (a mirror or a test server).
    fn keep_arxiv_polite(&mut self) {
        let is_arxiv = |u: &str| {
            reqwest::Url::parse(u)
                .ok()
                .and_then(|u| {
                    u.host_str()
                        .map(|h| h == "arxiv.org" || h.ends_with(".arxiv.org"))
                })
                .unwrap_or(true)
        };
        if is_arxiv(&self.arxiv_api_url) || is_arxiv(&self.arxiv_feed_url) {
            self.arxiv_delay = self.arxiv_delay.max(Duration::from_secs(3));
        }
    }
}

/// What the user chooses in settings; stored as JSON under [`SyncSettings::KEY`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SyncSettings {
    /// Sync Hugging Face Daily Papers.
    pub hf: bool,
    /// Sync arXiv listings for [`categories`](Self::categories).
    pub arxiv: bool,
    /// Daily Papers: how many days back, today included.
    pub days: u32,
    /// arXiv categories (`cs.LG`, `stat.ML`, `hep-th`, …).
    pub categories: Vec<String>,
    /// arXiv API back-fill depth in days (0: only the daily listings).
    pub backfill_days: u32,
    /// Another Hugging Face base URL (a mirror; tests use a loopback server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hf_url: Option<String>,
    /// Another arXiv API query URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arxiv_api_url: Option<String>,
    /// Another arXiv listing feed base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arxiv_feed_url: Option<String>,
    /// Milliseconds between arXiv requests (never below 3 s for arxiv.org itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arxiv_delay_ms: Option<u64>,
}

impl Default for SyncSettings {
    fn default() -> Self {
        let c = SyncConfig::default();
        SyncSettings {
            hf: true,
            arxiv: true,
            days: c.days,
            categories: c.categories,
            backfill_days: c.backfill_days,
            hf_url: None,
            arxiv_api_url: None,
            arxiv_feed_url: None,
            arxiv_delay_ms: None,
        }
    }
}

/// Most Daily Papers days one sync looks back.
pub const MAX_DAYS: u32 = 90;
/// Deepest arXiv back-fill.
pub const MAX_BACKFILL_DAYS: u32 = 365;

impl SyncSettings {
    /// The settings-table key.
    pub const KEY: &'static str = "sync";

    /// Checks ranges and category names; trims and de-duplicates categories.
    pub fn validated(mut self) -> Result<SyncSettings> {
        let mut seen = BTreeSet::new();
        let mut cats = Vec::new();
        for c in &self.categories {
            let c = c.trim();
            if c.is_empty() {
                continue;
            }
            let ok = c.len() <= 24
                && c.starts_with(|ch: char| ch.is_ascii_lowercase())
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-');
            if !ok {
                return Err(Error::Invalid(format!(
                    "“{c}” is not an arXiv category (examples: cs.LG, stat.ML, hep-th)"
                )));
            }
            if seen.insert(c.to_string()) {
                cats.push(c.to_string());
            }
        }
        self.categories = cats;
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(Error::Invalid(format!(
                "Daily Papers days must be between 1 and {MAX_DAYS}"
            )));
        }
        if self.backfill_days > MAX_BACKFILL_DAYS {
            return Err(Error::Invalid(format!(
                "arXiv back-fill is at most {MAX_BACKFILL_DAYS} days"
            )));
        }
        for url in [
            &mut self.hf_url,
            &mut self.arxiv_api_url,
            &mut self.arxiv_feed_url,
        ] {
            if let Some(u) = url.as_deref().map(str::trim) {
                if u.is_empty() {
                    *url = None;
                    continue;
                }
                match reqwest::Url::parse(u) {
                    Ok(p) if matches!(p.scheme(), "http" | "https") && p.has_host() => {
                        *url = Some(u.trim_end_matches('/').to_string());
                    }
                    _ => return Err(Error::Invalid(format!("“{u}” is not an http(s) URL"))),
                }
            }
        }
        if !self.hf && !self.arxiv {
            return Err(Error::Invalid(
                "turn on at least one source (Hugging Face or arXiv)".into(),
            ));
        }
        if self.arxiv && self.categories.is_empty() {
            return Err(Error::Invalid(
                "arXiv sync needs at least one category".into(),
            ));
        }
        Ok(self)
    }

    /// The stored settings, or the defaults.
    pub fn load(lib: &Library) -> Result<SyncSettings> {
        Ok(lib
            .setting::<SyncSettings>(Self::KEY)?
            .and_then(|s| s.validated().ok())
            .unwrap_or_default())
    }

    /// Validates and stores the settings; returns what was stored.
    pub fn save(self, lib: &Library) -> Result<SyncSettings> {
        let s = self.validated()?;
        lib.set_setting(Self::KEY, &s)?;
        Ok(s)
    }
}

impl SyncConfig {
    /// The user's settings, with environment variables (see [`SyncConfig::from_env`])
    /// taking precedence.
    pub fn from_settings(s: &SyncSettings) -> SyncConfig {
        let mut sources = Vec::new();
        if s.hf {
            sources.push(SourceKind::Hf);
        }
        if s.arxiv {
            sources.push(SourceKind::Arxiv);
        }
        let mut c = SyncConfig {
            sources,
            days: s.days,
            categories: s.categories.clone(),
            backfill_days: s.backfill_days,
            ..SyncConfig::default()
        };
        if let Some(u) = &s.hf_url {
            c.hf_url.clone_from(u);
        }
        if let Some(u) = &s.arxiv_api_url {
            c.arxiv_api_url.clone_from(u);
        }
        if let Some(u) = &s.arxiv_feed_url {
            c.arxiv_feed_url.clone_from(u);
        }
        if let Some(ms) = s.arxiv_delay_ms {
            c.arxiv_delay = Duration::from_millis(ms);
        }
        c.apply_env();
        c.keep_arxiv_polite();
        c
    }
}

/// Progress reported while syncing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "stage", rename_all = "lowercase")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Per source, in order.
    pub sources: Vec<SourceReport>,
    /// Papers embedded after fetching.
    pub embedded: usize,
    /// Why embedding failed, if it did (papers stay stored and are embedded later).
    pub embed_error: Option<String>,
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

async fn store(
    lib: &Arc<Library>,
    papers: Vec<PaperInput>,
    report: &mut SourceReport,
) -> Result<()> {
    let lib = lib.clone();
    let r = tokio::task::spawn_blocking(move || lib.upsert_papers(&papers))
        .await
        .map_err(|e| Error::Internal(format!("storing papers failed: {e}")))??;
    report.new += r.inserted.len();
    report.updated += r.updated.len();
    Ok(())
}

/// Runs one sync over the configured sources, then embeds what is new.
pub async fn run_sync(
    lib: Arc<Library>,
    cfg: &SyncConfig,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport> {
    let started = Instant::now();
    let _one_at_a_time = {
        let lib = lib.clone();
        tokio::task::spawn_blocking(move || lib.begin_sync())
            .await
            .map_err(|e| Error::Internal(e.to_string()))??
    };
    let today = cfg
        .today
        .as_deref()
        .and_then(parse_day)
        .unwrap_or_else(today_utc);
    let mut report = SyncReport::default();
    for kind in &cfg.sources {
        let mut r = SourceReport {
            source: kind.name().into(),
            ..Default::default()
        };
        let outcome = match kind {
            SourceKind::Hf => sync_hf(&lib, cfg, today, &mut r, progress).await,
            SourceKind::Arxiv => sync_arxiv(&lib, cfg, today, &mut r, progress).await,
        };
        match outcome {
            Ok(()) => {}
            Err(SyncStop::Source(e)) => {
                r.offline = e.is_offline();
                r.error = Some(e.to_string());
            }
            Err(SyncStop::Library(e)) => return Err(e),
        }
        if r.offline {
            log::info!("{}: {}", r.source, r.error.as_deref().unwrap_or("offline"));
        }
        let lib2 = lib.clone();
        let (source, error) = (kind.name(), r.error.clone());
        tokio::task::spawn_blocking(move || lib2.finish_sync(source, error.as_deref()))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        report.sources.push(r);
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

/// Why a source stopped: its own failure (reported, others go on) or the library's.
enum SyncStop {
    Source(SourceError),
    Library(Error),
}

impl From<SourceError> for SyncStop {
    fn from(e: SourceError) -> Self {
        SyncStop::Source(e)
    }
}

impl From<Error> for SyncStop {
    fn from(e: Error) -> Self {
        SyncStop::Library(e)
    }
}

async fn sync_hf(
    lib: &Arc<Library>,
    cfg: &SyncConfig,
    today: i64,
    r: &mut SourceReport,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), SyncStop> {
    let fetcher = Fetcher::new(cfg.policy.clone());
    let state = lib.sync_state("hf")?;
    let window_start = today - i64::from(cfg.days.max(1)) + 1;
    let first = state
        .cursor
        .as_deref()
        .and_then(parse_day)
        .map_or(window_start, |c| (c + 1).max(window_start));
    for day in first..=today {
        let date = format_day(day);
        for p in 0.. {
            progress(SyncProgress::Fetching {
                source: "hf",
                what: format!("{date} page {}", p + 1),
            });
            let url = format!(
                "{}/api/daily_papers?date={date}&p={p}&limit={HF_PAGE}",
                cfg.hf_url
            );
            let body = fetcher.get(&url).await?;
            r.requests += 1;
            let page = hf::parse_daily_papers(&body)?;
            r.items += page.items_seen;
            r.skipped
                .extend(page.skipped.into_iter().map(|s| format!("{date}: {s}")));
            store(lib, page.papers, r).await?;
            progress(SyncProgress::Stored {
                source: "hf",
                papers: r.new + r.updated,
            });
            if page.items_seen < HF_PAGE {
                break;
            }
        }
        // Today is never complete: new papers arrive all day.
        if day < today {
            lib.set_sync_cursor("hf", &date)?;
        }
    }
    Ok(())
}

/// What the arXiv API has covered, kept as the arXiv sync cursor (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ArxivCoverage {
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

/// The listing feed shows one announcement day; a gap longer than this since the last
/// sync is not filled (the user can ask for a back-fill instead).
const MAX_GAP_DAYS: i64 = 14;

/// Which API queries a sync needs, given what earlier syncs covered: the gap since the
/// last sync (the feed only shows the latest announcement), the back-fill for newly
/// added categories, and a deeper back-fill when the user raised the depth. Returns the
/// queries and the coverage to store once they succeed.
fn plan_arxiv(
    prev: Option<&ArxivCoverage>,
    categories: &[String],
    backfill_days: u32,
    today: i64,
) -> (Vec<ApiRange>, ArxivCoverage) {
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
    let coverage = ArxivCoverage {
        categories: categories.to_vec(),
        from: from.map(format_day),
        to: format_day(today),
    };
    (ranges, coverage)
}

async fn sync_arxiv(
    lib: &Arc<Library>,
    cfg: &SyncConfig,
    today: i64,
    r: &mut SourceReport,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), SyncStop> {
    if cfg.categories.is_empty() {
        return Ok(());
    }
    let fetcher = Fetcher::new(FetchPolicy {
        min_interval: cfg.arxiv_delay,
        ..cfg.policy.clone()
    });
    let state = lib.sync_state("arxiv")?;
    progress(SyncProgress::Fetching {
        source: "arxiv",
        what: "new listings".into(),
    });
    let url = format!("{}/{}", cfg.arxiv_feed_url, cfg.categories.join("+"));
    let body = fetcher.get(&url).await?;
    r.requests += 1;
    let page = arxiv::parse_atom(&body)?.page;
    r.items += page.items_seen;
    r.skipped.extend(page.skipped);
    store(lib, page.papers, r).await?;
    progress(SyncProgress::Stored {
        source: "arxiv",
        papers: r.new + r.updated,
    });

    let prev: Option<ArxivCoverage> = state
        .cursor
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok());
    let (ranges, coverage) = plan_arxiv(prev.as_ref(), &cfg.categories, cfg.backfill_days, today);
    // Work list of (categories, from, to), popped newest first.
    let mut work: Vec<(&[String], i64, i64)> = Vec::new();
    for range in ranges.iter().rev() {
        for (from, to) in windows(range.from, range.to).into_iter().rev() {
            work.push((&range.categories, from, to));
        }
    }
    'window: while let Some((categories, from, to)) = work.pop() {
        let cats: Vec<String> = categories.iter().map(|c| format!("cat:{c}")).collect();
        let query = format!(
            "({}) AND submittedDate:[{}0000 TO {}2359]",
            cats.join(" OR "),
            format_day(from).replace('-', ""),
            format_day(to).replace('-', "")
        );
        let mut start = 0;
        loop {
            progress(SyncProgress::Fetching {
                source: "arxiv",
                what: format!(
                    "{} to {}, from result {start}",
                    format_day(from),
                    format_day(to)
                ),
            });
            let mut url = reqwest::Url::parse(&cfg.arxiv_api_url).map_err(|e| {
                Error::Invalid(format!("bad arXiv API URL {}: {e}", cfg.arxiv_api_url))
            })?;
            url.query_pairs_mut()
                .append_pair("search_query", &query)
                .append_pair("sortBy", "submittedDate")
                .append_pair("sortOrder", "descending")
                .append_pair("start", &start.to_string())
                .append_pair("max_results", &ARXIV_PAGE.to_string());
            let body = fetcher.get(url.as_str()).await?;
            r.requests += 1;
            let page = arxiv::parse_atom(&body)?;
            if start == 0
                && to - from + 1 > ARXIV_MIN_WINDOW_DAYS
                && page.total_results.is_some_and(|t| t > ARXIV_MAX_RESULTS)
            {
                // More than the API will page through: halve the window (newer half
                // first) rather than lose the rest.
                let mid = from + (to - from) / 2;
                work.push((categories, from, mid));
                work.push((categories, mid + 1, to));
                continue 'window;
            }
            let seen = page.page.items_seen;
            r.items += seen;
            r.skipped.extend(page.page.skipped);
            store(lib, page.page.papers, r).await?;
            progress(SyncProgress::Stored {
                source: "arxiv",
                papers: r.new + r.updated,
            });
            start += seen;
            if seen == 0
                || start >= ARXIV_MAX_RESULTS
                || page.total_results.is_some_and(|t| start >= t)
            {
                break;
            }
        }
    }
    let cursor = serde_json::to_string(&coverage)
        .map_err(|e| Error::Internal(format!("arXiv sync state: {e}")))?;
    lib.set_sync_cursor("arxiv", &cursor)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(w.iter().all(|(a, b)| b - a < ARXIV_WINDOW_DAYS && b >= a));
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
        let (r, cov) = plan_arxiv(None, &cats(&["cs.LG"]), 0, today);
        assert!(r.is_empty());
        assert_eq!(cov.from, None);
        assert_eq!(cov.to, "2026-11-27");
        // First run with a 7-day back-fill: one query over the window.
        let (r, cov) = plan_arxiv(None, &cats(&["cs.LG", "cs.CL"]), 7, today);
        assert_eq!(
            r,
            vec![range(&["cs.LG", "cs.CL"], "2026-11-21", "2026-11-27")]
        );
        assert_eq!(cov.from.as_deref(), Some("2026-11-21"));
        // Again the same day: nothing to ask the API.
        let (r2, cov2) = plan_arxiv(Some(&cov), &cats(&["cs.LG", "cs.CL"]), 7, today);
        assert!(r2.is_empty(), "{r2:?}");
        assert_eq!(cov2, cov);
    }

    #[test]
    fn arxiv_plan_fills_gaps_new_categories_and_deeper_backfill() {
        let prev = ArxivCoverage {
            categories: cats(&["cs.LG"]),
            from: Some("2026-11-21".into()),
            to: "2026-11-24".into(),
        };
        let today = day("2026-11-27");
        // Three days away: the gap (with two days' overlap) for the known category.
        let (r, cov) = plan_arxiv(Some(&prev), &cats(&["cs.LG"]), 7, today);
        assert_eq!(r, vec![range(&["cs.LG"], "2026-11-23", "2026-11-27")]);
        assert_eq!(cov.from.as_deref(), Some("2026-11-21"));
        // A new category gets the whole window; a deeper back-fill adds the older days
        // for the known one, merged with its gap.
        let (r, cov) = plan_arxiv(Some(&prev), &cats(&["cs.LG", "cs.CV"]), 30, today);
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
        let (r, cov) = plan_arxiv(
            Some(&prev),
            &cats(&["cs.LG", "cs.CV"]),
            0,
            day("2027-01-31"),
        );
        assert_eq!(r, vec![range(&["cs.LG"], "2027-01-18", "2027-01-31")]);
        assert_eq!(cov.from, None);
    }

    #[test]
    fn settings_are_validated() {
        let ok = SyncSettings {
            categories: cats(&[" cs.LG", "stat.ML", "cs.LG", "hep-th", ""]),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.categories, cats(&["cs.LG", "stat.ML", "hep-th"]));
        let bad = |s: SyncSettings| s.validated().unwrap_err().to_string();
        assert!(bad(SyncSettings {
            categories: cats(&["cs.LG; DROP"]),
            ..Default::default()
        })
        .contains("is not an arXiv category"));
        assert!(bad(SyncSettings {
            days: 0,
            ..Default::default()
        })
        .contains("between 1 and 90"));
        assert!(bad(SyncSettings {
            backfill_days: 400,
            ..Default::default()
        })
        .contains("at most 365"));
        assert!(bad(SyncSettings {
            categories: vec![],
            ..Default::default()
        })
        .contains("at least one category"));
        let lib = Library::open_in_memory(None).unwrap();
        assert_eq!(SyncSettings::load(&lib).unwrap(), SyncSettings::default());
        let stored = SyncSettings {
            backfill_days: 30,
            hf: false,
            ..Default::default()
        }
        .save(&lib)
        .unwrap();
        assert_eq!(SyncSettings::load(&lib).unwrap(), stored);
        let cfg = SyncConfig::from_settings(&stored);
        assert_eq!(cfg.sources, vec![SourceKind::Arxiv]);
        assert_eq!(cfg.backfill_days, 30);
        assert!(bad(SyncSettings {
            hf_url: Some("file:///etc/passwd".into()),
            ..Default::default()
        })
        .contains("not an http(s) URL"));
        // arXiv itself is never asked more often than every 3 s; a mirror may be.
        let fast = SyncSettings {
            arxiv_delay_ms: Some(10),
            ..Default::default()
        };
        assert_eq!(
            SyncConfig::from_settings(&fast).arxiv_delay,
            Duration::from_secs(3)
        );
        let mirror = SyncSettings {
            arxiv_api_url: Some("http://127.0.0.1:9/api/query".into()),
            arxiv_feed_url: Some("http://127.0.0.1:9/atom/".into()),
            ..fast
        }
        .validated()
        .unwrap();
        assert_eq!(
            mirror.arxiv_feed_url.as_deref(),
            Some("http://127.0.0.1:9/atom")
        );
        assert_eq!(
            SyncConfig::from_settings(&mirror).arxiv_delay,
            Duration::from_millis(10)
        );
    }
}
