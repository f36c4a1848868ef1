//! The «Обращения и заказы» app: a Tauri shell around the offline client
//! core, showing the wasm UI from `ui/dist`.
//!
//! This crate wires things together and holds no rules: commands live in
//! [`commands`], the handle on the core in [`backend`], OS notifications in
//! [`notify`], and the error shape the UI matches on in [`error`].

mod backend;
mod commands;
mod error;
mod notify;

pub use backend::{Backend, Defaults};
pub use error::{AppError, ErrorCode};
pub use notify::{NotificationLog, OsNotifier, NOTIFICATION_EVENT};

use tauri::Manager;

/// Starts the app; the desktop `main` and the mobile entry point both land here.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    init_logging();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = backend::data_dir(app.path().app_data_dir().ok())?;
            let backend = Backend::open(&dir, OsNotifier::new(app.handle().clone()))?;
            tracing::info!(data_dir = %dir.display(), "the core is open");
            app.manage(backend);
            let handle = app.handle().clone();
            // Sync runs on the async runtime; a restored session resumes it.
            tauri::async_runtime::spawn(async move {
                handle.state::<Backend>().resume();
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::log_in,
            commands::log_out,
            commands::get_session,
            commands::get_defaults,
            commands::get_sync_state,
            commands::dismiss_conflict,
            commands::list_orders,
            commands::get_order,
            commands::assign_executor,
            commands::change_status,
            commands::change_deadlines,
            commands::record_payment,
            commands::cancel_order,
            commands::edit_booking,
            commands::collect_line,
            commands::send_message,
            commands::list_resources,
            commands::get_availability,
            commands::list_payers,
            commands::list_notifications,
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
