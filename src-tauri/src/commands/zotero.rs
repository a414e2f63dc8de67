//! Zotero and linked lists: the collections of the user's Zotero library, lists that
//! follow a collection or a file (chosen in the file dialog, never a path from the web
//! view), following them now, unlinking, and Save to Zotero.

use crate::linked::{follow_now, rewatch, settle};
use crate::{AppState, IpcError};
use papersift_core::import::links::{self, FollowReport, ZoteroOverview};
use papersift_core::zotero_connector::{self, Saved};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The Zotero data folder typed in Settings (maybe not saved yet); empty is none, and
/// then the saved one or Zotero's own is read (see `links::zotero_overview`).
fn typed_dir(dir: Option<String>) -> Option<PathBuf> {
    dir.map(|d| PathBuf::from(d.trim()))
}

/// The libraries and collections of the user's Zotero (read from a copy: Zotero may
/// be running).
#[tauri::command]
pub async fn zotero_collections(
    state: State<'_, AppState>,
    dir: Option<String>,
) -> Result<ZoteroOverview, IpcError> {
    super::with_library(&state, move |library| {
        Ok(links::zotero_overview(&library, typed_dir(dir).as_deref())?)
    })
    .await
}

/// Makes a list that follows a Zotero collection (its key), or the whole library
/// `library_id` when `collection` is `None`, and follows it once.
#[tauri::command]
pub async fn link_zotero<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    dir: Option<String>,
    library_id: i64,
    collection: Option<String>,
) -> Result<FollowReport, IpcError> {
    let library = state.library()?;
    let cfg = crate::state::sync_config(&library).await?;
    let report = links::link_zotero(
        library,
        typed_dir(dir).as_deref(),
        Some(&library_id.to_string()),
        collection.as_deref(),
        None,
        &cfg,
        &|_| {},
    )
    .await?;
    linked_changed(&app, report.added > 0).await;
    Ok(report)
}

/// Asks for a reading-list file (a Better BibTeX auto-export) and makes a list that
/// follows it; `None` when the user cancelled.
#[tauri::command]
pub async fn link_file_with_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<FollowReport>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Follow a reading-list file")
        .add_filter("BibTeX, RIS, CSL-JSON", &["bib", "bibtex", "ris", "json"])
        .pick_file(move |f| {
            let _ = tx.send(f);
        });
    let picked = rx
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?;
    let Some(path) = picked.and_then(|f| f.into_path().ok()) else {
        return Ok(None);
    };
    let library = state.library()?;
    let cfg = crate::state::sync_config(&library).await?;
    let report = links::link_file(library, &path, None, &cfg, &|_| {}).await?;
    linked_changed(&app, report.added > 0).await;
    Ok(Some(report))
}

/// Follows the linked lists now (one, with `id`: read even when it looks unchanged).
#[tauri::command]
pub async fn follow_lists<R: Runtime>(
    app: AppHandle<R>,
    id: Option<i64>,
) -> Result<Vec<FollowReport>, IpcError> {
    follow_now(&app, id, id.is_some()).await
}

/// Stops a list following its source; it keeps its papers and becomes editable.
#[tauri::command]
pub async fn unlink_list<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<bool, IpcError> {
    let done = super::with_library(&state, move |l| Ok(l.unlink_list(id)?)).await?;
    linked_changed(&app, false).await;
    Ok(done)
}

/// Sends a library paper, with its PDF link, to the running Zotero.
#[tauri::command]
pub async fn save_to_zotero(state: State<'_, AppState>, key: String) -> Result<Saved, IpcError> {
    let paper = super::with_library(&state, move |l| {
        l.paper(&key)?
            .ok_or_else(|| IpcError::new("invalid", format!("there is no paper {key}")))
    })
    .await?;
    Ok(zotero_connector::save(&zotero_connector::base_url(), &paper).await?)
}

/// After a link or unlink: watch the sources again, redraw the lists, embed what came.
async fn linked_changed<R: Runtime>(app: &AppHandle<R>, added: bool) {
    let handle = app.clone();
    let _ = tauri::async_runtime::spawn_blocking(move || rewatch(&handle)).await;
    settle(app, added).await;
}
