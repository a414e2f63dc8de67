//! Syncing with progress events, then alerting: shared by the Sync button, the tray's
//! Sync now and the background schedule, which is here too.

use crate::notify::notify;
use crate::state::AppState;
use crate::tray::refresh_tray;
use papersift_core::locks::LockAny;
use papersift_core::sync::{run_sync, SyncProgress, SyncReport};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Event with a [`SyncProgress`] payload while a sync runs.
pub const SYNC_PROGRESS: &str = "sync-progress";
/// Event with the [`SyncReport`] when a sync ends.
pub const SYNC_FINISHED: &str = "sync-finished";

/// Runs a sync with progress events, then updates the tray and notifies. Shared by the
/// Sync button, the tray's "Sync now" and the schedule.
pub async fn sync_and_alert<R: Runtime>(app: &AppHandle<R>) -> Result<SyncReport, crate::IpcError> {
    let state = app.state::<AppState>();
    let library = state.library()?;
    let cfg = crate::state::sync_config(&library).await?;
    // Progress is throttled: fetch steps always go out, counters a few times a second.
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    let emitter = app.clone();
    let progress = move |p: SyncProgress| {
        let mut last = last.lock_any();
        let due = match &p {
            SyncProgress::Fetching { .. } => true,
            SyncProgress::Embedding { done, total, .. } => {
                done == total || last.elapsed() > Duration::from_millis(150)
            }
            SyncProgress::Stored { .. } => last.elapsed() > Duration::from_millis(150),
        };
        if due {
            *last = Instant::now();
            let _ = emitter.emit(SYNC_PROGRESS, &p);
        }
    };
    // Linked lists first: the papers they bring are embedded with the sync's.
    if let Err(e) = crate::linked::follow_now(app, None, false).await {
        log::warn!("following linked lists: {}", e.message);
    }
    let result = run_sync(library, &cfg, &progress).await;
    state.mark_synced();
    let _ = app.emit(crate::worker::LIBRARY_CHANGED, ());
    let report = result?;
    let _ = app.emit(SYNC_FINISHED, &report);
    if !report.alerts.is_empty() {
        refresh_tray(app);
        notify(app, &report);
    }
    Ok(report)
}

/// Background sync every `interval` minutes of wall-clock time (so a laptop that slept
/// syncs when it wakes); `PAPERSIFT_SYNC_INTERVAL_MINUTES` overrides the setting.
pub fn start_schedule<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(30)).await;
            let state = app.state::<AppState>();
            let minutes = std::env::var("PAPERSIFT_SYNC_INTERVAL_MINUTES")
                .ok()
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(state.alert_settings().sync_interval_minutes);
            if minutes == 0 {
                continue;
            }
            // Nothing leaves the machine until the user asks: a library that was never
            // synced waits for its first Sync, then syncs on the schedule.
            let due = state
                .seconds_since_sync()
                .is_some_and(|s| s >= u64::from(minutes) * 60);
            if due && !state.library().map(|l| l.is_syncing()).unwrap_or(true) {
                match sync_and_alert(&app).await {
                    Ok(r) if r.sources.iter().all(|s| s.offline) => {
                        log::info!("background sync: offline, will retry")
                    }
                    Ok(r) => log::info!("background sync: {} new papers", r.new_papers()),
                    Err(e) => log::info!("background sync skipped: {}", e.message),
                }
            }
        }
    });
}
