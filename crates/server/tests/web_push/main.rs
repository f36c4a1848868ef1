//! Web Push from outside: a browser's subscription kept per session, one
//! encrypted, VAPID-signed push per subscription when a notice raises a
//! notification, delivered to a stand-in push service on 127.0.0.1 that
//! decrypts it as a browser would; the push service's answers (410, 500)
//! and bad subscriptions.

mod browser;
#[path = "../common/mod.rs"]
mod common;
mod stand_in;

use browser::{b64, vapid_claims, Browser};
use chrono::Duration;
use common::*;
use orderdesk_server::push::{deliver_outbox, DeliveryReport};
use orderdesk_server::Config;
use reqwest::StatusCode;
use serde_json::{json, Value};
use stand_in::PushService;
use std::sync::Arc;

const SUBJECT: &str = "mailto:ops@orderdesk.example";

/// A server with the demo whose VAPID subject is [`SUBJECT`].
async fn start(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let server = TestServer::open(dir, start_instant(), |config| {
        config.vapid_subject = SUBJECT.to_owned();
        adjust(config);
    })
    .await;
    assert!(orderdesk_server::demo::seed(&server.state)
        .await
        .expect("demo data"));
    server
}

async fn deliver(server: &TestServer) -> DeliveryReport {
    deliver_outbox(&server.state)
        .await
        .expect("a delivery round")
}

async fn subscribe(api: &Api, subscription: &Value) {
    let (status, body) = api.put("/push/subscriptions", subscription.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "subscribe: {body}");
}

async fn server_key(api: &Api) -> String {
    let (status, body) = api.get("/push/key").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["public_key"].as_str().expect("a key").to_owned()
}

/// The id of the notice of `event` about order `number` that a pull hands
/// the user.
async fn notice_id(api: &Api, number: i64, event: &str) -> i64 {
    let mut cursor = 0;
    loop {
        let (status, page) = api
            .get(&format!("/sync/pull?cursor={cursor}&limit=1000"))
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let found = page["notices"]
            .as_array()
            .unwrap_or_else(|| panic!("notices in {page}"))
            .iter()
            .find(|n| n["order"] == number && n["event"] == event)
            .map(|n| n["id"].as_i64().expect("a notice id"));
        if let Some(id) = found {
            return id;
        }
        assert_eq!(
            page["has_more"], true,
            "no {event} notice of order {number}"
        );
        cursor = page["next_cursor"].as_i64().expect("a cursor");
    }
}

#[tokio::test]
async fn a_new_order_reaches_the_managers_browser_encrypted_and_signed() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    subscribe(&service, &browser.subscription(&push.endpoint("service"))).await;
    let key = server_key(&service).await;
    let resident = server.login("resident").await;

    let number = create(&resident, simple_request(CLEANING, "Протечка")).await;
    assert_eq!(server.count("outbox_pushes").await, 1);
    let report = deliver(&server).await;
    assert_eq!(report.delivered, 1, "{report:?}");

    let received = push.received();
    assert_eq!(received.len(), 1, "exactly one POST");
    let request = &received[0];
    assert_eq!(request.header("content-encoding"), "aes128gcm");
    assert_eq!(request.header("urgency"), "high");
    assert!(request.header("ttl").parse::<u32>().expect("seconds") > 0);
    let message = browser.message(&request.body);
    let id = notice_id(&service, number, "order_created").await;
    let title = service.order(number).await["title"].clone();
    assert_eq!(
        message,
        json!({
            "title": "Новый заказ",
            "body": format!("Заказ №{number}: {}", title.as_str().expect("a title")),
            "tag": format!("notice:{id}"),
            "order": number,
        })
    );
    // Nobody else could read it.
    assert!(Browser::new().decrypt(&request.body).is_none());

    let claims = vapid_claims(request.header("authorization"), &key);
    assert_eq!(claims["aud"], push.origin.as_str());
    assert_eq!(claims["sub"], SUBJECT);
    let exp = claims["exp"].as_i64().expect("exp in seconds");
    let now = server.clock.now_utc().timestamp();
    assert!(exp > now && exp <= now + 24 * 3600, "exp {exp}, now {now}");

    assert_eq!(server.count("outbox_pushes").await, 0);
    assert_eq!(deliver(&server).await, DeliveryReport::default());
    assert_eq!(push.received().len(), 1, "sent once");
}

#[tokio::test]
async fn the_message_is_in_the_language_the_browser_subscribed_in() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    let req = service
        .http
        .put(format!("{}/push/subscriptions", service.base))
        .bearer_auth(service.token.as_deref().expect("a token"))
        .header("accept-language", "en")
        .json(&browser.subscription(&push.endpoint("en")));
    let (status, body) = service.send(req).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Leak")).await;
    let title = service.order(number).await["title"]
        .as_str()
        .expect("a title")
        .to_owned();
    deliver(&server).await;
    let message = browser.message(&push.wait_for(1).await[0].body);
    assert_eq!(message["title"], "New order");
    assert_eq!(message["body"], format!("Order #{number}: {title}"));
}

#[tokio::test]
async fn a_return_to_work_is_pushed_and_a_notice_that_raises_nothing_is_not() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Кран")).await;
    deliver(&server).await;
    assert!(push.received().is_empty(), "nobody had subscribed");

    let manager = Browser::new();
    let requester = Browser::new();
    subscribe(&service, &manager.subscription(&push.endpoint("service"))).await;
    subscribe(
        &resident,
        &requester.subscription(&push.endpoint("resident")),
    )
    .await;

    let card = service.order(number).await;
    let (status, card) = service
        .post(
            &format!("/orders/{number}/take"),
            json!({"version": card["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    let (status, card) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "awaiting_confirmation"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    // The requester is told «Заказ выполнен» in the app, not by a push.
    notice_id(&resident, number, "awaiting_confirmation").await;
    assert_eq!(server.count("outbox_pushes").await, 0);
    deliver(&server).await;
    assert!(push.received().is_empty(), "{:?}", push.received());

    let (status, card) = resident
        .post(&format!("/orders/{number}/return"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(deliver(&server).await.delivered, 1);
    let received = push.received_by("service");
    assert_eq!(received.len(), 1);
    let message = manager.message(&received[0].body);
    assert_eq!(message["title"], "Заказ вернули в работу");
    assert_eq!(message["order"], number);
    let id = notice_id(&service, number, "returned_to_work").await;
    assert_eq!(message["tag"], format!("notice:{id}"));
    assert!(push.received_by("resident").is_empty());
}

#[tokio::test]
async fn a_users_push_never_reaches_another_users_browser() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let rental = server.login("rental").await;
    let resident = server.login("resident").await;
    let services_browser = Browser::new();
    let rentals_browser = Browser::new();
    subscribe(
        &service,
        &services_browser.subscription(&push.endpoint("a")),
    )
    .await;
    subscribe(&rental, &rentals_browser.subscription(&push.endpoint("b"))).await;

    // Cleaning is not the rental manager's: only the service manager hears.
    let number = create(&resident, simple_request(CLEANING, "Свет")).await;
    deliver(&server).await;
    assert!(push.received_by("b").is_empty());
    let to_service = push.received_by("a");
    assert_eq!(to_service.len(), 1);
    assert_eq!(
        services_browser.message(&to_service[0].body)["order"],
        number
    );
    assert!(rentals_browser.decrypt(&to_service[0].body).is_none());

    // The same browser, now signed in as the rental manager, takes the
    // endpoint over: the service manager's orders no longer go there.
    let shared = Browser::new();
    subscribe(&service, &shared.subscription(&push.endpoint("shared"))).await;
    let before = create(&resident, simple_request(CLEANING, "Дверь")).await;
    subscribe(&rental, &shared.subscription(&push.endpoint("shared"))).await;
    create(&resident, simple_request(CLEANING, "Окно")).await;
    deliver(&server).await;
    assert!(
        push.received_by("shared").is_empty(),
        "queued for the service manager before the takeover, yet sent to the rental manager"
    );
    assert_eq!(push.received_by("a").len(), 3, "{before}");
}

#[tokio::test]
async fn a_subscription_the_push_service_has_ended_is_forgotten() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    subscribe(&service, &browser.subscription(&push.endpoint("old"))).await;
    assert_eq!(server.count("push_subscriptions").await, 1);
    push.answer(&[410]);
    let resident = server.login("resident").await;
    create(&resident, simple_request(CLEANING, "Пыль")).await;
    let report = deliver(&server).await;
    assert_eq!(report.gone, 1, "{report:?}");
    assert_eq!(server.count("push_subscriptions").await, 0);
    assert_eq!(server.count("outbox_pushes").await, 0);
    create(&resident, simple_request(CLEANING, "Ещё пыль")).await;
    assert_eq!(server.count("outbox_pushes").await, 0);
    deliver(&server).await;
    assert_eq!(push.received().len(), 1);
}

#[tokio::test]
async fn a_push_the_service_failed_is_retried_later_and_delivered_once() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    subscribe(&service, &browser.subscription(&push.endpoint("flaky"))).await;
    push.answer(&[500]);
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Шум")).await;

    let report = deliver(&server).await;
    assert_eq!((report.retried, report.delivered), (1, 0), "{report:?}");
    assert_eq!(push.received().len(), 1);
    // Not due yet: nothing is sent.
    assert_eq!(deliver(&server).await, DeliveryReport::default());
    assert_eq!(push.received().len(), 1);

    server.clock.advance(Duration::seconds(31));
    assert_eq!(deliver(&server).await.delivered, 1);
    server.clock.advance(Duration::hours(1));
    assert_eq!(deliver(&server).await, DeliveryReport::default());
    let received = push.received();
    assert_eq!(received.len(), 2, "one failed try, one delivery");
    assert_eq!(browser.message(&received[1].body)["order"], number);
    assert_eq!(server.count("outbox_pushes").await, 0);
}

#[tokio::test]
async fn a_push_that_keeps_failing_is_given_up() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    subscribe(
        &service,
        &Browser::new().subscription(&push.endpoint("down")),
    )
    .await;
    push.answer(&[503; 10]);
    let resident = server.login("resident").await;
    create(&resident, simple_request(CLEANING, "Тишина")).await;
    let mut given_up = 0;
    for _ in 0..10 {
        given_up += deliver(&server).await.given_up;
        server.clock.advance(Duration::days(1));
    }
    assert_eq!(given_up, 1);
    assert_eq!(
        push.received().len(),
        orderdesk_server::push::MAX_ATTEMPTS as usize
    );
    assert_eq!(server.count("outbox_pushes").await, 0);
    assert_eq!(
        server.count("push_subscriptions").await,
        1,
        "the subscription stays"
    );
}

#[tokio::test]
async fn bad_subscriptions_are_refused_with_a_code() {
    let server = start(|_| {}).await;
    let service = server.login("service").await;
    let browser = Browser::new();
    let good = browser.subscription("https://push.example.net/send/1");
    let with = |path: &str, value: Value| {
        let mut sub = good.clone();
        sub.pointer_mut(path).map(|v| *v = value).expect("a field");
        sub
    };
    let off_curve = {
        let mut point = [0u8; 65];
        point[0] = 4;
        point[64] = 1;
        b64(&point)
    };
    let cases = [
        (
            with("/endpoint", json!("http://push.example.net/send/1")),
            "invalid_push_endpoint",
        ),
        (
            with("/endpoint", json!("ftp://push.example.net/send/1")),
            "invalid_push_endpoint",
        ),
        (
            with(
                "/endpoint",
                json!(format!("https://push.example.net/{}", "a".repeat(2100))),
            ),
            "invalid_push_endpoint",
        ),
        (
            with("/keys/p256dh", json!(b64(&browser.public_key()[..33]))),
            "invalid_push_key",
        ),
        (with("/keys/p256dh", json!(off_curve)), "invalid_push_key"),
        (
            with("/keys/p256dh", json!("not base64!")),
            "invalid_push_key",
        ),
        (
            with("/keys/auth", json!(b64(&[7u8; 12]))),
            "invalid_push_auth",
        ),
        (
            with("/keys/auth", json!(b64(&[7u8; 17]))),
            "invalid_push_auth",
        ),
        (with("/keys", json!({"p256dh": "x"})), "invalid_body"),
    ];
    for (sub, expected) in cases {
        let (status, body) = service.put("/push/subscriptions", sub.clone()).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{sub}: {body}"
        );
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(server.count("push_subscriptions").await, 0);
    subscribe(&service, &good).await;
    assert_eq!(server.count("push_subscriptions").await, 1);
}

#[tokio::test]
async fn subscribing_needs_a_session_and_a_role_that_gets_notices() {
    let server = start(|_| {}).await;
    let service = server.login("service").await;
    let good = Browser::new().subscription("https://push.example.net/send/1");
    let (status, body) = service.post_raw("/push/subscriptions", b"{".to_vec()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let (status, body) = server
        .anonymous()
        .put("/push/subscriptions", good.clone())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, body) = server.anonymous().get("/push/key").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let admin = server.login("admin").await;
    let (status, body) = admin.put("/push/subscriptions", good.clone()).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    assert_eq!(server.count("push_subscriptions").await, 0);
}

#[tokio::test]
async fn unsubscribing_and_signing_out_forget_the_subscription() {
    let server = start(|_| {}).await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    let sub = browser.subscription(&push.endpoint("s"));
    subscribe(&service, &sub).await;
    subscribe(&service, &sub).await;
    assert_eq!(
        server.count("push_subscriptions").await,
        1,
        "replaced, not doubled"
    );

    let forget = json!({"endpoint": push.endpoint("s")});
    let req = service
        .http
        .delete(format!("{}/push/subscriptions", service.base))
        .bearer_auth(service.token.as_deref().expect("a token"))
        .json(&forget);
    let (status, _) = service
        .send(req.try_clone().expect("a plain request"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.count("push_subscriptions").await, 0);
    let (status, _) = service.send(req).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "forgetting twice is fine");

    subscribe(&service, &sub).await;
    let (status, _) = service.post("/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.count("push_subscriptions").await, 0);
    let resident = server.login("resident").await;
    create(&resident, simple_request(CLEANING, "После выхода")).await;
    deliver(&server).await;
    assert!(push.received().is_empty());
}

#[tokio::test]
async fn the_key_is_made_once_and_kept_or_given_by_the_operator() {
    let server = start(|_| {}).await;
    let first = server_key(&server.login("service").await).await;
    assert_eq!(browser::unb64(&first).len(), 65);
    assert_eq!(browser::unb64(&first)[0], 4);
    let dir = server.stop().await;
    let again = TestServer::open(dir, start_instant(), |_| {}).await;
    assert_eq!(server_key(&again.login("service").await).await, first);
    let dir = again.stop().await;

    let given = orderdesk_server::push::crypto::VapidKey::generate();
    let expected = given.public_base64();
    let operators = TestServer::open(dir, start_instant(), move |config| {
        config.vapid_key = Some(given);
    })
    .await;
    assert_eq!(
        server_key(&operators.login("service").await).await,
        expected
    );
}

#[tokio::test]
async fn the_running_server_sends_on_its_own() {
    let server = start(|config| {
        config.push_every = Some(std::time::Duration::from_millis(200));
    })
    .await;
    let push = PushService::start().await;
    let service = server.login("service").await;
    let browser = Browser::new();
    subscribe(&service, &browser.subscription(&push.endpoint("live"))).await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "Сам")).await;
    let received = push.wait_for(1).await;
    assert_eq!(browser.message(&received[0].body)["order"], number);
}

#[tokio::test]
async fn instances_on_one_database_share_the_key_and_send_each_push_once() {
    if !on_postgres() {
        eprintln!("skipped on SQLite: one instance per file");
        return;
    }
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    // Created first, so that both instances below meet a database with no key.
    database_in(dir.path()).await;
    let (a, b) = tokio::join!(
        TestServer::open(dir.clone(), start_instant(), |_| {}),
        TestServer::open(dir.clone(), start_instant(), |_| {}),
    );
    assert!(orderdesk_server::demo::seed(&a.state)
        .await
        .expect("demo data"));
    let key = server_key(&a.login("service").await).await;
    assert_eq!(server_key(&b.login("service").await).await, key);

    let push = PushService::start().await;
    let browser = Browser::new();
    subscribe(
        &a.login("service").await,
        &browser.subscription(&push.endpoint("both")),
    )
    .await;
    let resident = b.login("resident").await;
    for text in ["Один", "Два", "Три"] {
        create(&resident, simple_request(CLEANING, text)).await;
    }
    let mut delivered = 0;
    for _ in 0..5 {
        let (from_a, from_b) = tokio::join!(deliver(&a), deliver(&b));
        delivered += from_a.delivered + from_b.delivered;
    }
    assert_eq!(delivered, 3);
    let received = push.received();
    assert_eq!(received.len(), 3, "each push once");
    for request in &received {
        vapid_claims(request.header("authorization"), &key);
        browser.message(&request.body);
    }
}
