//! An order's history and the canned replies of a service.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn, HistoryRow};

pub async fn insert_history(
    conn: &mut Conn,
    order_id: i64,
    actor_id: Option<i64>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO order_history (order_id, actor_id, note, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(order_id)
    .bind(actor_id)
    .bind(note)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An order's history, oldest first, with the names of who acted.
pub async fn history_of(conn: &mut Conn, order_id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    query_as(
        "SELECT h.order_id, h.actor_id, u.name AS actor_name, h.note, h.created_at
         FROM order_history h LEFT JOIN users u ON u.id = h.actor_id
         WHERE h.order_id = $1 ORDER BY h.created_at, h.id",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
}

/// A service's canned replies, in the order offered.
pub async fn replies_of(conn: &mut Conn, service_id: i64) -> Result<Vec<String>, sqlx::Error> {
    query_scalar("SELECT text FROM canned_replies WHERE service_id = $1 ORDER BY position")
        .bind(service_id)
        .fetch_all(conn)
        .await
}

/// Replaces a service's canned replies with `replies`, in their order.
pub async fn set_replies(
    conn: &mut Conn,
    service_id: i64,
    replies: &[String],
) -> Result<(), sqlx::Error> {
    query("DELETE FROM canned_replies WHERE service_id = $1")
        .bind(service_id)
        .execute(&mut *conn)
        .await?;
    for (position, text) in replies.iter().enumerate() {
        query("INSERT INTO canned_replies (service_id, position, text) VALUES ($1, $2, $3)")
            .bind(service_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(text)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The histories of the orders `ids` in one query, each oldest first.
pub async fn history_of_orders(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    super::sync::with_ids(
        "SELECT h.order_id, h.actor_id, u.name AS actor_name, h.note, h.created_at
         FROM order_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.order_id",
        ids,
        "ORDER BY h.order_id, h.created_at, h.id",
    )
    .build_query_as()
    .fetch_all(conn)
    .await
}

/// The canned replies of the services `ids` in one query, as
/// `(service id, text)` in the order offered.
pub async fn replies_of_services(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    super::sync::with_ids(
        "SELECT service_id, text FROM canned_replies WHERE service_id",
        ids,
        "ORDER BY service_id, position",
    )
    .build_query_as()
    .fetch_all(conn)
    .await
}
