//! Opening a paper's links in the system browser: only `https://` URLs to the hosts
//! papers link to, and to the sites of the journal feeds the user added. Remote text
//! never decides what runs.

use crate::{AppState, IpcError};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

/// Hosts a paper link may point to (and their subdomains).
const ALLOWED_HOSTS: &[&str] = &[
    "arxiv.org",
    "huggingface.co",
    "hf.co",
    "github.com",
    "github.io",
    "gitlab.com",
    "doi.org",
    "openreview.net",
    "biorxiv.org",
    "medrxiv.org",
    "aclanthology.org",
    "semanticscholar.org",
    "paperswithcode.com",
];

/// The URL when it may be opened (to a paper host, or one of `feed_hosts`), else why
/// not.
pub fn checked_url(url: &str, feed_hosts: &[String]) -> Result<tauri::Url, IpcError> {
    let refuse = |why: &str| IpcError::new("invalid", format!("not opening {url:?}: {why}"));
    let parsed = tauri::Url::parse(url.trim()).map_err(|_| refuse("not a URL"))?;
    if parsed.scheme() != "https" {
        return Err(refuse("only https links are opened"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse("links with credentials are not opened"));
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let allowed = ALLOWED_HOSTS
        .iter()
        .copied()
        .chain(feed_hosts.iter().map(String::as_str))
        .any(|h| host == h || host.ends_with(&format!(".{h}")));
    if !allowed {
        return Err(refuse(
            "Papersift opens links to arXiv, bioRxiv, medRxiv, OpenReview, Hugging Face, GitHub, DOI, a few paper sites and the sites of your journal feeds only",
        ));
    }
    Ok(parsed)
}

/// The sites of the feeds the user follows (`www.` dropped, so `nature.com` covers
/// `feeds.nature.com` and `www.nature.com`).
fn feed_hosts(state: &AppState) -> Vec<String> {
    let Ok(library) = state.library() else {
        return Vec::new();
    };
    papersift_core::sync::SyncSettings::load(&library)
        .map(|s| s.feed_urls)
        .unwrap_or_default()
        .iter()
        .filter_map(|u| {
            tauri::Url::parse(u)
                .ok()?
                .host_str()
                .map(str::to_ascii_lowercase)
        })
        .map(|h| {
            let parts: Vec<&str> = h.split('.').collect();
            // The site: its last two labels (three for a two-letter country domain).
            let keep = if parts.len() > 2
                && parts[parts.len() - 2].len() <= 3
                && parts[parts.len() - 1].len() == 2
            {
                3
            } else {
                2
            };
            parts[parts.len().saturating_sub(keep)..].join(".")
        })
        .collect()
}

/// Opens a paper link in the system browser.
#[tauri::command]
pub fn open_link<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
) -> Result<(), IpcError> {
    let url = checked_url(&url, &feed_hosts(&state))?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| IpcError::new("io", format!("could not open the browser: {e}")))
}

#[cfg(test)]
mod tests {
    use super::checked_url;

    #[test]
    fn only_https_links_to_paper_hosts() {
        for ok in [
            "https://arxiv.org/abs/1706.03762",
            "https://huggingface.co/papers/2608.09888",
            "https://github.com/org/repo",
            "https://someone.github.io/project/",
            "https://doi.org/10.1109/CVPR52688.2022.01042",
            "https://www.biorxiv.org/content/10.1101/029900v3.full.pdf",
            "https://www.medrxiv.org/content/10.1101/2023.10.21.23297352v3",
        ] {
            assert!(checked_url(ok, &[]).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "http://arxiv.org/abs/1706.03762",
            "https://evil.example/arxiv.org",
            "https://arxiv.org.evil.example/",
            "https://user:pw@github.com/x",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "https://notgithub.com/",
        ] {
            assert!(checked_url(bad, &[]).is_err(), "{bad}");
        }
        // A journal's site is opened once its feed is followed.
        let nature = "https://www.nature.com/articles/s41591-026-04633-x";
        assert!(checked_url(nature, &[]).is_err());
        assert!(checked_url(nature, &["nature.com".into()]).is_ok());
        assert!(checked_url("https://nature.com.evil.example/", &["nature.com".into()]).is_err());
    }
}
