//! The background embedding worker: loads the model off the UI thread, embeds what is
//! pending with progress events, and reports failures to the UI instead of crashing.
//! A model chosen in Settings is loaded first and only then replaces the running one,
//! so a model that cannot load leaves search as it was.

use crate::state::{AppState, KeywordStatus, ModelStatus};
use papersift_core::embedder::EmbeddingSettings;
use papersift_core::library::Library;
use papersift_embed::{EmbedConfig, FastEmbedder};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Event sent when papers, vectors or the model status changed; the UI re-queries.
pub const LIBRARY_CHANGED: &str = "library-changed";

/// Papers per committed embedding chunk.
const CHUNK: usize = 64;

/// The embedding configuration for a library: its stored settings, then the environment.
pub fn config_for(library: &Library) -> EmbedConfig {
    let stored: EmbeddingSettings = library
        .setting(EmbeddingSettings::KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    EmbedConfig::from_settings(&stored)
}

/// Starts the worker thread: load the configured model and its vectors, then embed
/// what is pending. Once per run: the window calls it when it is interactive (reading a
/// million vectors would otherwise compete with its first questions), and a timer after
/// [`EMBEDDING_START_LATEST`] in case the window never says so (started hidden).
pub fn start_embedding<R: Runtime>(app: AppHandle<R>) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| spawn(app, None));
}

/// The latest the embedding worker starts after launch.
pub const EMBEDDING_START_LATEST: Duration = Duration::from_secs(5);

/// Opens the keyword index in the background (once the UI is interactive): builds it
/// when it is missing, unreadable or of an older layout, with progress in the status
/// bar, and applies what it lacks. Keyword search runs on FTS5 until it is ready.
pub fn start_keyword_index<R: Runtime>(app: AppHandle<R>) {
    std::thread::Builder::new()
        .name("keywords".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let mut last_emit = Instant::now() - Duration::from_secs(1);
            let built = state.library().map_err(|e| e.message).and_then(|l| {
                l.load_keyword_index_with(&mut |done, total| {
                    state.set_keyword_status(KeywordStatus {
                        state: "building".into(),
                        done,
                        total,
                    });
                    if last_emit.elapsed() > Duration::from_millis(500) {
                        last_emit = Instant::now();
                        let _ = app.emit(LIBRARY_CHANGED, ());
                    }
                })
                .map_err(|e| e.to_string())
            });
            let done = match built {
                Ok(_) => "ready",
                Err(e) => {
                    log::warn!("keyword index not built, FTS5 ranks keywords: {e}");
                    "fts5"
                }
            };
            state.set_keyword_status(KeywordStatus {
                state: done.into(),
                ..state.keyword_status()
            });
            let _ = app.emit(LIBRARY_CHANGED, ());
        })
        .expect("spawn keyword thread");
}

/// Installs an already loaded model and embeds what it lacks, in the background.
pub fn switch_embedder<R: Runtime>(app: AppHandle<R>, embedder: FastEmbedder) {
    spawn(app, Some(embedder));
}

fn spawn<R: Runtime>(app: AppHandle<R>, loaded: Option<FastEmbedder>) {
    std::thread::Builder::new()
        .name("embedder".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let result = embed_all(&app, &state, loaded);
            let status = match result {
                Ok(()) => ModelStatus {
                    state: "ready".into(),
                    ..state.model_status()
                },
                Err(message) => {
                    log::error!("embedding model unavailable: {message}");
                    ModelStatus {
                        state: "error".into(),
                        message: Some(message),
                        ..state.model_status()
                    }
                }
            };
            state.set_model_status(status);
            let _ = app.emit(LIBRARY_CHANGED, ());
        })
        .expect("spawn embedder thread");
}

fn embed_all<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    loaded: Option<FastEmbedder>,
) -> Result<(), String> {
    let library = state.library().map_err(|e| e.message)?;
    let embedder = match loaded {
        Some(e) => e,
        None => FastEmbedder::load(&config_for(&library)).map_err(|e| e.to_string())?,
    };
    let (name, provider, threads) = (
        embedder.name().to_string(),
        embedder.provider().to_string(),
        embedder.threads(),
    );
    library
        .set_embedder(Arc::new(embedder))
        .map_err(|e| e.to_string())?;
    let status = |s: &str, done, total| ModelStatus {
        state: s.into(),
        done,
        total,
        message: None,
        model: Some(name.clone()),
        provider: Some(provider.clone()),
        threads: Some(threads),
        rate: None,
        eta_s: None,
    };
    state.set_model_status(status("loaded", 0, 0));
    let _ = app.emit(LIBRARY_CHANGED, ());
    let mut last_emit = Instant::now() - Duration::from_secs(1);
    let started = Instant::now();
    library
        .embed_pending(CHUNK, &mut |done, total| {
            let (rate, eta_s) = Library::pace(done, total, started.elapsed());
            state.set_model_status(ModelStatus {
                rate,
                eta_s,
                ..status("embedding", done, total)
            });
            // Throttled: the UI refreshes its status at most a few times a second.
            if last_emit.elapsed() > Duration::from_millis(250) || done == total {
                last_emit = Instant::now();
                let _ = app.emit(LIBRARY_CHANGED, ());
            }
        })
        .map_err(|e| e.to_string())?;
    // The word index recommendations read, built here rather than at the first
    // Recommended tab (seconds on a large library); only when there is a list to serve.
    if !library.lists().map_err(|e| e.to_string())?.is_empty() {
        if let Err(e) = library.with_terms(|_| ()) {
            log::warn!("word index not built ahead; the first recommendation builds it: {e}");
        }
    }
    Ok(())
}
