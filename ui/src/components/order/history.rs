//! «История заказа»: who changed what and when, oldest first, each change
//! worded by the domain in the reader's language.

use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::HistoryEntry;
use dioxus::prelude::*;

#[component]
pub fn OrderHistory(lang: Lang, entries: Vec<HistoryEntry>) -> Element {
    rsx! {
        if !entries.is_empty() {
            section { class: "card", id: "order-history",
                h4 { class: "card-title", {t(lang, Text::History)} }
                ol { class: "history-changes",
                    for entry in entries {
                        li { class: "history-change",
                            span { class: "muted small mono", {format::date_time(entry.at)} }
                            span { class: "strong",
                                {entry.actor_name.clone().unwrap_or_else(|| t(lang, Text::System).to_owned())}
                            }
                            span { {entry.note.text(lang)} }
                        }
                    }
                }
            }
        }
    }
}
