//! Save to Zotero: sending a paper to the Zotero running on this machine through its
//! connector server (`http://127.0.0.1:23119`), as Zotero's browser connector does:
//! `GET /connector/ping`, then `POST /connector/saveItems` with the item in Zotero's
//! translator JSON ([`crate::export::zotero_item`]) and the connector's headers
//! (`X-Zotero-Version`, `X-Zotero-Connector-API-Version: 3`). Zotero puts the item in
//! the collection selected in its window.
//!
//! Not here: reading Zotero's library (`import::zotero`).

use crate::model::Paper;
use crate::{Error, Result};
use std::time::Duration;

/// Where Zotero's connector server listens.
pub const DEFAULT_URL: &str = "http://127.0.0.1:23119";
/// The connector protocol version Papersift speaks (Zotero's `CONNECTOR_API_VERSION`).
pub const API_VERSION: &str = "3";
/// The Zotero version Papersift says it is compatible with, as the connector does.
const ZOTERO_VERSION: &str = "5.0.97";

/// The connector server's address: `PAPERSIFT_ZOTERO_URL` (tests use a loopback
/// server), else Zotero's own.
pub fn base_url() -> String {
    std::env::var("PAPERSIFT_ZOTERO_URL")
        .ok()
        .map(|u| u.trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_string())
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    /// The paper's title.
    pub title: String,
    /// Whether a PDF link went with it.
    pub with_pdf: bool,
}

const NOT_RUNNING: &str =
    "Zotero is not running: start Zotero (with its connector server on, as by default) and save again";

/// Sends `paper` to the running Zotero at `base`. Fails with one clear message when
/// Zotero is not running, when its selected library cannot be edited, or when it
/// refuses the item; nothing is changed on this side either way.
pub async fn save(base: &str, paper: &Paper) -> Result<Saved> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .connect_timeout(Duration::from_secs(3))
        .no_proxy()
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let ping = client
        .get(format!("{base}/connector/ping"))
        .header("X-Zotero-Connector-API-Version", API_VERSION)
        .send()
        .await
        .map_err(|e| {
            if e.is_connect() || e.is_timeout() {
                Error::Invalid(NOT_RUNNING.into())
            } else {
                Error::Invalid(format!("Zotero's connector did not answer: {e}"))
            }
        })?;
    if !ping.status().is_success() {
        return Err(Error::Invalid(format!(
            "what answers on {base} is not Zotero (HTTP {} to /connector/ping)",
            ping.status().as_u16()
        )));
    }
    let item = crate::export::zotero_item(paper, &paper.key);
    let with_pdf = item["attachments"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    // A session id Zotero already holds (a second save of one paper) gets a new one.
    for attempt in 0..3 {
        let body = serde_json::json!({
            "sessionID": session_id(paper, attempt),
            "uri": crate::export::link(paper).unwrap_or_default(),
            "items": [item],
        });
        let resp = client
            .post(format!("{base}/connector/saveItems"))
            .header("Content-Type", "application/json")
            .header("X-Zotero-Version", ZOTERO_VERSION)
            .header("X-Zotero-Connector-API-Version", API_VERSION)
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    Error::Invalid(NOT_RUNNING.into())
                } else {
                    Error::Invalid(format!("Zotero did not take the paper: {e}"))
                }
            })?;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        match status {
            200..=299 => {
                return Ok(Saved {
                    title: paper.title.clone(),
                    with_pdf,
                })
            }
            409 if text.contains("SESSION_EXISTS") => continue,
            500 if text.contains("libraryEditable") => return Err(Error::Invalid(
                "the library selected in Zotero is read-only: pick one you can edit and save again"
                    .into(),
            )),
            _ => {
                let detail: String = text.chars().take(200).collect();
                return Err(Error::Invalid(format!(
                    "Zotero did not take the paper (HTTP {status}{}{detail})",
                    if detail.is_empty() { "" } else { ": " }
                )));
            }
        }
    }
    Err(Error::Invalid(
        "Zotero is busy saving this paper already; try again in a moment".into(),
    ))
}

/// A session id for one save: the paper's key with the time, and the attempt.
fn session_id(paper: &Paper, attempt: u32) -> String {
    use sha2::{Digest, Sha256};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let digest = Sha256::digest(format!("{}:{nanos}:{attempt}", paper.key));
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}
