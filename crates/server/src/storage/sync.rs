//! Offline sync: changed orders after a log position, and the remembered
//! answers to pushed mutations.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Builder, Conn};

/// Orders whose latest change is after `cursor`, in log order: `(order id,
/// log position)`, at most `limit`.
pub async fn changed_since(
    conn: &mut Conn,
    cursor: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    query_as("SELECT order_id, seq FROM sync_heads WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(cursor)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// The change log position of the latest change, 0 when there is none.
pub async fn last_change(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(conn)
        .await
}

/// Which of the orders `ids` the user once could see and then lost sight
/// of (see the `scope_exits` table): the only ones a pull may send a
/// tombstone for; each with the role the user had then, when recorded.
pub async fn scope_exits(
    conn: &mut Conn,
    user_id: i64,
    ids: &[i64],
) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = with_ids(
        "SELECT order_id, role FROM scope_exits WHERE order_id",
        ids,
        "AND user_id = ",
    );
    q.push_bind(user_id);
    q.build_query_as().fetch_all(conn).await
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
    query_as(
        "SELECT result, version, code, message FROM sync_mutations
         WHERE user_id = $1 AND client_id = $2",
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
    let done = query(
        "INSERT INTO sync_mutations
            (user_id, client_id, order_number, result, version, code, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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

/// Everything a pull page shows of its orders, read with one query per
/// table instead of several per order.
#[derive(Debug, Default)]
pub struct PageRows {
    pub orders: Vec<super::OrderRow>,
    pub lines: Vec<super::LineRow>,
    pub payments: Vec<super::PaymentRow>,
    /// Public and internal alike; the caller drops what the user may not read.
    pub messages: Vec<super::MessageRow>,
    /// `(service id, user id)`, ordered by both.
    pub responsible: Vec<(i64, i64)>,
    pub services: Vec<super::ServiceRow>,
    pub resources: Vec<super::ResourceRow>,
}

/// `SELECT … WHERE <column> IN (ids) <tail>` as a query builder.
pub(super) fn with_ids<'a>(head: &str, ids: &'a [i64], tail: &str) -> Builder<'a> {
    let mut q = Builder::new(head);
    q.push(" IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(") ");
    q.push(tail);
    q
}

/// Loads the rows of the orders `ids` (a page: at most a thousand or so) and
/// of everything they refer to. With `side`, the lines, payments and chats
/// are read on it at the same time as the orders on `conn`. Its snapshot
/// starts later than `conn`'s, so it can only be newer: anything newer has
/// a later change and comes again with a later page.
pub async fn page_rows(
    conn: &mut Conn,
    side: Option<&mut Conn>,
    ids: &[i64],
) -> Result<PageRows, sqlx::Error> {
    if ids.is_empty() {
        return Ok(PageRows::default());
    }
    match side {
        Some(side) => {
            let (mut rows, extras) =
                tokio::try_join!(page_orders(conn, ids), page_extras(side, ids))?;
            (rows.lines, rows.payments, rows.messages) = extras;
            Ok(rows)
        }
        None => {
            let mut rows = page_orders(&mut *conn, ids).await?;
            (rows.lines, rows.payments, rows.messages) = page_extras(conn, ids).await?;
            Ok(rows)
        }
    }
}

/// The orders of a page and the services, people responsible and objects
/// they name.
async fn page_orders(conn: &mut Conn, ids: &[i64]) -> Result<PageRows, sqlx::Error> {
    let orders = with_ids("SELECT * FROM orders WHERE id", ids, "")
        .build_query_as()
        .fetch_all(&mut *conn)
        .await?;
    let responsible = query_as(
        "SELECT service_id, user_id FROM service_responsible ORDER BY service_id, user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let services = super::services(&mut *conn).await?;
    let resources = super::resources(&mut *conn).await?;
    Ok(PageRows {
        orders,
        responsible,
        services,
        resources,
        ..PageRows::default()
    })
}

type Extras = (
    Vec<super::LineRow>,
    Vec<super::PaymentRow>,
    Vec<super::MessageRow>,
);

/// The lines, payments and chat messages of a page's orders.
async fn page_extras(conn: &mut Conn, ids: &[i64]) -> Result<Extras, sqlx::Error> {
    let lines = with_ids(
        "SELECT * FROM order_lines WHERE order_id",
        ids,
        "ORDER BY order_id, line",
    )
    .build_query_as()
    .fetch_all(&mut *conn)
    .await?;
    let payments = with_ids(
        "SELECT * FROM payments WHERE order_id",
        ids,
        "ORDER BY order_id, id",
    )
    .build_query_as()
    .fetch_all(&mut *conn)
    .await?;
    let messages = with_ids(
        "SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.order_id",
        ids,
        "ORDER BY m.order_id, m.created_at, m.id",
    )
    .build_query_as()
    .fetch_all(&mut *conn)
    .await?;
    Ok((lines, payments, messages))
}

/// Writes the notices one change raised: `(recipient, event id)` each;
/// returns their ids, in the same order.
pub async fn insert_notices(
    conn: &mut Conn,
    order_id: i64,
    seq: i64,
    notices: &[(i64, &str)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(notices.len());
    for (user_id, event) in notices {
        let id = query_scalar(
            "INSERT INTO notices (user_id, order_id, event, seq, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(*user_id)
        .bind(order_id)
        .bind(*event)
        .bind(seq)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// A notice as a pull hands it out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub order_number: i64,
    pub order_title: String,
    pub event: String,
    pub seq: i64,
}

/// A user's notices raised by changes after `after` up to `upto`, oldest first.
pub async fn notices_between(
    conn: &mut Conn,
    user_id: i64,
    after: i64,
    upto: i64,
) -> Result<Vec<NoticeRow>, sqlx::Error> {
    query_as(
        "SELECT n.id, o.number AS order_number, o.title AS order_title, n.event, n.seq
         FROM notices n JOIN orders o ON o.id = n.order_id
         WHERE n.user_id = $1 AND n.seq > $2 AND n.seq <= $3 ORDER BY n.seq, n.id",
    )
    .bind(user_id)
    .bind(after)
    .bind(upto)
    .fetch_all(conn)
    .await
}

/// What a change told the user, if anything (the first notice of it).
pub async fn notice_event_at(
    conn: &mut Conn,
    user_id: i64,
    seq: i64,
) -> Result<Option<String>, sqlx::Error> {
    query_scalar("SELECT event FROM notices WHERE user_id = $1 AND seq = $2 ORDER BY id LIMIT 1")
        .bind(user_id)
        .bind(seq)
        .fetch_optional(conn)
        .await
}

/// Change log entries after `seq`, oldest first, as
/// `(seq, order number, version)`.
pub async fn changes_after(
    conn: &mut Conn,
    seq: i64,
    limit: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    query_as(
        "SELECT c.seq, o.number, c.version FROM changes c JOIN orders o ON o.id = c.order_id
         WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(conn)
    .await
}
