//! What orders hold: meeting-room slots (one row each, unique per object,
//! day and slot) and desks or rooms counted per day against capacity.

use chrono::NaiveDate;

use super::{query, query_scalar, Conn};

/// Takes the slots for an order. `Ok(false)` when any of them is held by
/// another order; the caller rolls the transaction back.
pub async fn take_slots(
    conn: &mut Conn,
    resource_id: i64,
    date: NaiveDate,
    slots: &[i64],
    order_id: i64,
) -> Result<bool, sqlx::Error> {
    for slot in slots {
        let inserted = query(
            "INSERT INTO slot_holds (resource_id, date, slot, order_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (resource_id, date, slot) DO NOTHING",
        )
        .bind(resource_id)
        .bind(date)
        .bind(slot)
        .bind(order_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Frees every slot, desk and room an order holds.
pub async fn release_holds(conn: &mut Conn, order_id: i64) -> Result<(), sqlx::Error> {
    query("DELETE FROM slot_holds WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    query("DELETE FROM capacity_holds WHERE order_id = $1")
        .bind(order_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Slot indexes of a day already held.
pub async fn taken_slots(
    conn: &mut Conn,
    resource_id: i64,
    date: NaiveDate,
) -> Result<Vec<i64>, sqlx::Error> {
    query_scalar("SELECT slot FROM slot_holds WHERE resource_id = $1 AND date = $2 ORDER BY slot")
        .bind(resource_id)
        .bind(date)
        .fetch_all(conn)
        .await
}

/// Takes `units` desks or rooms on each day, if every day has room under
/// `capacity`. `Ok(false)` when one does not; nothing is taken then, as the
/// caller rolls back.
pub async fn take_capacity(
    conn: &mut Conn,
    resource_id: i64,
    days: &[NaiveDate],
    units: i64,
    capacity: i64,
    order_id: i64,
) -> Result<bool, sqlx::Error> {
    for day in days {
        let used: i64 = query_scalar(
            "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM capacity_holds
             WHERE resource_id = $1 AND day = $2",
        )
        .bind(resource_id)
        .bind(day)
        .fetch_one(&mut *conn)
        .await?;
        if used + units > capacity {
            return Ok(false);
        }
        query(
            "INSERT INTO capacity_holds (resource_id, day, order_id, units) VALUES ($1, $2, $3, $4)",
        )
        .bind(resource_id)
        .bind(day)
        .bind(order_id)
        .bind(units)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// Slot holds in the whole database for one object, for tests and checks.
pub async fn count_slot_holds(conn: &mut Conn, resource_id: i64) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM slot_holds WHERE resource_id = $1")
        .bind(resource_id)
        .fetch_one(conn)
        .await
}

/// Which of the schema's guards against over-booking refused a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingGuard {
    /// Two live bookings of one meeting room with overlapping slots.
    Slots,
    /// More desks or rooms on a day than the object has.
    Capacity,
}

/// The guard behind `e`, if a constraint of the PostgreSQL schema refused
/// the statement (SQLite has only the slot holds' primary key, which the
/// server inserts with `ON CONFLICT DO NOTHING`).
pub fn booking_guard(e: &sqlx::Error) -> Option<BookingGuard> {
    let constraint = e.as_database_error()?.constraint()?;
    match constraint {
        "orders_no_double_booking" | "slot_holds_pkey" => Some(BookingGuard::Slots),
        "capacity_days_within_capacity" => Some(BookingGuard::Capacity),
        _ => None,
    }
}
