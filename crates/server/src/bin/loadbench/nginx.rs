//! nginx in front of the bench's instances, from the configuration an
//! operator installs (`deploy/nginx/orderdesk.conf`): only the listen
//! address, the upstream `server` lines and the paths nginx writes to (pid,
//! logs, temporary files) are replaced, so the bench measures the balancer
//! as it is shipped.

use anyhow::{bail, Context};
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's nginx.
const BINARY: &str = "/usr/sbin/nginx";

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

/// The shipped configuration: `ORDERDESK_NGINX_CONF` when set, else the
/// workspace's `deploy/nginx/orderdesk.conf`. `Err` says why the setup
/// cannot run (no nginx, no file).
pub fn template() -> Result<String, String> {
    if !Path::new(BINARY).is_file() {
        return Err(format!("{BINARY} is not installed"));
    }
    let path = std::env::var_os("ORDERDESK_NGINX_CONF").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx/orderdesk.conf"),
        PathBuf::from,
    );
    fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// A running nginx; dropping it stops nginx and its workers.
pub struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    /// Starts nginx on a free loopback port in front of the instances on
    /// `upstreams`, with its files in `dir`, and waits until it listens.
    pub fn start(template: &str, upstreams: &[u16], dir: &Path) -> anyhow::Result<Nginx> {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(dir)?;
        // As root, nginx's workers run as `nobody` and must reach the
        // temporary files.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let conf = dir.join("nginx.conf");
        fs::write(&conf, render(template, port, upstreams, dir)?)?;
        let child = Command::new(BINARY)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("startup-error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own group, so that stopping it reaches the workers too.
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {BINARY}"))?;
        let mut nginx = Nginx {
            child,
            port,
            dir: dir.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if nginx.child.try_wait()?.is_some() || Instant::now() > deadline {
                bail!("nginx did not start:\n{}", nginx.error_log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(nginx)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn error_log(&self) -> String {
        ["startup-error.log", "orderdesk-error.log"]
            .iter()
            .map(|name| fs::read_to_string(self.dir.join(name)).unwrap_or_default())
            .collect()
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

/// The configuration with the bench's port, instances and paths; an error
/// when the file lacks a directive the bench must replace.
fn render(template: &str, port: u16, upstreams: &[u16], dir: &Path) -> anyhow::Result<String> {
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
            // The first instance line becomes all of the bench's instances.
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
        bail!(
            "the nginx configuration changed shape: {listens} listen lines (want 1), \
             {servers} upstream server lines (want some), {paths} of the {} path directives",
            PATH_DIRECTIVES.len()
        );
    }
    Ok(out)
}

/// `directive /some/where/name rest;` → `directive <dir>/name rest;`.
fn relocate(line: &str, dir: &Path) -> anyhow::Result<String> {
    let mut words = line.split_whitespace();
    let directive = words.next().unwrap_or("");
    let path = words
        .next()
        .with_context(|| format!("no path in `{line}`"))?;
    let (path, end) = match path.strip_suffix(';') {
        Some(bare) => (bare, ";"),
        None => (path, ""),
    };
    let name = Path::new(path)
        .file_name()
        .with_context(|| format!("no file name in `{line}`"))?;
    let rest: Vec<&str> = words.collect();
    let mut out = format!("{directive} {}{end}", dir.join(name).display());
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(&rest.join(" "));
    }
    Ok(out)
}
