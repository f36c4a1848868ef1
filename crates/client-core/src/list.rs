//! The orders list read from the cache: a page newest number first (or due
//! soonest), by status, kind, a quick filter («Мои», «Без исполнителя»,
//! «Просрочено») and a search by number or text, with the counts per
//! status. The server's `GET /orders` answers the same filters alike.
//!
//! Text is found through a trigram index without positions: it narrows the
//! orders to those holding every trigram of the query, and `instr` over the
//! folded text keeps those where the query occurs as typed. While the index
//! waits to be built (an empty cache's first sync), `instr` alone does it.
//!
//! Due times are a column: the earliest one the order still awaits
//! ([`orderdesk_domain::next_due`], written with the row), so «Просрочено»
//! is that column before now and «due soonest» sorts by it.

use orderdesk_domain::{Status, UserId};
use orderdesk_protocol::{ListSort, QuickFilter};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::cache::search_deferred;
use crate::error::CoreResult;
use crate::local;
use crate::outbox;
use crate::plan;
use orderdesk_protocol::ipc::{ListFilter, ListItem, ListPage, StatusCount};

/// Fewer characters than a trigram cannot use the search index.
const INDEXED_QUERY_CHARS: usize = 3;

/// Who reads the list and when: «Мои» and «Просрочено» depend on them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader {
    /// The signed-in user; with nobody, «Мои» finds nothing.
    pub(crate) me: Option<UserId>,
    /// Unix seconds.
    pub(crate) now: i64,
}

/// The distinct trigrams of a folded query, as an FTS5 query that asks for
/// all of them. The index has no positions (`detail=none`): it narrows the
/// orders down, and `instr` keeps those where the text occurs as typed.
fn trigram_query(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    for window in chars.windows(INDEXED_QUERY_CHARS) {
        let trigram: String = window.iter().collect();
        if seen.insert(trigram.clone()) {
            terms.push(format!("\"{}\"", trigram.replace('"', "\"\"")));
        }
    }
    terms.join(" AND ")
}

/// The clauses and values of a search by number or text.
fn search_sql(query: &str, indexed: bool, clauses: &mut Vec<&str>, values: &mut Vec<Value>) {
    let number = query.trim_start_matches(['№', '#']);
    let folded = local::fold(query);
    if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
        clauses.push("number_text GLOB ?");
        values.push(Value::Text(format!("{number}*")));
    } else if indexed && folded.chars().count() >= INDEXED_QUERY_CHARS {
        clauses.push(
            "number IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?)
             AND instr(search, ?) > 0",
        );
        values.push(Value::Text(trigram_query(&folded)));
        values.push(Value::Text(folded));
    } else {
        clauses.push("instr(search, ?) > 0");
        values.push(Value::Text(folded));
    }
}

/// The clause of a quick filter and its value, if it takes one.
fn quick_sql(quick: QuickFilter, reader: Reader) -> (&'static str, Option<Value>) {
    match quick {
        QuickFilter::Mine => (
            "executor_id = ?",
            Some(reader.me.map_or(Value::Null, |me| Value::Integer(me.0))),
        ),
        QuickFilter::Unassigned => ("executor_id IS NULL", None),
        QuickFilter::Overdue => ("due_at < ?", Some(Value::Integer(reader.now))),
    }
}

/// The WHERE clause and its values for a list filter, and whether it
/// narrows beyond kind and status (so that counts must look at the matching
/// orders). `indexed` says whether the search index is built.
fn filter_sql(
    filter: &ListFilter,
    with_status: bool,
    indexed: bool,
    reader: Reader,
) -> (String, Vec<Value>, bool) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let (true, Some(status)) = (with_status, filter.status) {
        clauses.push("status = ?");
        values.push(Value::Text(status.id().to_owned()));
    }
    if let Some(kind) = filter.kind {
        clauses.push("kind = ?");
        values.push(Value::Text(kind.id().to_owned()));
    }
    if let Some(quick) = filter.quick {
        let (clause, value) = quick_sql(quick, reader);
        clauses.push(clause);
        values.extend(value);
    }
    let query = filter.query.as_deref().map(str::trim).unwrap_or_default();
    if !query.is_empty() {
        search_sql(query, indexed, &mut clauses, &mut values);
    }
    let narrowed = !query.is_empty() || filter.quick.is_some();
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_sql, values, narrowed)
}

/// The ORDER BY of a sort.
fn order_sql(sort: ListSort) -> &'static str {
    match sort {
        ListSort::Newest => "ORDER BY number DESC",
        ListSort::DueSoonest => "ORDER BY due_at IS NULL, due_at, number DESC",
    }
}

/// A page of the list with the number of matches and the counts per status
/// (the kind, quick filter and search of `filter` apply to them, its status
/// does not).
pub(crate) fn list(conn: &Connection, filter: &ListFilter, reader: Reader) -> CoreResult<ListPage> {
    let indexed = !search_deferred(conn)?;
    let limit = filter.limit.clamp(1, 500) as usize;
    let offset = filter.offset as usize;
    let order = order_sql(filter.sort);
    let (where_sql, values, narrowed) = filter_sql(filter, false, indexed, reader);
    if narrowed {
        // The matches are looked up once: the counts, the total and the
        // page all come from them.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT number, status FROM orders {where_sql} {order}"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut per_status: BTreeMap<Status, u64> = BTreeMap::new();
        let mut numbers = Vec::new();
        for row in rows {
            let (number, status) = row?;
            let Some(status) = Status::parse(&status) else {
                continue;
            };
            *per_status.entry(status).or_default() += 1;
            if filter.status.is_none_or(|s| s == status) {
                numbers.push(number);
            }
        }
        let page: Vec<i64> = numbers.iter().copied().skip(offset).take(limit).collect();
        return Ok(ListPage {
            items: summaries(conn, &page)?,
            total: numbers.len() as u64,
            counts: per_status
                .into_iter()
                .map(|(status, count)| StatusCount { status, count })
                .collect(),
        });
    }
    let (where_sql, values, _) = filter_sql(filter, true, indexed, reader);
    let sql =
        format!("SELECT number FROM orders {where_sql} {order} LIMIT {limit} OFFSET {offset}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let numbers = stmt
        .query_map(rusqlite::params_from_iter(values.iter()), |row| {
            row.get::<_, i64>(0)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let counts = kept_counts(conn, filter)?;
    let total = counts
        .iter()
        .filter(|c| filter.status.is_none_or(|s| s == c.status))
        .map(|c| c.count)
        .sum();
    Ok(ListPage {
        items: summaries(conn, &numbers)?,
        total,
        counts,
    })
}

/// The list rows of `numbers`, in that order, with what of each waits to
/// be sent.
fn summaries(conn: &Connection, numbers: &[i64]) -> CoreResult<Vec<ListItem>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; numbers.len()].join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT number, summary_json,
                EXISTS (SELECT 1 FROM outbox WHERE outbox.order_number = orders.number)
         FROM orders WHERE number IN ({marks})"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(numbers.iter()), |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, bool>(2)?,
        ))
    })?;
    let mut found = HashMap::new();
    for row in rows {
        let (number, json, pending) = row?;
        found.insert(number, (json, pending));
    }
    let mut items = Vec::with_capacity(numbers.len());
    for number in numbers {
        if let Some((json, pending)) = found.remove(number) {
            let pending_actions = if pending {
                pending_actions(conn, *number)?
            } else {
                Vec::new()
            };
            items.push(ListItem {
                summary: serde_json::from_str(&json)?,
                pending,
                pending_actions,
            });
        }
    }
    Ok(items)
}

/// The names of an order's queued actions, once each, as the card lists
/// them.
fn pending_actions(conn: &Connection, number: i64) -> CoreResult<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for entry in outbox::pending_for(conn, orderdesk_domain::OrderNumber(number))? {
        let name = plan::op_name(&entry.mutation.op);
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

/// Counts per status of the orders of the filter's kind, from the counts
/// the triggers keep.
fn kept_counts(conn: &Connection, filter: &ListFilter) -> CoreResult<Vec<StatusCount>> {
    let kind = filter.kind.map(|k| k.id());
    let mut stmt = conn.prepare_cached(
        "SELECT status, SUM(n) FROM order_counts
         WHERE n > 0 AND (?1 IS NULL OR kind = ?1) GROUP BY status",
    )?;
    let rows = stmt.query_map([kind], |row| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::test_support::{order, temp_cache};
    use crate::cache::{self, build_search};

    const READER: Reader = Reader { me: None, now: 0 };

    fn search(conn: &Connection, query: &str, status: Option<Status>) -> ListPage {
        let filter = ListFilter {
            query: Some(query.to_owned()),
            status,
            ..ListFilter::default()
        };
        list(conn, &filter, READER).expect("list")
    }

    fn numbers(list: &ListPage) -> Vec<i64> {
        list.items.iter().map(|i| i.summary.number.0).collect()
    }

    /// Fills a cache the way a first sync does: index deferred, then built.
    fn filled(orders: &[(i64, &str, Status)]) -> cache::Cache {
        let mut cache = temp_cache();
        assert!(search_deferred(&cache.conn).expect("meta"));
        let tx = cache.conn.transaction().expect("tx");
        for (number, title, status) in orders {
            let detail = order(*number, title, *status);
            cache::store_order(&tx, &detail, &detail).expect("store");
        }
        tx.commit().expect("commit");
        cache
    }

    /// Builds the search index, as the end of a first sync does.
    fn build(cache: &mut cache::Cache) {
        let tx = cache.conn.transaction().expect("tx");
        build_search(&tx).expect("build");
        tx.commit().expect("commit");
    }

    const ORDERS: [(i64, &str, Status); 5] = [
        (1001, "Замок abc и bcd", Status::New),
        (1002, "Замок abcd", Status::New),
        (1003, "Уборка офиса 12", Status::InProgress),
        (1004, "Уборка офиса 21", Status::New),
        (1005, "Уборка Офиса 12 и 13", Status::New),
    ];

    #[test]
    fn text_is_found_as_typed_not_by_scattered_trigrams() {
        let mut cache = filled(&ORDERS);
        for indexed in [false, true] {
            if indexed {
                build(&mut cache);
                assert!(!search_deferred(&cache.conn).expect("meta"));
            }
            // «abc» and «bcd» are both in 1001, «abcd» only in 1002.
            assert_eq!(numbers(&search(&cache.conn, "abcd", None)), [1002]);
            // Upper or lower case, newest first.
            assert_eq!(
                numbers(&search(&cache.conn, "ОФИСА 12", None)),
                [1005, 1003]
            );
            // Two characters: below a trigram, still found.
            assert_eq!(numbers(&search(&cache.conn, "AB", None)), [1002, 1001]);
            // Digits alone are the beginning of a number.
            assert_eq!(numbers(&search(&cache.conn, "100", None)).len(), 5);
            assert!(search(&cache.conn, "12", None).items.is_empty());
            assert_eq!(search(&cache.conn, "офиса 99", None).total, 0);
        }
    }

    #[test]
    fn counts_total_and_page_come_from_the_same_matches() {
        let mut cache = filled(&ORDERS);
        build(&mut cache);
        let found = search(&cache.conn, "офиса", Some(Status::New));
        assert_eq!(numbers(&found), [1005, 1004]);
        assert_eq!(found.total, 2);
        let counts: Vec<(Status, u64)> = found.counts.iter().map(|c| (c.status, c.count)).collect();
        assert_eq!(counts, [(Status::New, 2), (Status::InProgress, 1)]);

        let everything = list(&cache.conn, &ListFilter::default(), READER).expect("list");
        assert_eq!(everything.total, 5);
        assert_eq!(numbers(&everything), [1005, 1004, 1003, 1002, 1001]);
        let news = list(
            &cache.conn,
            &ListFilter {
                status: Some(Status::New),
                offset: 1,
                limit: 2,
                ..ListFilter::default()
            },
            READER,
        )
        .expect("list");
        assert_eq!(news.total, 4);
        assert_eq!(numbers(&news), [1004, 1002]);
    }

    #[test]
    fn an_index_built_once_follows_later_changes() {
        let mut cache = filled(&ORDERS);
        let tx = cache.conn.transaction().expect("tx");
        build_search(&tx).expect("build");
        let renamed = order(1002, "Замок xyz", Status::New);
        cache::store_order(&tx, &renamed, &renamed).expect("store");
        cache::delete_order(&tx, orderdesk_domain::OrderNumber(1003)).expect("delete");
        tx.commit().expect("commit");
        assert_eq!(search(&cache.conn, "abcd", None).total, 0);
        assert_eq!(numbers(&search(&cache.conn, "xyz", None)), [1002]);
        assert_eq!(numbers(&search(&cache.conn, "офиса 12", None)), [1005]);
        let index_rows: i64 = cache
            .conn
            .query_row(
                "SELECT COUNT(*) FROM orders_search WHERE orders_search MATCH '\"убо\" AND \"фис\"'",
                [],
                |row| row.get(0),
            )
            .expect("index");
        assert_eq!(index_rows, 2);
    }

    #[test]
    fn a_wiped_cache_defers_and_rebuilds_its_index_for_the_next_user() {
        let mut cache = filled(&ORDERS);
        build(&mut cache);
        cache.wipe().expect("wipe");
        assert!(search_deferred(&cache.conn).expect("meta"));
        assert_eq!(
            list(&cache.conn, &ListFilter::default(), READER)
                .expect("list")
                .total,
            0
        );
        let tx = cache.conn.transaction().expect("tx");
        let next = order(2001, "Вызов сантехника abcd", Status::New);
        cache::store_order(&tx, &next, &next).expect("store");
        build_search(&tx).expect("build");
        tx.commit().expect("commit");
        assert_eq!(numbers(&search(&cache.conn, "abcd", None)), [2001]);
        assert_eq!(search(&cache.conn, "офиса", None).total, 0);
    }

    #[test]
    fn a_trigram_query_asks_for_each_distinct_trigram_once() {
        assert_eq!(trigram_query("ааааа"), "\"ааа\"");
        assert_eq!(
            trigram_query("ab\"cd"),
            "\"ab\"\"\" AND \"b\"\"c\" AND \"\"\"cd\""
        );
    }
}
