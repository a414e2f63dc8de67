//! papersift-app: the Tauri shell around `papersift-core`. The only crate that knows
//! about windows.
//!
//! The shell stays thin: commands parse arguments, call one core function on a blocking
//! thread and map errors to `{ kind, message }`. [`build`] wires commands and state onto
//! any runtime, so the command tests drive it with `tauri::test::mock_builder()` and
//! [`run`] uses it for the real window.

mod commands;
mod error;
mod importer;
mod state;
mod worker;

pub use error::IpcError;
pub use state::{AppState, ModelStatus};

use tauri::{Emitter, Manager, Runtime};

/// Registers the app's state and commands on a builder.
pub fn build<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                let app = window.app_handle().clone();
                match drop {
                    tauri::DragDropEvent::Enter { .. } | tauri::DragDropEvent::Over { .. } => {
                        let _ = app.emit(importer::DRAG_HOVER, true);
                    }
                    tauri::DragDropEvent::Leave => {
                        let _ = app.emit(importer::DRAG_HOVER, false);
                    }
                    tauri::DragDropEvent::Drop { paths, .. } => {
                        let _ = app.emit(importer::DRAG_HOVER, false);
                        let paths = paths.clone();
                        tauri::async_runtime::spawn(importer::import_paths(app, paths));
                    }
                    _ => {}
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::search::search,
            commands::library::library_status,
            commands::sync::sync_now,
            commands::sync::sync_status,
            commands::sync::sync_settings,
            commands::sync::set_sync_settings,
            commands::lists::lists,
            commands::lists::list_items,
            commands::lists::create_list,
            commands::lists::rename_list,
            commands::lists::delete_list,
            commands::lists::merge_lists,
            commands::lists::add_to_list,
            commands::lists::remove_from_list,
            commands::lists::recommend,
            commands::lists::not_interested,
            commands::lists::import_with_dialog,
            commands::lists::export_list,
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
