//! Payments and refunds.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn, OrderRow, PaymentRow};

/// A movement of money to insert.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub order_id: i64,
    pub kind: &'a str,
    pub source: &'a str,
    pub status: &'a str,
    pub amount: i64,
    pub created_at: DateTime<Utc>,
    pub completes_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

pub async fn insert_payment(conn: &mut Conn, p: &NewPayment<'_>) -> Result<i64, sqlx::Error> {
    query_scalar(
        "INSERT INTO payments (order_id, kind, source, status, amount, created_at, completes_at,
            completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.order_id)
    .bind(p.kind)
    .bind(p.source)
    .bind(p.status)
    .bind(p.amount)
    .bind(p.created_at)
    .bind(p.completes_at)
    .bind(p.completed_at)
    .fetch_one(conn)
    .await
}

pub async fn payments_of(conn: &mut Conn, order_id: i64) -> Result<Vec<PaymentRow>, sqlx::Error> {
    query_as("SELECT * FROM payments WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(conn)
        .await
}

pub async fn payment(conn: &mut Conn, id: i64) -> Result<Option<PaymentRow>, sqlx::Error> {
    query_as("SELECT * FROM payments WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Pending refunds the provider will have completed by `now`.
pub async fn refunds_due(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    query_as(
        "SELECT * FROM payments WHERE kind = 'refund' AND status = 'pending'
           AND completes_at IS NOT NULL AND completes_at <= $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Counts a refund just asked for as on its way back (`orders.refunding`).
pub async fn add_refunding(conn: &mut Conn, order_id: i64, amount: i64) -> Result<(), sqlx::Error> {
    query("UPDATE orders SET refunding = refunding + $1 WHERE id = $2")
        .bind(amount)
        .bind(order_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Pending refunds of an order that are not `except`.
pub async fn other_pending_refunds(
    conn: &mut Conn,
    order_id: i64,
    except: i64,
) -> Result<i64, sqlx::Error> {
    query_scalar(
        "SELECT COUNT(*) FROM payments WHERE order_id = $1 AND kind = 'refund'
           AND status = 'pending' AND id <> $2",
    )
    .bind(order_id)
    .bind(except)
    .fetch_one(conn)
    .await
}

pub async fn complete_payment(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query("UPDATE payments SET status = 'completed', completed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn order_by_payment_token(
    conn: &mut Conn,
    token: &str,
) -> Result<Option<OrderRow>, sqlx::Error> {
    query_as("SELECT * FROM orders WHERE payment_token = $1")
        .bind(token)
        .fetch_optional(conn)
        .await
}

/// Remembers a webhook event; `false` when it was seen before.
pub async fn remember_webhook_event(
    conn: &mut Conn,
    event_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let inserted = query(
        "INSERT INTO webhook_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
