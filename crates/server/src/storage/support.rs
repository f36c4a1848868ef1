//! Bookkeeping beside the orders: idempotency keys and the e-mail outbox.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn, EmailRow};

/// The request an `Idempotency-Key` was used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    pub method: String,
    pub path: String,
    /// A digest of the whole request; `None` for keys stored before
    /// requests were fingerprinted.
    pub fingerprint: Option<String>,
}

/// What is known about an `Idempotency-Key` when a request arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// First use: the key is now reserved for this request.
    Reserved,
    /// The first request, this one, is still running.
    InFlight(KeyUse),
    /// Answered before: replay this if the request is the same.
    Answered {
        first: KeyUse,
        status: u16,
        body: Vec<u8>,
    },
}

/// Reserves `key` for the request `now_use`, or tells what it was used for.
pub async fn reserve_key(
    conn: &mut Conn,
    user_id: i64,
    key: &str,
    now_use: &KeyUse,
    now: DateTime<Utc>,
) -> Result<KeyState, sqlx::Error> {
    let inserted = query(
        "INSERT INTO idempotency (user_id, key, method, path, fingerprint, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(&now_use.method)
    .bind(&now_use.path)
    .bind(&now_use.fingerprint)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(KeyState::Reserved);
    }
    let (method, path, fingerprint, status, body): KeyRow = query_as(
        "SELECT method, path, fingerprint, status, body FROM idempotency
         WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    let first = KeyUse {
        method,
        path,
        fingerprint,
    };
    if let Some(status) = status {
        return Ok(KeyState::Answered {
            first,
            status: u16::try_from(status).unwrap_or(500),
            body: body.unwrap_or_default(),
        });
    }
    // A reservation left unanswered for long belongs to a request the
    // server stopped answering (it was shut down mid-way). A retry of that
    // same request runs again rather than waiting forever; a change that
    // did commit is caught by the order's version and the rules. Another
    // request under the key does not take it over.
    let taken_over = query(
        "UPDATE idempotency SET created_at = $1, fingerprint = $2
         WHERE user_id = $3 AND key = $4 AND status IS NULL AND created_at < $5
           AND method = $6 AND path = $7 AND (fingerprint IS NULL OR fingerprint = $8)",
    )
    .bind(now)
    .bind(&now_use.fingerprint)
    .bind(user_id)
    .bind(key)
    .bind(now - chrono::Duration::minutes(2))
    .bind(&now_use.method)
    .bind(&now_use.path)
    .bind(&now_use.fingerprint)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(if taken_over == 1 {
        KeyState::Reserved
    } else {
        KeyState::InFlight(first)
    })
}

/// `(method, path, fingerprint, status, body)` of a stored key.
type KeyRow = (String, String, Option<String>, Option<i64>, Option<Vec<u8>>);

pub async fn store_answer(
    conn: &mut Conn,
    user_id: i64,
    key: &str,
    status: u16,
    body: &[u8],
) -> Result<(), sqlx::Error> {
    query("UPDATE idempotency SET status = $1, body = $2 WHERE user_id = $3 AND key = $4")
        .bind(i64::from(status))
        .bind(body)
        .bind(user_id)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a reservation whose request failed on the server's side, so the
/// client may retry with the same key.
pub async fn release_key(conn: &mut Conn, user_id: i64, key: &str) -> Result<(), sqlx::Error> {
    query("DELETE FROM idempotency WHERE user_id = $1 AND key = $2")
        .bind(user_id)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_email(
    conn: &mut Conn,
    order_id: i64,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO outbox_emails (order_id, to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every e-mail in the outbox, oldest first.
pub async fn outbox_emails(conn: &mut Conn) -> Result<Vec<EmailRow>, sqlx::Error> {
    query_as("SELECT * FROM outbox_emails ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn unsent_emails(conn: &mut Conn, limit: i64) -> Result<Vec<EmailRow>, sqlx::Error> {
    query_as("SELECT * FROM outbox_emails WHERE sent_at IS NULL ORDER BY id LIMIT $1")
        .bind(limit)
        .fetch_all(conn)
        .await
}

pub async fn mark_email_sent(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query("UPDATE outbox_emails SET sent_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Rows in a table, for tests that check nothing changed.
pub async fn count_rows(conn: &mut Conn, table: &str) -> Result<i64, sqlx::Error> {
    let allowed = [
        "orders",
        "order_lines",
        "payments",
        "messages",
        "slot_holds",
        "capacity_holds",
        "changes",
        "notifications",
        "outbox_emails",
        "tokens",
    ];
    if !allowed.contains(&table) {
        return Err(sqlx::Error::Protocol(format!("unknown table {table}")));
    }
    query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(conn)
        .await
}
