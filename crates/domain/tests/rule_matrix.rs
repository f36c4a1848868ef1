//! The whole rule table: every kind × reachable status × payment state ×
//! action × actor, rendered as text and compared with `rule_matrix.txt`.
//!
//! A rule changed on purpose is reviewed as a diff of that file
//! (`UPDATE_RULE_MATRIX=1 cargo test -p orderdesk-domain --test rule_matrix`);
//! a rule changed by accident fails here, naming the cells that moved.

mod common;

use common::{actors, fixture, Funding};
use orderdesk_domain::{
    decide, Action, BookingEdit, LineNo, LineOutcome, Money, OrderKind, Payer, Status, UserId,
    Visibility,
};
use std::fmt::Write as _;
use std::path::PathBuf;

fn actions(order: &orderdesk_domain::OrderFacts) -> Vec<(String, Action)> {
    let now = common::now();
    let mut list = vec![
        ("view".to_owned(), Action::View),
        (
            "assign_responsible".to_owned(),
            Action::AssignExecutor {
                executor: Some(common::responsible_for(order.kind)),
            },
        ),
        (
            "assign_outsider".to_owned(),
            Action::AssignExecutor {
                executor: Some(UserId(999)),
            },
        ),
        (
            "unassign".to_owned(),
            Action::AssignExecutor { executor: None },
        ),
    ];
    for to in Status::ALL {
        list.push((format!("status→{}", to.id()), Action::ChangeStatus { to }));
    }
    list.extend([
        (
            "deadlines".to_owned(),
            Action::ChangeDeadlines {
                first_response_due: Some(now),
                completion_due: Some(now + chrono::Duration::hours(4)),
            },
        ),
        ("confirm".to_owned(), Action::Confirm),
        ("return_to_work".to_owned(), Action::ReturnToWork),
        (
            "auto_close_due".to_owned(),
            Action::AutoClose {
                now: now + chrono::Duration::days(3),
            },
        ),
        (
            "clock_during".to_owned(),
            Action::AdvanceByClock {
                now: common::period().start + chrono::Duration::minutes(10),
            },
        ),
        (
            "edit_booking_same_slots".to_owned(),
            Action::EditBooking(same_slots_edit(order)),
        ),
        (
            "record_payment_100".to_owned(),
            Action::RecordPayment {
                amount: Money::rub(100),
            },
        ),
        (
            "gateway_payment_rest".to_owned(),
            Action::PaymentReceived {
                amount: order.payment.outstanding().max(Money::rub(1)),
            },
        ),
        ("cancel".to_owned(), Action::Cancel),
        ("complete_refund".to_owned(), Action::CompleteRefund),
        (
            "collect_line_1".to_owned(),
            Action::CollectLine {
                line: LineNo(1),
                outcome: LineOutcome::Collected,
            },
        ),
        (
            "message_public".to_owned(),
            Action::PostMessage {
                visibility: Visibility::Public,
            },
        ),
        (
            "message_internal".to_owned(),
            Action::PostMessage {
                visibility: Visibility::Internal,
            },
        ),
        ("take_in_work".to_owned(), Action::TakeInWork),
        (
            "undo_collection_line_1".to_owned(),
            Action::UndoCollection { line: LineNo(1) },
        ),
    ]);
    list
}

fn same_slots_edit(order: &orderdesk_domain::OrderFacts) -> BookingEdit {
    let booking = order.booking.unwrap_or_else(common::booking_facts);
    BookingEdit {
        resource: booking.resource,
        slot_price: booking.slot_price,
        range: common::later_range(booking.range),
        payer: order.payer,
    }
}

fn cell(
    order: &orderdesk_domain::OrderFacts,
    action: &Action,
    actor: orderdesk_domain::Actor,
) -> String {
    match decide(order, action, actor) {
        Ok(effect) => {
            let mut s = String::from("ok");
            if let Some(status) = effect.status {
                write!(s, ">{}", status.id()).ok();
            }
            if effect.refund.is_positive() {
                write!(s, "+refund{}", effect.refund.kopecks() / 100).ok();
            }
            if effect.release_hold {
                s.push_str("+free");
            }
            if effect.take_hold {
                s.push_str("+take");
            }
            for n in &effect.notices {
                write!(s, "+{}@{:?}", n.event.id(), n.to).ok();
            }
            s
        }
        Err(refusal) => {
            let http = match refusal.kind() {
                orderdesk_domain::RefusalKind::Forbidden => 403,
                orderdesk_domain::RefusalKind::Conflict => 409,
                orderdesk_domain::RefusalKind::Invalid => 422,
            };
            format!("{http}:{}", refusal.code.id())
        }
    }
}

/// Renders the table; returns it with the number of cells.
fn render() -> (String, usize) {
    let mut out = String::new();
    let mut cells = 0;
    let actors = actors();
    writeln!(
        out,
        "# kind status funding action | {}",
        actors
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    )
    .ok();
    for kind in OrderKind::ALL {
        for status in Status::ALL.into_iter().filter(|s| s.applies_to(kind)) {
            for funding in Funding::for_kind(kind) {
                let order = fixture(kind, status, funding);
                for (name, action) in actions(&order) {
                    let row: Vec<String> = actors
                        .iter()
                        .map(|(_, actor)| cell(&order, &action, *actor))
                        .collect();
                    cells += row.len();
                    writeln!(
                        out,
                        "{} {} {} {} | {}",
                        kind.id(),
                        status.id(),
                        funding.id(),
                        name,
                        row.join(" | ")
                    )
                    .ok();
                }
            }
        }
    }
    (out, cells)
}

#[test]
fn every_rule_cell_matches_the_reviewed_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rule_matrix.txt");
    let (table, cells) = render();
    assert!(cells > 20_000, "the table lost rows: {cells} cells");
    if std::env::var_os("UPDATE_RULE_MATRIX").is_some() {
        std::fs::write(&path, &table).expect("write the rule table");
        return;
    }
    let reviewed = std::fs::read_to_string(&path).expect("tests/rule_matrix.txt is committed");
    let moved: Vec<String> = reviewed
        .lines()
        .zip(table.lines())
        .filter(|(a, b)| a != b)
        .take(20)
        .map(|(a, b)| format!("  was: {a}\n  now: {b}"))
        .collect();
    assert!(
        moved.is_empty() && reviewed.lines().count() == table.lines().count(),
        "{} rule cells changed (first {} rows shown); review and regenerate with UPDATE_RULE_MATRIX=1:\n{}",
        cells,
        moved.len(),
        moved.join("\n")
    );
}

#[test]
fn company_payer_keeps_payer_editable_and_individual_does_not() {
    let mut order = fixture(OrderKind::Booking, Status::Confirmed, Funding::Paid);
    let rental = common::actor("rental");
    let mut edit = same_slots_edit(&order);
    edit.payer = Payer::Company {
        payer_id: UserId(77),
    };
    assert_eq!(
        decide(&order, &Action::EditBooking(edit.clone()), rental).map_err(|r| r.code.id()),
        Err("payer_not_editable")
    );
    order.payer = Payer::Company {
        payer_id: UserId(70),
    };
    assert!(decide(&order, &Action::EditBooking(edit), rental).is_ok());
}
