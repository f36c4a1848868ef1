//! The workspace's notices: the core's notifications as toasts that go by
//! themselves and as the bell's history with what is still unread, and the
//! last failure as a toast of its own.

use super::{Workspace, MAX_TOASTS, TOAST_MS};
use crate::api;
use crate::model::Notification;
use dioxus::prelude::*;
use orderdesk_domain::OrderNumber;

/// How old an unread notice found in the history may be to still get its
/// toast: raised while the screen was getting ready, not on an earlier day.
const RECENT_SECONDS: i64 = 60;

impl Workspace {
    /// A notice the core sent: kept once in the history, shown as a toast
    /// for a while, and the list loads again.
    pub fn add_notice(mut self, fresh: Notification) {
        let key = fresh.key.clone();
        let mut all = self.notices.write();
        let is_new = all.iter().all(|n| n.key != key);
        if is_new {
            all.insert(0, fresh);
        }
        drop(all);
        if is_new {
            let mut toasts = self.toasts.write();
            toasts.insert(0, key.clone());
            toasts.truncate(MAX_TOASTS);
            drop(toasts);
            self.spawn(async move {
                api::sleep(TOAST_MS).await;
                self.expire_notice(&key);
            });
        }
        self.refresh();
    }

    /// The core's history, read once the screen listens: every notice joins
    /// the bell's history, and one still unread that was raised moments ago
    /// (between sign-in and the listener) gets the toast it would have had.
    /// Older unread ones wait under the bell without a toast.
    pub fn catch_up_notices(mut self, earlier: Vec<Notification>) {
        let recent_since = api::now() - chrono::Duration::seconds(RECENT_SECONDS);
        // Oldest first, so that each goes on top and the newest ends there.
        for notice in earlier.into_iter().rev() {
            let known = self.notices.read().iter().any(|n| n.key == notice.key);
            if known {
                continue;
            }
            let recent = notice.at.is_some_and(|at| at >= recent_since);
            if !notice.read && recent {
                self.add_notice(notice);
            } else {
                self.notices.write().insert(0, notice);
            }
        }
        // Heard live before the history came: keep the newest on top.
        self.notices
            .write()
            .sort_by_key(|n| std::cmp::Reverse(n.at));
    }

    /// The toast of a notice goes; the notice stays in the history.
    pub fn expire_notice(mut self, key: &str) {
        self.toasts.write().retain(|k| k != key);
    }

    /// The manager closed a notice's toast.
    pub fn dismiss_notice(self, key: &str) {
        self.expire_notice(key);
    }

    /// Opens the order a notice is about, and counts the notice as read,
    /// here at once and in the core's history.
    pub fn open_notice(mut self, key: &str, order: OrderNumber) {
        self.expire_notice(key);
        self.read.write().insert(key.to_owned());
        let key = key.to_owned();
        self.spawn(async move {
            let _ = api::mark_notifications_read(Some(key)).await;
        });
        self.history_open.set(false);
        self.open_order(order);
    }

    /// Whether the manager has read a notice: the core says so, or it was
    /// opened on this screen.
    pub fn is_read(self, notice: &Notification) -> bool {
        notice.read || self.read.read().contains(&notice.key)
    }

    /// How many notices in the history the manager has not read.
    pub fn unread_count(self) -> usize {
        self.notices
            .read()
            .iter()
            .filter(|n| !self.is_read(n))
            .count()
    }

    pub fn mark_all_read(mut self) {
        let keys: Vec<String> = self.notices.read().iter().map(|n| n.key.clone()).collect();
        self.read.write().extend(keys);
        self.spawn(async move {
            let _ = api::mark_notifications_read(None).await;
        });
    }

    /// Opens or closes the bell's history; opening it clears the toasts,
    /// which it lists anyway.
    pub fn toggle_history(mut self) {
        let open = !(self.history_open)();
        self.history_open.set(open);
        if open {
            self.toasts.write().clear();
        }
    }

    /// Shows a failure for a while; a newer one replaces it.
    pub fn show_toast(mut self, message: String) {
        self.toast.set(Some(message.clone()));
        self.spawn(async move {
            api::sleep(TOAST_MS).await;
            if self.toast.peek().as_deref() == Some(message.as_str()) {
                self.toast.set(None);
            }
        });
    }

    pub fn dismiss_toast(mut self) {
        self.toast.set(None);
    }
}
