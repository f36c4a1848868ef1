//! The core's [`Notifier`] for the app: an OS notification through
//! `tauri-plugin-notification` and a Tauri event so the UI shows a toast.
//! The history the bell opens (desktop notifications on Linux report no
//! clicks, so the history is where a click lands everywhere) is kept by the
//! core itself, across restarts: a UI that was not listening yet when a
//! notification went out finds it there.

use orderdesk_client_core::{Notification, Notifier};
use orderdesk_protocol::ipc;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

/// The event the UI listens to; its payload is the [`Notification`].
pub const NOTIFICATION_EVENT: &str = ipc::NOTIFICATION_EVENT;

/// Shows the core's notifications through the OS and the UI.
pub struct OsNotifier<R: Runtime = tauri::Wry> {
    app: AppHandle<R>,
}

impl<R: Runtime> OsNotifier<R> {
    pub fn new(app: AppHandle<R>) -> OsNotifier<R> {
        OsNotifier { app }
    }
}

impl<R: Runtime> Notifier for OsNotifier<R> {
    fn notify(&self, notification: &Notification) {
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
