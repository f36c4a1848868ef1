//! [`decide`]: who may do what to which order, and with what effect.
//!
//! Checks run in a fixed order so that the answer is predictable: first who
//! acts (403), then whether the order's state allows it (409), then whether
//! the input is acceptable (422).

use crate::action::{Action, Audience, BookingEdit, Effect, NoticeEvent};
use crate::booking::keeps_paid_slots;
use crate::ids::UserId;
use crate::kind::{OrderKind, Status};
use crate::money::Money;
use crate::note::{BookingSpan, SystemNote};
use crate::order::{OrderFacts, Payer};
use crate::refusal::{Refusal, RefusalCode};
use crate::role::{Actor, Role};
use crate::shop::{shop_refund_due, LineOutcome};
use crate::text::Visibility;
use chrono::{DateTime, Utc};

type Decision = Result<Effect, Refusal>;

fn refuse<T>(code: RefusalCode) -> Result<T, Refusal> {
    Err(Refusal { code })
}

/// Whether the actor may open the order and its public chat.
pub fn may_view(order: &OrderFacts, actor: Actor) -> Result<(), Refusal> {
    match actor {
        Actor::System => Ok(()),
        Actor::User {
            role: Role::Admin, ..
        } => Ok(()),
        Actor::User {
            id,
            role: Role::Requester,
        } => {
            if id == order.requester {
                Ok(())
            } else {
                refuse(RefusalCode::NotOwner)
            }
        }
        Actor::User { .. } => may_process(order, actor).map(|_| ()),
    }
}

/// Whether the actor may read the internal chat: managers responsible for
/// the service, and administrators. Never a requester.
pub fn may_view_internal(order: &OrderFacts, actor: Actor) -> bool {
    match actor {
        Actor::System
        | Actor::User {
            role: Role::Admin, ..
        } => true,
        Actor::User { .. } => may_process(order, actor).is_ok(),
    }
}

/// Whether the actor may edit a service's canned replies: administrators
/// only.
pub fn may_edit_replies(actor: Actor) -> Result<(), Refusal> {
    match actor {
        Actor::User {
            role: Role::Admin, ..
        } => Ok(()),
        _ => refuse(RefusalCode::RoleNotAllowed),
    }
}

/// The statuses «Изменить статус» may offer the actor now.
pub fn allowed_status_targets(order: &OrderFacts, actor: Actor) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|&to| decide(order, &Action::ChangeStatus { to }, actor).is_ok())
        .collect()
}

/// A manager whose role covers the kind and who is responsible for the service.
fn may_process(order: &OrderFacts, actor: Actor) -> Result<UserId, Refusal> {
    match actor {
        Actor::User { id, role } if role.is_manager() => {
            if !role.covers(order.kind) {
                refuse(RefusalCode::RoleNotAllowed)
            } else if !order.is_responsible(id) {
                refuse(RefusalCode::NotResponsible)
            } else {
                Ok(id)
            }
        }
        _ => refuse(RefusalCode::RoleNotAllowed),
    }
}

/// The requester of this very order.
fn require_owner(order: &OrderFacts, actor: Actor) -> Result<UserId, Refusal> {
    match actor {
        Actor::User {
            id,
            role: Role::Requester,
        } if id == order.requester => Ok(id),
        Actor::User {
            role: Role::Requester,
            ..
        } => refuse(RefusalCode::NotOwner),
        _ => refuse(RefusalCode::RequesterOnly),
    }
}

fn require_system(actor: Actor) -> Result<(), Refusal> {
    match actor {
        Actor::System => Ok(()),
        Actor::User { .. } => refuse(RefusalCode::SystemOnly),
    }
}

/// Processing goes on only while the order is not cancelled, done or finished.
fn require_open(order: &OrderFacts) -> Result<(), Refusal> {
    if order.status.is_cancelled() {
        refuse(RefusalCode::AlreadyCancelled)
    } else if order.status.is_final() {
        refuse(RefusalCode::WrongStatus {
            status: order.status,
        })
    } else {
        Ok(())
    }
}

/// The order moves to `to`, and the public chat says from what.
fn move_to(order: &OrderFacts, to: Status) -> Effect {
    Effect::to_status(to).say(SystemNote::StatusChanged {
        from: Some(order.status),
        to,
    })
}

/// Money the effect gives back is noted in the order's history.
fn with_refund_note(effect: Effect) -> Effect {
    if effect.refund.is_positive() {
        let amount = effect.refund;
        effect.say(SystemNote::RefundStarted { amount })
    } else {
        effect
    }
}

/// Decides the creation of an order of a kind: requesters create orders, and
/// the service's responsible managers are told.
pub fn decide_create(kind: OrderKind, actor: Actor) -> Decision {
    let _ = kind;
    match actor {
        Actor::User {
            role: Role::Requester,
            ..
        } => Ok(Effect::none().notify(NoticeEvent::OrderCreated, Audience::Responsible)),
        _ => refuse(RefusalCode::RoleNotAllowed),
    }
}

/// Decides an action on an order.
pub fn decide(order: &OrderFacts, action: &Action, actor: Actor) -> Decision {
    match action {
        Action::View => may_view(order, actor).map(|()| Effect::none()),
        Action::AssignExecutor { executor } => assign_executor(order, *executor, actor),
        Action::ChangeStatus { to } => change_status(order, *to, actor),
        Action::ChangeDeadlines {
            first_response_due,
            completion_due,
        } => change_deadlines(order, *first_response_due, *completion_due, actor),
        Action::Confirm => confirm(order, actor),
        Action::ReturnToWork => return_to_work(order, actor),
        Action::AutoClose { now } => auto_close(order, *now, actor),
        Action::AdvanceByClock { now } => advance_by_clock(order, *now, actor),
        Action::EditBooking(edit) => edit_booking(order, edit, actor),
        Action::RecordPayment { amount } => record_payment(order, *amount, actor),
        Action::PaymentReceived { amount } => payment_received(order, *amount, actor),
        Action::Cancel => cancel(order, actor),
        Action::CompleteRefund => complete_refund(order, actor),
        Action::CollectLine { line, outcome } => collect_line(order, *line, *outcome, actor),
        Action::PostMessage { visibility } => post_message(order, *visibility, actor),
        Action::TakeInWork => take_in_work(order, actor),
        Action::UndoCollection { line } => undo_collection(order, *line, actor),
    }
}

fn assign_executor(order: &OrderFacts, executor: Option<UserId>, actor: Actor) -> Decision {
    may_process(order, actor)?;
    require_open(order)?;
    match executor {
        Some(user) if !order.is_responsible(user) => refuse(RefusalCode::ExecutorNotResponsible),
        _ => Ok(Effect::none()),
    }
}

fn change_status(order: &OrderFacts, to: Status, actor: Actor) -> Decision {
    may_process(order, actor)?;
    if order.status.is_cancelled() {
        return refuse(RefusalCode::AlreadyCancelled);
    }
    let from = order.status;
    let not_allowed = || refuse(RefusalCode::TransitionNotAllowed { from, to });
    let moved = move_to(order, to);
    match order.kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => match (from, to) {
            (Status::New, Status::InProgress) => Ok(moved),
            (Status::New | Status::InProgress, Status::AwaitingConfirmation) => {
                Ok(moved.notify(NoticeEvent::AwaitingConfirmation, Audience::Requester))
            }
            (Status::New | Status::InProgress | Status::AwaitingConfirmation, Status::Done) => {
                refuse(RefusalCode::DoneByRequesterOnly)
            }
            _ => not_allowed(),
        },
        OrderKind::Booking | OrderKind::CoworkingBooking | OrderKind::HotelBooking => {
            match (from, to) {
                (Status::New, Status::Confirmed) => {
                    let company = matches!(order.payer, Payer::Company { .. });
                    if company || order.payment.is_paid_in_full() {
                        Ok(moved)
                    } else {
                        refuse(RefusalCode::NotPaid)
                    }
                }
                _ => not_allowed(),
            }
        }
        OrderKind::NomenclatureSale => match (from, to) {
            (Status::New, Status::Collecting) => Ok(moved),
            (Status::Collecting, Status::ReadyForPickup) => {
                if order.lines.iter().any(|l| l.outcome.is_none()) {
                    return refuse(RefusalCode::LinesNotCollected);
                }
                let mut effect = moved.notify(NoticeEvent::ReadyForPickup, Audience::Requester);
                effect.refund = shop_refund_due(&order.lines, order.payment);
                Ok(with_refund_note(effect))
            }
            (Status::ReadyForPickup, Status::Done) => Ok(moved),
            _ => not_allowed(),
        },
    }
}

fn change_deadlines(
    order: &OrderFacts,
    first_response_due: Option<DateTime<Utc>>,
    completion_due: Option<DateTime<Utc>>,
    actor: Actor,
) -> Decision {
    may_process(order, actor)?;
    require_open(order)?;
    match (first_response_due, completion_due) {
        (Some(first), Some(done)) if first > done => refuse(RefusalCode::DeadlinesOutOfOrder),
        _ => Ok(Effect::none()),
    }
}

fn require_awaiting_request(order: &OrderFacts) -> Result<(), Refusal> {
    if !order.kind.is_request() {
        refuse(RefusalCode::NotApplicable)
    } else if order.status != Status::AwaitingConfirmation {
        refuse(RefusalCode::WrongStatus {
            status: order.status,
        })
    } else {
        Ok(())
    }
}

fn confirm(order: &OrderFacts, actor: Actor) -> Decision {
    require_owner(order, actor)?;
    require_awaiting_request(order)?;
    Ok(move_to(order, Status::Done))
}

fn return_to_work(order: &OrderFacts, actor: Actor) -> Decision {
    require_owner(order, actor)?;
    require_awaiting_request(order)?;
    Ok(move_to(order, Status::InProgress)
        .notify(NoticeEvent::ReturnedToWork, Audience::ExecutorOrResponsible))
}

fn auto_close(order: &OrderFacts, now: DateTime<Utc>, actor: Actor) -> Decision {
    require_system(actor)?;
    require_awaiting_request(order)?;
    let due = order
        .awaiting_since
        .map(|since| since + order.auto_close_after);
    match due {
        Some(due) if due <= now => Ok(move_to(order, Status::Done)),
        _ => refuse(RefusalCode::NotDue),
    }
}

fn advance_by_clock(order: &OrderFacts, now: DateTime<Utc>, actor: Actor) -> Decision {
    require_system(actor)?;
    if !order.kind.holds_resource() {
        return refuse(RefusalCode::NotApplicable);
    }
    let Some(period) = order.period else {
        return refuse(RefusalCode::NotApplicable);
    };
    // A booking nobody paid for lets its time go instead of holding it forever;
    // a company's booking waits for the manager, a part-paid one for the desk.
    let unpaid_individual = order.payer == Payer::Individual && !order.payment.paid.is_positive();
    if order.status == Status::New && unpaid_individual && now >= period.start {
        let to = Status::Cancelled;
        let mut effect = move_to(order, to);
        effect.release_hold = true;
        return Ok(effect.notify(NoticeEvent::Cancelled, Audience::Requester));
    }
    let to = match order.status {
        Status::Confirmed | Status::Active if now >= period.end => Status::Finished,
        Status::Confirmed if now >= period.start => Status::Active,
        Status::Confirmed | Status::Active => return refuse(RefusalCode::NotDue),
        status => return refuse(RefusalCode::WrongStatus { status }),
    };
    Ok(move_to(order, to))
}

fn edit_booking(order: &OrderFacts, edit: &BookingEdit, actor: Actor) -> Decision {
    may_process(order, actor)?;
    let (OrderKind::Booking, Some(current)) = (order.kind, order.booking) else {
        return refuse(RefusalCode::NotApplicable);
    };
    if !matches!(
        order.status,
        Status::New | Status::Confirmed | Status::Active
    ) {
        return refuse(RefusalCode::NotEditable {
            status: order.status,
        });
    }
    match (order.payer, edit.payer) {
        (Payer::Individual, Payer::Individual) | (Payer::Company { .. }, Payer::Company { .. }) => {
        }
        _ => return refuse(RefusalCode::PayerNotEditable),
    }
    if keeps_paid_slots(order.payer, order.payment.paid) {
        if edit.range.count != current.range.count {
            return refuse(RefusalCode::PaidSlotCount {
                paid: current.range.count,
                chosen: edit.range.count,
            });
        }
        let new_total = edit.range.price(edit.slot_price);
        if new_total != order.payment.total {
            return refuse(RefusalCode::PaidPriceChanged {
                paid: order.payment.paid,
                new_total,
            });
        }
    }
    let mut effect = Effect::none()
        .say(SystemNote::BookingChanged {
            from: Some(BookingSpan::of_range(current.range)),
            to: Some(BookingSpan::of_range(edit.range)),
        })
        .notify(NoticeEvent::BookingChanged, Audience::Requester);
    effect.release_hold = true;
    effect.take_hold = true;
    effect.email_requester = true;
    Ok(effect)
}

/// A paid-in-full booking, desk or room waiting in `new` is confirmed.
fn confirm_when_paid(order: &OrderFacts, amount: Money, mut effect: Effect) -> Effect {
    let paid_in_full = order.payment.paid + amount >= order.payment.total;
    if order.kind.holds_resource() && order.status == Status::New && paid_in_full {
        effect.status = Some(Status::Confirmed);
        effect.system_messages.push(SystemNote::StatusChanged {
            from: Some(order.status),
            to: Status::Confirmed,
        });
    }
    effect
}

fn check_amount(order: &OrderFacts, amount: Money) -> Result<(), Refusal> {
    if !amount.is_positive() {
        refuse(RefusalCode::InvalidAmount)
    } else if amount > order.payment.outstanding() {
        refuse(RefusalCode::Overpayment {
            outstanding: order.payment.outstanding(),
        })
    } else {
        Ok(())
    }
}

fn record_payment(order: &OrderFacts, amount: Money, actor: Actor) -> Decision {
    may_process(order, actor)?;
    if order.status.is_cancelled() {
        return refuse(RefusalCode::AlreadyCancelled);
    }
    if !order.payment.is_partly_paid() {
        return refuse(RefusalCode::NotPartlyPaid);
    }
    check_amount(order, amount)?;
    let effect = Effect::none().say(SystemNote::PaymentRecorded { amount });
    Ok(confirm_when_paid(order, amount, effect))
}

fn payment_received(order: &OrderFacts, amount: Money, actor: Actor) -> Decision {
    require_system(actor)?;
    if order.status.is_cancelled() {
        // The provider took the money after all: it goes straight back.
        if !amount.is_positive() {
            return refuse(RefusalCode::InvalidAmount);
        }
        let mut effect = Effect::none().say(SystemNote::GatewayPayment);
        effect.refund = amount;
        if order.status != Status::CancelledRefundPending {
            let to = Status::CancelledRefundPending;
            effect.status = Some(to);
            effect.system_messages.push(SystemNote::StatusChanged {
                from: Some(order.status),
                to,
            });
        }
        return Ok(with_refund_note(effect));
    }
    check_amount(order, amount)?;
    let effect = Effect::none().say(SystemNote::GatewayPayment);
    Ok(confirm_when_paid(order, amount, effect))
}

fn cancel(order: &OrderFacts, actor: Actor) -> Decision {
    let by_requester = match actor {
        Actor::User {
            role: Role::Requester,
            ..
        } => {
            require_owner(order, actor)?;
            true
        }
        _ => {
            may_process(order, actor)?;
            false
        }
    };
    if order.status.is_cancelled() {
        return refuse(RefusalCode::AlreadyCancelled);
    }
    // A requester may withdraw an order nobody has started on yet.
    if by_requester && order.status != Status::New {
        return refuse(RefusalCode::WrongStatus {
            status: order.status,
        });
    }
    let held = crate::order::refund_on_cancel(order.payment);
    // Money already on its way back is not asked for again, but the order
    // still waits for it.
    let to = if held.is_positive() || order.payment.refunding.is_positive() {
        Status::CancelledRefundPending
    } else {
        Status::Cancelled
    };
    let mut effect = move_to(order, to);
    effect.refund = held;
    effect.release_hold = order.kind.holds_resource();
    let audience = if by_requester {
        Audience::ExecutorOrResponsible
    } else {
        Audience::Requester
    };
    Ok(with_refund_note(effect).notify(NoticeEvent::Cancelled, audience))
}

fn complete_refund(order: &OrderFacts, actor: Actor) -> Decision {
    require_system(actor)?;
    if order.status != Status::CancelledRefundPending {
        return refuse(RefusalCode::NoRefundPending);
    }
    let to = Status::CancelledRefunded;
    Ok(Effect::to_status(to)
        .say(SystemNote::Refunded {
            amount: order.payment.not_given_back(),
        })
        .notify(NoticeEvent::Refunded, Audience::Requester))
}

fn collect_line(
    order: &OrderFacts,
    line: crate::ids::LineNo,
    outcome: LineOutcome,
    actor: Actor,
) -> Decision {
    may_process(order, actor)?;
    if order.kind != OrderKind::NomenclatureSale {
        return refuse(RefusalCode::NotApplicable);
    }
    if order.status != Status::Collecting {
        return refuse(RefusalCode::WrongStatus {
            status: order.status,
        });
    }
    let Some(facts) = order.lines.iter().find(|l| l.line == line) else {
        return refuse(RefusalCode::UnknownLine);
    };
    match outcome {
        LineOutcome::Missing { quantity } if quantity == 0 || quantity > facts.quantity => {
            refuse(RefusalCode::MissingExceedsQuantity {
                quantity: facts.quantity,
            })
        }
        _ => Ok(Effect::none()),
    }
}

fn post_message(order: &OrderFacts, visibility: Visibility, actor: Actor) -> Decision {
    match (actor, visibility) {
        (Actor::System, _) => Ok(Effect::none()),
        (
            Actor::User {
                role: Role::Requester,
                ..
            },
            Visibility::Public,
        ) => {
            require_owner(order, actor)?;
            Ok(Effect::none().notify(NoticeEvent::NewMessage, Audience::ExecutorOrResponsible))
        }
        (
            Actor::User {
                role: Role::Requester,
                ..
            },
            Visibility::Internal,
        ) => {
            require_owner(order, actor)?;
            refuse(RefusalCode::InternalChatForManagers)
        }
        (Actor::User { .. }, Visibility::Public) => {
            may_process(order, actor)?;
            Ok(Effect::none().notify(NoticeEvent::NewMessage, Audience::Requester))
        }
        (Actor::User { .. }, Visibility::Internal) => {
            may_process(order, actor)?;
            Ok(Effect::none())
        }
    }
}

/// «Взять в работу»: a responsible manager takes a request nobody works on
/// yet. A new one also moves to «В работе»; one already there without an
/// executor only gets its executor.
fn take_in_work(order: &OrderFacts, actor: Actor) -> Decision {
    may_process(order, actor)?;
    require_open(order)?;
    if !order.kind.is_request() {
        return refuse(RefusalCode::NotApplicable);
    }
    match order.status {
        Status::New => Ok(move_to(order, Status::InProgress)),
        Status::InProgress if order.executor.is_none() => Ok(Effect::none()),
        status => refuse(RefusalCode::WrongStatus { status }),
    }
}

/// Takes back a collection mark: only while «Собирается», only a marked line.
fn undo_collection(order: &OrderFacts, line: crate::ids::LineNo, actor: Actor) -> Decision {
    may_process(order, actor)?;
    if order.kind != OrderKind::NomenclatureSale {
        return refuse(RefusalCode::NotApplicable);
    }
    if order.status != Status::Collecting {
        return refuse(RefusalCode::WrongStatus {
            status: order.status,
        });
    }
    match order.lines.iter().find(|l| l.line == line) {
        None => refuse(RefusalCode::UnknownLine),
        Some(facts) if facts.outcome.is_none() => refuse(RefusalCode::LineNotCollected),
        Some(_) => Ok(Effect::none()),
    }
}
