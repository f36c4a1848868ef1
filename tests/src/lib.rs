//! The harness for end-to-end tests of the real app.
//!
//! [`Session::start`] launches `tauri-driver` (which starts the app through
//! WebKitWebDriver) with a fresh data folder and connects a WebDriver client
//! to it; [`Server`] runs the orders server with demo data; [`Api`] acts as
//! another user through the HTTP API. The tests are `#[ignore]`d so a plain
//! `cargo test --workspace` never opens a window; `cargo xtask e2e` builds
//! the app and the server, provides an X display and a D-Bus session with an
//! unlocked keyring, and runs them with `--ignored`, passing the binaries in
//! `ORDERDESK_APP` and `ORDERDESK_SERVER_BIN`.
//!
//! The tests of several server instances need no window and are not
//! ignored: [`nginx::Nginx`] balances over them from the operators'
//! configuration, [`postgres::fresh_database`] gives them a database on the
//! test cluster. `cargo xtask test` passes `ORDERDESK_SERVER_BIN` and the
//! cluster's URL to `cargo test --workspace`; without them they skip, saying
//! why.
//!
//! The web app (the same UI served by the server, installable on a phone)
//! runs in headless Chromium: [`browser::Browser`] drives it through
//! chromedriver and needs no display; `cargo xtask e2e` runs those tests
//! (`tests/web.rs`) apart from the desktop ones, passing the server binary
//! and the built UI in `ORDERDESK_UI_DIST`.

mod api;
pub mod axe;
pub mod browser;
pub mod nginx;
pub mod page;
pub mod postgres;
mod server;

pub use api::Api;
pub use browser::Browser;
pub use server::Server;

use fantoccini::{Client, ClientBuilder};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where tauri-driver listens.
const DRIVER_PORT: u16 = 4444;

/// Phone and desktop window sizes the screenshots are taken at.
pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 800);

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Picks rustls' crypto provider once for the process; both the WebDriver
/// client and reqwest would otherwise find two and refuse to choose.
pub fn init_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `tauri-driver` in its own process group, stopped with all its children
/// (WebKitWebDriver, the app) when dropped.
struct Driver {
    child: Child,
}

impl Driver {
    fn spawn(env: &[(&str, String)]) -> Result<Driver, String> {
        use std::os::unix::process::CommandExt;
        let child = Command::new("tauri-driver")
            .args(["--port", &DRIVER_PORT.to_string()])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .map_err(|e| {
                format!("cannot start tauri-driver (cargo install tauri-driver --locked): {e}")
            })?;
        let driver = Driver { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", DRIVER_PORT)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not open port 4444 within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    fn signal_group(&self, signal: &str) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args([signal, "--", &group])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Anything left in the group (WebKitWebDriver holds our stdout) goes now.
        self.signal_group("-KILL");
        let _ = self.child.wait();
    }
}

/// The app under test and a WebDriver client connected to it.
pub struct Session {
    pub client: Client,
    _driver: Driver,
    /// The app's data folder, shared with a later run by [`Session::restart`].
    data: std::sync::Arc<tempfile::TempDir>,
    server_url: String,
}

impl Session {
    /// Starts the app at `ORDERDESK_APP` (or the debug build) with a fresh
    /// data folder, its login screen offering `server_url`, and connects.
    pub async fn start_with(server_url: &str) -> Result<Session, Box<dyn std::error::Error>> {
        let data = std::sync::Arc::new(tempfile::tempdir()?);
        Session::start_in(server_url, data).await
    }

    /// Ends this run of the app and starts it again over the same data
    /// folder and keyring entry: a restart on the manager's machine.
    pub async fn restart(self) -> Result<Session, Box<dyn std::error::Error>> {
        let (data, url) = (self.data.clone(), self.server_url.clone());
        self.close().await?;
        Session::start_in(&url, data).await
    }

    async fn start_in(
        server_url: &str,
        data: std::sync::Arc<tempfile::TempDir>,
    ) -> Result<Session, Box<dyn std::error::Error>> {
        init_tls();
        let app = app_binary()?;
        let env = [
            ("ORDERDESK_SERVER_URL", server_url.to_owned()),
            ("ORDERDESK_DATA_DIR", data.path().display().to_string()),
        ];
        let driver = Driver::spawn(&env)?;
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app },
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => return Err("capabilities must be an object".into()),
        };
        let client = ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{DRIVER_PORT}"))
            .await?;
        Ok(Session {
            client,
            _driver: driver,
            data,
            server_url: server_url.to_owned(),
        })
    }

    /// The app with no server address offered.
    pub async fn start() -> Result<Session, Box<dyn std::error::Error>> {
        Session::start_with("").await
    }

    /// Signs in on the login screen (the server address is prefilled) and
    /// waits for the first rows of the list.
    pub async fn log_in(&self, login: &str) -> TestResult {
        self.wait_for("#login").await?.send_keys(login).await?;
        self.wait_for("#password").await?.send_keys("demo").await?;
        self.wait_for("#sign-in").await?.click().await?;
        self.wait_for("#order-list .row").await?;
        Ok(())
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) -> TestResult {
        page::click(&self.client, css).await
    }

    /// The visible text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Waits up to `secs` for the text of `css` to contain `expected`.
    pub async fn wait_text(&self, css: &str, expected: &str, secs: u64) -> TestResult {
        page::wait_text(&self.client, css, expected, secs).await
    }

    /// Scrolls the first element matching a CSS selector into view.
    pub async fn scroll_to(&self, css: &str) -> TestResult {
        let element = self.wait_for(css).await?;
        let arg = serde_json::to_value(&element)?;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
            .await?;
        Ok(())
    }

    /// Finds an order by its number in the search box and opens it.
    pub async fn open_order(&self, number: i64) -> TestResult {
        page::open_order(&self.client, number).await
    }

    /// Changes the status through «Изменить статус» to the one labelled `label`.
    pub async fn change_status(&self, label: &str) -> TestResult {
        page::change_status(&self.client, label).await
    }

    /// Waits up to 20 s for an element matching a CSS selector.
    pub async fn wait_for(
        &self,
        css: &str,
    ) -> Result<fantoccini::elements::Element, Box<dyn std::error::Error>> {
        page::wait_for(&self.client, css).await
    }

    /// Resizes the window and saves a PNG to `artifacts/screenshots/<name>.png`.
    pub async fn screenshot(
        &self,
        name: &str,
        (width, height): (u32, u32),
    ) -> Result<PathBuf, Box<dyn std::error::Error>> {
        self.client.set_window_size(width, height).await?;
        // Let layout and fonts settle after the resize.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let png = self.client.screenshot().await?;
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        println!("screenshot: {}", path.display());
        Ok(path)
    }

    /// Resident memory of the app and its WebKit helper processes, in KiB.
    pub fn memory_kib() -> Vec<(String, u64)> {
        let app = app_binary().unwrap_or_default();
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return found;
        };
        for entry in entries.flatten() {
            let dir = entry.path();
            let exe = std::fs::read_link(dir.join("exe")).unwrap_or_default();
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            let name = if exe.to_string_lossy() == app {
                "orderdesk".to_owned()
            } else if comm.starts_with("WebKitWebProces") || comm.starts_with("WebKitNetworkPr") {
                comm.trim().to_owned()
            } else {
                continue;
            };
            let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
            let rss = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            if let Some(rss) = rss {
                found.push((name, rss));
            }
        }
        found
    }

    /// Ends the WebDriver session; the driver and app stop on drop.
    pub async fn close(self) -> TestResult {
        self.client.close().await?;
        Ok(())
    }
}

pub(crate) fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// Where screenshots go: `ORDERDESK_ARTIFACTS` or `<workspace>/artifacts`.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("ORDERDESK_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("artifacts"))
}

fn app_binary() -> Result<String, String> {
    let path = std::env::var_os("ORDERDESK_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target"));
            target.join("debug/orderdesk")
        });
    if !path.is_file() {
        return Err(format!(
            "no app binary at {}: build it with `cargo xtask e2e` or set ORDERDESK_APP",
            path.display()
        ));
    }
    Ok(path.to_string_lossy().into_owned())
}
