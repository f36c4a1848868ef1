//! Figures of the offline core against a real server on loopback: initial
//! sync rows/s at 10 000 and 100 000 orders, event → visible latency, local
//! list queries over 100 000 cached orders, and memory. Prints, asserts
//! nothing. Run: `cargo bench -p orderdesk-client-core --bench sync_figures`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{temp_dir, TestServer};
use orderdesk_client_core::{ListFilter, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, Status};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Inserts `count` simple requests straight into the server's tables, each
/// with its change log entry, as if requesters had created them.
async fn seed(server: &TestServer, count: usize) {
    let mut tx = server.state.storage().begin().await.expect("begin");
    let now = chrono::Utc::now();
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 1000) FROM orders")
        .fetch_one(&mut *tx)
        .await
        .expect("max number");
    for i in 0..count as i64 {
        let status = ["new", "in_progress", "awaiting_confirmation", "done"][(i % 4) as usize];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (number, kind, status, service_id, requester_id, title, search,
                                 created_at, updated_at)
             VALUES (?, 'simple_request', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(first + 1 + i)
        .bind(status)
        .bind(server.ids.cleaning)
        .bind(server.ids.resident)
        .bind(format!("Уборка офиса {i}"))
        .bind(format!("уборка офиса {i}"))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .expect("order");
        sqlx::query("INSERT INTO changes (order_id, version, at) VALUES (?, 1, ?)")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("change");
    }
    tx.commit().await.expect("commit");
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

async fn initial_sync(count: usize) -> (TestServer, orderdesk_client_core::Client) {
    let server = TestServer::start("bench").await;
    seed(&server, count).await;
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let client = server
        .client(&temp_dir("bench-cache"), &tokens, &notifier, "service")
        .await;
    let started = Instant::now();
    let report = client.sync_now().await.expect("initial sync");
    let took = started.elapsed();
    println!(
        "initial sync, {count} orders: {:.2} s, {:.0} orders/s into the cache ({} pulled)",
        took.as_secs_f64(),
        f64::from(report.pulled_orders) / took.as_secs_f64(),
        report.pulled_orders
    );
    (server, client)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (server, client) = initial_sync(10_000).await;
    drop((client, server));

    let rss_before = rss_kib("VmRSS:");
    let (server, client) = initial_sync(100_000).await;
    println!(
        "memory after 100 000 cached orders: VmRSS {} MiB (+{} MiB over the start, server in the same process), VmHWM {} MiB",
        rss_kib("VmRSS:") / 1024,
        rss_kib("VmRSS:").saturating_sub(rss_before) / 1024,
        rss_kib("VmHWM:") / 1024
    );

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
        for _ in 0..200 {
            let started = Instant::now();
            let page = client.list(filter).expect("list");
            times.push(started.elapsed());
            assert!(!page.items.is_empty());
        }
        times.sort();
        println!(
            "local list query over 100 000 ({name}): p50 {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.99).as_secs_f64() * 1000.0
        );
    }

    client.start_sync();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let manager = server.token("service").await;
    let mut times = Vec::new();
    let targets: Vec<OrderNumber> = client
        .list(&ListFilter {
            status: Some(Status::New),
            limit: 100,
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
