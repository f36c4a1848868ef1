//! The top of the order screen: back, the number, the pending mark and the
//! menu with «Отменить заказ»; under it, the changes the server refused.

use super::OrderAction;
use crate::i18n::{t, Lang, Text};
use crate::model::Conflict;
use dioxus::prelude::*;
use orderdesk_domain::OrderNumber;

#[component]
pub fn OrderBar(
    lang: Lang,
    number: OrderNumber,
    /// Some of this order's changes are not yet accepted by the server.
    pending: bool,
    /// The order may be cancelled: the menu offers it.
    can_cancel: bool,
    menu_open: bool,
    on_menu: EventHandler<bool>,
    /// «Отменить заказ» was picked: the screen asks before cancelling.
    on_ask_cancel: EventHandler<()>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    rsx! {
        header { class: "order-bar",
            button { class: "btn-ghost back", r#type: "button", aria_label: t(lang, Text::Back),
                onclick: move |_| on_action.call(OrderAction::Back), "←" }
            h2 { class: "order-heading", "{t(lang, Text::Order)} {number}" }
            if pending {
                span { class: "pending-chip", id: "order-pending", title: t(lang, Text::PendingChange),
                    "⟳ {t(lang, Text::PendingChange)}" }
            }
            if can_cancel {
                div { class: "menu",
                    button { class: "btn-ghost menu-button", id: "order-menu", r#type: "button",
                        aria_haspopup: "menu", aria_expanded: menu_open,
                        onclick: move |_| on_menu.call(!menu_open), "⋯" }
                    if menu_open {
                        div { class: "menu-list", role: "menu",
                            button { class: "menu-item danger", role: "menuitem", r#type: "button",
                                id: "cancel-order",
                                onclick: move |_| on_ask_cancel.call(()),
                                {t(lang, Text::CancelOrder)} }
                        }
                    }
                }
            }
        }
    }
}

/// This order's changes the server refused, each with its reason.
#[component]
pub fn ConflictBanners(
    lang: Lang,
    conflicts: Vec<Conflict>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    rsx! {
        for conflict in conflicts.iter().cloned() {
            div { class: "banner banner-conflict order-conflict", role: "alert",
                span { class: "banner-icon", aria_hidden: "true", "✕" }
                div { class: "banner-body",
                    strong { {t(lang, Text::ConflictPrefix)} }
                    span { {conflict.message.clone()} }
                }
                button { class: "btn-ghost", r#type: "button", aria_label: t(lang, Text::Dismiss),
                    onclick: move |_| on_action.call(OrderAction::DismissConflict(conflict.id)), "×" }
            }
        }
    }
}
