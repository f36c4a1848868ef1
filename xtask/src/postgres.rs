//! A throw-away PostgreSQL cluster for the test command: `initdb` in a
//! temporary folder, the server on a free loopback port, torn down when the
//! guard is dropped — after the tests, and also when a step fails.
//!
//! `initdb` and `postgres` refuse to run as root, and CI runs as root: then
//! the folder belongs to the `postgres` user (created by Debian's package)
//! and every cluster command runs as that user through `runuser`. As anyone
//! else the cluster simply runs as the current user.
//!
//! The cluster trusts every local connection and is tuned for tests, not
//! for keeping data: no fsync, no synchronous commit, no full-page writes.
//! `max_connections` is raised because every server a test starts has pools
//! of its own, and the tests run in parallel.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The superuser `initdb` creates; the tests connect as it.
const SUPERUSER: &str = "orderdesk";

/// Settings for a fast, roomy cluster whose data is thrown away.
const SETTINGS: &[&str] = &[
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=300",
];

/// How long the cluster may take to start and answer.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running cluster; dropping it stops the server and removes its folder.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// Cluster commands run as `postgres` through `runuser` (we are root).
    as_postgres: bool,
}

impl Cluster {
    /// Creates and starts a cluster, waiting until it answers.
    pub fn start() -> Result<Cluster, String> {
        let bin = bin_dir()?;
        let as_postgres = crate::setup::is_root();
        let dir = std::env::temp_dir().join(format!(
            "orderdesk-pg-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        ));
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // From here on the guard removes the folder whatever fails.
        let cluster = Cluster {
            bin,
            dir,
            port: free_port()?,
            as_postgres,
        };
        if as_postgres {
            cluster.chown_to_postgres()?;
        }
        cluster.initdb()?;
        cluster.pg_ctl_start()?;
        cluster.wait_until_answering()?;
        Ok(cluster)
    }

    /// `postgres://orderdesk@127.0.0.1:PORT/postgres`: the admin database,
    /// where tests create databases of their own.
    pub fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A cluster command (`initdb`, `pg_ctl`, …), as `postgres` when root.
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // The `postgres` user may not enter the caller's folder (`/root`).
        cmd.current_dir(&self.dir);
        cmd
    }

    fn chown_to_postgres(&self) -> Result<(), String> {
        run_quietly(
            Command::new("chown")
                .arg("postgres:postgres")
                .arg(&self.dir),
            "chown the cluster folder to postgres",
        )
    }

    fn initdb(&self) -> Result<(), String> {
        let mut cmd = self.command("initdb");
        cmd.arg("-D")
            .arg(self.data())
            .args(["-A", "trust", "-U", SUPERUSER])
            // UTF-8 whatever the machine's locale: the data is Cyrillic.
            .args(["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        run_quietly(&mut cmd, "initdb")
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let mut options = format!("-p {} -k {}", self.port, self.dir.display());
        for setting in SETTINGS {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let mut cmd = self.command("pg_ctl");
        cmd.arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-o", &options, "-w", "-t"])
            .arg(START_TIMEOUT.as_secs().to_string())
            .arg("start");
        run_quietly(&mut cmd, "pg_ctl start").map_err(|e| format!("{e}\n{}", self.log_tail()))
    }

    /// Waits until the server takes TCP connections and `pg_isready` says
    /// it accepts sessions (not merely that the postmaster started).
    fn wait_until_answering(&self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let listening = TcpStream::connect(("127.0.0.1", self.port)).is_ok();
            let ready = listening
                && self
                    .command("pg_isready")
                    .args(["-h", "127.0.0.1", "-U", SUPERUSER, "-d", "postgres", "-p"])
                    .arg(self.port.to_string())
                    .stdout(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "PostgreSQL did not answer on 127.0.0.1:{} within {} s\n{}",
                    self.port,
                    START_TIMEOUT.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The end of the server's log, for an error message.
    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let start = lines.len().saturating_sub(20);
        format!("    server log:\n      {}", lines[start..].join("\n      "))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            // Immediate: the data is thrown away, nothing needs a checkpoint.
            let stopped = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .status();
            if !stopped.is_ok_and(|s| s.success()) {
                eprintln!(
                    "    warning: could not stop the test cluster in {}",
                    self.dir.display()
                );
            }
        }
        if let Err(e) = fs::remove_dir_all(&self.dir) {
            eprintln!("    warning: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn bin_dir() -> Result<PathBuf, String> {
    let root = Path::new("/usr/lib/postgresql");
    let entries = fs::read_dir(root).map_err(|e| {
        format!(
            "PostgreSQL is not installed ({}: {e}): `cargo xtask setup` installs it",
            root.display()
        )
    })?;
    let mut versions: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| format!("no {}/<version>/bin/initdb", root.display()))
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// Runs `cmd`, keeping its chatter unless it fails.
fn run_quietly(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start {what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
