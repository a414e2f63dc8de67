//! `search`: rank the library for a typed query.

use crate::{AppState, IpcError};
use papersift_core::rank::{Filter, SearchHit, SearchMode, SearchOptions};
use tauri::State;

/// Ranks the library; `mode` defaults to hybrid, `k` to 30. Searches on a `channel`
/// (the search box, the map) take turns, and one that a newer search on its channel
/// replaces before it starts answers `superseded` instead of running; searches without
/// a channel always run. `seq` numbers the window's searches on the channel (calls can
/// reach the app out of order).
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    mode: Option<SearchMode>,
    k: Option<usize>,
    filter: Option<Filter>,
    channel: Option<String>,
    seq: Option<u64>,
) -> Result<Vec<SearchHit>, IpcError> {
    let library = state.library()?;
    let opts = SearchOptions {
        mode: mode.unwrap_or_default(),
        k: k.unwrap_or(30).min(500),
        filter: filter.unwrap_or_default(),
        fusion: Default::default(),
    };
    let Some(channel) = channel else {
        // No channel (scripts, other views): every call runs and answers.
        return super::blocking(move || Ok(library.search(&query, &opts)?)).await;
    };
    let turns = state.searches();
    let turn = turns.take(&channel, seq);
    super::blocking(move || {
        turns
            .run(&turn, || library.search(&query, &opts))?
            .map_err(Into::into)
    })
    .await
}
