//! The local SQLite cache: opening it (WAL, migrations), small values, and
//! the orders and chats the screens read. The outbox, conflicts and notices
//! are in [`crate::outbox`].
//!
//! Every write that belongs together runs in one transaction, so a process
//! killed at any point leaves the cache as it was before or after a step.

use orderdesk_domain::{OrderNumber, Status, UserId};
use orderdesk_protocol::{ChatMessage, OrderDetail, PayerInfo};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

use crate::error::CoreResult;
use crate::local;
use crate::view::{ListFilter, ListItem, OrderList, StatusCount};

/// Migrations in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_cache.sql"),
    include_str!("../migrations/0002_search.sql"),
];

/// The connection to the cache file.
pub(crate) struct Cache {
    pub(crate) conn: Connection,
}

impl Cache {
    /// Opens (creating when missing) the cache file and brings its schema up
    /// to date.
    pub(crate) fn open(path: &Path) -> CoreResult<Cache> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Cache { conn })
    }

    /// Forgets everything: orders, chats, outbox, conflicts, session.
    pub(crate) fn wipe(&mut self) -> CoreResult<()> {
        self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM orders; DELETE FROM messages; DELETE FROM outbox;
             DELETE FROM conflicts; DELETE FROM notices; DELETE FROM meta;
             COMMIT;",
        )?;
        Ok(())
    }
}

fn migrate(conn: &mut Connection) -> CoreResult<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= applied {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> CoreResult<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The server's copy and the local copy of a cached order.
pub(crate) struct CachedOrder {
    pub(crate) server: OrderDetail,
    pub(crate) local: OrderDetail,
}

pub(crate) fn load_order(
    conn: &Connection,
    number: OrderNumber,
) -> CoreResult<Option<CachedOrder>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT server_json, local_json FROM orders WHERE number = ?1",
            [number.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((server, local)) => Ok(Some(CachedOrder {
            server: serde_json::from_str(&server)?,
            local: serde_json::from_str(&local)?,
        })),
    }
}

/// Writes both copies of an order and its list columns.
pub(crate) fn store_order(
    tx: &Transaction<'_>,
    server: &OrderDetail,
    local: &OrderDetail,
) -> CoreResult<()> {
    let summary = local::summary(local);
    let server_json = serde_json::to_string(server)?;
    // Mostly the two copies are one: nothing of this device is pending.
    let local_json = if std::ptr::eq(server, local) {
        server_json.clone()
    } else {
        serde_json::to_string(local)?
    };
    tx.prepare_cached(
        "INSERT INTO orders (number, number_text, kind, status, search, server_status,
                             server_version, server_json, local_json, summary_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (number) DO UPDATE SET
            kind = excluded.kind, status = excluded.status, search = excluded.search,
            server_status = excluded.server_status, server_version = excluded.server_version,
            server_json = excluded.server_json, local_json = excluded.local_json,
            summary_json = excluded.summary_json",
    )?
    .execute(params![
        local.number.0,
        local.number.0.to_string(),
        local.kind.id(),
        local.status.id(),
        local::search_text(local),
        server.status.id(),
        server.version,
        server_json,
        local_json,
        serde_json::to_string(&summary)?,
    ])?;
    Ok(())
}

/// Drops an order that left the user's scope, with its chat.
pub(crate) fn delete_order(tx: &Transaction<'_>, number: OrderNumber) -> CoreResult<()> {
    tx.prepare_cached("DELETE FROM orders WHERE number = ?1")?
        .execute([number.0])?;
    tx.prepare_cached("DELETE FROM messages WHERE order_number = ?1")?
        .execute([number.0])?;
    Ok(())
}

/// Replaces the chat of an order with what the server sent.
pub(crate) fn replace_messages(
    tx: &Transaction<'_>,
    number: OrderNumber,
    messages: &[&ChatMessage],
) -> CoreResult<()> {
    tx.prepare_cached("DELETE FROM messages WHERE order_number = ?1")?
        .execute([number.0])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO messages (id, order_number, json) VALUES (?1, ?2, ?3)",
    )?;
    for message in messages {
        insert.execute(params![
            message.id.0,
            number.0,
            serde_json::to_string(message)?
        ])?;
    }
    Ok(())
}

pub(crate) fn messages(conn: &Connection, number: OrderNumber) -> CoreResult<Vec<ChatMessage>> {
    let mut stmt =
        conn.prepare_cached("SELECT json FROM messages WHERE order_number = ?1 ORDER BY id")?;
    let rows = stmt.query_map([number.0], |row| row.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    Ok(out)
}

/// Fewer characters than a trigram cannot use the search index.
const INDEXED_QUERY_CHARS: usize = 3;

/// The WHERE clause and its values for a list filter, and whether it
/// searches (so that a count must look at the matching orders).
fn filter_sql(filter: &ListFilter, with_status: bool) -> (String, Vec<String>, bool) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let (true, Some(status)) = (with_status, filter.status) {
        clauses.push("status = ?");
        values.push(status.id().to_owned());
    }
    if let Some(kind) = filter.kind {
        clauses.push("kind = ?");
        values.push(kind.id().to_owned());
    }
    let query = filter.query.as_deref().map(str::trim).unwrap_or_default();
    let searching = !query.is_empty();
    if searching {
        let number = query.trim_start_matches(['№', '#']);
        let folded = local::fold(query);
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
            clauses.push("number_text GLOB ?");
            values.push(format!("{number}*"));
        } else if folded.chars().count() >= INDEXED_QUERY_CHARS {
            // One trigram phrase: matches where the text occurs as is.
            clauses.push("number IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?)");
            values.push(format!("\"{}\"", folded.replace('"', "\"\"")));
        } else {
            clauses.push("search LIKE ? ESCAPE '\\'");
            let escaped = folded
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(format!("%{escaped}%"));
        }
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_sql, values, searching)
}

/// The kind and status part of a filter over the kept counts.
fn counts_sql(filter: &ListFilter, with_status: bool) -> (String, Vec<String>) {
    let mut clauses = vec!["n > 0"];
    let mut values = Vec::new();
    if let (true, Some(status)) = (with_status, filter.status) {
        clauses.push("status = ?");
        values.push(status.id().to_owned());
    }
    if let Some(kind) = filter.kind {
        clauses.push("kind = ?");
        values.push(kind.id().to_owned());
    }
    (format!("WHERE {}", clauses.join(" AND ")), values)
}

/// A page of the list, newest number first, with the number of matches.
pub(crate) fn list(conn: &Connection, filter: &ListFilter) -> CoreResult<OrderList> {
    let (where_sql, values, searching) = filter_sql(filter, true);
    let limit = filter.limit.clamp(1, 500);
    let sql = format!(
        "SELECT summary_json,
                EXISTS (SELECT 1 FROM outbox WHERE outbox.order_number = orders.number)
         FROM orders {where_sql} ORDER BY number DESC LIMIT {limit} OFFSET {}",
        filter.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (json, pending) = row?;
        items.push(ListItem {
            summary: serde_json::from_str(&json)?,
            pending,
        });
    }
    let total: i64 = if searching {
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM orders {where_sql}"))?
            .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?
    } else {
        let (where_sql, values) = counts_sql(filter, true);
        conn.prepare_cached(&format!(
            "SELECT COALESCE(SUM(n), 0) FROM order_counts {where_sql}"
        ))?
        .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?
    };
    Ok(OrderList {
        items,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// How many cached orders are in each status, for the filter chips; the
/// kind and search of `filter` apply, its status does not.
pub(crate) fn counts(conn: &Connection, filter: &ListFilter) -> CoreResult<Vec<StatusCount>> {
    let (where_sql, values, searching) = filter_sql(filter, false);
    let sql = if searching {
        format!("SELECT status, COUNT(*) FROM orders {where_sql} GROUP BY status")
    } else {
        let (where_sql, _) = counts_sql(filter, false);
        format!("SELECT status, SUM(n) FROM order_counts {where_sql} GROUP BY status")
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (status, count) = row?;
        if let Some(status) = Status::parse(&status) {
            out.push(StatusCount {
                status,
                count: u64::try_from(count).unwrap_or(0),
            });
        }
    }
    out.sort_by_key(|c| c.status);
    Ok(out)
}

/// The distinct company payers of cached orders, by name.
pub(crate) fn company_payers(conn: &Connection) -> CoreResult<Vec<PayerInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT json_extract(local_json, '$.payer.payer_id'),
                         json_extract(local_json, '$.payer.name')
         FROM orders
         WHERE json_extract(local_json, '$.payer.kind') = 'company'
           AND json_extract(local_json, '$.payer.payer_id') IS NOT NULL
         ORDER BY 2",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut payers: Vec<PayerInfo> = Vec::new();
    for row in rows {
        let (id, name) = row?;
        if payers.iter().all(|p| p.payer_id != Some(UserId(id))) {
            payers.push(PayerInfo {
                kind: "company".to_owned(),
                payer_id: Some(UserId(id)),
                name,
            });
        }
    }
    Ok(payers)
}
