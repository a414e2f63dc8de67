//! Tests of the desktop app: its commands through Tauri's mock runtime, and the real
//! app in a real WebKit window driven over WebDriver (tauri-driver + WebKitWebDriver,
//! under Xvfb when no display is set).

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod concurrency;
mod webdriver;
