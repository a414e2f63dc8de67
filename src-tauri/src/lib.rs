//! papersift-app: the Tauri shell around `papersift-core`. The only crate that knows
//! about windows.
//!
//! The shell stays thin: commands parse arguments, call one core function on a blocking
//! thread and map errors to `{ kind, message }`. [`build`] wires commands and state onto
//! any runtime, so the command tests drive it with `tauri::test::mock_builder()` and
//! [`run`] uses it for the real window.

mod background_sync;
#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod importer;
mod linked;
mod notify;
mod state;
mod tray;
mod turns;
mod worker;

pub use error::IpcError;
pub use state::{AppState, ModelStatus};

use std::path::Path;
use tauri::{Emitter, Manager, Runtime};

/// Registers the app's state and commands on a builder.
pub fn build<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state)
        .manage(tray::Tray::default())
        .manage(linked::Watch::default())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                // Closing hides to the tray when there is one and the user wants it.
                let app = window.app_handle();
                let has_tray = app
                    .state::<tray::Tray>()
                    .0
                    .lock()
                    .map(|t| t.tray)
                    .unwrap_or(false);
                if has_tray && app.state::<AppState>().alert_settings().close_to_tray {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
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
            commands::search::query_hint,
            commands::search::query_syntax,
            commands::search::suggest,
            commands::library::library_status,
            commands::library::startup_problem,
            commands::library::move_library_aside,
            commands::library::restart_app,
            commands::library::quit_app,
            commands::library::app_ready,
            commands::sync::sync_now,
            commands::sync::sync_status,
            commands::sync::sync_settings,
            commands::sync::set_sync_settings,
            commands::sync::arxiv_categories,
            commands::sync::feeds,
            commands::sync::add_feed,
            commands::sync::remove_feed,
            commands::lists::lists,
            commands::lists::list_items,
            commands::lists::create_list,
            commands::lists::rename_list,
            commands::lists::delete_list,
            commands::lists::merge_lists,
            commands::lists::add_to_list,
            commands::lists::remove_from_list,
            commands::lists::recommend,
            commands::ratings::rate,
            commands::ratings::ratings,
            commands::ratings::reset_ratings,
            commands::ratings::marks,
            commands::ratings::mark_papers_seen,
            commands::ratings::unseen_recommendations,
            commands::ratings::cold_start,
            commands::lists::import_with_dialog,
            commands::lists::export_list,
            commands::alerts::alert_rules,
            commands::alerts::set_list_alert,
            commands::alerts::add_search_alert,
            commands::alerts::update_alert_rule,
            commands::alerts::delete_alert_rule,
            commands::alerts::alert_matches,
            commands::alerts::mark_seen,
            commands::alerts::preview_alert,
            commands::alerts::alert_settings,
            commands::alerts::set_alert_settings,
            commands::alerts::tray_status,
            commands::links::open_link,
            commands::papers::feed,
            commands::papers::paper,
            commands::papers::similar,
            commands::papers::copy_citation,
            commands::papers::library_map,
            commands::settings::embedding_settings,
            commands::settings::set_embedding_settings,
            commands::settings::data_folder,
            commands::settings::choose_data_folder,
            commands::zotero::zotero_collections,
            commands::zotero::link_zotero,
            commands::zotero::link_file_with_dialog,
            commands::zotero::follow_lists,
            commands::zotero::unlink_list,
            commands::zotero::save_to_zotero,
        ])
}

/// Starts the desktop app: opens the library (seeding it on first run), shows the
/// window, and loads the embedding model and embeds pending papers in the background.
pub fn run() {
    commands::library::mark_process_start();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let data_dir = papersift_core::config::data_dir(None);
    let state = AppState::open(&data_dir);
    let hidden = std::env::args().any(|a| a == "--hidden");
    let cwd = std::env::current_dir().unwrap_or_default();
    let opened = importer::files_in_args(std::env::args(), &cwd);
    // One instance: a second launch brings the first one's window forward.
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            tray::show_main(app);
            // "Open with Papersift" while it runs: the second launch's files, imported here.
            importer::open_files(app, importer::files_in_args(args, Path::new(&cwd)));
        }))
        .manage(importer::OpenedFiles(std::sync::Mutex::new(Some(opened))))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ));
    build(builder, state)
        .setup(move |app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(worker::EMBEDDING_START_LATEST);
                worker::start_embedding(handle);
            });
            tray::init_tray(app.handle());
            background_sync::start_schedule(app.handle().clone());
            // Linked lists catch up with what changed while the app was closed, then
            // follow their sources as they change.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let h = handle.clone();
                let _ = tauri::async_runtime::spawn_blocking(move || linked::rewatch(&h)).await;
                if let Err(e) = linked::follow_now(&handle, None, false).await {
                    log::warn!("following linked lists: {}", e.message);
                }
            });
            let has_tray = app
                .state::<tray::Tray>()
                .0
                .lock()
                .map(|t| t.tray)
                .unwrap_or(false);
            if hidden && has_tray {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.hide();
                }
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Papersift could not start its window");
}
