//! The database a test's server runs on, chosen by `ORDERDESK_TEST_ENGINE`:
//! the SQLite file `orders.db` in the test's directory, or a PostgreSQL
//! database of its own on the cluster of `ORDERDESK_TEST_POSTGRES`.
//!
//! A PostgreSQL database belongs to a test directory: its URL is kept in a
//! file in that directory, so that a server opened again over the same
//! directory (the restart tests) finds the same data, as it would find the
//! same SQLite file.

use orderdesk_server::Config;
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// `postgres` selects PostgreSQL; anything else (or nothing) SQLite.
const ENGINE_VAR: &str = "ORDERDESK_TEST_ENGINE";

/// The admin URL of the cluster the PostgreSQL databases are created on.
const CLUSTER_VAR: &str = "ORDERDESK_TEST_POSTGRES";

/// Where, in a test directory, the URL of its PostgreSQL database is kept.
const URL_FILE: &str = "postgres-database";

/// Whether this run's servers use PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(ENGINE_VAR).is_ok_and(|engine| engine == "postgres")
}

/// `true` (saying so) when this run is on PostgreSQL and the test, or the
/// part of it that calls this, checks something only the SQLite file has.
pub fn sqlite_only(reason: &str) -> bool {
    let skip = on_postgres();
    if skip {
        eprintln!("skipped on PostgreSQL: {reason}");
    }
    skip
}

/// A test's database.
#[derive(Clone, Debug)]
pub enum TestDatabase {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

/// The database of the test directory `dir`, created on the cluster the
/// first time it is asked for when the run is on PostgreSQL.
pub async fn database_in(dir: &Path) -> TestDatabase {
    if !on_postgres() {
        return TestDatabase::File(dir.join("orders.db"));
    }
    let kept = dir.join(URL_FILE);
    if let Ok(url) = std::fs::read_to_string(&kept) {
        return TestDatabase::Postgres(url);
    }
    let url = create_database().await;
    std::fs::write(&kept, &url).unwrap_or_else(|e| panic!("cannot write {}: {e}", kept.display()));
    TestDatabase::Postgres(url)
}

impl TestDatabase {
    /// What `orderdesk-server --database` takes: the file or the URL.
    pub fn arg(&self) -> String {
        match self {
            TestDatabase::File(path) => path.display().to_string(),
            TestDatabase::Postgres(url) => url.clone(),
        }
    }

    /// The server's defaults over this database.
    pub fn server_config(&self) -> Config {
        match self {
            TestDatabase::File(path) => Config::new(path.as_path()),
            TestDatabase::Postgres(url) => {
                Config::new(orderdesk_server::Database::Postgres(url.clone()))
            }
        }
    }

    /// The rows of `table` (a plain identifier), counted from outside.
    pub async fn count(&self, table: &str) -> i64 {
        assert!(
            !table.is_empty() && table.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "a table name, not SQL: {table}"
        );
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let count = match self {
            TestDatabase::File(_) => {
                let mut conn = self.sqlite().await;
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .fetch_one(&mut conn)
                    .await
            }
            TestDatabase::Postgres(_) => {
                let mut conn = self.postgres().await;
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .fetch_one(&mut conn)
                    .await
            }
        };
        count.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs `sql`, one or more statements in the engine's own dialect.
    pub async fn execute(&self, sql: &str) {
        let done = match self {
            TestDatabase::File(_) => {
                let mut conn = self.sqlite().await;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
            }
            TestDatabase::Postgres(_) => {
                let mut conn = self.postgres().await;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
            }
        };
        done.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    async fn sqlite(&self) -> SqliteConnection {
        let TestDatabase::File(path) = self else {
            unreachable!("an SQLite connection to a PostgreSQL database")
        };
        // The server holds the file open too (WAL): wait for its writes.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(std::time::Duration::from_secs(10));
        SqliteConnection::connect_with(&options)
            .await
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
    }

    async fn postgres(&self) -> PgConnection {
        let TestDatabase::Postgres(url) = self else {
            unreachable!("a PostgreSQL connection to an SQLite file")
        };
        PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
    }
}

/// A new, empty database on the cluster; its URL.
async fn create_database() -> String {
    let admin = std::env::var(CLUSTER_VAR).unwrap_or_else(|_| {
        panic!(
            "{ENGINE_VAR}=postgres needs {CLUSTER_VAR}, the admin URL of a cluster to \
             create databases on: run `cargo xtask test-postgres`, which starts one"
        )
    });
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    // Unique across the test processes of a run: [a-z0-9_], no quoting.
    let name = format!(
        "server_{}_{millis}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {CLUSTER_VAR}={admin}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = conn.close().await;
    with_database(&admin, &name)
}

/// The admin URL with its database replaced by `name`, keeping any query.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    format!("{root}/{name}{query}")
}
