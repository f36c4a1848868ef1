//! The test harness: a real orders server on 127.0.0.1:0 over a fresh
//! database, behind a small TCP proxy the test can cut (the network goes
//! away), blackhole (requests arrive, answers never do), stall (answers
//! are held back while the connection stays open), duplicate (every
//! request arrives twice, at once or late) or point at a restarted server
//! on the same database.

#![allow(dead_code)]

use chrono::{Duration, NaiveDate, Utc};
use orderdesk_client_core::{Client, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, Role};
use orderdesk_protocol::{CreateOrderRequest, LoginResponse, NewOrderDetails, OrderDetail};
use orderdesk_server::storage::{self, ResourceRow, UserRow};
use orderdesk_server::{AppState, Config, Database, PasswordCost, SystemClock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "demo";

/// Ids of what the fixture created.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    pub service: i64,
    pub service_b: i64,
    pub rental: i64,
    pub rental_b: i64,
    pub resident: i64,
    pub company: i64,
    pub cleaning: i64,
    pub plumber: i64,
    pub rooms: i64,
    pub python_room: i64,
    pub java_room: i64,
}

/// What the proxy does with connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Net {
    Up = 0,
    /// Every connection is closed at once; open ones are cut.
    Down = 1,
    /// Requests reach the server; answers are thrown away.
    LoseAnswers = 2,
    /// Requests reach the server; answers never come back, and the
    /// connection stays open until the client gives up.
    Stall = 3,
    /// Every request also reaches the server a second time, at once, over
    /// a connection of its own whose answers nobody reads.
    Duplicate = 4,
    /// Requests reach the server a little late, and a copy of each arrives
    /// again well after its answer.
    Delay = 5,
}

/// How late a request goes on in [`Net::Delay`], and how late its copy.
const DELAY: std::time::Duration = std::time::Duration::from_millis(15);
const LATE_COPY: std::time::Duration = std::time::Duration::from_millis(120);

struct Proxy {
    addr: SocketAddr,
    mode: Arc<AtomicU8>,
    upstream: Arc<Mutex<SocketAddr>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

pub struct TestServer {
    pub state: AppState,
    pub ids: Ids,
    /// What clients use: the proxy's address.
    pub url: String,
    /// The server itself, for the test's own calls.
    pub direct: String,
    pub dir: PathBuf,
    /// What the server runs on: a file in `dir` unless the caller chose.
    database: Database,
    server: Option<JoinHandle<()>>,
    proxy: Proxy,
    http: reqwest::Client,
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orderdesk-core-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn start_server(database: &Database) -> (AppState, SocketAddr, JoinHandle<()>) {
    let mut config = Config::new(database.clone());
    config.password_cost = PasswordCost::Fast;
    config.tick_every = None;
    let state = AppState::open(config, Arc::new(SystemClock))
        .await
        .expect("server state");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let serving = state.clone();
    let task = tokio::spawn(async move {
        let _ = orderdesk_server::serve(listener, serving, std::future::pending()).await;
    });
    (state, addr, task)
}

impl TestServer {
    pub async fn start(name: &str) -> TestServer {
        let dir = temp_dir(name);
        let database = Database::File(dir.join("server.sqlite3"));
        TestServer::start_on(dir, database).await
    }

    /// [`start`](Self::start) on a database of the caller's (a PostgreSQL
    /// one, say), with `dir` for the rest.
    pub async fn start_on(dir: PathBuf, database: Database) -> TestServer {
        let (state, addr, task) = start_server(&database).await;
        let ids = fixture(&state).await;
        let proxy = Proxy::start(addr).await;
        let url = format!("http://{}", proxy.addr);
        TestServer {
            state,
            ids,
            url,
            direct: format!("http://{addr}"),
            dir,
            database,
            server: Some(task),
            proxy,
            http: reqwest::Client::new(),
        }
    }

    pub fn set_net(&self, net: Net) {
        self.proxy.mode.store(net as u8, Ordering::SeqCst);
        // Open connections end too, as they would when a network changes.
        for c in self.proxy.connections.lock().expect("lock").drain(..) {
            c.abort();
        }
    }

    /// Stops the server process (its tasks and connections) and cuts the
    /// network; [`restart`](Self::restart) serves the same database again.
    pub async fn stop(&mut self) {
        self.set_net(Net::Down);
        if let Some(task) = self.server.take() {
            task.abort();
            let _ = task.await;
        }
        self.state.storage().close().await;
    }

    pub async fn restart(&mut self) {
        let (state, addr, task) = start_server(&self.database).await;
        self.state = state;
        self.server = Some(task);
        *self.proxy.upstream.lock().expect("lock") = addr;
        self.direct = format!("http://{addr}");
        self.set_net(Net::Up);
    }

    pub async fn token(&self, login: &str) -> String {
        let answer: LoginResponse = self
            .http
            .post(format!("{}/api/v1/auth/login", self.direct))
            .json(&serde_json::json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .expect("login request")
            .json()
            .await
            .expect("login answer");
        answer.token
    }

    /// A REST call as `token`; the status and the JSON answer.
    pub async fn call(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .http
            .request(method, format!("{}/api/v1{path}", self.direct))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let json = response.json().await.unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    pub async fn detail(&self, token: &str, number: OrderNumber) -> OrderDetail {
        let (status, json) = self
            .call(
                token,
                reqwest::Method::GET,
                &format!("/orders/{number}"),
                serde_json::Value::Null,
            )
            .await;
        assert_eq!(status, 200, "{json}");
        serde_json::from_value(json).expect("order detail")
    }

    pub async fn create(
        &self,
        token: &str,
        service_id: i64,
        details: NewOrderDetails,
    ) -> OrderNumber {
        let req = CreateOrderRequest {
            service_id: orderdesk_domain::ServiceId(service_id),
            description: Some("Нужна помощь".to_owned()),
            comment: None,
            visitor: None,
            details,
        };
        let (status, json) = self
            .call(
                token,
                reqwest::Method::POST,
                "/orders",
                serde_json::to_value(&req).expect("json"),
            )
            .await;
        assert!(status == 200 || status == 201, "create: {status} {json}");
        let detail: OrderDetail = serde_json::from_value(json).expect("created order");
        detail.number
    }

    /// A simple request «Уборка» by the resident.
    pub async fn new_request(&self) -> OrderNumber {
        let token = self.token("resident").await;
        self.create(&token, self.ids.cleaning, NewOrderDetails::SimpleRequest)
            .await
    }

    /// A booking of a room tomorrow by the company (no payment needed).
    pub async fn new_booking(&self, room: i64, slots: &[&str]) -> OrderNumber {
        let token = self.token("company").await;
        self.create(
            &token,
            self.ids.rooms,
            NewOrderDetails::Booking {
                resource_id: orderdesk_domain::ResourceId(room),
                date: tomorrow(),
                slots: slots.iter().map(|s| s.to_string()).collect(),
            },
        )
        .await
    }

    /// A client of `login` over a cache directory, with its token store and
    /// notifier (kept by the caller to survive a client re-creation).
    pub async fn client(
        &self,
        cache: &std::path::Path,
        tokens: &Arc<MemoryTokenStore>,
        notifier: &Arc<RecordingNotifier>,
        login: &str,
    ) -> Client {
        let client = Client::open(cache, tokens.clone(), notifier.clone()).expect("open client");
        client
            .login(&self.url, login, PASSWORD)
            .await
            .expect("login");
        client
    }
}

pub fn tomorrow() -> NaiveDate {
    (Utc::now() + Duration::hours(3) + Duration::days(1)).date_naive()
}

/// Reopens a client over an existing cache, restoring its session.
pub fn reopen(
    cache: &std::path::Path,
    tokens: &Arc<MemoryTokenStore>,
    notifier: &Arc<RecordingNotifier>,
) -> Client {
    Client::open(cache, tokens.clone(), notifier.clone()).expect("reopen client")
}

async fn fixture(state: &AppState) -> Ids {
    let hash =
        orderdesk_server::passwords::hash_password(PASSWORD, PasswordCost::Fast).expect("hash");
    let mut tx = state.storage().begin().await.expect("begin");
    let user = |login: &str, role: Role, name: &str, company: Option<&str>| UserRow {
        id: 0,
        login: login.to_owned(),
        password_hash: hash.clone(),
        role: role.id().to_owned(),
        name: name.to_owned(),
        phone: Some("+7 900 000-00-00".to_owned()),
        email: Some(format!("{login}@example.test")),
        company: company.map(str::to_owned),
    };
    let rows = [
        user("service", Role::ServiceManager, "Иван Сервисов", None),
        user("service2", Role::ServiceManager, "Пётр Уборкин", None),
        user("rental", Role::RentalManager, "Анна Арендова", None),
        user("rental2", Role::RentalManager, "Олег Залов", None),
        user("resident", Role::Requester, "Мария Жилец", None),
        user(
            "company",
            Role::Requester,
            "Сергей Ромашкин",
            Some("ООО Ромашка"),
        ),
        // A server serves nothing until it has an administrator.
        user("admin", Role::Admin, "Администратор", None),
    ];
    let mut ids = Vec::new();
    for row in &rows {
        ids.push(storage::insert_user(&mut tx, row).await.expect("user"));
    }
    let mut ids = Ids {
        service: ids[0],
        service_b: ids[1],
        rental: ids[2],
        rental_b: ids[3],
        resident: ids[4],
        company: ids[5],
        ..Ids::default()
    };
    ids.cleaning = storage::insert_service(&mut tx, "Уборка", "simple_request", 60)
        .await
        .expect("service");
    ids.plumber = storage::insert_service(&mut tx, "Вызов сантехника", "simple_request", 60)
        .await
        .expect("service");
    ids.rooms = storage::insert_service(&mut tx, "Переговорные", "booking", 60)
        .await
        .expect("service");
    for (service, user) in [
        (ids.cleaning, ids.service),
        (ids.cleaning, ids.service_b),
        (ids.plumber, ids.service),
        (ids.rooms, ids.rental),
        (ids.rooms, ids.rental_b),
    ] {
        storage::insert_responsible(&mut tx, service, user)
            .await
            .expect("responsible");
    }
    let mut rooms = Vec::new();
    for name in ["Переговорная Python", "Переговорная Java"] {
        let row = ResourceRow {
            id: 0,
            service_id: ids.rooms,
            name: name.to_owned(),
            tariff: None,
            unit_price: 10_000,
            capacity: 1,
        };
        rooms.push(storage::insert_resource(&mut tx, &row).await.expect("room"));
    }
    (ids.python_room, ids.java_room) = (rooms[0], rooms[1]);
    tx.commit().await.expect("commit fixture");
    ids
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy bind");
        let mode = Arc::new(AtomicU8::new(Net::Up as u8));
        let upstream = Arc::new(Mutex::new(upstream));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::new(Mutex::new(Vec::new()));
        let listen_addr = listener.local_addr().expect("proxy addr");
        let (m, u, c) = (mode.clone(), upstream.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let net = m.load(Ordering::SeqCst);
                if net == Net::Down as u8 {
                    drop(client);
                    continue;
                }
                let target = *u.lock().expect("lock");
                let task = tokio::spawn(relay(client, target, net));
                c.lock().expect("lock").push(task);
            }
        });
        Proxy {
            addr: listen_addr,
            mode,
            upstream,
            connections,
            accept,
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        for c in self.connections.lock().expect("lock").drain(..) {
            c.abort();
        }
    }
}

async fn relay(mut client: TcpStream, target: SocketAddr, net: u8) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    match net {
        n if n == Net::LoseAnswers as u8 => withhold_answers(client, server, false).await,
        n if n == Net::Stall as u8 => withhold_answers(client, server, true).await,
        n if n == Net::Duplicate as u8 => deliver_twice(client, server, target, None).await,
        n if n == Net::Delay as u8 => deliver_twice(client, server, target, Some(DELAY)).await,
        _ => {
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        }
    }
}

/// Forwards the requests and passes no byte of an answer on: once the
/// server starts answering, hangs up on the client, or with `stall` keeps
/// the client waiting on an open connection.
async fn withhold_answers(mut client: TcpStream, mut server: TcpStream, stall: bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut client_read, _client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    let mut to_server = [0u8; 16 * 1024];
    let mut from_server = [0u8; 1024];
    let mut server_done = false;
    loop {
        tokio::select! {
            n = client_read.read(&mut to_server) => match n {
                Ok(0) | Err(_) => return,
                Ok(n) => { if server_write.write_all(&to_server[..n]).await.is_err() { return; } }
            },
            n = server_read.read(&mut from_server), if !server_done => {
                if !stall {
                    return;
                }
                // Thrown away; the client hears nothing until it gives up.
                server_done = matches!(n, Ok(0) | Err(_));
            }
        }
    }
}

/// Passes the connection on, and sends every byte the client sends over a
/// second connection too, whose answers are read and dropped: each request
/// reaches the server twice. With `delay`, the requests go on that much
/// late and their copies arrive [`LATE_COPY`] later still, after the
/// answer. The copy outlives the connection, as a retransmission would.
async fn deliver_twice(
    mut client: TcpStream,
    mut server: TcpStream,
    target: SocketAddr,
    delay: Option<std::time::Duration>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (copies, mut copied) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        if delay.is_some() {
            tokio::time::sleep(LATE_COPY).await;
        }
        let Ok(mut shadow) = TcpStream::connect(target).await else {
            return;
        };
        let (mut answers, mut requests) = shadow.split();
        let feed = async {
            while let Some(bytes) = copied.recv().await {
                if requests.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            let _ = requests.shutdown().await;
        };
        let drain = async {
            let mut sink = [0u8; 4096];
            while matches!(answers.read(&mut sink).await, Ok(n) if n > 0) {}
        };
        let both = async { tokio::join!(feed, drain) };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), both).await;
    });
    let (mut client_read, mut client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    let up = async {
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
            let _ = copies.send(buf[..n].to_vec());
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        drop(copies);
        let _ = server_write.shutdown().await;
    };
    let down = tokio::io::copy(&mut server_read, &mut client_write);
    let _ = tokio::join!(up, down);
}
