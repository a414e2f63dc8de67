//! What to sync and from where: the user's [`SyncSettings`] (stored in the library),
//! and the [`SyncConfig`] one run uses (settings, then environment overrides), which
//! builds the enabled [`Source`]s. A new source is one entry here.

use crate::library::Library;
use crate::sources::fetch::{self, FetchPolicy};
use crate::sources::{arxiv, biorxiv, crossref, feeds, hf, openreview, Source};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Duration;

/// Which sources to sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Hugging Face Daily Papers.
    Hf,
    /// arXiv listings (and API back-fill).
    Arxiv,
    /// bioRxiv.
    Biorxiv,
    /// medRxiv.
    Medrxiv,
    /// The accepted papers of OpenReview venues.
    Openreview,
    /// The journal feeds the user added.
    Feeds,
}

impl SourceKind {
    /// Every source, in sync order.
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Hf,
        SourceKind::Arxiv,
        SourceKind::Biorxiv,
        SourceKind::Medrxiv,
        SourceKind::Openreview,
        SourceKind::Feeds,
    ];

    /// The name used in sync state, reports and `papersift sync --source`.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Hf => "hf",
            SourceKind::Arxiv => "arxiv",
            SourceKind::Biorxiv => "biorxiv",
            SourceKind::Medrxiv => "medrxiv",
            SourceKind::Openreview => "openreview",
            SourceKind::Feeds => "feeds",
        }
    }

    /// The source of a name; `None` for an unknown one.
    pub fn parse(name: &str) -> Option<SourceKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
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
    /// bioRxiv/medRxiv API base URL.
    pub biorxiv_url: String,
    /// bioRxiv subjects to keep (all when empty).
    pub biorxiv_subjects: Vec<String>,
    /// medRxiv subjects to keep (all when empty).
    pub medrxiv_subjects: Vec<String>,
    /// Journal feed addresses.
    pub feed_urls: Vec<String>,
    /// OpenReview API v2 base URL.
    pub openreview_url: String,
    /// OpenReview venue ids.
    pub openreview_venues: Vec<String>,
    /// Crossref REST API base URL.
    pub crossref_url: String,
    /// The contact address sent with Crossref requests (its polite pool).
    pub contact_email: Option<String>,
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
            biorxiv_url: "https://api.biorxiv.org".into(),
            biorxiv_subjects: Vec::new(),
            medrxiv_subjects: Vec::new(),
            feed_urls: Vec::new(),
            openreview_url: "https://api2.openreview.net".into(),
            openreview_venues: Vec::new(),
            crossref_url: "https://api.crossref.org".into(),
            contact_email: None,
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
    /// `PAPERSIFT_BIORXIV_URL`, `PAPERSIFT_OPENREVIEW_URL`, `PAPERSIFT_CROSSREF_URL`,
    /// `PAPERSIFT_HTTP_TIMEOUT_MS` and
    /// `PAPERSIFT_HTTP_BACKOFF_MS`.
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
        if let Some(v) = var("PAPERSIFT_BIORXIV_URL") {
            c.biorxiv_url = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = var("PAPERSIFT_OPENREVIEW_URL") {
            c.openreview_url = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = var("PAPERSIFT_CROSSREF_URL") {
            c.crossref_url = v.trim_end_matches('/').to_string();
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
        let is_arxiv = |u: &str| fetch::served_by(u, "arxiv.org");
        if is_arxiv(&self.arxiv_api_url) || is_arxiv(&self.arxiv_feed_url) {
            self.arxiv_delay = self.arxiv_delay.max(Duration::from_secs(3));
        }
    }
}

/// What the user chooses in settings; stored as JSON under [`SyncSettings::KEY`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, rename_all = "camelCase")]
pub struct SyncSettings {
    /// Sync Hugging Face Daily Papers.
    pub hf: bool,
    /// Sync arXiv listings for [`categories`](Self::categories).
    pub arxiv: bool,
    /// Sync bioRxiv, for [`biorxiv_subjects`](Self::biorxiv_subjects).
    pub biorxiv: bool,
    /// Sync medRxiv, for [`medrxiv_subjects`](Self::medrxiv_subjects).
    pub medrxiv: bool,
    /// Sync the accepted papers of [`openreview_venues`](Self::openreview_venues).
    pub openreview: bool,
    /// Sync the journal feeds of [`feed_urls`](Self::feed_urls).
    pub feeds: bool,
    /// Daily Papers, bioRxiv and medRxiv: how many days back, today included.
    pub days: u32,
    /// arXiv categories (`cs.LG`, `stat.ML`, `hep-th`, …).
    pub categories: Vec<String>,
    /// arXiv API back-fill depth in days (0: only the daily listings).
    pub backfill_days: u32,
    /// bioRxiv subjects (`neuroscience`, `cell biology`); all when empty.
    pub biorxiv_subjects: Vec<String>,
    /// medRxiv subjects (`epidemiology`, `infectious diseases`); all when empty.
    pub medrxiv_subjects: Vec<String>,
    /// OpenReview venue ids (`ICLR.cc/2026/Conference`).
    pub openreview_venues: Vec<String>,
    /// Journal (or any site's) RSS and Atom feed addresses.
    pub feed_urls: Vec<String>,
    /// Another bioRxiv/medRxiv API base URL (tests use a loopback server).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub biorxiv_url: Option<String>,
    /// The address Crossref may contact about this app's requests (it serves them from
    /// its faster "polite" pool); none is sent when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contact_email: Option<String>,
    /// Zotero's data folder, when it is not where Zotero keeps it by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub zotero_dir: Option<String>,
    /// Another OpenReview API base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub openreview_url: Option<String>,
    /// Another Crossref API base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub crossref_url: Option<String>,
    /// Another Hugging Face base URL (a mirror; tests use a loopback server).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hf_url: Option<String>,
    /// Another arXiv API query URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arxiv_api_url: Option<String>,
    /// Another arXiv listing feed base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arxiv_feed_url: Option<String>,
    /// Milliseconds between arXiv requests (never below 3 s for arxiv.org itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arxiv_delay_ms: Option<u64>,
}

impl Default for SyncSettings {
    fn default() -> Self {
        let c = SyncConfig::default();
        SyncSettings {
            hf: true,
            arxiv: true,
            biorxiv: false,
            medrxiv: false,
            openreview: false,
            feeds: false,
            days: c.days,
            categories: c.categories,
            backfill_days: c.backfill_days,
            biorxiv_subjects: Vec::new(),
            medrxiv_subjects: Vec::new(),
            openreview_venues: Vec::new(),
            feed_urls: Vec::new(),
            biorxiv_url: None,
            openreview_url: None,
            contact_email: None,
            zotero_dir: None,
            crossref_url: None,
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
/// Most journal feeds.
pub const MAX_FEEDS: usize = 500;

impl SyncSettings {
    /// The settings-table key.
    pub const KEY: &'static str = "sync";

    /// Whether a source is turned on.
    pub fn enabled(&self, kind: SourceKind) -> bool {
        match kind {
            SourceKind::Hf => self.hf,
            SourceKind::Arxiv => self.arxiv,
            SourceKind::Biorxiv => self.biorxiv,
            SourceKind::Medrxiv => self.medrxiv,
            SourceKind::Openreview => self.openreview,
            SourceKind::Feeds => self.feeds,
        }
    }

    /// Turns a source on or off.
    pub fn set_enabled(&mut self, kind: SourceKind, on: bool) {
        *match kind {
            SourceKind::Hf => &mut self.hf,
            SourceKind::Arxiv => &mut self.arxiv,
            SourceKind::Biorxiv => &mut self.biorxiv,
            SourceKind::Medrxiv => &mut self.medrxiv,
            SourceKind::Openreview => &mut self.openreview,
            SourceKind::Feeds => &mut self.feeds,
        } = on;
    }

    /// Turns on every source that has what it needs (OpenReview its venues, feeds their
    /// addresses), the others off: `papersift sync --source all`.
    pub fn enable_all(&mut self) {
        for kind in SourceKind::ALL {
            let ready = match kind {
                SourceKind::Openreview => !self.openreview_venues.is_empty(),
                SourceKind::Feeds => !self.feed_urls.is_empty(),
                _ => true,
            };
            self.set_enabled(kind, ready);
        }
    }

    /// The sources turned on, in sync order.
    pub fn sources(&self) -> Vec<SourceKind> {
        SourceKind::ALL
            .into_iter()
            .filter(|k| self.enabled(*k))
            .collect()
    }

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
        for subjects in [&mut self.biorxiv_subjects, &mut self.medrxiv_subjects] {
            let mut kept: Vec<String> = Vec::new();
            for s in subjects.iter() {
                let s = crate::model::normalize_whitespace(&s.replace('_', " ")).to_lowercase();
                if s.is_empty() || kept.contains(&s) {
                    continue;
                }
                if s.len() > 60
                    || !s
                        .chars()
                        .all(|c| c.is_alphanumeric() || " -,()'".contains(c))
                {
                    return Err(Error::Invalid(format!(
                        "“{s}” is not a bioRxiv or medRxiv subject (examples: neuroscience, epidemiology)"
                    )));
                }
                kept.push(s);
            }
            *subjects = kept;
        }
        let mut urls: Vec<String> = Vec::new();
        for u in &self.feed_urls {
            let u = feeds::check_url(u)?;
            if !urls.contains(&u) {
                urls.push(u);
            }
        }
        if urls.len() > MAX_FEEDS {
            return Err(Error::Invalid(format!("at most {MAX_FEEDS} feeds")));
        }
        self.feed_urls = urls;
        let mut venues: Vec<String> = Vec::new();
        for v in self
            .openreview_venues
            .iter()
            .filter(|v| !v.trim().is_empty())
        {
            let v = openreview::check_venue(v)?;
            if !venues.contains(&v) {
                venues.push(v);
            }
        }
        self.openreview_venues = venues;
        if self.openreview && self.openreview_venues.is_empty() {
            return Err(Error::Invalid(
                "OpenReview sync needs at least one venue (example: ICLR.cc/2026/Conference)"
                    .into(),
            ));
        }
        if self.feeds && self.feed_urls.is_empty() {
            self.feeds = false;
        }
        for url in [
            &mut self.hf_url,
            &mut self.arxiv_api_url,
            &mut self.arxiv_feed_url,
            &mut self.biorxiv_url,
            &mut self.openreview_url,
            &mut self.crossref_url,
        ] {
            if let Some(u) = url.as_deref().map(str::trim) {
                if u.is_empty() {
                    *url = None;
                    continue;
                }
                if !fetch::is_http_url(u) {
                    return Err(Error::Invalid(format!("“{u}” is not an http(s) URL")));
                }
                *url = Some(u.trim_end_matches('/').to_string());
            }
        }
        if let Some(e) = self.contact_email.as_deref().map(str::trim) {
            let ok = e.len() <= 200
                && e.split_once('@')
                    .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'))
                && !e.chars().any(|c| c.is_whitespace() || c.is_control());
            if e.is_empty() {
                self.contact_email = None;
            } else if !ok {
                return Err(Error::Invalid(format!("“{e}” is not an e-mail address")));
            } else {
                self.contact_email = Some(e.to_string());
            }
        }
        if let Some(d) = self.zotero_dir.as_deref().map(str::trim) {
            self.zotero_dir = (!d.is_empty()).then(|| d.to_string());
        }
        if self.sources().is_empty() {
            return Err(Error::Invalid("turn on at least one source".into()));
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

/// A feed the user follows, with its title as the last sync read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FeedInfo {
    /// The address.
    pub url: String,
    /// The feed's own title, once a sync has read it.
    pub title: Option<String>,
}

/// The feeds the user follows.
pub fn feed_list(lib: &Library) -> Result<Vec<FeedInfo>> {
    let s = SyncSettings::load(lib)?;
    let state = lib.sync_state(SourceKind::Feeds.name())?;
    let titles = feeds::titles(state.cursor.as_deref());
    Ok(s.feed_urls
        .into_iter()
        .map(|url| FeedInfo {
            title: titles.get(&url).cloned(),
            url,
        })
        .collect())
}

/// Follows a feed (and turns feeds on); the feeds followed now.
pub fn add_feed(lib: &Library, url: &str) -> Result<Vec<FeedInfo>> {
    let url = feeds::check_url(url)?;
    let mut s = SyncSettings::load(lib)?;
    if !s.feed_urls.contains(&url) {
        s.feed_urls.push(url);
    }
    s.feeds = true;
    s.save(lib)?;
    feed_list(lib)
}

/// Stops following a feed, named by its address or its number in [`feed_list`]
/// (from 1); its papers stay in the library. When it was the last feed and feeds were
/// the only source, Daily Papers (the default source) is turned back on. The feeds
/// followed now.
pub fn remove_feed(lib: &Library, which: &str) -> Result<Vec<FeedInfo>> {
    let mut s = SyncSettings::load(lib)?;
    let at = match which.trim().parse::<usize>() {
        Ok(n) if (1..=s.feed_urls.len()).contains(&n) => Some(n - 1),
        _ => s.feed_urls.iter().position(|u| u == which.trim()),
    };
    let Some(at) = at else {
        return Err(Error::Invalid(format!(
            "no feed “{}” is followed",
            which.trim()
        )));
    };
    s.feed_urls.remove(at);
    if s.feed_urls.is_empty() {
        s.feeds = false;
        if s.sources().is_empty() {
            s.hf = true; // the app needs a source; Daily Papers is the default one
        }
    }
    s.save(lib)?;
    feed_list(lib)
}

impl SyncConfig {
    /// The user's settings, with environment variables (see [`SyncConfig::from_env`])
    /// taking precedence.
    pub fn from_settings(s: &SyncSettings) -> SyncConfig {
        let mut c = SyncConfig {
            sources: s.sources(),
            days: s.days,
            categories: s.categories.clone(),
            backfill_days: s.backfill_days,
            biorxiv_subjects: s.biorxiv_subjects.clone(),
            medrxiv_subjects: s.medrxiv_subjects.clone(),
            feed_urls: s.feed_urls.clone(),
            openreview_venues: s.openreview_venues.clone(),
            ..SyncConfig::default()
        };
        if let Some(u) = &s.openreview_url {
            c.openreview_url.clone_from(u);
        }
        if let Some(u) = &s.biorxiv_url {
            c.biorxiv_url.clone_from(u);
        }
        if let Some(u) = &s.crossref_url {
            c.crossref_url.clone_from(u);
        }
        c.contact_email.clone_from(&s.contact_email);
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

impl SyncConfig {
    /// The enabled sources, in sync order.
    pub fn sources(&self) -> Result<Vec<Box<dyn Source>>> {
        let mut out: Vec<Box<dyn Source>> = Vec::new();
        for kind in &self.sources {
            out.push(match kind {
                SourceKind::Hf => Box::new(hf::DailyPapers {
                    client: self.hf_client(),
                    days: self.days,
                }),
                SourceKind::Arxiv => Box::new(arxiv::Listings {
                    client: self.arxiv_client()?,
                    categories: self.categories.clone(),
                    backfill_days: self.backfill_days,
                }),
                SourceKind::Biorxiv | SourceKind::Medrxiv => {
                    let (server, subjects) = match kind {
                        SourceKind::Biorxiv => (biorxiv::Server::Biorxiv, &self.biorxiv_subjects),
                        _ => (biorxiv::Server::Medrxiv, &self.medrxiv_subjects),
                    };
                    Box::new(biorxiv::Preprints {
                        client: biorxiv::Client::new(
                            &self.biorxiv_url,
                            server,
                            self.polite(&self.biorxiv_url, "api.biorxiv.org", 1_000),
                        ),
                        subjects: subjects.clone(),
                        days: self.days,
                    })
                }
                SourceKind::Openreview => Box::new(openreview::Venues {
                    client: openreview::Client::new(
                        &self.openreview_url,
                        self.polite(&self.openreview_url, "api2.openreview.net", 1_000),
                    ),
                    venues: self.openreview_venues.clone(),
                }),
                SourceKind::Feeds => Box::new(feeds::Feeds::new(
                    self.feed_urls.clone(),
                    self.policy.clone(),
                )),
            });
        }
        Ok(out)
    }

    /// An arXiv client at the configured URLs, keeping the configured delay.
    pub fn arxiv_client(&self) -> Result<arxiv::Client> {
        arxiv::Client::new(
            &self.arxiv_api_url,
            &self.arxiv_feed_url,
            FetchPolicy {
                min_interval: self.arxiv_delay,
                ..self.policy.clone()
            },
        )
    }

    /// The fetch policy for a provider at `url`: at least `ms` between requests when
    /// `url` is the provider's own `host` (its documented or asked-for pace), none for a
    /// mirror or a test server.
    fn polite(&self, url: &str, host: &str, ms: u64) -> FetchPolicy {
        FetchPolicy {
            min_interval: if fetch::served_by(url, host) {
                Duration::from_millis(ms)
            } else {
                Duration::ZERO
            },
            ..self.policy.clone()
        }
    }

    /// A Crossref client at the configured URL, with the contact address. Crossref's
    /// public pool allows a few single-record requests a second: one every 200 ms.
    pub fn crossref_client(&self) -> crossref::Client {
        crossref::Client::new(
            &self.crossref_url,
            self.contact_email.as_deref(),
            self.polite(&self.crossref_url, "api.crossref.org", 200),
        )
    }

    /// A Hugging Face client at the configured URL.
    pub fn hf_client(&self) -> hf::Client {
        hf::Client::new(&self.hf_url, self.policy.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
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
