//! The Papersift desktop app binary.

// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    papersift_app_lib::run();
}
