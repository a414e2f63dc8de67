//! Build script: Tauri code generation (config, capabilities, icons) and one
//! `allow-<command>` permission per app command, so the window's capability grants
//! exactly the commands it uses (an app manifest denies anything not granted).

/// Every command the UI may call; `src-tauri/capabilities/default.json` grants them.
const COMMANDS: &[&str] = &[
    "search",
    "query_hint",
    "query_syntax",
    "suggest",
    "library_status",
    "startup_problem",
    "move_library_aside",
    "restart_app",
    "quit_app",
    "app_ready",
    "sync_now",
    "sync_status",
    "sync_settings",
    "set_sync_settings",
    "arxiv_categories",
    "feeds",
    "add_feed",
    "remove_feed",
    "lists",
    "list_items",
    "create_list",
    "rename_list",
    "delete_list",
    "merge_lists",
    "add_to_list",
    "remove_from_list",
    "recommend",
    "rate",
    "ratings",
    "reset_ratings",
    "marks",
    "mark_papers_seen",
    "unseen_recommendations",
    "cold_start",
    "import_with_dialog",
    "export_list",
    "alert_rules",
    "set_list_alert",
    "add_search_alert",
    "update_alert_rule",
    "delete_alert_rule",
    "alert_matches",
    "mark_seen",
    "preview_alert",
    "alert_settings",
    "set_alert_settings",
    "tray_status",
    "open_link",
    "feed",
    "paper",
    "similar",
    "copy_citation",
    "library_map",
    "embedding_settings",
    "set_embedding_settings",
    "data_folder",
    "choose_data_folder",
    "zotero_collections",
    "link_zotero",
    "link_file_with_dialog",
    "follow_lists",
    "unlink_list",
    "save_to_zotero",
];

fn main() {
    // The UI bundle is embedded at compile time: a rebuilt UI must rebuild the app.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
