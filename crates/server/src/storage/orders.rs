//! Orders and their lines: reading, the list with its filters, inserting and
//! the field updates that effects and commands make. Every write to an order
//! ends with [`record_change`], which bumps the version and appends to the
//! change log in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    query, query_as, query_scalar, Builder, Conn, Engine, LineRow, OrderListRow, OrderRow,
};

pub async fn order_by_number(
    conn: &mut Conn,
    number: i64,
) -> Result<Option<OrderRow>, sqlx::Error> {
    query_as("SELECT * FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(conn)
        .await
}

pub async fn order_by_id(conn: &mut Conn, id: i64) -> Result<Option<OrderRow>, sqlx::Error> {
    query_as("SELECT * FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn lines_of(conn: &mut Conn, order_id: i64) -> Result<Vec<LineRow>, sqlx::Error> {
    query_as("SELECT * FROM order_lines WHERE order_id = $1 ORDER BY line")
        .bind(order_id)
        .fetch_all(conn)
        .await
}

/// Which orders a list may contain, as the rules decided for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    RequestedBy(i64),
    /// Orders of these services, of these kinds.
    Services(Vec<(i64, String)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    User(i64),
    Nobody,
}

/// The statuses in which each due time is still awaited, as the rules say:
/// the first response's, then the completion's.
#[derive(Debug, Clone, Default)]
pub struct AwaitedDue {
    pub first_response: Vec<String>,
    pub completion: Vec<String>,
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    #[default]
    Newest,
    /// The earliest awaited due time first, orders with none after.
    DueSoonest,
}

/// `GET /orders` filters, already checked.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub scope: Scope,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub number: Option<i64>,
    /// Lower-cased.
    pub text: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    /// «Мои» or «Без исполнителя», on top of `assignee`.
    pub quick_assignee: Option<AssigneeFilter>,
    /// «Просрочено»: the earliest awaited due time is before this instant
    /// (Unix seconds).
    pub overdue_at: Option<i64>,
    pub due: AwaitedDue,
    pub order: ListOrder,
    pub limit: i64,
    pub offset: i64,
}

/// `IN (…)` of bound statuses; an empty list matches nothing.
fn push_in(q: &mut Builder<'_>, statuses: &[String]) {
    q.push(" IN (");
    if statuses.is_empty() {
        q.push("NULL");
    }
    let mut list = q.separated(", ");
    for status in statuses {
        list.push_bind(status.clone());
    }
    q.push(")");
}

/// A due time in Unix seconds while the order's status awaits it, else NULL.
fn push_awaited(q: &mut Builder<'_>, statuses: &[String], column: &str, engine: Engine) {
    q.push("(CASE WHEN o.status");
    push_in(q, statuses);
    q.push(format_args!(" THEN {} END)", engine.epoch_seconds(column)));
}

/// The earliest due time the order still awaits, in Unix seconds, or NULL:
/// `least(COALESCE(a, b), COALESCE(b, a))` is the smaller of the two that
/// are set.
fn push_next_due(q: &mut Builder<'_>, due: &AwaitedDue, engine: Engine) {
    let first = |q: &mut Builder<'_>| {
        push_awaited(q, &due.first_response, "o.first_response_due", engine);
    };
    let completion = |q: &mut Builder<'_>| {
        push_awaited(q, &due.completion, "o.completion_due", engine);
    };
    q.push(engine.least()).push("(COALESCE(");
    first(q);
    q.push(", ");
    completion(q);
    q.push("), COALESCE(");
    completion(q);
    q.push(", ");
    first(q);
    q.push("))");
}

/// A `LIKE` pattern matching `text` anywhere, with `\`, `%` and `_` in it
/// taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn push_assignee(q: &mut Builder<'_>, assignee: Option<&AssigneeFilter>) {
    match assignee {
        Some(AssigneeFilter::User(u)) => {
            q.push(" AND o.executor_id = ").push_bind(*u);
        }
        Some(AssigneeFilter::Nobody) => {
            q.push(" AND o.executor_id IS NULL");
        }
        None => {}
    }
}

fn push_where(q: &mut Builder<'_>, f: &ListFilter, engine: Engine) {
    q.push(" WHERE 1=1");
    match &f.scope {
        Scope::All => {}
        Scope::RequestedBy(user) => {
            q.push(" AND o.requester_id = ").push_bind(*user);
        }
        Scope::Services(pairs) if pairs.is_empty() => {
            q.push(" AND 1 = 0");
        }
        Scope::Services(pairs) => {
            q.push(" AND (");
            for (i, (service, kind)) in pairs.iter().enumerate() {
                if i > 0 {
                    q.push(" OR ");
                }
                q.push("(o.service_id = ")
                    .push_bind(*service)
                    .push(" AND o.kind = ")
                    .push_bind(kind.clone())
                    .push(")");
            }
            q.push(")");
        }
    }
    if let Some(status) = &f.status {
        q.push(" AND o.status = ").push_bind(status.clone());
    }
    if let Some(kind) = &f.kind {
        q.push(" AND o.kind = ").push_bind(kind.clone());
    }
    match (f.number, &f.text) {
        (Some(n), Some(text)) => {
            q.push(" AND (o.number = ").push_bind(n);
            q.push(" OR o.search LIKE ")
                .push_bind(contains_pattern(text))
                .push(" ESCAPE '\\')");
        }
        (None, Some(text)) => {
            q.push(" AND o.search LIKE ")
                .push_bind(contains_pattern(text))
                .push(" ESCAPE '\\'");
        }
        (Some(n), None) => {
            q.push(" AND o.number = ").push_bind(n);
        }
        (None, None) => {}
    }
    push_assignee(q, f.assignee.as_ref());
    push_assignee(q, f.quick_assignee.as_ref());
    if let Some(now) = f.overdue_at {
        q.push(" AND ");
        push_next_due(q, &f.due, engine);
        q.push(" < ").push_bind(now);
    }
}

/// One page of orders, newest number first or due soonest, and how many
/// match in all.
pub async fn list_orders(
    conn: &mut Conn,
    f: &ListFilter,
) -> Result<(Vec<OrderListRow>, i64), sqlx::Error> {
    let mut count = Builder::new("SELECT COUNT(*) FROM orders o");
    let engine = conn.engine();
    push_where(&mut count, f, engine);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut q = Builder::new(
        "SELECT o.*, s.name AS service_name, r.name AS requester_name,
                e.name AS executor_name, res.name AS resource_name
         FROM orders o
         JOIN services s ON s.id = o.service_id
         JOIN users r ON r.id = o.requester_id
         LEFT JOIN users e ON e.id = o.executor_id
         LEFT JOIN resources res ON res.id = o.resource_id",
    );
    push_where(&mut q, f, engine);
    if f.order == ListOrder::DueSoonest {
        q.push(" ORDER BY ");
        push_next_due(&mut q, &f.due, engine);
        q.push(" IS NULL, ");
        push_next_due(&mut q, &f.due, engine);
        q.push(", o.number DESC LIMIT ");
    } else {
        q.push(" ORDER BY o.number DESC LIMIT ");
    }
    q.push_bind(f.limit).push(" OFFSET ").push_bind(f.offset);
    let rows = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok((rows, total))
}

/// The next public number.
pub async fn next_number(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COALESCE(MAX(number), 1000) + 1 FROM orders")
        .fetch_one(conn)
        .await
}

/// Inserts an order with every column of `o` except `id`; returns the id.
pub async fn insert_order(conn: &mut Conn, o: &OrderRow) -> Result<i64, sqlx::Error> {
    let id = query_scalar(
        "INSERT INTO orders (number, kind, status, service_id, requester_id, executor_id,
            payer_company_id, title, description, comment, premises, visitor_name,
            visitor_phone, visitor_email, resource_id, booking_date, first_slot, slot_count,
            slot_price, date_from, date_to, adults, children, extras_separate_line,
            ticket_number, reservation_number, period_start, period_end, total, paid,
            refunded, payment_token, awaiting_since, first_response_due, completion_due,
            search, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
                 $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39) RETURNING id",
    )
    .bind(o.number)
    .bind(&o.kind)
    .bind(&o.status)
    .bind(o.service_id)
    .bind(o.requester_id)
    .bind(o.executor_id)
    .bind(o.payer_company_id)
    .bind(&o.title)
    .bind(&o.description)
    .bind(&o.comment)
    .bind(&o.premises)
    .bind(&o.visitor_name)
    .bind(&o.visitor_phone)
    .bind(&o.visitor_email)
    .bind(o.resource_id)
    .bind(o.booking_date)
    .bind(o.first_slot)
    .bind(o.slot_count)
    .bind(o.slot_price)
    .bind(o.date_from)
    .bind(o.date_to)
    .bind(o.adults)
    .bind(o.children)
    .bind(o.extras_separate_line)
    .bind(&o.ticket_number)
    .bind(&o.reservation_number)
    .bind(o.period_start)
    .bind(o.period_end)
    .bind(o.total)
    .bind(o.paid)
    .bind(o.refunded)
    .bind(&o.payment_token)
    .bind(o.awaiting_since)
    .bind(o.first_response_due)
    .bind(o.completion_due)
    .bind(&o.search)
    .bind(o.version)
    .bind(o.created_at)
    .bind(o.updated_at)
    .fetch_one(conn)
    .await?
    ;
    Ok(id)
}

pub async fn insert_line(conn: &mut Conn, l: &LineRow) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO order_lines (order_id, line, product_id, name, quantity, unit_price,
            outcome, missing, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(l.order_id)
    .bind(l.line)
    .bind(l.product_id)
    .bind(&l.name)
    .bind(l.quantity)
    .bind(l.unit_price)
    .bind(&l.outcome)
    .bind(l.missing)
    .bind(&l.time)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a line's name and price, as a booking edit does.
pub async fn update_line(conn: &mut Conn, l: &LineRow) -> Result<(), sqlx::Error> {
    query(
        "UPDATE order_lines SET name = $1, quantity = $2, unit_price = $3 WHERE order_id = $4 AND line = $5",
    )
    .bind(&l.name)
    .bind(l.quantity)
    .bind(l.unit_price)
    .bind(l.order_id)
    .bind(l.line)
    .execute(conn)
    .await?;
    Ok(())
}

/// A line's collection mark; `None` takes it back.
pub async fn set_line_outcome(
    conn: &mut Conn,
    order_id: i64,
    line: i64,
    outcome: Option<&str>,
    missing: i64,
) -> Result<(), sqlx::Error> {
    query("UPDATE order_lines SET outcome = $1, missing = $2 WHERE order_id = $3 AND line = $4")
        .bind(outcome)
        .bind(missing)
        .bind(order_id)
        .bind(line)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: &str,
    awaiting_since: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    query("UPDATE orders SET status = $1, awaiting_since = $2 WHERE id = $3")
        .bind(status)
        .bind(awaiting_since)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_executor(
    conn: &mut Conn,
    id: i64,
    executor: Option<i64>,
) -> Result<(), sqlx::Error> {
    query("UPDATE orders SET executor_id = $1 WHERE id = $2")
        .bind(executor)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_deadlines(
    conn: &mut Conn,
    id: i64,
    first_response_due: Option<DateTime<Utc>>,
    completion_due: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    query("UPDATE orders SET first_response_due = $1, completion_due = $2 WHERE id = $3")
        .bind(first_response_due)
        .bind(completion_due)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Money columns: what is owed, paid, given back and on its way back.
pub async fn set_money(conn: &mut Conn, id: i64, money: &MoneyColumns) -> Result<(), sqlx::Error> {
    query("UPDATE orders SET total = $1, paid = $2, refunded = $3, refunding = $4 WHERE id = $5")
        .bind(money.total)
        .bind(money.paid)
        .bind(money.refunded)
        .bind(money.refunding)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An order's money, in kopecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyColumns {
    pub total: i64,
    pub paid: i64,
    pub refunded: i64,
    pub refunding: i64,
}

impl MoneyColumns {
    pub fn of(row: &OrderRow) -> MoneyColumns {
        MoneyColumns {
            total: row.total,
            paid: row.paid,
            refunded: row.refunded,
            refunding: row.refunding,
        }
    }
}

/// What a booking edit changes.
#[derive(Debug, Clone)]
pub struct BookingUpdate {
    pub resource_id: i64,
    pub date: NaiveDate,
    pub first_slot: i64,
    pub slot_count: i64,
    pub slot_price: i64,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub payer_company_id: Option<i64>,
    pub comment: Option<String>,
    pub total: i64,
    pub search: String,
}

pub async fn set_booking(conn: &mut Conn, id: i64, b: &BookingUpdate) -> Result<(), sqlx::Error> {
    query(
        "UPDATE orders SET resource_id = $1, booking_date = $2, first_slot = $3, slot_count = $4,
            slot_price = $5, period_start = $6, period_end = $7, payer_company_id = $8, comment = $9,
            total = $10, search = $11 WHERE id = $12",
    )
    .bind(b.resource_id)
    .bind(b.date)
    .bind(b.first_slot)
    .bind(b.slot_count)
    .bind(b.slot_price)
    .bind(b.period_start)
    .bind(b.period_end)
    .bind(b.payer_company_id)
    .bind(&b.comment)
    .bind(b.total)
    .bind(&b.search)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Bumps the order's version and appends it to the change log; returns the
/// new version and the log position.
pub async fn record_change(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    let version: i64 = query_scalar(
        "UPDATE orders SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING version",
    )
    .bind(now)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let seq = query_scalar(
        "INSERT INTO changes (order_id, version, at) VALUES ($1, $2, $3) RETURNING seq",
    )
    .bind(id)
    .bind(version)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok((version, seq))
}

/// Logs a newly inserted order at its first version.
pub async fn record_creation(
    conn: &mut Conn,
    id: i64,
    version: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    query_scalar("INSERT INTO changes (order_id, version, at) VALUES ($1, $2, $3) RETURNING seq")
        .bind(id)
        .bind(version)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// Orders in any of these statuses whose period started before `now` (or
/// that have no period): candidates the clock-driven work offers to the rules.
pub async fn orders_in_statuses(
    conn: &mut Conn,
    statuses: &[&str],
    started_before: Option<DateTime<Utc>>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut q = Builder::new("SELECT number FROM orders WHERE status IN (");
    let mut sep = q.separated(", ");
    for s in statuses {
        sep.push_bind(s.to_string());
    }
    q.push(")");
    if let Some(now) = started_before {
        q.push(" AND period_start <= ").push_bind(now);
    }
    q.push(" ORDER BY number");
    q.build_query_scalar().fetch_all(conn).await
}

/// Gives orders their public numbers in the order they were created, as a
/// live system hands them out; used once by the demo, which places orders
/// around today in no particular order. Coworking tickets and hotel
/// reservations follow their order's new number.
pub async fn renumber_by_creation(conn: &mut Conn, first: i64) -> Result<(), sqlx::Error> {
    // Negative first, so that no new number collides with an old one.
    query("UPDATE orders SET number = -id")
        .execute(&mut *conn)
        .await?;
    query(
        "UPDATE orders SET number = $1 - 1 + (
             SELECT COUNT(*) FROM orders AS earlier
             WHERE earlier.created_at < orders.created_at
                OR (earlier.created_at = orders.created_at AND earlier.id <= orders.id))",
    )
    .bind(first)
    .execute(&mut *conn)
    .await?;
    query(
        "UPDATE orders SET
             ticket_number = CASE WHEN ticket_number IS NULL THEN NULL ELSE 'К-' || number END,
             reservation_number = CASE WHEN reservation_number IS NULL THEN NULL ELSE 'Н-' || number END",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
