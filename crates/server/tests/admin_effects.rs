//! What an administrator's changes do to orders, seen from outside: a new
//! service's order reaches its new manager (list, notification, pull); a
//! manager taken off the list loses its orders at the next pull and gets
//! 403 on them; a new auto-close time counts from when an order started
//! waiting; a new room price applies to new bookings only.

mod common;

use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Every page of a pull after `cursor`: the orders' and tombstones'
/// numbers, and the cursor reached.
async fn pull(api: &Api, mut cursor: i64) -> (Vec<i64>, Vec<i64>, i64) {
    let (mut orders, mut tombstones) = (Vec::new(), Vec::new());
    loop {
        let (status, page) = api
            .get(&format!("/sync/pull?cursor={cursor}&limit=1000"))
            .await;
        assert_eq!(status, StatusCode::OK, "pull: {page}");
        let numbers = |list: &str| -> Vec<i64> {
            page[list]
                .as_array()
                .map(|items| items.iter().filter_map(|i| i["number"].as_i64()).collect())
                .unwrap_or_default()
        };
        orders.extend(numbers("orders"));
        tombstones.extend(numbers("tombstones"));
        cursor = page["next_cursor"].as_i64().expect("a cursor");
        if page["has_more"] != json!(true) {
            return (orders, tombstones, cursor);
        }
    }
}

/// Creates a service manager `login` (password `password1`) and a request
/// service with them responsible; the manager's id and the service.
async fn manager_and_service(admin: &Api, login: &str, auto_close: i64) -> (i64, Value) {
    let (status, manager) = admin
        .post(
            "/admin/users",
            json!({"login": login, "name": "Иван Курьеров",
            "role": "service_manager", "password": "password1", "phone": "+7 900 111-22-33"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{manager}");
    let id = manager["id"].as_i64().expect("an id");
    let (status, service) = admin
        .post(
            "/admin/services",
            json!({"name": "Курьерская доставка", "kind": "simple_request",
            "auto_close_minutes": auto_close, "responsible": [id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{service}");
    (id, service)
}

async fn sign_in(server: &TestServer, login: &str, password: &str) -> Api {
    let mut api = server.anonymous();
    let (status, body) = api
        .post("/auth/login", json!({"login": login, "password": password}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.token = Some(body["token"].as_str().expect("a token").to_owned());
    api
}

#[tokio::test]
async fn a_manager_taken_off_a_service_loses_its_orders_at_the_next_pull_and_gets_403() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let (manager_id, service) = manager_and_service(&admin, "ivan", 60).await;
    let service_id = service["id"].as_i64().expect("an id");
    let manager = sign_in(&server, "ivan", "password1").await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(service_id, "Отвезти документы")).await;

    let (_, page) = manager.get("/orders").await;
    assert_eq!(
        page["items"][0]["number"],
        json!(number),
        "in the new manager's list: {page}"
    );
    let (_, notices) = manager.get("/notifications").await;
    assert!(
        notices
            .as_array()
            .expect("notices")
            .iter()
            .any(|n| n["order"] == json!(number) && n["event"] == json!("order_created")),
        "{notices}"
    );
    let (orders, _, cursor) = pull(&manager, 0).await;
    assert_eq!(
        orders,
        vec![number],
        "the manager's cache gets exactly the service's order"
    );

    let edit = json!({"version": service["version"], "name": "Курьерская доставка", "kind": "simple_request",
        "auto_close_minutes": 60, "responsible": [], "active": true});
    let (status, updated) = admin
        .put(&format!("/admin/services/{service_id}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (orders, tombstones, cursor) = pull(&manager, cursor).await;
    assert!(orders.is_empty(), "{orders:?}");
    assert_eq!(tombstones, vec![number], "the order leaves the cache");
    let (status, refused) = manager.get(&format!("/orders/{number}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, _) = manager
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let edit = json!({"version": updated["version"], "name": "Курьерская доставка", "kind": "simple_request",
        "auto_close_minutes": 60, "responsible": [manager_id], "active": true});
    let (status, _) = admin
        .put(&format!("/admin/services/{service_id}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (orders, _, _) = pull(&manager, cursor).await;
    assert_eq!(
        orders,
        vec![number],
        "adding the manager back brings the order in"
    );
    assert_eq!(
        manager.get(&format!("/orders/{number}")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_new_auto_close_time_counts_from_when_the_order_started_waiting() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let (_, service) = manager_and_service(&admin, "ivan", 24 * 60).await;
    let service_id = service["id"].as_i64().expect("an id");
    let manager = sign_in(&server, "ivan", "password1").await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(service_id, "Отвезти документы")).await;
    for to in ["in_progress", "awaiting_confirmation"] {
        let (status, order) = manager
            .post(&format!("/orders/{number}/status"), json!({"status": to}))
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
    }
    server.clock.advance(Duration::minutes(10));
    server.tick().await;
    assert_eq!(
        manager.order(number).await["status"],
        "awaiting_confirmation"
    );
    // Ten minutes have passed since it started waiting: a 5-minute
    // auto-close is overdue at once, a 15-minute one five minutes later.
    let edit = json!({"version": service["version"], "name": "Курьерская доставка", "kind": "simple_request",
        "auto_close_minutes": 15, "responsible": service["responsible"], "active": true});
    let (status, _) = admin
        .put(&format!("/admin/services/{service_id}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK);
    server.clock.advance(Duration::minutes(4));
    server.tick().await;
    assert_eq!(
        manager.order(number).await["status"],
        "awaiting_confirmation",
        "not before 15 minutes"
    );
    server.clock.advance(Duration::minutes(2));
    server.tick().await;
    assert_eq!(status_label(&manager.order(number).await), "Выполнен");
}

#[tokio::test]
async fn a_new_meeting_room_price_applies_to_new_bookings_only() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let resident = server.login("resident").await;
    let before = create(&resident, booking(PYTHON, FREE_DAY, &["10:00", "10:30"])).await;
    let total_before = resident.order(before).await["payment"]["total"].clone();
    let (_, room) = admin.get(&format!("/admin/objects/{PYTHON}")).await;
    let edit = json!({"version": room["version"], "name": room["name"], "unit_price": 25000,
        "capacity": 1, "active": true, "hours": {"first_slot": "09:00", "last_slot": "20:30"}});
    let (status, updated) = admin.put(&format!("/admin/objects/{PYTHON}"), edit).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        resident.order(before).await["payment"]["total"],
        total_before,
        "the old booking keeps its price"
    );
    let after = create(&resident, booking(PYTHON, FREE_DAY, &["12:00", "12:30"])).await;
    assert_eq!(
        resident.order(after).await["payment"]["total"],
        json!(50000),
        "two slots at 250 ₽"
    );
    let (status, refused) = resident
        .post("/orders", booking(PYTHON, FREE_DAY, &["21:00"]))
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "slot_outside_hours")
    );
    let (_, day) = resident
        .get(&format!("/resources/{PYTHON}/availability?date={FREE_DAY}"))
        .await;
    let free = day["free"].as_array().expect("free slots");
    assert_eq!(free.first(), Some(&json!("09:00")), "{day}");
    assert_eq!(free.last(), Some(&json!("20:30")), "{day}");
}

#[tokio::test]
async fn a_new_role_drops_the_responsibilities_it_does_not_cover_and_their_orders() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let service2 = server.login("service2").await;
    let (before, _, cursor) = pull(&service2, 0).await;
    assert!(!before.is_empty(), "«Уборка» orders in the cache");
    let (_, user) = admin.get(&format!("/admin/users/{SERVICE2}")).await;
    assert_eq!(user["services"], json!([CLEANING]));
    let edit = json!({"version": user["version"], "name": user["name"], "role": "shop_manager",
        "phone": user["phone"], "email": user["email"]});
    let (status, changed) = admin.put(&format!("/admin/users/{SERVICE2}"), edit).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        changed["services"],
        json!([]),
        "a shop manager handles no requests"
    );
    let (_, service) = admin.get(&format!("/admin/services/{CLEANING}")).await;
    assert_eq!(service["responsible"], json!([SERVICE]));
    let (orders, mut tombstones, _) = pull(&service2, cursor).await;
    assert!(orders.is_empty(), "{orders:?}");
    let mut expected = before.clone();
    expected.sort();
    tombstones.sort();
    assert_eq!(
        tombstones, expected,
        "every «Уборка» order leaves the cache"
    );
}
