//! The interface the app implements to show the core's notifications
//! (the [`Notification`] value itself is an IPC type of the protocol).

pub use orderdesk_protocol::ipc::Notification;
use std::sync::Mutex;

/// Shows notifications; the app implements it with OS notifications.
///
/// Called from the sync task after the change that caused the notification
/// is committed to the cache, so a click can open the order at once.
pub trait Notifier: Send + Sync {
    fn notify(&self, notification: &Notification);
}

/// A notifier that shows nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct SilentNotifier;

impl Notifier for SilentNotifier {
    fn notify(&self, _: &Notification) {}
}

/// Keeps every notification it is given: for tests and diagnostics.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    seen: Mutex<Vec<Notification>>,
}

impl RecordingNotifier {
    pub fn new() -> RecordingNotifier {
        RecordingNotifier::default()
    }

    pub fn seen(&self) -> Vec<Notification> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, notification: &Notification) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(notification.clone());
    }
}
