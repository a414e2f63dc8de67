//! `library_status`: counts and model state for the status bar.

use crate::{AppState, IpcError, ModelStatus};
use serde::Serialize;
use tauri::State;

/// What the status bar shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryStatus {
    /// Papers in the library.
    pub papers: usize,
    /// Papers with a vector of the active model.
    pub embedded: usize,
    /// The model's state.
    pub model: ModelStatus,
    /// The data folder.
    pub data_dir: String,
}

/// Library counts and model status.
#[tauri::command]
pub async fn library_status(state: State<'_, AppState>) -> Result<LibraryStatus, IpcError> {
    let library = state.library()?;
    let model = state.model_status();
    super::blocking(move || {
        let stats = library.stats()?;
        Ok(LibraryStatus {
            papers: stats.papers,
            embedded: stats.embedded,
            model,
            data_dir: stats.data_dir.display().to_string(),
        })
    })
    .await
}
