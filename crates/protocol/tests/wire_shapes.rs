//! The JSON shapes other programs rely on, pinned down.

use orderdesk_domain::{LineOutcome, Payer, Status, UserId};
use orderdesk_protocol::{
    AllowedActions, CollectLineRequest, ErrorBody, ErrorCode, MutationId, MutationOp,
    MutationOutcome, MutationResult, NewOrderDetails, PayerInfo, StatusRequest,
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
fn the_payer_is_a_typed_kind_in_the_same_json_as_before() {
    let company = PayerInfo {
        payer: Payer::Company {
            payer_id: UserId(7),
        },
        name: "ООО Ромашка".into(),
    };
    assert_eq!(
        serde_json::to_value(&company).expect("json"),
        json!({"kind": "company", "payer_id": 7, "name": "ООО Ромашка"})
    );
    let cached: PayerInfo = serde_json::from_value(
        json!({"kind": "individual", "payer_id": null, "name": "Физическое лицо"}),
    )
    .expect("a payer cached before the change");
    assert_eq!(cached.payer, Payer::Individual);
}

#[test]
fn queued_actions_carry_the_domain_names_and_old_outboxes_still_read() {
    let assign = MutationOp::AssignExecutor { user_id: None };
    assert_eq!(
        serde_json::to_value(&assign).expect("json"),
        json!({"op": "assign_executor", "user_id": null})
    );
    assert_eq!(
        serde_json::to_value(MutationOp::ReturnToWork).expect("json"),
        json!({"op": "return_to_work"})
    );
    let old: MutationOp =
        serde_json::from_value(json!({"op": "assign", "user_id": 3})).expect("old assign");
    assert_eq!(
        old,
        MutationOp::AssignExecutor {
            user_id: Some(UserId(3))
        }
    );
    let old: MutationOp = serde_json::from_value(json!({"op": "return"})).expect("old return");
    assert_eq!(old, MutationOp::ReturnToWork);
    let allowed: AllowedActions = serde_json::from_value(
        json!({"status_targets": [], "assign": true, "change_deadlines": false,
            "edit_booking": false, "record_payment": false, "cancel": false, "confirm": false,
            "return_to_work": false, "collect_lines": false, "post_public": false,
            "read_internal": false, "post_internal": false}),
    )
    .expect("allowed actions cached before the rename");
    assert!(allowed.assign_executor);
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

#[test]
fn a_system_message_carries_its_note_beside_its_text_and_old_ones_still_read() {
    let old = json!({
        "id": 5, "visibility": "public", "system": true, "author_id": null, "author_name": null,
        "text": "Бронирование изменено.", "created_at": "2026-11-20T09:12:00+03:00"
    });
    let message: orderdesk_protocol::ChatMessage =
        serde_json::from_value(old.clone()).expect("an old message");
    assert_eq!(message.note, None);
    assert_eq!(serde_json::to_value(&message).expect("json"), old);

    let mut new = old;
    new["note"] = json!({"code": "status_changed", "from": "new", "to": "in_progress"});
    let message: orderdesk_protocol::ChatMessage =
        serde_json::from_value(new).expect("a message with a note");
    assert_eq!(
        message.note,
        Some(orderdesk_domain::SystemNote::StatusChanged {
            from: Some(Status::New),
            to: Status::InProgress
        })
    );
}

#[test]
fn the_new_order_actions_queue_by_name() {
    assert_eq!(
        serde_json::to_value(MutationOp::TakeInWork).expect("json"),
        json!({"op": "take_in_work"})
    );
    assert_eq!(
        serde_json::to_value(MutationOp::UndoCollection {
            line: orderdesk_domain::LineNo(2)
        })
        .expect("json"),
        json!({"op": "undo_collection", "line": 2})
    );
    // Caches written before these fields read them as absent.
    let allowed: AllowedActions = serde_json::from_value(json!({
        "status_targets": [], "assign_executor": true, "change_deadlines": true,
        "edit_booking": false, "record_payment": false, "cancel": true, "confirm": false,
        "return_to_work": false, "collect_lines": false, "post_public": true,
        "read_internal": true, "post_internal": true
    }))
    .expect("an old cache's actions");
    assert!(!allowed.take_in_work && !allowed.undo_collection);
}

#[test]
fn a_push_subscription_reads_as_the_browser_writes_it() {
    let browser = json!({
        "endpoint": "https://push.example.net/send/abc",
        "expirationTime": null,
        "keys": {"p256dh": "BCVx", "auth": "BTBZ"}
    });
    let sub: orderdesk_protocol::PushSubscription =
        serde_json::from_value(browser).expect("a subscription");
    assert_eq!(sub.endpoint, "https://push.example.net/send/abc");
    assert_eq!(sub.expiration_time, None);
    assert_eq!(sub.keys.p256dh, "BCVx");
    assert_eq!(sub.keys.auth, "BTBZ");
    let lapsing: orderdesk_protocol::PushSubscription = serde_json::from_value(json!({
        "endpoint": "https://push.example.net/send/abc",
        "expirationTime": 1_800_000_000_000.0_f64,
        "keys": {"p256dh": "BCVx", "auth": "BTBZ"}
    }))
    .expect("with a lapse time");
    assert_eq!(lapsing.expiration_time, Some(1_800_000_000_000.0));
}

#[test]
fn a_push_message_carries_the_notice_key_as_its_tag() {
    let message = orderdesk_protocol::PushMessage {
        title: "Новый заказ".into(),
        body: "Заказ №7: Уборка".into(),
        tag: "notice:12".into(),
        order: orderdesk_domain::OrderNumber(7),
    };
    assert_eq!(
        serde_json::to_value(message).expect("json"),
        json!({"title": "Новый заказ", "body": "Заказ №7: Уборка", "tag": "notice:12", "order": 7})
    );
}
