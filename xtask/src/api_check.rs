//! The API contract check: schemathesis (from PyPI) generates requests from
//! the server's own `/openapi.json` and fails on any 5xx, an answer that
//! breaks the document (schema, content type, undocumented status) and
//! invalid input the server accepts.
//!
//! It runs against the real server binary with the demo on a fresh
//! database, on a free loopback port, once as a manager and once as a
//! requester, with a fixed seed and a small number of examples per
//! operation so the step stays within a few minutes on two cores.
//! schemathesis lives in a virtualenv under the target directory, installed
//! on first use. The server is stopped afterwards, also when a run fails.

use crate::Ctx;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The major version whose command-line flags this step uses.
const SCHEMATHESIS: &str = "schemathesis>=4.32,<5";

/// Test cases per operation and phase; with the fixed seed, enough to reach
/// every parameter's edges while keeping the step short.
const MAX_EXAMPLES: &str = "40";

/// Fixed so a failure replays exactly; change it to explore further.
const SEED: &str = "20261201";

/// What must hold of every answer.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,\
                      negative_data_rejection,missing_required_header,ignored_auth,\
                      unsupported_method,allow_header_conformance";

/// Operations left out: signing out would end the run's own session, and
/// the event stream never ends by itself.
const EXCLUDED_PATHS: &[&str] = &["/api/v1/auth/logout", "/api/v1/events"];

/// The demo accounts the document is exercised as.
const ACCOUNTS: &[(&str, &str)] = &[("manager", "service"), ("requester", "resident")];

pub fn run(ctx: &Ctx) -> Result<(), String> {
    ctx.step("API contract: schemathesis over /openapi.json as a manager and as a requester");
    let started = Instant::now();
    let schemathesis = install(ctx)?;
    let profile = if ctx.release { "release" } else { "debug" };
    let mut build = ctx.cargo();
    build.args([
        "build",
        "-p",
        "orderdesk-server",
        "--bin",
        "orderdesk-server",
    ]);
    if ctx.release {
        build.arg("--release");
    }
    ctx.run(&mut build)?;
    let work = ctx.target_dir().join("api-check");
    // A stale database from an earlier run would not be the demo's.
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let server_bin = ctx.target_dir().join(profile).join("orderdesk-server");
    let server = Server::start(&server_bin, &work)?;
    for (who, login) in ACCOUNTS {
        let token = sign_in(server.addr, login)?;
        println!("    as {who} ({login})");
        let config = account_config(server.addr, &token, &work.join(format!("{who}.toml")))?;
        let mut cmd = Command::new(&schemathesis);
        cmd.arg("--config-file")
            .arg(&config)
            .arg("run")
            .arg(format!("http://{}/api/v1/openapi.json", server.addr))
            .args(["--url", &format!("http://{}", server.addr)])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", &CHECKS.replace(' ', "")])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
            // One worker: CPython 3.11 before 3.11.8 (Debian's, pyenv's) can
            // fail building ASTs from two threads at once ("AST constructor
            // recursion depth mismatch", CPython gh-106905), which stopped a
            // run with a tool error rather than a finding.
            .args(["--workers", "1", "--generation-database", "none"])
            .args(["--request-timeout", "10", "--no-color"]);
        for path in EXCLUDED_PATHS {
            cmd.args(["--exclude-path", path]);
        }
        ctx.run(&mut cmd).map_err(|e| {
            format!(
                "{e}\n    the API breaks its own document as {who}; the server's log is {}",
                server.log.display()
            )
        })?;
    }
    drop(server);
    println!(
        "    the API keeps its document ({} s)",
        started.elapsed().as_secs()
    );
    Ok(())
}

/// A schemathesis configuration that draws most order numbers, lines and
/// objects from those the account really has, so the generated calls reach
/// the product's rules and not only "no such order".
fn account_config(addr: SocketAddr, token: &str, path: &Path) -> Result<PathBuf, String> {
    let (status, page) = http_as(addr, token, "/api/v1/orders?per_page=100")
        .map_err(|e| format!("listing the orders: {e}"))?;
    let numbers: Vec<&str> = page
        .split(r#""number":"#)
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .filter(|n| !n.is_empty())
        .collect();
    if status != 200 || numbers.is_empty() {
        return Err(format!("listing the orders answered {status}: {page}"));
    }
    // No state kept between runs: each starts from the fixed seed alone.
    let config = format!(
        "[cache]\nenabled = false\n\n\
         [dictionaries.orders]\nvalues = [{}]\n\n\
         [dictionaries.lines]\nvalues = [1, 2, 3]\n\n\
         [dictionaries.resources]\nvalues = [1, 2, 3, 4]\n\n\
         [parameters]\n\
         \"path.number\" = {{ dictionary = \"orders\", probability = 0.8 }}\n\
         \"path.line\" = {{ dictionary = \"lines\", probability = 0.8 }}\n\
         \"path.id\" = {{ dictionary = \"resources\", probability = 0.8 }}\n",
        numbers.join(", ")
    );
    fs::write(path, config).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path.to_path_buf())
}

/// The schemathesis executable, installed into `target/py` when missing.
fn install(ctx: &Ctx) -> Result<PathBuf, String> {
    let venv = ctx.target_dir().join("py");
    let bin = venv.join("bin").join("schemathesis");
    if bin.exists() {
        return Ok(bin);
    }
    ctx.run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|e| {
            format!("{e}\n    Python 3 with venv is needed (Debian: apt-get install python3-venv)")
        })?;
    ctx.run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(SCHEMATHESIS),
    )?;
    Ok(bin)
}

/// The server with the demo, on a fresh database; stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    fn start(bin: &Path, work: &Path) -> Result<Server, String> {
        let addr = free_port()?;
        let log = work.join("server.log");
        let out =
            fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        // ORDERDESK_API_CHECK_DATABASE runs the check over another
        // database, e.g. an empty PostgreSQL one: the contract is the same.
        let database = std::env::var_os("ORDERDESK_API_CHECK_DATABASE")
            .unwrap_or_else(|| work.join("orderdesk.db").into_os_string());
        let child = Command::new(bin)
            .args(["--demo", "--listen", &addr.to_string(), "--database"])
            .arg(database)
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
        let mut server = Server { child, addr, log };
        server.wait_ready()?;
        Ok(server)
    }

    /// Waits until the document is served (the demo is filled first).
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}); its log is {}",
                    self.log.display()
                ));
            }
            if let Ok((200, _)) = http(self.addr, "GET", "/api/v1/openapi.json", "") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "the server did not answer within 60 s; its log is {}",
            self.log.display()
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback address nothing listens on right now.
fn free_port() -> Result<SocketAddr, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// Signs in with the demo password and returns the bearer token.
fn sign_in(addr: SocketAddr, login: &str) -> Result<String, String> {
    let body = format!(r#"{{"login":"{login}","password":"demo"}}"#);
    let (status, answer) = http(addr, "POST", "/api/v1/auth/login", &body)
        .map_err(|e| format!("signing in as {login}: {e}"))?;
    let token = answer
        .split_once(r#""token":""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_owned())
        .filter(|t| status == 200 && !t.is_empty());
    token.ok_or_else(|| format!("signing in as {login} answered {status}: {answer}"))
}

/// A GET as the holder of `token`.
fn http_as(addr: SocketAddr, token: &str, path: &str) -> std::io::Result<(u16, String)> {
    request(
        addr,
        "GET",
        path,
        &format!("Authorization: Bearer {token}\r\n"),
        "",
    )
}

/// One HTTP/1.1 request with a JSON body; the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    request(addr, method, path, "", body)
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         {headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}
