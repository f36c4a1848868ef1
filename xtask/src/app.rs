//! Building the UI (wasm), the app, and running the app's end-to-end tests.
//!
//! The UI is compiled with plain cargo and `wasm-bindgen` (no dioxus-cli);
//! the app embeds `ui/dist` at compile time because the config has no dev URL,
//! and the server serves the same folder as the web app (`--ui-dir`), with
//! its manifest, icons and service worker.

use crate::service_worker::{write_service_worker, SERVICE_WORKER};
use crate::Ctx;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The browser-less wasm target the UI is compiled for.
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The test target that drives the web app in Chromium rather than the
/// desktop app.
const WEB_TARGET: &str = "web";

/// Compiles `ui/` and the browser's core worker (`crates/web`) to wasm,
/// runs wasm-bindgen and assembles `ui/dist`.
pub fn build_ui(ctx: &Ctx) -> Result<(), String> {
    let dist = ctx.root.join("ui/dist");
    fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    build_wasm(ctx, "orderdesk-ui", "ui", &dist)?;
    build_wasm(ctx, "orderdesk-web", "core", &dist)?;

    ctx.step("UI: copying index.html, assets, icons and the web app's files into ui/dist");
    copy_static(&ctx.root, &dist)?;

    // Last: the worker precaches every file the steps above left in ui/dist.
    ctx.step("UI: writing the web app's service worker, ui/dist/sw.js");
    write_service_worker(&dist)
}

/// Compiles one wasm program of the workspace (`package`'s binary `bin`)
/// and writes its JavaScript bindings into `dist` as `<bin>.js` and
/// `<bin>_bg.wasm`.
fn build_wasm(ctx: &Ctx, package: &str, bin: &str, dist: &Path) -> Result<(), String> {
    ctx.step(&format!("UI: compiling {package} to wasm"));
    let mut cargo = ctx.cargo();
    cargo.args([
        "build",
        "-p",
        package,
        "--bin",
        bin,
        "--target",
        WASM_TARGET,
    ]);
    if ctx.release {
        cargo.arg("--release");
    }
    ctx.run(&mut cargo)?;

    let profile = if ctx.release { "release" } else { "debug" };
    let wasm = ctx
        .target_dir()
        .join(WASM_TARGET)
        .join(profile)
        .join(format!("{bin}.wasm"));
    if !wasm.exists() {
        return Err(format!("the {package} build left no {}", wasm.display()));
    }
    ctx.step(&format!(
        "UI: generating JavaScript bindings of {bin} into ui/dist"
    ));
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            bin,
            "--out-dir",
        ])
        .arg(dist)
        .arg(&wasm);
    ctx.run(&mut bindgen).map_err(|e| {
        format!(
            "{e}\n    wasm-bindgen-cli must be installed at the version of the `wasm-bindgen` \
             crate in Cargo.lock: cargo install wasm-bindgen-cli --version <that version>"
        )
    })
}

/// The files of `ui/dist` that are not built: the page, the stylesheet
/// (every file of `assets/`), the icons (`assets/icons/` into `icons/`) and
/// the web app's files (`ui/web/`, but for the service worker's template,
/// which [`write_service_worker`] fills in).
fn copy_static(root: &Path, dist: &Path) -> Result<(), String> {
    copy_file(&root.join("ui/index.html"), &dist.join("index.html"))?;
    copy_files(&root.join("assets"), dist, |_| true)?;
    let icons = dist.join("icons");
    fs::create_dir_all(&icons).map_err(|e| format!("cannot create {}: {e}", icons.display()))?;
    copy_files(&root.join("assets/icons"), &icons, |_| true)?;
    copy_files(&root.join("ui/web"), dist, |name| name != SERVICE_WORKER)
}

/// Copies the files (not the folders) of `from` whose names `keep` into `to`.
fn copy_files(from: &Path, to: &Path, keep: impl Fn(&str) -> bool) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", from.display()))?
            .path();
        let name = path.file_name().and_then(|n| n.to_str());
        if let (true, Some(name)) = (path.is_file(), name) {
            if keep(name) {
                copy_file(&path, &to.join(name))?;
            }
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Builds the desktop app and the server with the UI embedded, for people
/// who want to run them (not the test build: see [`build_workspace`]).
pub fn build_app(ctx: &Ctx) -> Result<(), String> {
    build_ui(ctx)?;
    ctx.step("App: building orderdesk and orderdesk-server with ui/dist embedded");
    let mut cargo = ctx.cargo();
    cargo.args(["build", "-p", "orderdesk", "-p", "orderdesk-server"]);
    if ctx.release {
        cargo.args(["--release", "--features", "orderdesk/custom-protocol"]);
    }
    ctx.run(&mut cargo)
}

/// Builds every target of the workspace once, with one feature set: the
/// tests, the app and the server the end-to-end tests drive, the benches.
/// `cargo test --workspace` and the end-to-end run then reuse it all.
pub fn build_workspace(ctx: &Ctx) -> Result<(), String> {
    ctx.step("build: every target of the workspace, once");
    ctx.run(ctx.cargo().args(["build", "--workspace", "--all-targets"]))
}

/// Builds the UI and the workspace, then runs the end-to-end tests of the
/// desktop app and of the web app.
pub fn e2e(ctx: &Ctx) -> Result<(), String> {
    build_ui(ctx)?;
    build_workspace(ctx)?;
    run_e2e(ctx)?;
    run_web_e2e(ctx)
}

/// Runs the end-to-end tests of the real app under Xvfb through tauri-driver,
/// with the binaries [`build_workspace`] left.
///
/// The test crate starts tauri-driver itself (in its own process group, so
/// that WebKitWebDriver dies with it) and, per test, `orderdesk-server
/// --demo` on a free loopback port with a fresh database. They run on a
/// virtual display inside a private D-Bus session with an unlocked keyring,
/// where the app keeps its token as it does on a desktop.
pub fn run_e2e(ctx: &Ctx) -> Result<(), String> {
    let binary = ctx.target_dir().join("debug").join("orderdesk");
    let server_bin = ctx.target_dir().join("debug").join("orderdesk-server");
    for built in [&binary, &server_bin] {
        if !built.exists() {
            return Err(format!("the build left no {}", built.display()));
        }
    }
    for tool in [
        "tauri-driver",
        "WebKitWebDriver",
        "xvfb-run",
        "dbus-run-session",
        "gnome-keyring-daemon",
    ] {
        if !on_path(tool) {
            return Err(format!(
                "`{tool}` is not installed: the end-to-end tests need tauri-driver \
                 (cargo install tauri-driver --locked) and the Debian packages \
                 webkit2gtk-driver, xvfb, xauth, dbus and gnome-keyring"
            ));
        }
    }
    fs::create_dir_all(ctx.root.join("artifacts/screenshots"))
        .map_err(|e| format!("cannot create artifacts/screenshots: {e}"))?;

    let mut failed = Vec::new();
    for target in e2e_targets(ctx)? {
        ctx.step(&format!("E2E: `{target}` under Xvfb"));
        if let Err(first) = run_e2e_once(ctx, &binary, &server_bin, &target) {
            // WebKit under Xvfb on a small machine now and then loses a page
            // ("page crash or hang"); a real failure fails the second run too.
            println!("    {first}");
            ctx.step(&format!(
                "E2E: `{target}` failed; running it once more to tell a lost page from a real failure"
            ));
            if let Err(second) = run_e2e_once(ctx, &binary, &server_bin, &target) {
                failed.push(format!("{target}: {second}"));
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "end-to-end tests failed twice:\n    {}",
            failed.join("\n    ")
        ))
    }
}

/// Runs the end-to-end tests of the web app: the server built by
/// [`build_workspace`] serves `ui/dist`, and the tests drive headless
/// Chromium through chromedriver (no X display, no keyring).
pub fn run_web_e2e(ctx: &Ctx) -> Result<(), String> {
    ctx.step(&format!(
        "E2E: `{WEB_TARGET}`, the web app in headless Chromium"
    ));
    let server_bin = ctx.target_dir().join("debug").join("orderdesk-server");
    if !server_bin.exists() {
        return Err(format!("the build left no {}", server_bin.display()));
    }
    let dist = ctx.root.join("ui/dist");
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no web app in {}: build the UI first",
            dist.display()
        ));
    }
    for tool in ["chromium", "chromedriver"] {
        if !on_path(tool) {
            return Err(format!(
                "`{tool}` is not installed: the web app's tests need the Debian packages \
                 chromium and chromium-driver"
            ));
        }
    }
    fs::create_dir_all(ctx.root.join("artifacts/screenshots"))
        .map_err(|e| format!("cannot create artifacts/screenshots: {e}"))?;
    let mut cargo = ctx.cargo();
    // The selection of the workspace build, so cargo reuses it.
    cargo
        .args(["test", "--workspace", "--test", WEB_TARGET])
        .arg("--no-fail-fast")
        .args(["--", "--ignored", "--test-threads=1"])
        .env("ORDERDESK_SERVER_BIN", server_bin)
        .env("ORDERDESK_UI_DIST", dist)
        .env("ORDERDESK_ARTIFACTS", ctx.root.join("artifacts"));
    ctx.run(&mut cargo)
}

/// The end-to-end test targets of the desktop app: one per file of
/// `tests/tests` with ignored tests, but the web app's. The others (several
/// server instances behind nginx) need no window and already ran in
/// `cargo test --workspace`.
fn e2e_targets(ctx: &Ctx) -> Result<Vec<String>, String> {
    let dir = ctx.root.join("tests/tests");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let drives_the_app = path.extension().is_some_and(|e| e == "rs")
            && fs::read_to_string(&path).is_ok_and(|text| text.contains("#[ignore"));
        if drives_the_app {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                if stem == WEB_TARGET {
                    continue;
                }
                names.push(stem.to_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

fn run_e2e_once(ctx: &Ctx, binary: &Path, server_bin: &Path, target: &str) -> Result<(), String> {
    // A fresh XDG data folder per run: a new keyring the session unlocks
    // (an old one may have another password) and no webview storage left
    // from an earlier run.
    let home = ctx.target_dir().join("e2e-xdg");
    if home.exists() {
        fs::remove_dir_all(&home).map_err(|e| format!("cannot clear {}: {e}", home.display()))?;
    }
    fs::create_dir_all(&home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The same selection (`--workspace`, tests) as the build, so cargo
    // reuses it instead of resolving features anew for one package.
    let selection = ["test", "--workspace", "--test", target];
    // The keyring's password only guards this throwaway session.
    let script = "echo -n orderdesk-e2e | gnome-keyring-daemon --unlock --components=secrets \
                  >/dev/null && exec xvfb-run -a -s '-screen 0 1280x800x24' \"$@\"";
    let mut run = Command::new("dbus-run-session");
    run.args(["--", "sh", "-c", script, "sh"])
        .arg(&cargo)
        .args(selection)
        .arg("--no-fail-fast")
        .args(["--", "--ignored", "--test-threads=1"])
        .env("ORDERDESK_APP", binary)
        .env("ORDERDESK_SERVER_BIN", server_bin)
        .env("ORDERDESK_ARTIFACTS", ctx.root.join("artifacts"))
        .env("ORDERDESK_AXE", crate::setup::axe_script(ctx))
        .env("XDG_DATA_HOME", &home);
    ctx.run(&mut run)
}

pub(crate) fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}
