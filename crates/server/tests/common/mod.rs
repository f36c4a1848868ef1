//! A real server on 127.0.0.1:0 over a fresh database in a temporary
//! directory, filled with the demo, with a clock the test moves; and a small
//! JSON client for it.
//!
//! One suite, two engines: by default the database is the SQLite file
//! `orders.db` in the test's directory; with `ORDERDESK_TEST_ENGINE=postgres`
//! it is a fresh PostgreSQL database of its own on the cluster named by
//! `ORDERDESK_TEST_POSTGRES` (`cargo xtask test` and `cargo xtask
//! test-postgres` start one and set both). The few checks that are about the
//! SQLite file itself say so through [`sqlite_only`].
#![allow(dead_code)]

mod database;

#[allow(unused_imports)] // each test file uses its own part
pub use database::{database_in, on_postgres, sqlite_only, TestDatabase};

use chrono::{DateTime, Duration, TimeZone, Utc};
use orderdesk_server::{AppState, Config, ManualClock, PasswordCost};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// 2026-11-27 09:00 at the site (+03:00): the instant every test starts at.
pub fn start_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 6, 0, 0)
        .single()
        .expect("a valid instant")
}

/// A day far from the demo's bookings, for tests that book.
pub const FREE_DAY: &str = "2027-03-01";

// Demo ids, fixed by the order the demo creates things in.
pub const CLEANING: i64 = 1;
pub const PLUMBER: i64 = 2;
pub const PREMISES: i64 = 4;
pub const ROOMS: i64 = 5;
pub const COWORKING: i64 = 6;
pub const HOTEL: i64 = 7;
pub const SHOP: i64 = 8;
pub const PYTHON: i64 = 1;
pub const JAVA: i64 = 2;
pub const COWORKING_FLOOR: i64 = 3;
pub const HOTEL_UYUT: i64 = 4;
pub const EARLY_CHECK_IN: i64 = 4;
pub const FIRST_GOOD: i64 = 6;
pub const SERVICE: i64 = 2;
pub const SERVICE2: i64 = 3;
pub const RENTAL: i64 = 4;
pub const RESIDENT: i64 = 6;
pub const COMPANY: i64 = 7;

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub dir: Arc<TempDir>,
    /// The database it runs on, for looking at it from outside.
    pub database: TestDatabase,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// The tests' configuration over the database of the test directory `dir`
/// (created on the PostgreSQL cluster on first use).
pub async fn config_in(dir: &Path) -> Config {
    config(&database_in(dir).await)
}

/// The tests' configuration over `database`: fast password hashing, no
/// clock-driven rounds and no Web Push sender of its own (tests tick and
/// deliver), a short refund delay.
pub fn config(database: &TestDatabase) -> Config {
    let mut config = database.server_config();
    config.password_cost = PasswordCost::Fast;
    config.tick_every = None;
    config.push_every = None;
    config.refund_delay = Duration::minutes(5);
    config.webhook_secret = "test-secret".to_owned();
    config
}

impl TestServer {
    /// A fresh database with the demo.
    pub async fn start() -> TestServer {
        let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
        let server = TestServer::open(dir, start_instant(), |_| {}).await;
        assert!(orderdesk_server::demo::seed(&server.state)
            .await
            .expect("demo data"));
        server
    }

    /// A server over the database in `dir`, as it is.
    pub async fn open(
        dir: Arc<TempDir>,
        now: DateTime<Utc>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestServer {
        let database = database_in(dir.path()).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let mut config = config(&database);
        config.public_url = format!("http://{addr}");
        adjust(&mut config);
        let clock = Arc::new(ManualClock::new(now));
        let state = AppState::open(config, clock.clone())
            .await
            .expect("the database opens");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(orderdesk_server::serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        TestServer {
            base: format!("http://{addr}/api/v1"),
            state,
            clock,
            dir,
            database,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// Stops serving and closes the database, as a process exit would.
    pub async fn stop(mut self) -> Arc<TempDir> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.state.storage().close().await;
        self.dir.clone()
    }

    pub fn anonymous(&self) -> Api {
        Api {
            base: self.base.clone(),
            token: None,
            http: reqwest::Client::new(),
        }
    }

    pub async fn login(&self, login: &str) -> Api {
        let mut api = self.anonymous();
        let (status, body) = api
            .post(
                "/auth/login",
                serde_json::json!({"login": login, "password": "demo"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {login}: {body}");
        api.token = Some(body["token"].as_str().expect("a token").to_owned());
        api
    }

    /// Runs the clock-driven work at the clock's time.
    pub async fn tick(&self) -> orderdesk_server::ticker::TickReport {
        orderdesk_server::ticker::tick(&self.state, self.clock.now_utc())
            .await
            .expect("tick")
    }

    /// The rows of `table`, counted on the database itself (either engine).
    pub async fn count(&self, table: &str) -> i64 {
        self.database.count(table).await
    }

    /// Runs `sql` (one or more statements, in the engine's own dialect) on
    /// the database from outside the server, as an operator would.
    pub async fn execute(&self, sql: &str) {
        self.database.execute(sql).await
    }
}

pub trait NowUtc {
    fn now_utc(&self) -> DateTime<Utc>;
}

impl NowUtc for ManualClock {
    fn now_utc(&self) -> DateTime<Utc> {
        orderdesk_server::Clock::now(self)
    }
}

/// A JSON client with an optional bearer token.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: Option<String>,
    pub http: reqwest::Client,
}

impl Api {
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        req
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let resp = req.send().await.expect("the server answers");
        let status = resp.status();
        let text = resp.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got: {text}"))
        };
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::PATCH, path).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::PUT, path).json(&body))
            .await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    pub async fn post_with_key(&self, path: &str, body: Value, key: &str) -> (StatusCode, Value) {
        self.send(
            self.request(reqwest::Method::POST, path)
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
        self.send(
            self.request(reqwest::Method::POST, path)
                .header("content-type", "application/json")
                .body(body),
        )
        .await
    }

    /// The order card.
    pub async fn order(&self, number: i64) -> Value {
        let (status, body) = self.get(&format!("/orders/{number}")).await;
        assert_eq!(status, StatusCode::OK, "order {number}: {body}");
        body
    }
}

/// The `error.code` of an error body.
/// The status of an order as a Russian user reads it: the wire carries the
/// id only, and every client labels it with the domain's `label`.
pub fn status_label(order: &Value) -> &'static str {
    assert!(
        order.get("status_label").is_none() && order.get("status_tone").is_none(),
        "labels do not travel on the wire: {order}"
    );
    let id = order["status"].as_str().expect("a status id");
    orderdesk_domain::Status::parse(id)
        .expect("a known status")
        .label(orderdesk_domain::Lang::Ru)
}

/// The kind of an order as a Russian user reads it.
pub fn kind_label(order: &Value) -> &'static str {
    assert!(
        order.get("kind_label").is_none(),
        "labels do not travel on the wire: {order}"
    );
    let id = order["kind"].as_str().expect("a kind id");
    orderdesk_domain::OrderKind::parse(id)
        .expect("a known kind")
        .label(orderdesk_domain::Lang::Ru)
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no code>")
}

/// Creates an order as `api` and returns its number.
pub async fn create(api: &Api, body: Value) -> i64 {
    let (status, order) = api.post("/orders", body).await;
    assert_eq!(status, StatusCode::CREATED, "create: {order}");
    order["number"].as_i64().expect("a number")
}

pub fn simple_request(service: i64, text: &str) -> Value {
    serde_json::json!({
        "service_id": service,
        "description": text,
        "details": {"kind": "simple_request"}
    })
}

pub fn booking(resource: i64, date: &str, slots: &[&str]) -> Value {
    serde_json::json!({
        "service_id": ROOMS,
        "details": {"kind": "booking", "resource_id": resource, "date": date, "slots": slots}
    })
}

/// Pays through the sandbox payment link of the order, as the requester's
/// browser would; `amount` in kopecks, or all that is owed.
pub async fn pay(api: &Api, order: &Value, amount: Option<i64>) -> (StatusCode, Value) {
    let url = order["payment"]["payment_url"]
        .as_str()
        .expect("a payment link")
        .to_owned();
    let body = match amount {
        Some(a) => serde_json::json!({"amount": a}),
        None => serde_json::json!({}),
    };
    api.send(api.http.post(url).json(&body)).await
}
