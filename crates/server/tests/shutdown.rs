//! The server process as an operator runs it: SIGTERM stops it within
//! seconds even while clients hold the event stream open; the streams end at
//! once so their clients reconnect to another instance, a request in flight
//! still gets its answer, and no new connection is taken meanwhile.

mod common;

use common::database_in;
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server process; killed outright when a test ends early.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    probe.local_addr().expect("the bound address").port()
}

/// `database`: the SQLite file or the PostgreSQL URL of the test's engine.
fn start_server(database: &str, port: u16) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_orderdesk-server"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--database")
        .arg(database)
        .arg("--demo")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    Process(child)
}

/// Signs in once the server answers (filling the demo and hashing its
/// password take a while in a debug build).
async fn sign_in(http: &reqwest::Client, base: &str, server: &mut Process, login: &str) -> String {
    let started = Instant::now();
    loop {
        assert!(
            server.0.try_wait().expect("the process state").is_none(),
            "the server exited before serving"
        );
        let answer = http
            .post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"login": login, "password": "demo"}))
            .send()
            .await;
        if let Ok(answer) = answer {
            assert_eq!(answer.status(), StatusCode::OK);
            let body: serde_json::Value = answer.json().await.expect("a JSON answer");
            return body["token"].as_str().expect("a token").to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server never answered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn sigterm_with_event_streams_open_stops_the_server_within_five_seconds() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let port = free_port();
    let mut server = start_server(&database_in(dir.path()).await.arg(), port);
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let token = sign_in(&http, &base, &mut server, "rental").await;
    // Two clients hold the stream open, as the app and a `curl -N` would.
    let streams = open_streams(&http, &base, &token, 2).await;

    let sent = Command::new("kill")
        .arg("-TERM")
        .arg(server.0.id().to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGTERM sent");
    let asked = Instant::now();
    let exit = loop {
        if let Some(exit) = server.0.try_wait().expect("the process state") {
            break exit;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(5),
            "the server still runs 5 s after SIGTERM with event streams open"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "a clean exit: {exit}");
    // The streams were still held while the server stopped, and ended.
    for stream in streams {
        let rest = tokio::time::timeout(Duration::from_secs(5), stream.bytes()).await;
        assert!(rest.is_ok(), "the stream ended with the server");
    }
}

/// Opens `count` event streams as `token`.
async fn open_streams(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    count: usize,
) -> Vec<reqwest::Response> {
    let mut streams = Vec::new();
    for _ in 0..count {
        let stream = http
            .get(format!("{base}/events"))
            .bearer_auth(token)
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("the event stream opens");
        assert_eq!(stream.status(), StatusCode::OK);
        streams.push(stream);
    }
    streams
}

/// A request body that arrives in parts: each part is sent when the test
/// says so, as a client on a slow network would.
fn slow_body() -> (tokio::sync::mpsc::Sender<Vec<u8>>, reqwest::Body) {
    let (parts, arriving) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let stream = futures::stream::unfold(arriving, |mut arriving| async move {
        let part = arriving.recv().await?;
        Some((Ok::<_, std::io::Error>(part), arriving))
    });
    (parts, reqwest::Body::wrap_stream(stream))
}

#[tokio::test]
async fn sigterm_ends_streams_at_once_refuses_new_connections_and_finishes_a_request_in_flight() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let port = free_port();
    let mut server = start_server(&database_in(dir.path()).await.arg(), port);
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let rental = sign_in(&http, &base, &mut server, "rental").await;
    let resident = sign_in(&http, &base, &mut server, "resident").await;
    let streams = open_streams(&http, &base, &rental, 2).await;

    // A new order from a resident whose body is still arriving when the
    // signal comes: the request is in flight.
    let order = serde_json::json!({
        "service_id": 1,
        "description": "Заменить лампу в коридоре",
        "details": {"kind": "simple_request"}
    })
    .to_string()
    .into_bytes();
    let (first, rest) = order.split_at(order.len() / 2);
    let (parts, body) = slow_body();
    parts.send(first.to_vec()).await.expect("the first part");
    let in_flight = tokio::spawn(
        http.post(format!("{base}/orders"))
            .bearer_auth(&resident)
            .header("content-type", "application/json")
            .body(body)
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!in_flight.is_finished(), "answered before the body arrived");

    let sent = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGTERM sent");
    // (a) The streams end at once, while the write still waits.
    for stream in streams {
        let rest = tokio::time::timeout(Duration::from_secs(1), stream.bytes()).await;
        assert!(rest.is_ok(), "a stream still open 1 s after SIGTERM");
    }
    // (c) No new connection is taken: a balancer's probe fails and it
    // sends traffic elsewhere.
    let probe = std::net::TcpStream::connect(("127.0.0.1", port));
    assert!(probe.is_err(), "a new connection was taken while stopping");
    assert!(
        server.0.try_wait().expect("the process state").is_none(),
        "the server exited with a request in flight"
    );

    // (b) The rest of the body arrives; the request gets its answer.
    parts.send(rest.to_vec()).await.expect("the rest");
    drop(parts);
    let answer = tokio::time::timeout(Duration::from_secs(5), in_flight)
        .await
        .expect("the request in flight is answered")
        .expect("the request task")
        .expect("an answer, not a cut connection");
    assert_eq!(answer.status(), StatusCode::CREATED);
    let order: serde_json::Value = answer.json().await.expect("the new order");
    assert!(order["number"].as_i64().is_some(), "{order}");
    let exit = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Some(exit) = server.0.try_wait().expect("the process state") {
                return exit;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the server exits once the request is answered");
    assert!(exit.success(), "a clean exit: {exit}");
}
