//! What operators and load balancers rely on: the probes `/healthz` and
//! `/readyz`, request ids in answers and in log lines, and the flags of the
//! database pool and the log format. Some run a real server in this
//! process; the log format and the flags are tried on the real binary.

mod common;

use common::{code, database_in, start_instant, TestServer};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The server's root, where the probes live (outside `/api/v1`).
fn root(server: &TestServer) -> String {
    server.base.trim_end_matches("/api/v1").to_owned()
}

async fn get(url: &str, request_id: Option<&str>) -> (StatusCode, String, Value) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(id) = request_id {
        request = request.header("X-Request-Id", id);
    }
    let answer = request.send().await.expect("the server answers");
    let status = answer.status();
    let id = answer
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = answer.json().await.unwrap_or(Value::Null);
    (status, id, body)
}

fn is_generated(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn the_probes_answer_without_a_token_and_readyz_sees_the_database() {
    let server = TestServer::start().await;
    let root = root(&server);
    let (status, _, body) = get(&format!("{root}/healthz"), None).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, serde_json::json!({"status": "ok"}))
    );
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, serde_json::json!({"status": "ready"}))
    );
    // A wrong method is a JSON error like anywhere else.
    let answer = reqwest::Client::new()
        .post(format!("{root}/healthz"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED);

    server.state.storage().close().await;
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(code(&body), "database_unavailable");
    // Alive all the same: healthz touches nothing.
    let (status, _, _) = get(&format!("{root}/healthz"), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_says_503_while_the_server_is_stopping() {
    let server = TestServer::start().await;
    let root = root(&server);
    server.state.begin_stopping();
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(code(&body), "shutting_down");
}

#[tokio::test]
async fn the_probes_are_answered_before_set_up() {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let server = TestServer::open(dir, start_instant(), |_| {}).await;
    let root = root(&server);
    let (status, body) = server.anonymous().get("/me").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code(&body), "setup_required");
    for probe in ["healthz", "readyz"] {
        let (status, _, body) = get(&format!("{root}/{probe}"), None).await;
        assert_eq!(status, StatusCode::OK, "{probe}: {body}");
    }
}

#[tokio::test]
async fn the_probes_are_in_the_api_document_under_operation() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for path in ["/healthz", "/readyz"] {
        let operation = &doc["paths"][path]["get"];
        assert_eq!(operation["tags"][0], "operation", "{path}");
        // Answered before set-up: the gate's 503 is not theirs.
        let unavailable = operation["responses"]["503"]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(!unavailable.contains("setup_required"), "{path}");
    }
    assert!(doc["paths"]["/healthz"]["get"]["responses"]["503"].is_null());
}

#[tokio::test]
async fn a_sane_request_id_is_echoed_and_any_other_replaced() {
    let server = TestServer::start().await;
    let root = root(&server);
    let (_, id, _) = get(&format!("{root}/healthz"), Some("lb-7f3a.01_x")).await;
    assert_eq!(id, "lb-7f3a.01_x");
    // Also on API answers, errors included.
    let (status, id, _) = get(&format!("{}/me", server.base), Some("abc")).await;
    assert_eq!((status, id.as_str()), (StatusCode::UNAUTHORIZED, "abc"));
    let too_long = "x".repeat(65);
    for sent in [
        None,
        Some("has space"),
        Some("a\"quote"),
        Some(too_long.as_str()),
    ] {
        let (_, id, _) = get(&format!("{root}/healthz"), sent).await;
        assert!(is_generated(&id), "{sent:?} gave {id}");
    }
    let (_, first, _) = get(&format!("{root}/healthz"), None).await;
    let (_, second, _) = get(&format!("{root}/healthz"), None).await;
    assert_ne!(first, second);
}

/// Log lines written into memory, one JSON object a line.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut all) = self.0.lock() {
            all.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<Value> {
        let all = self.0.lock().map(|all| all.clone()).unwrap_or_default();
        String::from_utf8_lossy(&all)
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

/// The log of this test binary, as the server writes it with
/// `--log-format json`. Global, not per test: tracing caches per call site
/// whether anyone listens, and tests on other threads would settle that
/// before a thread-local subscriber could say it does.
fn captured_log() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        captured
    })
}

#[tokio::test]
async fn the_log_line_of_a_fault_carries_the_request_id() {
    let captured = captured_log();
    let server = TestServer::start().await;
    let service = server.login("service").await;
    let token = service.token.clone().expect("a token");
    server.state.storage().close().await;
    let answer = reqwest::Client::new()
        .get(format!("{}/me", server.base))
        .bearer_auth(token)
        .header("X-Request-Id", "fault-7")
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.headers()["x-request-id"], "fault-7");
    let lines = captured.lines();
    let of_request: Vec<&Value> = lines
        .iter()
        .filter(|line| line["span"]["request_id"] == "fault-7")
        .collect();
    assert!(
        of_request
            .iter()
            .any(|line| line["level"] == "ERROR" && line["message"] == "request failed"),
        "no fault line with the id: {of_request:?}"
    );
    assert!(of_request.iter().any(|line| line["status"] == 500));
}

/// The server binary, killed outright when a test ends early.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    probe.local_addr().expect("the bound address").port()
}

fn server_binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orderdesk-server"));
    command
        .env_remove("RUST_LOG")
        .env_remove("ORDERDESK_LOG_FORMAT");
    command
}

async fn wait_until_alive(root: &str, server: &mut Process) {
    let started = Instant::now();
    loop {
        assert!(
            server.0.try_wait().expect("the process state").is_none(),
            "the server exited before serving"
        );
        if let Ok(answer) = reqwest::get(format!("{root}/healthz")).await {
            assert_eq!(answer.status(), StatusCode::OK);
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "never alive");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn json_logs_on_stderr_carry_the_request_id_status_and_latency() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let port = free_port();
    let child = server_binary()
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--database")
        .arg(database_in(dir.path()).await.arg())
        .args(["--db-pool-size", "3", "--db-statement-timeout", "5"])
        .env("ORDERDESK_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let mut server = Process(child);
    let root = format!("http://127.0.0.1:{port}");
    wait_until_alive(&root, &mut server).await;
    let (status, id, _) = get(&format!("{root}/readyz"), Some("probe-42")).await;
    assert_eq!((status, id.as_str()), (StatusCode::OK, "probe-42"));
    let (_, generated, _) = get(&format!("{root}/api/v1/me"), None).await;

    let sent = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let exit = server.0.wait().expect("the server exits");
    assert!(exit.success(), "{exit}");
    let mut stderr = String::new();
    if let Some(mut pipe) = server.0.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr reads");
    }
    let lines: Vec<Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let finished = |id: &str| {
        lines
            .iter()
            .find(|line| line["span"]["request_id"] == id && line["message"] == "finished")
            .unwrap_or_else(|| panic!("no finish line for {id} in:\n{stderr}"))
    };
    let probe = finished("probe-42");
    assert_eq!(probe["span"]["method"], "GET");
    assert_eq!(probe["span"]["path"], "/readyz");
    assert_eq!(probe["status"], 200);
    assert!(probe["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0));
    // Before set-up the API answers 503; its line has the generated id.
    assert_eq!(finished(&generated)["status"], 503);
}

#[test]
fn the_pool_and_log_flags_are_listed_and_checked() {
    let help = server_binary()
        .arg("--help")
        .output()
        .expect("the binary runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for needle in [
        "--db-pool-size",
        "ORDERDESK_DB_POOL_SIZE",
        "--db-statement-timeout",
        "ORDERDESK_DB_STATEMENT_TIMEOUT",
        "--log-format",
        "ORDERDESK_LOG_FORMAT",
    ] {
        assert!(help.contains(needle), "{needle} missing from --help");
    }
    for bad in [
        ["--db-pool-size", "0"],
        ["--db-statement-timeout", "soon"],
        ["--log-format", "xml"],
    ] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let run = server_binary()
            .args(bad)
            .arg("--database")
            .arg(dir.path().join("orders.db"))
            .output()
            .expect("the binary runs");
        assert!(!run.status.success(), "{bad:?} was taken");
        assert!(
            !dir.path().join("orders.db").exists(),
            "{bad:?} opened the database"
        );
    }
}
