//! What an actor may do to an order now: the buttons the UI offers. Each
//! entry is an action [`decide`] accepts, so an offered button is never
//! refused for who presses it or the order's state.
//!
//! The server fills the card's `allowed` with [`allowed_actions`]; the client
//! core recomputes it after each action it applies offline.

use crate::action::{Action, BookingEdit};
use crate::kind::Status;
use crate::order::OrderFacts;
use crate::role::Actor;
use crate::rules::{allowed_status_targets, decide, may_view_internal};
use crate::shop::LineOutcome;
use crate::text::Visibility;
use serde::{Deserialize, Serialize};

/// What the actor may do to the order now, as the rules decide; the UI
/// offers exactly these. Field names follow [`Action`]'s variants.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllowedActions {
    /// The statuses «Изменить статус» offers.
    pub status_targets: Vec<Status>,
    /// «Изменить исполнителя». Caches written before the rename say `assign`.
    #[serde(alias = "assign")]
    pub assign_executor: bool,
    pub change_deadlines: bool,
    pub edit_booking: bool,
    pub record_payment: bool,
    pub cancel: bool,
    pub confirm: bool,
    pub return_to_work: bool,
    pub collect_lines: bool,
    pub post_public: bool,
    pub read_internal: bool,
    pub post_internal: bool,
    /// «Взять в работу»: assign oneself and move to «В работе» at once.
    #[serde(default)]
    pub take_in_work: bool,
    /// Taking back a line's collection mark while «Собирается».
    #[serde(default)]
    pub undo_collection: bool,
}

/// What `actor` may do to `order` now.
pub fn allowed_actions(order: &OrderFacts, actor: Actor) -> AllowedActions {
    let ok = |action: Action| decide(order, &action, actor).is_ok();
    // An edit that keeps everything as it is: allowed exactly when the
    // booking may be edited at all.
    let edit_booking = order.booking.is_some_and(|b| {
        ok(Action::EditBooking(BookingEdit {
            resource: b.resource,
            slot_price: b.slot_price,
            range: b.range,
            payer: order.payer,
        }))
    });
    let outstanding = order.payment.outstanding();
    let collect_lines = order.lines.first().is_some_and(|l| {
        ok(Action::CollectLine {
            line: l.line,
            outcome: LineOutcome::Collected,
        })
    });
    let undo_collection = order
        .lines
        .iter()
        .find(|l| l.outcome.is_some())
        .is_some_and(|l| ok(Action::UndoCollection { line: l.line }));
    AllowedActions {
        status_targets: allowed_status_targets(order, actor),
        assign_executor: ok(Action::AssignExecutor { executor: None }),
        change_deadlines: ok(Action::ChangeDeadlines {
            first_response_due: None,
            completion_due: None,
        }),
        edit_booking,
        record_payment: outstanding.is_positive()
            && ok(Action::RecordPayment {
                amount: outstanding,
            }),
        cancel: ok(Action::Cancel),
        confirm: ok(Action::Confirm),
        return_to_work: ok(Action::ReturnToWork),
        collect_lines,
        post_public: ok(Action::PostMessage {
            visibility: Visibility::Public,
        }),
        read_internal: may_view_internal(order, actor),
        post_internal: ok(Action::PostMessage {
            visibility: Visibility::Internal,
        }),
        take_in_work: ok(Action::TakeInWork),
        undo_collection,
    }
}
