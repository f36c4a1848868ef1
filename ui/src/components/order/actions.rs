//! What can be done to the order as a whole: «Изменить заказ» for a booking,
//! and the question before cancelling.

use super::OrderAction;
use crate::components::Dialog;
use crate::i18n::{t, Lang, Text};
use dioxus::prelude::*;
use orderdesk_domain::Money;

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

/// «Отменить заказ?», saying what will be refunded when money was paid.
#[component]
pub fn CancelQuestion(
    lang: Lang,
    /// What the cancellation gives back, as the card carries it from the
    /// domain's `refund_on_cancel`.
    refund: Money,
    on_close: EventHandler<()>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    rsx! {
        Dialog { id: "confirm-cancel", role: "alertdialog", title: t(lang, Text::CancelOrderQuestion), on_close,
            if refund.is_positive() {
                p { class: "refund-note", id: "cancel-refund",
                    "{t(lang, Text::WillBeRefunded)} {refund.format_rub()}" }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn the_cancel_question_says_what_will_be_refunded() {
        let html = fixtures::render(|| {
            rsx! { CancelQuestion { lang: Lang::Ru, refund: Money::rub(400), on_close: |_| {}, on_action: |_| {} } }
        });
        assert!(
            html.contains(&format!(
                "Будет возвращено {}",
                Money::rub(400).format_rub()
            )),
            "{html}"
        );
        assert!(!html.contains(t(Lang::Ru, Text::EditOrderNote)), "{html}");
        let html = fixtures::render(|| {
            rsx! { CancelQuestion { lang: Lang::En, refund: Money::ZERO, on_close: |_| {}, on_action: |_| {} } }
        });
        assert!(!html.contains("cancel-refund"), "{html}");
        assert!(html.contains("role=\"alertdialog\""), "{html}");
    }
}
