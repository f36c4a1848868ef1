//! The offline core against a real server: actions taken offline survive a
//! restart and apply once, in order; lost answers; two managers; scope.

mod common;

use common::{reopen, temp_dir, tomorrow, Net, TestServer};
use orderdesk_client_core::{
    BookingChange, Client, CoreError, ListFilter, MemoryTokenStore, RecordingNotifier, TokenStore,
};
use orderdesk_domain::{OrderNumber, ResourceId, Status, UserId, Visibility};
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;

fn parts() -> (Arc<MemoryTokenStore>, Arc<RecordingNotifier>) {
    (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    )
}

async fn messages(server: &TestServer, token: &str, number: OrderNumber) -> Vec<Value> {
    let (status, json) = server
        .call(
            token,
            Method::GET,
            &format!("/orders/{number}/messages"),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{json}");
    json["messages"].as_array().cloned().unwrap_or_default()
}

/// With the server down: take the first request, start it, write an
/// internal note, and send the second for confirmation; all four wait.
async fn act_offline(client: &Client, first: OrderNumber, second: OrderNumber, me: UserId) {
    client
        .assign_executor(first, Some(me))
        .await
        .expect("assign offline");
    client
        .set_status(first, Status::InProgress)
        .await
        .expect("status offline");
    client
        .post_message(first, "Ключи у охраны", Visibility::Internal)
        .await
        .expect("message offline");
    let view = client
        .set_status(second, Status::AwaitingConfirmation)
        .await
        .expect("second offline");
    assert!(view.is_pending());
    assert!(matches!(
        client.sync_now().await,
        Err(CoreError::Offline(_))
    ));
    let status = client.status().expect("status");
    assert_eq!(status.pending, 4);
    assert!(!status.online);
    let page = client.list(&ListFilter::default()).expect("list offline");
    assert!(page.items.iter().all(|i| i.pending));
}

#[tokio::test]
async fn offline_actions_survive_a_restart_and_apply_once_in_order() {
    let mut server = TestServer::start("offline").await;
    let first = server.new_request().await;
    let second = server.new_request().await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("offline-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");
    let token = server.token("service").await;
    let before = server.detail(&token, first).await.version;

    server.stop().await;
    let me = UserId(server.ids.service);
    act_offline(&client, first, second, me).await;

    // The app restarts: a new client over the same cache and keyring.
    drop(client);
    let client = reopen(&cache, &tokens, &notifier);
    assert!(client.session().is_some(), "session restored");
    let view = client.order(first).expect("cached order");
    assert_eq!(view.detail.status, Status::InProgress);
    assert_eq!(view.detail.executor.as_ref().and_then(|p| p.id), Some(me));
    assert_eq!(view.pending.len(), 3);
    assert!(view
        .messages
        .iter()
        .any(|m| m.pending && m.message.text == "Ключи у охраны"));

    server.restart().await;
    let token = server.token("service").await;
    let report = client.sync_now().await.expect("sync after restart");
    assert_eq!((report.pushed, report.refused), (4, 0));
    assert_eq!(client.status().expect("status").pending, 0);

    let after = server.detail(&token, first).await;
    assert_eq!(after.status, Status::InProgress);
    assert_eq!(after.executor.and_then(|p| p.id), Some(me));
    assert_eq!(after.version, before + 3, "three changes, each once");
    let notes = messages(&server, &token, first).await;
    assert_eq!(
        notes
            .iter()
            .filter(|m| m["text"] == "Ключи у охраны")
            .count(),
        1
    );
    assert_eq!(
        server.detail(&token, second).await.status,
        Status::AwaitingConfirmation
    );
    // The cache now holds the server's copy, pending nothing.
    let view = client.order(first).expect("synced order");
    assert_eq!(view.detail.version, after.version);
    assert!(!view.is_pending());
    assert!(view
        .messages
        .iter()
        .any(|m| !m.pending && m.message.text == "Ключи у охраны"));
    let again = client.sync_now().await.expect("second sync");
    assert_eq!(again.pushed, 0);
    assert_eq!(server.detail(&token, first).await.version, after.version);
}

#[tokio::test]
async fn a_lost_answer_is_retried_without_a_second_effect() {
    let server = TestServer::start("lost").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("lost-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");
    let token = server.token("service").await;
    let before = server.detail(&token, number).await.version;

    client
        .set_status(number, Status::InProgress)
        .await
        .expect("status");
    client
        .post_message(number, "Выезжаем", Visibility::Public)
        .await
        .expect("message");
    server.set_net(Net::LoseAnswers);
    assert!(client.sync_now().await.is_err(), "the answer never came");
    let applied = server.detail(&token, number).await;
    assert_eq!(
        applied.status,
        Status::InProgress,
        "the server did apply it"
    );
    assert_eq!(client.status().expect("status").pending, 2);

    server.set_net(Net::Up);
    let report = client.sync_now().await.expect("retry");
    assert_eq!((report.pushed, report.refused), (2, 0));
    let after = server.detail(&token, number).await;
    assert_eq!(after.version, before + 2, "no second effect");
    let said = messages(&server, &token, number).await;
    assert_eq!(said.iter().filter(|m| m["text"] == "Выезжаем").count(), 1);
    assert!(client.status().expect("status").conflicts.is_empty());
}

#[tokio::test]
async fn two_managers_take_one_order_offline_and_the_second_is_refused() {
    let server = TestServer::start("two").await;
    let number = server.new_request().await;
    let (tokens_a, notifier_a) = parts();
    let (tokens_b, notifier_b) = parts();
    let a = server
        .client(&temp_dir("two-a"), &tokens_a, &notifier_a, "service")
        .await;
    let b = server
        .client(&temp_dir("two-b"), &tokens_b, &notifier_b, "service2")
        .await;
    a.sync_now().await.expect("a sync");
    b.sync_now().await.expect("b sync");

    server.set_net(Net::Down);
    for (client, me) in [(&a, server.ids.service), (&b, server.ids.service_b)] {
        client
            .assign_executor(number, Some(UserId(me)))
            .await
            .expect("assign");
        client
            .set_status(number, Status::InProgress)
            .await
            .expect("take");
    }
    server.set_net(Net::Up);
    let first = a.sync_now().await.expect("a pushes");
    assert_eq!((first.pushed, first.refused), (2, 0));
    let second = b.sync_now().await.expect("b pushes");
    assert_eq!((second.pushed, second.refused), (0, 2));

    let view = b.order(number).expect("b's order");
    assert_eq!(
        view.detail.executor.as_ref().and_then(|p| p.id),
        Some(UserId(server.ids.service)),
        "rolled back to the server's copy"
    );
    assert!(!view.is_pending());
    let status = b.status().expect("status");
    assert_eq!(status.conflicts.len(), 2);
    assert!(
        status.conflicts[0]
            .message
            .contains("уже взят в работу другим менеджером"),
        "{:?}",
        status.conflicts
    );
    b.dismiss_conflict(status.conflicts[0].id).expect("dismiss");
    assert_eq!(b.status().expect("status").conflicts.len(), 1);
}

#[tokio::test]
async fn two_edits_to_one_slot_refuse_the_second_with_slot_taken() {
    let server = TestServer::start("slots").await;
    let room = server.ids.python_room;
    let mine = server.new_booking(room, &["10:00", "10:30"]).await;
    let theirs = server.new_booking(room, &["12:00"]).await;
    let (tokens_a, notifier_a) = parts();
    let (tokens_b, notifier_b) = parts();
    let a = server
        .client(&temp_dir("slots-a"), &tokens_a, &notifier_a, "rental")
        .await;
    let b = server
        .client(&temp_dir("slots-b"), &tokens_b, &notifier_b, "rental2")
        .await;
    a.sync_now().await.expect("a sync");
    b.sync_now().await.expect("b sync");
    let change = |slots: &[&str]| BookingChange {
        resource_id: ResourceId(room),
        date: tomorrow(),
        slots: slots.iter().map(|s| s.to_string()).collect(),
        payer_id: Some(UserId(server.ids.company)),
        comment: None,
    };

    server.set_net(Net::Down);
    a.edit_booking(mine, change(&["15:00", "15:30"]))
        .await
        .expect("a edits");
    let edited = b
        .edit_booking(theirs, change(&["15:00"]))
        .await
        .expect("b edits");
    assert_eq!(
        edited.detail.booking.as_ref().map(|x| x.start.as_str()),
        Some("15:00")
    );
    server.set_net(Net::Up);
    a.sync_now().await.expect("a pushes");
    let report = b.sync_now().await.expect("b pushes");
    assert_eq!(report.refused, 1);
    let view = b.order(theirs).expect("b's booking");
    assert_eq!(
        view.detail.booking.as_ref().map(|x| x.start.as_str()),
        Some("12:00"),
        "rolled back"
    );
    let conflicts = b.status().expect("status").conflicts;
    assert!(
        conflicts[0].message.contains("Слот уже занят"),
        "{conflicts:?}"
    );
    assert_eq!(conflicts[0].code, "slot_taken");
}

#[tokio::test]
async fn actions_the_rules_refuse_are_never_queued() {
    let server = TestServer::start("rules").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let client = server
        .client(&temp_dir("rules-cache"), &tokens, &notifier, "service")
        .await;
    client.sync_now().await.expect("sync");
    let refused = client
        .set_status(number, Status::Done)
        .await
        .expect_err("a manager never sets done");
    assert_eq!(refused.code(), "done_by_requester_only");
    assert!(refused.message().contains("Выполнен"));
    let refused = client
        .assign_executor(number, Some(UserId(server.ids.rental)))
        .await
        .expect_err("not a responsible user");
    assert_eq!(refused.code(), "executor_not_responsible");
    let empty = client
        .post_message(number, "   ", Visibility::Public)
        .await
        .expect_err("empty message");
    assert_eq!(empty.code(), "invalid_input");
    assert_eq!(client.status().expect("status").pending, 0);
}

#[tokio::test]
async fn an_order_leaving_the_scope_disappears_and_internal_chat_never_reaches_a_requester() {
    let server = TestServer::start("scope").await;
    let number = server.new_request().await;
    let token = server.token("service").await;
    for (text, visibility) in [("Видно всем", "public"), ("Только нам", "internal")]
    {
        let (status, json) = server
            .call(
                &token,
                Method::POST,
                &format!("/orders/{number}/messages"),
                serde_json::json!({"text": text, "visibility": visibility}),
            )
            .await;
        assert!(status < 300, "{json}");
    }

    let (tokens, notifier) = parts();
    let manager = server
        .client(&temp_dir("scope-m"), &tokens, &notifier, "service2")
        .await;
    manager.sync_now().await.expect("sync");
    let view = manager.order(number).expect("visible first");
    assert!(view.messages.iter().any(|m| m.message.text == "Только нам"));

    let (tokens_r, notifier_r) = parts();
    let requester = server
        .client(&temp_dir("scope-r"), &tokens_r, &notifier_r, "resident")
        .await;
    requester.sync_now().await.expect("requester sync");
    let own = requester.order(number).expect("own order");
    assert!(own.messages.iter().any(|m| m.message.text == "Видно всем"));
    assert!(own
        .messages
        .iter()
        .all(|m| m.message.visibility == Visibility::Public));
    let resident = server.token("resident").await;
    let (_, pulled) = server
        .call(&resident, Method::GET, "/sync/pull", Value::Null)
        .await;
    let texts: Vec<&str> = pulled["messages"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["message"]["text"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(texts.contains(&"Видно всем"));
    assert!(!texts.contains(&"Только нам"), "{texts:?}");

    // service2 is no longer responsible for «Уборка».
    let mut tx = server.state.storage().begin().await.expect("begin");
    orderdesk_server::storage::query(
        "DELETE FROM service_responsible WHERE service_id = $1 AND user_id = $2",
    )
    .bind(server.ids.cleaning)
    .bind(server.ids.service_b)
    .execute(&mut tx)
    .await
    .expect("remove responsible");
    tx.commit().await.expect("commit");
    let report = manager.sync_now().await.expect("sync after scope change");
    assert_eq!(report.removed_orders, 1);
    assert!(matches!(
        manager.order(number),
        Err(CoreError::OrderNotFound(_))
    ));
    assert_eq!(manager.list(&ListFilter::default()).expect("list").total, 0);
}

#[tokio::test]
async fn signing_out_sends_what_it_can_and_asks_before_losing_the_rest() {
    let mut server = TestServer::start("sign-out").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("sign-out-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");

    // Offline: the action cannot leave, so signing out refuses and keeps
    // the session, the cache and the action.
    server.stop().await;
    client
        .set_status(number, Status::InProgress)
        .await
        .expect("status offline");
    let refused = client.logout(false).await;
    assert_eq!(refused, Err(CoreError::UnsentActions(1)));
    assert_eq!(
        refused.err().map(|e| e.code().to_owned()).as_deref(),
        Some("unsent_actions")
    );
    assert!(client.session().is_some());
    assert!(tokens.load().expect("token store").is_some());
    assert!(client.order(number).expect("still cached").is_pending());

    // Back online: signing out sends the action first, then signs out.
    server.restart().await;
    client.logout(false).await.expect("sign out after sending");
    assert!(client.session().is_none());
    assert!(tokens.load().expect("token store").is_none());
    let token = server.token("service").await;
    assert_eq!(
        server.detail(&token, number).await.status,
        Status::InProgress
    );

    // Told to, it signs out offline and the unsent action is gone.
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("sync");
    server.stop().await;
    client
        .set_status(number, Status::AwaitingConfirmation)
        .await
        .expect("status offline");
    client.logout(true).await.expect("sign out discarding");
    assert!(client.session().is_none());
    assert!(client
        .list(&ListFilter::default())
        .expect("list")
        .items
        .is_empty());
    server.restart().await;
    assert_eq!(
        server.detail(&token, number).await.status,
        Status::InProgress,
        "the discarded action never reached the server"
    );
}
