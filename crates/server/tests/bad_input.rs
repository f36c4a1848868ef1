//! Bad input gets the right 4xx with a JSON code, and changes nothing.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn new_request(server: &TestServer) -> (Api, i64) {
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Уборка")).await;
    (server.login("service").await, number)
}

#[tokio::test]
async fn malformed_json_and_wrong_shapes_are_refused_with_codes() {
    let server = TestServer::start().await;
    let (service, number) = new_request(&server).await;
    let changes = server.count("changes").await;
    let path = format!("/orders/{number}/status");
    let (status, body) = service.post_raw(&path, b"{\"status\": ".to_vec()).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let (status, body) = service.post(&path, json!({"status": "closed"})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    let (status, body) = service.post(&path, json!({"state": "in_progress"})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    let (status, body) = service.get("/orders?status=closed").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_status")
    );
    assert_eq!(server.count("changes").await, changes);
}

#[tokio::test]
async fn slots_off_the_grid_are_refused() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let orders = server.count("orders").await;
    for (slots, expected) in [
        (vec!["07:30"], "slot_outside_hours"),
        (vec!["15:15"], "slot_misaligned"),
        (vec!["15:00", "16:00"], "slots_not_contiguous"),
        (vec![], "no_slots"),
        (vec!["noon"], "slot_unreadable"),
    ] {
        let (status, body) = resident
            .post("/orders", booking(PYTHON, FREE_DAY, &slots))
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{slots:?}"
        );
    }
    let (status, body) = resident
        .post("/orders", booking(PYTHON, "2026-11-26", &["15:00"]))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "slot_in_past")
    );
    assert_eq!(server.count("orders").await, orders);
    let (status, body) = resident
        .get(&format!("/resources/{PYTHON}/availability?date=tomorrow"))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_query")
    );
}

#[tokio::test]
async fn zero_or_negative_payments_are_refused() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let rental = server.login("rental").await;
    let number = create(&resident, json!({
        "service_id": COWORKING,
        "details": {"kind": "coworking_booking", "resource_id": COWORKING_FLOOR, "date_from": "2027-03-01", "date_to": "2027-03-01"}
    })).await;
    pay(&resident, &resident.order(number).await, Some(10_000)).await;
    let before = rental.order(number).await;
    for amount in [0, -100] {
        let (status, body) = rental
            .post(
                &format!("/orders/{number}/payments"),
                json!({"amount": amount}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_amount")
        );
    }
    let (status, body) = rental
        .post(
            &format!("/orders/{number}/payments"),
            json!({"amount": 1_000_000}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "overpayment")
    );
    let after = rental.order(number).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["payment"], before["payment"]);
}

#[tokio::test]
async fn unknown_orders_and_paths_are_404() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    for path in [
        "/orders/999999",
        "/orders/abc",
        "/orders/999999/messages",
        "/no/such/path",
    ] {
        let (status, body) = service.get(path).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let (status, body) = service.post("/orders/999999/cancel", json!({})).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn an_oversized_body_is_413_and_changes_nothing() {
    let server = TestServer::start().await;
    let (service, number) = new_request(&server).await;
    let messages = server.count("messages").await;
    let text = "я".repeat(100_000);
    let (status, body) = service
        .post(
            &format!("/orders/{number}/messages"),
            json!({"text": text, "visibility": "public"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
    );
    assert_eq!(server.count("messages").await, messages);
}
