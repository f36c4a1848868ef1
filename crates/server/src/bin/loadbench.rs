//! Load benchmark: starts the server on loopback over a fresh demo database
//! and reports throughput and p50/p99 latency for the list page of 20, the
//! order card, a status change, booking creation (free and contended slots),
//! then the SSE fan-out latency to many connected subscribers (see
//! [`fanout`]).
//!
//! It runs three setups (see [`setup`]) one after another on this machine
//! and prints each one's figures as ratios to SQLite's: SQLite as shipped;
//! PostgreSQL behind one instance; PostgreSQL behind two instances balanced
//! round-robin by nginx. The PostgreSQL setups take a fresh database each on
//! the cluster whose admin URL `ORDERDESK_TEST_POSTGRES` gives, and are
//! skipped with a line saying so when it is unset (nginx's when
//! `/usr/sbin/nginx` or `deploy/nginx/orderdesk.conf` is missing).
//!
//! `cargo run --release -p orderdesk-server --bin loadbench [-- CONCURRENCY]`.
//! With `ORDERDESK_BENCH_SCALE=small` it sends a few hundred requests instead
//! of thousands, to 50 subscribers instead of 1 000: the test command runs
//! it so, to see that it still works.
//!
//! Everything it addresses is found through the API — the catalog's meeting
//! rooms and request service, the orders the rental manager may read, the
//! numbers the server gave the requests it created — because the demo's
//! numbering is the demo's business and changes with it.

// A binary's root is `src/bin/`, so its modules name their folder.
#[path = "loadbench/fanout.rs"]
mod fanout;
#[path = "loadbench/nginx.rs"]
mod nginx;
#[path = "loadbench/setup.rs"]
mod setup;

use anyhow::{bail, Context};
use chrono::{Duration as Days, NaiveDate};
use orderdesk_domain::{OrderKind, OrderNumber, ResourceId, ServiceId};
use orderdesk_protocol::{Catalog, OrderPage};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fanout::Fanout;
use setup::Kind;

/// How many requests each part of the run sends.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    reads: usize,
    bookings: usize,
    contended: usize,
    requests: usize,
    /// Connected `/events` streams, and changes made while they listen.
    subscribers: usize,
    changes: usize,
}

impl Sizes {
    const FULL: Sizes = Sizes {
        reads: 4000,
        bookings: 4000,
        contended: 2000,
        requests: 2000,
        subscribers: 1000,
        changes: 20,
    };
    const SMALL: Sizes = Sizes {
        reads: 200,
        bookings: 200,
        contended: 100,
        requests: 100,
        subscribers: 50,
        changes: 3,
    };

    /// `ORDERDESK_BENCH_SCALE`: `small`, or `full` (the default).
    fn from_env() -> anyhow::Result<Sizes> {
        match std::env::var("ORDERDESK_BENCH_SCALE").as_deref() {
            Err(_) | Ok("full") => Ok(Sizes::FULL),
            Ok("small") => Ok(Sizes::SMALL),
            Ok(other) => bail!("ORDERDESK_BENCH_SCALE is «{other}»; it takes small or full"),
        }
    }
}

/// What the bench addresses, as the catalog gives it.
struct Targets {
    rooms_service: ServiceId,
    rooms: Vec<ResourceId>,
    request_service: ServiceId,
}

struct Bench {
    base: String,
    http: Client,
    concurrency: usize,
    sizes: Sizes,
    /// The figures printed so far, for the comparison at the end.
    rows: Mutex<Vec<Row>>,
    /// The first unexpected answer of each operation that had some: the
    /// run goes on so the other figures are still printed, then fails.
    failures: Mutex<Vec<String>>,
}

/// One operation's figures in one setup.
#[derive(Debug, Clone)]
struct Row {
    name: &'static str,
    per_second: f64,
    p50: f64,
    p99: f64,
}

struct Figures {
    done: usize,
    ok: usize,
    conflicts: usize,
    /// Answers other than 2xx and 409, and the first of them.
    failed: usize,
    first_failure: Option<String>,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// The numbers of the orders created, when the run keeps them.
    numbers: Vec<OrderNumber>,
}

impl Figures {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i].as_secs_f64() * 1000.0
    }

    /// Prints the figures and keeps them for the comparison.
    fn print(&self, bench: &Bench, name: &'static str) {
        let row = Row {
            name,
            per_second: self.done as f64 / self.elapsed.as_secs_f64(),
            p50: self.percentile(0.50),
            p99: self.percentile(0.99),
        };
        println!(
            "{name:<34} {:>6} req {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  (2xx {}, 409 {}, other {})",
            self.done, row.per_second, row.p50, row.p99, self.ok, self.conflicts, self.failed,
        );
        if let Ok(mut rows) = bench.rows.lock() {
            rows.push(row);
        }
        if let (Some(first), Ok(mut failures)) = (&self.first_failure, bench.failures.lock()) {
            failures.push(format!(
                "{name}: {} unexpected answers, the first: {first}",
                self.failed
            ));
        }
    }
}

/// What one worker measured.
#[derive(Default)]
struct Share {
    latencies: Vec<Duration>,
    ok: usize,
    conflicts: usize,
    failed: usize,
    first_failure: Option<String>,
    numbers: Vec<OrderNumber>,
}

/// The part of a created order's answer the bench needs.
#[derive(serde::Deserialize)]
struct Created {
    number: OrderNumber,
}

/// Takes request indexes from `next` until `total` and sends each; with
/// `keep`, reads the number of the order each successful answer created
/// (after the clock stops, so the parsing is not in the latency).
async fn worker<F>(
    http: Client,
    make: Arc<F>,
    next: Arc<AtomicUsize>,
    total: usize,
    keep: bool,
) -> anyhow::Result<Share>
where
    F: Fn(&Client, usize) -> RequestBuilder,
{
    let mut share = Share::default();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total {
            return Ok(share);
        }
        let t = Instant::now();
        let resp = make(&http, i).send().await?;
        let status = resp.status();
        let body = resp.bytes().await?;
        share.latencies.push(t.elapsed());
        if status.is_success() {
            share.ok += 1;
            if keep {
                let created: Created = serde_json::from_slice(&body)
                    .with_context(|| format!("request {i}: the answer has no order number"))?;
                share.numbers.push(created.number);
            }
        } else if status == StatusCode::CONFLICT {
            share.conflicts += 1;
        } else {
            share.failed += 1;
            share.first_failure.get_or_insert_with(|| {
                format!(
                    "request {i} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                )
            });
        }
    }
}

impl Bench {
    async fn login(&self, login: &str) -> anyhow::Result<String> {
        let body: Value = self
            .http
            .post(format!("{}/auth/login", self.base))
            .json(&json!({"login": login, "password": "demo"}))
            .send()
            .await?
            .json()
            .await?;
        body["token"]
            .as_str()
            .map(str::to_owned)
            .context("login answered without a token")
    }

    /// A GET answered with 2xx and a body of `T`.
    async fn get<T: DeserializeOwned>(&self, path: &str, token: &str) -> anyhow::Result<T> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        let status = resp.status();
        if !status.is_success() {
            bail!("GET {path} answered {status}: {}", resp.text().await?);
        }
        resp.json()
            .await
            .with_context(|| format!("GET {path}: unexpected body"))
    }

    /// Sends `total` requests built by `make`, `concurrency` at a time.
    async fn run<F>(&self, total: usize, make: F) -> anyhow::Result<Figures>
    where
        F: Fn(&Client, usize) -> RequestBuilder + Send + Sync + 'static,
    {
        self.measure(total, make, false).await
    }

    /// [`Bench::run`] for creations: the figures keep the created numbers.
    async fn run_creating<F>(&self, total: usize, make: F) -> anyhow::Result<Figures>
    where
        F: Fn(&Client, usize) -> RequestBuilder + Send + Sync + 'static,
    {
        self.measure(total, make, true).await
    }

    async fn measure<F>(&self, total: usize, make: F, keep: bool) -> anyhow::Result<Figures>
    where
        F: Fn(&Client, usize) -> RequestBuilder + Send + Sync + 'static,
    {
        let make = Arc::new(make);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let workers: Vec<_> = (0..self.concurrency)
            .map(|_| {
                let (make, next, http) = (make.clone(), next.clone(), self.http.clone());
                tokio::spawn(worker(http, make, next, total, keep))
            })
            .collect();
        let mut figures = Figures {
            done: total,
            ok: 0,
            conflicts: 0,
            failed: 0,
            first_failure: None,
            elapsed: Duration::ZERO,
            latencies: Vec::with_capacity(total),
            numbers: Vec::new(),
        };
        for w in workers {
            let share = w.await??;
            figures.latencies.extend(share.latencies);
            figures.numbers.extend(share.numbers);
            figures.ok += share.ok;
            figures.conflicts += share.conflicts;
            figures.failed += share.failed;
            figures.first_failure = figures.first_failure.or(share.first_failure);
        }
        figures.elapsed = started.elapsed();
        figures.latencies.sort_unstable();
        Ok(figures)
    }
}

/// One setup's figures.
struct Outcome {
    kind: Kind,
    rows: Vec<Row>,
    fanout: Fanout,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let concurrency: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(16);
    let sizes = Sizes::from_env()?;
    // The server's own warnings and errors (a 500's cause) on stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let admin = std::env::var("ORDERDESK_TEST_POSTGRES").ok();
    let dir = std::env::temp_dir().join(format!("orderdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    println!("orderdesk load bench: demo database, {concurrency} concurrent clients on loopback");
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for kind in Kind::ALL {
        let Some(running) =
            setup::start(kind, admin.as_deref(), &dir.join(format!("{kind:?}"))).await?
        else {
            continue;
        };
        println!("\n== {}", kind.label());
        let bench = Bench {
            base: format!("{}/api/v1", running.url),
            http: Client::builder()
                .pool_max_idle_per_host(concurrency)
                .build()?,
            concurrency,
            sizes,
            rows: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
        };
        let fanout = run_all(&bench).await;
        running.stop().await?;
        let rows = bench.rows.into_inner().unwrap_or_default();
        for failure in bench.failures.into_inner().unwrap_or_default() {
            failures.push(format!("{}, {failure}", kind.label()));
        }
        outcomes.push(Outcome {
            kind,
            rows,
            fanout: fanout?,
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
    compare(&outcomes);
    if !failures.is_empty() {
        bail!("unexpected answers:\n{}", failures.join("\n"));
    }
    Ok(())
}

/// Every part, in an order where each finds what the earlier left.
async fn run_all(bench: &Bench) -> anyhow::Result<Fanout> {
    let resident = bench.login("resident").await?;
    let targets = discover(bench, &resident).await?;
    reads(bench).await?;
    booking_creates(bench, &targets, &resident).await?;
    requests_and_status(bench, &targets, &resident).await?;
    let sizes = bench.sizes;
    let fanout = fanout::run(
        bench,
        targets.request_service,
        sizes.subscribers,
        sizes.changes,
    )
    .await?;
    fanout.print();
    Ok(fanout)
}

/// The setups side by side, each figure with its ratio to the first
/// setup's (SQLite): throughput ×, latency ×.
fn compare(outcomes: &[Outcome]) {
    let Some(first) = outcomes.first() else {
        return;
    };
    println!("\n== side by side (ratio to {})", first.kind.label());
    for outcome in outcomes {
        println!("-- {}", outcome.kind.label());
        for row in &outcome.rows {
            let base = first.rows.iter().find(|r| r.name == row.name);
            let ratio = |ours: f64, theirs: Option<f64>| match theirs {
                Some(t) if t > 0.0 => format!("×{:.2}", ours / t),
                _ => "–".to_owned(),
            };
            println!(
                "{:<34} {:>8.0} req/s ({:>6})  p50 {:>6.2} ms ({:>6})  p99 {:>6.2} ms ({:>6})",
                row.name,
                row.per_second,
                ratio(row.per_second, base.map(|b| b.per_second)),
                row.p50,
                ratio(row.p50, base.map(|b| b.p50)),
                row.p99,
                ratio(row.p99, base.map(|b| b.p99)),
            );
        }
        let (f, b) = (&outcome.fanout, &first.fanout);
        println!(
            "{:<34} {:>5} subscribers      p50 {:>6.2} ms (×{:.2})  p99 {:>6.2} ms (×{:.2})  max {:.2} ms",
            "SSE fan-out",
            f.subscribers,
            f.percentile(0.5),
            f.percentile(0.5) / b.percentile(0.5).max(f64::EPSILON),
            f.percentile(0.99),
            f.percentile(0.99) / b.percentile(0.99).max(f64::EPSILON),
            f.percentile(1.0),
        );
    }
}

/// The meeting rooms and a request service, from the catalog the resident
/// sees.
async fn discover(bench: &Bench, resident: &str) -> anyhow::Result<Targets> {
    let catalog: Catalog = bench.get("/catalog", resident).await?;
    let first_of = |kind: OrderKind| {
        catalog
            .services
            .iter()
            .find(|s| s.kind == kind)
            .map(|s| s.id)
            .with_context(|| format!("the catalog has no service of kind {kind:?}"))
    };
    let rooms_service = first_of(OrderKind::Booking)?;
    let request_service = first_of(OrderKind::SimpleRequest)?;
    let rooms: Vec<ResourceId> = catalog
        .resources
        .iter()
        .filter(|r| r.service_id == rooms_service)
        .map(|r| r.id)
        .take(2)
        .collect();
    if rooms.is_empty() {
        bail!("the catalog has no meeting room to book");
    }
    Ok(Targets {
        rooms_service,
        rooms,
        request_service,
    })
}

/// The list page and the order card, as the rental manager.
async fn reads(bench: &Bench) -> anyhow::Result<()> {
    let rental = bench.login("rental").await?;
    let base = bench.base.clone();
    let t = rental.clone();
    bench
        .run(bench.sizes.reads, move |h, _| {
            h.get(format!("{base}/orders?per_page=20")).bearer_auth(&t)
        })
        .await?
        .print(bench, "list page of 20 (rental)");

    // The cards the rental manager may open: those its own list shows.
    let page: OrderPage = bench.get("/orders?per_page=100", &rental).await?;
    let numbers: Vec<OrderNumber> = page.items.iter().map(|o| o.number).collect();
    if numbers.is_empty() {
        bail!("the rental manager's list is empty: nothing to open");
    }
    let base = bench.base.clone();
    let t = rental.clone();
    bench
        .run(bench.sizes.reads, move |h, i| {
            h.get(format!("{base}/orders/{}", numbers[i % numbers.len()]))
                .bearer_auth(&t)
        })
        .await?
        .print(bench, "order detail (rental)");
    Ok(())
}

/// Booking creation on free slots, then on ten contended ones.
async fn booking_creates(bench: &Bench, targets: &Targets, resident: &str) -> anyhow::Result<()> {
    let base = bench.base.clone();
    let t = resident.to_owned();
    let (service, rooms) = (targets.rooms_service, targets.rooms.clone());
    let first_day = NaiveDate::from_ymd_opt(2028, 1, 1).context("date")?;
    // 32 half-hour slots a day in each room, each booked once.
    let per_day = 32 * rooms.len();
    bench
        .run(bench.sizes.bookings, move |h, i| {
            let day = first_day + Days::days((i / per_day) as i64);
            let room = rooms[(i / 32) % rooms.len()];
            let slot = i % 32;
            let time = format!("{:02}:{:02}", 8 + slot / 2, (slot % 2) * 30);
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": service, "details": {"kind": "booking", "resource_id": room, "date": day, "slots": [time]}}))
        })
        .await?
        .print(bench, "booking create, free slots");

    let base = bench.base.clone();
    let t = resident.to_owned();
    let room = targets.rooms[0];
    bench
        .run(bench.sizes.contended, move |h, i| {
            // Ten slots of one room on one day: nearly everyone collides.
            let slot = i % 10;
            let time = format!("{:02}:{:02}", 9 + slot / 2, (slot % 2) * 30);
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": service, "details": {"kind": "booking", "resource_id": room, "date": "2029-06-01", "slots": [time]}}))
        })
        .await?
        .print(bench, "booking create, contended slots");
    Ok(())
}

/// Request creation by the resident, then a status change of each request
/// it created, by the service manager.
async fn requests_and_status(
    bench: &Bench,
    targets: &Targets,
    resident: &str,
) -> anyhow::Result<()> {
    let service = bench.login("service").await?;
    let base = bench.base.clone();
    let t = resident.to_owned();
    let request_service = targets.request_service;
    let requests = bench
        .run_creating(bench.sizes.requests, move |h, _| {
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": request_service, "description": "bench", "details": {"kind": "simple_request"}}))
        })
        .await?;
    requests.print(bench, "request create");

    let numbers = requests.numbers;
    let base = bench.base.clone();
    bench
        .run(numbers.len(), move |h, i| {
            h.post(format!("{base}/orders/{}/status", numbers[i]))
                .bearer_auth(&service)
                .json(&json!({"status": "in_progress"}))
        })
        .await?
        .print(bench, "status change (service)");
    Ok(())
}
