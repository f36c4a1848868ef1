//! What the core tells the app to show as an OS notification, and the
//! interface the app implements to show it.

use orderdesk_domain::{NoticeEvent, OrderNumber};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// One notification, raised once per event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Stable per notice (the server's notice id): the same notice never
    /// gets a second notification.
    pub key: String,
    pub order: OrderNumber,
    /// `OrderCreated` or `ReturnedToWork`.
    pub event: NoticeEvent,
    /// «Новый заказ», «Заказ вернули в работу».
    pub title: String,
    /// «Заказ №1042: Уборка».
    pub body: String,
}

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
