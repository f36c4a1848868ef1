//! The benches at a small size, in the test command: each must still run
//! against today's server and demo, so neither can rot unnoticed again.
//! Their figures are printed, never judged; the full-size runs are commands
//! of their own (see the README).
//!
//! They run from the workspace build ([`crate::app::build_workspace`] builds
//! the benches too, in the dev profile): `cargo bench` or `cargo run
//! --release` would compile everything again in release for a check.

use crate::Ctx;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The benches: (target name, target kind, what it measures).
const BENCHES: [(&str, &str, &str); 3] = [
    (
        "loadbench",
        "bin",
        "the server's throughput, latency per operation and SSE fan-out: SQLite, \
         and with ORDERDESK_TEST_POSTGRES PostgreSQL on one instance and on two behind nginx",
    ),
    (
        "sync_figures",
        "bench",
        "the offline core's sync (also from PostgreSQL with ORDERDESK_TEST_POSTGRES), \
         queries and memory",
    ),
    (
        "web_figures",
        "bench",
        "the web app in Chromium: wasm sizes, first load, reload offline, first sync \
         in the browser against the native core",
    ),
];

/// One executable the build made.
struct Built {
    name: String,
    kind: String,
    /// Built as a test harness (`cargo build --tests` makes one per binary).
    harness: bool,
    path: PathBuf,
}

/// Runs every bench with `ORDERDESK_BENCH_SCALE=small`.
pub fn run_small(ctx: &Ctx) -> Result<(), String> {
    ctx.step("benches at a small size: they must run; their figures are not judged");
    let started = Instant::now();
    let built = executables(ctx)?;
    for (name, kind, what) in BENCHES {
        // A bench target is built with the test profile, yet runs its own
        // `main`; a binary's test harness is not the binary.
        let path = built
            .iter()
            .find(|b| b.name == name && b.kind == kind && (kind == "bench" || !b.harness))
            .map(|b| &b.path)
            .ok_or_else(|| format!("the workspace build has no executable for `{name}`"))?;
        println!("    {name}: {what}");
        ctx.run(Command::new(path).env("ORDERDESK_BENCH_SCALE", "small"))?;
    }
    println!(
        "    the small benches took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The executables of the workspace build, by target name, as cargo
/// reports them: the same selection as the build, so nothing is compiled
/// again, and a bench's hashed file name is never guessed.
fn executables(ctx: &Ctx) -> Result<Vec<Built>, String> {
    let mut cargo = ctx.cargo();
    cargo
        .args([
            "build",
            "--workspace",
            "--all-targets",
            "--message-format=json",
        ])
        .current_dir(&ctx.root);
    let output = cargo
        .output()
        .map_err(|e| format!("could not start cargo build: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo build --workspace --all-targets` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .filter(|line| line.contains(r#""reason":"compiler-artifact""#))
        .filter_map(|line| {
            Some(Built {
                name: string_field(line, "target", "name")?,
                kind: string_field(line, "target", "kind")?,
                harness: raw_field(line, "profile", "test")?.starts_with("true"),
                path: PathBuf::from(string_field(line, "", "executable")?),
            })
        })
        .collect())
}

/// What follows `"key":` in the first object after `"scope":` (or anywhere
/// for an empty scope), in one line of cargo's JSON.
fn raw_field<'a>(line: &'a str, scope: &str, key: &str) -> Option<&'a str> {
    let rest = if scope.is_empty() {
        line
    } else {
        let scope = format!("\"{scope}\":{{");
        &line[line.find(&scope)? + scope.len()..]
    };
    let key = format!("\"{key}\":");
    Some(&rest[rest.find(&key)? + key.len()..])
}

/// A string field (or the first string of a list) by [`raw_field`]; `None`
/// for `null`. Cargo escapes only quotes and backslashes in names and
/// paths, which none of ours hold.
fn string_field(line: &str, scope: &str, key: &str) -> Option<String> {
    let raw = raw_field(line, scope, key)?;
    let raw = raw.strip_prefix('[').unwrap_or(raw).strip_prefix('"')?;
    raw.find('"').map(|end| raw[..end].to_owned())
}
