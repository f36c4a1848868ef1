//! The durable outbox of actions taken on this device, the conflicts the
//! server answered with, and the ledger of notifications already raised.

use chrono::Utc;
use orderdesk_domain::OrderNumber;
use orderdesk_protocol::{Mutation, MutationId, MutationOp};
use rusqlite::{params, Connection, Transaction};
use std::collections::HashSet;

use crate::error::CoreResult;
use orderdesk_protocol::ipc::Notification;
use orderdesk_protocol::ipc::{Conflict, ConflictId};

/// One queued action.
#[derive(Debug, Clone)]
pub(crate) struct OutboxEntry {
    pub(crate) seq: i64,
    pub(crate) mutation: Mutation,
    /// RFC 3339, when the action was taken.
    pub(crate) created_at: String,
}

pub(crate) fn enqueue(tx: &Transaction<'_>, mutation: &Mutation) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO outbox (client_id, order_number, base_version, op_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            mutation.client_id.0,
            mutation.order.0,
            mutation.base_version,
            serde_json::to_string(&mutation.op)?,
            Utc::now().to_rfc3339(),
        ],
    )?;
    Ok(())
}

fn read_entries(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> CoreResult<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, client_id, order, base_version, op, created_at) = row?;
        let op: MutationOp = serde_json::from_str(&op)?;
        out.push(OutboxEntry {
            seq,
            mutation: Mutation {
                client_id: MutationId(client_id),
                order: OrderNumber(order),
                base_version,
                op,
            },
            created_at,
        });
    }
    Ok(out)
}

/// The oldest `limit` queued actions, in the order they were taken.
pub(crate) fn pending(conn: &Connection, limit: u32) -> CoreResult<Vec<OutboxEntry>> {
    read_entries(
        conn,
        "SELECT seq, client_id, order_number, base_version, op_json, created_at FROM outbox
         ORDER BY seq LIMIT ?1",
        [limit],
    )
}

/// Queued actions of one order, in order.
pub(crate) fn pending_for(conn: &Connection, order: OrderNumber) -> CoreResult<Vec<OutboxEntry>> {
    read_entries(
        conn,
        "SELECT seq, client_id, order_number, base_version, op_json, created_at FROM outbox
         WHERE order_number = ?1 ORDER BY seq",
        [order.0],
    )
}

/// The orders that have queued actions.
pub(crate) fn orders_waiting(conn: &Connection) -> CoreResult<HashSet<OrderNumber>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT order_number FROM outbox")?;
    let rows = stmt.query_map([], |row| row.get::<_, i64>(0))?;
    let mut out = HashSet::new();
    for number in rows {
        out.insert(OrderNumber(number?));
    }
    Ok(out)
}

pub(crate) fn count(conn: &Connection) -> CoreResult<u32> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM outbox", [], |row| row.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Removes an answered action. Later actions of the same order that were
/// based on the same server version were made on top of it: once it is
/// applied they are based on the version it produced.
pub(crate) fn settle(
    tx: &Transaction<'_>,
    entry: &OutboxEntry,
    applied_version: Option<i64>,
) -> CoreResult<()> {
    tx.execute(
        "DELETE FROM outbox WHERE client_id = ?1",
        [&entry.mutation.client_id.0],
    )?;
    if let Some(version) = applied_version {
        tx.execute(
            "UPDATE outbox SET base_version = ?1
             WHERE order_number = ?2 AND base_version = ?3 AND seq > ?4",
            params![
                version,
                entry.mutation.order.0,
                entry.mutation.base_version,
                entry.seq
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn note_attempt(conn: &Connection, entries: &[OutboxEntry]) -> CoreResult<()> {
    let mut stmt =
        conn.prepare_cached("UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?1")?;
    for entry in entries {
        stmt.execute([entry.seq])?;
    }
    Ok(())
}

/// Records why the server refused an action; once per action.
pub(crate) fn record_conflict(
    tx: &Transaction<'_>,
    entry: &OutboxEntry,
    action: &str,
    code: &str,
    message: &str,
) -> CoreResult<()> {
    tx.execute(
        "INSERT OR IGNORE INTO conflicts (client_id, order_number, action, code, message, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.mutation.client_id.0,
            entry.mutation.order.0,
            action,
            code,
            message,
            Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}

/// Conflicts not yet dismissed, newest first.
pub(crate) fn conflicts(
    conn: &Connection,
    order: Option<OrderNumber>,
) -> CoreResult<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, order_number, action, code, message, created_at FROM conflicts
         WHERE dismissed = 0 AND (?1 IS NULL OR order_number = ?1) ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([order.map(|o| o.0)], |row| {
        Ok(Conflict {
            id: ConflictId(row.get(0)?),
            order: OrderNumber(row.get(1)?),
            action: row.get(2)?,
            code: row.get(3)?,
            message: row.get(4)?,
            at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn dismiss_conflict(conn: &Connection, id: ConflictId) -> CoreResult<()> {
    conn.execute("UPDATE conflicts SET dismissed = 1 WHERE id = ?1", [id.0])?;
    Ok(())
}

/// Decides a notification once: `false` when its key was seen before.
pub(crate) fn record_notice(tx: &Transaction<'_>, notice: &Notification) -> CoreResult<bool> {
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO notices (key, order_number, json, raised_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            notice.key,
            notice.order.0,
            serde_json::to_string(notice)?,
            Utc::now().to_rfc3339(),
        ])?;
    Ok(inserted == 1)
}

/// A notice as kept, with the title of its order as the cache has it now
/// (the notification's body names it).
pub(crate) struct KeptNotice {
    pub(crate) notification: Notification,
    pub(crate) order_title: Option<String>,
}

const KEPT_NOTICE_SQL: &str =
    "SELECT n.json, n.read, n.raised_at, json_extract(o.summary_json, '$.title')
     FROM notices n LEFT JOIN orders o ON o.number = n.order_number";

fn kept_notices(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> CoreResult<Vec<KeptNotice>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, bool>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (json, read, at, order_title) = row?;
        let mut notification: Notification = serde_json::from_str(&json)?;
        notification.read = read;
        notification.at = at.and_then(|at| chrono::DateTime::parse_from_rfc3339(&at).ok());
        out.push(KeptNotice {
            notification,
            order_title,
        });
    }
    Ok(out)
}

/// Notices decided and not yet handed to the notifier, oldest first.
pub(crate) fn undelivered_notices(conn: &Connection) -> CoreResult<Vec<KeptNotice>> {
    let sql = format!("{KEPT_NOTICE_SQL} WHERE n.delivered = 0 ORDER BY n.rowid");
    kept_notices(conn, &sql, [])
}

/// The notification history, newest first, at most `limit`. Notices kept as
/// history before the first sync ended are not in it: the manager was never
/// told of them.
pub(crate) fn notice_history(conn: &Connection, limit: u32) -> CoreResult<Vec<KeptNotice>> {
    let sql =
        format!("{KEPT_NOTICE_SQL} WHERE n.raised_at IS NOT NULL ORDER BY n.rowid DESC LIMIT ?1");
    kept_notices(conn, &sql, [limit])
}

/// Notices of the history not read yet.
pub(crate) fn unread_notices(conn: &Connection) -> CoreResult<u32> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM notices WHERE read = 0 AND raised_at IS NOT NULL",
        [],
        |row| row.get(0),
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks one notice read, or every one when `key` is `None`.
pub(crate) fn mark_notices_read(conn: &Connection, key: Option<&str>) -> CoreResult<()> {
    conn.execute(
        "UPDATE notices SET read = 1 WHERE read = 0 AND (?1 IS NULL OR key = ?1)",
        [key],
    )?;
    Ok(())
}

pub(crate) fn mark_delivered(conn: &Connection, key: &str) -> CoreResult<()> {
    conn.execute("UPDATE notices SET delivered = 1 WHERE key = ?1", [key])?;
    Ok(())
}

/// A notice that came with the first sync: history the manager is not
/// told about, kept only so that it never comes up later.
pub(crate) fn mark_old(conn: &Connection, key: &str) -> CoreResult<()> {
    conn.execute(
        "UPDATE notices SET delivered = 1, read = 1, raised_at = NULL WHERE key = ?1",
        [key],
    )?;
    Ok(())
}
