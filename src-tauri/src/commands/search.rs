//! `search`: rank the library for a typed query.

use crate::{AppState, IpcError};
use papersift_core::rank::{Filter, SearchHit, SearchMode, SearchOptions};
use tauri::State;

/// Ranks the library; `mode` defaults to hybrid, `k` to 30.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    mode: Option<SearchMode>,
    k: Option<usize>,
    filter: Option<Filter>,
) -> Result<Vec<SearchHit>, IpcError> {
    let library = state.library()?;
    let opts = SearchOptions {
        mode: mode.unwrap_or_default(),
        k: k.unwrap_or(30).min(500),
        filter: filter.unwrap_or_default(),
        fusion: Default::default(),
    };
    super::blocking(move || Ok(library.search(&query, &opts)?)).await
}
