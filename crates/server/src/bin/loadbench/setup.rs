//! The three setups the bench compares, each over a fresh demo database:
//! SQLite as shipped, PostgreSQL behind one instance, and PostgreSQL behind
//! two instances balanced round-robin by a real nginx.
//!
//! The instances run in this process (an `AppState` and `serve` per
//! listener): requests still cross loopback and nginx, so throughput through
//! the balancer is measured honestly, while the bench needs no server
//! binary built beside it.

use anyhow::{bail, Context};
use orderdesk_server::{AppState, Config, Database, PasswordCost, SystemClock};
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::nginx::Nginx;

/// Which setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    PostgresNginx,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Sqlite, Kind::Postgres, Kind::PostgresNginx];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Sqlite => "SQLite, 1 instance",
            Kind::Postgres => "PostgreSQL, 1 instance",
            Kind::PostgresNginx => "PostgreSQL, 2 instances + nginx",
        }
    }
}

/// A setup that serves requests until [`Running::stop`].
pub struct Running {
    /// Where clients go: the instance, or nginx.
    pub url: String,
    states: Vec<AppState>,
    servers: Vec<Serving>,
    nginx: Option<Nginx>,
    /// `(admin URL, database name)` of a PostgreSQL database to drop.
    postgres: Option<(String, String)>,
}

/// One instance's serving task and the signal that stops it.
struct Serving {
    task: JoinHandle<std::io::Result<()>>,
    stop: oneshot::Sender<()>,
}

/// Starts `kind` with its files in `dir`; `Ok(None)` (and a line saying
/// why) when this machine cannot run it.
pub async fn start(kind: Kind, admin: Option<&str>, dir: &Path) -> anyhow::Result<Option<Running>> {
    let database = match (kind, admin) {
        (Kind::Sqlite, _) => None,
        (_, None) => {
            println!(
                "{}: skipped, ORDERDESK_TEST_POSTGRES (an admin URL of a PostgreSQL cluster) is not set",
                kind.label()
            );
            return Ok(None);
        }
        (_, Some(admin)) => Some(admin),
    };
    let template = match kind {
        Kind::PostgresNginx => match super::nginx::template() {
            Ok(template) => Some(template),
            Err(why) => {
                println!("{}: skipped, {why}", kind.label());
                return Ok(None);
            }
        },
        _ => None,
    };
    std::fs::create_dir_all(dir)?;
    let (db, postgres) = match database {
        None => (Database::File(dir.join("bench.db")), None),
        Some(admin) => {
            let (url, name) = fresh_database(admin, kind).await?;
            (Database::Postgres(url), Some((admin.to_owned(), name)))
        }
    };
    let instances = if kind == Kind::PostgresNginx { 2 } else { 1 };
    let mut running = Running {
        url: String::new(),
        states: Vec::new(),
        servers: Vec::new(),
        nginx: None,
        postgres,
    };
    let mut ports = Vec::new();
    for i in 0..instances {
        let (state, port, server) = instance(&db).await?;
        if i == 0 {
            orderdesk_server::demo::seed(&state).await?;
        }
        running.states.push(state);
        running.servers.push(server);
        ports.push(port);
    }
    running.url = match template {
        Some(template) => {
            let nginx = Nginx::start(&template, &ports, &dir.join("nginx"))?;
            let url = nginx.url();
            running.nginx = Some(nginx);
            url
        }
        None => format!("http://127.0.0.1:{}", ports[0]),
    };
    Ok(Some(running))
}

/// One instance on a loopback port, serving in this process.
async fn instance(database: &Database) -> anyhow::Result<(AppState, u16, Serving)> {
    let mut config = Config::new(PathBuf::new());
    config.database = database.clone();
    config.password_cost = PasswordCost::Fast;
    config.tick_every = None;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    config.public_url = format!("http://{addr}");
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(orderdesk_server::serve(listener, state.clone(), async {
        let _ = stopped.await;
    }));
    Ok((state, addr.port(), Serving { task, stop }))
}

impl Running {
    /// Stops the instances and nginx, and drops a PostgreSQL database.
    pub async fn stop(self) -> anyhow::Result<()> {
        drop(self.nginx);
        // A graceful stop also ends the instance's change feed and clock,
        // which would otherwise outlive its closed pool.
        for server in self.servers {
            let _ = server.stop.send(());
            let abort = server.task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(10), server.task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        for state in self.states {
            state.storage().close().await;
        }
        if let Some((admin, name)) = self.postgres {
            let mut conn = PgConnection::connect(&admin).await?;
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await?;
        }
        Ok(())
    }
}

/// A new database on the cluster of `admin`: its URL and name.
async fn fresh_database(admin: &str, kind: Kind) -> anyhow::Result<(String, String)> {
    let name = format!("orderdesk_bench_{}_{}", std::process::id(), kind as u8);
    let mut conn = PgConnection::connect(admin)
        .await
        .with_context(|| format!("cannot connect to ORDERDESK_TEST_POSTGRES ({admin})"))?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await?;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    conn.close().await?;
    Ok((with_database(admin, &name)?, name))
}

/// `admin` with its database (the URL's path) replaced by `name`.
fn with_database(admin: &str, name: &str) -> anyhow::Result<String> {
    let Some(scheme_end) = admin.find("://") else {
        bail!("ORDERDESK_TEST_POSTGRES ({admin}) is not a postgres:// URL");
    };
    let rest = &admin[scheme_end + 3..];
    let query = rest.find('?').map_or("", |q| &rest[q..]);
    let authority = rest[..rest.len() - query.len()]
        .split('/')
        .next()
        .unwrap_or("");
    Ok(format!(
        "{}{authority}/{name}{query}",
        &admin[..scheme_end + 3]
    ))
}
