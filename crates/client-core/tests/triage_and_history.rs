//! The manager's day in the core: the cached list answers the quick
//! filters, sorts and description search as the server does; a booking
//! move waiting to be sent shows the same new time on the card and the
//! row; the notification history survives a restart with what was read;
//! English reaches notifications and local refusals.

mod common;

use chrono::{Duration, Utc};
use common::{reopen, temp_dir, tomorrow, Net, TestServer};
use orderdesk_client_core::{
    BookingChange, Client, CoreError, ListFilter, MemoryTokenStore, RecordingNotifier,
};
use orderdesk_domain::{Lang, OrderNumber, ResourceId, Status, UserId};
use orderdesk_protocol::{ListSort, QuickFilter};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

fn parts() -> (Arc<MemoryTokenStore>, Arc<RecordingNotifier>) {
    (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    )
}

/// A request with this description, by the resident; the manager sets its
/// due times (hours from now) and, when `take`, becomes its executor.
async fn request(server: &TestServer, text: &str, due: (i64, i64), take: bool) -> i64 {
    let resident = server.token("resident").await;
    let body = json!({"service_id": server.ids.plumber, "description": text,
                      "details": {"kind": "simple_request"}});
    let (status, order) = server.call(&resident, Method::POST, "/orders", body).await;
    assert_eq!(status, 201, "{order}");
    let number = order["number"].as_i64().expect("number");
    let manager = server.token("service").await;
    let at = |hours: i64| (Utc::now() + Duration::hours(hours)).to_rfc3339();
    let mut calls = vec![(
        "deadlines",
        json!({"first_response_due": at(due.0), "completion_due": at(due.1)}),
    )];
    if take {
        calls.push(("assignee", json!({"user_id": server.ids.service})));
    }
    for (path, body) in calls {
        let path = format!("/orders/{number}/{path}");
        let (status, answer) = server.call(&manager, Method::POST, &path, body).await;
        assert_eq!(status, 200, "{answer}");
    }
    number
}

/// The numbers the server's list answers for a filter, as «service».
async fn server_list(server: &TestServer, token: &str, query: &str) -> Vec<i64> {
    let path = format!("/orders?per_page=100&{query}");
    let (status, page) = server.call(token, Method::GET, &path, json!(null)).await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["number"].as_i64())
        .collect()
}

fn core_list(client: &Client, filter: ListFilter) -> Vec<i64> {
    let page = client.list(&filter).expect("list");
    assert_eq!(page.total as usize, page.items.len());
    page.items.iter().map(|i| i.summary.number.0).collect()
}

#[tokio::test]
async fn the_cached_list_filters_sorts_and_searches_as_the_server_does() {
    let server = TestServer::start("triage").await;
    let late = request(&server, "Привезти коробки\nк лифту", (-5, 20), false).await;
    request(&server, "Течёт кран на кухне", (-30, -2), true).await;
    request(&server, "Не работает кондиционер", (10, 30), true).await;
    request(&server, "Заменить лампу", (50, 60), false).await;
    server.new_request().await;
    let (tokens, notifier) = parts();
    let client = server
        .client(&temp_dir("triage-cache"), &tokens, &notifier, "service")
        .await;
    client.sync_now().await.expect("sync");
    let token = server.token("service").await;

    let quicks = [
        None,
        Some(QuickFilter::Mine),
        Some(QuickFilter::Unassigned),
        Some(QuickFilter::Overdue),
    ];
    for quick in quicks {
        for sort in [ListSort::Newest, ListSort::DueSoonest] {
            for query in [None, Some("коробки"), Some("кондиц")] {
                let mut params = format!("sort={}", serde_plain(&sort));
                if let Some(quick) = quick {
                    params.push_str(&format!("&quick={}", serde_plain(&quick)));
                }
                if let Some(q) = query {
                    params.push_str(&format!("&q={}", urlencode(q)));
                }
                let filter = ListFilter {
                    quick,
                    sort,
                    query: query.map(str::to_owned),
                    limit: 500,
                    ..ListFilter::default()
                };
                let cached = core_list(&client, filter);
                assert_eq!(
                    cached,
                    server_list(&server, &token, &params).await,
                    "{params}"
                );
            }
        }
    }
    let overdue = core_list(
        &client,
        ListFilter {
            quick: Some(QuickFilter::Overdue),
            ..ListFilter::default()
        },
    );
    assert_eq!(overdue.len(), 2, "{overdue:?}");
    let row = client
        .list(&ListFilter {
            query: Some("коробки".into()),
            ..ListFilter::default()
        })
        .expect("list");
    assert_eq!(row.items[0].summary.number.0, late);
    assert_eq!(
        row.items[0].summary.description_line.as_deref(),
        Some("Привезти коробки")
    );
    assert!(row.items[0].summary.deadlines.first_response_due.is_some());
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .expect("json")
        .as_str()
        .expect("a string")
        .to_owned()
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn a_pending_booking_move_shows_the_new_time_on_the_card_and_the_row_with_the_server_down() {
    let mut server = TestServer::start("pending-booking").await;
    let room = server.ids.python_room;
    let number = server.new_booking(room, &["10:00", "10:30"]).await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("pending-booking-cache");
    let client = server.client(&cache, &tokens, &notifier, "rental").await;
    client.sync_now().await.expect("sync");
    let before = client.order(number).expect("card").detail.period_start;

    server.stop().await;
    let change = BookingChange {
        resource_id: ResourceId(room),
        date: tomorrow(),
        slots: vec!["15:00".into(), "15:30".into()],
        payer_id: Some(UserId(server.ids.company)),
        comment: None,
    };
    let card = client.edit_booking(number, change).await.expect("queued");
    assert!(card.is_pending_action("edit_booking"));
    let booking = card.detail.booking.as_ref().expect("booking");
    assert_eq!(
        (booking.start.as_str(), booking.end.as_str()),
        ("15:00", "16:00")
    );
    let start = card.detail.period_start.expect("period");
    assert_ne!(
        Some(start),
        before,
        "the card's period moved with the slots"
    );
    assert_eq!(start.format("%H:%M").to_string(), "15:00");
    assert_eq!(
        card.detail
            .period_end
            .map(|t| t.format("%H:%M").to_string())
            .as_deref(),
        Some("16:00")
    );

    let page = client.list(&ListFilter::default()).expect("list");
    let row = page
        .items
        .iter()
        .find(|i| i.summary.number == number)
        .expect("row");
    assert!(row.pending && row.is_pending("edit_booking"));
    let period = row.summary.period_text.as_deref().expect("period text");
    assert!(period.contains("15:00–16:00"), "{period}");
    assert_eq!(row.summary.place.as_deref(), Some("Переговорная Python"));
    // The same, read again after a restart with the server still down.
    drop(client);
    let client = reopen(&cache, &tokens, &notifier);
    let card = client.order(number).expect("card after a restart");
    assert_eq!(card.detail.period_start, Some(start));
    assert!(card.is_pending_action("edit_booking"));
}

/// Takes the order and sends it for confirmation, on the server, so that
/// the requester can return it.
async fn returned(server: &TestServer, number: OrderNumber) {
    let manager = server.token("service").await;
    for (path, body) in [
        ("assignee", json!({ "user_id": server.ids.service })),
        ("status", json!({ "status": "awaiting_confirmation" })),
    ] {
        let path = format!("/orders/{number}/{path}");
        let (status, answer) = server.call(&manager, Method::POST, &path, body).await;
        assert_eq!(status, 200, "{answer}");
    }
    let resident = server.token("resident").await;
    let path = format!("/orders/{number}/return");
    let (status, answer) = server.call(&resident, Method::POST, &path, json!({})).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn the_notification_history_survives_a_restart_with_what_was_read() {
    let server = TestServer::start("history").await;
    let existing = server.new_request().await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("history-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("first sync");
    assert!(
        client.notifications().expect("history").is_empty(),
        "the first sync is history"
    );

    let fresh = server.new_request().await;
    returned(&server, existing).await;
    client.sync_now().await.expect("sync");
    let history = client.notifications().expect("history");
    let orders: Vec<OrderNumber> = history.iter().map(|n| n.order).collect();
    assert_eq!(orders, [existing, fresh], "newest first");
    assert!(history.iter().all(|n| !n.read && n.at.is_some()));
    assert_eq!(client.unread_notifications().expect("unread"), 2);
    client
        .mark_notifications_read(Some(&history[1].key))
        .expect("read one");
    drop(client);

    let client = reopen(&cache, &tokens, &notifier);
    let history = client.notifications().expect("history after a restart");
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].read, history[1].read), (false, true));
    assert_eq!(client.unread_notifications().expect("unread"), 1);
    client.mark_notifications_read(None).expect("read all");
    assert_eq!(client.unread_notifications().expect("unread"), 0);
    assert_eq!(notifier.seen().len(), 2, "each raised once");
}

/// The toast once missing: an order raised by a sync that ran before the
/// screen's listener was in place (right after sign-in, or at start). The
/// notifier's event reached nobody; the history holds it unread, which is
/// what the screen reads once it listens.
#[tokio::test]
async fn an_order_raised_before_the_screen_listened_waits_unread_in_the_history() {
    let server = TestServer::start("unheard").await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("unheard-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("first sync");
    drop(client);
    let fresh = server.new_request().await;
    // A restart: the core opens, and its first round runs before any
    // screen listens.
    let client = reopen(&cache, &tokens, &notifier);
    client.sync_now().await.expect("sync at start");
    assert_eq!(notifier.seen().len(), 1, "raised while nobody listened");
    let waiting: Vec<_> = client
        .notifications()
        .expect("history")
        .into_iter()
        .filter(|n| !n.read)
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].order, fresh);
    assert_eq!(waiting[0].key, notifier.seen()[0].key);
}

#[tokio::test]
async fn in_english_notifications_and_local_refusals_are_in_english() {
    let server = TestServer::start("english").await;
    let (tokens, notifier) = parts();
    let client = server
        .client(&temp_dir("english-cache"), &tokens, &notifier, "service")
        .await;
    client.set_language(Lang::En).expect("language");
    client.sync_now().await.expect("first sync");
    let fresh = server.new_request().await;
    client.sync_now().await.expect("sync");
    let seen = notifier.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].title, "New order");
    assert_eq!(seen[0].body, format!("Order #{fresh}: Уборка"));
    assert_eq!(
        client.notifications().expect("history")[0].title,
        "New order"
    );

    server.set_net(Net::Down);
    let refused = client
        .set_status(fresh, Status::Done)
        .await
        .expect_err("refused");
    let CoreError::Refused { message, .. } = &refused else {
        panic!("a refusal of the rules: {refused:?}");
    };
    assert!(!has_cyrillic(message), "{message}");
    client.set_language(Lang::Ru).expect("language");
    let refused = client
        .set_status(fresh, Status::Done)
        .await
        .expect_err("refused");
    assert!(has_cyrillic(&refused.message()), "{}", refused.message());
    assert_eq!(
        client.notifications().expect("history")[0].title,
        "Новый заказ"
    );
}
