//! The list's filters and paging, deadlines, executors, premises requests,
//! and messages in English.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_list_filters_by_status_kind_text_number_and_assignee_newest_first() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(
        &resident,
        simple_request(PLUMBER, "Сломался смеситель в переговорной"),
    )
    .await;

    let (status, page) = service.get("/orders?per_page=5&page=1").await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["number"], number, "newest number first");
    let numbers: Vec<i64> = items.iter().filter_map(|o| o["number"].as_i64()).collect();
    assert!(numbers.windows(2).all(|w| w[0] > w[1]));
    let (_, page2) = service.get("/orders?per_page=5&page=2").await;
    assert!(page2["items"][0]["number"].as_i64() < items[4]["number"].as_i64());
    assert_eq!(page2["total"], page["total"]);

    let (_, found) = service
        .get(&format!("/orders?q={}", urlencode("СМЕСИТЕЛЬ")))
        .await;
    assert_eq!(
        found["total"], 1,
        "text search ignores case, also in Cyrillic"
    );
    assert_eq!(found["items"][0]["number"], number);
    let (_, by_number) = service.get(&format!("/orders?q={number}")).await;
    assert_eq!(by_number["items"][0]["number"], number);

    let (_, awaiting) = service
        .get("/orders?status=awaiting_confirmation&per_page=100")
        .await;
    assert!(awaiting["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|o| o["status"] == "awaiting_confirmation"));
    let (_, premises) = service
        .get("/orders?kind=premises_request&per_page=100")
        .await;
    assert!(premises["total"].as_u64().expect("total") > 0);
    assert!(premises["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|o| o["kind"] == "premises_request"));

    let (_, nobody) = service.get("/orders?assignee=none&per_page=100").await;
    assert!(nobody["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|o| o["executor_name"].is_null()));
    let (_, mine) = service.get("/orders?assignee=me&per_page=100").await;
    assert!(mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|o| o["executor_name"] == "Ирина Сервисова"));
    let (status, body) = service.get("/orders?assignee=someone").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_query")
    );
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn deadlines_and_executors_follow_the_rules() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(
        &resident,
        json!({
            "service_id": PREMISES,
            "description": "Аренда зала",
            "details": {"kind": "premises_request", "premises": "Зал 1"}
        }),
    )
    .await;
    let order = service.order(number).await;
    assert_eq!(kind_label(&order), "Заявка с помещением");
    assert_eq!(order["premises"], "Зал 1");

    let (status, order) = service
        .post(&format!("/orders/{number}/deadlines"), json!({
            "first_response_due": "2026-11-27T12:00:00+03:00", "completion_due": "2026-11-28T18:00:00+03:00"
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(
        order["deadlines"]["completion_due"],
        "2026-11-28T18:00:00+03:00"
    );
    let (status, body) = service
        .post(&format!("/orders/{number}/deadlines"), json!({
            "first_response_due": "2026-11-29T12:00:00+03:00", "completion_due": "2026-11-28T18:00:00+03:00"
        }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "deadlines_out_of_order")
    );

    // service2 is responsible only for «Уборка», not for «Аренда помещения».
    let (status, body) = service
        .post(
            &format!("/orders/{number}/assignee"),
            json!({"user_id": SERVICE2}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "executor_not_responsible")
    );
    let (status, order) = service
        .post(
            &format!("/orders/{number}/assignee"),
            json!({"user_id": SERVICE}),
        )
        .await;
    assert_eq!(
        (status, order["executor"]["id"].as_i64()),
        (StatusCode::OK, Some(SERVICE))
    );
    let (status, order) = service
        .post(
            &format!("/orders/{number}/assignee"),
            json!({"user_id": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(order["executor"].is_null());
    assert_eq!(
        order["responsible"].as_array().expect("responsible").len(),
        1
    );
}

#[tokio::test]
async fn errors_speak_english_when_asked() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Language")).await;
    let service = server.login("service").await;
    let req = service
        .http
        .post(format!("{}/orders/{number}/status", server.base))
        .bearer_auth(service.token.clone().expect("token"))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .json(&json!({"status": "done"}));
    let (status, body) = service.send(req).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body["error"]["message"],
        "“Done” follows the requester's confirmation or the auto-close time."
    );
}

#[tokio::test]
async fn a_requester_withdraws_only_an_order_nobody_started() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let first = create(&resident, simple_request(CLEANING, "Передумал")).await;
    let (status, order) = resident
        .post(&format!("/orders/{first}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let second = create(&resident, simple_request(CLEANING, "Уже в работе")).await;
    service
        .post(
            &format!("/orders/{second}/status"),
            json!({"status": "in_progress"}),
        )
        .await;
    let (status, body) = resident
        .post(&format!("/orders/{second}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status")
    );
}

#[tokio::test]
async fn the_edit_form_sees_the_orders_own_slots_as_free_and_a_company_payer_can_change() {
    let server = TestServer::start().await;
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    let number = create(&company, booking(PYTHON, FREE_DAY, &["11:00", "11:30"])).await;
    let (_, day) = rental
        .get(&format!(
            "/resources/{PYTHON}/availability?date={FREE_DAY}&order={number}"
        ))
        .await;
    assert!(day["free"]
        .as_array()
        .expect("free")
        .iter()
        .any(|s| s == "11:00"));
    // A company booking is not paid up front; its total follows the new time.
    let (status, order) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": PYTHON, "date": FREE_DAY, "slots": ["11:30", "12:00", "12:30"], "payer_id": COMPANY, "comment": "Три слота"
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["payment"]["total"], 30_000);
    assert_eq!(order["comment"], "Три слота");
    // Switching to an individual payer is not an edit the rules allow.
    let (status, body) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": PYTHON, "date": FREE_DAY, "slots": ["11:30"], "payer_id": null, "comment": null
        }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "payer_not_editable")
    );
    let (status, body) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": PYTHON, "date": FREE_DAY, "slots": ["11:30"], "payer_id": RESIDENT, "comment": null
        }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_payer")
    );
}
