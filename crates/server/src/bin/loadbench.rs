//! Load benchmark: starts the server on loopback over a fresh demo database
//! and reports throughput and p50/p99 latency for the list page of 20, the
//! order card, a status change, booking creation (free and contended slots).
//!
//! `cargo run --release -p orderdesk-server --bin loadbench [-- CONCURRENCY]`

use anyhow::{bail, Context};
use chrono::{Duration as Days, NaiveDate};
use orderdesk_server::{AppState, Config, PasswordCost, SystemClock};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Bench {
    base: String,
    http: Client,
    concurrency: usize,
}

struct Figures {
    done: usize,
    ok: usize,
    conflicts: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
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

    /// Sends `total` requests built by `make`, `concurrency` at a time.
    async fn run<F>(&self, total: usize, make: F) -> anyhow::Result<Figures>
    where
        F: Fn(&Client, usize) -> RequestBuilder + Send + Sync + 'static,
    {
        let make = Arc::new(make);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut workers = Vec::new();
        for _ in 0..self.concurrency {
            let (make, next, http) = (make.clone(), next.clone(), self.http.clone());
            workers.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let (mut ok, mut conflicts) = (0, 0);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let t = Instant::now();
                    let resp = make(&http, i).send().await?;
                    let status = resp.status();
                    let _ = resp.bytes().await?;
                    lat.push(t.elapsed());
                    if status.is_success() {
                        ok += 1;
                    } else if status == StatusCode::CONFLICT {
                        conflicts += 1;
                    } else {
                        bail!("request {i} answered {status}");
                    }
                }
                Ok::<_, anyhow::Error>((lat, ok, conflicts))
            }));
        }
        let mut figures = Figures {
            done: total,
            ok: 0,
            conflicts: 0,
            elapsed: Duration::ZERO,
            latencies: Vec::with_capacity(total),
        };
        for w in workers {
            let (lat, ok, conflicts) = w.await??;
            figures.latencies.extend(lat);
            figures.ok += ok;
            figures.conflicts += conflicts;
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
    let dir = std::env::temp_dir().join(format!("orderdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (state, addr, server) = start_server(&dir).await?;
    let bench = Bench {
        base: format!("http://{addr}/api/v1"),
        http: Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()?,
        concurrency,
    };
    println!("orderdesk load bench: demo database, {concurrency} concurrent clients on loopback");
    reads(&bench).await?;
    let (created, contended) = booking_creates(&bench).await?;
    // The requests created next are numbered after the demo and the bookings.
    let first_number = 1001 + 360 + created.ok as i64 + contended.ok as i64;
    requests_and_status(&bench, first_number).await?;
    server.abort();
    state.storage().close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
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

/// The list page and the order card, as the rental manager.
async fn reads(bench: &Bench) -> anyhow::Result<()> {
    let rental = bench.login("rental").await?;
    let base = bench.base.clone();
    let t = rental.clone();
    bench
        .run(4000, move |h, _| {
            h.get(format!("{base}/orders?per_page=20")).bearer_auth(&t)
        })
        .await?
        .print("list page of 20 (rental)");

    let base = bench.base.clone();
    let t = rental.clone();
    // Demo numbers of bookings the rental manager sees: every sixth from 1003.
    bench
        .run(4000, move |h, i| {
            h.get(format!("{base}/orders/{}", 1003 + 6 * (i % 60)))
                .bearer_auth(&t)
        })
        .await?
        .print("order detail (rental)");
    Ok(())
}

/// Booking creation on free slots, then on ten contended ones.
async fn booking_creates(bench: &Bench) -> anyhow::Result<(Figures, Figures)> {
    let resident = bench.login("resident").await?;
    let base = bench.base.clone();
    let t = resident.clone();
    let first_day = NaiveDate::from_ymd_opt(2028, 1, 1).context("date")?;
    let created = bench
        .run(4000, move |h, i| {
            let day = first_day + Days::days((i / 64) as i64);
            let room = 1 + (i / 32) % 2;
            let slot = i % 32;
            let time = format!("{:02}:{:02}", 8 + slot / 2, (slot % 2) * 30);
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": 5, "details": {"kind": "booking", "resource_id": room, "date": day, "slots": [time]}}))
        })
        .await?;
    created.print("booking create, free slots");

    let base = bench.base.clone();
    let t = resident.clone();
    let contended = bench
        .run(2000, move |h, i| {
            // Ten slots of one room on one day: nearly everyone collides.
            let slot = i % 10;
            let time = format!("{:02}:{:02}", 9 + slot / 2, (slot % 2) * 30);
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": 5, "details": {"kind": "booking", "resource_id": 1, "date": "2029-06-01", "slots": [time]}}))
        })
        .await?;
    contended.print("booking create, contended slots");
    Ok((created, contended))
}

/// Request creation by the resident, then a status change of each.
async fn requests_and_status(bench: &Bench, first_number: i64) -> anyhow::Result<()> {
    let resident = bench.login("resident").await?;
    let service = bench.login("service").await?;
    let base = bench.base.clone();
    let t = resident.clone();
    let requests = bench
        .run(2000, move |h, _| {
            h.post(format!("{base}/orders"))
                .bearer_auth(&t)
                .json(&json!({"service_id": 1, "description": "bench", "details": {"kind": "simple_request"}}))
        })
        .await?;
    requests.print("request create");

    let base = bench.base.clone();
    let t = service.clone();
    bench
        .run(2000, move |h, i| {
            h.post(format!("{base}/orders/{}/status", first_number + i as i64))
                .bearer_auth(&t)
                .json(&json!({"status": "in_progress"}))
        })
        .await?
        .print("status change (service)");
    Ok(())
}
