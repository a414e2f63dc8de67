//! `library_status`: counts and model state for the status bar.

use crate::{AppState, IpcError, ModelStatus};
use serde::Serialize;
use tauri::State;

/// What the status bar shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryStatus {
    /// Papers in the library.
    pub papers: usize,
    /// Papers with a vector of the active model.
    pub embedded: usize,
    /// The model's state.
    pub model: ModelStatus,
    /// The keyword index's state.
    pub keywords: crate::state::KeywordStatus,
    /// The data folder.
    pub data_dir: String,
}

/// Library counts and model status.
#[tauri::command]
pub async fn library_status(state: State<'_, AppState>) -> Result<LibraryStatus, IpcError> {
    let library = state.library()?;
    let model = state.model_status();
    let keywords = state.keyword_status();
    super::blocking(move || {
        let stats = library.stats()?;
        Ok(LibraryStatus {
            papers: stats.papers,
            embedded: stats.embedded,
            model,
            keywords,
            data_dir: stats.data_dir.display().to_string(),
        })
    })
    .await
}

/// Why the library did not open at start (damaged, from a newer Papersift, unreadable),
/// or `None`. The UI then offers the choices; nothing is changed without the user.
#[tauri::command]
pub fn startup_problem(state: State<'_, AppState>) -> Option<crate::state::StartupProblem> {
    state.startup_problem()
}

/// Renames the library database (and its WAL files) to `…damaged-<time>` so a new
/// library can start; returns the new name. Only when the library failed to open.
#[tauri::command]
pub fn move_library_aside(state: State<'_, AppState>) -> Result<String, IpcError> {
    let Some(problem) = state.startup_problem() else {
        return Err(IpcError::new(
            "invalid",
            "the library is fine; nothing to move",
        ));
    };
    let db = std::path::PathBuf::from(&problem.db_path);
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let aside = db.with_file_name(format!(
        "{}.{}-{stamp}",
        db.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        if problem.kind == "newer_schema" {
            "newer"
        } else {
            "damaged"
        }
    ));
    for suffix in ["", "-wal", "-shm"] {
        let from = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            let to = std::path::PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&from, &to).map_err(|e| {
                IpcError::new("io", format!("cannot move {} aside: {e}", from.display()))
            })?;
        }
    }
    log::warn!("moved the library aside to {}", aside.display());
    Ok(aside.display().to_string())
}

/// Restarts the app (after the library was moved aside).
#[tauri::command]
pub fn restart_app<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    app.restart();
}

/// Quits the app.
#[tauri::command]
pub fn quit_app<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    app.exit(0);
}

static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes when the process started, for the start-up time the UI reports.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(std::time::Instant::now);
}

/// The UI calls this once, when the library is open and the search box takes input;
/// the time since the process started is logged (and printed for `--exit-when-ready`,
/// which then quits: the start-up benchmark). Only then do the keyword index's catch-up
/// (or build) and the embedding worker (model and vectors) start, so neither competes
/// with start-up.
#[tauri::command]
pub fn app_ready<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Option<f64> {
    let ms = PROCESS_START.get().map(|t| t.elapsed().as_secs_f64() * 1e3);
    if let Some(ms) = ms {
        log::info!("interactive {ms:.0} ms after the process started");
        if std::env::args().any(|a| a == "--exit-when-ready") {
            // Measured: quit before any background work starts (a model half loaded
            // while the process exits is not what is being timed).
            println!("{{\"interactive_ms\": {ms:.1}}}");
            app.exit(0);
            return Some(ms);
        }
    }
    static KEYWORDS: std::sync::Once = std::sync::Once::new();
    KEYWORDS.call_once(|| crate::worker::start_keyword_index(app.clone()));
    crate::worker::start_embedding(app.clone());
    crate::importer::window_ready(&app);
    ms
}
