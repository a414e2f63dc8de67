//! The Papersift desktop app binary.

// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any thread starts: ONNX Runtime sends nothing home (see the function).
    papersift_embed::disable_telemetry();
    papersift_app_lib::run();
}
