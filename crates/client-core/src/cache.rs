//! The local SQLite cache: opening it (WAL, migrations), small values, the
//! orders and chats as sync writes them and the card reads them. The list
//! queries are in the `list` module; the outbox, conflicts and notices in
//! [`crate::outbox`].
//!
//! Every write that belongs together runs in one transaction, so a process
//! killed at any point leaves the cache as it was before or after a step.

use orderdesk_domain::{OrderNumber, Payer, UserId};
use orderdesk_protocol::{ChatMessage, OrderDetail, PayerInfo};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

use crate::error::CoreResult;
use crate::local;

/// Migrations in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_cache.sql"),
    include_str!("../migrations/0002_search.sql"),
    include_str!("../migrations/0003_lean_orders.sql"),
    include_str!("../migrations/0004_triage.sql"),
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
        // The browser's storage pool has no shared memory for a WAL: there
        // the cache keeps SQLite's rollback journal.
        #[cfg(not(target_arch = "wasm32"))]
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoints are what waits for the disk: a first sync writing
        // hundreds of megabytes does one every 32 MiB instead of every 4.
        conn.pragma_update(None, "wal_autocheckpoint", 8192)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        refresh_outdated_rows(&mut conn)?;
        Ok(Cache { conn })
    }

    /// Forgets everything: orders, chats, outbox, conflicts, notices,
    /// session; only the device's language stays. The search index waits
    /// for the next first sync to be built in one go.
    pub(crate) fn wipe(&mut self) -> CoreResult<()> {
        self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM meta WHERE key <> 'lang';
             INSERT INTO meta (key, value) VALUES ('search_deferred', '1');
             INSERT INTO orders_search (orders_search) VALUES ('delete-all');
             DELETE FROM orders; DELETE FROM messages; DELETE FROM outbox;
             DELETE FROM conflicts; DELETE FROM notices;
             COMMIT;",
        )?;
        Ok(())
    }
}

/// A second connection to the cache for the screens: reading through it
/// never waits for a sync step being written.
pub(crate) fn open_reader(path: &Path) -> CoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// While set, the search index is not kept: the first sync of an empty
/// cache writes orders without it and builds it once at the end.
const META_SEARCH_DEFERRED: &str = "search_deferred";

/// Whether the search index is waiting to be built.
pub(crate) fn search_deferred(conn: &Connection) -> CoreResult<bool> {
    Ok(meta_get(conn, META_SEARCH_DEFERRED)?.is_some())
}

/// Builds the search index from the cached orders and keeps it from now on.
pub(crate) fn build_search(tx: &Transaction<'_>) -> CoreResult<()> {
    tx.execute_batch("INSERT INTO orders_search (orders_search) VALUES ('rebuild');")?;
    tx.execute("DELETE FROM meta WHERE key = ?1", [META_SEARCH_DEFERRED])?;
    Ok(())
}

/// Set while rows written by an older version wait to get the list columns
/// of this one.
const META_ROWS_OUTDATED: &str = "rows_outdated";

/// Rewrites every order's row from its stored copies, in one transaction,
/// when a migration asked for it.
fn refresh_outdated_rows(conn: &mut Connection) -> CoreResult<()> {
    if meta_get(conn, META_ROWS_OUTDATED)?.is_none() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    let numbers: Vec<i64> = tx
        .prepare("SELECT number FROM orders")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for number in numbers {
        if let Some(cached) = load_order(&tx, OrderNumber(number))? {
            store_order(&tx, &cached.server, &cached.local)?;
        }
    }
    tx.execute("DELETE FROM meta WHERE key = ?1", [META_ROWS_OUTDATED])?;
    tx.commit()?;
    Ok(())
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
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT server_json, local_json FROM orders WHERE number = ?1")?
        .query_row([number.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((server, local)) = row else {
        return Ok(None);
    };
    let server: OrderDetail = serde_json::from_str(&server)?;
    let local = match local {
        Some(local) => serde_json::from_str(&local)?,
        None => server.clone(),
    };
    Ok(Some(CachedOrder { server, local }))
}

/// An order's row as the cache keeps it, made ready apart from writing it
/// so that a pull page can be prepared while the one before is written.
pub(crate) struct OrderRecord {
    number: i64,
    kind: &'static str,
    status: &'static str,
    search: String,
    server_status: &'static str,
    server_version: i64,
    server_json: String,
    /// `None` while it is the server's copy.
    local_json: Option<String>,
    summary_json: String,
    company_payer: Option<(i64, String)>,
    executor_id: Option<i64>,
    /// Unix seconds of the earliest due time still awaited.
    due_at: Option<i64>,
}

impl OrderRecord {
    /// The row of an order whose local copy is `local`. The local copy is
    /// kept only when it differs from the server's.
    pub(crate) fn of(server: &OrderDetail, local: &OrderDetail) -> CoreResult<OrderRecord> {
        let server_json = serde_json::to_string(server)?;
        // Mostly the two copies are one: nothing of this device is pending.
        let local_json = if std::ptr::eq(server, local) {
            None
        } else {
            Some(serde_json::to_string(local)?).filter(|json| *json != server_json)
        };
        let company_payer = local
            .payer
            .payer
            .company_id()
            .map(|id| (id.0, local.payer.name.clone()));
        Ok(OrderRecord {
            number: local.number.0,
            kind: local.kind.id(),
            status: local.status.id(),
            search: local::search_text(local),
            server_status: server.status.id(),
            server_version: server.version,
            server_json,
            local_json,
            summary_json: serde_json::to_string(&local::summary(local))?,
            company_payer,
            executor_id: local.executor.as_ref().and_then(|p| p.id).map(|id| id.0),
            due_at: local::next_due(local).map(|at| at.timestamp()),
        })
    }
}

/// Writes both copies of an order and its list columns.
pub(crate) fn store_order(
    tx: &Transaction<'_>,
    server: &OrderDetail,
    local: &OrderDetail,
) -> CoreResult<()> {
    write_order(tx, &OrderRecord::of(server, local)?)
}

/// Writes a prepared order row.
pub(crate) fn write_order(tx: &Transaction<'_>, record: &OrderRecord) -> CoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO orders (number, number_text, kind, status, search, server_status,
                             server_version, server_json, local_json, summary_json,
                             company_payer_id, company_payer_name, executor_id, due_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (number) DO UPDATE SET
            kind = excluded.kind, status = excluded.status, search = excluded.search,
            server_status = excluded.server_status, server_version = excluded.server_version,
            server_json = excluded.server_json, local_json = excluded.local_json,
            summary_json = excluded.summary_json, company_payer_id = excluded.company_payer_id,
            company_payer_name = excluded.company_payer_name,
            executor_id = excluded.executor_id, due_at = excluded.due_at",
    )?
    .execute(params![
        record.number,
        record.number.to_string(),
        record.kind,
        record.status,
        record.search,
        record.server_status,
        record.server_version,
        record.server_json,
        record.local_json,
        record.summary_json,
        record.company_payer.as_ref().map(|(id, _)| id),
        record.company_payer.as_ref().map(|(_, name)| name),
        record.executor_id,
        record.due_at,
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

/// A chat message as the cache keeps it: its id and its JSON.
pub(crate) type MessageRecord = (i64, String);

/// Replaces the chat of an order with what the server sent.
pub(crate) fn replace_messages(
    tx: &Transaction<'_>,
    number: OrderNumber,
    messages: &[MessageRecord],
) -> CoreResult<()> {
    tx.prepare_cached("DELETE FROM messages WHERE order_number = ?1")?
        .execute([number.0])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO messages (id, order_number, json) VALUES (?1, ?2, ?3)",
    )?;
    for (id, json) in messages {
        insert.execute(params![id, number.0, json])?;
    }
    Ok(())
}

/// An order's cached chat in time order, ids breaking ties: ids alone are
/// not time order (a gateway payment may be dated before earlier rows).
pub(crate) fn messages(conn: &Connection, number: OrderNumber) -> CoreResult<Vec<ChatMessage>> {
    let mut stmt =
        conn.prepare_cached("SELECT json FROM messages WHERE order_number = ?1 ORDER BY id")?;
    let rows = stmt.query_map([number.0], |row| row.get::<_, String>(0))?;
    let mut out: Vec<ChatMessage> = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    out.sort_by_key(|m| (m.created_at, m.id));
    Ok(out)
}

/// The distinct company payers of cached orders, by name.
pub(crate) fn company_payers(conn: &Connection) -> CoreResult<Vec<PayerInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT company_payer_id, company_payer_name FROM orders
         WHERE company_payer_id IS NOT NULL ORDER BY 2",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut payers: Vec<PayerInfo> = Vec::new();
    for row in rows {
        let (id, name) = row?;
        if payers
            .iter()
            .all(|p| p.payer.company_id() != Some(UserId(id)))
        {
            payers.push(PayerInfo {
                payer: Payer::Company {
                    payer_id: UserId(id),
                },
                name,
            });
        }
    }
    Ok(payers)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Cache;
    use orderdesk_domain::Status;
    use orderdesk_protocol::OrderDetail;

    /// A cache in a fresh temporary folder.
    pub(crate) fn temp_cache() -> Cache {
        let dir = std::env::temp_dir().join(format!("orderdesk-cache-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Cache::open(&dir.join("cache.sqlite3")).expect("open cache")
    }

    /// A simple request as the server sent it before labels left the wire
    /// (`kind_label`, `status_label`, `status_tone`, `payment.label`,
    /// `allowed.assign`): a cache written then must still load.
    pub(crate) fn order(number: i64, title: &str, status: Status) -> OrderDetail {
        let json = serde_json::json!({
            "number": number, "kind": "simple_request", "kind_label": "Простая заявка",
            "status": status, "status_label": status.label(orderdesk_domain::Lang::Ru),
            "status_tone": "new", "title": title, "description": null, "comment": null,
            "premises": null, "service": {"id": 1, "name": "Уборка", "kind": "simple_request"},
            "payment": {"total": 0, "paid": 0, "refunded": 0, "outstanding": 0,
                        "awaiting_payment": false, "partly_paid": false, "label": null,
                        "payment_url": null},
            "payer": {"kind": "individual", "payer_id": null, "name": "Физическое лицо"},
            "booking": null, "coworking": null, "hotel": null,
            "period_start": null, "period_end": null, "lines": [], "payments": [],
            "requester": {"id": 5, "name": "Мария Жилец", "role": "requester",
                          "role_label": "Заявитель", "phone": null, "email": null},
            "visitor": null, "executor": null, "responsible": [],
            "deadlines": {"first_response_due": null, "completion_due": null},
            "allowed": {"status_targets": [], "assign": false, "change_deadlines": false,
                        "edit_booking": false, "record_payment": false, "cancel": false,
                        "confirm": false, "return_to_work": false, "collect_lines": false,
                        "post_public": false, "read_internal": false, "post_internal": false},
            "version": 1,
            "created_at": "2026-12-01T10:00:00+03:00", "updated_at": "2026-12-01T10:00:00+03:00"
        });
        serde_json::from_value(json).expect("order detail")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{order, temp_cache};
    use super::*;
    use orderdesk_domain::Status;

    #[test]
    fn the_local_copy_is_written_only_while_it_differs() {
        let mut cache = temp_cache();
        let plain = order(1001, "Уборка", Status::New);
        let server = order(1002, "Уборка", Status::New);
        let mut local = server.clone();
        local.status = Status::InProgress;
        let tx = cache.conn.transaction().expect("tx");
        store_order(&tx, &plain, &plain).expect("store");
        store_order(&tx, &server, &local).expect("store");
        tx.commit().expect("commit");
        let kept: Vec<(i64, bool)> = cache
            .conn
            .prepare("SELECT number, local_json IS NULL FROM orders ORDER BY number")
            .expect("prepare")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(kept, [(1001, true), (1002, false)]);
        let first = load_order(&cache.conn, OrderNumber(1001))
            .expect("load")
            .expect("cached");
        assert_eq!(first.local, first.server);
        let second = load_order(&cache.conn, OrderNumber(1002))
            .expect("load")
            .expect("cached");
        assert_eq!(second.local.status, Status::InProgress);
        assert_eq!(second.server.status, Status::New);
    }

    /// A cache written by the previous version (two copies of every order,
    /// a search index with positions) opens with its orders, pending copy,
    /// company payers and search intact.
    #[test]
    fn a_cache_of_the_previous_schema_keeps_its_orders_and_search() {
        let dir = std::env::temp_dir().join(format!("orderdesk-cache-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cache.sqlite3");
        {
            let conn = Connection::open(&path).expect("open");
            for sql in &MIGRATIONS[..2] {
                conn.execute_batch(sql).expect("old schema");
            }
            conn.pragma_update(None, "user_version", 2)
                .expect("version");
            let server = order(1001, "Пропуск для гостя", Status::New);
            let mut company = order(1002, "Переговорная Python", Status::New);
            company.payer = PayerInfo {
                payer: Payer::Company {
                    payer_id: UserId(7),
                },
                name: "ООО Ромашка".into(),
            };
            let mut local = company.clone();
            local.status = Status::Confirmed;
            for (server, local) in [(&server, &server), (&company, &local)] {
                conn.execute(
                    "INSERT INTO orders (number, number_text, kind, status, search, server_status,
                                         server_version, server_json, local_json, summary_json)
                     VALUES (?1, ?2, 'simple_request', ?3, ?4, 'new', 1, ?5, ?6, ?7)",
                    params![
                        server.number.0,
                        server.number.0.to_string(),
                        local.status.id(),
                        local::search_text(local),
                        serde_json::to_string(server).expect("json"),
                        serde_json::to_string(local).expect("json"),
                        serde_json::to_string(&local::summary(local)).expect("json"),
                    ],
                )
                .expect("old row");
            }
            conn.execute("INSERT INTO meta (key, value) VALUES ('synced', '1')", [])
                .expect("synced");
        }

        let cache = Cache::open(&path).expect("migrated");
        let version: i64 = cache
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert!(!search_deferred(&cache.conn).expect("meta"));
        let plain = load_order(&cache.conn, OrderNumber(1001))
            .expect("load")
            .expect("cached");
        assert_eq!(plain.local, plain.server);
        let pending = load_order(&cache.conn, OrderNumber(1002))
            .expect("load")
            .expect("cached");
        assert_eq!(pending.local.status, Status::Confirmed);
        assert_eq!(pending.server.status, Status::New);
        let payers = company_payers(&cache.conn).expect("payers");
        assert_eq!(payers.len(), 1);
        assert_eq!(payers[0].name, "ООО Ромашка");
        let found = crate::list::list(
            &cache.conn,
            &orderdesk_protocol::ipc::ListFilter {
                query: Some("гостя".into()),
                ..orderdesk_protocol::ipc::ListFilter::default()
            },
            crate::list::Reader { me: None, now: 0 },
        )
        .expect("search");
        assert_eq!(found.total, 1);
        assert_eq!(found.items[0].summary.number, OrderNumber(1001));
    }

    /// A cache written before rows had their executor and due time, and
    /// before the search held descriptions, gets them when it opens.
    #[test]
    fn rows_of_the_schema_before_triage_are_rewritten_once_on_open() {
        let dir = std::env::temp_dir().join(format!("orderdesk-cache-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cache.sqlite3");
        let mut late = order(1001, "Переезд", Status::New);
        late.description = Some("Привезти коробки".into());
        late.deadlines.first_response_due =
            chrono::DateTime::parse_from_rfc3339("2026-11-27T08:00:00+03:00").ok();
        late.executor = Some(orderdesk_protocol::Person {
            id: Some(UserId(2)),
            name: "Ирина Сервисова".into(),
            role: None,
            phone: None,
            email: None,
        });
        {
            let mut conn = Connection::open(&path).expect("open");
            for sql in &MIGRATIONS[..3] {
                conn.execute_batch(sql).expect("old schema");
            }
            conn.pragma_update(None, "user_version", 3)
                .expect("version");
            conn.execute("INSERT INTO meta (key, value) VALUES ('synced', '1')", [])
                .expect("synced");
            let tx = conn.transaction().expect("tx");
            // As the previous version wrote it: no description in the search.
            tx.execute(
                "INSERT INTO orders (number, number_text, kind, status, search, server_status,
                                     server_version, server_json, summary_json)
                 VALUES (1001, '1001', 'simple_request', 'new', '1001 переезд', 'new', 1, ?1, '{}')",
                [serde_json::to_string(&late).expect("json")],
            )
            .expect("old row");
            tx.commit().expect("commit");
        }
        let cache = Cache::open(&path).expect("migrated");
        let (executor, due): (Option<i64>, Option<i64>) = cache
            .conn
            .query_row(
                "SELECT executor_id, due_at FROM orders WHERE number = 1001",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("row");
        assert_eq!(executor, Some(2));
        assert_eq!(due, Some(1_795_755_600), "2026-11-27 05:00 UTC");
        assert!(meta_get(&cache.conn, META_ROWS_OUTDATED)
            .expect("meta")
            .is_none());
        let found = crate::list::list(
            &cache.conn,
            &orderdesk_protocol::ipc::ListFilter {
                query: Some("коробки".into()),
                quick: Some(orderdesk_protocol::QuickFilter::Overdue),
                ..orderdesk_protocol::ipc::ListFilter::default()
            },
            crate::list::Reader {
                me: Some(UserId(2)),
                now: 1_795_756_000,
            },
        )
        .expect("search");
        assert_eq!(found.total, 1);
        assert_eq!(
            found.items[0].summary.description_line.as_deref(),
            Some("Привезти коробки")
        );
    }
}
