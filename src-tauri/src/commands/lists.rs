//! Reading lists: the sidebar, a list's papers, recommendations, import and export.

use crate::{AppState, IpcError};
use papersift_core::library::Recommendation;
use papersift_core::rank::recommend::Method;
use papersift_core::store::{ListItem, ListSummary};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// All lists, by name.
#[tauri::command]
pub async fn lists(state: State<'_, AppState>) -> Result<Vec<ListSummary>, IpcError> {
    super::with_library(&state, move |library| Ok(library.lists()?)).await
}

/// A list's entries, resolved ones with their paper.
#[tauri::command]
pub async fn list_items(state: State<'_, AppState>, id: i64) -> Result<Vec<ListItem>, IpcError> {
    super::with_library(&state, move |library| Ok(library.list_items(id)?)).await
}

/// Creates an empty list; returns it.
#[tauri::command]
pub async fn create_list(
    state: State<'_, AppState>,
    name: String,
) -> Result<ListSummary, IpcError> {
    super::with_library(&state, move |library| {
        let name = name.trim();
        if name.is_empty() {
            return Err(IpcError::new("invalid", "a list needs a name"));
        }
        if library.find_list(name)?.is_some() {
            return Err(IpcError::new(
                "invalid",
                format!("there is already a list named “{name}”"),
            ));
        }
        let (id, _) = library.save_import(name, None, None, None, &[])?;
        library
            .list(id)?
            .ok_or_else(|| IpcError::new("internal", "the new list vanished"))
    })
    .await
}

/// Renames a list.
#[tauri::command]
pub async fn rename_list(
    state: State<'_, AppState>,
    id: i64,
    name: String,
) -> Result<(), IpcError> {
    super::with_library(&state, move |library| Ok(library.rename_list(id, &name)?)).await
}

/// Deletes a list (its papers stay in the library).
#[tauri::command]
pub async fn delete_list(state: State<'_, AppState>, id: i64) -> Result<bool, IpcError> {
    super::with_library(&state, move |library| Ok(library.delete_list(id)?)).await
}

/// Moves every entry of `from` into `into` and deletes `from`.
#[tauri::command]
pub async fn merge_lists(state: State<'_, AppState>, from: i64, into: i64) -> Result<(), IpcError> {
    super::with_library(&state, move |library| Ok(library.merge_lists(from, into)?)).await
}

/// Adds a library paper to a list.
#[tauri::command]
pub async fn add_to_list(
    state: State<'_, AppState>,
    id: i64,
    paper: String,
) -> Result<(), IpcError> {
    super::with_library(&state, move |library| Ok(library.add_to_list(id, &paper)?)).await
}

/// Removes an entry (item key) or a paper (key) from a list.
#[tauri::command]
pub async fn remove_from_list(
    state: State<'_, AppState>,
    id: i64,
    key: String,
) -> Result<bool, IpcError> {
    super::with_library(&state, move |library| {
        Ok(library.remove_from_list(id, &key)?)
    })
    .await
}

/// Recommendations for a list, or for all lists ("For you") without `id`.
#[tauri::command]
pub async fn recommend(
    state: State<'_, AppState>,
    id: Option<i64>,
    k: Option<usize>,
) -> Result<Vec<Recommendation>, IpcError> {
    super::with_library(&state, move |library| {
        Ok(library.recommend(id, k.unwrap_or(30).min(200), Method::default())?)
    })
    .await
}

/// Opens the file dialog and imports the chosen files (the same path as a drop).
#[tauri::command]
pub async fn import_with_dialog<R: Runtime>(app: AppHandle<R>) -> Result<usize, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Import reading lists")
        .add_filter(
            "Reading lists",
            &[
                "bib", "bibtex", "ris", "json", "txt", "md", "markdown", "csv", "pdf",
            ],
        )
        .pick_files(move |files| {
            let _ = tx.send(files);
        });
    let files = rx
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?;
    let paths: Vec<std::path::PathBuf> = files
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    let n = paths.len();
    if n > 0 {
        tauri::async_runtime::spawn(crate::importer::import_paths(app, paths));
    }
    Ok(n)
}

/// Asks where to save and writes the list as BibTeX, RIS or CSL-JSON; returns the path,
/// or `None` when the user cancelled.
#[tauri::command]
pub async fn export_list<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    format: papersift_core::export::Format,
) -> Result<Option<String>, IpcError> {
    let library = state.library()?;
    let (name, bib) = super::blocking(move || {
        let list = library
            .list(id)?
            .ok_or_else(|| IpcError::new("invalid", format!("there is no list {id}")))?;
        Ok((
            list.name,
            papersift_core::export::export(&library.list_items(id)?, format),
        ))
    })
    .await?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(format!("Export as {}", format.label()))
        .set_file_name(format!("{name}.{}", format.extension()))
        .add_filter(format.label(), &[format.extension()])
        .save_file(move |f| {
            let _ = tx.send(f);
        });
    let Some(path) = rx
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?
        .and_then(|f| f.into_path().ok())
    else {
        return Ok(None);
    };
    let p = path.clone();
    super::blocking(move || {
        std::fs::write(&p, bib)
            .map_err(|e| IpcError::new("io", format!("cannot write {}: {e}", p.display())))
    })
    .await?;
    Ok(Some(path.display().to_string()))
}
