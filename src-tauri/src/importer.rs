//! Imports that start from the desktop: files dropped on the window or chosen in the
//! file dialog. Paths never come from the web view: only from the drop event or the
//! dialog, both handled here in Rust.

use crate::state::AppState;
use papersift_core::import::resolve::{import_file, ImportOptions, ImportProgress, ImportReport};
use papersift_core::locks::LockAny;
use papersift_core::sync::{SyncConfig, SyncSettings};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Event: files are being dragged over the window (`true`) or left it (`false`).
pub const DRAG_HOVER: &str = "drag-hover";
/// Event with an [`ImportEvent`] while importing.
pub const IMPORT_PROGRESS: &str = "import-progress";
/// Event with the [`ImportOutcome`] when the files are done.
pub const IMPORT_FINISHED: &str = "import-finished";
/// Event: lists changed; the sidebar re-reads them.
pub const LISTS_CHANGED: &str = "lists-changed";

/// Progress of one file.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportEvent {
    /// The file's name.
    pub file: String,
    /// Which file of how many.
    pub index: usize,
    /// Files in this drop.
    pub count: usize,
    /// The step.
    pub progress: Option<ImportProgress>,
}

/// A file that could not be imported.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFailure {
    /// The file's name.
    pub file: String,
    /// Why.
    pub error: String,
}

/// What a drop or dialog import did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    /// One report per imported file.
    pub reports: Vec<ImportReport>,
    /// Files that failed, with the reason.
    pub failures: Vec<ImportFailure>,
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Imports `paths` one after another with progress events, then embeds what arrived.
pub async fn import_paths<R: Runtime>(app: AppHandle<R>, paths: Vec<PathBuf>) -> ImportOutcome {
    let state = app.state::<AppState>();
    let mut outcome = ImportOutcome {
        reports: Vec::new(),
        failures: Vec::new(),
    };
    let library = match state.library() {
        Ok(l) => l,
        Err(e) => {
            outcome.failures = paths
                .iter()
                .map(|p| ImportFailure {
                    file: file_name(p),
                    error: e.message.clone(),
                })
                .collect();
            let _ = app.emit(IMPORT_FINISHED, &outcome);
            return outcome;
        }
    };
    let cfg = crate::state::sync_config(&library)
        .await
        .unwrap_or_else(|_| SyncConfig::from_settings(&SyncSettings::default()));
    let count = paths.len();
    for (index, path) in paths.into_iter().enumerate() {
        let file = file_name(&path);
        let emit = |progress: Option<ImportProgress>| {
            let _ = app.emit(
                IMPORT_PROGRESS,
                ImportEvent {
                    file: file.clone(),
                    index,
                    count,
                    progress,
                },
            );
        };
        emit(None);
        let progress = |p: ImportProgress| emit(Some(p));
        match import_file(
            library.clone(),
            &path,
            &ImportOptions::default(),
            &cfg,
            &progress,
        )
        .await
        {
            Ok(r) => outcome.reports.push(r),
            Err(e) => outcome.failures.push(ImportFailure {
                file: file.clone(),
                error: e.to_string(),
            }),
        }
    }
    let _ = app.emit(LISTS_CHANGED, ());
    let _ = app.emit(IMPORT_FINISHED, &outcome);
    // Papers fetched from arXiv get their vectors now, so recommendations include them.
    if library.embedder().is_some() {
        let lib = library.clone();
        let _ = tauri::async_runtime::spawn_blocking(move || lib.embed_pending(64, &mut |_, _| {}))
            .await;
        let _ = app.emit(LISTS_CHANGED, ());
    }
    let _ = app.emit(crate::worker::LIBRARY_CHANGED, ());
    outcome
}

/// Files named on the command line ("Open with Papersift" on a BibTeX file), imported
/// as dropped files are. They wait until the window is ready to show the import's
/// report; `None` once it is, when a file a second launch passes is imported at once.
pub struct OpenedFiles(pub std::sync::Mutex<Option<Vec<PathBuf>>>);

/// The files among a launch's arguments, relative ones taken from `cwd` (the folder
/// that launch started in); options and missing paths are skipped.
pub fn files_in_args(args: impl IntoIterator<Item = String>, cwd: &Path) -> Vec<PathBuf> {
    args.into_iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| cwd.join(a))
        .filter(|p| p.is_file())
        .collect()
}

/// Imports `files` now if the window is ready, else when it is.
pub fn open_files<R: Runtime>(app: &AppHandle<R>, files: Vec<PathBuf>) {
    if files.is_empty() {
        return;
    }
    let waiting = app.try_state::<OpenedFiles>().and_then(|s| {
        let mut pending = s.0.lock_any();
        pending.as_mut().map(|p| p.extend(files.iter().cloned()))
    });
    if waiting.is_none() {
        tauri::async_runtime::spawn(import_paths(app.clone(), files));
    }
}

/// The window is ready: imports the files that waited for it.
pub fn window_ready<R: Runtime>(app: &AppHandle<R>) {
    let files = app
        .try_state::<OpenedFiles>()
        .and_then(|s| s.0.lock_any().take());
    if let Some(files) = files.filter(|f| !f.is_empty()) {
        tauri::async_runtime::spawn(import_paths(app.clone(), files));
    }
}
