//! The tray icon and its menu: the latest matches, Sync now, Pause alerts, Open and
//! Quit, and a tooltip counting unseen matches. Without a tray host the app keeps
//! working and Settings says what is missing.

use crate::background_sync::sync_and_alert;
use crate::notify::notification_server;
use crate::state::AppState;
use papersift_core::alerts::AlertSettings;
use papersift_core::locks::LockAny;
use serde::Serialize;
use std::sync::Mutex;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Event: matches or rules changed; the Alerts view and badge re-read.
pub const ALERTS_CHANGED: &str = "alerts-changed";
/// Event: open the Alerts view (a notification or tray entry was clicked).
pub const OPEN_ALERTS: &str = "open-alerts";
const TRAY_ID: &str = "main";
/// Matches listed in the tray menu.
const TRAY_MATCHES: usize = 5;

/// What the tray shows, kept so the UI (and tests) can read it.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TrayModel {
    /// A tray icon exists.
    pub tray: bool,
    /// Why not, when it does not.
    pub tray_error: Option<String>,
    /// The notification server's name, when one answers.
    pub notifications: Option<String>,
    /// Papers with unseen matches.
    pub unseen: usize,
    /// The menu's match entries: (paper key, label).
    pub matches: Vec<(String, String)>,
    /// The tooltip.
    pub tooltip: String,
    /// The last notification sent: (summary, body).
    pub last_notice: Option<(String, String)>,
}

/// The tray model, shared.
#[derive(Default)]
pub struct Tray(pub Mutex<TrayModel>);

fn tray_model<R: Runtime>(app: &AppHandle<R>) -> TrayModel {
    app.state::<Tray>().0.lock_any().clone()
}

/// Shows the main window and brings it to the front.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn build_menu<R: Runtime>(
    app: &AppHandle<R>,
    model: &TrayModel,
    paused: bool,
) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "open",
        "Open Papersift",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        "sync",
        "Sync now",
        true,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    if model.matches.is_empty() {
        menu.append(&MenuItem::with_id(
            app,
            "none",
            "No new matches",
            false,
            None::<&str>,
        )?)?;
    }
    for (key, label) in &model.matches {
        menu.append(&MenuItem::with_id(
            app,
            format!("paper:{key}"),
            label,
            true,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&CheckMenuItem::with_id(
        app,
        "pause",
        "Pause alerts",
        true,
        paused,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?)?;
    Ok(menu)
}

/// Re-reads matches and rebuilds the tray menu and tooltip.
pub fn refresh_tray<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(lib) = state.library() else { return };
    let matches = lib.alert_matches(50).unwrap_or_default();
    let unseen = lib.unseen_count().unwrap_or(0);
    let mut seen_keys = std::collections::HashSet::new();
    let items: Vec<(String, String)> = matches
        .iter()
        .filter(|m| !m.seen && seen_keys.insert(m.paper.key.clone()))
        .take(TRAY_MATCHES)
        .map(|m| (m.paper.key.clone(), truncate(&m.paper.title, 60)))
        .collect();
    let tooltip = match unseen {
        0 => "Papersift".to_string(),
        1 => "Papersift — 1 new match".to_string(),
        n => format!("Papersift — {n} new matches"),
    };
    let paused = state.alert_settings().paused;
    let model = {
        let tray = app.state::<Tray>();
        let mut m = tray.0.lock_any();
        m.unseen = unseen;
        m.matches = items;
        m.tooltip = tooltip.clone();
        m.clone()
    };
    if let Some(icon) = app.tray_by_id(TRAY_ID) {
        if let Ok(menu) = build_menu(app, &model, paused) {
            let _ = icon.set_menu(Some(menu));
        }
        let _ = icon.set_tooltip(Some(&tooltip));
        let _ = icon.set_title(if unseen > 0 {
            Some(unseen.to_string())
        } else {
            None::<String>
        });
    }
    let _ = app.emit(ALERTS_CHANGED, ());
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        "open" => show_main(app),
        "sync" => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let _ = sync_and_alert(&app).await;
            });
        }
        "pause" => {
            let state = app.state::<AppState>();
            let mut s = state.alert_settings();
            s.paused = !s.paused;
            if let Ok(lib) = state.library() {
                let _ = lib.set_setting(AlertSettings::KEY, &s);
            }
            state.set_alert_settings(s);
            refresh_tray(app);
        }
        "quit" => app.exit(0),
        other => {
            if let Some(key) = other.strip_prefix("paper:") {
                show_main(app);
                let _ = app.emit(OPEN_ALERTS, key.to_string());
            }
        }
    }
}

/// Creates the tray icon. The tray library can panic when the desktop lacks
/// libayatana-appindicator; that, like any failure, is caught and reported.
pub fn init_tray<R: Runtime>(app: &AppHandle<R>) {
    let model = tray_model(app);
    let paused = app.state::<AppState>().alert_settings().paused;
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> tauri::Result<()> {
        let menu = build_menu(app, &model, paused)?;
        let mut b = TrayIconBuilder::with_id(TRAY_ID)
            .menu(&menu)
            .tooltip("Papersift")
            .on_menu_event(|app, e| on_menu(app, e.id().as_ref()));
        if let Some(icon) = app.default_window_icon() {
            b = b.icon(icon.clone());
        }
        b.build(app)?;
        Ok(())
    }));
    let error = match built {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => {
            Some("the system tray library is missing (install libayatana-appindicator3-1)".into())
        }
    };
    if let Some(e) = &error {
        log::warn!("no tray icon: {e}");
    }
    {
        let tray = app.state::<Tray>();
        let mut m = tray.0.lock_any();
        m.tray = error.is_none();
        m.tray_error = error;
        m.notifications = notification_server();
    }
    refresh_tray(app);
}
