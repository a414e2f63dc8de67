//! Settings that reach beyond one domain: the embedding model and where it runs, and
//! the data folder. Changes apply at once where they can (a new model is loaded, then
//! swapped in, and the library is indexed for it in the background); a new data folder
//! needs a restart, which the UI offers.

use crate::{worker, AppState, IpcError, ModelStatus};
use papersift_core::config::{self, DataDirSource};
use papersift_core::embedder::EmbeddingSettings;
use papersift_embed::{EmbedConfig, ExecutionProvider, FastEmbedder, ModelChoice};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The model settings as the dialog shows them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddingView {
    /// What is stored (`None`: default).
    pub configured: EmbeddingSettings,
    /// What is running.
    pub active: ModelStatus,
    /// The models offered.
    pub catalogue: Vec<ModelChoice>,
    /// Whether this ONNX Runtime can use an NVIDIA GPU.
    pub cuda_available: bool,
    /// Environment variables that override the settings, if any.
    pub overridden_by: Vec<String>,
}

/// The environment variables that override the model settings.
fn overriding_env() -> Vec<String> {
    ["PAPERSIFT_MODEL", "PAPERSIFT_EXECUTION_PROVIDER"]
        .into_iter()
        .filter(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
        .map(String::from)
        .collect()
}

/// The model settings.
#[tauri::command]
pub async fn embedding_settings(state: State<'_, AppState>) -> Result<EmbeddingView, IpcError> {
    let active = state.model_status();
    super::with_library(&state, move |library| {
        Ok(EmbeddingView {
            configured: library.setting(EmbeddingSettings::KEY)?.unwrap_or_default(),
            active,
            catalogue: papersift_embed::catalogue(),
            cuda_available: papersift_embed::cuda_available(),
            overridden_by: overriding_env(),
        })
    })
    .await
}

/// Changes the model or execution provider. The new model is loaded first; if it cannot
/// load (not downloaded and offline, no CUDA) nothing changes and the error says why.
/// On success the setting is stored, the model replaces the running one and the
/// library is indexed for it in the background (search keeps working meanwhile).
#[tauri::command]
pub async fn set_embedding_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: EmbeddingSettings,
) -> Result<ModelStatus, IpcError> {
    let library = state.library()?;
    let current = state.model_status();
    let overridden = overriding_env();
    if !overridden.is_empty() {
        return Err(IpcError::new(
            "invalid",
            format!(
                "{} set in the environment decide{} the model; unset {} to choose here",
                overridden.join(" and "),
                if overridden.len() == 1 { "s" } else { "" },
                if overridden.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
    let loaded = super::blocking(move || {
        let cfg = EmbedConfig::from_settings(&settings);
        cfg.model_id()
            .map_err(|e| IpcError::new("invalid", e.to_string()))?;
        let name = cfg.display_name();
        let provider = match cfg.provider {
            ExecutionProvider::Cpu => "cpu",
            ExecutionProvider::Cuda => "cuda",
            ExecutionProvider::Auto if papersift_embed::cuda_available() => "cuda",
            ExecutionProvider::Auto => "cpu",
        };
        let unchanged = current.state != "error"
            && current.model.as_deref() == Some(name.as_str())
            && current.provider.as_deref() == Some(provider);
        let loaded = if unchanged {
            None
        } else {
            Some(FastEmbedder::load(&cfg).map_err(|e| IpcError::new("embedding", e.to_string()))?)
        };
        library.set_setting(EmbeddingSettings::KEY, &settings)?;
        Ok(loaded)
    })
    .await?;
    if let Some(embedder) = loaded {
        log::info!(
            "switching to {} on {}",
            embedder.name(),
            embedder.provider()
        );
        let status = ModelStatus {
            state: "loaded".into(),
            model: Some(embedder.name().to_string()),
            provider: Some(embedder.provider().to_string()),
            threads: Some(embedder.threads()),
            ..Default::default()
        };
        state.set_model_status(status);
        worker::switch_embedder(app, embedder);
    }
    Ok(state.model_status())
}

/// The data folder and where that choice comes from.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DataFolder {
    /// The folder in use.
    pub path: String,
    /// `environment`, `chosen` or `default`.
    pub source: DataDirSource,
    /// The folder chosen for the next start, when it differs from the one in use.
    pub next: Option<String>,
}

/// The data folder in use.
#[tauri::command]
pub fn data_folder(state: State<'_, AppState>) -> DataFolder {
    let (next, source) = config::data_dir_with_source(None);
    let path = state.data_dir().to_path_buf();
    DataFolder {
        path: path.display().to_string(),
        source: if next == path {
            source
        } else {
            DataDirSource::Chosen
        },
        next: (next != path).then(|| next.display().to_string()),
    }
}

/// Asks for a folder and makes it the data folder from the next start: a copy of this
/// library is written there (or a library already there is used as it is). The current
/// library is left in place, so nothing is lost. Returns the new state, or `None` when
/// the dialog was cancelled.
#[tauri::command]
pub async fn choose_data_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<DataFolder>, IpcError> {
    if config::data_dir_with_source(None).1 == DataDirSource::Environment {
        return Err(IpcError::new(
            "invalid",
            format!(
                "{} is set, so it decides the data folder; unset it to choose one here",
                config::DATA_DIR_ENV
            ),
        ));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Choose where Papersift keeps its library")
        .pick_folder(move |f| {
            let _ = tx.send(f);
        });
    let Some(dir) = rx
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?
        .and_then(|f| f.into_path().ok())
    else {
        return Ok(None);
    };
    super::with_library(&state, move |library| adopt_data_folder(&library, &dir)).await?;
    Ok(Some(data_folder(state)))
}

/// Copies the library into `dir` unless one is there, then records `dir` for the next
/// start.
pub fn adopt_data_folder(
    library: &papersift_core::library::Library,
    dir: &Path,
) -> Result<PathBuf, IpcError> {
    if !dir.join(config::DB_FILE).exists() {
        library.copy_to(dir)?;
    }
    let file = config::chosen_data_dir_file()
        .ok_or_else(|| IpcError::new("io", "this system has no configuration folder"))?;
    config::write_chosen_data_dir(&file, dir)?;
    log::info!("data folder for the next start: {}", dir.display());
    Ok(dir.to_path_buf())
}
