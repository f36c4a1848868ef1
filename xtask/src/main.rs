//! The project's one task runner, used the same way by people and by CI.
//!
//! - `cargo xtask run`: installs what is missing, builds the UI and the app,
//!   starts the server with demo data on the embedded database, serving the
//!   web app too, and opens the app against it.
//! - `cargo xtask test`: installs what is missing and runs every check: format,
//!   lints, the wasm builds, the pure crates' check for Android, all tests and
//!   the end-to-end tests of the app.
//! - `cargo xtask setup`: only the installation step of both.
//! - `cargo xtask test-postgres [ARGS]`: the server's suite on PostgreSQL in
//!   a throw-away cluster, without the rest (ARGS go to `cargo test`).

mod api_check;
mod app;
mod benches;
mod house;
mod launch;
mod postgres;
mod service_worker;
mod setup;

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Where the tasks run and how they report.
#[derive(Debug)]
pub struct Ctx {
    pub root: PathBuf,
    pub release: bool,
    started: Instant,
    /// Environment every later command gets (see [`Ctx::export`]).
    exports: RefCell<Vec<(String, OsString)>>,
}

impl Ctx {
    /// Announces a step with the time elapsed so far.
    pub fn step(&self, what: &str) {
        let secs = self.started.elapsed().as_secs();
        println!("\n==> [{:02}:{:02}] {what}", secs / 60, secs % 60);
    }

    /// Sets `key` for every command [`Ctx::run`] starts from now on, as a
    /// shell's `export` would.
    pub fn export(&self, key: &str, value: impl Into<OsString>) {
        let value = value.into();
        println!("    export {key}={}", value.to_string_lossy());
        self.exports.borrow_mut().push((key.to_owned(), value));
    }

    /// Runs a command in the workspace root, failing with its exit status.
    pub fn run(&self, cmd: &mut Command) -> Result<(), String> {
        cmd.current_dir(&self.root);
        for (key, value) in self.exports.borrow().iter() {
            cmd.env(key, value);
        }
        println!("    $ {}", describe(cmd));
        let status = cmd
            .status()
            .map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", describe(cmd)))
        }
    }

    pub fn cargo(&self) -> Command {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
    }

    /// The cargo target directory.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|p| {
                if p.is_absolute() {
                    p
                } else {
                    self.root.join(p)
                }
            })
            .unwrap_or_else(|| self.root.join("target"))
    }
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.to_path_buf())
}

const USAGE: &str = "usage: cargo xtask <run | test | setup> [--release]

  run    install what is missing, start the server with demo data and open the app
  test   install what is missing and run every check and test (what CI runs)
  setup  only install what is missing
  api-check  schemathesis over the server's OpenAPI document (part of test)
  test-postgres [ARGS]  the server's tests on PostgreSQL in a throw-away cluster
                        (part of test); ARGS go to `cargo test -p orderdesk-server`";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = Ctx {
        root: workspace_root(),
        release: args.iter().any(|a| a == "--release"),
        started: Instant::now(),
        exports: RefCell::new(Vec::new()),
    };
    let result = match args.first().map(String::as_str) {
        Some("run") => setup::all(&ctx).and_then(|()| run(&ctx)),
        Some("test") => setup::all(&ctx).and_then(|()| test(&ctx)),
        Some("setup") => setup::all(&ctx),
        Some("e2e") => app::e2e(&ctx),
        Some("build-ui") => app::build_ui(&ctx),
        Some("house") => house::check(&ctx),
        Some("api-check") => api_check::run(&ctx),
        Some("test-postgres") => test_postgres(&ctx, &args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            ctx.step("done");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("\nerror: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every check, in the order that fails fastest.
fn test(ctx: &Ctx) -> Result<(), String> {
    ctx.step("format");
    ctx.run(ctx.cargo().args(["fmt", "--all", "--check"]))?;
    ctx.step("house rules: import circles, function sizes, wire types declared once");
    house::check(ctx)?;
    ctx.step("the pure crates and the client core build for wasm32");
    ctx.run(ctx.cargo().args([
        "check",
        "-p",
        "orderdesk-domain",
        "-p",
        "orderdesk-protocol",
        "-p",
        "orderdesk-client-core",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    pure_crates_for_android(ctx)?;
    ctx.step("the UI is built (wasm) so the app can embed it");
    app::build_ui(ctx)?;
    ctx.step("lints");
    ctx.run(ctx.cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    ctx.run(ctx.cargo().args([
        "clippy",
        "-p",
        "orderdesk-ui",
        "-p",
        "orderdesk-web",
        "-p",
        "orderdesk-client-core",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    app::build_workspace(ctx)?;
    // Stopped when this function returns, also on a failed step.
    let _cluster = start_cluster(ctx)?;
    // The load-balancer tests start the server binary the build just made.
    ctx.export(
        "ORDERDESK_SERVER_BIN",
        ctx.target_dir().join("debug").join("orderdesk-server"),
    );
    // The web app's tests and bench open the UI the build above assembled.
    ctx.export("ORDERDESK_UI_DIST", ctx.root.join("ui/dist"));
    ctx.step("tests");
    ctx.run(ctx.cargo().args(["test", "--workspace"]))?;
    server_tests_on_postgres(ctx)?;
    benches::run_small(ctx)?;
    api_check::run(ctx)?;
    ctx.step("end-to-end tests of the app");
    app::run_e2e(ctx)?;
    app::run_web_e2e(ctx)
}

/// The crates without C code or platform APIs type-check for Android's
/// 64-bit ARM. The app and the client core need the Android NDK to get
/// further (SQLite's and ring's C), which this machine does not have.
fn pure_crates_for_android(ctx: &Ctx) -> Result<(), String> {
    ctx.step("the pure crates type-check for Android");
    ctx.run(ctx.cargo().args([
        "check",
        "--target",
        setup::ANDROID_TARGET,
        "-p",
        "orderdesk-domain",
        "-p",
        "orderdesk-protocol",
    ]))
}

/// Starts a throw-away PostgreSQL cluster and exports its admin URL as
/// `ORDERDESK_TEST_POSTGRES` to every later command; dropping the cluster
/// stops it and removes its folder.
fn start_cluster(ctx: &Ctx) -> Result<postgres::Cluster, String> {
    ctx.step("a throw-away PostgreSQL cluster for the tests");
    let cluster = postgres::Cluster::start()?;
    ctx.export("ORDERDESK_TEST_POSTGRES", cluster.url());
    Ok(cluster)
}

/// The server's whole suite once more, each test on a fresh PostgreSQL
/// database of the exported cluster instead of an SQLite file.
///
/// Selected as `--workspace --test <each file of crates/server/tests>`, the
/// selection of the workspace build, so cargo reuses that build: `-p
/// orderdesk-server` resolves dependency features anew and compiles most of
/// them again (minutes on two cores). A test target of another crate with
/// the same name runs too, harmlessly: the end-to-end ones are ignored.
fn server_tests_on_postgres(ctx: &Ctx) -> Result<(), String> {
    ctx.step("server tests on PostgreSQL");
    let dir = ctx.root.join("crates/server/tests");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut targets = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if let (Some("rs"), Some(stem)) = (
            path.extension().and_then(|e| e.to_str()),
            path.file_stem().and_then(|s| s.to_str()),
        ) {
            targets.push(stem.to_owned());
        }
    }
    targets.sort();
    let mut cargo = ctx.cargo();
    cargo.args(["test", "--workspace"]);
    for target in &targets {
        cargo.args(["--test", target]);
    }
    cargo.env("ORDERDESK_TEST_ENGINE", "postgres");
    ctx.run(&mut cargo)
}

/// `cargo xtask test-postgres [ARGS]`: only the server's suite on
/// PostgreSQL, with no setup and no other checks, for working on storage:
/// `cargo test -p orderdesk-server ARGS` (e.g. `--test restart`).
fn test_postgres(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    let _cluster = start_cluster(ctx)?;
    ctx.step("server tests on PostgreSQL");
    let mut cargo = ctx.cargo();
    cargo
        .args(["test", "-p", "orderdesk-server"])
        .args(args)
        .env("ORDERDESK_TEST_ENGINE", "postgres");
    ctx.run(&mut cargo)
}

/// The server with demo data and the app pointed at it.
fn run(ctx: &Ctx) -> Result<(), String> {
    app::build_app(ctx)?;
    ctx.step("the server with demo data");
    let profile = if ctx.release { "release" } else { "debug" };
    let data = ctx.target_dir().join("demo");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let server_bin = ctx.target_dir().join(profile).join("orderdesk-server");
    let listen = std::env::var("ORDERDESK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut server = Command::new(&server_bin);
    server
        .args(["--demo", "--listen", &listen, "--database"])
        .arg(data.join("orderdesk.db"))
        .arg("--ui-dir")
        .arg(ctx.root.join("ui/dist"));
    println!("    $ {}", describe(&server));
    let mut server = server
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", server_bin.display()))?;
    println!("    the web app: http://{listen}/ in a browser (installable from there)");
    ctx.step(&format!(
        "the app, against http://{listen} (logins: service, service2, rental, shop; password: demo)"
    ));
    let app_bin = ctx.target_dir().join(profile).join("orderdesk");
    let mut app = launch::app_command(&app_bin, &format!("http://{listen}"), &data);
    let outcome = ctx.run(&mut app);
    server.kill().ok();
    server.wait().ok();
    outcome
}
