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

/// Whether a text has Cyrillic letters: an English message must have none.
fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// A call in English, with the token of `api` if it has one.
async fn in_english(
    api: &Api,
    method: reqwest::Method,
    path: &str,
    body: Option<Vec<u8>>,
) -> (StatusCode, serde_json::Value) {
    let mut req = api
        .http
        .request(method, format!("{}{path}", api.base))
        .header("accept-language", "en");
    if let Some(token) = &api.token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.header("content-type", "application/json").body(body);
    }
    api.send(req).await
}

/// Asserts an error answer: its status, its code, and an English message.
fn assert_error(answer: &(StatusCode, serde_json::Value), status: StatusCode, expected: &str) {
    let (got, body) = answer;
    assert_eq!((*got, code(body)), (status, expected), "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "a message: {body}");
    assert!(!has_cyrillic(message), "English only: {message}");
}

#[tokio::test]
async fn sync_pull_with_a_bad_cursor_or_limit_answered_in_plain_text() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    for query in [
        "cursor=abc",
        "cursor=-1",
        "limit=-1",
        "limit=0",
        "limit=1001",
        "limit=abc",
    ] {
        let answer = in_english(
            &service,
            reqwest::Method::GET,
            &format!("/sync/pull?{query}"),
            None,
        )
        .await;
        assert_error(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid_query");
    }
    let (status, _) = service.get("/sync/pull?cursor=0&limit=1000").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_page_size_beyond_the_documented_range_was_accepted() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    for query in [
        "per_page=2147483648",
        "per_page=0",
        "per_page=101",
        "per_page=-1",
        "page=0",
        "page=2147483648",
    ] {
        let answer = in_english(
            &service,
            reqwest::Method::GET,
            &format!("/orders?{query}"),
            None,
        )
        .await;
        assert_error(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid_query");
    }
    let (status, page) = service.get("/orders?per_page=100&page=2147483647").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn a_well_formed_body_of_the_wrong_shape_was_called_malformed_json() {
    let server = TestServer::start().await;
    let (service, number) = new_request(&server).await;
    let path = format!("/orders/{number}/status");
    for body in [
        r#"{"status": 5}"#,
        r#"{"status": [1]}"#,
        r#"{"status": {"closed": 1}}"#,
        r#"[]"#,
        r#"5"#,
    ] {
        let answer = in_english(
            &service,
            reqwest::Method::POST,
            &path,
            Some(body.as_bytes().to_vec()),
        )
        .await;
        assert_error(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    }
    for body in [r#"{"status": "#, r#"{"status": "new"} x"#, "{'status': 1}"] {
        let answer = in_english(
            &service,
            reqwest::Method::POST,
            &path,
            Some(body.as_bytes().to_vec()),
        )
        .await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "malformed_json");
    }
}

#[tokio::test]
async fn english_error_messages_carried_russian_parts() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let anonymous = server.anonymous();
    use reqwest::Method;
    let cases = [
        (
            &service,
            Method::GET,
            "/orders/999999",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &service,
            Method::GET,
            "/orders/abc",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &service,
            Method::GET,
            "/no/such/path",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &service,
            Method::GET,
            "/sandbox/pay/nothing",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &service,
            Method::DELETE,
            "/orders",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            &anonymous,
            Method::GET,
            "/orders",
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            &service,
            Method::GET,
            "/resources/1/availability?date=tomorrow",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_query",
        ),
        (
            &service,
            Method::GET,
            "/orders?status=closed",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_status",
        ),
    ];
    for (api, method, path, status, expected) in cases {
        let answer = in_english(api, method, path, None).await;
        assert_error(&answer, status, expected);
    }
}

#[tokio::test]
async fn a_missing_order_was_named_in_russian_in_english_messages() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let answer = in_english(
        &service,
        reqwest::Method::POST,
        "/orders/999999/cancel",
        Some(b"{}".to_vec()),
    )
    .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        answer.1["error"]["message"], "Not found: order 999999.",
        "the order is named in English"
    );
    let (_, russian) = service.get("/orders/999999").await;
    assert_eq!(russian["error"]["message"], "Не найдено: заказ №999999.");
}

#[tokio::test]
async fn an_oversized_webhook_body_was_answered_in_plain_text() {
    let server = TestServer::start().await;
    let anonymous = server.anonymous();
    let body = vec![b' '; 200 * 1024];
    let answer = in_english(
        &anonymous,
        reqwest::Method::POST,
        "/payments/webhook",
        Some(body),
    )
    .await;
    assert_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
}

#[tokio::test]
async fn the_document_lists_the_answers_of_every_extractor() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("operations") {
            let answers = op["responses"].as_object().expect("responses");
            let has = |status: &str| answers.contains_key(status);
            let name = format!("{method} {path}");
            if op.get("security").is_some() {
                assert!(has("401"), "{name} lists 401");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(has(status), "{name} lists {status}");
                }
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if params.iter().any(|p| p["in"] == "path") {
                assert!(has("404"), "{name} lists 404");
            }
            if params.iter().any(|p| p["in"] == "query") {
                assert!(has("422"), "{name} lists 422");
            }
        }
    }
    let list = &doc["paths"]["/api/v1/orders"]["get"]["parameters"];
    let per_page = list
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "per_page"))
        .expect("per_page is documented");
    assert_eq!(
        (
            &per_page["schema"]["minimum"],
            &per_page["schema"]["maximum"]
        ),
        (&json!(1), &json!(100)),
        "{per_page}"
    );
    let money = doc["components"]["schemas"]["Money"].to_string();
    assert!(
        money.contains("kopecks") && money.contains("integer"),
        "{money}"
    );
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow_in_the_error_format() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let resp = service
        .http
        .delete(format!("{}/orders", service.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = resp
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let body: serde_json::Value = resp.json().await.expect("a JSON body");
    assert_eq!(code(&body), "method_not_allowed");
    assert!(!has_cyrillic(
        body["error"]["message"].as_str().unwrap_or("я")
    ));
}

#[tokio::test]
async fn a_queued_collection_mark_past_the_documented_line_range_was_accepted() {
    let server = TestServer::start().await;
    let shop = server.login("shop").await;
    for (op, line) in [
        ("undo_collection", serde_json::json!(2_147_483_648_u64)),
        ("undo_collection", serde_json::json!(0)),
        ("collect_line", serde_json::json!(2_147_483_648_u64)),
    ] {
        let mut mutation = serde_json::json!({
            "client_id": "m1", "order": 1001, "base_version": 1,
            "op": {"op": op, "line": line},
        });
        if op == "collect_line" {
            mutation["op"]["outcome"] = serde_json::json!("collected");
        }
        let (status, body) = shop
            .post("/sync/push", serde_json::json!({"mutations": [mutation]}))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{op} {line}: {body}"
        );
        assert_eq!(code(&body), "invalid_body", "{body}");
    }
}
