//! What can be done to the order as a whole: «Изменить заказ» for a booking,
//! and the question before cancelling.

use super::OrderAction;
use crate::components::Dialog;
use crate::i18n::{t, Lang, Text};
use dioxus::prelude::*;

/// «Изменить заказ», with a note when money was paid.
#[component]
pub fn EditBooking(lang: Lang, paid: bool, on_action: EventHandler<OrderAction>) -> Element {
    rsx! {
        div { class: "edit-booking",
            button { class: "btn btn-accent btn-block", r#type: "button", id: "edit-booking",
                onclick: move |_| on_action.call(OrderAction::EditBooking), {t(lang, Text::EditOrder)} }
            if paid {
                p { class: "muted small", {t(lang, Text::EditOrderNote)} }
            }
        }
    }
}

/// «Отменить заказ?», with the same note when money was paid.
#[component]
pub fn CancelQuestion(
    lang: Lang,
    paid: bool,
    on_close: EventHandler<()>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    rsx! {
        Dialog { id: "confirm-cancel", role: "alertdialog", title: t(lang, Text::CancelOrderQuestion), on_close,
            if paid {
                p { class: "muted", {t(lang, Text::EditOrderNote)} }
            }
            div { class: "dialog-actions",
                button { class: "btn btn-secondary", r#type: "button",
                    onclick: move |_| on_close.call(()), {t(lang, Text::No)} }
                button { class: "btn btn-danger", r#type: "button", id: "confirm-cancel-yes",
                    onclick: move |_| on_action.call(OrderAction::Cancel), {t(lang, Text::Yes)} }
            }
        }
    }
}
