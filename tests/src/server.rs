//! The orders server for a test: `orderdesk-server --demo` on a free
//! loopback port with a fresh database, which a test may stop and start
//! again over the same database (the offline flow). [`Server::start_on`]
//! runs an instance on a database a test names (a PostgreSQL URL shared by
//! several instances) and keeps its log in a file the test reads.

use std::ffi::OsString;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) server with its own database.
pub struct Server {
    binary: PathBuf,
    /// A SQLite file or a PostgreSQL URL, as `--database` takes it.
    database: OsString,
    port: u16,
    /// Whether it runs with `--demo`.
    demo: bool,
    /// Flags beyond the demo, listen address and database.
    flags: Vec<String>,
    /// Where its log goes (at `info`), when not to the test's stderr.
    log: Option<PathBuf>,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts the server at `ORDERDESK_SERVER_BIN` with the demo data.
    pub fn start() -> Result<Server, String> {
        Server::start_with(&[])
    }

    /// Starts the server with the demo data and `flags` of its own (e.g.
    /// the site's time zone).
    pub fn start_with(flags: &[&str]) -> Result<Server, String> {
        let mut server = Server::new(flags)?;
        server.database = server._dir.path().join("orderdesk.db").into();
        server.resume()?;
        Ok(server)
    }

    /// Starts an instance on `database` (e.g. a PostgreSQL URL other
    /// instances share), with the demo data when `demo`, and `flags`. Its
    /// log, at `info`, goes to a file: see [`Server::log`].
    pub fn start_on(database: &str, demo: bool, flags: &[&str]) -> Result<Server, String> {
        let mut server = Server::new(flags)?;
        server.database = database.into();
        server.demo = demo;
        server.log = Some(server._dir.path().join("server.log"));
        server.resume()?;
        Ok(server)
    }

    fn new(flags: &[&str]) -> Result<Server, String> {
        let binary = std::env::var_os("ORDERDESK_SERVER_BIN")
            .map(PathBuf::from)
            .ok_or("ORDERDESK_SERVER_BIN is not set: run through `cargo xtask e2e`")?;
        let dir = tempfile::tempdir().map_err(|e| format!("no temp dir: {e}"))?;
        Ok(Server {
            binary,
            database: OsString::new(),
            port: free_port()?,
            demo: true,
            flags: flags.iter().map(|f| (*f).to_owned()).collect(),
            log: None,
            child: None,
            _dir: dir,
        })
    }

    /// What the instance logged so far, when started by
    /// [`Server::start_on`]; empty otherwise.
    pub fn log(&self) -> String {
        self.log
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the stopped server again, same port and database.
    pub fn resume(&mut self) -> Result<(), String> {
        let mut command = Command::new(&self.binary);
        if self.demo {
            command.arg("--demo");
        }
        command
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(&self.flags)
            .arg("--database")
            .arg(&self.database)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(path) = &self.log {
            // Appended to, so a resumed instance keeps what it said before.
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            command.env("RUST_LOG", "info").stderr(file);
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        let deadline = Instant::now() + Duration::from_secs(60);
        let child = self.child.insert(child);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            // A refused flag or database ends the process at once.
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Err(format!(
                    "the server exited ({status}) before listening on {}; its stderr or log says why",
                    self.port
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the server did not listen on {} in 60 s",
                    self.port
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Freezes the running server (SIGSTOP): it keeps its connections and
    /// takes new ones (the kernel accepts them), but answers nothing.
    pub fn freeze(&self) -> Result<(), String> {
        self.signal("-STOP")
    }

    /// Lets a frozen server go on (SIGCONT).
    pub fn thaw(&self) -> Result<(), String> {
        self.signal("-CONT")
    }

    fn signal(&self, signal: &str) -> Result<(), String> {
        let child = self.child.as_ref().ok_or("the server is not running")?;
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .map_err(|e| format!("cannot run kill: {e}"))?;
        status
            .success()
            .then_some(())
            .ok_or_else(|| format!("kill {signal} failed: {status}"))
    }

    /// Kills the server (SIGKILL: no shutdown, connections cut as they
    /// are); the network is gone for the app.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

pub(crate) fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
