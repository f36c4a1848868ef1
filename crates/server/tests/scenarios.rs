//! The source's scenarios, step by step, against a real server.

mod common;

use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn simple_request_goes_through_assign_work_return_and_confirmation() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "Уборка после встречи")).await;

    let order = service.order(number).await;
    assert_eq!(order["status"], "new");
    assert_eq!(order["executor"], serde_json::Value::Null);
    let (status, order) = service
        .post(
            &format!("/orders/{number}/assignee"),
            json!({"user_id": SERVICE2, "version": order["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["executor"]["name"], "Павел Чистов");

    for to in ["in_progress", "awaiting_confirmation"] {
        let (status, order) = service
            .post(&format!("/orders/{number}/status"), json!({"status": to}))
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
        assert_eq!(order["status"], to);
    }
    let mine = resident.order(number).await;
    assert_eq!(status_label(&mine), "Выполнен. Ожидает подтверждения");
    assert!(mine["allowed"]["confirm"].as_bool().expect("flag"));
    assert!(mine["allowed"]["return_to_work"].as_bool().expect("flag"));

    let (status, order) = resident
        .post(&format!("/orders/{number}/return"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["status"], "in_progress");
    // The executor is told the order came back.
    let exec = server.login("service2").await;
    let (_, notes) = exec.get("/notifications").await;
    assert!(notes
        .as_array()
        .expect("a list")
        .iter()
        .any(|n| n["order"] == number && n["event"] == "returned_to_work"));

    let (status, _) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "awaiting_confirmation"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, order) = resident
        .post(&format!("/orders/{number}/confirm"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["status"], "done");
    assert_eq!(status_label(&order), "Выполнен");
}

#[tokio::test]
async fn unanswered_request_is_closed_after_the_services_auto_close_time() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "Протереть окна")).await;
    let (status, _) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "awaiting_confirmation"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // «Уборка» closes after 24 hours: not a minute before.
    server.clock.advance(Duration::hours(23));
    server.tick().await;
    assert_eq!(
        service.order(number).await["status"],
        "awaiting_confirmation"
    );
    server.clock.advance(Duration::hours(1));
    server.tick().await;
    assert_eq!(service.order(number).await["status"], "done");
}

#[tokio::test]
async fn a_manager_never_sets_done_directly() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(PLUMBER, "Течет кран")).await;
    let (status, body) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "done"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code(&body), "done_by_requester_only");
}

#[tokio::test]
async fn booking_paid_edited_refused_on_slot_count_then_cancelled_and_refunded() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let rental = server.login("rental").await;
    let number = create(
        &resident,
        booking(PYTHON, FREE_DAY, &["15:00", "15:30", "16:00", "16:30"]),
    )
    .await;

    let order = resident.order(number).await;
    assert_eq!(order["payment"]["total"], 40_000, "4 slots × 100 ₽");
    // «В процессе оплаты»: the domain's payment state; the UI words it.
    assert_eq!(order["payment"]["awaiting_payment"], true);
    let (status, _) = pay(&resident, &order, None).await;
    assert_eq!(status, StatusCode::OK);
    let order = rental.order(number).await;
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["payment"]["paid"], 40_000);
    let (_, chat) = rental.get(&format!("/orders/{number}/messages")).await;
    assert!(chat["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .any(|m| m["text"] == "Поступила оплата через платёжный шлюз."));

    // Moved to the Java room, 18:00–20:00: the old slots are free, the new ones held.
    let (status, order) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": JAVA, "date": FREE_DAY, "slots": ["18:00", "18:30", "19:00", "19:30"],
            "payer_id": null, "comment": "Перенос по просьбе клиента", "version": order["version"]
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["booking"]["resource"]["name"], "Переговорная Java");
    assert_eq!(order["booking"]["start"], "18:00");
    assert_eq!(order["booking"]["end"], "20:00");
    the_move_frees_python_holds_java_and_tells_the_requester(&server, &rental, &resident, number)
        .await;

    // Paid for four slots: three are refused.
    let (status, body) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": JAVA, "date": FREE_DAY, "slots": ["18:00", "18:30", "19:00"], "payer_id": null, "comment": null
        }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&body), "paid_slot_count");

    let (status, order) = rental
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["status"], "cancelled_refund_pending");
    let (_, java) = rental
        .get(&format!("/resources/{JAVA}/availability?date={FREE_DAY}"))
        .await;
    assert_eq!(
        java["free"].as_array().expect("free").len(),
        32,
        "cancelling frees the slots"
    );
    server.clock.advance(Duration::minutes(5));
    let report = server.tick().await;
    // The demo's pending refunds complete in the same round.
    assert!(report.refunds_completed >= 1);
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refunded");
    assert_eq!(order["payment"]["refunded"], 40_000);
}

/// After the booking moved from Python 15:00 to Java 18:00: the slots, the
/// chat and the e-mail to the requester.
async fn the_move_frees_python_holds_java_and_tells_the_requester(
    server: &TestServer,
    rental: &Api,
    resident: &Api,
    number: i64,
) {
    let (_, python) = rental
        .get(&format!("/resources/{PYTHON}/availability?date={FREE_DAY}"))
        .await;
    assert!(python["free"]
        .as_array()
        .expect("free")
        .iter()
        .any(|s| s == "15:00"));
    let (_, java) = rental
        .get(&format!("/resources/{JAVA}/availability?date={FREE_DAY}"))
        .await;
    assert!(!java["free"]
        .as_array()
        .expect("free")
        .iter()
        .any(|s| s == "18:30"));
    let (_, chat) = resident.get(&format!("/orders/{number}/messages")).await;
    assert!(chat["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .any(|m| m["note"]["code"] == "booking_changed"
            && m["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Бронирование изменено: ") && t.contains(" → "))));
    let mut conn = server.state.storage().read().await.expect("conn");
    let emails = orderdesk_server::storage::outbox_emails(&mut conn)
        .await
        .expect("outbox");
    drop(conn);
    let email = emails.last().expect("an e-mail to the requester");
    assert_eq!(email.to_addr, "resident@orderdesk.example");
    assert!(email.body.contains(&format!("№{number}")), "{}", email.body);
    assert!(email.body.contains("Переговорная Java"), "{}", email.body);
    assert!(
        email.body.contains("01.03.2027 18:00–20:00"),
        "{}",
        email.body
    );
}

#[tokio::test]
async fn booking_lifecycle_follows_the_clock() {
    let server = TestServer::start().await;
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    // Today 10:00–11:00; the company pays later, the manager confirms.
    let today = "2026-11-27";
    let number = create(&company, booking(JAVA, today, &["10:00", "10:30"])).await;
    let order = rental.order(number).await;
    assert_eq!(order["payer"]["name"], "ООО Ромашка");
    let (status, body) = rental
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "confirmed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.clock.advance(Duration::hours(1));
    server.tick().await;
    assert_eq!(rental.order(number).await["status"], "active");
    server.clock.advance(Duration::hours(1));
    server.tick().await;
    assert_eq!(rental.order(number).await["status"], "finished");
}

#[tokio::test]
async fn coworking_and_hotel_partly_paid_are_completed_by_the_manager() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let rental = server.login("rental").await;
    let coworking = create(&resident, json!({
        "service_id": COWORKING,
        "details": {"kind": "coworking_booking", "resource_id": COWORKING_FLOOR, "date_from": "2027-03-01", "date_to": "2027-03-03"}
    })).await;
    let hotel = create(&resident, json!({
        "service_id": HOTEL,
        "visitor": {"name": "Петр Гостев", "phone": "+7 900 111-22-33"},
        "details": {"kind": "hotel_booking", "resource_id": HOTEL_UYUT, "check_in": "2027-03-01", "check_out": "2027-03-04",
            "adults": 2, "children": 1, "extras": [{"product_id": EARLY_CHECK_IN, "quantity": 1, "time": "08:00"}],
            "extras_separate_line": true}
    })).await;
    for (number, total) in [(coworking, 3 * 40_000), (hotel, 3 * 100_000 + 50_000)] {
        let order = resident.order(number).await;
        assert_eq!(order["payment"]["total"], total, "{order}");
        let (status, _) = pay(&resident, &order, Some(10_000)).await;
        assert_eq!(status, StatusCode::OK);
        let order = rental.order(number).await;
        assert!(order["payment"]["partly_paid"].as_bool().expect("flag"));
        assert!(order["allowed"]["record_payment"].as_bool().expect("flag"));
        let (status, order) = rental
            .post(
                &format!("/orders/{number}/payments"),
                json!({"amount": total - 10_000, "version": order["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
        assert_eq!(order["status"], "confirmed");
        assert_eq!(order["payment"]["outstanding"], 0);
    }
    let order = rental.order(hotel).await;
    assert_eq!(order["hotel"]["nights"], 3);
    assert_eq!(order["hotel"]["adults"], 2);
    assert_eq!(order["hotel"]["extras_separate_line"], true);
    assert_eq!(order["lines"][1]["name"], "Ранний заезд");
    assert_eq!(order["lines"][1]["time"], "08:00");
    assert_eq!(order["visitor"]["name"], "Петр Гостев");
    assert!(order["hotel"]["reservation_number"]
        .as_str()
        .expect("number")
        .starts_with("Н-"));
    assert!(rental.order(coworking).await["coworking"]["ticket_number"]
        .as_str()
        .expect("ticket")
        .starts_with("К-"));
}

#[tokio::test]
async fn shop_order_collected_with_a_missing_line_refunds_that_line() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let shop = server.login("shop").await;
    let number = create(&resident, json!({
        "service_id": SHOP,
        "details": {"kind": "nomenclature_sale", "items": [
            {"product_id": FIRST_GOOD, "quantity": 2}, {"product_id": FIRST_GOOD + 1, "quantity": 3}
        ]}
    })).await;
    let order = resident.order(number).await;
    let total = order["payment"]["total"].as_i64().expect("total");
    assert_eq!(total, 2 * 150_000 + 3 * 45_000);
    pay(&resident, &order, None).await;
    let (status, _) = shop
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "collecting"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = shop
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "ready_for_pickup"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "lines_not_collected")
    );
    let (status, _) = shop
        .post(
            &format!("/orders/{number}/items/1"),
            json!({"outcome": "collected"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, order) = shop
        .post(
            &format!("/orders/{number}/items/2"),
            json!({"outcome": "missing", "quantity": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["lines"][1]["total"], 45_000);
    assert_eq!(order["payment"]["total"], total - 2 * 45_000);
    let (status, order) = shop
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "ready_for_pickup"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let refund = order["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .find(|p| p["kind"] == "refund")
        .cloned()
        .expect("a refund");
    assert_eq!(refund["amount"], 2 * 45_000);
    server.clock.advance(Duration::minutes(5));
    server.tick().await;
    let order = resident.order(number).await;
    assert_eq!(order["payment"]["refunded"], 2 * 45_000);
    assert_eq!(order["status"], "ready_for_pickup");
    let (status, order) = shop
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "done"}),
        )
        .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (StatusCode::OK, Some("done"))
    );
}

#[tokio::test]
async fn cancellation_is_refused_from_a_cancelled_status() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(PLUMBER, "Не работает слив")).await;
    let (status, order) = service
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let version = order["version"].clone();
    let (status, body) = service
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "already_cancelled")
    );
    assert_eq!(service.order(number).await["version"], version);
}

#[tokio::test]
async fn cancelling_while_a_missing_line_refund_is_pending_refunds_the_paid_sum_once() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let shop = server.login("shop").await;
    let number = create(&resident, json!({
        "service_id": SHOP,
        "details": {"kind": "nomenclature_sale", "items": [{"product_id": FIRST_GOOD, "quantity": 2}]}
    })).await;
    let paid = 2 * 150_000;
    pay(&resident, &resident.order(number).await, None).await;
    shop.post(
        &format!("/orders/{number}/status"),
        json!({"status": "collecting"}),
    )
    .await;
    shop.post(
        &format!("/orders/{number}/items/1"),
        json!({"outcome": "missing", "quantity": 1}),
    )
    .await;
    let (status, _) = shop
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "ready_for_pickup"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, order) = shop
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (StatusCode::OK, Some("cancelled_refund_pending"))
    );
    let asked: i64 = order["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .filter(|p| p["kind"] == "refund")
        .filter_map(|p| p["amount"].as_i64())
        .sum();
    assert_eq!(asked, paid);
    server.clock.advance(Duration::minutes(5));
    server.tick().await;
    let order = resident.order(number).await;
    assert_eq!(order["status"], "cancelled_refunded");
    assert_eq!(order["payment"]["refunded"], paid);
}
