//! Offline sync: changed orders after a log position, and the remembered
//! answers to pushed mutations.

use chrono::{DateTime, Utc};

use super::Conn;

/// Orders whose latest change is after `cursor`, in log order: `(order id,
/// log position)`, at most `limit`.
pub async fn changed_since(
    conn: &mut Conn,
    cursor: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT order_id, seq FROM sync_heads WHERE seq > ? ORDER BY seq LIMIT ?")
        .bind(cursor)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// The change log position of the latest change, 0 when there is none.
pub async fn last_change(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(conn)
        .await
}

/// The remembered answer to a pushed mutation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncMutationRow {
    pub result: String,
    pub version: Option<i64>,
    pub code: Option<String>,
    pub message: Option<String>,
}

pub async fn sync_mutation(
    conn: &mut Conn,
    user_id: i64,
    client_id: &str,
) -> Result<Option<SyncMutationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT result, version, code, message FROM sync_mutations
         WHERE user_id = ? AND client_id = ?",
    )
    .bind(user_id)
    .bind(client_id)
    .fetch_optional(conn)
    .await
}

/// Remembers an answer. `false` when the mutation already had one: the
/// caller's transaction must then not commit.
pub async fn remember_sync_mutation(
    conn: &mut Conn,
    user_id: i64,
    client_id: &str,
    order_number: i64,
    answer: &SyncMutationRow,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO sync_mutations
            (user_id, client_id, order_number, result, version, code, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, client_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(order_number)
    .bind(&answer.result)
    .bind(answer.version)
    .bind(&answer.code)
    .bind(&answer.message)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
