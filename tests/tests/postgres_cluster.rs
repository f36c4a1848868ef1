//! The test cluster `cargo xtask test` starts: every test gets a database
//! of its own there, with the extensions the server's PostgreSQL schema
//! needs (btree_gist for the no-overlap constraints, pg_trgm for search),
//! in UTF-8 so Cyrillic text compares and folds as it should.

use orderdesk_e2e::postgres::fresh_database;
use sqlx::{Connection, PgConnection};

#[tokio::test]
async fn a_fresh_database_is_empty_its_own_and_has_the_extensions_the_schema_needs() {
    let Some(url) = fresh_database().await else {
        return;
    };
    let Some(other) = fresh_database().await else {
        return;
    };
    assert_ne!(url, other, "each call gives a database of its own");
    let mut conn = PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("a count");
    assert_eq!(tables, 0, "a fresh database is empty");
    for extension in ["btree_gist", "pg_trgm"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE EXTENSION IF NOT EXISTS {extension}"
        )))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("CREATE EXTENSION {extension}: {e}"));
    }
    let upper: String = sqlx::query_scalar("SELECT upper('уборка')")
        .fetch_one(&mut conn)
        .await
        .expect("upper()");
    assert_eq!(upper, "УБОРКА");
}
