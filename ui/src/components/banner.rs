//! The strip above the list: offline (with when the cache last caught up),
//! pending changes, refused changes.

use crate::format::synced_at;
use crate::i18n::{t, Lang, Text};
use crate::model::SyncStatus;
use chrono::NaiveDate;
use dioxus::prelude::*;

/// `today` in the device's time zone: a last sync on an earlier day shows
/// its date.
#[component]
pub fn SyncBanner(lang: Lang, sync: SyncStatus, today: NaiveDate) -> Element {
    let pending = sync.pending;
    let synced = sync.last_sync.map(|at| synced_at(lang, at, today));
    rsx! {
        if !sync.online {
            div { class: "banner banner-offline", role: "status",
                span { class: "banner-icon", aria_hidden: "true", "⚠" }
                div { class: "banner-body",
                    strong { {t(lang, Text::Offline)} }
                    span { {t(lang, Text::OfflineHint)} }
                    if let Some(synced) = synced {
                        span { class: "banner-synced", {synced} }
                    }
                }
                if pending > 0 {
                    span { class: "banner-count", "{t(lang, Text::PendingChanges)}: {pending}" }
                }
            }
        } else if pending > 0 {
            div { class: "banner banner-pending", role: "status",
                span { class: "banner-icon spin", aria_hidden: "true", "⟳" }
                span { "{t(lang, Text::PendingChanges)}: {pending}" }
            }
        }
        for conflict in sync.conflicts.iter() {
            div { class: "banner banner-conflict", role: "alert",
                span { class: "banner-icon", aria_hidden: "true", "✕" }
                div { class: "banner-body",
                    strong { "{t(lang, Text::ConflictPrefix)} · {t(lang, Text::Order)} {conflict.order}" }
                    span { {conflict.message.clone()} }
                }
            }
        }
    }
}
