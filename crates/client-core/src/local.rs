//! The domain rules applied to cached orders: the facts the rules read, the
//! action a queued mutation stands for, and the optimistic change it makes
//! to the local copy of the order before the server has seen it.
//!
//! Nothing here touches the cache or the network.

use chrono::{DateTime, FixedOffset, Utc};
use orderdesk_domain::{
    allowed_actions, awaiting_payment, decide, refund_on_cancel, status_hint,
    validate_booking_time, validate_message, Action, Actor, BookingEdit, BookingFacts, Effect,
    InputError, Lang, LineFacts, Money, OrderFacts, Payer, PaymentState, Period, ResourceId,
    SlotRange, UserId,
};
use orderdesk_protocol::{
    description_line, MutationOp, OrderDetail, OrderSummary, PaymentEntryKind, PaymentEntryStatus,
    Person, ResourceInfo,
};

use crate::error::{CoreError, CoreResult};

/// Refunds the card lists as asked for and not yet completed.
fn refunds_on_their_way(order: &OrderDetail) -> Money {
    order
        .payments
        .iter()
        .filter(|p| p.kind == PaymentEntryKind::Refund && p.status == PaymentEntryStatus::Pending)
        .map(|p| p.amount)
        .sum()
}

/// The rules' view of a cached order.
pub(crate) fn facts(order: &OrderDetail) -> OrderFacts {
    let booking = order.booking.as_ref().and_then(|b| {
        let range = SlotRange::parse(b.date, &b.slots).ok()?;
        Some(BookingFacts {
            resource: b.resource.id,
            slot_price: b.slot_price,
            range,
        })
    });
    let period = match (order.period_start, order.period_end) {
        (Some(start), Some(end)) => Some(Period {
            start: start.with_timezone(&Utc),
            end: end.with_timezone(&Utc),
        }),
        _ => None,
    };
    let mut facts = OrderFacts::new(
        order.kind,
        order.requester.id.unwrap_or(UserId(0)),
        order.responsible.iter().filter_map(|p| p.id).collect(),
    );
    facts.status = order.status;
    facts.executor = order.executor.as_ref().and_then(|p| p.id);
    facts.payer = order.payer.payer;
    facts.payment = PaymentState {
        total: order.payment.total,
        paid: order.payment.paid,
        refunded: order.payment.refunded,
        refunding: refunds_on_their_way(order),
    };
    facts.period = period;
    facts.booking = booking;
    facts.lines = order
        .lines
        .iter()
        .map(|l| LineFacts {
            line: l.line,
            quantity: l.quantity,
            unit_price: l.unit_price,
            outcome: l.outcome,
        })
        .collect();
    facts
}

/// Input the domain's limits refuse, in the words the server would use.
fn invalid(error: InputError, lang: Lang) -> CoreError {
    CoreError::Invalid(error.message(lang))
}

/// The domain action a mutation stands for. `resources` is the cached
/// catalog, for the price of a booking moved to another object.
pub(crate) fn action_of(
    op: &MutationOp,
    order: &OrderDetail,
    resources: &[ResourceInfo],
    lang: Lang,
) -> CoreResult<Action> {
    let utc = |t: &Option<DateTime<FixedOffset>>| t.map(|t| t.with_timezone(&Utc));
    Ok(match op {
        MutationOp::AssignExecutor { user_id } => Action::AssignExecutor { executor: *user_id },
        MutationOp::Status { status } => Action::ChangeStatus { to: *status },
        MutationOp::Deadlines {
            first_response_due,
            completion_due,
        } => Action::ChangeDeadlines {
            first_response_due: utc(first_response_due),
            completion_due: utc(completion_due),
        },
        MutationOp::EditBooking {
            resource_id,
            date,
            slots,
            payer_id,
            ..
        } => {
            let range =
                SlotRange::parse(*date, slots).map_err(|e| invalid(InputError::from(e), lang))?;
            Action::EditBooking(BookingEdit {
                resource: *resource_id,
                slot_price: slot_price(*resource_id, order, resources),
                range,
                payer: Payer::from_company(*payer_id),
            })
        }
        MutationOp::RecordPayment { amount } => Action::RecordPayment { amount: *amount },
        MutationOp::Cancel => Action::Cancel,
        MutationOp::Confirm => Action::Confirm,
        MutationOp::ReturnToWork => Action::ReturnToWork,
        MutationOp::CollectLine { line, outcome } => Action::CollectLine {
            line: *line,
            outcome: *outcome,
        },
        MutationOp::PostMessage(message) => {
            validate_message(&message.text).map_err(|e| invalid(e, lang))?;
            Action::PostMessage {
                visibility: message.visibility,
            }
        }
        MutationOp::TakeInWork => Action::TakeInWork,
        MutationOp::UndoCollection { line } => Action::UndoCollection { line: *line },
    })
}

fn slot_price(resource: ResourceId, order: &OrderDetail, resources: &[ResourceInfo]) -> Money {
    resources
        .iter()
        .find(|r| r.id == resource)
        .map(|r| r.unit_price)
        .or_else(|| order.booking.as_ref().map(|b| b.slot_price))
        .unwrap_or(Money::ZERO)
}

/// Checks a mutation by the product's rules and input limits as `actor` at
/// `now`, in the order the server checks them; the effect to apply locally
/// when they allow it, or the refusal in `lang`.
pub(crate) fn check(
    op: &MutationOp,
    order: &OrderDetail,
    actor: Actor,
    resources: &[ResourceInfo],
    (now, lang): (DateTime<Utc>, Lang),
) -> CoreResult<Effect> {
    let action = action_of(op, order, resources, lang)?;
    let effect = decide(&facts(order), &action, actor).map_err(|r| CoreError::refused(r, lang))?;
    if let Action::EditBooking(edit) = &action {
        // The server renders the order's times in the site's offset.
        let site = *order.created_at.offset();
        validate_booking_time(edit.range, now, site).map_err(|e| invalid(e, lang))?;
    }
    Ok(effect)
}

/// Applies a permitted mutation to the local copy of the order, as the
/// server would, so the manager sees the change at once.
pub(crate) fn apply(
    order: &mut OrderDetail,
    op: &MutationOp,
    effect: &Effect,
    actor: Actor,
    resources: &[ResourceInfo],
) {
    match op {
        MutationOp::AssignExecutor { user_id } => {
            order.executor = user_id.map(|id| {
                order
                    .responsible
                    .iter()
                    .find(|p| p.id == Some(id))
                    .cloned()
                    .unwrap_or_else(|| unknown_person(id))
            });
        }
        MutationOp::Deadlines {
            first_response_due,
            completion_due,
        } => {
            order.deadlines.first_response_due = *first_response_due;
            order.deadlines.completion_due = *completion_due;
        }
        MutationOp::EditBooking { .. } => apply_booking_edit(order, op, resources),
        MutationOp::RecordPayment { amount } => {
            let p = &mut order.payment;
            p.paid = p.paid + *amount;
            let state = PaymentState {
                total: p.total,
                paid: p.paid,
                refunded: p.refunded,
                refunding: Money::ZERO,
            };
            p.outstanding = state.outstanding();
            p.partly_paid = state.is_partly_paid();
        }
        MutationOp::CollectLine { line, outcome } => {
            if let Some(l) = order.lines.iter_mut().find(|l| l.line == *line) {
                l.outcome = Some(*outcome);
                let kept = l.quantity - outcome.missing().min(l.quantity);
                l.total = l.unit_price * i64::from(kept);
            }
        }
        MutationOp::TakeInWork => {
            if let Some(me) = actor.user_id() {
                order.executor = Some(
                    order
                        .responsible
                        .iter()
                        .find(|p| p.id == Some(me))
                        .cloned()
                        .unwrap_or_else(|| unknown_person(me)),
                );
            }
        }
        MutationOp::UndoCollection { line } => {
            if let Some(l) = order.lines.iter_mut().find(|l| l.line == *line) {
                l.outcome = None;
                l.total = l.unit_price * i64::from(l.quantity);
            }
        }
        MutationOp::Status { .. }
        | MutationOp::Cancel
        | MutationOp::Confirm
        | MutationOp::ReturnToWork
        | MutationOp::PostMessage(_) => {}
    }
    if let Some(status) = effect.status {
        order.status = status;
    }
    let facts = facts(order);
    order.payment.awaiting_payment = awaiting_payment(facts.status, facts.payer, facts.payment);
    order.payment.refund_on_cancel = refund_on_cancel(facts.payment);
    order.allowed = allowed_actions(&facts, actor);
    order.status_hint = status_hint(&facts, actor);
}

/// «Изменить заказ» on the local copy: the object (with its name, tariff
/// and price from the catalog), the day and slots, the payer, the comment.
fn apply_booking_edit(order: &mut OrderDetail, op: &MutationOp, resources: &[ResourceInfo]) {
    let MutationOp::EditBooking {
        resource_id,
        date,
        slots,
        payer_id,
        comment,
    } = op
    else {
        return;
    };
    if let Some(booking) = order.booking.as_mut() {
        if let Some(info) = resources.iter().find(|r| r.id == *resource_id) {
            booking.resource.name = info.name.clone();
            booking.resource.tariff = info.tariff.clone();
            booking.slot_price = info.unit_price;
        }
        booking.resource.id = *resource_id;
        booking.date = *date;
        if let Ok(range) = SlotRange::parse(*date, slots) {
            booking.slots = range.slots().map(|s| s.to_string()).collect();
            (booking.start, booking.end) = range.time_span();
            // The card shows the period: it moves with the slots, in the
            // offset the server renders the order's times in.
            let site = *order.created_at.offset();
            let (start, end) = range.instants(site);
            order.period_start = Some(start.with_timezone(&site));
            order.period_end = Some(end.with_timezone(&site));
        }
    }
    if let Some(payer_id) = payer_id {
        order.payer.payer = Payer::Company {
            payer_id: *payer_id,
        };
    }
    order.comment = comment.clone();
}

fn unknown_person(id: UserId) -> Person {
    Person {
        id: Some(id),
        name: format!("Пользователь {id}"),
        role: None,
        phone: None,
        email: None,
    }
}

/// The list row of an order.
pub(crate) fn summary(order: &OrderDetail) -> OrderSummary {
    OrderSummary {
        number: order.number,
        kind: order.kind,
        status: order.status,
        awaiting_payment: order.payment.awaiting_payment,
        title: order.title.clone(),
        service: order.service.clone(),
        requester_name: order.requester.name.clone(),
        executor_name: order.executor.as_ref().map(|p| p.name.clone()),
        executor_id: order.executor.as_ref().and_then(|p| p.id),
        total: order.payment.total,
        period_text: period_text(order),
        description_line: description_line(order.description.as_deref()),
        place: order.premises.clone().or_else(|| resource_name(order)),
        deadlines: order.deadlines.clone(),
        created_at: order.created_at,
        updated_at: order.updated_at,
        version: order.version,
    }
}

/// The object a booking, a coworking ticket or a hotel stay holds.
fn resource_name(order: &OrderDetail) -> Option<String> {
    let booking = order.booking.as_ref().map(|b| &b.resource);
    let coworking = order.coworking.as_ref().map(|c| &c.resource);
    let hotel = order.hotel.as_ref().map(|h| &h.resource);
    booking.or(coworking).or(hotel).map(|r| r.name.clone())
}

fn period_text(order: &OrderDetail) -> Option<String> {
    let day = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    if let Some(b) = &order.booking {
        return Some(format!(
            "{}, {} {}–{}",
            b.resource.name,
            day(b.date),
            b.start,
            b.end
        ));
    }
    if let Some(c) = &order.coworking {
        return Some(format!(
            "{}, {}–{}",
            c.resource.name,
            day(c.date_from),
            day(c.date_to)
        ));
    }
    order.hotel.as_ref().map(|h| {
        format!(
            "{}, {}–{}",
            h.resource.name,
            day(h.check_in),
            day(h.check_out)
        )
    })
}

/// The earliest due time the order still awaits, by the domain's rule.
pub(crate) fn next_due(order: &OrderDetail) -> Option<DateTime<Utc>> {
    let utc = |t: Option<DateTime<FixedOffset>>| t.map(|t| t.with_timezone(&Utc));
    let deadlines = &order.deadlines;
    orderdesk_domain::next_due(
        order.status,
        utc(deadlines.first_response_due),
        utc(deadlines.completion_due),
    )
    .map(|(_, at)| at)
}

/// Lower-case text the list search looks in, besides the number.
pub(crate) fn search_text(order: &OrderDetail) -> String {
    let optional = |t: &Option<String>| t.clone().unwrap_or_default();
    fold(&format!(
        "{} {} {} {} {} {} {}",
        order.number,
        order.title,
        order.requester.name,
        order.service.name,
        optional(&order.description),
        optional(&order.comment),
        optional(&order.premises),
    ))
}

/// Text as the search compares it: lower case by Unicode (SQLite's
/// `lower()` leaves Cyrillic as is) and «ё» as «е», as people type it.
pub(crate) fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}
