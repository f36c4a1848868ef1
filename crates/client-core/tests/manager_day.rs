//! A manager's day in the core against a real server: «Взять в работу»
//! taken offline and sent once back online, the order's history kept in the
//! cache, and the cached chat in time order.

mod common;

use chrono::Duration;
use common::{temp_dir, Net, TestServer};
use orderdesk_client_core::{MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{Status, StatusHint, UserId};
use orderdesk_protocol::NewOrderDetails;
use std::sync::Arc;

#[tokio::test]
async fn take_in_work_offline_is_applied_at_once_and_sent_once() {
    let server = TestServer::start("take-offline").await;
    let number = server.new_request().await;
    let (tokens, notifier) = (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    );
    let cache = temp_dir("take-offline-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("initial sync");
    let me = UserId(server.ids.service);
    assert!(
        client
            .order(number)
            .expect("cached")
            .detail
            .allowed
            .take_in_work
    );

    server.set_net(Net::Down);
    let card = client.take_in_work(number).await.expect("taken offline");
    assert_eq!(card.detail.status, Status::InProgress);
    assert_eq!(card.detail.executor.as_ref().and_then(|p| p.id), Some(me));
    assert!(!card.detail.allowed.take_in_work);
    assert_eq!(card.detail.status_hint, None::<StatusHint>);
    assert_eq!(card.pending.len(), 1);
    assert_eq!(card.pending[0].action, "take_in_work");

    server.set_net(Net::Up);
    let report = client.sync_now().await.expect("sync");
    assert_eq!((report.pushed, report.refused), (1, 0));
    let token = server.token("service").await;
    let after = server.detail(&token, number).await;
    assert_eq!(after.status, Status::InProgress);
    assert_eq!(after.executor.and_then(|p| p.id), Some(me));
    // The history came with the pull and stays readable offline.
    server.set_net(Net::Down);
    let cached = client.order(number).expect("cached");
    let codes: Vec<&str> = cached
        .detail
        .history
        .iter()
        .map(|h| h.note.code())
        .collect();
    assert_eq!(codes, ["status_changed", "executor_changed"]);
}

#[tokio::test]
async fn the_cached_chat_comes_in_time_order_whatever_the_ids() {
    let server = TestServer::start("chat-order").await;
    let number = server.new_request().await;
    let token = server.token("service").await;
    let detail = server.detail(&token, number).await;
    // A message written later but dated before the order's first one, as a
    // gateway payment or an import may write it.
    let mut tx = server.state.storage().begin().await.expect("begin");
    let row = orderdesk_server::storage::order_by_number(&mut tx, number.0)
        .await
        .expect("read")
        .expect("the order");
    for (text, minutes) in [("Второе", 10), ("Первое", -10)] {
        let at = detail.created_at.to_utc() + Duration::minutes(minutes);
        orderdesk_server::storage::insert_message(&mut tx, row.id, None, "public", true, text, at)
            .await
            .expect("insert");
    }
    orderdesk_server::storage::record_change(&mut tx, row.id, detail.created_at.to_utc())
        .await
        .expect("change");
    tx.commit().await.expect("commit");

    let (tokens, notifier) = (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    );
    let cache = temp_dir("chat-order-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("sync");
    let texts: Vec<String> = client
        .order(number)
        .expect("cached")
        .messages
        .into_iter()
        .map(|m| m.message.text)
        .collect();
    assert_eq!(texts, ["Первое", "Второе"]);
}

/// A shop with one good and its manager, beside the fixture; the shop
/// service's id and the good's.
async fn open_shop(server: &TestServer) -> (i64, i64) {
    use orderdesk_server::storage;
    let hash = orderdesk_server::passwords::hash_password(
        common::PASSWORD,
        orderdesk_server::PasswordCost::Fast,
    )
    .expect("hash");
    let mut tx = server.state.storage().begin().await.expect("begin");
    let manager = storage::UserRow {
        id: 0,
        login: "shop".to_owned(),
        password_hash: hash,
        role: orderdesk_domain::Role::ShopManager.id().to_owned(),
        name: "Ольга Магазинова".to_owned(),
        phone: None,
        email: None,
        company: None,
    };
    let manager = storage::insert_user(&mut tx, &manager).await.expect("user");
    let shop = storage::insert_service(&mut tx, "Магазин", "nomenclature_sale", 60)
        .await
        .expect("service");
    storage::insert_responsible(&mut tx, shop, manager)
        .await
        .expect("responsible");
    let good = storage::insert_product(&mut tx, shop, "Кофе", 150_000)
        .await
        .expect("good");
    tx.commit().await.expect("commit");
    (shop, good)
}

#[tokio::test]
async fn a_collection_mark_undone_offline_restores_the_line_and_is_sent_once() {
    let server = TestServer::start("undo-offline").await;
    let (shop, good) = open_shop(&server).await;
    let resident = server.token("resident").await;
    let items = vec![orderdesk_protocol::NewItem {
        product_id: good,
        quantity: 2,
    }];
    let number = server
        .create(&resident, shop, NewOrderDetails::NomenclatureSale { items })
        .await;
    let manager = server.token("shop").await;
    for (path, body) in [
        ("status", serde_json::json!({"status": "collecting"})),
        (
            "items/1",
            serde_json::json!({"outcome": "missing", "quantity": 1}),
        ),
    ] {
        let (status, json) = server
            .call(
                &manager,
                reqwest::Method::POST,
                &format!("/orders/{number}/{path}"),
                body,
            )
            .await;
        assert_eq!(status, 200, "{json}");
    }
    let (tokens, notifier) = (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    );
    let cache = temp_dir("undo-offline-cache");
    let client = server.client(&cache, &tokens, &notifier, "shop").await;
    client.sync_now().await.expect("sync");
    assert!(
        client
            .order(number)
            .expect("cached")
            .detail
            .allowed
            .undo_collection
    );

    server.set_net(Net::Down);
    let card = client
        .undo_collection(number, orderdesk_domain::LineNo(1))
        .await
        .expect("undone offline");
    assert_eq!(card.detail.lines[0].outcome, None);
    assert_eq!(card.detail.lines[0].total, orderdesk_domain::Money(300_000));
    assert_eq!(
        card.detail.status_hint,
        Some(StatusHint::CollectAllLinesFirst)
    );
    assert!(!card.detail.allowed.undo_collection);
    let again = client
        .undo_collection(number, orderdesk_domain::LineNo(1))
        .await;
    assert!(again.is_err(), "nothing left to undo");

    server.set_net(Net::Up);
    let report = client.sync_now().await.expect("sync");
    assert_eq!((report.pushed, report.refused), (1, 0));
    let after = server.detail(&manager, number).await;
    assert_eq!(after.lines[0].outcome, None);
    assert_eq!(
        after.history.last().map(|h| h.note.code()),
        Some("collection_undone")
    );
}
