//! The «Обращения и заказы» app: a Tauri shell around the offline client
//! core, showing the wasm UI from `ui/dist`.
//!
//! This crate wires things together and holds no rules: commands live in
//! [`commands`], the boundary to the core in [`backend`], and the error shape
//! the UI matches on in [`error`].

mod backend;
mod commands;
mod error;

pub use backend::{Backend, Session, SyncState};
pub use error::{AppError, ErrorCode};

/// Starts the app; the desktop `main` and the mobile entry point both land here.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    init_logging();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(Backend::new())
        .invoke_handler(tauri::generate_handler![
            commands::log_in,
            commands::log_out,
            commands::get_session,
            commands::get_sync_state,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = app {
        tracing::error!(%error, "the app stopped with an error");
        std::process::exit(1);
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (tests, mobile restarts) is harmless; ignore it.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
