//! The OpenAPI document and the demo data.

mod common;

use common::*;
use reqwest::StatusCode;
use std::collections::HashSet;

#[tokio::test]
async fn openapi_covers_every_endpoint() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/orders",
        "/api/v1/orders/{number}",
        "/api/v1/orders/{number}/assignee",
        "/api/v1/orders/{number}/status",
        "/api/v1/orders/{number}/deadlines",
        "/api/v1/orders/{number}/confirm",
        "/api/v1/orders/{number}/return",
        "/api/v1/orders/{number}/booking",
        "/api/v1/resources/{id}/availability",
        "/api/v1/orders/{number}/payments",
        "/api/v1/orders/{number}/cancel",
        "/api/v1/orders/{number}/items/{line}",
        "/api/v1/orders/{number}/messages",
        "/api/v1/openapi.json",
        "/api/v1/payments/webhook",
        "/api/v1/orders/{number}/take",
        "/api/v1/orders/{number}/items/{line}/undo",
        "/api/v1/admin/services/{id}/replies",
    ] {
        assert!(paths.contains_key(path), "{path} is missing");
    }
    assert!(doc["components"]["schemas"]["OrderDetail"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    for schema in ["SystemNote", "HistoryEntry", "StatusHint", "CannedReplies"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} is missing"
        );
    }
}

#[tokio::test]
async fn the_demo_has_every_kind_in_every_status_with_chats_and_payments() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let mut seen = HashSet::new();
    let mut page = 1;
    loop {
        let (_, body) = admin
            .get(&format!("/orders?per_page=100&page={page}"))
            .await;
        let items = body["items"].as_array().expect("items");
        if items.is_empty() {
            break;
        }
        for o in items {
            seen.insert((
                o["kind"].as_str().unwrap_or("").to_owned(),
                o["status"].as_str().unwrap_or("").to_owned(),
            ));
        }
        page += 1;
    }
    assert!(seen.len() >= 36, "kinds × statuses seen: {}", seen.len());
    for kind in [
        "simple_request",
        "premises_request",
        "booking",
        "coworking_booking",
        "hotel_booking",
        "nomenclature_sale",
    ] {
        assert!(seen.iter().any(|(k, s)| k == kind && s == "new"), "{kind}");
    }
    assert!(server.count("orders").await >= 300);
    assert!(server.count("payments").await > 50);
    assert!(server.count("messages").await > 300);
    let (_, catalog) = admin.get("/catalog").await;
    let names: Vec<&str> = catalog["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Переговорная Python",
            "Переговорная Java",
            "Коворкинг на 2 этаже",
            "Отель «УЮТ»"
        ]
    );
    assert_eq!(catalog["resources"][0]["unit_price"], 10_000);
    assert_eq!(catalog["resources"][3]["unit_price"], 100_000);
    let goods = catalog["products"]
        .as_array()
        .expect("products")
        .iter()
        .filter(|p| p["service_id"] == SHOP)
        .count();
    assert_eq!(goods, 12);
    for login in [
        "admin", "service", "service2", "rental", "shop", "resident", "company",
    ] {
        server.login(login).await;
    }
}

#[tokio::test]
async fn demo_numbers_follow_creation_so_the_newest_number_is_the_newest_order() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let mut rows: Vec<(i64, String)> = Vec::new();
    for page in 1..=10 {
        let (_, body) = admin
            .get(&format!("/orders?per_page=100&page={page}"))
            .await;
        for o in body["items"].as_array().expect("items") {
            let number = o["number"].as_i64().expect("number");
            let created = o["created_at"].as_str().expect("created_at");
            let created = chrono::DateTime::parse_from_rfc3339(created).expect("RFC 3339");
            rows.push((number, created.to_utc().to_rfc3339()));
        }
    }
    assert!(rows.len() >= 300, "{} orders", rows.len());
    // The list comes newest number first, and so newest creation first.
    assert!(rows.windows(2).all(|w| w[0].0 > w[1].0));
    assert!(
        rows.windows(2).all(|w| w[0].1 >= w[1].1),
        "a newer number was created earlier"
    );
    let first = rows.last().map(|r| r.0);
    assert_eq!(first, Some(1001));
}

#[tokio::test]
async fn a_signed_webhook_pays_an_order_once_and_a_bad_signature_is_refused() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, booking(PYTHON, FREE_DAY, &["10:00"])).await;
    let event = serde_json::json!({"event_id": "evt-1", "kind": "payment_succeeded", "order": number, "amount": 10_000, "refund_id": null});
    let raw = serde_json::to_vec(&event).expect("json");
    let anonymous = server.anonymous();
    let bad = anonymous
        .send(
            anonymous
                .http
                .post(format!("{}/payments/webhook", server.base))
                .header("X-Orderdesk-Signature", "00")
                .body(raw.clone()),
        )
        .await;
    assert_eq!(
        (bad.0, code(&bad.1)),
        (StatusCode::UNAUTHORIZED, "bad_signature")
    );
    let sig = orderdesk_server::payments::sign("test-secret", &raw);
    for _ in 0..2 {
        let (status, _) = anonymous
            .send(
                anonymous
                    .http
                    .post(format!("{}/payments/webhook", server.base))
                    .header("X-Orderdesk-Signature", sig.clone())
                    .body(raw.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let order = resident.order(number).await;
    assert_eq!(order["payment"]["paid"], 10_000);
    assert_eq!(order["status"], "confirmed");
}
