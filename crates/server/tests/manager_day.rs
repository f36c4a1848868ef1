//! A manager's working day, from outside: «Взять в работу», undoing a
//! collection mark, the status hint, the order's history, system messages
//! as notes in the caller's language, the chat in time order, canned
//! replies, one title for shop orders, and errors (a fault too) in English.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// `api`'s GET with `Accept-Language: en`.
async fn get_en(api: &Api, path: &str) -> (StatusCode, Value) {
    let mut req = api
        .http
        .get(format!("{}{path}", api.base))
        .header("accept-language", "en");
    if let Some(token) = &api.token {
        req = req.bearer_auth(token);
    }
    api.send(req).await
}

fn codes(entries: &Value) -> Vec<&str> {
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["note"]["code"].as_str().unwrap_or("<none>"))
        .collect()
}

#[tokio::test]
async fn take_in_work_assigns_the_caller_and_moves_a_new_request_to_in_progress() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "Протечка")).await;
    let card = service.order(number).await;
    assert_eq!(card["allowed"]["take_in_work"], true);
    assert_eq!(
        resident.order(number).await["allowed"]["take_in_work"],
        false
    );

    let (status, body) = resident
        .post(&format!("/orders/{number}/take"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );

    let (status, card) = service
        .post_with_key(
            &format!("/orders/{number}/take"),
            json!({"version": card["version"]}),
            "take-1",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(card["status"], "in_progress");
    assert_eq!(card["executor"]["id"], SERVICE);
    assert_eq!(card["allowed"]["take_in_work"], false);
    assert_eq!(
        codes(&card["history"]),
        ["status_changed", "executor_changed"]
    );
    assert_eq!(card["history"][1]["actor_id"], SERVICE);
    assert_eq!(
        card["history"][0]["note"],
        json!({"code": "status_changed", "from": "new", "to": "in_progress"})
    );
    assert_eq!(
        card["history"][0]["text"],
        "Статус изменен: «Новый» → «В работе»."
    );

    let (status, body) = service
        .post(&format!("/orders/{number}/take"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status")
    );
}

#[tokio::test]
async fn a_collection_mark_is_undone_only_while_collecting() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let shop = server.login("shop").await;
    let items = json!([{"product_id": FIRST_GOOD, "quantity": 2}, {"product_id": FIRST_GOOD + 1, "quantity": 1}]);
    let number = create(
        &resident,
        json!({"service_id": SHOP, "details": {"kind": "nomenclature_sale", "items": items}}),
    )
    .await;
    let path = |tail: &str| format!("/orders/{number}{tail}");
    shop.post(&path("/status"), json!({"status": "collecting"}))
        .await;
    let card = shop.order(number).await;
    assert_eq!(card["status_hint"], "collect_all_lines_first");
    assert_eq!(card["allowed"]["undo_collection"], false);

    let (status, body) = shop.post(&path("/items/1/undo"), json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "line_not_collected")
    );
    shop.post(
        &path("/items/1"),
        json!({"outcome": "missing", "quantity": 1}),
    )
    .await;
    let card = shop.order(number).await;
    assert_eq!(card["allowed"]["undo_collection"], true);
    assert_eq!(card["lines"][0]["total"], 150_000);

    let (status, card) = shop
        .post_with_key(&path("/items/1/undo"), json!({}), "undo-1")
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(card["lines"][0]["outcome"], Value::Null);
    assert_eq!(card["lines"][0]["total"], 300_000);
    assert_eq!(codes(&card["history"]).last(), Some(&"collection_undone"));

    for line in [1, 2] {
        shop.post(
            &path(&format!("/items/{line}")),
            json!({"outcome": "collected"}),
        )
        .await;
    }
    assert_eq!(shop.order(number).await["status_hint"], Value::Null);
    shop.post(&path("/status"), json!({"status": "ready_for_pickup"}))
        .await;
    let (status, body) = shop.post(&path("/items/1/undo"), json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status")
    );
    let (status, body) = resident.post(&path("/items/1/undo"), json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
}

#[tokio::test]
async fn executor_and_due_time_changes_leave_a_history_staff_read_offline_too() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "История")).await;
    let path = |tail: &str| format!("/orders/{number}{tail}");
    service
        .post(&path("/assignee"), json!({"user_id": SERVICE2}))
        .await;
    let due = "2026-11-27T18:00:00+03:00";
    let (status, card) = service
        .post(
            &path("/deadlines"),
            json!({"first_response_due": null, "completion_due": due}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(
        codes(&card["history"]),
        ["executor_changed", "deadlines_changed"]
    );
    assert_eq!(
        card["history"][0]["text"],
        "Исполнитель изменен: Не назначено → Павел Чистов."
    );
    assert_eq!(
        card["history"][0]["actor_name"],
        service.order(number).await["responsible"][0]["name"]
    );
    assert_eq!(
        card["history"][1]["text"],
        "Сроки изменены: срок исполнения: не задан → 27.11.2026 18:00."
    );
    // Nothing of it in the requester's chat or card.
    assert_eq!(resident.order(number).await["history"], json!([]));
    let (_, chat) = resident.get(&path("/messages")).await;
    assert_eq!(chat["messages"], json!([]));

    // The pull carries the history and the canned replies, so the app has
    // them offline.
    let (_, pulled) = service.get("/sync/pull?limit=1000").await;
    let order = pulled["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .find(|o| o["number"] == number)
        .expect("the order");
    assert_eq!(order["history"], card["history"]);
    assert!(!order["canned_replies"]
        .as_array()
        .expect("replies")
        .is_empty());
}

#[tokio::test]
async fn booking_changed_says_from_what_to_what_in_the_callers_language() {
    let server = TestServer::start().await;
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    let number = create(&company, booking(PYTHON, FREE_DAY, &["10:00", "10:30"])).await;
    let (status, _) = rental
        .patch(
            &format!("/orders/{number}/booking"),
            json!({
                "resource_id": JAVA, "date": FREE_DAY, "slots": ["15:00", "15:30", "16:00"],
                "payer_id": COMPANY, "comment": null
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, chat) = rental.get(&format!("/orders/{number}/messages")).await;
    let last = chat["messages"]
        .as_array()
        .and_then(|m| m.last())
        .cloned()
        .expect("a message");
    assert_eq!(last["note"]["code"], "booking_changed");
    assert_eq!(
        last["text"],
        "Бронирование изменено: Переговорная Python, 01.03.2027 10:00–11:00 → Переговорная Java, 01.03.2027 15:00–16:30."
    );
    let (_, chat) = get_en(&rental, &format!("/orders/{number}/messages")).await;
    let last = chat["messages"]
        .as_array()
        .and_then(|m| m.last())
        .cloned()
        .expect("a message");
    assert_eq!(
        last["text"],
        "Booking changed: Переговорная Python, 1 Mar 2027 10:00–11:00 → Переговорная Java, 1 Mar 2027 15:00–16:30."
    );
}

#[tokio::test]
async fn demo_chats_come_in_time_order() {
    let server = TestServer::start().await;
    let rental = server.login("rental").await;
    let (_, page) = rental.get("/orders?per_page=100").await;
    let mut checked = 0;
    for row in page["items"].as_array().expect("items") {
        let number = row["number"].as_i64().expect("number");
        let (_, chat) = rental.get(&format!("/orders/{number}/messages")).await;
        let times: Vec<chrono::DateTime<chrono::FixedOffset>> = chat["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .map(|m| {
                m["created_at"]
                    .as_str()
                    .expect("time")
                    .parse()
                    .expect("RFC 3339")
            })
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "order {number}: {times:?}"
        );
        checked += times.len();
    }
    assert!(checked > 100, "only {checked} messages");
}

#[tokio::test]
async fn canned_replies_are_edited_by_an_administrator_and_served_to_staff() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let service = server.login("service").await;
    let resident = server.login("resident").await;
    let path = format!("/admin/services/{CLEANING}/replies");
    let put = |api: &Api, body: Value| {
        let api = api.clone();
        let path = path.clone();
        async move {
            api.send(
                api.http
                    .put(format!("{}{path}", api.base))
                    .bearer_auth(api.token.clone().unwrap_or_default())
                    .json(&body),
            )
            .await
        }
    };
    let (status, body) = put(&service, json!({"replies": ["Уже иду"]})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    let (status, body) = put(&admin, json!({"replies": ["  "]})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_reply")
    );
    let (status, body) = put(&admin, json!({"replies": ["я".repeat(501)]})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_reply")
    );
    let (status, body) = put(&admin, json!({"replies": vec!["Да"; 31]})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_replies")
    );
    let (status, _) = admin.get("/admin/services/999/replies").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = put(&admin, json!({"replies": [" Уже иду ", "Готово"]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"replies": ["Уже иду", "Готово"]}));
    assert_eq!(admin.get(&path).await.1, body);
    let number = create(&resident, simple_request(CLEANING, "Шаблоны")).await;
    assert_eq!(
        service.order(number).await["canned_replies"],
        json!(["Уже иду", "Готово"])
    );
    assert_eq!(resident.order(number).await["canned_replies"], json!([]));
    // The demo gives every service some.
    let plumber = create(&resident, simple_request(PLUMBER, "Кран")).await;
    assert_eq!(
        service.order(plumber).await["canned_replies"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn shop_orders_made_live_and_in_the_demo_carry_one_title() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let shop = server.login("shop").await;
    let items = json!([{"product_id": FIRST_GOOD, "quantity": 1}]);
    let number = create(
        &resident,
        json!({"service_id": SHOP, "details": {"kind": "nomenclature_sale", "items": items}}),
    )
    .await;
    let (_, page) = shop
        .get("/orders?kind=nomenclature_sale&per_page=100")
        .await;
    let titles: std::collections::BTreeSet<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles.into_iter().collect::<Vec<_>>(), ["Магазин"]);
    assert_eq!(shop.order(number).await["title"], "Магазин");
}

#[tokio::test]
async fn the_same_error_and_a_fault_in_russian_and_in_english() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let (status, ru) = service.get("/orders/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, en) = get_en(&service, "/orders/1").await;
    assert_eq!((code(&ru), code(&en)), ("not_found", "not_found"));
    assert_eq!(ru["error"]["message"], "Не найдено: заказ №1.");
    assert_eq!(en["error"]["message"], "Not found: order 1.");

    // A fault: the account's stored role is one the server cannot read.
    let mut tx = server.state.storage().begin().await.expect("a transaction");
    orderdesk_server::storage::query("UPDATE users SET role = 'ghost' WHERE id = $1")
        .bind(SERVICE)
        .execute(&mut tx)
        .await
        .expect("update");
    tx.commit().await.expect("commit");
    let (status, ru) = service.get("/orders").await;
    assert_eq!(
        (status, code(&ru)),
        (StatusCode::INTERNAL_SERVER_ERROR, "internal")
    );
    assert_eq!(
        ru["error"]["message"],
        "Внутренняя ошибка сервера. Повторите попытку позже."
    );
    let (status, en) = get_en(&service, "/orders").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        en["error"]["message"],
        "Internal server error. Please retry later."
    );
}
