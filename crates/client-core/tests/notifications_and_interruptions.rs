//! Notifications raised exactly once (online, offline, across restarts) and
//! sync rounds interrupted at any await.

mod common;

use common::{reopen, temp_dir, Net, TestServer};
use orderdesk_client_core::{Client, ListFilter, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{NoticeEvent, OrderNumber, Status, UserId};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn count(notifier: &RecordingNotifier, event: NoticeEvent) -> usize {
    notifier.seen().iter().filter(|n| n.event == event).count()
}

/// The manager takes the order and sends it for confirmation, on the server.
async fn work_to_confirmation(server: &TestServer, number: OrderNumber) {
    let manager = server.token("service").await;
    let me = server.ids.service;
    for (path, body) in [
        ("assignee", json!({ "user_id": me })),
        ("status", json!({ "status": "awaiting_confirmation" })),
    ] {
        let (status, answer) = server
            .call(
                &manager,
                Method::POST,
                &format!("/orders/{number}/{path}"),
                body,
            )
            .await;
        assert_eq!(status, 200, "{answer}");
    }
}

/// Online with live events: a new order is noticed within a second.
async fn a_live_order_notifies(server: &TestServer, client: &Client, notifier: &RecordingNotifier) {
    client.start_sync();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let live = server.new_request().await;
    let mut waited = Duration::ZERO;
    while count(notifier, NoticeEvent::OrderCreated) < 2 && waited < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
    assert!(waited < Duration::from_secs(1), "took {waited:?}");
    assert!(
        client.status().expect("status").live,
        "live events connected"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(notifier, NoticeEvent::OrderCreated), 2);
    assert!(notifier.seen().iter().any(|n| n.order == live));
    client.stop_sync();
}

#[tokio::test]
async fn new_and_returned_orders_notify_exactly_once_across_offline_and_restart() {
    let server = TestServer::start("notify").await;
    let existing = server.new_request().await;
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let cache = temp_dir("notify-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");
    assert!(notifier.seen().is_empty(), "the initial sync is quiet");

    work_to_confirmation(&server, existing).await;
    client.sync_now().await.expect("sync");
    assert!(notifier.seen().is_empty());

    // While the app is offline: a new order, and the requester returns one.
    server.set_net(Net::Down);
    let fresh = server.new_request().await;
    let resident = server.token("resident").await;
    let (status, answer) = server
        .call(
            &resident,
            Method::POST,
            &format!("/orders/{existing}/return"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(client.sync_now().await.is_err());
    drop(client);

    let client = reopen(&cache, &tokens, &notifier);
    server.set_net(Net::Up);
    client.sync_now().await.expect("sync after offline");
    let seen = notifier.seen();
    assert_eq!(count(&notifier, NoticeEvent::OrderCreated), 1, "{seen:?}");
    assert_eq!(count(&notifier, NoticeEvent::ReturnedToWork), 1, "{seen:?}");
    assert!(seen
        .iter()
        .any(|n| n.order == fresh && n.title == "Новый заказ"));
    assert!(seen
        .iter()
        .any(|n| n.order == existing && n.title == "Заказ вернули в работу"));
    assert_eq!(
        client.order(existing).expect("order").detail.status,
        Status::InProgress
    );

    client.sync_now().await.expect("again");
    drop(client);
    let client = reopen(&cache, &tokens, &notifier);
    client.sync_now().await.expect("after a restart");
    assert_eq!(notifier.seen().len(), 2, "nothing twice");

    a_live_order_notifies(&server, &client, &notifier).await;
}

#[tokio::test]
async fn a_sync_dropped_at_any_await_leaves_a_cache_that_resumes() {
    let server = TestServer::start("interrupt").await;
    let mut numbers = Vec::new();
    for _ in 0..8 {
        numbers.push(server.new_request().await);
    }
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let cache = temp_dir("interrupt-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");
    let token = server.token("service").await;
    let mut before = Vec::new();
    for &n in &numbers[..5] {
        before.push(server.detail(&token, n).await.version);
        client
            .assign_executor(n, Some(UserId(server.ids.service)))
            .await
            .expect("assign");
        client
            .set_status(n, Status::InProgress)
            .await
            .expect("take");
    }
    for _ in 0..3 {
        server.new_request().await;
    }

    // Drop the round after ever longer times: at every await in turn.
    for step in 0..80u64 {
        let _ = tokio::time::timeout(Duration::from_micros(step * 120), client.sync_now()).await;
    }
    drop(client);
    let client = reopen(&cache, &tokens, &notifier);
    client.sync_now().await.expect("resumed sync");

    assert_eq!(client.status().expect("status").pending, 0);
    assert!(client.status().expect("status").conflicts.is_empty());
    for (&n, base) in numbers[..5].iter().zip(before) {
        let on_server = server.detail(&token, n).await;
        assert_eq!(on_server.status, Status::InProgress);
        assert_eq!(on_server.version, base + 2, "order {n}: each action once");
        let cached = client.order(n).expect("cached");
        assert_eq!(cached.detail.version, on_server.version);
        assert_eq!(cached.detail.status, on_server.status);
    }
    let page = client.list(&ListFilter::default()).expect("list");
    assert_eq!(page.total, 11);
}

#[tokio::test]
async fn an_order_returned_and_sent_back_while_offline_notifies_once() {
    let server = TestServer::start("returned-offline").await;
    let order = server.new_request().await;
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let cache = temp_dir("returned-offline-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    let manager = server.token("service").await;
    let resident = server.token("resident").await;
    let me = server.ids.service;
    let call = |token: &str, path: &str, body: serde_json::Value| {
        let (token, path) = (token.to_owned(), format!("/orders/{order}/{path}"));
        let server = &server;
        async move {
            let (status, answer) = server.call(&token, Method::POST, &path, body).await;
            assert_eq!(status, 200, "{path}: {answer}");
        }
    };
    call(&manager, "assignee", json!({ "user_id": me })).await;
    call(
        &manager,
        "status",
        json!({ "status": "awaiting_confirmation" }),
    )
    .await;
    client.sync_now().await.expect("initial sync");
    assert!(notifier.seen().is_empty(), "the initial sync is quiet");

    // Offline: the requester returns it, the manager (on another device)
    // sends it back for confirmation. The cache sees awaiting both times.
    server.set_net(Net::Down);
    call(&resident, "return", json!({})).await;
    call(
        &manager,
        "status",
        json!({ "status": "awaiting_confirmation" }),
    )
    .await;
    assert!(client.sync_now().await.is_err());
    drop(client);

    let client = reopen(&cache, &tokens, &notifier);
    server.set_net(Net::Up);
    client.sync_now().await.expect("sync after offline");
    assert_eq!(
        client.order(order).expect("cached").detail.status,
        Status::AwaitingConfirmation
    );
    let seen = notifier.seen();
    assert_eq!(count(&notifier, NoticeEvent::ReturnedToWork), 1, "{seen:?}");
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].order, order);
    assert_eq!(seen[0].title, "Заказ вернули в работу");
    assert!(seen[0].body.contains(&format!("№{order}")), "{seen:?}");

    drop(client);
    let client = reopen(&cache, &tokens, &notifier);
    client.sync_now().await.expect("after a restart");
    assert_eq!(notifier.seen().len(), 1, "not again after a restart");
}
