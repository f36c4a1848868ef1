//! Web Push: the shared VAPID key, the browsers' subscriptions and the
//! outbox of pushes.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn};

/// The key every instance uses: `candidate` is stored when none is yet, and
/// the stored one is returned either way, so instances starting together
/// agree on one.
pub async fn shared_vapid_key(
    conn: &mut Conn,
    candidate: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    query(
        "INSERT INTO vapid_keys (id, private_key, created_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(candidate)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query_scalar("SELECT private_key FROM vapid_keys WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// A browser's subscription as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub lang: &'a str,
}

/// Keeps a subscription, replacing the one of the same endpoint. An
/// endpoint another user had is taken from them with whatever was still
/// waiting for it, so nothing of theirs reaches this user's browser.
pub async fn save_push_subscription(
    conn: &mut Conn,
    sub: &NewSubscription<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id <> $2")
        .bind(sub.endpoint)
        .bind(sub.user_id)
        .execute(&mut *conn)
        .await?;
    query(
        "INSERT INTO push_subscriptions (user_id, token_hash, endpoint, p256dh, auth, lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (endpoint) DO UPDATE SET token_hash = excluded.token_hash,
            p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang",
    )
    .bind(sub.user_id)
    .bind(sub.token_hash)
    .bind(sub.endpoint)
    .bind(sub.p256dh)
    .bind(sub.auth)
    .bind(sub.lang)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a user's subscription; `false` when they had none there.
pub async fn delete_push_subscription(
    conn: &mut Conn,
    user_id: i64,
    endpoint: &str,
) -> Result<bool, sqlx::Error> {
    let done = query("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
        .bind(user_id)
        .bind(endpoint)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets a subscription the push service no longer knows.
pub async fn drop_push_subscription(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    query("DELETE FROM push_subscriptions WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// `(subscription id, language)` of a user's subscriptions made with a
/// token still valid at `now`.
pub async fn push_targets(
    conn: &mut Conn,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    query_as(
        "SELECT s.id, s.lang FROM push_subscriptions s
         JOIN tokens t ON t.token_hash = s.token_hash
         WHERE s.user_id = $1 AND t.expires_at > $2 ORDER BY s.id",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

pub async fn insert_push(
    conn: &mut Conn,
    subscription_id: i64,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO outbox_pushes (subscription_id, payload, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, 0, $3, $3)",
    )
    .bind(subscription_id)
    .bind(payload)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A push due for delivery, with where it goes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushRow {
    pub id: i64,
    pub subscription_id: i64,
    pub payload: String,
    pub attempts: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Whether any push is due at `now`: a read, so that the rounds run after
/// every change take no lock while nothing waits.
pub async fn pushes_due(conn: &mut Conn, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let due: Option<i64> =
        query_scalar("SELECT id FROM outbox_pushes WHERE next_attempt_at <= $1 LIMIT 1")
            .bind(now)
            .fetch_optional(conn)
            .await?;
    Ok(due.is_some())
}

/// Takes up to `limit` pushes due at `now`, oldest first, and puts them out
/// of reach until `lease_until`: a round that dies while sending leaves
/// them to a later round instead of losing them.
pub async fn claim_pushes(
    conn: &mut Conn,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<PushRow>, sqlx::Error> {
    let rows: Vec<PushRow> = query_as(
        "SELECT p.id, p.subscription_id, p.payload, p.attempts, s.endpoint, s.p256dh, s.auth
         FROM outbox_pushes p JOIN push_subscriptions s ON s.id = p.subscription_id
         WHERE p.next_attempt_at <= $1 ORDER BY p.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        query("UPDATE outbox_pushes SET next_attempt_at = $1 WHERE id = $2")
            .bind(lease_until)
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows)
}

/// A push delivered, or given up.
pub async fn delete_push(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    query("DELETE FROM outbox_pushes WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A push to try again at `at`, after `attempts` tries.
pub async fn retry_push(
    conn: &mut Conn,
    id: i64,
    attempts: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query("UPDATE outbox_pushes SET attempts = $1, next_attempt_at = $2 WHERE id = $3")
        .bind(attempts)
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
