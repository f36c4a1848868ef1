//! The desktop entry point; everything lives in the library so the same code
//! starts on mobile through `mobile_entry_point`.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    orderdesk_app::run();
}
