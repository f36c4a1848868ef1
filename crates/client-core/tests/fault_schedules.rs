//! Sync under faults, Jepsen-style: random schedules drawn from a seed run
//! two or three real clients, each with its own cache, against a real
//! server, with conflicting actions, offline periods, kills, lost answers,
//! duplicated and delayed deliveries and server restarts; then every
//! schedule is checked (see `verdict`). A failing schedule prints its seed;
//! `ORDERDESK_SEED=<n>` replays it alone, `ORDERDESK_SCHEDULES=<n>` runs
//! that many (the soak runs 1000).
//!
//! The outbox wedges sync engines are known for have cases of their own:
//! an upload that failed once, an answer lost, a crash mid-push; each
//! queue drains with no new local write.

mod common;
// A test file is a crate root: its modules sit beside it unless told.
#[path = "fault_schedules/schedule.rs"]
mod schedule;
#[path = "fault_schedules/verdict.rs"]
mod verdict;
#[path = "fault_schedules/world.rs"]
mod world;

use common::{reopen, temp_dir, Net, TestServer};
use futures::StreamExt;
use orderdesk_client_core::{Client, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, Status, Visibility};
use schedule::Schedule;
use std::sync::Arc;
use std::time::{Duration, Instant};
use verdict::Verdict;
use world::{Mix, World};

/// Schedules in the test command; the soak sets `ORDERDESK_SCHEDULES`.
const SCHEDULES: u64 = 200;
/// Schedules run side by side, each with its own server; a schedule spends
/// most of its time waiting on the network, not on the CPU.
const SIDE_BY_SIDE: usize = 4;

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

async fn run_one(seed: u64) -> (Verdict, Mix) {
    let schedule = Schedule::generate(seed);
    let mut world = World::start(&schedule).await;
    world.run(&schedule).await;
    let verdict = verdict::check(&mut world).await;
    let mix = world.mix;
    world.clean_up();
    (verdict, mix)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_fault_schedules_lose_duplicate_and_wedge_nothing() {
    let seeds: Vec<u64> = match env_number("ORDERDESK_SEED") {
        Some(seed) => vec![seed],
        None => (1..=env_number("ORDERDESK_SCHEDULES").unwrap_or(SCHEDULES)).collect(),
    };
    let started = Instant::now();
    let mut runs = futures::stream::iter(seeds.iter().copied())
        .map(|seed| async move { (seed, run_one(seed).await) })
        .buffer_unordered(SIDE_BY_SIDE);
    let (mut mix, mut totals, mut failed) = (Mix::default(), Verdict::default(), Vec::new());
    while let Some((seed, (verdict, one))) = runs.next().await {
        mix.add(&one);
        if !verdict.passed() {
            eprintln!(
                "schedule seed {seed} FAILED ({:?}): {:#?}\n  replay: ORDERDESK_SEED={seed} \
                 cargo test -p orderdesk-client-core --test fault_schedules",
                Schedule::generate(seed).steps,
                verdict.notes
            );
            failed.push(seed);
        }
        totals.lost += verdict.lost;
        totals.duplicated += verdict.duplicated;
        totals.stuck += verdict.stuck;
        totals.mismatched += verdict.mismatched;
        totals.applied += verdict.applied;
        totals.refused += verdict.refused;
    }
    println!(
        "fault schedules: {} run in {:.1} s; fault mix: {mix:?}; \
         mutations applied {}, refused {}; \
         lost / duplicated / stuck / mismatched: {} / {} / {} / {}",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        totals.applied,
        totals.refused,
        totals.lost,
        totals.duplicated,
        totals.stuck,
        totals.mismatched
    );
    assert!(failed.is_empty(), "failing seeds: {failed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checker_sees_a_message_applied_twice() {
    use schedule::{Action, Step};
    let schedule = Schedule {
        seed: 0,
        logins: vec!["service", "service2"],
        steps: vec![
            Step::Act {
                client: 0,
                order: 0,
                action: Action::Message(Visibility::Public),
            },
            Step::Sync { client: 0 },
        ],
    };
    let mut world = World::start(&schedule).await;
    world.run(&schedule).await;
    // The same text once more, past the outbox: as if applied twice.
    let token = world.server.token("service").await;
    let number = world.orders[0].0;
    let path = format!("/orders/{number}/messages");
    let body = serde_json::json!({"text": "s0-c0-m1", "visibility": "public"});
    let (status, json) = world
        .server
        .call(&token, reqwest::Method::POST, &path, body)
        .await;
    assert!(status < 300, "{json}");
    let verdict = verdict::check(&mut world).await;
    world.clean_up();
    assert!(!verdict.passed());
    assert!(verdict.duplicated >= 1, "{:?}", verdict.notes);
}

fn parts() -> (Arc<MemoryTokenStore>, Arc<RecordingNotifier>) {
    (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    )
}

/// Waits, within a generous bound, until the client's outbox is empty.
async fn drained(client: &Client) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if client.status().map(|s| s.pending == 0).unwrap_or(false) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

async fn said(server: &TestServer, number: OrderNumber, text: &str) -> usize {
    let token = server.token("service").await;
    let path = format!("/orders/{number}/messages");
    let (_, json) = server
        .call(&token, reqwest::Method::GET, &path, serde_json::Value::Null)
        .await;
    json["messages"]
        .as_array()
        .map(|all| all.iter().filter(|m| m["text"] == text).count())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_that_failed_once_is_retried_without_a_new_local_write() {
    let server = TestServer::start("wedge-failed").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let client = server
        .client(&temp_dir("wedge-failed"), &tokens, &notifier, "service")
        .await;
    client.sync_now().await.expect("first sync");
    client.start_sync();
    server.set_net(Net::Down);
    client
        .set_status(number, Status::InProgress)
        .await
        .expect("queued");
    client
        .post_message(number, "Повторим после сбоя", Visibility::Public)
        .await
        .expect("queued");
    // The background round runs at once and fails: the network is down.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(client.status().expect("status").pending > 0);
    server.set_net(Net::Up);
    assert!(drained(&client).await, "the outbox drained by itself");
    let token = server.token("service").await;
    let now = server.detail(&token, number).await;
    assert_eq!(now.status, Status::InProgress);
    assert_eq!(said(&server, number, "Повторим после сбоя").await, 1);
    client.stop_sync();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_whose_answer_was_lost_is_retried_and_applied_once() {
    let server = TestServer::start("wedge-lost").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let client = server
        .client(&temp_dir("wedge-lost"), &tokens, &notifier, "service")
        .await;
    client.sync_now().await.expect("first sync");
    let token = server.token("service").await;
    let before = server.detail(&token, number).await.version;
    server.set_net(Net::LoseAnswers);
    client.start_sync();
    client
        .set_status(number, Status::InProgress)
        .await
        .expect("queued");
    client
        .post_message(number, "Ответ потерялся", Visibility::Internal)
        .await
        .expect("queued");
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.set_net(Net::Up);
    assert!(drained(&client).await, "the outbox drained by itself");
    client.stop_sync();
    assert_eq!(said(&server, number, "Ответ потерялся").await, 1);
    let after = server.detail(&token, number).await;
    assert_eq!(after.status, Status::InProgress);
    assert!(client.status().expect("status").conflicts.is_empty());
    assert_eq!(after.version, before + 2, "each change once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_push_leaves_an_outbox_that_drains_on_reopen() {
    let server = TestServer::start("wedge-crash").await;
    let number = server.new_request().await;
    let (tokens, notifier) = parts();
    let cache = temp_dir("wedge-crash");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    client.sync_now().await.expect("first sync");
    client
        .assign_executor(number, Some(orderdesk_domain::UserId(server.ids.service)))
        .await
        .expect("queued");
    client
        .post_message(number, "Упали на полпути", Visibility::Public)
        .await
        .expect("queued");
    // The push reaches the server; the app dies before the answer.
    server.set_net(Net::Stall);
    let push = client.sync_now();
    assert!(tokio::time::timeout(Duration::from_millis(500), push)
        .await
        .is_err());
    drop(client);
    // The server finishes the request on its own time.
    let deadline = Instant::now() + Duration::from_secs(10);
    while said(&server, number, "Упали на полпути").await == 0 && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        said(&server, number, "Упали на полпути").await,
        1,
        "applied"
    );

    server.set_net(Net::Up);
    let client = reopen(&cache, &tokens, &notifier);
    assert_eq!(client.status().expect("status").pending, 2, "still queued");
    client.resume();
    assert!(drained(&client).await, "the outbox drained by itself");
    client.stop_sync();
    assert_eq!(said(&server, number, "Упали на полпути").await, 1, "once");
    let card = client.order(number).expect("cached");
    assert!(!card.is_pending());
    assert!(client.status().expect("status").conflicts.is_empty());
}
