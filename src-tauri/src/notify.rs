//! Desktop notifications: one per sync for its new matches, unless alerts are paused or
//! it is quiet hours. Without a notification server nothing is sent and Settings says so.

use crate::state::AppState;
use crate::tray::{show_main, Tray, OPEN_ALERTS};
use papersift_core::alerts::{coalesce, in_quiet_hours};
use papersift_core::locks::LockAny;
use papersift_core::sync::SyncReport;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The notification server's name, or `None` without one (no session bus, no daemon).
pub(crate) fn notification_server() -> Option<String> {
    std::thread::spawn(|| {
        notify_rust::get_server_information()
            .ok()
            .map(|i| format!("{} {}", i.name, i.version))
    })
    .join()
    .ok()
    .flatten()
}

fn local_minutes() -> u32 {
    use chrono::Timelike;
    let now = chrono::Local::now();
    now.hour() * 60 + now.minute()
}

/// Sends the coalesced notification for a sync's new matches, unless alerts are paused
/// or it is quiet hours. Clicking it opens the Alerts view.
pub(crate) fn notify<R: Runtime>(app: &AppHandle<R>, report: &SyncReport) {
    let Some(notice) = coalesce(&report.alerts) else {
        return;
    };
    let settings = app.state::<AppState>().alert_settings();
    if settings.paused {
        return;
    }
    if let Some((a, b)) = settings.quiet_hours {
        if in_quiet_hours(local_minutes(), a, b) {
            return;
        }
    }
    {
        let tray = app.state::<Tray>();
        tray.0.lock_any().last_notice = Some((notice.summary.clone(), notice.body.clone()));
    }
    let app = app.clone();
    // Delivery talks D-Bus and can wait on a click: its own thread.
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Papersift")
            .summary(&notice.summary)
            .body(&notice.body)
            .action("default", "Show")
            .show();
        match shown {
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    show_main(&app);
                    let _ = app.emit(OPEN_ALERTS, "");
                }
            }),
            Err(e) => {
                log::info!("no desktop notification ({e}); the matches are in the Alerts view")
            }
        }
    });
}
