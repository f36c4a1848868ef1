//! The server process as an operator runs it: SIGTERM stops it within
//! seconds even while clients hold the event stream open.

use reqwest::StatusCode;
use std::path::Path;
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

fn start_server(database: &Path, port: u16) -> Process {
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
async fn sign_in(http: &reqwest::Client, base: &str, server: &mut Process) -> String {
    let started = Instant::now();
    loop {
        assert!(
            server.0.try_wait().expect("the process state").is_none(),
            "the server exited before serving"
        );
        let answer = http
            .post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"login": "rental", "password": "demo"}))
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
    let mut server = start_server(&dir.path().join("orders.db"), port);
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let token = sign_in(&http, &base, &mut server).await;
    // Two clients hold the stream open, as the app and a `curl -N` would.
    let mut streams = Vec::new();
    for _ in 0..2 {
        let stream = http
            .get(format!("{base}/events"))
            .bearer_auth(&token)
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("the event stream opens");
        assert_eq!(stream.status(), StatusCode::OK);
        streams.push(stream);
    }

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
