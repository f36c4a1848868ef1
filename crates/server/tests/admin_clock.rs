//! The scenario on the server's own clock, as in production: the
//! administrator creates a manager and a service with a one-minute
//! auto-close; a requester's order reaches the new manager (list,
//! notification, pull); left in «Выполнен. Ожидает подтверждения» it
//! becomes «Выполнен» about a minute later with nobody doing anything.

mod common;

use common::*;
use orderdesk_server::{AppState, SystemClock};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bound: about a minute, waited for at most this long.
const WITHIN: Duration = Duration::from_secs(75);

/// A server on the system clock with the demo and the production safety
/// net of half a minute between rounds.
async fn start_on_the_system_clock(dir: &tempfile::TempDir) -> Api {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    let mut config = config_in(dir.path()).await;
    config.public_url = format!("http://{addr}");
    config.tick_every = Some(Duration::from_secs(30));
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

async fn signed_in(anonymous: &Api, login: &str, password: &str) -> Api {
    let mut api = anonymous.clone();
    let (status, body) = api
        .post("/auth/login", json!({"login": login, "password": password}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.token = Some(body["token"].as_str().expect("a token").to_owned());
    api
}

/// The new manager, and the new service's id.
async fn set_up(admin: &Api) -> i64 {
    let (status, manager) = admin
        .post(
            "/admin/users",
            json!({"login": "courier", "name": "Пётр Курьеров",
            "role": "service_manager", "password": "password1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{manager}");
    let (status, service) = admin
        .post(
            "/admin/services",
            json!({"name": "Курьерская доставка", "kind": "simple_request",
            "auto_close_minutes": 1, "responsible": [manager["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{service}");
    service["id"].as_i64().expect("an id")
}

/// Every page of a first pull: the orders and the notices.
async fn pull_everything(api: &Api) -> (Vec<Value>, Vec<Value>) {
    let (mut orders, mut notices, mut cursor) = (Vec::new(), Vec::new(), 0);
    loop {
        let (status, page) = api.get(&format!("/sync/pull?cursor={cursor}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        orders.extend(page["orders"].as_array().cloned().unwrap_or_default());
        notices.extend(page["notices"].as_array().cloned().unwrap_or_default());
        cursor = page["next_cursor"].as_i64().expect("a cursor");
        if page["has_more"] != json!(true) {
            return (orders, notices);
        }
    }
}

/// Reads the order every second until it is done, for [`WITHIN`] at most.
async fn wait_until_done(api: &Api, number: i64) {
    let from = std::time::Instant::now();
    loop {
        let order = api.order(number).await;
        if order["status"] == json!("done") {
            return;
        }
        assert!(
            from.elapsed() < WITHIN,
            "still {} after {WITHIN:?}",
            order["status"]
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn listed(page: &Value, number: i64) -> bool {
    page["items"]
        .as_array()
        .is_some_and(|items| items.iter().any(|o| o["number"] == json!(number)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_of_a_new_service_reaches_its_new_manager_and_auto_closes_a_minute_after_waiting()
{
    let dir = tempfile::tempdir().expect("a temporary directory");
    let anonymous = start_on_the_system_clock(&dir).await;
    let admin = signed_in(&anonymous, "admin", "demo").await;
    let service = set_up(&admin).await;
    let resident = signed_in(&anonymous, "resident", "demo").await;
    let manager = signed_in(&anonymous, "courier", "password1").await;
    let number = create(&resident, simple_request(service, "Отвезти договор в банк")).await;

    assert!(
        listed(&manager.get("/orders").await.1, number),
        "in the manager's list"
    );
    let (_, notices) = manager.get("/notifications").await;
    assert!(
        notices
            .as_array()
            .expect("notices")
            .iter()
            .any(|n| n["order"] == json!(number) && n["event"] == json!("order_created")),
        "{notices}"
    );
    let (orders, notices) = pull_everything(&manager).await;
    let numbers: Vec<&Value> = orders.iter().map(|o| &o["number"]).collect();
    assert_eq!(
        numbers,
        vec![&json!(number)],
        "the manager's cache gets the order"
    );
    assert!(
        notices.iter().any(|n| n["order"] == json!(number)),
        "{notices:?}"
    );
    assert!(
        !listed(
            &signed_in(&anonymous, "service", "demo")
                .await
                .get("/orders?per_page=100")
                .await
                .1,
            number
        ),
        "a manager not responsible for the new service does not see it"
    );

    for to in ["in_progress", "awaiting_confirmation"] {
        let (status, order) = manager
            .post(&format!("/orders/{number}/status"), json!({"status": to}))
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
    }
    let waiting_from = Instant::now();
    assert_eq!(
        status_label(&manager.order(number).await),
        "Выполнен. Ожидает подтверждения"
    );
    wait_until_done(&manager, number).await;
    let waited = waiting_from.elapsed();
    assert!(
        waited >= Duration::from_secs(55),
        "closed after {waited:?}, before its minute"
    );
    assert_eq!(status_label(&manager.order(number).await), "Выполнен");
}
