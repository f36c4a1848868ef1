//! The head card of an order: number and time, title, kind, the booked
//! period, the status with «Скопировать ссылку…» while payment is awaited,
//! and the status change.

use super::OrderAction;
use crate::components::StatusBadge;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::OrderDetail;
use dioxus::prelude::*;
use orderdesk_domain::Status;

#[component]
pub fn OrderHead(
    lang: Lang,
    detail: OrderDetail,
    /// The status picker is open.
    editing: bool,
    /// The booked time shown is a change waiting to be sent.
    #[props(default)]
    booking_pending: bool,
    on_editing: EventHandler<bool>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let number = detail.number;
    let payment = detail.payment.clone();
    let allowed = detail.allowed.clone();
    let booked = match (detail.period_start, detail.period_end) {
        (Some(start), Some(end)) => Some(format::booked_range(lang, start, end)),
        _ => None,
    };
    rsx! {
        section { class: "card order-head",
            div { class: "muted mono", "{number} {format::date_time(detail.created_at)}" }
            h3 { class: "order-title", {detail.title.clone()} }
            div { class: "muted small", {detail.kind.label(lang)} }
            if let Some(booked) = booked {
                if booking_pending {
                    div { class: "order-when pending-value", id: "booked-pending",
                        {booked}
                        " "
                        span { class: "pending-chip", "⟳ {t(lang, Text::PendingChange)}" }
                    }
                } else {
                    div { class: "order-when", {booked} }
                }
            }
            div { class: "order-status",
                StatusBadge { lang, status: detail.status, awaiting_payment: payment.awaiting_payment }
                if payment.awaiting_payment {
                    if let Some(link) = payment.payment_url.clone() {
                        button { class: "btn btn-link", r#type: "button", id: "copy-payment-link",
                            onclick: move |_| on_action.call(OrderAction::CopyPaymentLink(link.clone())),
                            {t(lang, Text::CopyPaymentLink)} }
                    }
                }
            }
            if allowed.take_in_work {
                button { class: "btn btn-primary", r#type: "button", id: "take-in-work",
                    onclick: move |_| on_action.call(OrderAction::TakeInWork), {t(lang, Text::TakeInWork)} }
            }
            if allowed.status_targets.is_empty() {
                // Why «Изменить статус» is absent, so nobody hunts for it.
                if let Some(hint) = detail.status_hint {
                    p { class: "status-hint", id: "status-hint", {hint.text(lang)} }
                }
            } else {
                if editing {
                    StatusPicker { lang, current: detail.status, allowed: allowed.status_targets.clone(),
                        on_save: move |s| on_action.call(OrderAction::ChangeStatus(s)),
                        on_cancel: move |_| on_editing.call(false) }
                } else {
                    button { class: "btn btn-secondary", r#type: "button", id: "change-status",
                        onclick: move |_| on_editing.call(true), {t(lang, Text::ChangeStatus)} }
                }
            }
        }
    }
}

#[component]
fn StatusPicker(
    lang: Lang,
    current: Status,
    allowed: Vec<Status>,
    on_save: EventHandler<Status>,
    on_cancel: EventHandler<()>,
) -> Element {
    let mut chosen = use_signal(|| allowed.first().copied().unwrap_or(current));
    rsx! {
        div { class: "picker", id: "status-picker",
            for status in allowed.iter().copied() {
                label { class: "radio",
                    input { r#type: "radio", name: "status", checked: chosen() == status,
                        onchange: move |_| chosen.set(status) }
                    span { class: "status tone-{status.tone()}", span { class: "dot" } {status.label(lang)} }
                }
            }
            div { class: "picker-actions",
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()), {t(lang, Text::Cancel)} }
                button { class: "btn btn-primary", r#type: "button", id: "save-status",
                    onclick: move |_| on_save.call(chosen()), {t(lang, Text::Save)} }
            }
        }
    }
}
