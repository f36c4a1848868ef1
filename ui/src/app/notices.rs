//! What the workspace says over the panes: the newest notices as toasts
//! that go by themselves, the bell's history of every notice, and the last
//! failure as a toast. The toasts sit at the bottom, over neither the back
//! button nor the order number at the top of a phone's screen.

use crate::components::{CloseButton, Dialog};
use crate::i18n::{t, Text};
use crate::model::Notification;
use crate::store::use_workspace;
use dioxus::prelude::*;

/// The toasts: the newest notices, then the last failure.
#[component]
pub fn Toasts() -> Element {
    rsx! {
        div { class: "toasts",
            NoticeStack {}
            Toast {}
        }
    }
}

/// The notices still shown as toasts; a click opens the order or closes it.
#[component]
pub fn NoticeStack() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let shown = (workspace.toasts)();
    let notices: Vec<Notification> = (workspace.notices)()
        .into_iter()
        .filter(|n| shown.contains(&n.key))
        .collect();
    rsx! {
        if !notices.is_empty() {
            div { class: "notices", id: "notifications", role: "status", aria_label: t(lang, Text::Notifications),
                for n in notices {
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

/// The bell's history: every notice, the unread marked, each opening its
/// order. A dialog that takes focus and closes on Esc.
#[component]
pub fn NoticeHistory() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let notices = (workspace.notices)();
    let unread = workspace.unread_count();
    rsx! {
        if (workspace.history_open)() {
            Dialog { id: "notice-history", class: "history", title: t(lang, Text::Notifications),
                on_close: move |_| workspace.toggle_history(),
                head: rsx! { CloseButton { id: "close-history", label: t(lang, Text::Close),
                    on_close: move |_| workspace.toggle_history() } },
                if notices.is_empty() {
                    p { class: "muted", {t(lang, Text::NoNotifications)} }
                }
                ul { class: "history-list",
                    for n in notices {
                        HistoryEntry { key: "{n.key}", unread: !workspace.is_read(&n), notice: n }
                    }
                }
                if unread > 0 {
                    div { class: "dialog-actions",
                        button { class: "btn btn-secondary", r#type: "button", id: "mark-all-read",
                            onclick: move |_| workspace.mark_all_read(), {t(lang, Text::MarkAllRead)} }
                    }
                }
            }
        }
    }
}

/// One notice in the history; a click opens its order.
#[component]
fn HistoryEntry(notice: Notification, unread: bool) -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let key = notice.key.clone();
    let order = notice.order;
    rsx! {
        li {
            button { class: if unread { "history-entry history-unread" } else { "history-entry" },
                r#type: "button", "data-order": "{order}",
                onclick: move |_| workspace.open_notice(&key, order),
                if unread {
                    span { class: "unread-dot", title: t(lang, Text::NewBadge), aria_label: t(lang, Text::NewBadge), role: "img" }
                }
                span { class: "history-text",
                    strong { {notice.event.title(lang)} }
                    span { class: "muted small", "{t(lang, Text::Order)} №{order}" }
                }
            }
        }
    }
}
