//! The reading views: the daily feed, one paper, and papers similar to it.

use crate::{AppState, IpcError};
use papersift_core::library::Because;
use papersift_core::model::Paper;
use serde::Serialize;
use tauri::State;

/// A period of the feed.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    /// First day, inclusive.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// The papers.
    pub papers: Vec<Paper>,
    /// In For you's order, why each paper is where it is (beside `papers`).
    pub why: Option<Vec<Why>>,
}

/// Why a paper stands where it does in For you's order.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Why {
    /// It is in a list or has a 👍: it leads.
    pub yours: bool,
    /// The list papers it is most like.
    pub because: Vec<Because>,
    /// The words it shares with them.
    pub words: Vec<String>,
}

/// Papers of `from..=to` (`YYYY-MM-DD`) by `sort`: `upvotes` (default), `date`, or
/// `foryou` (ranked for the user's lists and ratings, 👎 papers left out). Without
/// `to`, the newest day on or before `from` that has papers (so "today" on a weekend
/// shows Friday).
#[tauri::command]
pub async fn feed(
    state: State<'_, AppState>,
    from: String,
    to: Option<String>,
    sort: Option<String>,
    limit: Option<usize>,
) -> Result<Feed, IpcError> {
    super::with_library(&state, move |library| {
        let (from, to) = match to {
            Some(to) => (from, to),
            None => {
                let day = library.latest_day(&from)?.unwrap_or(from);
                (day.clone(), day)
            }
        };
        let limit = limit.unwrap_or(200).min(2000);
        if sort.as_deref() == Some("foryou") {
            let recs = library.feed_for_you(&from, &to, limit)?;
            let why = recs
                .iter()
                .map(|r| Why {
                    yours: r.score.is_infinite(),
                    because: r.because.clone(),
                    words: r.words.clone(),
                })
                .collect();
            let papers = recs.into_iter().map(|r| r.paper).collect();
            return Ok(Feed {
                from,
                to,
                papers,
                why: Some(why),
            });
        }
        let by_upvotes = sort.as_deref() != Some("date");
        let papers = library.feed(&from, &to, by_upvotes, limit)?;
        Ok(Feed {
            from,
            to,
            papers,
            why: None,
        })
    })
    .await
}

/// One paper by key or arXiv id.
#[tauri::command]
pub async fn paper(state: State<'_, AppState>, key: String) -> Result<Paper, IpcError> {
    super::with_library(&state, move |library| {
        library.paper(&key)?.ok_or_else(|| {
            IpcError::new("invalid", format!("there is no paper {key} in the library"))
        })
    })
    .await
}

/// The papers most like one paper, with their similarity.
#[tauri::command]
pub async fn similar(
    state: State<'_, AppState>,
    key: String,
    k: Option<usize>,
) -> Result<Vec<(Paper, f32)>, IpcError> {
    super::with_library(&state, move |library| {
        Ok(library.similar(&key, k.unwrap_or(10).min(100))?)
    })
    .await
}

/// Puts a paper's citation on the clipboard and returns it: `bibtex` (an entry with
/// arXiv's own fields, as list export writes it) or `link` (its arXiv page, else its
/// first link).
#[tauri::command]
pub async fn copy_citation<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    key: String,
    format: String,
) -> Result<String, IpcError> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let text = super::with_library(&state, move |library| {
        let paper = library.paper(&key)?.ok_or_else(|| {
            IpcError::new("invalid", format!("there is no paper {key} in the library"))
        })?;
        match format.as_str() {
            "bibtex" => Ok(papersift_core::export::bibtex_entry(&paper)),
            "link" => papersift_core::export::link(&paper)
                .ok_or_else(|| IpcError::new("invalid", "this paper has no link to copy")),
            other => Err(IpcError::new(
                "invalid",
                format!("unknown citation format {other:?}: use bibtex or link"),
            )),
        }
    })
    .await?;
    app.clipboard()
        .write_text(text.clone())
        .map_err(|e| IpcError::new("clipboard", format!("could not use the clipboard: {e}")))?;
    Ok(text)
}

/// Event with the map layout's progress (`{ done, total }`, out of 100).
pub const MAP_PROGRESS: &str = "map-progress";

/// The library map (laid out again first when the embedded papers changed).
#[tauri::command]
pub async fn library_map<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<papersift_core::library::LibraryMap, IpcError> {
    use tauri::Emitter;
    super::with_library(&state, move |library| {
        Ok(library.map(&mut |done, total| {
            let _ = app.emit(
                MAP_PROGRESS,
                serde_json::json!({ "done": done, "total": total }),
            );
        })?)
    })
    .await
}
