//! When clock-driven work next falls due: the earliest of the moments the
//! ticker acts on (an awaiting request's auto-close deadline, a booking's
//! start and end, a refund the provider completes).

use chrono::{DateTime, Utc};

use super::{query_scalar, Conn, Engine};

/// The moments, in fractional seconds since the Unix epoch (`epoch`
/// spells that for the engine).
fn next_due_sql(engine: Engine) -> String {
    let epoch = |column: &str| engine.epoch_real(column);
    format!(
        "SELECT MIN(due) FROM (
    SELECT {} + CAST(s.auto_close_minutes * 60 AS DOUBLE PRECISION) AS due
      FROM orders o JOIN services s ON s.id = o.service_id
     WHERE o.status = 'awaiting_confirmation' AND o.awaiting_since IS NOT NULL
    UNION ALL
    SELECT {} FROM orders
     WHERE status IN ('new', 'confirmed') AND period_start IS NOT NULL
    UNION ALL
    SELECT {} FROM orders
     WHERE status IN ('confirmed', 'active') AND period_end IS NOT NULL
    UNION ALL
    SELECT {} FROM payments
     WHERE kind = 'refund' AND status = 'pending' AND completes_at IS NOT NULL
) AS moments WHERE due > $1",
        epoch("o.awaiting_since"),
        epoch("period_start"),
        epoch("period_end"),
        epoch("completes_at"),
    )
}

/// The earliest moment after `after` at which clock-driven work may fall
/// due, rounded up to the microsecond; `None` when nothing waits for the
/// clock. Moments up to `after` were offered to the rules at `after`
/// already: what they refused then waits for a change, not for the clock.
pub async fn next_due(
    conn: &mut Conn,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let after = after.timestamp_micros() as f64 / 1e6;
    let sql = next_due_sql(conn.engine());
    let due: Option<f64> = query_scalar(&sql).bind(after).fetch_one(conn).await?;
    Ok(due.and_then(|seconds| DateTime::from_timestamp_micros((seconds * 1e6).ceil() as i64)))
}
