//! Repeated requests and stale versions.

mod common;

use common::*;
use orderdesk_server::storage::Engine;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_same_idempotency_key_twice_has_one_effect_and_the_same_answer() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let orders = server.count("orders").await;
    let body = simple_request(CLEANING, "Уборка один раз");
    let first = resident
        .post_with_key("/orders", body.clone(), "create-1")
        .await;
    let second = resident.post_with_key("/orders", body, "create-1").await;
    assert_eq!(first.0, StatusCode::CREATED);
    assert_eq!(first, second);
    assert_eq!(server.count("orders").await, orders + 1);

    let number = first.1["number"].as_i64().expect("number");
    let service = server.login("service").await;
    let path = format!("/orders/{number}/messages");
    let msg = json!({"text": "Один раз", "visibility": "public"});
    let a = service.post_with_key(&path, msg.clone(), "msg-1").await;
    let b = service.post_with_key(&path, msg.clone(), "msg-1").await;
    assert_eq!(a, b);
    let (_, chat) = service.get(&path).await;
    assert_eq!(chat["messages"].as_array().expect("messages").len(), 1);
    // Another user's same key is theirs alone.
    let resident_msg = resident.post_with_key(&path, msg, "msg-1").await;
    assert_eq!(resident_msg.0, StatusCode::CREATED);
    // The same key on another call is a client error.
    let (status, body) = service
        .post_with_key(&format!("/orders/{number}/cancel"), json!({}), "msg-1")
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );
}

#[tokio::test]
async fn a_stale_version_is_409_and_changes_nothing() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let number = create(&resident, simple_request(CLEANING, "Версии")).await;
    let v1 = service.order(number).await["version"]
        .as_i64()
        .expect("version");
    let (status, order) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "in_progress", "version": v1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let v2 = order["version"].as_i64().expect("version");
    assert!(v2 > v1);
    let (status, body) = service
        .post(
            &format!("/orders/{number}/assignee"),
            json!({"user_id": SERVICE, "version": v1}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "stale_version")
    );
    let order = service.order(number).await;
    assert_eq!(order["version"], v2);
    assert_eq!(order["executor"], serde_json::Value::Null);
}

/// Runs one statement on the server's database, as an operator would.
async fn execute(server: &TestServer, sql: &str) {
    let mut tx = server.state.storage().begin().await.expect("a transaction");
    orderdesk_server::storage::query(sql)
        .execute(&mut tx)
        .await
        .expect(sql);
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn an_answer_is_kept_in_the_same_transaction_as_its_change() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let orders = server.count("orders").await;
    // The answer cannot be stored, as when the server dies right after the
    // change: then the change must not be there either.
    let engine = server.state.storage().engine();
    let (fail, unfail): (&[&str], &[&str]) = match engine {
        Engine::Sqlite => (
            &[
                "CREATE TRIGGER answers_fail BEFORE UPDATE OF status ON idempotency
               WHEN NEW.status IS NOT NULL BEGIN SELECT RAISE(ABORT, 'no answers'); END",
            ],
            &["DROP TRIGGER answers_fail"],
        ),
        Engine::Postgres => (
            &[
                "CREATE FUNCTION answers_fail() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN RAISE EXCEPTION 'no answers'; END $$",
                "CREATE TRIGGER answers_fail BEFORE UPDATE OF status ON idempotency
                 FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION answers_fail()",
            ],
            &[
                "DROP TRIGGER answers_fail ON idempotency",
                "DROP FUNCTION answers_fail()",
            ],
        ),
    };
    for sql in fail {
        execute(&server, sql).await;
    }
    let body = simple_request(CLEANING, "Ровно один раз");
    let (status, _) = resident
        .post_with_key("/orders", body.clone(), "atomic-1")
        .await;
    assert!(status.is_server_error(), "{status}");
    assert_eq!(
        server.count("orders").await,
        orders,
        "no change without its answer"
    );
    for sql in unfail {
        execute(&server, sql).await;
    }

    // The retry runs once; the stored answer is the one given.
    let first = resident
        .post_with_key("/orders", body.clone(), "atomic-1")
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(server.count("orders").await, orders + 1);
    let restarted = TestServer::open(server.stop().await, start_instant(), |_| {}).await;
    let resident = restarted.login("resident").await;
    let again = resident.post_with_key("/orders", body, "atomic-1").await;
    assert_eq!(first, again);
    assert_eq!(restarted.count("orders").await, orders + 1);

    // Same for an action on the order, answered with the card it left.
    let number = first.1["number"].as_i64().expect("number");
    let service = restarted.login("service").await;
    let path = format!("/orders/{number}/status");
    let to = json!({"status": "in_progress"});
    let a = service.post_with_key(&path, to.clone(), "status-1").await;
    let b = service.post_with_key(&path, to, "status-1").await;
    assert_eq!(a.0, StatusCode::OK, "{}", a.1);
    assert_eq!(a, b);
    assert_eq!(a.1["status"], "in_progress");
    assert_eq!(a.1["version"], service.order(number).await["version"]);
}

#[tokio::test]
async fn a_keyed_sign_in_stored_the_bearer_token() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let credentials = json!({"login": "resident", "password": "demo"});
    let first = resident
        .post_with_key("/auth/login", credentials.clone(), "login-1")
        .await;
    let second = resident
        .post_with_key("/auth/login", credentials, "login-1")
        .await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    // Sign-in takes no key: each is its own, never a replay.
    assert_ne!(first.1["token"], second.1["token"]);

    let mut conn = server.state.storage().read().await.expect("a connection");
    let stored: Vec<(String, Option<Vec<u8>>)> =
        orderdesk_server::storage::query_as("SELECT key, body FROM idempotency")
            .fetch_all(&mut conn)
            .await
            .expect("the idempotency store");
    assert!(
        stored.iter().all(|(key, _)| key != "login-1"),
        "a sign-in is not kept: {stored:?}"
    );
    for token in [&first.1["token"], &second.1["token"]] {
        let token = token.as_str().expect("a token");
        assert!(
            stored.iter().all(|(_, body)| {
                !String::from_utf8_lossy(body.as_deref().unwrap_or_default()).contains(token)
            }),
            "no bearer token in the idempotency store"
        );
    }
}

#[tokio::test]
async fn a_reused_key_with_another_body_replayed_the_first_answer() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let orders = server.count("orders").await;
    let first_body = simple_request(CLEANING, "Уборка в офисе 12");
    let first = resident
        .post_with_key("/orders", first_body.clone(), "reused-1")
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);

    let (status, body) = resident
        .post_with_key(
            "/orders",
            simple_request(CLEANING, "Уборка в офисе 14"),
            "reused-1",
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
        "{body}"
    );
    assert_eq!(server.count("orders").await, orders + 1);

    // The same request again is still the first one, answered the same.
    let again = resident
        .post_with_key("/orders", first_body, "reused-1")
        .await;
    assert_eq!(again, first);
    assert_eq!(server.count("orders").await, orders + 1);
}

#[tokio::test]
async fn the_same_body_spelled_otherwise_is_the_same_request() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let orders = server.count("orders").await;
    let first = resident
        .post_with_key("/orders", simple_request(CLEANING, "Окна"), "spelling-1")
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    // Other key order and spacing, the same object.
    let respelled = format!(
        r#"{{ "details": {{ "kind": "simple_request" }},
             "description": "Окна", "service_id": {CLEANING} }}"#
    );
    let token = resident.token.clone().expect("signed in");
    let again = resident
        .send(
            resident
                .http
                .post(format!("{}/orders", resident.base))
                .bearer_auth(token)
                .header("Idempotency-Key", "spelling-1")
                .header("content-type", "application/json")
                .body(respelled),
        )
        .await;
    assert_eq!(again, first);
    assert_eq!(server.count("orders").await, orders + 1);
}

#[tokio::test]
async fn every_call_that_takes_a_key_is_one_the_api_documents() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for (method, template) in orderdesk_server::http::idempotency::KEYED_CALLS {
        let path = format!("/api/v1{template}");
        let operation = &doc["paths"][&path][method.to_ascii_lowercase()];
        assert!(operation.is_object(), "{method} {path} is not in the API");
        assert!(takes_key_in_doc(operation), "{method} {path}: {operation}");
    }
    let login = &doc["paths"]["/api/v1/auth/login"]["post"];
    assert!(!takes_key_in_doc(login), "sign-in takes no key: {login}");
}

fn takes_key_in_doc(operation: &serde_json::Value) -> bool {
    operation["parameters"].as_array().is_some_and(|ps| {
        ps.iter()
            .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
    })
}
