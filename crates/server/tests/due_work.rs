//! Clock-driven work runs when it falls due, not at the next round of a
//! half-minute interval: a server on the system clock, as in production.

mod common;

use common::*;
use orderdesk_server::{AppState, SystemClock};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the sandbox provider takes to complete a refund here.
const REFUND_DELAY: Duration = Duration::from_secs(2);
/// The bound past the due moment: generous, not a timing claim.
const WITHIN: Duration = Duration::from_secs(3);

/// A server on the system clock with the demo, whose clock work would wait
/// half a minute between rounds if nothing woke it.
async fn start_on_the_system_clock(dir: &tempfile::TempDir) -> Api {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    let mut config = config_in(dir.path()).await;
    config.public_url = format!("http://{addr}");
    config.tick_every = Some(Duration::from_secs(30));
    config.refund_delay = chrono::Duration::from_std(REFUND_DELAY).expect("a delay");
    let state = AppState::open(config, Arc::new(SystemClock))
        .await
        .expect("the database opens");
    assert!(orderdesk_server::demo::seed(&state)
        .await
        .expect("demo data"));
    tokio::spawn(orderdesk_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    Api {
        base: format!("http://{addr}/api/v1"),
        token: None,
        http: reqwest::Client::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_the_provider_completed_shows_within_seconds_not_at_the_next_tick() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut resident = start_on_the_system_clock(&dir).await;
    let (status, body) = resident
        .post(
            "/auth/login",
            json!({"login": "resident", "password": "demo"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    resident.token = Some(body["token"].as_str().expect("a token").to_owned());
    // Let the first round at start pass, so only a wake-up can be in time.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let number = create(&resident, booking(PYTHON, FREE_DAY, &["10:00"])).await;
    let card = resident.order(number).await;
    let (status, cancelled) = resident
        .post(&format!("/orders/{number}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    // Money that arrives after the cancel goes back after REFUND_DELAY.
    let (status, body) = pay(&resident, &card, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let paid = Instant::now();
    assert_eq!(
        resident.order(number).await["status"],
        "cancelled_refund_pending"
    );

    loop {
        let order = resident.order(number).await;
        if order["status"] == "cancelled_refunded" {
            assert_eq!(order["payment"]["refunded"], 10_000);
            break;
        }
        assert!(
            paid.elapsed() < REFUND_DELAY + WITHIN,
            "still «{}» {:?} after the payment; the refund fell due after {REFUND_DELAY:?}",
            order["status"],
            paid.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
