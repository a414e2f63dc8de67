//! `search`: rank the library for a typed query.

use crate::{AppState, IpcError};
use papersift_core::query::Filter;
use papersift_core::rank::{SearchHit, SearchMode, SearchOptions};
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

/// How the search box reads a query: the hint when it was malformed (searched as plain
/// words, and why).
#[derive(serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryReading {
    hint: Option<String>,
}

/// Reads a query without running it (microseconds: the window asks as the user types).
#[tauri::command]
pub fn query_hint(query: String) -> QueryReading {
    QueryReading {
        hint: papersift_core::query::parse(&query).hint,
    }
}

/// The query syntax, for the `?` next to the search box.
#[tauri::command]
pub fn query_syntax() -> &'static str {
    papersift_core::query::SYNTAX_HELP
}

/// As-you-type suggestions for the search box: titles, authors and categories matching
/// what is typed (after 2 characters; at most 5 of each kind).
#[tauri::command]
pub async fn suggest(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<papersift_core::library::Suggestion>, IpcError> {
    super::with_library(&state, move |library| Ok(library.suggest(&text, 5)?)).await
}
