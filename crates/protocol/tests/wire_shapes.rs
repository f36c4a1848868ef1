//! The JSON shapes other programs rely on, pinned down.

use orderdesk_domain::{LineOutcome, Status};
use orderdesk_protocol::{
    CollectLineRequest, ErrorBody, ErrorCode, MutationId, MutationOutcome, MutationResult,
    NewOrderDetails, StatusRequest,
};
use serde_json::json;

#[test]
fn error_body_is_nested_code_and_message() {
    let body = serde_json::to_value(ErrorBody::new(ErrorCode::SlotTaken, "Слот уже занят."))
        .expect("json");
    assert_eq!(
        body,
        json!({"error": {"code": "slot_taken", "message": "Слот уже занят."}})
    );
}

#[test]
fn collect_line_reads_a_flat_outcome() {
    let missing: CollectLineRequest =
        serde_json::from_value(json!({"outcome": "missing", "quantity": 2, "version": 3}))
            .expect("missing");
    assert_eq!(missing.outcome, LineOutcome::Missing { quantity: 2 });
    assert_eq!(missing.version, Some(3));
    let collected: CollectLineRequest =
        serde_json::from_value(json!({"outcome": "collected"})).expect("collected");
    assert_eq!(collected.outcome, LineOutcome::Collected);
}

#[test]
fn an_unknown_status_is_refused_by_the_parser() {
    let bad = serde_json::from_value::<StatusRequest>(json!({"status": "closed"}));
    assert!(bad.is_err());
    let good: StatusRequest =
        serde_json::from_value(json!({"status": "in_progress"})).expect("status");
    assert_eq!(good.status, Status::InProgress);
}

#[test]
fn push_results_are_flat_and_tagged() {
    let applied = MutationResult {
        client_id: MutationId("m-1".into()),
        outcome: MutationOutcome::Applied { version: 7 },
    };
    assert_eq!(
        serde_json::to_value(&applied).expect("json"),
        json!({"client_id": "m-1", "result": "applied", "version": 7})
    );
}

#[test]
fn new_order_details_are_tagged_by_kind() {
    let booking: NewOrderDetails = serde_json::from_value(json!({
        "kind": "booking", "resource_id": 1, "date": "2026-11-27", "slots": ["15:00", "15:30"]
    }))
    .expect("booking");
    assert!(matches!(booking, NewOrderDetails::Booking { .. }));
}

#[test]
fn push_refusals_carry_the_shared_code() {
    let refused = MutationResult {
        client_id: MutationId("m-2".into()),
        outcome: MutationOutcome::Refused {
            code: ErrorCode::StaleVersion,
            message: "Заказ уже изменили.".into(),
        },
    };
    let json = serde_json::to_value(&refused).expect("json");
    assert_eq!(
        json,
        json!({"client_id": "m-2", "result": "refused", "code": "stale_version", "message": "Заказ уже изменили."})
    );
    let back: MutationResult = serde_json::from_value(json).expect("read");
    assert_eq!(back, refused);
}
