//! What the app keeps while running: the library and the embedding model's status.

use papersift_core::alerts::AlertSettings;
use papersift_core::library::Library;
use papersift_core::locks::LockAny;
use papersift_core::sync::{SyncConfig, SyncSettings};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where the embedding model stands; shown in the status bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelStatus {
    /// `loading`, `loaded`, `embedding`, `ready`, `error` or `off`.
    pub state: String,
    /// Papers embedded so far in the current pass.
    pub done: usize,
    /// Papers in the current pass.
    pub total: usize,
    /// What went wrong, for `error`.
    pub message: Option<String>,
    /// The model in use (`all-MiniLM-L6-v2`), once loaded.
    pub model: Option<String>,
    /// Where it runs (`cpu`, `cuda`), once loaded.
    pub provider: Option<String>,
    /// Inference threads it uses, once loaded.
    pub threads: Option<usize>,
    /// Papers per second in the current pass, once a chunk is done.
    pub rate: Option<f64>,
    /// Seconds left in the current pass at that rate.
    pub eta_s: Option<f64>,
}

/// The keyword index's state, for the status bar.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct KeywordStatus {
    /// `building` (FTS5 serves meanwhile), `ready`, or `fts5` (it could not be built).
    pub state: String,
    /// Papers indexed so far in a build.
    pub done: usize,
    /// Papers in the build.
    pub total: usize,
}

/// Managed state of the app.
pub struct AppState {
    library: Result<Arc<Library>, String>,
    problem: Option<StartupProblem>,
    data_dir: std::path::PathBuf,
    model: Mutex<ModelStatus>,
    keywords: Mutex<KeywordStatus>,
    alerts: Mutex<AlertSettings>,
    last_sync: Mutex<Option<std::time::SystemTime>>,
    searches: Arc<crate::turns::SearchTurns>,
}

/// Why the library could not be opened, for the start-up dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupProblem {
    /// `damaged`, `newer_schema`, `io`, …
    pub kind: String,
    /// One sentence for the user.
    pub message: String,
    /// The database file.
    pub db_path: String,
}

/// `YYYY-MM-DDTHH:MM:SSZ` → the moment it names.
fn parse_utc(s: &str) -> Option<std::time::SystemTime> {
    let days = papersift_core::day::parse_day(s)?;
    let t = s.get(11..19)?;
    let mut it = t.split(':').map(|x| x.parse::<i64>().ok());
    let (h, m, sec) = (it.next()??, it.next()??, it.next()??);
    let secs = days * 86_400 + h * 3600 + m * 60 + sec;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(secs).ok()?))
}

impl AppState {
    /// Opens the library in `data_dir` and fills an empty one with the starter corpus.
    /// A failure is kept and reported to the UI instead of crashing the app.
    pub fn open(data_dir: &Path) -> AppState {
        let library = Library::open(data_dir, None).and_then(|lib| {
            if lib.seed_if_empty()? {
                log::info!(
                    "new library in {}: added the starter corpus",
                    data_dir.display()
                );
            }
            Ok(Arc::new(lib))
        });
        let problem = library.as_ref().err().map(|e| StartupProblem {
            kind: e.kind().to_string(),
            message: e.to_string(),
            db_path: data_dir
                .join(papersift_core::config::DB_FILE)
                .display()
                .to_string(),
        });
        let library = library.map_err(|e| e.to_string());
        if let Err(e) = &library {
            log::error!("{e}");
        }
        let mut state = AppState::with_library(library);
        state.problem = problem;
        state.data_dir = data_dir.to_path_buf();
        state
    }

    /// Why the library did not open, if it did not.
    pub fn startup_problem(&self) -> Option<StartupProblem> {
        self.problem.clone()
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// State around an already open library (tests).
    pub fn new(library: Arc<Library>) -> AppState {
        AppState::with_library(Ok(library))
    }

    fn with_library(library: Result<Arc<Library>, String>) -> AppState {
        let alerts = library
            .as_ref()
            .ok()
            .and_then(|l| {
                l.setting::<AlertSettings>(AlertSettings::KEY)
                    .ok()
                    .flatten()
            })
            .unwrap_or_default();
        // The schedule counts from the last successful sync, across restarts.
        let last_sync = library.as_ref().ok().and_then(|l| {
            papersift_core::sync::SourceKind::ALL
                .iter()
                .filter_map(|s| l.sync_state(s.name()).ok()?.last_success)
                .filter_map(|t| parse_utc(&t))
                .max()
        });
        AppState {
            library,
            problem: None,
            data_dir: std::path::PathBuf::new(),
            model: Mutex::new(ModelStatus {
                state: "loading".into(),
                ..Default::default()
            }),
            keywords: Mutex::new(KeywordStatus::default()),
            alerts: Mutex::new(alerts),
            last_sync: Mutex::new(last_sync),
            searches: Default::default(),
        }
    }

    /// The turns of typed searches (see [`crate::turns`]).
    pub(crate) fn searches(&self) -> Arc<crate::turns::SearchTurns> {
        self.searches.clone()
    }

    /// The alert and background-sync settings.
    pub fn alert_settings(&self) -> AlertSettings {
        self.alerts.lock_any().clone()
    }

    /// Replaces the alert settings (already stored by the caller).
    pub fn set_alert_settings(&self, s: AlertSettings) {
        *self.alerts.lock_any() = s;
    }

    /// Notes that a sync just ended.
    pub fn mark_synced(&self) {
        *self.last_sync.lock_any() = Some(std::time::SystemTime::now());
    }

    /// Seconds since the last sync, `None` when there was none.
    pub fn seconds_since_sync(&self) -> Option<u64> {
        let last = (*self.last_sync.lock_any())?;
        Some(
            std::time::SystemTime::now()
                .duration_since(last)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        )
    }

    /// The library, or why it could not be opened.
    pub fn library(&self) -> Result<Arc<Library>, crate::IpcError> {
        self.library
            .clone()
            .map_err(|m| crate::IpcError::new("startup", m))
    }

    /// The model status.
    pub fn model_status(&self) -> ModelStatus {
        self.model.lock_any().clone()
    }

    /// The keyword index's status.
    pub fn keyword_status(&self) -> KeywordStatus {
        self.keywords.lock_any().clone()
    }

    /// Replaces the keyword index's status.
    pub fn set_keyword_status(&self, status: KeywordStatus) {
        *self.keywords.lock_any() = status;
    }

    /// Replaces the model status.
    pub fn set_model_status(&self, status: ModelStatus) {
        *self.model.lock_any() = status;
    }
}

/// How the library's sync settings say to reach the sources (read off the UI thread):
/// what a sync, an import and a linked list's follow run with.
pub(crate) async fn sync_config(library: &Arc<Library>) -> Result<SyncConfig, crate::IpcError> {
    let lib = library.clone();
    let settings = tauri::async_runtime::spawn_blocking(move || SyncSettings::load(&lib))
        .await
        .map_err(|e| crate::IpcError::new("internal", e.to_string()))??;
    Ok(SyncConfig::from_settings(&settings))
}
