//! The core's notifications in the browser: each goes to the page as the
//! app's notification event; the page shows it as a system notification
//! (tagged with its key, so a push of the same notice replaces it rather
//! than doubling it) and the UI shows its toast.

use orderdesk_client_core::{Notification, Notifier};
use orderdesk_protocol::ipc::NOTIFICATION_EVENT;

use crate::worker::post_event;

pub struct PageNotifier;

impl Notifier for PageNotifier {
    fn notify(&self, notification: &Notification) {
        post_event(NOTIFICATION_EVENT, notification);
    }
}
