//! Chat messages and in-app notifications.

use chrono::{DateTime, Utc};

use super::{Conn, MessageRow, NotificationRow};

pub async fn insert_message(
    conn: &mut Conn,
    order_id: i64,
    author_id: Option<i64>,
    visibility: &str,
    system: bool,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO messages (order_id, author_id, visibility, system, text, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(order_id)
    .bind(author_id)
    .bind(visibility)
    .bind(system)
    .bind(text)
    .bind(now)
    .execute(conn)
    .await?
    .last_insert_rowid())
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
    Ok(sqlx::query(
        "INSERT INTO messages (order_id, author_id, visibility, system, text, note, created_at)
         VALUES (?, NULL, 'public', 1, ?, ?, ?)",
    )
    .bind(order_id)
    .bind(text)
    .bind(note)
    .bind(now)
    .execute(conn)
    .await?
    .last_insert_rowid())
}

/// An order's messages in time order (ids break ties), oldest first;
/// internal ones only when asked for. Ids alone are not time order: the demo
/// and a gateway payment may write a message dated before earlier rows.
pub async fn messages_of(
    conn: &mut Conn,
    order_id: i64,
    with_internal: bool,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.order_id = ? AND (m.visibility = 'public' OR ?)
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
    sqlx::query(
        "INSERT INTO notifications (user_id, order_id, event, created_at) VALUES (?, ?, ?, ?)",
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
    sqlx::query_as(
        "SELECT n.*, o.number AS order_number FROM notifications n JOIN orders o ON o.id = n.order_id
         WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?",
    )
        .bind(user_id)
        .bind(limit)
        .fetch_all(conn)
        .await
}
