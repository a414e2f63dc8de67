//! Tauri commands, one file per domain. Each parses, calls the core off the UI thread
//! and maps the error.

pub mod alerts;
pub mod library;
pub mod links;
pub mod lists;
pub mod papers;
pub mod ratings;
pub mod search;
pub mod settings;
pub mod sync;
pub mod zotero;

use crate::{AppState, IpcError};
use papersift_core::library::Library;
use std::sync::Arc;

/// Runs blocking library work on Tokio's blocking pool.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, IpcError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?
}

/// Runs `f` with the library on Tokio's blocking pool: what most commands do once their
/// arguments are read. Fails as `startup` when the library could not be opened.
pub(crate) async fn with_library<T, F>(state: &AppState, f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce(Arc<Library>) -> Result<T, IpcError> + Send + 'static,
{
    let library = state.library()?;
    blocking(move || f(library)).await
}
