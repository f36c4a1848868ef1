//! nginx in front of server instances, run from the very configuration an
//! operator installs: `deploy/nginx/orderdesk.conf`. Only what a test must
//! own is replaced — the listen address (a free loopback port), the upstream
//! `server` lines (the test's instances) and the paths of the pid file, the
//! logs and the temporary files (in the test's folder, so nginx needs no
//! root) — and the rendering fails if any of them is missing from the file.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The configuration operators use, relative to this crate.
const CONFIG: &str = "../deploy/nginx/orderdesk.conf";

/// Directives whose first argument is a path nginx writes to.
const PATH_DIRECTIVES: &[&str] = &[
    "pid",
    "error_log",
    "access_log",
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
];

/// A running nginx; dropping it stops nginx and its workers.
pub struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

/// Debian's nginx, or one on `PATH`; `None` when none is installed.
pub fn binary() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/sbin/nginx");
    if debian.is_file() {
        return Some(debian);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join("nginx"))
        .find(|p| p.is_file())
}

impl Nginx {
    /// Starts nginx on a free loopback port, balancing over the instances
    /// listening on `upstreams` (127.0.0.1), and waits until it listens.
    /// Panics when nginx is missing or does not start: callers check
    /// [`binary`] first to skip on machines without it.
    pub fn start(upstreams: &[u16]) -> Nginx {
        Nginx::try_start(upstreams).unwrap_or_else(|e| panic!("nginx: {e}"))
    }

    fn try_start(upstreams: &[u16]) -> Result<Nginx, String> {
        use std::os::unix::process::CommandExt;
        let bin = binary().ok_or("nginx is not installed (`cargo xtask setup` installs it)")?;
        let dir = tempfile::tempdir().map_err(|e| format!("no temp dir: {e}"))?;
        // As root, nginx's workers run as `nobody` and must reach the
        // temporary files under this folder.
        open_up(dir.path())?;
        let port = free_port()?;
        let template_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CONFIG);
        let template = fs::read_to_string(&template_path)
            .map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
        let conf = dir.path().join("nginx.conf");
        let rendered = render(&template, port, upstreams, dir.path())?;
        fs::write(&conf, rendered).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        let child = Command::new(&bin)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("startup-error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own group, so that stopping it reaches the workers too.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut nginx = Nginx { child, port, dir };
        nginx.wait_listening()?;
        Ok(nginx)
    }

    fn wait_listening(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(exit)) = self.child.try_wait() {
                return Err(format!("nginx exited ({exit}):\n{}", self.error_log()));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nginx did not listen on {} in 20 s:\n{}",
                    self.port,
                    self.error_log()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The access log so far: one line per request, with the instance that
    /// answered (`upstream=…`, several when nginx tried the next one) and
    /// the request id (`request_id=…`). nginx writes a request's line after
    /// its answer has gone out: a test waits for the lines it expects.
    pub fn access_log(&self) -> String {
        fs::read_to_string(self.dir.path().join("orderdesk-access.log")).unwrap_or_default()
    }

    /// nginx's own error log (startup and the configured one).
    pub fn error_log(&self) -> String {
        let mut text = String::new();
        for name in ["startup-error.log", "orderdesk-error.log"] {
            text.push_str(&fs::read_to_string(self.dir.path().join(name)).unwrap_or_default());
        }
        text
    }

    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // TERM is nginx's fast shutdown; KILL only if it hangs.
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal_group("-KILL");
        let _ = self.child.wait();
    }
}

/// The configuration with the test's port, instances and paths; an error
/// when the file no longer has a directive the test must replace.
pub fn render(template: &str, port: u16, upstreams: &[u16], dir: &Path) -> Result<String, String> {
    let mut out = String::new();
    let (mut listens, mut servers, mut paths) = (0, 0, 0);
    let mut in_upstream = false;
    for line in template.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let directive = trimmed.split_whitespace().next().unwrap_or("");
        if directive == "upstream" {
            in_upstream = true;
        } else if in_upstream && trimmed.starts_with('}') {
            in_upstream = false;
        }
        if in_upstream && directive == "server" {
            // The first instance line becomes all of the test's instances.
            if servers == 0 {
                for upstream in upstreams {
                    out.push_str(&format!("{indent}server 127.0.0.1:{upstream};\n"));
                }
            }
            servers += 1;
        } else if directive == "listen" {
            listens += 1;
            out.push_str(&format!("{indent}listen 127.0.0.1:{port};\n"));
        } else if PATH_DIRECTIVES.contains(&directive) {
            paths += 1;
            out.push_str(indent);
            out.push_str(&relocate(trimmed, dir)?);
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if listens != 1 || servers == 0 || paths != PATH_DIRECTIVES.len() {
        return Err(format!(
            "{CONFIG} changed shape: {listens} listen lines (want 1), {servers} upstream \
             server lines (want some), {paths} of the {} path directives",
            PATH_DIRECTIVES.len()
        ));
    }
    Ok(out)
}

/// `directive /some/where/name rest;` → `directive <dir>/name rest;`.
fn relocate(line: &str, dir: &Path) -> Result<String, String> {
    let mut words = line.split_whitespace();
    let directive = words.next().unwrap_or("");
    let path = words.next().ok_or_else(|| format!("no path in `{line}`"))?;
    let (path, end) = match path.strip_suffix(';') {
        Some(bare) => (bare, ";"),
        None => (path, ""),
    };
    let name = Path::new(path)
        .file_name()
        .ok_or_else(|| format!("no file name in `{line}`"))?;
    let rest: Vec<&str> = words.collect();
    let mut out = format!("{directive} {}{end}", dir.join(name).display());
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(&rest.join(" "));
    }
    Ok(out)
}

fn open_up(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("cannot open up {}: {e}", dir.display()))
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
