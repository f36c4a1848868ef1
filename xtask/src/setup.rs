//! Installs what the project needs on a Debian machine, and only what is
//! missing, so that a second run takes seconds.

use crate::Ctx;
use std::path::Path;
use std::process::Command;

/// Debian packages: WebKitGTK and friends for the app, Xvfb and the WebKit
/// WebDriver for headless runs and end-to-end tests, a keyring for tokens,
/// PostgreSQL and nginx for the server's tests on its second engine and
/// behind a load balancer, headless Chromium for the web app's tests.
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus",
    "dbus-x11",
    "imagemagick",
    "fonts-dejavu-core",
    "gnome-keyring",
    "libsecret-tools",
    "keyutils",
    // The API check installs schemathesis into a virtual environment.
    "python3",
    "python3-venv",
    // The server's suite also runs on PostgreSQL, in a throw-away cluster
    // the test command starts itself (`postgres.rs`); the package brings the
    // current major version with its contrib modules (btree_gist, pg_trgm).
    // The system services it may start are never used.
    "postgresql",
    // The load balancer in front of several server instances in the tests.
    "nginx",
    // The web app's end-to-end tests: headless Chromium and its WebDriver.
    "chromium",
    "chromium-driver",
    // SQLite's C in the client core's browser build (sqlite-wasm-rs).
    "clang",
];

/// The axe-core release the accessibility check injects into the app.
const AXE_CORE: &str = "axe-core@4.14.1";

pub fn all(ctx: &Ctx) -> Result<(), String> {
    ctx.step("system packages");
    apt(ctx)?;
    ctx.step("Rust toolchain parts");
    rustup(ctx)?;
    ctx.step("wasm-bindgen-cli and tauri-driver");
    wasm_bindgen_cli(ctx)?;
    tauri_driver(ctx)?;
    ctx.step("axe-core (npm) for the accessibility check");
    axe_core(ctx)
}

/// Where axe-core's browser script lands: `target/npm/node_modules/...`.
pub fn axe_script(ctx: &Ctx) -> std::path::PathBuf {
    ctx.target_dir()
        .join("npm/node_modules/axe-core/axe.min.js")
}

/// Installs axe-core from npm into `target/npm` when missing; the
/// end-to-end accessibility test injects it into the app's webview.
fn axe_core(ctx: &Ctx) -> Result<(), String> {
    let script = axe_script(ctx);
    if script.is_file() {
        println!("    {}", script.display());
        return Ok(());
    }
    if !crate::app::on_path("npm") {
        // Node.js from nodejs.org brings its own npm; a bare Debian has none.
        println!("    npm is missing: installing Debian's npm");
        apt_install(ctx, &["npm"])?;
    }
    let prefix = ctx.target_dir().join("npm");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let mut npm = Command::new("npm");
    npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(AXE_CORE);
    ctx.run(&mut npm)
}

fn apt(ctx: &Ctx) -> Result<(), String> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        println!("    all {} packages present", APT_PACKAGES.len());
        return Ok(());
    }
    println!("    missing: {}", missing.join(" "));
    apt_install(ctx, &missing)
}

/// `apt-get install` of `packages`, through sudo when not root.
fn apt_install(ctx: &Ctx, packages: &[&str]) -> Result<(), String> {
    let root = is_root();
    let apt_get = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    ctx.run(&mut apt_get(&["update", "-qq"]))?;
    let mut install = apt_get(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(packages);
    ctx.run(&mut install)
}

/// Whether this process runs as root (`id -u` is 0).
pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// The phones' target: Android on 64-bit ARM.
pub const ANDROID_TARGET: &str = "aarch64-linux-android";

/// Compilation targets beside the host's: the browser's (the UI, and the
/// pure crates' check) and Android's (the pure crates' check).
const RUST_TARGETS: &[&str] = &["wasm32-unknown-unknown", ANDROID_TARGET];

fn rustup(ctx: &Ctx) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let missing = missing_targets(&installed, RUST_TARGETS);
    if missing.is_empty() {
        println!("    {} present", RUST_TARGETS.join(", "));
    } else {
        ctx.run(
            Command::new("rustup")
                .args(["target", "add"])
                .args(&missing),
        )?;
    }
    for component in ["rustfmt", "clippy"] {
        let present = Command::new("cargo")
            .arg(if component == "rustfmt" {
                "fmt"
            } else {
                "clippy"
            })
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !present {
            ctx.run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

/// The targets of `wanted` not in `installed`, the output of `rustup target
/// list --installed` (one target a line).
fn missing_targets<'a>(installed: &str, wanted: &[&'a str]) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|target| !installed.lines().any(|line| line.trim() == *target))
        .collect()
}

/// The version of a package as Cargo.lock pins it.
pub fn locked_version(root: &Path, package: &str) -> Option<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).ok()?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let len = lock[start..].find('"')?;
    Some(lock[start..start + len].to_owned())
}

fn tool_version(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn cargo_install(ctx: &Ctx, krate: &str, version: Option<&str>) -> Result<(), String> {
    let mut locked = ctx.cargo();
    locked.args(["install", "--locked", krate]);
    if let Some(v) = version {
        locked.args(["--version", v]);
    }
    if ctx.run(&mut locked).is_ok() {
        return Ok(());
    }
    // The registry mirror may lag the versions a lock file names.
    println!("    retrying without --locked");
    let mut unlocked = ctx.cargo();
    unlocked.args(["install", krate]);
    if let Some(v) = version {
        unlocked.args(["--version", v]);
    }
    ctx.run(&mut unlocked)
}

fn wasm_bindgen_cli(ctx: &Ctx) -> Result<(), String> {
    let Some(wanted) = locked_version(&ctx.root, "wasm-bindgen") else {
        println!("    the workspace does not use wasm-bindgen yet");
        return Ok(());
    };
    match tool_version("wasm-bindgen") {
        Some(v) if v.ends_with(&wanted) => {
            println!("    {v}");
            Ok(())
        }
        _ => cargo_install(ctx, "wasm-bindgen-cli", Some(&wanted)),
    }
}

fn tauri_driver(ctx: &Ctx) -> Result<(), String> {
    match tool_version("tauri-driver") {
        Some(v) => {
            println!("    {v}");
            Ok(())
        }
        None => cargo_install(ctx, "tauri-driver", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the targets not listed are added, matched by whole lines.
    #[test]
    fn adds_only_the_missing_rust_targets() {
        let installed = "wasm32-unknown-unknown\nx86_64-unknown-linux-gnu\n";
        assert_eq!(
            missing_targets(installed, RUST_TARGETS),
            vec!["aarch64-linux-android"]
        );
        assert!(missing_targets(
            "aarch64-linux-android\nwasm32-unknown-unknown\n",
            RUST_TARGETS
        )
        .is_empty());
        assert_eq!(
            missing_targets("aarch64-linux-androideabi\n", &[ANDROID_TARGET]),
            vec![ANDROID_TARGET]
        );
    }
}
