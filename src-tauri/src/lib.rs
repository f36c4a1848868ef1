//! The «Обращения и заказы» app: a Tauri shell around the offline client
//! core, showing the wasm UI from `ui/dist`.
//!
//! This crate wires things together and holds no rules: the core
//! (`orderdesk_client_core::Client`) is managed as Tauri state and the
//! thin commands in [`commands`] (the administrator's in [`admin`]) call it; [`setup`] opens it and forwards
//! its sync status to the UI; OS notifications are in [`notify`], what a
//! phone's OS asks of the app (the notification permission, syncing on return
//! to the foreground) in [`lifecycle`], and the error shape the UI matches on
//! in [`error`].

mod admin;
mod commands;
mod error;
mod lifecycle;
mod notify;
mod setup;

pub use error::{AppError, ErrorCode};
pub use notify::{OsNotifier, NOTIFICATION_EVENT};

use tauri::Manager;

/// Starts the app; the desktop `main` and the mobile entry point both land here.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    init_logging();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let client = setup::open_core(app.handle())?;
            setup::forward_sync_status(app.handle().clone(), &client);
            app.manage(client.clone());
            // Sync runs on the async runtime; a restored session resumes it.
            tauri::async_runtime::spawn(async move { client.resume() });
            lifecycle::ask_notification_permission(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::log_in,
            commands::log_out,
            commands::get_session,
            commands::get_defaults,
            commands::get_sync_status,
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
            commands::take_in_work,
            commands::undo_collection,
            commands::sync_now,
            commands::count_unread_notifications,
            commands::mark_notifications_read,
            commands::set_language,
            commands::get_push_key,
            commands::subscribe_push,
            commands::unsubscribe_push,
            admin::get_admin,
            admin::create_user,
            admin::update_user,
            admin::block_user,
            admin::unblock_user,
            admin::reset_password,
            admin::create_service,
            admin::update_service,
            admin::create_object,
            admin::update_object,
            admin::create_product,
            admin::update_product,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|app, event| lifecycle::on_run_event(app, &event)),
        Err(error) => {
            tracing::error!(%error, "the app could not start");
            std::process::exit(1);
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (tests, mobile restarts) is harmless; ignore it.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

#[cfg(test)]
mod tests {
    /// Every command of the IPC contract is registered, and nothing else.
    #[test]
    fn registers_every_command_of_the_contract() {
        let source = include_str!("lib.rs");
        let start = source.find("generate_handler![").expect("handler list");
        let list = &source[start..];
        let list = &list[..list.find(']').expect("end of list")];
        let registered: Vec<&str> = list
            .split(',')
            .filter_map(|item| item.rsplit_once("::"))
            .map(|(_, name)| name.trim())
            .collect();
        assert_eq!(registered, orderdesk_protocol::ipc::COMMANDS);
    }
}
