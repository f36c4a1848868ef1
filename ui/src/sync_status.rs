//! The sync status as the screens see it: read once the app's listener is
//! in place, then kept up to date by the sync-status event, which the core
//! publishes on every change. Nothing polls.

use crate::api;
use crate::model::SyncStatus;
use dioxus::prelude::*;

/// The sync status, live. `on_change` runs whenever what the screens show
/// may have moved with it (pending actions, being online, a finished sync,
/// conflicts), so the list and the card can be read again.
pub fn use_sync_status(mut on_change: impl FnMut() + 'static) -> Signal<SyncStatus> {
    let mut status = use_signal(SyncStatus::default);
    let mut changed = use_signal(|| 0_u32);
    // The subscription is held for the screen's life and dropped with it.
    use_hook(move || {
        // A status that arrives while the screen goes finds no signal.
        let take = move |next: SyncStatus| {
            let Ok(mut shown) = status.try_write() else {
                return;
            };
            if moved(&shown, &next) {
                if let Ok(mut count) = changed.try_write() {
                    *count += 1;
                }
            }
            *shown = next;
        };
        std::rc::Rc::new(api::follow_sync_status(take))
    });
    use_effect(move || {
        if changed() > 0 {
            on_change();
        }
    });
    status
}

/// Whether a new status changes what the list or the card show.
fn moved(before: &SyncStatus, after: &SyncStatus) -> bool {
    after.pending != before.pending
        || after.online != before.online
        || after.last_sync != before.last_sync
        || after.conflicts != before.conflicts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_the_screens_show_count() {
        let before = SyncStatus::default();
        let live = SyncStatus {
            live: true,
            ..SyncStatus::default()
        };
        assert!(!moved(&before, &live));
        let pending = SyncStatus {
            pending: 1,
            ..SyncStatus::default()
        };
        assert!(moved(&before, &pending));
        let online = SyncStatus {
            online: true,
            ..SyncStatus::default()
        };
        assert!(moved(&before, &online));
    }
}
