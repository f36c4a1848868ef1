//! The core's [`Notifier`] for the app: an OS notification through
//! `tauri-plugin-notification`, a Tauri event so the UI refreshes and shows
//! it, and an in-app list the manager opens orders from (desktop
//! notifications on Linux report no clicks, so the list is where a click
//! lands everywhere).

use orderdesk_client_core::{Notification, Notifier};
use orderdesk_protocol::ipc;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

/// The event the UI listens to; its payload is the [`Notification`].
pub const NOTIFICATION_EVENT: &str = ipc::NOTIFICATION_EVENT;
/// Notifications kept for the in-app list.
const KEPT: usize = 50;

/// The notifications of this run, newest first.
#[derive(Debug, Default)]
pub struct NotificationLog {
    items: Mutex<Vec<Notification>>,
}

impl NotificationLog {
    fn push(&self, notification: &Notification) {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.insert(0, notification.clone());
        items.truncate(KEPT);
    }

    pub fn all(&self) -> Vec<Notification> {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn clear(&self) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Shows the core's notifications through the OS and the UI.
pub struct OsNotifier<R: Runtime = tauri::Wry> {
    app: AppHandle<R>,
    log: Arc<NotificationLog>,
}

impl<R: Runtime> OsNotifier<R> {
    pub fn new(app: AppHandle<R>) -> OsNotifier<R> {
        OsNotifier {
            app,
            log: Arc::new(NotificationLog::default()),
        }
    }

    pub fn log(&self) -> Arc<NotificationLog> {
        self.log.clone()
    }
}

impl<R: Runtime> Notifier for OsNotifier<R> {
    fn notify(&self, notification: &Notification) {
        self.log.push(notification);
        let shown = self
            .app
            .notification()
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show();
        if let Err(error) = shown {
            tracing::warn!(%error, order = %notification.order, "OS notification not shown");
        }
        if let Err(error) = self.app.emit(NOTIFICATION_EVENT, notification) {
            tracing::warn!(%error, "notification event not delivered to the UI");
        }
    }
}
