//! papersift-app: the Tauri shell around `papersift-core`. The only crate that knows
//! about windows.
//!
//! The shell stays thin: commands parse arguments, call one core function on a blocking
//! thread and map errors to `{ kind, message }`. [`build`] wires commands and state onto
//! any runtime, so the command tests drive it with `tauri::test::mock_builder()` and
//! [`run`] uses it for the real window.

mod commands;
mod error;
mod state;
mod worker;

pub use error::IpcError;
pub use state::{AppState, ModelStatus};

use tauri::Runtime;

/// Registers the app's state and commands on a builder.
pub fn build<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::search::search,
            commands::library::library_status,
            commands::sync::sync_now,
            commands::sync::sync_status,
            commands::sync::sync_settings,
            commands::sync::set_sync_settings,
        ])
}

/// Starts the desktop app: opens the library (seeding it on first run), shows the
/// window, and loads the embedding model and embeds pending papers in the background.
pub fn run() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let data_dir = papersift_core::config::data_dir(None);
    let state = AppState::open(&data_dir);
    build(tauri::Builder::default(), state)
        .setup(|app| {
            worker::start_embedding(
                app.handle().clone(),
                papersift_embed::EmbedConfig::from_env(),
            );
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Papersift could not start its window");
}
