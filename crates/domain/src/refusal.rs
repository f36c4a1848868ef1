//! Why an action is refused: a typed value with a stable code and a message a
//! manager understands, in Russian or English.

use crate::kind::Status;
use crate::money::Money;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The broad class of a refusal; the server maps it to an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The actor may not do this at all (HTTP 403).
    Forbidden,
    /// Not in the order's current state (HTTP 409).
    Conflict,
    /// The input itself is wrong (HTTP 422).
    Invalid,
}

/// A refused action, with what is needed to explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RefusalCode {
    /// The role does not process orders of this kind.
    RoleNotAllowed,
    /// A manager outside the service's responsible list.
    NotResponsible,
    /// A requester acting on someone else's order.
    NotOwner,
    /// Only the system does this (auto-close, the clock, the gateway).
    SystemOnly,
    /// Only the requester does this (confirm, return).
    RequesterOnly,
    /// Internal chat is for the responsible managers.
    InternalChatForManagers,
    /// The action does not apply to this kind of order.
    NotApplicable,
    /// The status cannot change this way.
    TransitionNotAllowed {
        from: Status,
        to: Status,
    },
    /// A manager never sets «Выполнен» on a request: the requester confirms.
    DoneByRequesterOnly,
    /// The action is not available in the order's current status.
    WrongStatus {
        status: Status,
    },
    AlreadyCancelled,
    ExecutorNotResponsible,
    /// Bookings are edited only in «Новый», «Подтвержден», «Активен».
    NotEditable {
        status: Status,
    },
    /// A paid booking keeps the number of slots that was paid.
    PaidSlotCount {
        paid: u8,
        chosen: u8,
    },
    /// A paid booking cannot move to an object with another price.
    PaidPriceChanged {
        paid: Money,
        new_total: Money,
    },
    /// Only a company payer's booking may change its payer.
    PayerNotEditable,
    SlotTaken,
    CapacityExhausted,
    /// «Провести оплату» is for an order that is partly paid.
    NotPartlyPaid,
    InvalidAmount,
    Overpayment {
        outstanding: Money,
    },
    DeadlinesOutOfOrder,
    /// Auto-close before the service's auto-close time.
    NotDue,
    NoRefundPending,
    UnknownLine,
    MissingExceedsQuantity {
        quantity: u32,
    },
    /// «Готов к выдаче» needs every line collected or marked missing.
    LinesNotCollected,
    /// A company payer's booking is confirmed by the manager, others by payment.
    NotPaid,
    /// A collection mark is taken back only from a line that has one.
    LineNotCollected,
}

impl RefusalCode {
    /// The stable code that crosses HTTP and IPC.
    pub fn id(self) -> &'static str {
        match self {
            RefusalCode::RoleNotAllowed => "role_not_allowed",
            RefusalCode::NotResponsible => "not_responsible",
            RefusalCode::NotOwner => "not_owner",
            RefusalCode::SystemOnly => "system_only",
            RefusalCode::RequesterOnly => "requester_only",
            RefusalCode::InternalChatForManagers => "internal_chat_for_managers",
            RefusalCode::NotApplicable => "not_applicable",
            RefusalCode::TransitionNotAllowed { .. } => "transition_not_allowed",
            RefusalCode::DoneByRequesterOnly => "done_by_requester_only",
            RefusalCode::WrongStatus { .. } => "wrong_status",
            RefusalCode::AlreadyCancelled => "already_cancelled",
            RefusalCode::ExecutorNotResponsible => "executor_not_responsible",
            RefusalCode::NotEditable { .. } => "not_editable",
            RefusalCode::PaidSlotCount { .. } => "paid_slot_count",
            RefusalCode::PaidPriceChanged { .. } => "paid_price_changed",
            RefusalCode::PayerNotEditable => "payer_not_editable",
            RefusalCode::SlotTaken => "slot_taken",
            RefusalCode::CapacityExhausted => "capacity_exhausted",
            RefusalCode::NotPartlyPaid => "not_partly_paid",
            RefusalCode::InvalidAmount => "invalid_amount",
            RefusalCode::Overpayment { .. } => "overpayment",
            RefusalCode::DeadlinesOutOfOrder => "deadlines_out_of_order",
            RefusalCode::NotDue => "not_due",
            RefusalCode::NoRefundPending => "no_refund_pending",
            RefusalCode::UnknownLine => "unknown_line",
            RefusalCode::MissingExceedsQuantity { .. } => "missing_exceeds_quantity",
            RefusalCode::LinesNotCollected => "lines_not_collected",
            RefusalCode::NotPaid => "not_paid",
            RefusalCode::LineNotCollected => "line_not_collected",
        }
    }

    pub fn kind(self) -> RefusalKind {
        use RefusalCode::*;
        match self {
            RoleNotAllowed
            | NotResponsible
            | NotOwner
            | SystemOnly
            | RequesterOnly
            | InternalChatForManagers => RefusalKind::Forbidden,
            NotApplicable
            | TransitionNotAllowed { .. }
            | DoneByRequesterOnly
            | WrongStatus { .. }
            | AlreadyCancelled
            | NotEditable { .. }
            | SlotTaken
            | CapacityExhausted
            | NotPartlyPaid
            | NotDue
            | NoRefundPending
            | LinesNotCollected
            | NotPaid
            | LineNotCollected => RefusalKind::Conflict,
            ExecutorNotResponsible
            | PaidSlotCount { .. }
            | PaidPriceChanged { .. }
            | PayerNotEditable
            | InvalidAmount
            | Overpayment { .. }
            | DeadlinesOutOfOrder
            | UnknownLine
            | MissingExceedsQuantity { .. } => RefusalKind::Invalid,
        }
    }

    pub fn message(self, lang: Lang) -> String {
        match lang {
            Lang::Ru => self.message_ru(),
            Lang::En => self.message_en(),
        }
    }

    fn message_ru(self) -> String {
        use RefusalCode::*;
        match self {
            RoleNotAllowed => "Ваша роль не позволяет обрабатывать заказы этого типа.".into(),
            NotResponsible => "Вы не входите в число ответственных за эту услугу.".into(),
            NotOwner => "Это действие доступно только заявителю этого заказа.".into(),
            SystemOnly => "Это действие выполняет только система.".into(),
            RequesterOnly => "Подтвердить выполнение или вернуть заказ в работу может только заявитель.".into(),
            InternalChatForManagers => "Внутренний чат доступен только ответственным менеджерам.".into(),
            NotApplicable => "Это действие не применяется к заказам этого типа.".into(),
            TransitionNotAllowed { from, to } => format!(
                "Нельзя перевести заказ из статуса «{}» в статус «{}».",
                from.label(Lang::Ru),
                to.label(Lang::Ru)
            ),
            DoneByRequesterOnly => "Статус «Выполнен» устанавливается после подтверждения заявителем или автоматически.".into(),
            WrongStatus { status } => format!(
                "Действие недоступно в статусе «{}».",
                status.label(Lang::Ru)
            ),
            AlreadyCancelled => "Заказ уже отменен.".into(),
            ExecutorNotResponsible => "Исполнителем можно назначить только ответственного за услугу.".into(),
            NotEditable { status } => format!(
                "Бронирование в статусе «{}» нельзя изменить: только в статусах «Новый», «Подтвержден» и «Активен».",
                status.label(Lang::Ru)
            ),
            PaidSlotCount { paid, chosen } => format!(
                "В оплаченном заказе можно выбрать только оплаченное количество слотов: {paid} (выбрано {chosen})."
            ),
            PaidPriceChanged { paid, new_total } => format!(
                "Оплачено {paid}, а новая стоимость {new_total}: выберите объект с той же ценой."
            ),
            PayerNotEditable => "Плательщика можно изменить только в заказе, который оплачивает компания.".into(),
            SlotTaken => "Слот уже занят. Выберите другое время.".into(),
            CapacityExhausted => "На выбранные даты нет свободных мест.".into(),
            NotPartlyPaid => "Провести оплату можно только для частично оплаченного заказа.".into(),
            InvalidAmount => "Сумма оплаты должна быть больше нуля.".into(),
            Overpayment { outstanding } => format!(
                "Сумма больше остатка к оплате: {outstanding}."
            ),
            DeadlinesOutOfOrder => "Срок первого ответа должен быть не позже срока выполнения.".into(),
            NotDue => "Время автозакрытия заказа еще не наступило.".into(),
            NoRefundPending => "По заказу не ожидается возврат.".into(),
            UnknownLine => "В заказе нет такой позиции.".into(),
            MissingExceedsQuantity { quantity } => format!(
                "Недостающее количество больше заказанного ({quantity})."
            ),
            LinesNotCollected => "Отметьте каждую позицию: собрана или отсутствует.".into(),
            NotPaid => "Заказ еще не оплачен: подтвердить можно только оплаченный заказ или заказ компании.".into(),
            LineNotCollected => "Эта позиция еще не отмечена: снимать нечего.".into(),
        }
    }

    fn message_en(self) -> String {
        use RefusalCode::*;
        match self {
            RoleNotAllowed => "Your role does not process orders of this kind.".into(),
            NotResponsible => "You are not among the service's responsible managers.".into(),
            NotOwner => "Only the requester of this order can do this.".into(),
            SystemOnly => "Only the system does this.".into(),
            RequesterOnly => "Only the requester confirms an order or returns it to work.".into(),
            InternalChatForManagers => "The internal chat is for the responsible managers.".into(),
            NotApplicable => "This action does not apply to orders of this kind.".into(),
            TransitionNotAllowed { from, to } => format!(
                "An order cannot go from “{}” to “{}”.",
                from.label(Lang::En),
                to.label(Lang::En)
            ),
            DoneByRequesterOnly => "“Done” follows the requester's confirmation or the auto-close time.".into(),
            WrongStatus { status } => format!("Not available in status “{}”.", status.label(Lang::En)),
            AlreadyCancelled => "The order is already cancelled.".into(),
            ExecutorNotResponsible => "Only a responsible user of the service can be the executor.".into(),
            NotEditable { status } => format!(
                "A booking in “{}” cannot be edited: only in New, Confirmed and Active.",
                status.label(Lang::En)
            ),
            PaidSlotCount { paid, chosen } => format!(
                "A paid booking keeps its paid number of slots: {paid} (chosen {chosen})."
            ),
            PaidPriceChanged { paid, new_total } => format!(
                "{paid} was paid but the new price is {new_total}: choose an object with the same price."
            ),
            PayerNotEditable => "The payer can change only on an order a company pays for.".into(),
            SlotTaken => "The slot is already taken. Choose another time.".into(),
            CapacityExhausted => "No places are free for the chosen dates.".into(),
            NotPartlyPaid => "A payment can be recorded only on a partly paid order.".into(),
            InvalidAmount => "The amount must be greater than zero.".into(),
            Overpayment { outstanding } => format!("The amount exceeds what is owed: {outstanding}."),
            DeadlinesOutOfOrder => "The first response cannot be due after completion.".into(),
            NotDue => "The auto-close time has not come yet.".into(),
            NoRefundPending => "No refund is pending on this order.".into(),
            UnknownLine => "The order has no such line.".into(),
            MissingExceedsQuantity { quantity } => format!(
                "The missing quantity exceeds the ordered {quantity}."
            ),
            LinesNotCollected => "Mark every line collected or missing first.".into(),
            NotPaid => "The order is not paid: only a paid or company order can be confirmed.".into(),
            LineNotCollected => "This line has no collection mark to take back.".into(),
        }
    }
}

/// A refused action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(transparent)]
pub struct Refusal {
    pub code: RefusalCode,
}

impl Refusal {
    pub fn kind(self) -> RefusalKind {
        self.code.kind()
    }

    pub fn message(self, lang: Lang) -> String {
        self.code.message(lang)
    }
}

impl From<RefusalCode> for Refusal {
    fn from(code: RefusalCode) -> Refusal {
        Refusal { code }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.id(), self.code.message(Lang::En))
    }
}
