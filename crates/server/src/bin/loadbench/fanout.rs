//! SSE fan-out latency: many `/api/v1/events` streams held by a manager who
//! sees the order, one status change at a time, and for each subscriber the
//! time from the change's HTTP answer to the event reaching it. On
//! PostgreSQL the event goes through the LISTEN/NOTIFY change feed, also on
//! one instance; behind nginx the streams are spread over both instances
//! and the change lands on one of them.

use anyhow::{bail, Context};
use futures::StreamExt;
use orderdesk_domain::{OrderNumber, ServiceId};
use orderdesk_protocol::ServerEvent;
use reqwest::Client;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

use super::Bench;

/// Electric's Durable Streams server (Rust), at 1 000 subscribers.
const ANCHOR: &str = "anchor: 3.7 ms p50 at 1 000 subscribers (Electric's Durable Streams server)";
/// How long one change may take to reach every subscriber.
const ALL_WITHIN: Duration = Duration::from_secs(20);

/// A subscriber's receipt: which subscriber, which order, when.
type Receipt = (usize, OrderNumber, Instant);

/// What the fan-out measured.
pub struct Fanout {
    pub subscribers: usize,
    pub changes: usize,
    /// Sorted; receipts before the answer count as zero.
    latencies: Vec<Duration>,
    /// Sorted; from the moment the change was sent.
    from_sent: Vec<Duration>,
    /// Receipts that came before the change's HTTP answer.
    early: usize,
}

impl Fanout {
    /// In ms, from the change's answer.
    pub fn percentile(&self, p: f64) -> f64 {
        percentile(&self.latencies, p)
    }

    pub fn print(&self) {
        println!(
            "SSE fan-out, {} subscribers × {} changes: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms \
             ({} receipts came before the change's answer, counted as 0)",
            self.subscribers,
            self.changes,
            self.percentile(0.50),
            self.percentile(0.99),
            self.percentile(1.0),
            self.early,
        );
        println!(
            "    from the change's request: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            percentile(&self.from_sent, 0.50),
            percentile(&self.from_sent, 0.99),
            percentile(&self.from_sent, 1.0),
        );
        println!("    {ANCHOR}");
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Connects `subscribers` streams, then makes `changes` status changes one
/// after another, each once every subscriber has the previous one.
pub async fn run(
    bench: &Bench,
    request_service: ServiceId,
    subscribers: usize,
    changes: usize,
) -> anyhow::Result<Fanout> {
    check_open_files(subscribers)?;
    let resident = bench.login("resident").await?;
    let manager = bench.login("service").await?;
    let mut orders = Vec::with_capacity(changes);
    for _ in 0..changes {
        orders.push(create_request(bench, &resident, request_service).await?);
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<Receipt>();
    let streams = connect(bench, &manager, subscribers, tx).await?;
    let mut figures = Fanout {
        subscribers,
        changes,
        latencies: Vec::with_capacity(subscribers * changes),
        from_sent: Vec::with_capacity(subscribers * changes),
        early: 0,
    };
    let outcome = measure(bench, &manager, &orders, &mut rx, &mut figures).await;
    for stream in streams {
        stream.abort();
    }
    outcome?;
    figures.latencies.sort_unstable();
    figures.from_sent.sort_unstable();
    Ok(figures)
}

/// Each stream holds two descriptors in this process (the client's socket
/// and the in-process server's): refuses a run the soft limit would cut
/// short, rather than report the failures as figures.
fn check_open_files(subscribers: usize) -> anyhow::Result<()> {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse::<usize>().ok());
    match soft {
        Some(soft) if soft < 2 * subscribers + 200 => bail!(
            "{subscribers} event streams need about {} open files; the limit is {soft} \
             (raise it with `ulimit -n`)",
            2 * subscribers + 200
        ),
        _ => Ok(()),
    }
}

async fn measure(
    bench: &Bench,
    manager: &str,
    orders: &[OrderNumber],
    rx: &mut mpsc::UnboundedReceiver<Receipt>,
    figures: &mut Fanout,
) -> anyhow::Result<()> {
    for &order in orders {
        let sent = Instant::now();
        let resp = bench
            .http
            .post(format!("{}/orders/{order}/status", bench.base))
            .bearer_auth(manager)
            .json(&json!({"status": "in_progress"}))
            .send()
            .await?;
        let status = resp.status();
        let body = resp.bytes().await?;
        let answered = Instant::now();
        if !status.is_success() {
            bail!(
                "status change of {order} answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let mut got = vec![false; figures.subscribers];
        let mut missing = figures.subscribers;
        let deadline = tokio::time::Instant::now() + ALL_WITHIN;
        while missing > 0 {
            let (who, number, at) = tokio::time::timeout_at(deadline, rx.recv())
                .await
                .with_context(|| format!("{missing} subscribers never saw the change of {order}"))?
                .context("every subscriber's stream ended")?;
            if number != order || got[who] {
                continue;
            }
            got[who] = true;
            missing -= 1;
            if at < answered {
                figures.early += 1;
            }
            figures
                .latencies
                .push(at.saturating_duration_since(answered));
            figures.from_sent.push(at.saturating_duration_since(sent));
        }
    }
    Ok(())
}

async fn create_request(
    bench: &Bench,
    resident: &str,
    service: ServiceId,
) -> anyhow::Result<OrderNumber> {
    #[derive(serde::Deserialize)]
    struct Created {
        number: OrderNumber,
    }
    let resp = bench
        .http
        .post(format!("{}/orders", bench.base))
        .bearer_auth(resident)
        .json(&json!({"service_id": service, "description": "fan-out", "details": {"kind": "simple_request"}}))
        .send()
        .await?;
    let status = resp.status();
    if !status.is_success() {
        bail!("request creation answered {status}: {}", resp.text().await?);
    }
    Ok(resp.json::<Created>().await?.number)
}

/// Opens the streams, a hundred at a time so the listen backlog keeps up,
/// and returns once every one has its answer's head (the server subscribes
/// before it answers).
async fn connect(
    bench: &Bench,
    token: &str,
    subscribers: usize,
    tx: mpsc::UnboundedSender<Receipt>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    // A client of their own: each stream holds its own connection.
    let http = Client::builder().build()?;
    let open = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let mut streams = Vec::with_capacity(subscribers);
    for who in 0..subscribers {
        let request = http
            .get(format!("{}/events", bench.base))
            .bearer_auth(token);
        let (tx, opened, lost) = (tx.clone(), open.clone(), failed.clone());
        streams.push(tokio::spawn(async move {
            if follow(who, request, &tx, &opened).await.is_err() {
                lost.fetch_add(1, Ordering::Relaxed);
            }
        }));
        if who % 100 == 99 {
            wait_open(&open, &failed, who + 1).await?;
        }
    }
    wait_open(&open, &failed, subscribers).await?;
    Ok(streams)
}

async fn wait_open(open: &AtomicUsize, failed: &AtomicUsize, want: usize) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while open.load(Ordering::Relaxed) < want {
        let lost = failed.load(Ordering::Relaxed);
        if lost > 0 {
            bail!("{lost} event streams could not be opened");
        }
        if Instant::now() > deadline {
            bail!(
                "only {} of {want} event streams opened in 30 s",
                open.load(Ordering::Relaxed)
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// One subscriber: reads its stream and reports each order event the
/// moment its data line is complete.
async fn follow(
    who: usize,
    request: reqwest::RequestBuilder,
    tx: &mpsc::UnboundedSender<Receipt>,
    open: &AtomicUsize,
) -> anyhow::Result<()> {
    let resp = request.send().await?;
    if !resp.status().is_success() {
        bail!("/events answered {}", resp.status());
    }
    open.fetch_add(1, Ordering::Relaxed);
    let mut body = resp.bytes_stream();
    let mut pending: Vec<u8> = Vec::new();
    while let Some(chunk) = body.next().await {
        pending.extend_from_slice(&chunk?);
        let now = Instant::now();
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            if let Some(data) = line.strip_prefix(b"data:") {
                if let Ok(event) = serde_json::from_slice::<ServerEvent>(data.trim_ascii()) {
                    let _ = tx.send((who, event.order, now));
                }
            }
        }
    }
    Ok(())
}
