//! The manager app as a web app in a real browser: Debian's headless
//! Chromium driven through chromedriver.
//!
//! [`Browser::start`] launches chromedriver on a free port in its own
//! process group (Chromium runs inside that group, so dropping the
//! [`Browser`] stops both, also when a test panics) with a fresh profile
//! folder. [`Browser::restart`] starts Chromium again over the same profile,
//! so what the app stored (service worker, caches, OPFS) is still there.
//! Going offline is the server going away: [`set_offline`] stops the
//! [`Server`], [`back_online`] starts it again on the same port and
//! database. Unlike the desktop suite nothing here needs an X display.

use crate::{artifacts_dir, page, Server, TestResult};
use fantoccini::elements::Element;
use fantoccini::wd::WindowHandle;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type BrowserResult<T> = Result<T, Box<dyn std::error::Error>>;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

/// How long the waits for elements and texts last.
const WAIT: Duration = Duration::from_secs(20);

/// A notification the app's service worker shows, as
/// `ServiceWorkerRegistration.getNotifications()` reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub title: String,
    pub body: String,
    /// The notice key, `notice:<id>`: one tag is one notification.
    pub tag: String,
}

/// Headless Chromium with a WebDriver client connected to it.
pub struct Browser {
    pub client: Client,
    driver: DriverGroup,
    /// The Chromium profile, kept across [`Browser::restart`].
    profile: Arc<tempfile::TempDir>,
    size: (u32, u32),
    session: String,
    http: reqwest::Client,
}

impl Browser {
    /// Starts Chromium with a window of `size` (width, height) and a fresh
    /// profile.
    pub async fn start(size: (u32, u32)) -> BrowserResult<Browser> {
        let profile = Arc::new(tempfile::Builder::new().prefix("chromium-").tempdir()?);
        Browser::start_in(size, profile).await
    }

    /// Starts Chromium over an existing profile (one a test keeps, or
    /// another [`Browser`]'s, see [`Browser::profile`]).
    pub async fn start_in(
        (width, height): (u32, u32),
        profile: Arc<tempfile::TempDir>,
    ) -> BrowserResult<Browser> {
        crate::init_tls();
        let driver = DriverGroup::spawn()?;
        // Headless Chromium keeps its windows at least 500 px wide, so the
        // page's size comes from device emulation, a phone's with touch when
        // it is narrow.
        let phone = width < 768;
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                ],
                "mobileEmulation": {
                    "deviceMetrics": {
                        "width": width,
                        "height": height,
                        "pixelRatio": 1.0,
                        "mobile": phone,
                        "touch": phone,
                    },
                },
            },
            // Console messages, read by `console_errors`.
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else {
            return Err("capabilities must be an object".into());
        };
        let client = ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .map_err(|e| {
                format!(
                    "chromedriver could not start {CHROMIUM}: {e}{}",
                    driver.log_tail()
                )
            })?;
        let session = client
            .session_id()
            .await?
            .ok_or("chromedriver answered with no session id")?;
        Ok(Browser {
            client,
            driver,
            profile,
            size: (width, height),
            session,
            http: reqwest::Client::new(),
        })
    }

    /// Quits Chromium and starts it again over the same profile and at the
    /// same size: the phone's browser closed and opened again.
    pub async fn restart(self) -> BrowserResult<Browser> {
        let (size, profile) = (self.size, self.profile.clone());
        self.close().await?;
        Browser::start_in(size, profile).await
    }

    /// The profile folder, to start another [`Browser`] over it.
    pub fn profile(&self) -> Arc<tempfile::TempDir> {
        self.profile.clone()
    }

    /// Ends the session (Chromium quits and writes its profile out), then
    /// stops chromedriver.
    pub async fn close(self) -> TestResult {
        let Browser { client, driver, .. } = self;
        let closed = client.close().await;
        driver.wait_for_browser_exit(Duration::from_secs(10));
        drop(driver);
        closed?;
        Ok(())
    }

    /// Opens `url` in the current tab.
    pub async fn open(&self, url: &str) -> TestResult {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Reloads the current page.
    pub async fn reload(&self) -> TestResult {
        self.client.refresh().await?;
        Ok(())
    }

    /// Opens a new tab, switches to it and opens `url` there; returns the
    /// tab before, to come back with [`Browser::switch_to`].
    pub async fn open_tab(&self, url: &str) -> BrowserResult<WindowHandle> {
        let before = self.client.window().await?;
        let tab = self.client.new_window(true).await?;
        self.client.switch_to_window(tab.handle).await?;
        self.client.goto(url).await?;
        Ok(before)
    }

    /// Makes `tab` the one the next commands go to.
    pub async fn switch_to(&self, tab: WindowHandle) -> TestResult {
        self.client.switch_to_window(tab).await?;
        Ok(())
    }

    /// Lets the page's origin show notifications without asking, through
    /// the WebDriver permissions extension. Holds for this session only:
    /// grant again after [`Browser::restart`].
    pub async fn grant_notifications(&self) -> TestResult {
        self.command(
            "permissions",
            json!({"descriptor": {"name": "notifications"}, "state": "granted"}),
        )
        .await?;
        let state = self
            .client
            .execute("return Notification.permission;", vec![])
            .await?;
        if state != json!("granted") {
            return Err(format!("notification permission stayed {state}").into());
        }
        Ok(())
    }

    /// The notifications the page's service worker shows now.
    pub async fn notifications(&self) -> BrowserResult<Vec<Shown>> {
        let script = r#"
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.getRegistration()
              .then(r => r ? r.getNotifications() : Promise.reject("no service worker is registered"))
              .then(list => done({shown: list.map(n => ({title: n.title, body: n.body, tag: n.tag}))}),
                    e => done({error: String(e)}));
        "#;
        let answer = self.client.execute_async(script, vec![]).await?;
        if let Some(error) = answer["error"].as_str() {
            return Err(format!("cannot read the notifications: {error}").into());
        }
        let text = |n: &Value, key: &str| n[key].as_str().unwrap_or_default().to_owned();
        Ok(answer["shown"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|n| Shown {
                        title: text(n, "title"),
                        body: text(n, "body"),
                        tag: text(n, "tag"),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Console errors (and failed loads) since the last call: chromedriver
    /// hands each message out once.
    pub async fn console_errors(&self) -> BrowserResult<Vec<String>> {
        let entries = self.command("se/log", json!({"type": "browser"})).await?;
        Ok(entries
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A chromedriver command fantoccini has no method for, on this
    /// session; returns its `value`.
    async fn command(&self, path: &str, body: Value) -> BrowserResult<Value> {
        let url = format!("{}/session/{}/{path}", self.driver.url(), self.session);
        let answer: Value = self
            .http
            .post(&url)
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        if let Some(error) = answer["value"]["error"].as_str() {
            let message = answer["value"]["message"].as_str().unwrap_or_default();
            return Err(format!("chromedriver refused {path}: {error}: {message}").into());
        }
        Ok(answer["value"].clone())
    }

    /// Waits up to 20 s for an element matching a CSS selector.
    pub async fn wait_for(&self, css: &str) -> BrowserResult<Element> {
        page::wait_for(&self.client, css).await
    }

    /// Waits up to 20 s for an element whose own text contains `text`.
    pub async fn wait_for_text(&self, text: &str) -> BrowserResult<Element> {
        let xpath = format!("//*[text()[contains(., {})]]", xpath_literal(text));
        Ok(self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .map_err(|e| format!("«{text}» did not appear within {} s: {e}", WAIT.as_secs()))?)
    }

    /// Waits up to `secs` for the text of `css` to contain `expected`.
    pub async fn wait_text(&self, css: &str, expected: &str, secs: u64) -> TestResult {
        page::wait_text(&self.client, css, expected, secs).await
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) -> TestResult {
        page::click(&self.client, css).await
    }

    /// Signs in through the login form, as the desktop tests do: fills the
    /// server address when the form asks for one and it is empty, then
    /// waits for the first rows of the order list.
    pub async fn sign_in(&self, server_url: &str, login: &str) -> TestResult {
        self.wait_for("#login").await?;
        if let Ok(address) = self.client.find(Locator::Css("#server-url")).await {
            let current = address.prop("value").await?.unwrap_or_default();
            if address.is_displayed().await? && current.trim().is_empty() {
                address.send_keys(server_url).await?;
            }
        }
        self.wait_for("#login").await?.send_keys(login).await?;
        self.wait_for("#password").await?.send_keys("demo").await?;
        self.click("#sign-in").await?;
        self.wait_for("#order-list .row").await?;
        Ok(())
    }

    /// The page's viewport as the app sees it: `innerWidth`, `innerHeight`.
    pub async fn viewport(&self) -> BrowserResult<(u64, u64)> {
        let size = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        match (size[0].as_u64(), size[1].as_u64()) {
            (Some(w), Some(h)) => Ok((w, h)),
            _ => Err(format!("the page reported its size as {size}").into()),
        }
    }

    /// Saves a PNG of the current tab to `artifacts/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> BrowserResult<PathBuf> {
        // Let layout and fonts settle.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await?;
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        println!("screenshot: {}", path.display());
        Ok(path)
    }
}

/// The built web app: `ORDERDESK_UI_DIST`, a folder with an `index.html`.
pub fn ui_dist() -> Result<PathBuf, String> {
    let dist = std::env::var_os("ORDERDESK_UI_DIST")
        .map(PathBuf::from)
        .ok_or("ORDERDESK_UI_DIST is not set: run through `cargo xtask e2e`")?;
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the UI with `cargo xtask build-ui`",
            dist.display()
        ));
    }
    Ok(dist)
}

/// The server with the demo data, serving the web app of [`ui_dist`] at `/`.
pub fn web_server() -> Result<Server, String> {
    let dist = ui_dist()?;
    Server::start_with(&["--ui-dir", &dist.to_string_lossy()])
}

/// The network goes away for the browser: the server is killed and its
/// address refuses connections, so only the service worker can answer.
pub fn set_offline(server: &mut Server) {
    server.stop();
}

/// The server comes back on the same address and database.
pub fn back_online(server: &mut Server) -> Result<(), String> {
    server.resume()
}

/// An XPath 1.0 string literal for `text`, which has no escapes.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// chromedriver in its own process group, with the Chromium it starts;
/// dropping it stops the whole group.
struct DriverGroup {
    child: Child,
    port: u16,
    log: tempfile::TempDir,
}

impl DriverGroup {
    fn spawn() -> Result<DriverGroup, String> {
        use std::os::unix::process::CommandExt;
        let port = crate::server::free_port()?;
        let log = tempfile::Builder::new()
            .prefix("chromedriver-")
            .tempdir()
            .map_err(|e| format!("no temp dir: {e}"))?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.path().join("log").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| {
                format!("cannot start {CHROMEDRIVER} (Debian: chromium chromium-driver): {e}")
            })?;
        let driver = DriverGroup { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver did not open port {port} within 20 s{}",
                    driver.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The end of chromedriver's log, for an error message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log.path().join("log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(15)..].join("\n");
        if tail.is_empty() {
            tail
        } else {
            format!("\nchromedriver's log ends:\n{tail}")
        }
    }

    /// Waits until nothing but chromedriver is left in the group, so a
    /// quitting Chromium gets to write its profile out.
    fn wait_for_browser_exit(&self, at_most: Duration) {
        let deadline = Instant::now() + at_most;
        while Instant::now() < deadline && group_members(self.child.id()) > 1 {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn signal_group(&self, signal: &str) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args([signal, "--", &group])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for DriverGroup {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            let exited = matches!(self.child.try_wait(), Ok(Some(_)));
            if exited && group_members(self.child.id()) == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal_group("-KILL");
        let _ = self.child.wait();
    }
}

/// How many live processes are in process group `group`.
fn group_members(group: u32) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| in_group(&entry.path(), group))
        .count()
}

fn in_group(proc_dir: &Path, group: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(proc_dir.join("stat")) else {
        return false;
    };
    // After the command's name in parentheses: state, parent, group.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return false;
    };
    let mut fields = rest.split_whitespace();
    let state = fields.next();
    let pgrp = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
    state != Some("Z") && pgrp == Some(group)
}

#[cfg(test)]
mod tests {
    use super::xpath_literal;

    #[test]
    fn xpath_literals_quote_any_text() {
        assert_eq!(xpath_literal("Вход"), "'Вход'");
        assert_eq!(xpath_literal("it's"), "\"it's\"");
        assert_eq!(
            xpath_literal("«a» 'b' \"c\""),
            "concat('«a» ', \"'\", 'b', \"'\", ' \"c\"')"
        );
    }
}
