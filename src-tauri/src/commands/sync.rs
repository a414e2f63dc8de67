//! `sync_now`, `sync_status` and the sync settings: the Sync button and its progress.

use crate::{AppState, IpcError};
use papersift_core::store::SyncState;
use papersift_core::sync::{run_sync, SyncConfig, SyncProgress, SyncReport, SyncSettings};
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Runtime, State};

/// Event with a [`SyncProgress`] payload while a sync runs.
pub const SYNC_PROGRESS: &str = "sync-progress";
/// Event with the [`SyncReport`] when a sync ends.
pub const SYNC_FINISHED: &str = "sync-finished";

/// Where syncing stands, for the sync panel.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// A sync is running now.
    pub running: bool,
    /// Per source: cursor, last success, last error.
    pub sources: Vec<SyncState>,
}

/// Syncs the sources in the user's settings, emitting `sync-progress` events, then
/// `sync-finished` and `library-changed`. Fails with kind `busy` while another sync
/// (this window's or a CLI's) runs.
#[tauri::command]
pub async fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<SyncReport, IpcError> {
    let library = state.library()?;
    let lib = library.clone();
    let settings = super::blocking(move || Ok(SyncSettings::load(&lib)?)).await?;
    let cfg = SyncConfig::from_settings(&settings);
    // Progress is throttled: fetch steps always go out, counters a few times a second.
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    let emitter = app.clone();
    let progress = move |p: SyncProgress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let due = match &p {
            SyncProgress::Fetching { .. } => true,
            SyncProgress::Embedding { done, total } => {
                done == total || last.elapsed() > Duration::from_millis(150)
            }
            SyncProgress::Stored { .. } => last.elapsed() > Duration::from_millis(150),
        };
        if due {
            *last = Instant::now();
            let _ = emitter.emit(SYNC_PROGRESS, &p);
        }
    };
    let result = run_sync(library, &cfg, &progress).await;
    let _ = app.emit(crate::worker::LIBRARY_CHANGED, ());
    let report = result?;
    let _ = app.emit(SYNC_FINISHED, &report);
    Ok(report)
}

/// Whether a sync runs, and each source's state.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, IpcError> {
    let library = state.library()?;
    super::blocking(move || {
        Ok(SyncStatus {
            running: library.is_syncing(),
            sources: vec![library.sync_state("hf")?, library.sync_state("arxiv")?],
        })
    })
    .await
}

/// The sync settings (defaults until the user changes them).
#[tauri::command]
pub async fn sync_settings(state: State<'_, AppState>) -> Result<SyncSettings, IpcError> {
    let library = state.library()?;
    super::blocking(move || Ok(SyncSettings::load(&library)?)).await
}

/// Validates and stores the sync settings; returns what was stored. The next sync
/// uses them.
#[tauri::command]
pub async fn set_sync_settings(
    state: State<'_, AppState>,
    settings: SyncSettings,
) -> Result<SyncSettings, IpcError> {
    let library = state.library()?;
    super::blocking(move || Ok(settings.save(&library)?)).await
}
