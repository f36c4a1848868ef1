//! PostgreSQL databases for tests that run several server instances on one
//! database: each test gets a fresh database on the throw-away cluster that
//! `cargo xtask test` starts and names in `ORDERDESK_TEST_POSTGRES` (its admin
//! URL, e.g. `postgres://orderdesk@127.0.0.1:PORT/postgres`).

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The variable naming the cluster's admin database.
pub const CLUSTER_VAR: &str = "ORDERDESK_TEST_POSTGRES";

/// A new, empty database on the test cluster, as a URL for `--database`;
/// `None` (with the reason printed) when no cluster is named, so a plain
/// `cargo test` on a machine without one skips instead of failing.
///
/// Panics when a cluster is named but does not create the database: that is
/// a broken test run, not a reason to skip.
pub async fn fresh_database() -> Option<String> {
    let Ok(admin) = std::env::var(CLUSTER_VAR) else {
        eprintln!(
            "skipped: {CLUSTER_VAR} is not set; `cargo xtask test` (or `cargo xtask \
             test-postgres`) starts a PostgreSQL cluster and sets it"
        );
        return None;
    };
    let name = unique_name();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {CLUSTER_VAR}={admin}: {e}"));
    // The name is ours ([a-z0-9_]), so it needs no quoting beyond this.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name} on {admin}: {e}"));
    let _ = conn.close().await;
    Some(database_url(&admin, &name))
}

/// `od_<pid>_<time>_<n>`: unique across the test processes of one run, and
/// across runs on a cluster someone keeps.
fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!(
        "od_{}_{millis}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The admin URL with its database replaced by `name`, keeping any query.
pub fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn the_database_of_an_admin_url_is_replaced_and_the_rest_kept() {
        assert_eq!(
            database_url("postgres://orderdesk@127.0.0.1:5433/postgres", "od_1"),
            "postgres://orderdesk@127.0.0.1:5433/od_1"
        );
        assert_eq!(
            database_url("postgresql://u:p@h:1/postgres?sslmode=disable", "x"),
            "postgresql://u:p@h:1/x?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h:1", "x"), "postgres://h:1/x");
    }
}
