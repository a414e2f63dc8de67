//! The background embedding worker: loads the model off the UI thread, embeds what is
//! pending with progress events, and reports failures to the UI instead of crashing.

use crate::state::{AppState, ModelStatus};
use papersift_embed::{EmbedConfig, FastEmbedder};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Event sent when papers, vectors or the model status changed; the UI re-queries.
pub const LIBRARY_CHANGED: &str = "library-changed";

/// Papers per committed embedding chunk.
const CHUNK: usize = 64;

/// Starts the worker thread.
pub fn start_embedding<R: Runtime>(app: AppHandle<R>, cfg: EmbedConfig) {
    std::thread::Builder::new()
        .name("embedder".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let result = embed_all(&app, &state, &cfg);
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
                        ..Default::default()
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
    cfg: &EmbedConfig,
) -> Result<(), String> {
    let library = state.library().map_err(|e| e.message)?;
    let embedder = FastEmbedder::load(cfg).map_err(|e| e.to_string())?;
    library
        .set_embedder(Arc::new(embedder))
        .map_err(|e| e.to_string())?;
    let mut last_emit = Instant::now() - Duration::from_secs(1);
    library
        .embed_pending(CHUNK, &mut |done, total| {
            state.set_model_status(ModelStatus {
                state: "embedding".into(),
                done,
                total,
                message: None,
            });
            // Throttled: the UI refreshes its status at most a few times a second.
            if last_emit.elapsed() > Duration::from_millis(250) || done == total {
                last_emit = Instant::now();
                let _ = app.emit(LIBRARY_CHANGED, ());
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}
