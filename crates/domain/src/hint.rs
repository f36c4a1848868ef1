//! Explanations the card and the list show beside what the rules decide:
//! why «Изменить статус» is absent ([`status_hint`]) and whether an order is
//! overdue ([`overdue`]).

use crate::due::Due;
use crate::kind::{OrderKind, Status};
use crate::order::OrderFacts;
use crate::role::Actor;
use crate::rules::{allowed_status_targets, may_view_internal};
use crate::text::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a manager who processes the order is offered no status change now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusHint {
    /// A shop order goes to «Готов к выдаче» once every line is marked.
    CollectAllLinesFirst,
    /// A booking the requester pays for is confirmed by its payment.
    AwaitingPayment,
    /// A request waits for the requester to confirm or return it.
    AwaitingRequester,
    /// A confirmed booking becomes active and finished by its time.
    MovesByTime,
    /// The order is cancelled.
    Cancelled,
    /// The order is done or finished: nothing more happens to it.
    Closed,
}

impl StatusHint {
    pub fn id(self) -> &'static str {
        match self {
            StatusHint::CollectAllLinesFirst => "collect_all_lines_first",
            StatusHint::AwaitingPayment => "awaiting_payment",
            StatusHint::AwaitingRequester => "awaiting_requester",
            StatusHint::MovesByTime => "moves_by_time",
            StatusHint::Cancelled => "cancelled",
            StatusHint::Closed => "closed",
        }
    }

    /// The hint shown where «Изменить статус» would be.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (StatusHint::CollectAllLinesFirst, Lang::Ru) => "Сначала соберите все позиции",
            (StatusHint::CollectAllLinesFirst, Lang::En) => "Collect or mark every line first",
            (StatusHint::AwaitingPayment, Lang::Ru) => "Заказ подтвердится после оплаты заявителем",
            (StatusHint::AwaitingPayment, Lang::En) => {
                "The order is confirmed once the requester pays"
            }
            (StatusHint::AwaitingRequester, Lang::Ru) => "Ожидается подтверждение заявителя",
            (StatusHint::AwaitingRequester, Lang::En) => "Waiting for the requester to confirm",
            (StatusHint::MovesByTime, Lang::Ru) => "Статус меняется сам по времени бронирования",
            (StatusHint::MovesByTime, Lang::En) => "The status follows the booking's time",
            (StatusHint::Cancelled, Lang::Ru) => "Заказ отменен",
            (StatusHint::Cancelled, Lang::En) => "The order is cancelled",
            (StatusHint::Closed, Lang::Ru) => "Заказ завершен",
            (StatusHint::Closed, Lang::En) => "The order is closed",
        }
    }
}

/// Why «Изменить статус» is absent for `actor`, or `None` when it is offered
/// or the actor does not process the order at all.
pub fn status_hint(order: &OrderFacts, actor: Actor) -> Option<StatusHint> {
    let processes = matches!(actor, Actor::User { role, .. } if role.is_manager())
        && may_view_internal(order, actor);
    if !processes || !allowed_status_targets(order, actor).is_empty() {
        return None;
    }
    let status = order.status;
    Some(match order.kind {
        _ if status.is_cancelled() => StatusHint::Cancelled,
        _ if status.is_final() => StatusHint::Closed,
        OrderKind::NomenclatureSale if status == Status::Collecting => {
            StatusHint::CollectAllLinesFirst
        }
        OrderKind::SimpleRequest | OrderKind::PremisesRequest
            if status == Status::AwaitingConfirmation =>
        {
            StatusHint::AwaitingRequester
        }
        // A company's booking is confirmed by hand, so only one the
        // requester pays for gets here.
        kind if kind.holds_resource() && status == Status::New => StatusHint::AwaitingPayment,
        kind if kind.holds_resource() => StatusHint::MovesByTime,
        _ => return None,
    })
}

/// Which due time has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Overdue {
    /// «Срок первого ответа» passed while the order is still «Новый».
    FirstResponse,
    /// «Срок исполнения» passed before the work was done.
    Completion,
}

impl Overdue {
    pub fn id(self) -> &'static str {
        match self {
            Overdue::FirstResponse => "first_response",
            Overdue::Completion => "completion",
        }
    }

    /// The mark beside the due time.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Overdue::FirstResponse, Lang::Ru) => "Просрочен первый ответ",
            (Overdue::FirstResponse, Lang::En) => "First response overdue",
            (Overdue::Completion, Lang::Ru) => "Просрочено",
            (Overdue::Completion, Lang::En) => "Overdue",
        }
    }
}

/// Whether an order is overdue at `now`. Completion counts until the work is
/// handed over («Выполнен. Ожидает подтверждения», «Готов к выдаче») or the
/// order is closed; the first response until the order leaves «Новый».
/// Completion wins when both have passed.
pub fn overdue(
    first_response_due: Option<DateTime<Utc>>,
    completion_due: Option<DateTime<Utc>>,
    status: Status,
    now: DateTime<Utc>,
) -> Option<Overdue> {
    // Which due time is still awaited in which status is `Due`'s rule, the
    // one the list's «Просрочено» uses; the mark names the completion first.
    let passed = |due: Due, at: Option<DateTime<Utc>>| {
        due.awaited_in(status) && at.is_some_and(|at| at < now)
    };
    if passed(Due::Completion, completion_due) {
        Some(Overdue::Completion)
    } else if passed(Due::FirstResponse, first_response_due) {
        Some(Overdue::FirstResponse)
    } else {
        None
    }
}
