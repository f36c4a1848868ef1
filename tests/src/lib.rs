//! The harness for end-to-end tests of the real app.
//!
//! [`Session::start`] launches `tauri-driver` (which starts the app through
//! WebKitWebDriver) and connects a WebDriver client to it. The tests are
//! `#[ignore]`d so a plain `cargo test --workspace` never opens a window;
//! `cargo xtask e2e` builds the app, provides an X display and runs them with
//! `--ignored`, passing the binary in `ORDERDESK_APP`.

use fantoccini::{Client, ClientBuilder, Locator};
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

/// `tauri-driver` in its own process group, stopped with all its children
/// (WebKitWebDriver, the app) when dropped.
struct Driver {
    child: Child,
}

impl Driver {
    fn spawn() -> Result<Driver, String> {
        use std::os::unix::process::CommandExt;
        let child = Command::new("tauri-driver")
            .args(["--port", &DRIVER_PORT.to_string()])
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
}

impl Session {
    /// Starts the app at `ORDERDESK_APP` (or the debug build) and connects.
    pub async fn start() -> Result<Session, Box<dyn std::error::Error>> {
        let app = app_binary()?;
        let driver = Driver::spawn()?;
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
        })
    }

    /// Waits up to 20 s for an element matching a CSS selector.
    pub async fn wait_for(
        &self,
        css: &str,
    ) -> Result<fantoccini::elements::Element, Box<dyn std::error::Error>> {
        Ok(self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await?)
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

    /// Ends the WebDriver session; the driver and app stop on drop.
    pub async fn close(self) -> TestResult {
        self.client.close().await?;
        Ok(())
    }
}

fn workspace_root() -> PathBuf {
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
