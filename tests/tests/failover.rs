//! The manager app's core behind nginx, over two real server instances on
//! one PostgreSQL database, when one instance is killed mid-run.
//!
//! The core signs in, syncs and follows the event stream through nginx
//! (the operators' `deploy/nginx/orderdesk.conf`). While it sends queued
//! chat messages and status changes, the instance that holds its stream is
//! killed (SIGKILL: no shutdown, connections cut). Then every queued action
//! is applied exactly once (each message text once in the chat, one
//! `sync_mutations` row per action), the stream resumes on the survivor (an
//! order the requester creates afterwards reaches the cache in seconds,
//! which only the stream can do: polling is minutes apart while live), and
//! every cached order is still there.
//!
//! Which instance holds the stream is read from the logs: an instance logs
//! a request's id when it starts answering (for a stream, when it opens),
//! nginx logs it when the request ends; the `/events` request an instance
//! logged and nginx has not is the open one.

use orderdesk_client_core::{Client, ListFilter, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, Status, Visibility};
use orderdesk_e2e::nginx::{self, Nginx};
use orderdesk_e2e::{postgres, Api, Server};
use sqlx::Connection;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Failing<T> = Result<T, Box<dyn std::error::Error>>;
type TestResult = Failing<()>;

const EVENTS: &str = "/api/v1/events";
/// Chat messages queued in all; the instance dies after the first few.
const MESSAGES: usize = 12;
/// Chat messages sent with both instances up.
const BEFORE_FREEZE: usize = 3;

/// Two instances on one database and nginx in front.
struct Cluster {
    servers: [Server; 2],
    nginx: Nginx,
    database: String,
}

impl Cluster {
    /// The first instance fills the empty database with the demo data; the
    /// second starts on it once the first answers.
    async fn start(database: String) -> Failing<Cluster> {
        let first = Server::start_on(&database, true, &["--log-format", "json"])?;
        wait_ready(&first).await?;
        let second = Server::start_on(&database, false, &["--log-format", "json"])?;
        wait_ready(&second).await?;
        let nginx = Nginx::start(&[first.port(), second.port()]);
        Ok(Cluster {
            servers: [first, second],
            nginx,
            database,
        })
    }

    /// The instance whose `/events` stream is open now (a request it logged
    /// that nginx has not logged as ended), if any.
    fn stream_holder(&self) -> Option<usize> {
        let ended = ended_streams(&self.nginx.access_log());
        (0..2).find(|&i| {
            opened_streams(&self.servers[i].log())
                .iter()
                .any(|id| !ended.contains(id))
        })
    }

    fn logs(&self) -> String {
        format!(
            "nginx:\n{}\n{}\nfirst instance:\n{}\nsecond instance:\n{}",
            self.nginx.access_log(),
            self.nginx.error_log(),
            self.servers[0].log(),
            self.servers[1].log()
        )
    }
}

/// Waits until the instance's `/readyz` answers 200: it listens, its
/// migrations ran and (with `--demo`) the demo data is in.
async fn wait_ready(server: &Server) -> TestResult {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let answer = http.get(format!("{}/readyz", server.url())).send().await;
        if answer.is_ok_and(|a| a.status().is_success()) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{} not ready in 120 s:\n{}", server.url(), server.log()).into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Request ids of the `/events` streams an instance opened (it logs a
/// request as "finished" once the answer starts).
fn opened_streams(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| line.contains(&format!("\"{EVENTS}\"")) && line.contains("finished"))
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            find_key(&value, "request_id")
        })
        .collect()
}

/// The string value of the first `key` anywhere in a JSON value.
fn find_key(value: &serde_json::Value, key: &str) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(|v| v.as_str().map(str::to_owned))
            .or_else(|| map.values().find_map(|v| find_key(v, key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_key(v, key)),
        _ => None,
    }
}

/// Request ids of the `/events` requests nginx saw end.
fn ended_streams(access_log: &str) -> HashSet<String> {
    access_log
        .lines()
        .filter(|line| line.contains(&format!(" {EVENTS} ")))
        .filter_map(|line| line.split("request_id=").nth(1))
        .map(|id| id.trim().to_owned())
        .collect()
}

/// Pushes nginx logged, and those not answered 200 (an instance died
/// under them, so the core sent them again).
fn pushes(access_log: &str) -> (usize, usize) {
    let lines: Vec<&str> = access_log
        .lines()
        .filter(|line| line.contains("/api/v1/sync/push"))
        .collect();
    let failed = lines
        .iter()
        .filter(|line| !line.contains("\" 200 "))
        .count();
    (lines.len(), failed)
}

/// Polls `check` every 50 ms until it holds or `secs` pass.
async fn wait_until(
    secs: u64,
    what: &str,
    mut check: impl FnMut() -> Failing<bool>,
) -> Failing<Duration> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if check()? {
            return Ok(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("{what}: not within {secs} s").into())
}

/// Every number in the cache.
fn cached(client: &Client) -> Failing<HashSet<i64>> {
    let mut numbers = HashSet::new();
    let mut filter = ListFilter {
        limit: 500,
        ..ListFilter::default()
    };
    loop {
        let page = client.list(&filter)?;
        let got = page.items.len();
        numbers.extend(page.items.iter().map(|i| i.summary.number.0));
        if got < filter.limit as usize {
            return Ok(numbers);
        }
        filter.offset += filter.limit;
    }
}

/// Cached orders in `status`, lowest number first.
fn in_status(client: &Client, status: Status) -> Failing<Vec<OrderNumber>> {
    let filter = ListFilter {
        status: Some(status),
        limit: 500,
        ..ListFilter::default()
    };
    let mut numbers: Vec<_> = client
        .list(&filter)?
        .items
        .iter()
        .map(|i| i.summary.number)
        .collect();
    numbers.sort_by_key(|n| n.0);
    Ok(numbers)
}

/// What the run queues: two orders to take in work, and the orders the
/// chat messages go to (round-robin).
struct Plan {
    take: Vec<OrderNumber>,
    chat: Vec<OrderNumber>,
}

fn plan(client: &Client) -> Failing<Plan> {
    let new = in_status(client, Status::New)?;
    let in_progress = in_status(client, Status::InProgress)?;
    let take: Vec<_> = new.iter().take(2).copied().collect();
    let mut chat: Vec<_> = in_progress.iter().take(3).copied().collect();
    chat.extend(new.iter().skip(2).take(3usize.saturating_sub(chat.len())));
    if take.len() < 2 || chat.is_empty() {
        return Err(format!("demo data too thin: new {new:?}, in progress {in_progress:?}").into());
    }
    Ok(Plan { take, chat })
}

fn text(i: usize) -> String {
    format!("Переключение узла, сообщение {i}")
}

/// What a run queued, and the figures it prints.
#[derive(Debug, Default)]
struct Figures {
    /// Actions queued, and how many of them before the kill.
    queued: usize,
    before_kill: usize,
    /// Chat messages queued (numbered from 0).
    messages: usize,
    /// Whether the next message comes with a «Взять в работу».
    take_next: bool,
    taken: usize,
    stream_resumed: Duration,
    change_seen: Duration,
    drained: Duration,
}

impl Figures {
    /// Queues the next chat message and, when due, a «Взять в работу».
    async fn queue(&mut self, client: &Client, plan: &Plan) -> TestResult {
        let i = self.messages;
        let order = plan.chat[i % plan.chat.len()];
        client
            .post_message(order, &text(i), Visibility::Internal)
            .await?;
        self.messages += 1;
        self.queued += 1;
        if (i == 1 || self.take_next) && self.taken < plan.take.len() {
            client.take_in_work(plan.take[self.taken]).await?;
            self.taken += 1;
            self.queued += 1;
            self.take_next = false;
        }
        Ok(())
    }
}

#[tokio::test]
async fn the_core_behind_nginx_survives_a_killed_instance() -> TestResult {
    if nginx::binary().is_none() {
        eprintln!("skipped: nginx is not installed (`cargo xtask setup` installs it)");
        return Ok(());
    }
    if std::env::var_os("ORDERDESK_SERVER_BIN").is_none() {
        eprintln!("skipped: ORDERDESK_SERVER_BIN is not set (`cargo xtask test` sets it)");
        return Ok(());
    }
    let Some(database) = postgres::fresh_database().await else {
        return Ok(()); // the reason is printed
    };
    orderdesk_e2e::init_tls();
    let mut cluster = Cluster::start(database).await?;
    let data = tempfile::tempdir()?;
    let notifier = Arc::new(RecordingNotifier::new());
    let client = Client::open(
        data.path(),
        Arc::new(MemoryTokenStore::new()),
        notifier.clone(),
    )?;
    client
        .login(&cluster.nginx.url(), "service", "demo")
        .await?;
    client.sync_now().await?;
    let before = cached(&client)?;
    let plan = plan(&client)?;
    client.start_sync();
    let located = wait_until(20, "the core's stream opens", || {
        Ok(client.status()?.live && cluster.stream_holder().is_some())
    })
    .await;
    located.map_err(|e| format!("{e}\n{}", cluster.logs()))?;
    let victim = cluster.stream_holder().ok_or("no stream")?;

    let result = run(&mut cluster, &client, &notifier, &plan, victim).await;
    let figures = result.map_err(|e| format!("{e}\n{}", cluster.logs()))?;
    check_server(&cluster, &plan, &figures).await?;
    let after = cached(&client)?;
    let lost: Vec<_> = before.difference(&after).collect();
    assert!(lost.is_empty(), "orders lost from the cache: {lost:?}");
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the new order, and nothing else, came"
    );

    let (pushes, failed) = pushes(&cluster.nginx.access_log());
    assert!(
        failed >= 1,
        "the push in flight at the kill failed and was sent again"
    );
    println!(
        "failover: {} actions queued ({} before the kill); {pushes} pushes through nginx, \
         {failed} of them failed and were sent again; stream back on the survivor {} ms \
         after the kill; the requester's new order in the cache {} ms after it was created; \
         outbox empty {} ms after the kill; cache {} → {} orders",
        figures.queued,
        figures.before_kill,
        figures.stream_resumed.as_millis(),
        figures.change_seen.as_millis(),
        figures.drained.as_millis(),
        before.len(),
        after.len(),
    );
    Ok(())
}

/// Queues actions with both instances up; freezes the one holding the
/// stream and has a push reach it; queues more, kills it (SIGKILL) with
/// that push in flight, queues the rest while it is down, and waits for
/// the outbox to drain and the stream to come back on the survivor. Then
/// the requester creates an order, awaited in the cache and the manager's
/// notifications.
async fn run(
    cluster: &mut Cluster,
    client: &Client,
    notifier: &RecordingNotifier,
    plan: &Plan,
    victim: usize,
) -> Failing<Figures> {
    let mut figures = Figures::default();
    while figures.messages < BEFORE_FREEZE {
        figures.queue(client, plan).await?;
    }
    wait_until(30, "the first actions are sent", || {
        Ok(client.status()?.pending == 0)
    })
    .await?;
    push_into_frozen(cluster, client, plan, victim, &mut figures).await?;
    for _ in 0..2 {
        figures.queue(client, plan).await?;
    }
    figures.before_kill = figures.queued;
    let opened_before = opened_streams(&cluster.servers[1 - victim].log()).len();
    cluster.servers[victim].stop();
    let killed = Instant::now();
    figures.take_next = true;
    while figures.messages < MESSAGES.max(figures.before_kill + 4) {
        figures.queue(client, plan).await?;
        // Spread over the seconds the core needs to notice and retry.
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let survivor = &cluster.servers[1 - victim];
    wait_until(30, "the stream reopens on the survivor", || {
        Ok(opened_streams(&survivor.log()).len() > opened_before)
    })
    .await?;
    figures.stream_resumed = killed.elapsed();
    wait_until(60, "the outbox drains", || {
        let status = client.status()?;
        Ok(status.pending == 0 && status.live)
    })
    .await?;
    figures.drained = killed.elapsed();
    let conflicts = client.status()?.conflicts;
    assert!(conflicts.is_empty(), "no action was refused: {conflicts:?}");
    await_new_order(cluster, client, notifier, &mut figures).await?;
    Ok(figures)
}

/// The requester creates an order after the failover; it reaches the
/// cache, and the manager is told, within 8 s: by the stream, since the
/// core polls every two minutes while it is live, and its last poll while
/// the stream was down (every 10 s then) came over a second before.
async fn await_new_order(
    cluster: &Cluster,
    client: &Client,
    notifier: &RecordingNotifier,
    figures: &mut Figures,
) -> TestResult {
    let number = new_order(&cluster.nginx.url(), client).await?;
    figures.change_seen = wait_until(8, "the new order reaches the cache by the stream", || {
        Ok(cached(client)?.contains(&number))
    })
    .await?;
    wait_until(8, "the manager is told of the new order", || {
        Ok(notifier.seen().iter().any(|n| n.order.0 == number))
    })
    .await?;
    Ok(())
}

/// Freezes the victim (SIGSTOP) and makes the next push go to it: probes
/// through nginx until one is answered (the survivor's turn in the
/// rotation; a probe to the frozen one times out), then queues an action,
/// whose push is the next request. When a pull of the core got to the
/// frozen instance first (the round is then stuck before its push), or the
/// push went elsewhere, thaws it, lets the core settle and tries again.
async fn push_into_frozen(
    cluster: &Cluster,
    client: &Client,
    plan: &Plan,
    victim: usize,
    figures: &mut Figures,
) -> TestResult {
    let frozen = &cluster.servers[victim];
    let probe = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()?;
    let url = format!("{}/healthz", cluster.nginx.url());
    for _ in 0..8 {
        wait_until(30, "the core settles", || Ok(client.status()?.pending == 0)).await?;
        // Pacing, not a check: the round that sent the last push pulls.
        tokio::time::sleep(Duration::from_millis(300)).await;
        frozen.freeze()?;
        for _ in 0..4 {
            if probe.get(&url).send().await.is_ok() {
                break;
            }
        }
        let stuck = waiting_at(frozen.port());
        if stuck.is_empty() {
            figures.queue(client, plan).await?;
            let reached = wait_until(2, "a push waits at the frozen instance", || {
                Ok(!waiting_at(frozen.port()).is_empty())
            })
            .await;
            if reached.is_ok() {
                return Ok(());
            }
        }
        frozen.thaw()?;
    }
    Err("no push reached the frozen instance in eight tries".into())
}

/// The established connections to `port` on 127.0.0.1 with bytes the
/// listening process has not read (a request to a frozen instance), by
/// their peer's address.
fn waiting_at(port: u16) -> HashSet<String> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local = fields.get(1)?.rsplit(':').next()?;
            let unread = fields.get(4)?.split(':').nth(1)?;
            let waiting = u16::from_str_radix(local, 16).ok() == Some(port)
                && fields.get(3) == Some(&"01")
                && u64::from_str_radix(unread, 16).ok()? > 0;
            let peer = fields.get(2)?;
            waiting.then(|| (*peer).to_owned())
        })
        .collect()
}

/// The requester («resident») creates an order in a service the manager
/// is responsible for, through nginx; its number.
async fn new_order(base: &str, client: &Client) -> Failing<i64> {
    let session = client.session().ok_or("signed out")?;
    let resident = Api::login(base, "resident").await?;
    let catalog = resident.get("/catalog").await?;
    let service = catalog["services"]
        .as_array()
        .and_then(|all| {
            all.iter().find(|s| {
                s["kind"] == "simple_request" && session.services.iter().any(|m| s["id"] == m.id.0)
            })
        })
        .and_then(|s| s["id"].as_i64())
        .ok_or("no request service of the manager in the requester's catalogue")?;
    let body = serde_json::json!({
        "service_id": service,
        "description": "Проверить свет после переключения узла",
        "details": {"kind": "simple_request"},
    });
    let order = resident.post("/orders", body).await?;
    Ok(order["number"].as_i64().ok_or("no order number")?)
}

/// On the server: each message text once in its chat, one ledger row per
/// queued action, all applied, and the two orders taken in work.
async fn check_server(cluster: &Cluster, plan: &Plan, figures: &Figures) -> TestResult {
    let manager = Api::login(&cluster.nginx.url(), "service").await?;
    let mut texts = Vec::new();
    for order in &plan.chat {
        let list = manager
            .get(&format!("/orders/{}/messages", order.0))
            .await?;
        for message in list["messages"].as_array().into_iter().flatten() {
            texts.push(message["text"].as_str().unwrap_or_default().to_owned());
        }
    }
    for i in 0..figures.messages {
        let times = texts.iter().filter(|t| **t == text(i)).count();
        assert_eq!(times, 1, "message {i} is in the chat once: {texts:?}");
    }
    for order in &plan.take[..figures.taken] {
        let card = manager.order(order.0).await?;
        assert_eq!(card["status"], "in_progress", "{card}");
    }
    let mut db = sqlx::PgConnection::connect(&cluster.database).await?;
    let (rows, applied): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE m.result = 'applied')
         FROM sync_mutations m JOIN users u ON u.id = m.user_id WHERE u.login = 'service'",
    )
    .fetch_one(&mut db)
    .await?;
    let _ = db.close().await;
    assert_eq!(
        rows as usize, figures.queued,
        "one ledger row per queued action"
    );
    assert_eq!(applied, rows, "every action applied");
    Ok(())
}
