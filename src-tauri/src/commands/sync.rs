//! `sync_now`, `sync_status` and the sync settings: the Sync button and its progress.

use crate::{AppState, IpcError};
use papersift_core::store::SyncState;
use papersift_core::sync::{feed_list, FeedInfo, SourceKind, SyncReport, SyncSettings};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// Where syncing stands, for the sync panel.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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
pub async fn sync_now<R: Runtime>(app: AppHandle<R>) -> Result<SyncReport, IpcError> {
    crate::background_sync::sync_and_alert(&app).await
}

/// Whether a sync runs, and each source's state.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, IpcError> {
    super::with_library(&state, move |library| {
        Ok(SyncStatus {
            running: library.is_syncing(),
            sources: SourceKind::ALL
                .iter()
                .map(|k| library.sync_state(k.name()))
                .collect::<Result<_, _>>()?,
        })
    })
    .await
}

/// The sync settings (defaults until the user changes them).
#[tauri::command]
pub async fn sync_settings(state: State<'_, AppState>) -> Result<SyncSettings, IpcError> {
    super::with_library(&state, move |library| Ok(SyncSettings::load(&library)?)).await
}

/// Validates and stores the sync settings; returns what was stored. The next sync
/// uses them.
#[tauri::command]
pub async fn set_sync_settings(
    state: State<'_, AppState>,
    settings: SyncSettings,
) -> Result<SyncSettings, IpcError> {
    super::with_library(&state, move |library| Ok(settings.save(&library)?)).await
}

/// arXiv's category taxonomy, for the Settings picker.
#[tauri::command]
pub fn arxiv_categories() -> Vec<papersift_core::sources::arxiv_taxonomy::Category> {
    papersift_core::sources::arxiv_taxonomy::categories()
}

/// The journal feeds followed, with their titles.
#[tauri::command]
pub async fn feeds(state: State<'_, AppState>) -> Result<Vec<FeedInfo>, IpcError> {
    super::with_library(&state, move |library| Ok(feed_list(&library)?)).await
}

/// Follows a journal feed (and turns feeds on); the feeds followed now.
#[tauri::command]
pub async fn add_feed(state: State<'_, AppState>, url: String) -> Result<Vec<FeedInfo>, IpcError> {
    super::with_library(&state, move |library| {
        Ok(papersift_core::sync::add_feed(&library, &url)?)
    })
    .await
}

/// Stops following a journal feed (its papers stay); the feeds followed now.
#[tauri::command]
pub async fn remove_feed(
    state: State<'_, AppState>,
    url: String,
) -> Result<Vec<FeedInfo>, IpcError> {
    super::with_library(&state, move |library| {
        Ok(papersift_core::sync::remove_feed(&library, &url)?)
    })
    .await
}
