//! What a pull tells a user about orders outside their scope: a tombstone
//! for an order that left it, and nothing at all about an order that never
//! was in it.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Pulls every page after `cursor`; the pages and the cursor reached.
async fn pull_all(api: &Api, mut cursor: i64) -> (Vec<Value>, i64) {
    let mut pages = Vec::new();
    loop {
        let (status, page) = api.get(&format!("/sync/pull?cursor={cursor}")).await;
        assert_eq!(status, StatusCode::OK, "pull: {page}");
        cursor = page["next_cursor"].as_i64().expect("a cursor");
        let more = page["has_more"] == json!(true);
        pages.push(page);
        if !more {
            return (pages, cursor);
        }
    }
}

/// The numbers in one list of every page (`orders` or `tombstones`).
fn numbers(pages: &[Value], list: &str) -> Vec<i64> {
    pages
        .iter()
        .flat_map(|page| page[list].as_array().cloned().unwrap_or_default())
        .map(|item| item["number"].as_i64().expect("a number"))
        .collect()
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
async fn a_pull_leaked_the_number_of_an_order_the_user_never_could_see() {
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let resident = server.login("resident").await;
    let (_, cursor) = pull_all(&service, 0).await;

    let room = create(&resident, booking(JAVA, FREE_DAY, &["09:00"])).await;
    let (pages, next) = pull_all(&service, cursor).await;
    assert!(next > cursor, "the cursor moves past the booking");
    assert_eq!(numbers(&pages, "orders"), Vec::<i64>::new());
    assert_eq!(
        numbers(&pages, "tombstones"),
        Vec::<i64>::new(),
        "order {room} was never the service manager's to see"
    );

    // Whoever may see the booking gets it.
    let rental = server.login("rental").await;
    let (pages, _) = pull_all(&rental, cursor).await;
    assert_eq!(numbers(&pages, "orders"), vec![room]);
}

#[tokio::test]
async fn an_order_that_leaves_a_managers_scope_is_tombstoned_for_that_manager_only() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let rental = server.login("rental").await;
    let service = server.login("service").await;
    let room = create(&resident, booking(PYTHON, FREE_DAY, &["10:00"])).await;
    // The service manager becomes responsible for the rooms too, but a
    // service manager's role does not cover bookings: never in scope.
    execute(
        &server,
        &format!(
            "INSERT INTO service_responsible (service_id, user_id) VALUES ({ROOMS}, {SERVICE})"
        ),
    )
    .await;
    let (pages, rental_cursor) = pull_all(&rental, 0).await;
    assert!(numbers(&pages, "orders").contains(&room));
    let (_, service_cursor) = pull_all(&service, 0).await;

    // Neither is responsible for the rooms any more.
    execute(
        &server,
        &format!("DELETE FROM service_responsible WHERE service_id = {ROOMS}"),
    )
    .await;
    let (pages, _) = pull_all(&rental, rental_cursor).await;
    assert!(!numbers(&pages, "orders").contains(&room));
    assert!(
        numbers(&pages, "tombstones").contains(&room),
        "the rental manager drops order {room}: {pages:?}"
    );
    let (pages, _) = pull_all(&service, service_cursor).await;
    assert_eq!(
        numbers(&pages, "tombstones"),
        Vec::<i64>::new(),
        "the service manager never saw order {room}"
    );
}
