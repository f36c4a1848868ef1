//! Who may do what: every refused action is 403 and changes nothing.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn no_token_or_a_bad_token_is_401() {
    let server = TestServer::start().await;
    let anonymous = server.anonymous();
    for path in ["/me", "/orders", "/orders/1001", "/catalog"] {
        let (status, body) = anonymous.get(path).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "{path}"
        );
    }
    let mut forged = server.anonymous();
    forged.token = Some("not-a-token".to_owned());
    let (status, body) = forged.post("/orders/1001/cancel", json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, body) = anonymous
        .post(
            "/auth/login",
            json!({"login": "service", "password": "wrong"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
}

#[tokio::test]
async fn logout_ends_the_token() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let (status, _) = service.post("/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = service.get("/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Every manager-only or requester-only action tried by the wrong role.
async fn refused_everywhere(api: &Api, number: i64, expect_code: &[&str]) {
    let attempts: Vec<(&str, Value)> = vec![
        ("assignee", json!({"user_id": null})),
        ("status", json!({"status": "in_progress"})),
        (
            "deadlines",
            json!({"first_response_due": null, "completion_due": null}),
        ),
        ("confirm", json!({})),
        ("return", json!({})),
        ("cancel", json!({})),
        ("payments", json!({"amount": 100})),
        ("items/1", json!({"outcome": "collected"})),
    ];
    for (action, body) in attempts {
        let (status, answer) = api.post(&format!("/orders/{number}/{action}"), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}: {answer}");
        assert!(expect_code.contains(&code(&answer)), "{action}: {answer}");
    }
}

#[tokio::test]
async fn roles_outside_an_order_get_403_and_change_nothing() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(PLUMBER, "Течет кран")).await;
    let before = server.login("admin").await.order(number).await;
    let changes = server.count("changes").await;

    // Other managers' roles do not cover requests; service2 is not responsible
    // for «Вызов сантехника»; the other requester does not own it.
    for login in ["rental", "shop", "service2", "company"] {
        let api = server.login(login).await;
        let (status, body) = api.get(&format!("/orders/{number}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}: {body}");
        refused_everywhere(
            &api,
            number,
            &["role_not_allowed", "not_responsible", "not_owner"],
        )
        .await;
    }
    // The manager may not confirm or return: those are the requester's.
    let service = server.login("service").await;
    for action in ["confirm", "return"] {
        let (status, body) = service
            .post(&format!("/orders/{number}/{action}"), json!({}))
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "requester_only")
        );
    }
    // The requester may not process.
    for (action, body) in [
        ("status", json!({"status": "in_progress"})),
        ("assignee", json!({"user_id": SERVICE})),
    ] {
        let (status, answer) = resident
            .post(&format!("/orders/{number}/{action}"), body)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    }
    let after = server.login("admin").await.order(number).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["status"], "new");
    assert_eq!(server.count("changes").await, changes);
}

#[tokio::test]
async fn a_manager_outside_the_responsible_list_sees_nothing_of_it() {
    let server = TestServer::start().await;
    let service2 = server.login("service2").await;
    let (status, page) = service2.get("/orders?per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|o| o["service"]["name"] == "Уборка"),
        "{page}"
    );
    let rental = server.login("rental").await;
    let (_, page) = rental.get("/orders?per_page=100").await;
    assert!(page["items"].as_array().expect("items").iter().all(|o| {
        ["booking", "coworking_booking", "hotel_booking"]
            .contains(&o["kind"].as_str().unwrap_or(""))
    }));
    let resident = server.login("resident").await;
    let (_, page) = resident.get("/orders?per_page=100").await;
    assert!(page["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|o| o["requester_name"] == "Иван Резидентов"));
}

#[tokio::test]
async fn a_requester_never_sees_internal_messages() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "Вынести коробки")).await;
    let (status, _) = service
        .post(
            &format!("/orders/{number}/messages"),
            json!({"text": "Только для своих", "visibility": "internal"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = service
        .post(
            &format!("/orders/{number}/messages"),
            json!({"text": "Приняли в работу", "visibility": "public"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, manager_chat) = service.get(&format!("/orders/{number}/messages")).await;
    assert_eq!(
        manager_chat["messages"].as_array().expect("messages").len(),
        2
    );
    let (_, chat) = resident.get(&format!("/orders/{number}/messages")).await;
    let messages = chat["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert!(messages.iter().all(|m| m["visibility"] == "public"));
    let (status, body) = resident
        .post(
            &format!("/orders/{number}/messages"),
            json!({"text": "А мне можно?", "visibility": "internal"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "internal_chat_for_managers")
    );
    // Nor in the demo's chats, anywhere.
    let (_, page) = resident.get("/orders?per_page=100").await;
    for order in page["items"].as_array().expect("items") {
        let (_, chat) = resident
            .get(&format!("/orders/{}/messages", order["number"]))
            .await;
        assert!(chat["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .all(|m| m["visibility"] == "public"));
    }
}

#[tokio::test]
async fn bookings_and_shop_orders_refuse_managers_of_other_kinds() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let room = create(&resident, booking(JAVA, FREE_DAY, &["09:00"])).await;
    let sale = create(&resident, json!({
        "service_id": SHOP,
        "details": {"kind": "nomenclature_sale", "items": [{"product_id": FIRST_GOOD, "quantity": 1}]}
    })).await;
    let changes = server.count("changes").await;
    for (number, outsiders) in [(room, ["service", "shop"]), (sale, ["service", "rental"])] {
        for login in outsiders {
            let api = server.login(login).await;
            refused_everywhere(
                &api,
                number,
                &["role_not_allowed", "not_responsible", "requester_only"],
            )
            .await;
            let (status, body) = api
                .patch(&format!("/orders/{number}/booking"), json!({"resource_id": PYTHON, "date": FREE_DAY, "slots": ["10:00"], "payer_id": null, "comment": null}))
                .await;
            assert!(
                matches!(
                    status,
                    StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{login}: {body}"
            );
        }
    }
    // A requester may not move their own booking: that is the rental manager's.
    let (status, body) = resident
        .patch(&format!("/orders/{room}/booking"), json!({"resource_id": JAVA, "date": FREE_DAY, "slots": ["10:00"], "payer_id": null, "comment": null}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    assert_eq!(server.count("changes").await, changes);
    let (_, day) = resident
        .get(&format!("/resources/{JAVA}/availability?date={FREE_DAY}"))
        .await;
    assert!(!day["free"]
        .as_array()
        .expect("free")
        .iter()
        .any(|s| s == "09:00"));
}

#[tokio::test]
async fn managers_may_not_create_orders() {
    let server = TestServer::start().await;
    let orders = server.count("orders").await;
    for login in ["service", "rental", "shop", "admin"] {
        let api = server.login(login).await;
        let (status, body) = api
            .post("/orders", simple_request(CLEANING, "Нельзя"))
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "role_not_allowed"),
            "{login}"
        );
    }
    assert_eq!(server.count("orders").await, orders);
}
