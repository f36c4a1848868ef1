//! The order screen: the bar with its menu, the changes the server refused,
//! then one card per section — head and status, the stay, executor, details
//! and lines, collection, due dates, the requester, payment — the booking
//! edit, the chat and the cancel question.
//!
//! Each section lives in its own file under `order/` and takes plain values;
//! this file lays them out and keeps which inline editor is open.

mod actions;
mod bar;
mod deadlines;
mod details;
mod head;
mod history;
mod payment;
mod people;

use crate::components::stay::{CoworkingCard, HotelCard};
use crate::components::{Chat, Collection};
use crate::i18n::Lang;
use crate::model::{Conflict, ConflictId, MessageView, OrderDetail};
use actions::{CancelQuestion, EditBooking};
use bar::{ConflictBanners, OrderBar};
use chrono::{DateTime, FixedOffset};
use dioxus::prelude::*;
use orderdesk_domain::{LineNo, LineOutcome, Money, OrderKind, Status, UserId, Visibility};

/// What the manager asked for on the order screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    Back,
    AssignExecutor(Option<UserId>),
    ChangeStatus(Status),
    ChangeDeadlines {
        first_response_due: Option<DateTime<FixedOffset>>,
        completion_due: Option<DateTime<FixedOffset>>,
    },
    CopyPaymentLink(String),
    RecordPayment(Money),
    Cancel,
    EditBooking,
    SendMessage(String, Visibility),
    CollectLine(LineNo, LineOutcome),
    /// Takes back a line's collection mark.
    UndoCollection(LineNo),
    /// «Взять в работу».
    TakeInWork,
    DismissConflict(ConflictId),
}

/// Which inline editor is open; one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    Nothing,
    Executor,
    Status,
    Time,
    Payment,
    ConfirmCancel,
}

#[component]
pub fn OrderView(
    lang: Lang,
    detail: OrderDetail,
    messages: Vec<MessageView>,
    /// Some of this order's changes are not yet accepted by the server.
    #[props(default)]
    pending: bool,
    /// The names of the actions waiting to be sent (`edit_booking`…): their
    /// values show marked as pending.
    #[props(default)]
    pending_actions: Vec<String>,
    /// This order's changes the server refused, with the reason.
    #[props(default)]
    conflicts: Vec<Conflict>,
    /// The signed-in manager: their chat messages sit on the right.
    #[props(default)]
    me: Option<UserId>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let mut editing = use_signal(|| Editing::Nothing);
    let mut menu_open = use_signal(|| false);
    // Whatever the manager does closes the open editor and the menu.
    let act = use_callback(move |action: OrderAction| {
        editing.set(Editing::Nothing);
        menu_open.set(false);
        on_action.call(action);
    });
    // Opens or closes one section's editor.
    let edit = move |which: Editing| {
        move |open: bool| editing.set(if open { which } else { Editing::Nothing })
    };
    let is = move |which: Editing| editing() == which;
    let allowed = detail.allowed.clone();
    let paid = detail.payment.paid.is_positive();

    rsx! {
        article { class: "order", id: "order-view", "data-number": "{detail.number}",
            OrderBar { lang, number: detail.number, pending, can_cancel: allowed.cancel,
                menu_open: menu_open(), on_menu: move |open| menu_open.set(open),
                on_ask_cancel: move |_| { menu_open.set(false); editing.set(Editing::ConfirmCancel); },
                on_action: act }
            ConflictBanners { lang, conflicts, on_action: act }
            head::OrderHead { lang, detail: detail.clone(), editing: is(Editing::Status),
                booking_pending: pending_actions.iter().any(|a| a == "edit_booking"),
                on_editing: edit(Editing::Status), on_action: act }
            if let Some(ticket) = detail.coworking.clone() {
                CoworkingCard { lang, ticket, visitor: detail.visitor.clone() }
            }
            if let Some(reservation) = detail.hotel.clone() {
                HotelCard { lang, reservation }
            }
            people::ExecutorCard { lang, executor: detail.executor.clone(),
                responsible: detail.responsible.clone(), can_assign: allowed.assign_executor,
                editing: is(Editing::Executor), on_editing: edit(Editing::Executor), on_action: act }
            details::OrderDetails { lang, detail: detail.clone() }
            if detail.kind == OrderKind::NomenclatureSale && !detail.lines.is_empty() {
                Collection { lang, lines: detail.lines.clone(), payment: detail.payment.clone(),
                    editable: allowed.collect_lines, undoable: allowed.undo_collection,
                    on_collect: move |(line, outcome)| act(OrderAction::CollectLine(line, outcome)),
                    on_undo: move |line| act(OrderAction::UndoCollection(line)) }
            }
            deadlines::Deadlines { lang, detail: detail.clone(), editing: is(Editing::Time),
                on_editing: edit(Editing::Time), on_action: act }
            people::RequesterCard { lang, kind: detail.kind, person: detail.requester.clone() }
            payment::PaymentCard { lang, detail: detail.clone(), editing: is(Editing::Payment),
                on_editing: edit(Editing::Payment), on_action: act }
            deadlines::DueDay { lang, detail: detail.clone() }
            if allowed.edit_booking && detail.booking.is_some() {
                EditBooking { lang, paid, on_action: act }
            }
            history::OrderHistory { lang, entries: detail.history.clone() }
            Chat { lang, messages, me, internal: allowed.read_internal, replies: detail.canned_replies.clone(),
                on_send: move |(text, visibility)| act(OrderAction::SendMessage(text, visibility)) }
            if is(Editing::ConfirmCancel) {
                CancelQuestion { lang, refund: detail.payment.refund_on_cancel, on_close: move |_| editing.set(Editing::Nothing), on_action: act }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn unpaid_booking_shows_every_section_of_the_source() {
        let html = fixtures::render(|| {
            rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::unpaid_booking(), messages: fixtures::message_views(), on_action: |_| {} }
            }
        });
        for text in [
            "Заказ 1006273",
            "Переговорная Python",
            "1 марта 2023 г., с 15:00 до 17:00",
            "Новый. В процессе оплаты",
            "Скопировать ссылку на сервис оплаты",
            "Не назначено",
            "Изменить исполнителя",
            "Изменить статус",
            "Детали заказа",
            "4 × 100",
            "Заказчик",
            "Оплата",
            "Банковская карта, по ссылке на сервис оплаты",
            "Не оплачено",
            "Изменить заказ",
            "Публичное",
            "Внутреннее",
            "Написать сообщение...",
        ] {
            assert!(html.contains(text), "«{text}» missing");
        }
    }

    #[test]
    fn request_offers_time_change_and_names_the_requester() {
        let html = fixtures::render(|| {
            rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::request_in_progress(), messages: fixtures::message_views(), on_action: |_| {} }
            }
        });
        assert!(html.contains("Изменить время"));
        assert!(html.contains("Заявитель"));
        assert!(!html.contains("Изменить заказ"));
    }

    #[test]
    fn take_in_work_the_status_hint_and_the_history_show_on_the_card() {
        let html = fixtures::render(|| {
            let mut detail = fixtures::request_in_progress();
            detail.allowed.take_in_work = true;
            detail.allowed.status_targets = Vec::new();
            detail.status_hint = Some(orderdesk_domain::StatusHint::AwaitingRequester);
            detail.history = vec![crate::model::HistoryEntry {
                at: detail.created_at,
                actor_id: Some(UserId(7)),
                actor_name: Some("Ольга Смирнова".into()),
                note: orderdesk_domain::SystemNote::ExecutorChanged {
                    from: None,
                    to: Some("Иван Петров".into()),
                },
                text: "unused: the app words it itself".into(),
            }];
            rsx! { OrderView { lang: Lang::En, detail, messages: Vec::new(), on_action: |_| {} } }
        });
        assert!(html.contains("id=\"take-in-work\""), "{html}");
        assert!(html.contains("Take in work"), "{html}");
        assert!(
            html.contains("Waiting for the requester to confirm"),
            "{html}"
        );
        assert!(!html.contains("id=\"change-status\""), "{html}");
        assert!(html.contains("Order history"), "{html}");
        assert!(html.contains("Ольга Смирнова"), "{html}");
        assert!(html.contains("Иван Петров"), "{html}");
        assert!(!html.contains("unused: the app words it itself"), "{html}");
    }

    #[test]
    fn a_booking_move_waiting_to_be_sent_shows_its_new_time_marked_pending() {
        let html = fixtures::render(|| {
            rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::unpaid_booking(), messages: Vec::new(),
                    pending: true, pending_actions: vec!["edit_booking".to_owned()], on_action: |_| {} }
            }
        });
        assert!(html.contains("id=\"booked-pending\""), "{html}");
        assert!(html.contains("1 марта 2023 г., с 15:00 до 17:00"), "{html}");
        let html = fixtures::render(|| {
            rsx! { OrderView { lang: Lang::Ru, detail: fixtures::unpaid_booking(), messages: Vec::new(), on_action: |_| {} } }
        });
        assert!(!html.contains("booked-pending"), "{html}");
    }
}
