//! Two server instances over one PostgreSQL database, as a load balancer
//! runs them: bookings contended across both, the database's own refusal of
//! a double booking, live events and their resumption on either instance,
//! clock work and e-mail done once, idempotency keys, sync mutation ids and
//! sessions that hold on both.
//!
//! Needs a PostgreSQL cluster: `ORDERDESK_TEST_POSTGRES` is the URL of its
//! admin database (`cargo xtask test` starts one and sets it). Each test
//! creates its own database there; without the variable each test says why
//! and passes, so a plain `cargo test` needs no PostgreSQL.

use chrono::{DateTime, TimeZone, Utc};
use futures::StreamExt;
use orderdesk_server::config::SmtpConfig;
use orderdesk_server::storage::{query, query_scalar};
use orderdesk_server::ticker::TickReport;
use orderdesk_server::{AppState, Clock, Config, Database, ManualClock, PasswordCost};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Connection;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

// Demo ids, fixed by the order the demo creates things in.
const ROOMS: i64 = 5;
const COWORKING: i64 = 6;
const HOTEL: i64 = 7;
const PYTHON: i64 = 1;
const COWORKING_FLOOR: i64 = 3;
const HOTEL_UYUT: i64 = 4;
const JAVA: i64 = 2;
const COMPANY: i64 = 7;

/// The statuses in which a booking holds nothing.
const CANCELLED: &str = "('cancelled', 'cancelled_refund_pending', 'cancelled_refunded')";

/// 2026-11-27 09:00 at the site (+03:00), the demo's "now".
fn start_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 6, 0, 0)
        .single()
        .expect("a valid instant")
}

/// The cluster's admin URL, or `None` (said on stderr) when there is none.
fn admin_url(test: &str) -> Option<String> {
    match std::env::var("ORDERDESK_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("{test}: skipped, ORDERDESK_TEST_POSTGRES names no PostgreSQL cluster");
            None
        }
    }
}

/// Creates an empty database beside the admin one; returns its URL and name.
async fn fresh_database(admin: &str) -> (String, String) {
    let name = format!("inst_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("the admin database answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("a database is created");
    let _ = conn.close().await;
    let (base, params) = match admin.split_once('?') {
        Some((base, params)) => (base, format!("?{params}")),
        None => (admin, String::new()),
    };
    let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
    (format!("{root}/{name}{params}"), name)
}

/// One in-process server on its own loopback port.
struct Instance {
    base: String,
    state: AppState,
    clock: Arc<ManualClock>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Instance {
    async fn start(url: &str, adjust: &dyn Fn(&mut Config)) -> Instance {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let mut config = Config::new(Database::Postgres(url.to_owned()));
        config.password_cost = PasswordCost::Fast;
        config.tick_every = None;
        config.refund_delay = chrono::Duration::minutes(5);
        config.webhook_secret = "test-secret".to_owned();
        // Tests run side by side on one cluster: a small pool per instance
        // keeps them well within its connection limit.
        config.db_pool_size = 4;
        config.public_url = format!("http://{addr}");
        adjust(&mut config);
        let clock = Arc::new(ManualClock::new(start_instant()));
        let state = AppState::open(config, clock.clone())
            .await
            .expect("the database opens");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(orderdesk_server::serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        Instance {
            base: format!("http://{addr}/api/v1"),
            state,
            clock,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.state.storage().close().await;
    }

    async fn login(&self, login: &str) -> Api {
        let api = Api {
            base: self.base.clone(),
            token: None,
            http: reqwest::Client::new(),
        };
        let (status, body) = api
            .post("/auth/login", json!({"login": login, "password": "demo"}))
            .await;
        assert_eq!(status, StatusCode::OK, "login {login}: {body}");
        api.with_token(body["token"].as_str().expect("a token"))
    }

    /// One number the database gives.
    async fn scalar(&self, sql: &str) -> i64 {
        let mut conn = self.state.storage().read().await.expect("a connection");
        query_scalar::<i64>(sql)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    async fn tick(&self) -> TickReport {
        orderdesk_server::ticker::tick(&self.state, self.clock.now())
            .await
            .expect("a clock round")
    }
}

/// Two instances on a fresh database with the demo, seeded once.
struct Pair {
    a: Instance,
    b: Instance,
    test: String,
    admin: String,
    database: String,
    started: Instant,
}

impl Pair {
    async fn start(test: &str) -> Option<Pair> {
        Pair::start_with(test, &|_| {}).await
    }

    async fn start_with(test: &str, adjust: &dyn Fn(&mut Config)) -> Option<Pair> {
        let started = Instant::now();
        let admin = admin_url(test)?;
        let (url, database) = fresh_database(&admin).await;
        let (a, b) = tokio::join!(Instance::start(&url, adjust), Instance::start(&url, adjust));
        assert!(orderdesk_server::demo::seed(&a.state)
            .await
            .expect("demo data"));
        eprintln!(
            "{test}: two instances and the demo ready in {:?}",
            started.elapsed()
        );
        Some(Pair {
            a,
            b,
            test: test.to_owned(),
            admin,
            database,
            started,
        })
    }

    /// Stops both instances and drops the database.
    async fn stop(self) {
        let stopping = Instant::now();
        tokio::join!(self.a.stop(), self.b.stop());
        eprintln!(
            "{}: instances stopped in {:?}",
            self.test,
            stopping.elapsed()
        );
        let mut conn = sqlx::PgConnection::connect(&self.admin)
            .await
            .expect("the admin database answers");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.database
        )))
        .execute(&mut conn)
        .await
        .expect("the test's database is dropped");
        let _ = conn.close().await;
        eprintln!(
            "{}: {:?} with both instances",
            self.test,
            self.started.elapsed()
        );
    }

    /// Moves both instances' clocks to `to`.
    fn set_clocks(&self, to: DateTime<Utc>) {
        self.a.clock.set(to);
        self.b.clock.set(to);
    }
}

/// A JSON client with an optional bearer token.
#[derive(Clone)]
struct Api {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Api {
    fn with_token(&self, token: &str) -> Api {
        Api {
            token: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// The same user on another instance.
    fn on(&self, instance: &Instance) -> Api {
        Api {
            base: instance.base.clone(),
            ..self.clone()
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
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

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
            .await
    }

    async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::PATCH, path).json(&body))
            .await
    }

    async fn post_with_key(&self, path: &str, body: Value, key: &str) -> (StatusCode, Value) {
        let req = self
            .request(reqwest::Method::POST, path)
            .header("Idempotency-Key", key);
        self.send(req.json(&body)).await
    }
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no code>")
}

fn number(order: &Value) -> i64 {
    order["number"].as_i64().expect("an order number")
}

fn meeting_room(date: &str, slots: &[&str]) -> Value {
    json!({
        "service_id": ROOMS,
        "details": {"kind": "booking", "resource_id": PYTHON, "date": date, "slots": slots}
    })
}

// ---------------------------------------------------------------------------
// 1. Contended bookings across both instances.

/// Sends `body` 100 times at once, 50 through each instance, alternating
/// two requesters; returns (created, refused with `refusal`).
async fn contend(pair: &Pair, body: Value, refusal: &str) -> (usize, usize) {
    let people = [
        pair.a.login("resident").await,
        pair.a.login("company").await,
    ];
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let instance = if i % 2 == 0 { &pair.a } else { &pair.b };
        let api = people[(i / 2) % 2].on(instance);
        let body = body.clone();
        tasks.push(tokio::spawn(async move { api.post("/orders", body).await }));
    }
    let (mut created, mut refused) = (0, 0);
    for task in tasks {
        let (status, body) = task.await.expect("the request task");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT if code(&body) == refusal => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    eprintln!(
        "{}: {created} created, {refused} × {refusal} in {:?}",
        body["details"]["kind"],
        started.elapsed()
    );
    (created, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_contenders_on_two_instances_give_one_booking_of_a_slot() {
    let Some(pair) = Pair::start("contended meeting room").await else {
        return;
    };
    let got = contend(&pair, meeting_room("2027-03-01", &["10:00"]), "slot_taken").await;
    assert_eq!(got, (1, 99));
    let live = pair
        .b
        .scalar(&format!(
            "SELECT count(*) FROM orders WHERE resource_id = {PYTHON} \
             AND booking_date = DATE '2027-03-01' AND status NOT IN {CANCELLED}"
        ))
        .await;
    assert_eq!(live, 1, "one live booking of the slot");
    let held = pair
        .b
        .scalar(&format!(
            "SELECT count(*) FROM slot_holds WHERE resource_id = {PYTHON} \
             AND date = DATE '2027-03-01'"
        ))
        .await;
    assert_eq!(held, 1, "one hold of the slot");
    pair.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_contenders_on_two_instances_get_no_more_desks_or_rooms_than_there_are() {
    let Some(pair) = Pair::start("contended desks and rooms").await else {
        return;
    };
    let desks = pair
        .a
        .scalar(&format!(
            "SELECT capacity FROM resources WHERE id = {COWORKING_FLOOR}"
        ))
        .await;
    let coworking = json!({
        "service_id": COWORKING,
        "details": {"kind": "coworking_booking", "resource_id": COWORKING_FLOOR,
            "date_from": "2027-03-01", "date_to": "2027-03-02"}
    });
    let got = contend(&pair, coworking, "capacity_exhausted").await;
    assert_eq!(got, (desks as usize, 100 - desks as usize), "{desks} desks");
    let rooms = pair
        .a
        .scalar(&format!(
            "SELECT capacity FROM resources WHERE id = {HOTEL_UYUT}"
        ))
        .await;
    let hotel = json!({
        "service_id": HOTEL,
        "details": {"kind": "hotel_booking", "resource_id": HOTEL_UYUT,
            "check_in": "2027-05-01", "check_out": "2027-05-03",
            "adults": 1, "children": 0, "extras": [], "extras_separate_line": false}
    });
    let got = contend(&pair, hotel, "capacity_exhausted").await;
    assert_eq!(got, (rooms as usize, 100 - rooms as usize), "{rooms} rooms");
    for (resource, capacity, days) in [
        (COWORKING_FLOOR, desks, "('2027-03-01', '2027-03-02')"),
        (HOTEL_UYUT, rooms, "('2027-05-01', '2027-05-02')"),
    ] {
        let full = pair
            .b
            .scalar(&format!(
                "SELECT count(*) FROM capacity_days WHERE resource_id = {resource} \
                 AND day IN {days} AND used = {capacity}"
            ))
            .await;
        assert_eq!(full, 2, "object {resource}: both days full, none over");
    }
    pair.stop().await;
}

/// Moves each order to Java 16:00 on `date`, all at once, alternating
/// instances; returns the statuses and error codes.
async fn move_all(pair: &Pair, orders: &[i64], date: &str) -> Vec<(StatusCode, String)> {
    let rental = pair.a.login("rental").await;
    let mut tasks = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let api = if i % 2 == 0 {
            rental.clone()
        } else {
            rental.on(&pair.b)
        };
        let body = json!({"resource_id": JAVA, "date": date, "slots": ["16:00"],
            "payer_id": COMPANY, "comment": null});
        let path = format!("/orders/{order}/booking");
        tasks.push(tokio::spawn(async move { api.patch(&path, body).await }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        let (status, body) = task.await.expect("the request task");
        answers.push((status, code(&body).to_owned()));
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bookings_moved_onto_one_slot_through_both_instances_give_one_move() {
    let Some(pair) = Pair::start("contended booking moves").await else {
        return;
    };
    let company = pair.a.login("company").await;
    let date = "2027-04-20";
    let mut orders = Vec::new();
    for slot in ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00"] {
        let (status, order) = company.post("/orders", meeting_room(date, &[slot])).await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        orders.push(number(&order));
    }
    let answers = move_all(&pair, &orders, date).await;
    eprintln!("moves onto one slot: {answers:?}");
    let moved = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let taken = answers
        .iter()
        .filter(|(s, c)| *s == StatusCode::CONFLICT && c == "slot_taken")
        .count();
    assert_eq!((moved, taken), (1, orders.len() - 1), "{answers:?}");
    let live = pair
        .b
        .scalar(&format!(
            "SELECT count(*) FROM orders WHERE resource_id = {JAVA} \
             AND booking_date = DATE '{date}' AND status NOT IN {CANCELLED}"
        ))
        .await;
    assert_eq!(live, 1);
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 2. The database itself refuses a double booking.

/// Inserts a copy of booking `number` one slot later, as `status`.
async fn insert_overlapping(state: &AppState, number: i64) -> Result<(), sqlx::Error> {
    let mut tx = state.storage().begin().await?;
    query(
        "INSERT INTO orders (number, kind, status, service_id, requester_id, title, \
         resource_id, booking_date, first_slot, slot_count, created_at, updated_at) \
         SELECT (SELECT max(number) + 1 FROM orders), kind, 'new', service_id, requester_id, \
         title, resource_id, booking_date, first_slot + 1, slot_count, created_at, updated_at \
         FROM orders WHERE number = $1",
    )
    .bind(number)
    .execute(&mut tx)
    .await?;
    // Only the refusal matters; nothing is kept.
    tx.rollback().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_an_overlapping_live_booking_written_past_the_server() {
    let Some(pair) = Pair::start("exclusion constraint").await else {
        return;
    };
    let resident = pair.a.login("resident").await;
    let (status, order) = resident
        .post("/orders", meeting_room("2027-03-02", &["11:00", "11:30"]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let refused = insert_overlapping(&pair.b.state, number(&order))
        .await
        .expect_err("an overlapping live booking is refused");
    let db = refused.as_database_error().expect("a database error");
    assert_eq!(db.code().as_deref(), Some("23P01"), "{refused}");
    assert_eq!(db.constraint(), Some("orders_no_double_booking"));
    let (status, cancelled) = resident
        .post(&format!("/orders/{}/cancel", number(&order)), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    insert_overlapping(&pair.b.state, number(&order))
        .await
        .expect("a cancelled booking blocks nothing");
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 3. Live events across instances.

/// One `event: order` of an `/events` stream.
#[derive(Debug, Clone, PartialEq)]
struct Received {
    id: i64,
    data: Value,
}

/// Reads an `/events` stream event by event.
struct EventStream {
    body: futures::stream::BoxStream<'static, reqwest::Result<Vec<u8>>>,
    buffer: String,
}

impl EventStream {
    async fn open(api: &Api, last_id: Option<i64>) -> EventStream {
        let mut req = api
            .request(reqwest::Method::GET, "/events")
            .header("accept", "text/event-stream");
        if let Some(id) = last_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let resp = req.send().await.expect("the event stream opens");
        assert_eq!(resp.status(), StatusCode::OK);
        EventStream {
            body: resp.bytes_stream().map(|r| r.map(|b| b.to_vec())).boxed(),
            buffer: String::new(),
        }
    }

    /// The next order event within `within`, skipping keep-alives.
    async fn next(&mut self, within: Duration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse_event(&block) {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next()).await;
            match chunk {
                Ok(Some(Ok(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}

fn parse_event(block: &str) -> Option<Received> {
    let (mut id, mut kind, mut data) = (None, None, None);
    for line in block.lines() {
        if let Some((field, value)) = line.split_once(':') {
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "id" => id = value.parse::<i64>().ok(),
                "event" => kind = Some(value.to_owned()),
                "data" => data = serde_json::from_str(value).ok(),
                _ => {}
            }
        }
    }
    match kind.as_deref() {
        Some("order") => Some(Received {
            id: id?,
            data: data?,
        }),
        _ => None,
    }
}

async fn post_message(api: &Api, order: i64, text: &str) {
    let (status, body) = api
        .post(
            &format!("/orders/{order}/messages"),
            json!({"text": text, "visibility": "public"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Books three meeting-room slots as `api`; returns the order numbers.
async fn three_bookings(api: &Api) -> Vec<i64> {
    let mut numbers = Vec::new();
    for slot in ["12:00", "13:00", "14:00"] {
        let (status, order) = api
            .post("/orders", meeting_room("2027-03-03", &[slot]))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        numbers.push(number(&order));
    }
    numbers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_through_one_instance_reaches_the_others_stream_within_a_second() {
    let Some(pair) = Pair::start("events across instances").await else {
        return;
    };
    let resident = pair.a.login("resident").await;
    let orders = three_bookings(&resident).await;
    let mut stream = EventStream::open(&resident.on(&pair.b), None).await;
    let mut latencies = Vec::new();
    let mut last = None;
    for i in 0..5 {
        let sent = Instant::now();
        post_message(&resident, orders[0], &format!("Вопрос {i}")).await;
        let event = stream
            .next(Duration::from_secs(5))
            .await
            .expect("the change reaches instance B's stream");
        latencies.push(sent.elapsed());
        assert_eq!(event.data["order"], json!(orders[0]), "{event:?}");
        last = Some(event.id);
    }
    eprintln!("A → B event latencies (from the request on A): {latencies:?}");
    let worst = latencies.iter().max().copied().unwrap_or_default();
    assert!(worst < Duration::from_secs(1), "worst {worst:?}");
    drop(stream);
    // Missed while disconnected: one change of each order (a replay tells
    // each order once, at its latest change).
    for (i, order) in orders.iter().enumerate() {
        post_message(&resident, *order, &format!("Пока не слушали {i}")).await;
    }
    let mut replays = Vec::new();
    for instance in [&pair.a, &pair.b] {
        let mut resumed = EventStream::open(&resident.on(instance), last).await;
        let mut got = Vec::new();
        while let Some(event) = resumed.next(Duration::from_secs(2)).await {
            got.push(event);
            if got.len() == orders.len() {
                break;
            }
        }
        replays.push(got);
    }
    eprintln!("replayed after id {last:?}: {:?}", replays[0]);
    assert_eq!(replays[0].len(), 3, "{replays:?}");
    assert_eq!(replays[0], replays[1], "both instances replay the same");
    let told: Vec<Value> = replays[0].iter().map(|e| e.data["order"].clone()).collect();
    assert_eq!(told, orders.iter().map(|n| json!(n)).collect::<Vec<_>>());
    assert!(replays[0].iter().all(|e| Some(e.id) > last));
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 4. Clock work and e-mail, once across instances.

fn add(a: TickReport, b: TickReport) -> TickReport {
    TickReport {
        auto_closed: a.auto_closed + b.auto_closed,
        advanced: a.advanced + b.advanced,
        refunds_completed: a.refunds_completed + b.refunds_completed,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clock_work_runs_once_with_two_instances_ticking_together() {
    let Some(pair) = Pair::start("clock work once").await else {
        return;
    };
    let awaiting = pair
        .a
        .scalar("SELECT count(*) FROM orders WHERE status = 'awaiting_confirmation'")
        .await;
    let refunds = pair
        .a
        .scalar("SELECT count(*) FROM orders WHERE refunding > 0")
        .await;
    let changes_before = pair.a.scalar("SELECT count(*) FROM changes").await;
    let started = Instant::now();
    let mut total = TickReport::default();
    // A day at a time over a month: bookings begin and end, requests
    // nobody confirmed close, refunds complete.
    for day in 1..=30 {
        pair.set_clocks(start_instant() + chrono::Duration::days(day));
        for _ in 0..3 {
            let (a, b) = tokio::join!(pair.a.tick(), pair.b.tick());
            total = add(total, add(a, b));
        }
    }
    // Nothing is left for another round to do.
    let (a, b) = tokio::join!(pair.a.tick(), pair.b.tick());
    assert_eq!(add(a, b), TickReport::default(), "all done once");
    let changes = pair.a.scalar("SELECT count(*) FROM changes").await - changes_before;
    let finished = pair
        .a
        .scalar("SELECT count(*) FROM orders WHERE status IN ('finished', 'cancelled')")
        .await;
    eprintln!("finished or cancelled: {finished}");
    eprintln!(
        "{total:?} in {:?}; {awaiting} were awaiting, {refunds} refunding; {changes} changes",
        started.elapsed()
    );
    assert!(awaiting > 0 && refunds > 0, "the demo has work to do");
    assert_eq!(total.auto_closed as i64, awaiting);
    assert_eq!(total.refunds_completed as i64, refunds);
    assert!(total.advanced > 0);
    let effects = total.auto_closed + total.advanced + total.refunds_completed;
    assert_eq!(changes, effects as i64, "one change per effect");
    let twice = pair
        .a
        .scalar(
            "SELECT count(*) FROM (SELECT order_id, version FROM changes \
             GROUP BY order_id, version HAVING count(*) > 1) AS t",
        )
        .await;
    assert_eq!(twice, 0, "no order version written twice");
    let still = pair
        .a
        .scalar(
            "SELECT count(*) FROM orders WHERE status = 'awaiting_confirmation' OR refunding > 0",
        )
        .await;
    assert_eq!(still, 0);
    pair.stop().await;
}

/// Accepts SMTP sessions on 127.0.0.1:0 and hands on each message's DATA.
async fn smtp_listener() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(smtp_session(socket, tx.clone()));
        }
    });
    (port, rx)
}

async fn smtp_session(
    socket: tokio::net::TcpStream,
    tx: mpsc::UnboundedSender<String>,
) -> Option<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await.ok()?;
    let mut data: Option<String> = None;
    while let Some(line) = lines.next_line().await.ok()? {
        if let Some(body) = data.as_mut() {
            if line == "." {
                tx.send(data.take().unwrap_or_default()).ok()?;
                write.write_all(b"250 queued\r\n").await.ok()?;
            } else {
                body.push_str(&line);
                body.push('\n');
            }
            continue;
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink\r\n",
            "DATA" => {
                data = Some(String::new());
                b"354 end with .\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.ok()?;
                return Some(());
            }
            _ => b"250 ok\r\n",
        };
        write.write_all(reply).await.ok()?;
    }
    Some(())
}

/// Moves `count` fresh bookings, each change queueing an e-mail.
async fn queue_booking_mail(pair: &Pair, count: usize) {
    let company = pair.a.login("company").await;
    let rental = pair.b.login("rental").await;
    for i in 0..count {
        let date = format!("2027-04-{:02}", i + 1);
        let (status, order) = company
            .post("/orders", meeting_room(&date, &["10:00"]))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        let (status, order) = rental
            .patch(
                &format!("/orders/{}/booking", number(&order)),
                json!({"resource_id": JAVA, "date": date, "slots": ["16:00"],
                    "payer_id": COMPANY, "comment": null}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_outbox_email_is_sent_once_by_two_instances_delivering_together() {
    let (port, mut inbox) = smtp_listener().await;
    let smtp = move |config: &mut Config| {
        config.smtp = Some(SmtpConfig {
            host: "127.0.0.1".to_owned(),
            port,
            username: None,
            password: None,
            insecure: true,
        });
    };
    let Some(pair) = Pair::start_with("e-mail once", &smtp).await else {
        return;
    };
    queue_booking_mail(&pair, 6).await;
    // The demo queues none; each instance's own delivery loop may send some
    // of these meanwhile, which must not send them twice either.
    let queued = pair.a.scalar("SELECT count(*) FROM outbox_emails").await;
    assert!(queued >= 6, "{queued} queued");
    let started = Instant::now();
    let mut sent = 0;
    for _ in 0..10 {
        let (a, b) = tokio::join!(
            orderdesk_server::mail::deliver_outbox(&pair.a.state),
            orderdesk_server::mail::deliver_outbox(&pair.b.state)
        );
        sent += a.expect("delivery on A") + b.expect("delivery on B");
    }
    let elapsed = started.elapsed();
    // Whatever is still on its way arrives well within this.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut arrived = 0;
    while inbox.try_recv().is_ok() {
        arrived += 1;
    }
    eprintln!("{queued} queued, {sent} reported sent, {arrived} arrived, in {elapsed:?}");
    assert!(sent as i64 <= queued);
    assert_eq!(arrived as i64, queued, "each e-mail arrives exactly once");
    let unsent = pair
        .a
        .scalar("SELECT count(*) FROM outbox_emails WHERE sent_at IS NULL")
        .await;
    assert_eq!(unsent, 0);
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 5. Idempotency keys and sync mutation ids across instances.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_retried_post_on_the_other_instance_replays_the_first_answer() {
    let Some(pair) = Pair::start("idempotency across instances").await else {
        return;
    };
    let resident = pair.a.login("resident").await;
    let orders_before = pair.a.scalar("SELECT count(*) FROM orders").await;
    let body = meeting_room("2027-03-04", &["09:00"]);
    let first = resident
        .post_with_key("/orders", body.clone(), "key-one")
        .await;
    let again = resident
        .on(&pair.b)
        .post_with_key("/orders", body.clone(), "key-one")
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(again, first, "B replays A's answer");
    let body = meeting_room("2027-03-04", &["15:00"]);
    let resident_b = resident.on(&pair.b);
    let (on_a, on_b) = tokio::join!(
        resident.post_with_key("/orders", body.clone(), "key-two"),
        resident_b.post_with_key("/orders", body, "key-two")
    );
    eprintln!("concurrent same key: A {} B {}", on_a.0, on_b.0);
    for (status, answer) in [&on_a, &on_b] {
        match *status {
            StatusCode::CREATED => {}
            StatusCode::CONFLICT => assert_eq!(code(answer), "idempotency_in_progress"),
            other => panic!("unexpected {other}: {answer}"),
        }
    }
    if on_a.0 == on_b.0 {
        assert_eq!(on_a, on_b, "the second is the first's replay");
    }
    let orders = pair.a.scalar("SELECT count(*) FROM orders").await - orders_before;
    assert_eq!(orders, 2, "one order per key");
    pair.stop().await;
}

/// Pushes one chat message mutation; returns the answer's result.
async fn push_message(api: &Api, order: i64, base_version: i64) -> Value {
    let mutation = json!({
        "client_id": "message-1", "order": order, "base_version": base_version,
        "op": {"op": "post_message", "text": "Уточните время", "visibility": "public"}
    });
    let (status, body) = api
        .post("/sync/push", json!({"mutations": [mutation]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sync_mutation_pushed_to_both_instances_is_applied_once() {
    let Some(pair) = Pair::start("sync ids across instances").await else {
        return;
    };
    let rental = pair.a.login("rental").await;
    let company = pair.a.login("company").await;
    let (status, order) = company
        .post("/orders", meeting_room("2027-03-05", &["10:00"]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (n, version) = (number(&order), order["version"].as_i64().expect("version"));
    let messages = format!(
        "SELECT count(*) FROM messages m JOIN orders o ON o.id = m.order_id \
         WHERE o.number = {n} AND NOT m.system"
    );
    let before = pair.a.scalar(&messages).await;
    let on_a = push_message(&rental, n, version).await;
    let on_b = push_message(&rental.on(&pair.b), n, version).await;
    assert_eq!(on_a["result"], "applied", "{on_a}");
    assert_eq!(on_b, on_a, "B answers as A did");
    assert_eq!(pair.a.scalar(&messages).await, before + 1);
    let second = json!({
        "client_id": "message-2", "order": n, "base_version": version,
        "op": {"op": "post_message", "text": "Ещё вопрос", "visibility": "public"}
    });
    let body = json!({"mutations": [second]});
    let rental_b = rental.on(&pair.b);
    let (x, y) = tokio::join!(
        rental.post("/sync/push", body.clone()),
        rental_b.post("/sync/push", body)
    );
    assert_eq!(
        (x.0, y.0),
        (StatusCode::OK, StatusCode::OK),
        "{} {}",
        x.1,
        y.1
    );
    assert_eq!(x.1, y.1, "one outcome for one mutation id");
    assert_eq!(pair.a.scalar(&messages).await, before + 2);
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 6. Sessions.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_begun_on_one_instance_works_and_ends_on_the_other() {
    let Some(pair) = Pair::start("sessions across instances").await else {
        return;
    };
    let on_a = pair.a.login("resident").await;
    let on_b = on_a.on(&pair.b);
    let (status, me) = on_b.get("/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["login"], "resident", "{me}");
    let mut stream = EventStream::open(&on_a, None).await;
    let (status, body) = on_b.post("/auth/logout", json!({})).await;
    assert!(status.is_success(), "{status} {body}");
    let (status, body) = on_a.get("/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = on_b.get("/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The stream on A learns of the sign-out at the next change anywhere.
    let company = pair.b.login("company").await;
    let (status, order) = company
        .post("/orders", meeting_room("2027-03-06", &["10:00"]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let waited = Instant::now();
    let told = stream.next(Duration::from_secs(5)).await;
    assert!(told.is_none(), "nothing told after the sign-out: {told:?}");
    assert!(
        waited.elapsed() < Duration::from_secs(4),
        "the stream ended"
    );
    pair.stop().await;
}

// ---------------------------------------------------------------------------
// 7. Turns at exclusive work.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_given_back_is_free_at_once_for_either_instance() {
    let Some(pair) = Pair::start("turns given back").await else {
        return;
    };
    let key = 0x7465_7374;
    let mut refused = 0;
    for i in 0..200 {
        let (this, other) = if i % 2 == 0 {
            (&pair.a, &pair.b)
        } else {
            (&pair.b, &pair.a)
        };
        let turn = this
            .state
            .storage()
            .try_exclusive(key)
            .await
            .expect("a turn");
        let turn = turn.expect("nobody else holds the turn");
        let meanwhile = other
            .state
            .storage()
            .try_exclusive(key)
            .await
            .expect("no turn");
        assert!(meanwhile.is_none(), "one turn at a time");
        turn.end().await.expect("the turn ends");
        match other
            .state
            .storage()
            .try_exclusive(key)
            .await
            .expect("a turn")
        {
            Some(next) => next.end().await.expect("the turn ends"),
            None => refused += 1,
        }
    }
    assert_eq!(refused, 0, "a turn refused after the last one ended");
    pair.stop().await;
}
