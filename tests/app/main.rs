//! Tests of the desktop app: its commands through Tauri's mock runtime, and the real
//! app in a real WebKit window driven over WebDriver (tauri-driver + WebKitWebDriver,
//! under Xvfb when no display is set).

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod concurrency;
mod webdriver;

/// The real windows and the all-at-once load run one at a time: they share the display
/// and the machine's two cores, and a window starved of both misses its timeouts.
pub(crate) static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
