//! The project's one task runner, used the same way by people and by CI.
//!
//! - `cargo xtask run`: installs what is missing, builds the UI and the app,
//!   starts the server with demo data on the embedded database and opens the
//!   app against it.
//! - `cargo xtask test`: installs what is missing and runs every check: format,
//!   lints, the wasm builds, all tests and the end-to-end tests of the app.
//! - `cargo xtask setup`: only the installation step of both.

mod api_check;
mod app;
mod benches;
mod house;
mod launch;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Where the tasks run and how they report.
#[derive(Debug)]
pub struct Ctx {
    pub root: PathBuf,
    pub release: bool,
    started: Instant,
}

impl Ctx {
    /// Announces a step with the time elapsed so far.
    pub fn step(&self, what: &str) {
        let secs = self.started.elapsed().as_secs();
        println!("\n==> [{:02}:{:02}] {what}", secs / 60, secs % 60);
    }

    /// Runs a command in the workspace root, failing with its exit status.
    pub fn run(&self, cmd: &mut Command) -> Result<(), String> {
        cmd.current_dir(&self.root);
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
  api-check  schemathesis over the server's OpenAPI document (part of test)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = Ctx {
        root: workspace_root(),
        release: args.iter().any(|a| a == "--release"),
        started: Instant::now(),
    };
    let result = match args.first().map(String::as_str) {
        Some("run") => setup::all(&ctx).and_then(|()| run(&ctx)),
        Some("test") => setup::all(&ctx).and_then(|()| test(&ctx)),
        Some("setup") => setup::all(&ctx),
        Some("e2e") => app::e2e(&ctx),
        Some("build-ui") => app::build_ui(&ctx),
        Some("house") => house::check(&ctx),
        Some("api-check") => api_check::run(&ctx),
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
    ctx.step("the pure crates build for wasm32");
    ctx.run(ctx.cargo().args([
        "check",
        "-p",
        "orderdesk-domain",
        "-p",
        "orderdesk-protocol",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
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
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    app::build_workspace(ctx)?;
    ctx.step("tests");
    ctx.run(ctx.cargo().args(["test", "--workspace"]))?;
    benches::run_small(ctx)?;
    api_check::run(ctx)?;
    ctx.step("end-to-end tests of the app");
    app::run_e2e(ctx)
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
        .arg(data.join("orderdesk.db"));
    println!("    $ {}", describe(&server));
    let mut server = server
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", server_bin.display()))?;
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
