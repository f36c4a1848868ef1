//! Load benchmark: starts the server on loopback over a fresh demo database
//! and reports throughput and p50/p99 latency for the list page of 20, the
//! order card, a status change, booking creation (free and contended slots).
//!
//! `cargo run --release -p orderdesk-server --bin loadbench [-- CONCURRENCY]`.
//! With `ORDERDESK_BENCH_SCALE=small` it sends a few hundred requests instead
//! of thousands: the test command runs it so, to see that it still works.
//!
//! Everything it addresses is found through the API — the catalog's meeting
//! rooms and request service, the orders the rental manager may read, the
//! numbers the server gave the requests it created — because the demo's
//! numbering is the demo's business and changes with it.

use anyhow::{bail, Context};
use chrono::{Duration as Days, NaiveDate};
use orderdesk_domain::{OrderKind, OrderNumber, ResourceId, ServiceId};
use orderdesk_protocol::{Catalog, OrderPage};
use orderdesk_server::{AppState, Config, PasswordCost, SystemClock};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many requests each part of the run sends.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    reads: usize,
    bookings: usize,
    contended: usize,
    requests: usize,
}

impl Sizes {
    const FULL: Sizes = Sizes {
        reads: 4000,
        bookings: 4000,
        contended: 2000,
        requests: 2000,
    };
    const SMALL: Sizes = Sizes {
        reads: 200,
        bookings: 200,
        contended: 100,
        requests: 100,
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
}

struct Figures {
    done: usize,
    ok: usize,
    conflicts: usize,
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

    fn print(&self, name: &str) {
        println!(
            "{name:<34} {:>6} req {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  (2xx {}, 409 {})",
            self.done,
            self.done as f64 / self.elapsed.as_secs_f64(),
            self.percentile(0.50),
            self.percentile(0.99),
            self.ok,
            self.conflicts,
        );
    }
}

/// What one worker measured.
#[derive(Default)]
struct Share {
    latencies: Vec<Duration>,
    ok: usize,
    conflicts: usize,
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
            bail!(
                "request {i} answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
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
        }
        figures.elapsed = started.elapsed();
        figures.latencies.sort_unstable();
        Ok(figures)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let concurrency: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(16);
    let sizes = Sizes::from_env()?;
    let dir = std::env::temp_dir().join(format!("orderdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (state, addr, server) = start_server(&dir).await?;
    let bench = Bench {
        base: format!("http://{addr}/api/v1"),
        http: Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()?,
        concurrency,
        sizes,
    };
    println!("orderdesk load bench: demo database, {concurrency} concurrent clients on loopback");
    let outcome = run_all(&bench).await;
    server.abort();
    state.storage().close().await;
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// Every part, in an order where each finds what the earlier left.
async fn run_all(bench: &Bench) -> anyhow::Result<()> {
    let resident = bench.login("resident").await?;
    let targets = discover(bench, &resident).await?;
    reads(bench).await?;
    booking_creates(bench, &targets, &resident).await?;
    requests_and_status(bench, &targets, &resident).await
}

/// A server on a loopback port with the demo, in this process.
async fn start_server(
    dir: &std::path::Path,
) -> anyhow::Result<(
    AppState,
    std::net::SocketAddr,
    tokio::task::JoinHandle<std::io::Result<()>>,
)> {
    let mut config = Config::new(dir.join("bench.db"));
    config.password_cost = PasswordCost::Fast;
    config.tick_every = None;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    config.public_url = format!("http://{addr}");
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    orderdesk_server::demo::seed(&state).await?;
    let server = tokio::spawn(orderdesk_server::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    Ok((state, addr, server))
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
        .print("list page of 20 (rental)");

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
        .print("order detail (rental)");
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
        .print("booking create, free slots");

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
        .print("booking create, contended slots");
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
    requests.print("request create");

    let numbers = requests.numbers;
    let base = bench.base.clone();
    bench
        .run(numbers.len(), move |h, i| {
            h.post(format!("{base}/orders/{}/status", numbers[i]))
                .bearer_auth(&service)
                .json(&json!({"status": "in_progress"}))
        })
        .await?
        .print("status change (service)");
    Ok(())
}
