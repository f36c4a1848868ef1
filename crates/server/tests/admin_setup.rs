//! Setting up an organisation without the demo, through the real binary:
//! an empty database serves nothing but 503 `setup_required` until
//! `orderdesk-server admin create` (password on stdin, never echoed back or
//! stored in clear); `import` of the demo's organisation file gives the
//! demo's catalogue, and a second import changes nothing.

mod common;

use common::*;
use orderdesk_server::admin::organisation;
use orderdesk_server::storage;
use reqwest::StatusCode;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// Runs `orderdesk-server --database DB ARGS…` with `stdin`; its exit,
/// everything it printed, and its standard output alone.
fn run_out(db: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orderdesk-server"))
        .arg("--database")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    child
        .stdin
        .take()
        .expect("a stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    let out = child.wait_with_output().expect("the command ends");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text, stdout)
}

fn run(db: &str, args: &[&str], stdin: &str) -> (bool, String) {
    let (ok, printed, _) = run_out(db, args, stdin);
    (ok, printed)
}

fn demo_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-organisation.toml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_serves_only_setup_required_until_admin_create_on_stdin() {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let server = TestServer::open(dir.clone(), start_instant(), |_| {}).await;
    let anonymous = server.anonymous();
    for (status, body) in [
        anonymous.get("/me").await,
        anonymous.get("/openapi.json").await,
        anonymous
            .post("/auth/login", json!({"login": "boss", "password": "x"}))
            .await,
    ] {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(code(&body), "setup_required");
        assert!(body["error"]["message"]
            .as_str()
            .expect("a message")
            .contains("admin create"));
    }
    let database = database_in(dir.path()).await;
    let db = database.arg();
    let secret = "Very-secret-42";
    let args = [
        "admin",
        "create",
        "--login",
        "boss",
        "--name",
        "Главный Администратор",
    ];
    let (ok, printed) = run(&db, &args, &format!("{secret}\n"));
    assert!(ok, "admin create: {printed}");
    assert!(
        !printed.contains(secret),
        "the password is never printed: {printed}"
    );
    if !sqlite_only("reading the stored bytes of the database needs its SQLite file") {
        let stored = std::fs::read(&db).expect("the database file");
        let wal = std::fs::read(dir.path().join("orders.db-wal")).unwrap_or_default();
        for bytes in [stored, wal] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "never stored in clear"
            );
        }
    }
    let (status, body) = anonymous
        .post("/auth/login", json!({"login": "boss", "password": secret}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["role"], json!("admin"));
    let (ok, printed) = run(&db, &args, "\n");
    assert!(!ok, "an empty password is refused: {printed}");
}

/// The catalogue as the file format sees it, and every record's id.
async fn catalogue(server: &TestServer) -> (organisation::Organisation, Vec<(i64, String)>) {
    let org = organisation::export(&server.state)
        .await
        .expect("an export");
    let mut conn = server.state.storage().read().await.expect("a connection");
    let mut ids = Vec::new();
    for s in storage::admin_services(&mut conn).await.expect("services") {
        ids.push((s.id, s.name));
    }
    for o in storage::admin_objects(&mut conn).await.expect("objects") {
        ids.push((o.id, o.name));
    }
    for p in storage::admin_products(&mut conn).await.expect("goods") {
        ids.push((p.id, p.name));
    }
    for u in storage::admin_users(&mut conn).await.expect("users") {
        ids.push((u.id, u.login));
    }
    (org, ids)
}

async fn audit_entries(server: &TestServer) -> usize {
    let mut conn = server.state.storage().read().await.expect("a connection");
    storage::audit_page(&mut conn, None, None, None, 10_000)
        .await
        .expect("the audit")
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_the_demo_file_gives_the_demo_catalogue_and_a_second_import_changes_nothing() {
    let demo = TestServer::start().await;
    let expected = catalogue(&demo).await;
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let db = database_in(dir.path()).await.arg();
    let file = demo_file();
    let file = file.to_str().expect("a path");
    let (ok, printed) = run(&db, &["import", file], "");
    assert!(ok, "import: {printed}");
    assert!(
        printed.contains("36 created, 0 updated, 0 unchanged"),
        "{printed}"
    );
    let imported = TestServer::open(dir.clone(), start_instant(), |_| {}).await;
    assert_eq!(
        catalogue(&imported).await,
        expected,
        "the same catalogue as --demo"
    );
    let audit = audit_entries(&imported).await;
    let (ok, printed) = run(&db, &["import", file], "");
    assert!(ok, "second import: {printed}");
    assert!(
        printed.contains("0 created, 0 updated, 36 unchanged"),
        "{printed}"
    );
    assert_eq!(catalogue(&imported).await, expected, "nothing changed");
    assert_eq!(audit_entries(&imported).await, audit, "nothing to audit");
    // An export reads back as the same file.
    let (ok, printed, exported) = run_out(&db, &["export"], "");
    assert!(ok, "export: {printed}");
    let again = organisation::parse(&exported).expect("the export parses");
    assert_eq!(again, expected.0);
    // Imported accounts have no password until an administrator sets one.
    let (status, _) = imported
        .anonymous()
        .post("/auth/login", json!({"login": "admin", "password": "demo"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_file_of_another_format_or_version_is_refused_with_what_is_read() {
    let refused = organisation::parse("format = \"orderdesk-organisation\"\nversion = 2\n");
    assert!(refused.is_err_and(|e| e.contains("version = 1")));
    let refused = organisation::parse("format = \"x\"\nversion = 1\n[[users]]\nlogin = \"a\"\n");
    assert!(refused.is_err());
    let demo = std::fs::read_to_string(demo_file()).expect("the demo file");
    let org = organisation::parse(&demo).expect("the demo file parses");
    assert_eq!(org.users.len(), 7);
    assert_eq!(
        org.users.iter().filter(|u| u.company.is_some()).count(),
        1,
        "one company payer"
    );
}
