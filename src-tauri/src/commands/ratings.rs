//! 👍 and 👎, seen marks, the ratings page, and For you's cold start.

use crate::{AppState, IpcError};
use papersift_core::library::{PaperMarks, RatedPaper, UnseenCounts};
use papersift_core::model::Paper;
use papersift_core::store::Rating;
use tauri::State;

/// Rates a paper inside `list` (or anywhere) with `up` or `down`, or clears that rating
/// without one. The rating is committed before this returns.
#[tauri::command]
pub async fn rate(
    state: State<'_, AppState>,
    paper: String,
    list: Option<i64>,
    rating: Option<String>,
) -> Result<(), IpcError> {
    let rating: Option<Rating> = rating
        .map(|r| r.parse())
        .transpose()
        .map_err(|e: String| IpcError::new("invalid", e))?;
    super::with_library(&state, move |library| {
        Ok(library.rate(&paper, list, rating)?)
    })
    .await
}

/// Every rating with its paper, newest first.
#[tauri::command]
pub async fn ratings(state: State<'_, AppState>) -> Result<Vec<RatedPaper>, IpcError> {
    super::with_library(&state, move |library| Ok(library.ratings()?)).await
}

/// Clears the ratings given inside `list`, or with none every rating given anywhere.
#[tauri::command]
pub async fn reset_ratings(
    state: State<'_, AppState>,
    list: Option<i64>,
) -> Result<usize, IpcError> {
    super::with_library(&state, move |library| Ok(library.reset_ratings(list)?)).await
}

/// The rating (inside `list`, or anywhere) and seen mark of each paper of `keys`.
#[tauri::command]
pub async fn marks(
    state: State<'_, AppState>,
    keys: Vec<String>,
    list: Option<i64>,
) -> Result<Vec<PaperMarks>, IpcError> {
    super::with_library(&state, move |library| Ok(library.marks(&keys, list)?)).await
}

/// Marks papers seen; returns how many were not before.
#[tauri::command]
pub async fn mark_papers_seen(
    state: State<'_, AppState>,
    keys: Vec<String>,
) -> Result<usize, IpcError> {
    super::with_library(&state, move |library| Ok(library.mark_papers_seen(&keys)?)).await
}

/// For you's and each list's first 30 recommendations not seen yet.
#[tauri::command]
pub async fn unseen_recommendations(state: State<'_, AppState>) -> Result<UnseenCounts, IpcError> {
    super::with_library(&state, move |library| {
        Ok(library.unseen_recommendations(30)?)
    })
    .await
}

/// Ten papers spread over the library's regions, for a new user to rate.
#[tauri::command]
pub async fn cold_start(state: State<'_, AppState>) -> Result<Vec<Paper>, IpcError> {
    super::with_library(&state, move |library| Ok(library.cold_start(10)?)).await
}
