//! Alerts: rules on lists and saved searches, their matches, the live preview, and the
//! alert / background-sync settings.

use crate::tray::{refresh_tray, Tray, TrayModel};
use crate::{AppState, IpcError};
use papersift_core::alerts::AlertSettings;
use papersift_core::locks::LockAny;
use papersift_core::model::Paper;
use papersift_core::store::{AlertMatch, AlertRule};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

fn check(threshold: f32) -> Result<f32, IpcError> {
    if papersift_core::alerts::THRESHOLD_RANGE.contains(&threshold) {
        Ok(threshold)
    } else {
        Err(IpcError::new(
            "invalid",
            papersift_core::alerts::threshold_message(),
        ))
    }
}

/// All rules.
#[tauri::command]
pub async fn alert_rules(state: State<'_, AppState>) -> Result<Vec<AlertRule>, IpcError> {
    super::with_library(&state, move |library| Ok(library.alert_rules()?)).await
}

/// Turns alerts on or off for a list; returns the rule id.
#[tauri::command]
pub async fn set_list_alert<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    list_id: i64,
    threshold: Option<f32>,
    enabled: bool,
) -> Result<i64, IpcError> {
    let t = check(threshold.unwrap_or(state.alert_settings().list_threshold))?;
    let id = super::with_library(&state, move |library| {
        Ok(library.set_list_alert(list_id, t, enabled)?)
    })
    .await?;
    refresh_tray(&app);
    Ok(id)
}

/// Saves a search with alerts on; returns the rule id.
#[tauri::command]
pub async fn add_search_alert<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    query: String,
    threshold: Option<f32>,
) -> Result<i64, IpcError> {
    let t = check(threshold.unwrap_or(state.alert_settings().search_threshold))?;
    let id = super::with_library(&state, move |library| {
        Ok(library.add_search_alert(&name, &query, t)?)
    })
    .await?;
    refresh_tray(&app);
    Ok(id)
}

/// Changes a rule's threshold or turns it on or off.
#[tauri::command]
pub async fn update_alert_rule(
    state: State<'_, AppState>,
    id: i64,
    threshold: f32,
    enabled: bool,
) -> Result<(), IpcError> {
    let t = check(threshold)?;
    super::with_library(&state, move |library| {
        Ok(library.update_alert_rule(id, t, enabled)?)
    })
    .await
}

/// Deletes a rule and its matches.
#[tauri::command]
pub async fn delete_alert_rule<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<bool, IpcError> {
    let done =
        super::with_library(&state, move |library| Ok(library.delete_alert_rule(id)?)).await?;
    refresh_tray(&app);
    Ok(done)
}

/// Past matches, unseen first.
#[tauri::command]
pub async fn alert_matches(state: State<'_, AppState>) -> Result<Vec<AlertMatch>, IpcError> {
    super::with_library(&state, move |library| Ok(library.alert_matches(500)?)).await
}

/// Marks one paper's matches, or all, as seen.
#[tauri::command]
pub async fn mark_seen<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paper: Option<String>,
) -> Result<usize, IpcError> {
    let n = super::with_library(&state, move |library| {
        Ok(library.mark_seen(paper.as_deref())?)
    })
    .await?;
    refresh_tray(&app);
    Ok(n)
}

/// What a rule would have matched in the last 7 days.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// How many papers.
    pub count: usize,
    /// The best of them, with scores.
    pub papers: Vec<(Paper, f32)>,
}

/// The live preview of a threshold for a list or a query.
#[tauri::command]
pub async fn preview_alert(
    state: State<'_, AppState>,
    list_id: Option<i64>,
    query: Option<String>,
    threshold: f32,
) -> Result<Preview, IpcError> {
    let t = check(threshold)?;
    super::with_library(&state, move |library| {
        let mut papers = library.preview_alert(list_id, query.as_deref(), t, 7)?;
        let count = papers.len();
        papers.truncate(10);
        Ok(Preview { count, papers })
    })
    .await
}

/// The alert and background-sync settings.
#[tauri::command]
pub fn alert_settings(state: State<'_, AppState>) -> AlertSettings {
    state.alert_settings()
}

/// Validates, stores and applies the alert settings (start at login included).
#[tauri::command]
pub async fn set_alert_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: AlertSettings,
) -> Result<AlertSettings, IpcError> {
    let s = settings.validated()?;
    let stored = s.clone();
    super::with_library(&state, move |library| {
        Ok(library.set_setting(AlertSettings::KEY, &stored)?)
    })
    .await?;
    if let Some(auto) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() {
        let now = auto.is_enabled().unwrap_or(false);
        let result = match (s.start_at_login, now) {
            (true, false) => auto.enable(),
            (false, true) => auto.disable(),
            _ => Ok(()),
        };
        if let Err(e) = result {
            return Err(IpcError::new(
                "io",
                format!("could not change start at login: {e}"),
            ));
        }
    }
    state.set_alert_settings(s.clone());
    refresh_tray(&app);
    Ok(s)
}

/// What the tray shows, and whether there is a tray and a notification server.
#[tauri::command]
pub fn tray_status(tray: State<'_, Tray>) -> TrayModel {
    tray.0.lock_any().clone()
}
