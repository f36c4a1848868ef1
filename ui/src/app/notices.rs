//! What the workspace says over the panes: the notices the core sent, and
//! the last failure as a toast.

use crate::i18n::{t, Text};
use crate::store::use_workspace;
use dioxus::prelude::*;

/// The three newest notices; a click opens the order or dismisses one.
#[component]
pub fn NoticeStack() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let notices = (workspace.notices)();
    rsx! {
        if !notices.is_empty() {
            div { class: "notices", id: "notifications", role: "log", aria_label: t(lang, Text::Notifications),
                for n in notices.into_iter().take(3) {
                    div { class: "notice", key: "{n.key}", "data-order": "{n.order}",
                        button { class: "notice-open", r#type: "button",
                            onclick: {
                                let key = n.key.clone();
                                move |_| workspace.open_notice(&key, n.order)
                            },
                            strong { {n.event.title(lang)} }
                            span { "{t(lang, Text::Order)} №{n.order}" }
                        }
                        button { class: "btn-ghost notice-close", r#type: "button", aria_label: t(lang, Text::Dismiss),
                            onclick: {
                                let key = n.key.clone();
                                move |_| workspace.dismiss_notice(&key)
                            },
                            "×"
                        }
                    }
                }
            }
        }
    }
}

/// The last failure; a click dismisses it.
#[component]
pub fn Toast() -> Element {
    let workspace = use_workspace();
    rsx! {
        if let Some(message) = (workspace.toast)() {
            div { class: "toast", role: "alert", id: "toast", onclick: move |_| workspace.dismiss_toast(), {message} }
        }
    }
}
