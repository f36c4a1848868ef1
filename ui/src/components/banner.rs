//! The strip above the list: offline, pending changes, refused changes.

use crate::i18n::{t, Lang, Text};
use crate::model::SyncStatus;
use dioxus::prelude::*;

#[component]
pub fn SyncBanner(lang: Lang, sync: SyncStatus) -> Element {
    let pending = sync.pending;
    rsx! {
        if !sync.online {
            div { class: "banner banner-offline", role: "status",
                span { class: "banner-icon", aria_hidden: "true", "⚠" }
                div { class: "banner-body",
                    strong { {t(lang, Text::Offline)} }
                    span { {t(lang, Text::OfflineHint)} }
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
