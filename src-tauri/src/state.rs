//! What the app keeps while running: the library and the embedding model's status.

use papersift_core::library::Library;
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where the embedding model stands; shown in the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelStatus {
    /// `loading`, `embedding`, `ready`, `error` or `off`.
    pub state: String,
    /// Papers embedded so far in the current pass.
    pub done: usize,
    /// Papers in the current pass.
    pub total: usize,
    /// What went wrong, for `error`.
    pub message: Option<String>,
}

/// Managed state of the app.
pub struct AppState {
    library: Result<Arc<Library>, String>,
    model: Mutex<ModelStatus>,
}

impl AppState {
    /// Opens the library in `data_dir` and fills an empty one with the starter corpus.
    /// A failure is kept and reported to the UI instead of crashing the app.
    pub fn open(data_dir: &Path) -> AppState {
        let library = Library::open(data_dir, None)
            .and_then(|lib| {
                if lib.seed_if_empty()? {
                    log::info!(
                        "new library in {}: added the starter corpus",
                        data_dir.display()
                    );
                }
                Ok(Arc::new(lib))
            })
            .map_err(|e| e.to_string());
        if let Err(e) = &library {
            log::error!("{e}");
        }
        AppState::with_library(library)
    }

    /// State around an already open library (tests).
    pub fn new(library: Arc<Library>) -> AppState {
        AppState::with_library(Ok(library))
    }

    fn with_library(library: Result<Arc<Library>, String>) -> AppState {
        AppState {
            library,
            model: Mutex::new(ModelStatus {
                state: "loading".into(),
                ..Default::default()
            }),
        }
    }

    /// The library, or why it could not be opened.
    pub fn library(&self) -> Result<Arc<Library>, crate::IpcError> {
        self.library
            .clone()
            .map_err(|m| crate::IpcError::new("startup", m))
    }

    /// The model status.
    pub fn model_status(&self) -> ModelStatus {
        self.model.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the model status.
    pub fn set_model_status(&self, status: ModelStatus) {
        *self.model.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }
}
