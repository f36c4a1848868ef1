//! Chat messages and in-app notifications.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn, MessageRow, NotificationRow};

pub async fn insert_message(
    conn: &mut Conn,
    order_id: i64,
    author_id: Option<i64>,
    visibility: &str,
    system: bool,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    query_scalar(
        "INSERT INTO messages (order_id, author_id, visibility, system, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(order_id)
    .bind(author_id)
    .bind(visibility)
    .bind(system)
    .bind(text)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// A system message of the public chat: its note as JSON, and its Russian
/// text for readers that know no notes.
pub async fn insert_system_note(
    conn: &mut Conn,
    order_id: i64,
    note: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    query_scalar(
        "INSERT INTO messages (order_id, author_id, visibility, system, text, note, created_at)
         VALUES ($1, NULL, 'public', TRUE, $2, $3, $4) RETURNING id",
    )
    .bind(order_id)
    .bind(text)
    .bind(note)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// An order's messages in time order (ids break ties), oldest first;
/// internal ones only when asked for. Ids alone are not time order: the demo
/// and a gateway payment may write a message dated before earlier rows.
pub async fn messages_of(
    conn: &mut Conn,
    order_id: i64,
    with_internal: bool,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    query_as(
        "SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.order_id = $1 AND (m.visibility = 'public' OR $2)
         ORDER BY m.created_at, m.id",
    )
    .bind(order_id)
    .bind(with_internal)
    .fetch_all(conn)
    .await
}

pub async fn insert_notification(
    conn: &mut Conn,
    user_id: i64,
    order_id: i64,
    event: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO notifications (user_id, order_id, event, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(order_id)
    .bind(event)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A user's notifications, newest first.
pub async fn notifications_of(
    conn: &mut Conn,
    user_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    query_as(
        "SELECT n.*, o.number AS order_number FROM notifications n JOIN orders o ON o.id = n.order_id
         WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
    )
        .bind(user_id)
        .bind(limit)
        .fetch_all(conn)
        .await
}
