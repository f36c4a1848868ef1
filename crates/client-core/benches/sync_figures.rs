//! Figures of the offline core against a real server on loopback: initial
//! sync rows/s at 10 000 and 100 000 orders, event → visible latency, local
//! list queries over 100 000 cached orders, and memory. Prints, asserts
//! nothing. Run: `cargo bench -p orderdesk-client-core --bench sync_figures`.
//! With `ORDERDESK_TEST_POSTGRES` (the admin URL of a PostgreSQL cluster)
//! the initial sync of 10 000 orders also runs against a server on a fresh
//! PostgreSQL database there, and its rate is printed beside SQLite's.
//! With `ORDERDESK_BENCH_SCALE=small` it seeds a few thousand orders and
//! repeats each query a few times: the test command runs it so, to see that
//! it still works; its figures then say little.
//!
//! The server runs in this process but on a runtime and threads of its own,
//! as it would on another machine; the client has the bench's runtime.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{temp_dir, TestServer};
use orderdesk_client_core::{ListFilter, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, Status};
use orderdesk_server::Database;
use sqlx::{Connection, Executor, PgConnection};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Chat messages per seeded order: a public question and its answer.
const MESSAGES_PER_ORDER: usize = 2;

/// How big a run is.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    /// Orders of the first initial sync.
    smaller: usize,
    /// Orders of the second, which the queries and changes then use.
    larger: usize,
    /// Runs of each list query.
    query_runs: usize,
    /// Status changes followed from the server to the cache.
    changes: u32,
}

impl Sizes {
    const FULL: Sizes = Sizes {
        smaller: 10_000,
        larger: 100_000,
        query_runs: 200,
        changes: 100,
    };
    // Order numbers run past 1234, so the number-prefix query finds rows.
    const SMALL: Sizes = Sizes {
        smaller: 500,
        larger: 2_000,
        query_runs: 10,
        changes: 10,
    };

    /// `ORDERDESK_BENCH_SCALE`: `small`, or `full` (the default).
    fn from_env() -> Sizes {
        match std::env::var("ORDERDESK_BENCH_SCALE").as_deref() {
            Err(_) | Ok("full") => Sizes::FULL,
            Ok("small") => Sizes::SMALL,
            Ok(other) => panic!("ORDERDESK_BENCH_SCALE is «{other}»; it takes small or full"),
        }
    }
}

/// Inserts `count` simple requests straight into the server's tables, each
/// with its change log entry and a short public chat, as if requesters had
/// created them and talked to a manager.
async fn seed(server: &TestServer, count: usize) {
    let mut tx = server.state.storage().begin().await.expect("begin");
    let now = chrono::Utc::now();
    let first: i64 =
        orderdesk_server::storage::query_scalar("SELECT COALESCE(MAX(number), 1000) FROM orders")
            .fetch_one(&mut tx)
            .await
            .expect("max number");
    for i in 0..count as i64 {
        let status = ["new", "in_progress", "awaiting_confirmation", "done"][(i % 4) as usize];
        let id: i64 = orderdesk_server::storage::query_scalar(
            "INSERT INTO orders (number, kind, status, service_id, requester_id, title, search,
                                 created_at, updated_at)
             VALUES ($1, 'simple_request', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(first + 1 + i)
        .bind(status)
        .bind(server.ids.cleaning)
        .bind(server.ids.resident)
        .bind(format!("Уборка офиса {i}"))
        .bind(format!("уборка офиса {i}"))
        .bind(now)
        .bind(now)
        .fetch_one(&mut tx)
        .await
        .expect("order");
        for (author, text) in [
            (server.ids.resident, "Добрый день! Когда придут?"),
            (server.ids.service, "Сегодня до 18:00."),
        ] {
            orderdesk_server::storage::query(
                "INSERT INTO messages (order_id, author_id, visibility, text, created_at)
                 VALUES ($1, $2, 'public', $3, $4)",
            )
            .bind(id)
            .bind(author)
            .bind(text)
            .bind(now)
            .execute(&mut tx)
            .await
            .expect("message");
        }
        orderdesk_server::storage::query(
            "INSERT INTO changes (order_id, version, at) VALUES ($1, 1, $2)",
        )
        .bind(id)
        .bind(now)
        .execute(&mut tx)
        .await
        .expect("change");
    }
    tx.commit().await.expect("commit");
}

/// CPU time of the whole process (user and system), from `/proc`.
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let utime: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0);
    let stime: u64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    (utime + stime) * 10
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A seeded server on a runtime of its own; the runtime lives as long as
/// the returned handle.
fn server_apart(count: usize, database: Option<Database>) -> (TestServer, tokio::runtime::Runtime) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        let server = runtime.block_on(async {
            let server = match database {
                None => TestServer::start("bench").await,
                Some(database) => TestServer::start_on(temp_dir("bench"), database).await,
            };
            seed(&server, count).await;
            server
        });
        (server, runtime)
    })
    .join()
    .expect("server thread")
}

/// A finished initial sync: the server, its runtime, the client, its cache
/// folder, and the orders per second it pulled.
type Synced = (
    TestServer,
    tokio::runtime::Runtime,
    orderdesk_client_core::Client,
    PathBuf,
    f64,
);

/// The initial sync of `count` orders from a server on `database` (a
/// SQLite file when `None`), named `engine` in what it prints.
async fn initial_sync(count: usize, engine: &str, database: Option<Database>) -> Synced {
    let (server, runtime) = server_apart(count, database);
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let cache_dir = temp_dir("bench-cache");
    // Straight to the server: the tests' cuttable proxy is not in the way.
    let client = orderdesk_client_core::Client::open(&cache_dir, tokens, notifier).expect("client");
    client
        .login(&server.direct, "service", common::PASSWORD)
        .await
        .expect("login");
    let cpu_before = cpu_ms();
    let started = Instant::now();
    let report = client.sync_now().await.expect("initial sync");
    let took = started.elapsed();
    let orders = f64::from(report.pulled_orders);
    let rows = orders * (1 + MESSAGES_PER_ORDER) as f64;
    println!(
        "initial sync from {engine}, {count} orders with {MESSAGES_PER_ORDER} chat messages each: {:.2} s, \
         {:.0} orders/s, {:.0} rows/s (orders + messages) into the cache; \
         CPU of client and server together {:.2} s",
        took.as_secs_f64(),
        orders / took.as_secs_f64(),
        rows / took.as_secs_f64(),
        cpu_ms().saturating_sub(cpu_before) as f64 / 1000.0,
    );
    let rate = orders / took.as_secs_f64();
    (server, runtime, client, cache_dir, rate)
}

/// The initial sync of `count` orders from PostgreSQL, when
/// `ORDERDESK_TEST_POSTGRES` names a cluster, beside SQLite's `sqlite_rate`.
async fn initial_sync_postgres(count: usize, sqlite_rate: f64) {
    let Ok(admin) = std::env::var("ORDERDESK_TEST_POSTGRES") else {
        println!("initial sync from PostgreSQL: skipped, ORDERDESK_TEST_POSTGRES is not set");
        return;
    };
    let name = format!("orderdesk_sync_bench_{}", std::process::id());
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("admin connection");
    let create = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name}");
    for statement in create.split("; ") {
        conn.execute(sqlx::AssertSqlSafe(statement))
            .await
            .expect("fresh database");
    }
    let url = with_database(&admin, &name);
    let (server, runtime, client, cache_dir, rate) =
        initial_sync(count, "PostgreSQL", Some(Database::Postgres(url))).await;
    drop(client);
    clean_up(server, runtime, cache_dir);
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .expect("drop the database");
    println!(
        "initial sync of {count} orders, PostgreSQL against SQLite: {rate:.0} against {sqlite_rate:.0} orders/s, ×{:.2}",
        rate / sqlite_rate
    );
}

/// `admin` with its database (the URL's path) replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let scheme_end = admin.find("://").map_or(0, |i| i + 3);
    let rest = &admin[scheme_end..];
    let query = rest.find('?').map_or("", |q| &rest[q..]);
    let authority = rest[..rest.len() - query.len()]
        .split('/')
        .next()
        .unwrap_or("");
    format!("{}{authority}/{name}{query}", &admin[..scheme_end])
}

/// Removes what a run left in the temporary folder.
fn clean_up(server: TestServer, runtime: tokio::runtime::Runtime, cache_dir: PathBuf) {
    let server_dir = server.dir.clone();
    drop(server);
    runtime.shutdown_background();
    let _ = std::fs::remove_dir_all(server_dir);
    let _ = std::fs::remove_dir_all(cache_dir);
}

/// p50 and p99 of list queries over the whole cache of `cached` orders,
/// `runs` times each.
fn list_queries(client: &orderdesk_client_core::Client, cached: usize, runs: usize) {
    let queries: [(&str, ListFilter); 4] = [
        ("first page, no filter", ListFilter::default()),
        (
            "status «В работе»",
            ListFilter {
                status: Some(Status::InProgress),
                ..ListFilter::default()
            },
        ),
        (
            "search by number prefix",
            ListFilter {
                query: Some("1234".into()),
                ..ListFilter::default()
            },
        ),
        (
            "status + text search",
            ListFilter {
                status: Some(Status::New),
                query: Some("офиса 99".into()),
                ..ListFilter::default()
            },
        ),
    ];
    for (name, filter) in &queries {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let page = client.list(filter).expect("list");
            times.push(started.elapsed());
            assert!(!page.items.is_empty());
        }
        times.sort();
        println!(
            "local list query over {cached} ({name}): p50 {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.99).as_secs_f64() * 1000.0
        );
    }
}

/// A status change made on the server until the cache shows it: event,
/// pull, commit; for `changes` new orders.
async fn change_to_cache(
    server: &TestServer,
    client: &orderdesk_client_core::Client,
    changes: u32,
) {
    client.start_sync();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let manager = server.token("service").await;
    let mut times = Vec::new();
    let targets: Vec<OrderNumber> = client
        .list(&ListFilter {
            status: Some(Status::New),
            limit: changes,
            ..ListFilter::default()
        })
        .expect("targets")
        .items
        .iter()
        .map(|i| i.summary.number)
        .collect();
    for number in targets {
        let (status, _) = server
            .call(
                &manager,
                reqwest::Method::POST,
                &format!("/orders/{number}/status"),
                serde_json::json!({"status": "in_progress"}),
            )
            .await;
        assert_eq!(status, 200);
        let started = Instant::now();
        loop {
            let view = client.order(number).expect("order");
            if view.detail.status == Status::InProgress {
                break;
            }
            if started.elapsed() > Duration::from_secs(5) {
                break;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "change on the server → visible in the cache (event → pull → commit), {} changes: p50 {:.1} ms, p99 {:.1} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0
    );
    client.stop_sync();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sizes = Sizes::from_env();
    let (server, runtime, client, cache_dir, sqlite_rate) =
        initial_sync(sizes.smaller, "SQLite", None).await;
    drop(client);
    clean_up(server, runtime, cache_dir);
    initial_sync_postgres(sizes.smaller, sqlite_rate).await;

    let rss_before = rss_kib("VmRSS:");
    let (server, runtime, client, cache_dir, _) = initial_sync(sizes.larger, "SQLite", None).await;
    println!(
        "memory after {} cached orders: VmRSS {} MiB (+{} MiB over the start, server in the same process), VmHWM {} MiB",
        sizes.larger,
        rss_kib("VmRSS:") / 1024,
        rss_kib("VmRSS:").saturating_sub(rss_before) / 1024,
        rss_kib("VmHWM:") / 1024
    );
    list_queries(&client, sizes.larger, sizes.query_runs);
    change_to_cache(&server, &client, sizes.changes).await;
    drop(client);
    clean_up(server, runtime, cache_dir);
}
