//! What can be done to an order, and what a permitted action brings about.

use crate::ids::{LineNo, ResourceId, UserId};
use crate::kind::Status;
use crate::money::Money;
use crate::note::SystemNote;
use crate::order::Payer;
use crate::shop::LineOutcome;
use crate::slots::SlotRange;
use crate::text::{Lang, Visibility};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A booking edit as the rental manager saves it: every field, changed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingEdit {
    pub resource: ResourceId,
    /// The price of one slot of `resource`.
    pub slot_price: Money,
    pub range: SlotRange,
    pub payer: Payer,
}

/// An action on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Open the order and its public chat.
    View,
    /// «Изменить исполнителя»; `None` is «Не назначено».
    AssignExecutor { executor: Option<UserId> },
    /// «Изменить статус» by a manager.
    ChangeStatus { to: Status },
    /// «Изменить время»: first response and completion due.
    ChangeDeadlines {
        first_response_due: Option<DateTime<Utc>>,
        completion_due: Option<DateTime<Utc>>,
    },
    /// «Подтвердить выполнение заказа» by the requester.
    Confirm,
    /// «Вернуть в работу» by the requester.
    ReturnToWork,
    /// The system closes an unanswered `awaiting_confirmation` order.
    AutoClose { now: DateTime<Utc> },
    /// The system moves a booking along its time: confirmed → active → finished.
    AdvanceByClock { now: DateTime<Utc> },
    /// «Изменить заказ» of a meeting-room booking.
    EditBooking(BookingEdit),
    /// «Провести оплату»: a manager records money received.
    RecordPayment { amount: Money },
    /// The payment gateway reports money received.
    PaymentReceived { amount: Money },
    /// «Отменить заказ» → «Да».
    Cancel,
    /// The payment provider confirms the refund of a cancelled order.
    CompleteRefund,
    /// Shop collection of one line.
    CollectLine { line: LineNo, outcome: LineOutcome },
    /// A chat message in a tab.
    PostMessage { visibility: Visibility },
    /// «Взять в работу»: the manager becomes the executor and a new request
    /// goes to «В работе», in one step.
    TakeInWork,
    /// Takes back a shop line's collection mark while the order is still
    /// «Собирается».
    UndoCollection { line: LineNo },
}

impl Action {
    /// A short stable name, used in logs, tables and conflict messages.
    pub fn name(&self) -> &'static str {
        match self {
            Action::View => "view",
            Action::AssignExecutor { .. } => "assign_executor",
            Action::ChangeStatus { .. } => "change_status",
            Action::ChangeDeadlines { .. } => "change_deadlines",
            Action::Confirm => "confirm",
            Action::ReturnToWork => "return_to_work",
            Action::AutoClose { .. } => "auto_close",
            Action::AdvanceByClock { .. } => "advance_by_clock",
            Action::EditBooking(_) => "edit_booking",
            Action::RecordPayment { .. } => "record_payment",
            Action::PaymentReceived { .. } => "payment_received",
            Action::Cancel => "cancel",
            Action::CompleteRefund => "complete_refund",
            Action::CollectLine { .. } => "collect_line",
            Action::PostMessage { .. } => "post_message",
            Action::TakeInWork => "take_in_work",
            Action::UndoCollection { .. } => "undo_collection",
        }
    }
}

/// Who is to be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Requester,
    /// The executor when one is set, otherwise every responsible manager.
    ExecutorOrResponsible,
    Responsible,
}

/// Why they are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeEvent {
    OrderCreated,
    ReturnedToWork,
    AwaitingConfirmation,
    BookingChanged,
    Cancelled,
    Refunded,
    ReadyForPickup,
    NewMessage,
}

impl NoticeEvent {
    pub fn id(self) -> &'static str {
        match self {
            NoticeEvent::OrderCreated => "order_created",
            NoticeEvent::ReturnedToWork => "returned_to_work",
            NoticeEvent::AwaitingConfirmation => "awaiting_confirmation",
            NoticeEvent::BookingChanged => "booking_changed",
            NoticeEvent::Cancelled => "cancelled",
            NoticeEvent::Refunded => "refunded",
            NoticeEvent::ReadyForPickup => "ready_for_pickup",
            NoticeEvent::NewMessage => "new_message",
        }
    }

    /// Whether the notice raises a notification on the recipient's device
    /// (the app's system notification, a Web Push): a new order and an order
    /// returned to work. The others are only listed in the app.
    pub fn raises_notification(self) -> bool {
        matches!(
            self,
            NoticeEvent::OrderCreated | NoticeEvent::ReturnedToWork
        )
    }

    /// The headline of the notification.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NoticeEvent::OrderCreated, Lang::Ru) => "Новый заказ",
            (NoticeEvent::ReturnedToWork, Lang::Ru) => "Заказ вернули в работу",
            (NoticeEvent::AwaitingConfirmation, Lang::Ru) => {
                "Заказ выполнен. Подтвердите выполнение"
            }
            (NoticeEvent::BookingChanged, Lang::Ru) => "Бронирование изменено",
            (NoticeEvent::Cancelled, Lang::Ru) => "Заказ отменен",
            (NoticeEvent::Refunded, Lang::Ru) => "Выполнен возврат средств",
            (NoticeEvent::ReadyForPickup, Lang::Ru) => "Заказ готов к выдаче",
            (NoticeEvent::NewMessage, Lang::Ru) => "Новое сообщение",
            (NoticeEvent::OrderCreated, Lang::En) => "New order",
            (NoticeEvent::ReturnedToWork, Lang::En) => "Order returned to work",
            (NoticeEvent::AwaitingConfirmation, Lang::En) => "Order done. Please confirm",
            (NoticeEvent::BookingChanged, Lang::En) => "Booking changed",
            (NoticeEvent::Cancelled, Lang::En) => "Order cancelled",
            (NoticeEvent::Refunded, Lang::En) => "Refund completed",
            (NoticeEvent::ReadyForPickup, Lang::En) => "Order ready for pickup",
            (NoticeEvent::NewMessage, Lang::En) => "New message",
        }
    }
}

/// A notification to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub event: NoticeEvent,
    pub to: Audience,
}

/// What a permitted action brings about. The caller applies it: the server
/// to its tables in one transaction, the client core to its cache.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Effect {
    /// The order's new status, when it changes.
    pub status: Option<Status>,
    /// Frees the slots, desks or rooms the order holds.
    pub release_hold: bool,
    /// Takes the slots of a booking edit (the old ones are released).
    pub take_hold: bool,
    /// Money to give back now (a cancellation or missing shop units).
    pub refund: Money,
    pub notices: Vec<Notice>,
    pub system_messages: Vec<SystemNote>,
    /// The requester is also told by e-mail.
    pub email_requester: bool,
}

impl Effect {
    pub fn none() -> Effect {
        Effect::default()
    }

    pub fn to_status(status: Status) -> Effect {
        Effect {
            status: Some(status),
            ..Effect::default()
        }
    }

    pub fn notify(mut self, event: NoticeEvent, to: Audience) -> Effect {
        self.notices.push(Notice { event, to });
        self
    }

    pub fn say(mut self, message: SystemNote) -> Effect {
        self.system_messages.push(message);
        self
    }
}
