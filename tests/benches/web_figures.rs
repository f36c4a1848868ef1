//! Figures of the web app in headless Chromium against the real server:
//! the size of its two wasm programs, the first load with an empty
//! profile, the reload with the server gone (the service worker and the
//! cache on OPFS answer), and the first sync of 10 000 orders in the
//! browser's core against the native core in the same run, from the same
//! server. Prints, asserts nothing.
//!
//! Needs `ORDERDESK_SERVER_BIN` and `ORDERDESK_UI_DIST` (the test command
//! sets both); `ORDERDESK_BENCH_SCALE=small` seeds 500 orders, so the test
//! command sees it still runs. Build the UI with `cargo xtask build-ui
//! --release` first for figures worth quoting: a debug wasm is several
//! times larger and slower.

use orderdesk_client_core::{Client, ListFilter, MemoryTokenStore, SilentNotifier};
use orderdesk_e2e::browser::{set_offline, ui_dist, Browser};
use orderdesk_e2e::{Api, Server, PHONE};
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Failing<T> = Result<T, Box<dyn std::error::Error>>;

fn orders_to_sync() -> usize {
    match std::env::var("ORDERDESK_BENCH_SCALE").as_deref() {
        Ok("small") => 500,
        _ => 10_000,
    }
}

/// A file's size and its size gzipped (as a server or CDN would send it).
fn sizes(path: &Path) -> Failing<(u64, u64)> {
    let raw = std::fs::metadata(path)?.len();
    let gzip = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()?;
    Ok((raw, gzip.stdout.len() as u64))
}

fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}

/// Inserts `count` simple requests of the resident in a service of the
/// manager's straight into the server's database, each with its change log
/// entry and a two-message public chat.
async fn seed(database: &Path, service: i64, requester: i64, count: usize) -> Failing<()> {
    let url = format!("sqlite://{}", database.display());
    let mut db = SqliteConnection::connect(&url).await?;
    let mut tx = db.begin().await?;
    let now = chrono::Utc::now();
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 1000) FROM orders")
        .fetch_one(&mut *tx)
        .await?;
    for i in 0..count as i64 {
        let status = ["new", "in_progress", "awaiting_confirmation", "done"][(i % 4) as usize];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (number, kind, status, service_id, requester_id, title, search,
                                 created_at, updated_at)
             VALUES ($1, 'simple_request', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(first + 1 + i)
        .bind(status)
        .bind(service)
        .bind(requester)
        .bind(format!("Уборка офиса {i}"))
        .bind(format!("уборка офиса {i}"))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for text in ["Добрый день! Когда придут?", "Сегодня до 18:00."]
        {
            sqlx::query(
                "INSERT INTO messages (order_id, author_id, visibility, text, created_at)
                 VALUES ($1, $2, 'public', $3, $4)",
            )
            .bind(id)
            .bind(requester)
            .bind(text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("INSERT INTO changes (order_id, version, at) VALUES ($1, 1, $2)")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The manager's simple-request service and the resident's id.
async fn seed_targets(url: &str) -> Failing<(i64, i64)> {
    let manager = Api::login(url, "service").await?;
    let resident = Api::login(url, "resident").await?;
    let service = resident.request_service_of(&manager).await?;
    let requester = resident.get("/me").await?["user"]["id"]
        .as_i64()
        .ok_or("no resident id")?;
    Ok((service, requester))
}

/// The native core's first sync: orders per second until the cache holds
/// `expected`.
async fn native_first_sync(url: &str, expected: u64) -> Failing<(Duration, u64)> {
    let dir = tempfile::tempdir()?;
    let client = Client::open(
        dir.path(),
        Arc::new(MemoryTokenStore::new()),
        Arc::new(SilentNotifier),
    )?;
    let started = Instant::now();
    client.login(url, "service", "demo").await?;
    loop {
        client.sync_now().await?;
        let total = client.list(&ListFilter::default())?.total;
        if total >= expected || started.elapsed() > Duration::from_secs(600) {
            return Ok((started.elapsed(), total));
        }
    }
}

/// How many orders the browser's core holds, asked through the page.
async fn browser_total(browser: &Browser) -> Failing<u64> {
    let answer = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__ORDERDESK__.core
               .invoke('list_orders', {args: {filter: {offset: 0, limit: 1}}})
               .then(page => done(page.total), error => done(JSON.stringify(error)));",
            vec![],
        )
        .await?;
    answer
        .as_u64()
        .ok_or_else(|| format!("the page did not count its orders: {answer}").into())
}

#[tokio::main]
async fn main() -> Failing<()> {
    let count = orders_to_sync();
    let dist = ui_dist()?;
    let (ui, ui_gz) = sizes(&dist.join("ui_bg.wasm"))?;
    let (core, core_gz) = sizes(&dist.join("core_bg.wasm"))?;
    println!(
        "wasm: UI {} ({} gzipped), core worker {} ({} gzipped)",
        kib(ui),
        kib(ui_gz),
        kib(core),
        kib(core_gz)
    );

    let data = tempfile::tempdir()?;
    let database = data.path().join("orders.sqlite3");
    let mut server = Server::start_on(
        &database.to_string_lossy(),
        true,
        &["--ui-dir", &dist.to_string_lossy()],
    )?;
    let url = server.url();
    let (service, requester) = seed_targets(&url).await?;
    seed(&database, service, requester, count).await?;

    let (took, expected) = native_first_sync(&url, count as u64).await?;
    println!(
        "first sync, native core: {expected} orders in {:.2} s = {:.0} orders/s",
        took.as_secs_f64(),
        expected as f64 / took.as_secs_f64()
    );

    let browser = Browser::start(PHONE).await?;
    let started = Instant::now();
    browser.open(&format!("{url}/")).await?;
    browser.wait_for(".login-card").await?;
    println!(
        "first load, empty profile: login screen in {} ms",
        started.elapsed().as_millis()
    );

    let started = Instant::now();
    browser.sign_in(&url, "service").await?;
    let mut total = 0;
    while total < expected && started.elapsed() < Duration::from_secs(900) {
        total = browser_total(&browser).await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed();
    println!(
        "first sync, browser core (worker, OPFS): {total} orders in {:.2} s = {:.0} orders/s",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64()
    );

    set_offline(&mut server);
    let started = Instant::now();
    browser.reload().await?;
    browser.wait_for("#order-list .row").await?;
    println!(
        "reload with the server gone: list of {total} cached orders in {} ms",
        started.elapsed().as_millis()
    );
    browser.close().await?;
    Ok(())
}
