//! The clock letting an unpaid booking go, and money that arrives after an
//! order was cancelled: recorded, then given back by the provider.

mod common;

use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn free_slots(availability: &Value) -> usize {
    availability["free"].as_array().expect("free").len()
}

#[tokio::test]
async fn an_unpaid_booking_is_cancelled_when_its_time_comes_and_lets_its_slots_go() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    // Booked ahead for FREE_DAY: a resident's unpaid 10:00 booking, a
    // company's 11:00 one, a paid 12:00 one and an unpaid coworking desk.
    let day = FREE_DAY;
    let unpaid = create(&resident, booking(PYTHON, day, &["10:00", "10:30"])).await;
    let companys = create(&company, booking(PYTHON, day, &["11:00"])).await;
    let paid = create(&resident, booking(PYTHON, day, &["12:00"])).await;
    let (status, body) = pay(&resident, &resident.order(paid).await, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, desk) = resident
        .post(
            "/orders",
            json!({"service_id": COWORKING, "details": {"kind": "coworking_booking",
                "resource_id": COWORKING_FLOOR, "date_from": day, "date_to": day}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{desk}");
    let desk = desk["number"].as_i64().expect("number");
    let availability = format!("/resources/{PYTHON}/availability?date={day}");
    let before = free_slots(&rental.get(&availability).await.1);
    let desks_held = server.count("capacity_holds").await;

    // 09:00 that day: the desk's day has begun, the room's hour not yet.
    server.clock.set(
        chrono::DateTime::parse_from_rfc3339("2027-03-01T09:00:00+03:00")
            .expect("an instant")
            .to_utc(),
    );
    // Months later, so everyone signs in again.
    let (resident, rental) = (server.login("resident").await, server.login("rental").await);
    server.tick().await;
    assert_eq!(rental.order(unpaid).await["status"], "new", "not yet");
    assert_eq!(rental.order(desk).await["status"], "cancelled");
    assert!(
        server.count("capacity_holds").await < desks_held,
        "the desk is free"
    );
    let notifications = server.count("notifications").await;

    server.clock.advance(Duration::hours(1));
    server.tick().await;
    let order = resident.order(unpaid).await;
    assert_eq!(order["status"], "cancelled");
    assert_eq!(
        free_slots(&rental.get(&availability).await.1),
        before + 2,
        "the two slots are free again"
    );
    assert!(
        server.count("notifications").await > notifications,
        "the requester is told"
    );
    let (_, chat) = resident.get(&format!("/orders/{unpaid}/messages")).await;
    assert!(chat["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .any(|m| m["text"] == "Статус изменен: «Новый» → «Отменен»."));
    // The company's booking waits for the manager; the paid one goes on.
    server.clock.advance(Duration::hours(2));
    server.tick().await;
    assert_eq!(rental.order(companys).await["status"], "new");
    assert_eq!(rental.order(paid).await["status"], "active");
}

#[tokio::test]
async fn a_payment_on_a_cancelled_order_is_recorded_and_refunded_by_the_sandbox() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, booking(PYTHON, FREE_DAY, &["10:00"])).await;
    // The payment page was open before the order was withdrawn.
    let card = resident.order(number).await;
    let (status, cancelled) = resident
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");

    let (status, body) = pay(&resident, &card, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refund_pending");
    assert_eq!(order["payment"]["paid"], 10_000);
    let payments = order["payments"].as_array().expect("payments");
    assert!(payments
        .iter()
        .any(|p| p["kind"] == "payment" && p["amount"] == 10_000));
    assert!(payments
        .iter()
        .any(|p| p["kind"] == "refund" && p["status"] == "pending" && p["amount"] == 10_000));
    let (_, chat) = resident.get(&format!("/orders/{number}/messages")).await;
    assert!(chat["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .any(|m| m["text"] == "Поступила оплата через платёжный шлюз."));

    server.clock.advance(Duration::minutes(5));
    server.tick().await;
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refunded");
    assert_eq!(order["payment"]["refunded"], 10_000);
}

#[tokio::test]
async fn a_signed_webhook_payment_on_a_cancelled_order_is_refunded() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, booking(JAVA, FREE_DAY, &["15:00", "15:30"])).await;
    let (status, _) = resident
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let event = json!({"event_id": "late-1", "kind": "payment_succeeded", "order": number,
        "amount": 20_000, "refund_id": null});
    let raw = serde_json::to_vec(&event).expect("json");
    let sig = orderdesk_server::payments::sign("test-secret", &raw);
    let anonymous = server.anonymous();
    for _ in 0..2 {
        let (status, body) = anonymous
            .send(
                anonymous
                    .http
                    .post(format!("{}/payments/webhook", server.base))
                    .header("X-Orderdesk-Signature", sig.clone())
                    .body(raw.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refund_pending");
    assert_eq!(
        order["payment"]["paid"], 20_000,
        "a repeat pays nothing more"
    );
    let refunds: Vec<_> = order["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .filter(|p| p["kind"] == "refund")
        .cloned()
        .collect();
    assert_eq!(refunds.len(), 1);
    let refund_id = refunds[0]["id"].as_i64().expect("id");
    // A real provider reports the refund done through the webhook.
    let done = json!({"event_id": "late-2", "kind": "refund_succeeded", "order": number,
        "amount": 20_000, "refund_id": refund_id});
    let raw = serde_json::to_vec(&done).expect("json");
    let sig = orderdesk_server::payments::sign("test-secret", &raw);
    let (status, _) = anonymous
        .send(
            anonymous
                .http
                .post(format!("{}/payments/webhook", server.base))
                .header("X-Orderdesk-Signature", sig)
                .body(raw),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refunded");
    assert_eq!(order["payment"]["refunded"], 20_000);
}
