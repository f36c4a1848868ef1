//! One row of the list, enough to triage from: number, time and amount, the
//! service, a line of the description, the room or object, the executor,
//! the status, and the next due time with a clear mark once it has passed.
//! A value waiting to be sent is marked as pending, as on the card.

use crate::components::StatusBadge;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{ListItem, OrderSummary};
use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use orderdesk_domain::{next_due, overdue, OrderNumber};

/// The due time a row shows: the next one the order still awaits, and
/// whether it has passed, both by the domain's rule the «Просрочено» filter
/// uses.
pub fn row_due(order: &OrderSummary, now: DateTime<Utc>) -> Option<(String, bool)> {
    let first = order.deadlines.first_response_due.map(|d| d.to_utc());
    let completion = order.deadlines.completion_due.map(|d| d.to_utc());
    let (_, at) = next_due(order.status, first, completion)?;
    let late = overdue(order.status, first, completion, now).is_some();
    let shown = [
        order.deadlines.first_response_due,
        order.deadlines.completion_due,
    ]
    .into_iter()
    .flatten()
    .find(|d| d.to_utc() == at)
    .map(format::date_time)?;
    Some((shown, late))
}

#[component]
pub fn OrderRow(
    lang: Lang,
    item: ListItem,
    now: DateTime<Utc>,
    top: f64,
    selected: bool,
    on_select: EventHandler<OrderNumber>,
) -> Element {
    let order = item.summary.clone();
    let number = order.number;
    let executor = order
        .executor_name
        .clone()
        .unwrap_or_else(|| t(lang, Text::NotAssigned).to_owned());
    let amount = order.total;
    let due = row_due(&order, now);
    let late = due.as_ref().is_some_and(|(_, late)| *late);
    let booking_pending = item.is_pending("edit_booking");
    let executor_pending = item.is_pending("assign_executor");
    let class = match (selected, late) {
        (true, true) => "row row-selected row-overdue",
        (true, false) => "row row-selected",
        (false, true) => "row row-overdue",
        (false, false) => "row",
    };
    rsx! {
        button {
            r#type: "button",
            class,
            top: "{top}px",
            "data-number": "{number}",
            "data-overdue": late,
            onclick: move |_| on_select.call(number),
            div { class: "row-top",
                span { class: "row-number", "{number}" }
                span { class: "row-date", {format::date_time(order.created_at)} }
                if item.pending {
                    span { class: "pending-mark", title: t(lang, Text::PendingChange), "⟳" }
                }
                span { class: "row-amount",
                    if amount.is_positive() { {amount.format_rub()} }
                }
            }
            div { class: "row-title", {order.title.clone()} }
            div { class: "row-desc", {order.description_line.clone().unwrap_or_default()} }
            div { class: "row-meta",
                if let Some(booked) = order.period_text.clone() {
                    span { class: if booking_pending { "row-booked pending-value" } else { "row-booked" },
                        title: if booking_pending { t(lang, Text::PendingChange) } else { "" },
                        if booking_pending { "⟳ " } {booked} }
                    span { class: "sep", "·" }
                } else if let Some(place) = order.place.clone() {
                    span { class: "row-place", {place} }
                    span { class: "sep", "·" }
                }
                span { class: if executor_pending { "row-executor pending-value" } else { "row-executor" }, {executor} }
            }
            div { class: "row-status",
                StatusBadge { lang, status: order.status, awaiting_payment: order.awaiting_payment }
                if let Some((at, late)) = due {
                    span { class: if late { "row-due row-due-late" } else { "row-due" },
                        if late {
                            strong { class: "overdue-mark", "⚠ {t(lang, Text::QuickOverdue)}" }
                            " · "
                        }
                        "{t(lang, Text::DueBy)} {at}"
                    }
                }
            }
        }
    }
}
