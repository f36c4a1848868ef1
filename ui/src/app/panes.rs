//! The two panes of the workspace: the order list, and the open order or its
//! booking editor. They read the workspace store and hand plain values to
//! the components that draw them.

use crate::api::{self, ApiError};
use crate::components::{BookingEditor, OrderList, OrderView};
use crate::i18n::{t, Text};
use crate::model::{BookingInfo, OrderCard, OrderDetail, PayerInfo};
use crate::store::{use_workspace, Workspace};
use dioxus::prelude::*;

#[component]
pub fn ListPane() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let found = workspace.orders.read();
    match (&*found, (workspace.shown)()) {
        (Some(Err(error)), _) => rsx! { ErrorPanel { error: error.clone() } },
        (_, None) => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        (_, Some(rows)) => rsx! {
            OrderList {
                lang,
                role: workspace.session.read().user.role,
                now: api::now(),
                rows,
                filter: (workspace.filter)(),
                selected: (workspace.selected)(),
                on_filter: move |next| workspace.set_filter(next),
                on_select: move |number| workspace.open_order(number),
                on_scroll: move |row| workspace.scroll_to(row),
                refreshing: (workspace.refreshing)(),
                on_refresh: move |_| workspace.refresh_now(),
            }
        },
    }
}

#[component]
pub fn DetailPane() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let card = workspace.card.read();
    match (&*card, (workspace.selected)()) {
        (_, None) => rsx! {
            div { class: "empty placeholder",
                div { class: "empty-icon", aria_hidden: "true", "▤" }
                span { {t(lang, Text::SelectOrder)} }
            }
        },
        (None, Some(_)) => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        (Some(Err(error)), Some(_)) => rsx! { ErrorPanel { error: error.clone() } },
        (Some(Ok(None)), Some(_)) => rsx! {},
        (Some(Ok(Some(card))), Some(_)) => {
            match ((workspace.editing_booking)(), card.detail.booking.clone()) {
                (true, Some(booking)) => booking_editor(workspace, &card.detail, booking),
                _ => order_view(workspace, card),
            }
        }
    }
}

fn order_view(workspace: Workspace, card: &OrderCard) -> Element {
    let order = &card.detail;
    rsx! {
        OrderView {
            key: "{order.number}",
            lang: (workspace.lang)(),
            detail: order.clone(),
            messages: card.messages.clone(),
            pending: !card.pending.is_empty(),
            pending_actions: card.pending.iter().map(|p| p.action.clone()).collect::<Vec<_>>(),
            conflicts: card.conflicts.clone(),
            me: Some(workspace.session.read().user.id),
            on_action: move |action| workspace.act(action),
        }
    }
}

fn booking_editor(workspace: Workspace, order: &OrderDetail, booking: BookingInfo) -> Element {
    let payers = workspace.payers.read().clone().and_then(Result::ok);
    let resources = workspace.resources.read().clone().and_then(Result::ok);
    rsx! {
        BookingEditor {
            key: "{order.number}",
            lang: (workspace.lang)(),
            today: api::today(),
            now: api::now(),
            // The core reads a booking's slots in the offset of the order's
            // times, as the server writes them.
            site: *order.created_at.offset(),
            booking,
            comment: order.comment.clone(),
            payer: order.payer.clone(),
            payers: payer_choices(order, payers.unwrap_or_default()),
            paid_slots: paid_slots(order),
            resources: resources.unwrap_or_default(),
            availability: (workspace.availability)(),
            on_pick_day: move |(resource, date)| workspace.load_day(resource, date),
            on_save: move |request| workspace.save_booking(request),
            on_cancel: move |_| workspace.close_booking_editor(),
        }
    }
}

/// «Плательщик»: the order's own payer first, then the other company payers.
fn payer_choices(order: &OrderDetail, known: Vec<PayerInfo>) -> Vec<PayerInfo> {
    let mut all = vec![order.payer.clone()];
    for payer in known {
        if all.iter().all(|p| p.payer != payer.payer) {
            all.push(payer);
        }
    }
    all
}

/// The slots a booking edit must keep, when its payer has paid for them.
fn paid_slots(order: &OrderDetail) -> Option<u8> {
    let booking = order.booking.as_ref()?;
    let slots_now = u8::try_from(booking.slots.len()).unwrap_or(u8::MAX);
    orderdesk_domain::paid_slot_count(order.payer.payer, order.payment.paid, slots_now)
}

#[component]
fn ErrorPanel(error: ApiError) -> Element {
    rsx! {
        div { class: "empty error-panel", role: "alert",
            div { class: "empty-icon", aria_hidden: "true", "!" }
            span { {error.message.clone()} }
        }
    }
}
