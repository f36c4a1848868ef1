//! The server as the web app's origin: with `--ui-dir` it serves the built
//! UI at `/` with the headers an installable app needs, beside an API that
//! answers as before; nothing outside the folder is reachable; without the
//! flag `/` is the JSON 404 it always was. And the committed manifest is
//! what a browser installs from.

mod common;

use common::{start_instant, TestServer};
use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAGE: &str = "<!doctype html><title>Обращения и заказы</title><div id=\"main\"></div>";
const SECRET: &str = "outside the web app folder";

/// A small built app in `ui/` of the test's folder, with a file beside that
/// folder that must never be served.
fn write_app(dir: &Path) -> PathBuf {
    let ui = dir.join("ui");
    std::fs::create_dir_all(ui.join("snippets/ui-1")).expect("the app folder");
    for (name, body) in [
        ("index.html", PAGE),
        ("ui.js", "export default function init() {}"),
        ("manifest.webmanifest", "{\"name\": \"Обращения и заказы\"}"),
        ("snippets/ui-1/inline0.js", "export const x = 1;"),
    ] {
        std::fs::write(ui.join(name), body).expect("an app file");
    }
    std::fs::write(ui.join("ui_bg.wasm"), b"\0asm\x01\0\0\0").expect("the wasm");
    std::fs::write(dir.join("secret.txt"), SECRET).expect("the file outside");
    ui
}

/// A server with the demo, serving the app of `write_app` when `with_app`.
async fn start(with_app: bool) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let ui = write_app(dir.path());
    let server = TestServer::open(dir, start_instant(), |config| {
        config.ui_dir = with_app.then_some(ui);
    })
    .await;
    assert!(orderdesk_server::demo::seed(&server.state)
        .await
        .expect("demo data"));
    server
}

/// The server's root address, `http://127.0.0.1:PORT`.
fn origin(server: &TestServer) -> String {
    server
        .base
        .strip_suffix("/api/v1")
        .expect("the API under /api/v1")
        .to_owned()
}

async fn get(url: &str) -> (StatusCode, HeaderMap, String) {
    let answer = reqwest::get(url).await.expect("the server answers");
    let status = answer.status();
    let headers = answer.headers().clone();
    let body = answer.text().await.expect("a body");
    (status, headers, body)
}

fn header(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn error_code(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("JSON: {body}"));
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A request sent as written, with no client to tidy its path first (a
/// browser or reqwest would resolve `..` before sending).
async fn raw_get(origin: &str, target: &str) -> (u16, String) {
    let address = origin.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("a connection");
    let request = format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request goes out");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer to {target}: {answer}"));
    (status, answer)
}

#[tokio::test]
async fn the_root_is_the_page_under_the_apps_policy_and_revalidated() {
    let server = start(true).await;
    let (status, headers, body) = get(&format!("{}/", origin(&server))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PAGE);
    assert_eq!(header(&headers, CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(header(&headers, CACHE_CONTROL), "no-cache");
    assert!(
        !header(&headers, "last-modified").is_empty(),
        "revalidated by date"
    );
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
    let csp = header(&headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));

    let (status, headers, body) = get(&format!("{}/index.html", origin(&server))).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, PAGE));
    assert!(!header(&headers, "content-security-policy").is_empty());
}

#[tokio::test]
async fn a_file_once_fetched_is_revalidated_without_its_body() {
    let server = start(true).await;
    let url = format!("{}/ui.js", origin(&server));
    let (_, headers, _) = get(&url).await;
    let since = header(&headers, "last-modified").to_owned();
    let answer = reqwest::Client::new()
        .get(&url)
        .header("If-Modified-Since", since)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(answer.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn scripts_wasm_and_the_manifest_have_the_types_browsers_require() {
    let server = start(true).await;
    let origin = origin(&server);
    for (path, expected) in [
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/ui_bg.wasm", "application/wasm"),
        ("/ui.js", "text/javascript; charset=utf-8"),
        (
            "/snippets/ui-1/inline0.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        let (status, headers, _) = get(&format!("{origin}{path}")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(header(&headers, CONTENT_TYPE), expected, "{path}");
        assert_eq!(header(&headers, CACHE_CONTROL), "no-cache", "{path}");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        assert!(
            header(&headers, "content-security-policy").is_empty(),
            "the page's policy is the page's: {path}"
        );
    }
}

#[tokio::test]
async fn the_api_and_the_probes_answer_as_before_beside_the_app() {
    let server = start(true).await;
    let api = server.login("service").await;
    let (status, body) = api.get("/orders").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server.anonymous().get("/orders").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = api.get("/no-such-call").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("нет в API"),
        "the API's own 404: {message}"
    );
    let (status, _, body) = get(&format!("{}/healthz", origin(&server))).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "{\"status\":\"ok\"}")
    );
    let answer = reqwest::Client::new()
        .post(format!("{}/index.html", origin(&server)))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        answer.status(),
        StatusCode::NOT_FOUND,
        "files are only read"
    );
}

#[tokio::test]
async fn no_path_leaves_the_app_folder() {
    let server = start(true).await;
    let origin = origin(&server);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/snippets/..%2f..%2fsecret.txt",
        "/snippets/%2e%2e/%2e%2e/secret.txt",
        "/%2fetc%2fpasswd",
        "/..\\secret.txt",
    ] {
        let (status, answer) = raw_get(&origin, target).await;
        assert!(
            status == 400 || status == 404,
            "{target} is refused: {answer}"
        );
        assert!(!answer.contains(SECRET), "{target} leaked the file");
    }
}

#[tokio::test]
async fn a_missing_file_is_the_json_not_found() {
    let server = start(true).await;
    for path in ["/no-such.js", "/snippets/none.js", "/orders/7"] {
        let (status, headers, body) = get(&format!("{}{path}", origin(&server))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(header(&headers, CONTENT_TYPE).starts_with("application/json"));
        assert_eq!(error_code(&body), "not_found", "{path}");
    }
}

#[tokio::test]
async fn without_the_app_the_root_is_the_json_not_found_as_before() {
    let server = start(false).await;
    let (status, _, body) = get(&format!("{}/", origin(&server))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    let (status, _, body) = get(&format!("{}/index.html", origin(&server))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
}

#[tokio::test]
async fn before_set_up_the_page_loads_and_the_api_says_why_it_cannot_answer() {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let ui = write_app(dir.path());
    let server = TestServer::open(dir, start_instant(), |config| config.ui_dir = Some(ui)).await;
    let (status, _, body) = get(&format!("{}/", origin(&server))).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, PAGE));
    let (status, body) = server.anonymous().get("/orders").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "setup_required");
}

/// The real binary, with a `--ui-dir` it cannot serve, stops at once with
/// an error naming the folder.
#[test]
fn a_folder_that_cannot_be_served_stops_the_start() {
    let dir = TempDir::new().expect("a temporary directory");
    let not_built = dir.path().join("empty");
    std::fs::create_dir_all(&not_built).expect("an empty folder");
    let a_file = dir.path().join("file");
    std::fs::write(&a_file, "").expect("a file");
    for (ui_dir, says) in [
        (dir.path().join("missing"), "does not exist"),
        (a_file, "is not a folder"),
        (not_built, "has no index.html"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_orderdesk-server"))
            .arg("--database")
            .arg(dir.path().join("orders.db"))
            .args(["--listen", "127.0.0.1:0", "--ui-dir"])
            .arg(&ui_dir)
            .env_remove("ORDERDESK_UI_DIR")
            .output()
            .expect("the server binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {stderr}", ui_dir.display());
        assert!(
            stderr.contains(says) && stderr.contains(&ui_dir.display().to_string()),
            "{}: {stderr}",
            ui_dir.display()
        );
    }
}

/// The workspace's root, from this crate's folder.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Width and height from a PNG's header (the IHDR chunk comes first).
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "{} is a PNG",
        path.display()
    );
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

#[test]
fn the_manifest_names_the_app_and_its_icons_exist_at_their_sizes() {
    let path = workspace().join("ui/web/manifest.webmanifest");
    let text = std::fs::read_to_string(&path).expect("the manifest");
    let manifest: Value = serde_json::from_str(&text).expect("the manifest is JSON");
    assert_eq!(manifest["name"], "Обращения и заказы");
    assert_eq!(manifest["short_name"], "Заказы");
    assert_eq!(manifest["lang"], "ru");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["orientation"], "portrait");
    let icons = manifest["icons"].as_array().expect("icons");
    let mut purposes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().expect("an icon's src");
        let file = src.strip_prefix("icons/").expect("icons are under icons/");
        let (width, height) = png_size(&workspace().join("assets/icons").join(file));
        assert_eq!(icon["sizes"], format!("{width}x{height}"), "{src}");
        assert_eq!(icon["type"], "image/png", "{src}");
        purposes.push((width, icon["purpose"].as_str().unwrap_or("any").to_owned()));
    }
    for wanted in [(192, "any"), (512, "any"), (512, "maskable")] {
        assert!(
            purposes.iter().any(|(w, p)| (*w, p.as_str()) == wanted),
            "an icon {wanted:?} in {purposes:?}"
        );
    }
}
