//! HTTP GET with the manners public APIs ask for: one request at a time per source, a
//! minimum interval between requests, timeouts, and retries with bounded exponential
//! backoff plus jitter for timeouts, cut-off bodies, 5xx and 429 (honouring
//! `Retry-After`). Connection refused or no route means offline: reported at once,
//! not retried, so an offline sync is quick and quiet.

use super::SourceError;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Retry and politeness settings.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchPolicy {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff; doubles each retry.
    pub backoff: Duration,
    /// Longest single wait (backoff or `Retry-After`); a longer `Retry-After` gives up.
    pub max_wait: Duration,
    /// Minimum time between the starts of two requests.
    pub min_interval: Duration,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            min_interval: Duration::ZERO,
        }
    }
}

/// Whether `url` is an absolute http(s) URL with a host: what a source may be pointed at.
pub fn is_http_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|p| matches!(p.scheme(), "http" | "https") && p.has_host())
}

/// Whether `url` is served by `host` or one of its subdomains; a URL that does not
/// parse counts as served by it (so the provider's pace is kept when in doubt).
pub fn served_by(url: &str, host: &str) -> bool {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h == host || h.ends_with(&format!(".{host}")))
        })
        .unwrap_or(true)
}

/// A provider's API at one base URL (its own, a mirror, a test server), asked through
/// one polite [`Fetcher`].
pub struct Endpoint {
    base: String,
    fetcher: Fetcher,
}

impl Endpoint {
    /// The API at `base` (a trailing `/` is dropped).
    pub fn new(base: &str, policy: FetchPolicy) -> Endpoint {
        Endpoint {
            base: base.trim_end_matches('/').to_string(),
            fetcher: Fetcher::new(policy),
        }
    }

    /// GETs `path` (from its leading `/`, with any query) below the base.
    pub async fn get(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.fetcher.get(&format!("{}{path}", self.base)).await
    }
}

/// A polite HTTP client for one source.
pub struct Fetcher {
    client: reqwest::Client,
    policy: FetchPolicy,
    last_start: Mutex<Option<Instant>>,
}

enum Attempt {
    Done(Vec<u8>),
    Retry(SourceError, Option<Duration>),
    Fail(SourceError),
}

/// A jitter factor in [0.5, 1.0) from the clock: enough to spread retries, no RNG needed.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    0.5 + f64::from(nanos % 1000) / 2000.0
}

impl Fetcher {
    /// A fetcher with the given policy.
    pub fn new(policy: FetchPolicy) -> Fetcher {
        let client = reqwest::Client::builder()
            .user_agent(concat!(
                "Papersift/",
                env!("CARGO_PKG_VERSION"),
                " (desktop paper reader)"
            ))
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .build()
            .expect("HTTP client builds");
        Fetcher {
            client,
            policy,
            last_start: Mutex::new(None),
        }
    }

    /// GETs `url`, retrying as the policy allows, and returns the body.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, SourceError> {
        let mut attempt = 0;
        loop {
            self.wait_turn().await;
            match self.try_once(url).await {
                Attempt::Done(body) => return Ok(body),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e, _) if attempt >= self.policy.retries => return Err(e),
                Attempt::Retry(e, asked) => {
                    let backoff = self
                        .policy
                        .backoff
                        .mul_f64(2f64.powi(attempt as i32) * jitter());
                    let wait = asked.unwrap_or(backoff);
                    if wait > self.policy.max_wait {
                        return Err(e);
                    }
                    log::info!("{e}; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Sleeps until `min_interval` has passed since the previous request started.
    async fn wait_turn(&self) {
        let mut last = self.last_start.lock().await;
        if let Some(t) = *last {
            let due = t + self.policy.min_interval;
            let now = Instant::now();
            if due > now {
                tokio::time::sleep(due - now).await;
            }
        }
        *last = Some(Instant::now());
    }

    async fn try_once(&self, url: &str) -> Attempt {
        let resp = match self.client.get(url).send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry(SourceError::Timeout(url.into()), None)
            }
            Err(e) if e.is_connect() => return Attempt::Fail(SourceError::Offline(host_of(url))),
            Err(e) => return Attempt::Retry(SourceError::Truncated(format!("{url} ({e})")), None),
        };
        let status = resp.status();
        if status.as_u16() == 429 {
            let secs = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(5);
            return Attempt::Retry(
                SourceError::RateLimited {
                    url: url.into(),
                    retry_after_s: secs,
                },
                Some(Duration::from_secs(secs)),
            );
        }
        if status.is_server_error() {
            return Attempt::Retry(
                SourceError::Http {
                    status: status.as_u16(),
                    url: url.into(),
                },
                None,
            );
        }
        if !status.is_success() {
            return Attempt::Fail(SourceError::Http {
                status: status.as_u16(),
                url: url.into(),
            });
        }
        match resp.bytes().await {
            Ok(b) => Attempt::Done(b.to_vec()),
            Err(e) if e.is_timeout() => Attempt::Retry(SourceError::Timeout(url.into()), None),
            Err(_) => Attempt::Retry(SourceError::Truncated(url.into()), None),
        }
    }
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| url.to_string())
}
