//! The orders server for a test: `orderdesk-server --demo` on a free
//! loopback port with a fresh database, which a test may stop and start
//! again over the same database (the offline flow).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) server with its own database.
pub struct Server {
    binary: PathBuf,
    database: PathBuf,
    port: u16,
    /// Flags beyond the demo, listen address and database.
    flags: Vec<String>,
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
        let binary = std::env::var_os("ORDERDESK_SERVER_BIN")
            .map(PathBuf::from)
            .ok_or("ORDERDESK_SERVER_BIN is not set: run through `cargo xtask e2e`")?;
        let dir = tempfile::tempdir().map_err(|e| format!("no temp dir: {e}"))?;
        let port = free_port()?;
        let mut server = Server {
            binary,
            database: dir.path().join("orderdesk.db"),
            port,
            flags: flags.iter().map(|f| (*f).to_owned()).collect(),
            child: None,
            _dir: dir,
        };
        server.resume()?;
        Ok(server)
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
        let child = Command::new(&self.binary)
            .args(["--demo", "--listen", &format!("127.0.0.1:{}", self.port)])
            .args(&self.flags)
            .arg("--database")
            .arg(&self.database)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
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

    /// Stops the server; the network is gone for the app.
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

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
