//! When clock-driven work next falls due: the earliest of the moments the
//! ticker acts on (an awaiting request's auto-close deadline, a booking's
//! start and end, a refund the provider completes).

use chrono::{DateTime, Utc};

use super::Conn;

/// Instants are stored as RFC 3339 text; `(julianday(x) - 2440587.5) *
/// 86400` turns one into seconds since the Unix epoch.
const NEXT_DUE: &str = "SELECT MIN(due) FROM (
    SELECT (julianday(o.awaiting_since) - 2440587.5) * 86400.0 + s.auto_close_minutes * 60.0 AS due
      FROM orders o JOIN services s ON s.id = o.service_id
     WHERE o.status = 'awaiting_confirmation' AND o.awaiting_since IS NOT NULL
    UNION ALL
    SELECT (julianday(period_start) - 2440587.5) * 86400.0 FROM orders
     WHERE status IN ('new', 'confirmed') AND period_start IS NOT NULL
    UNION ALL
    SELECT (julianday(period_end) - 2440587.5) * 86400.0 FROM orders
     WHERE status IN ('confirmed', 'active') AND period_end IS NOT NULL
    UNION ALL
    SELECT (julianday(completes_at) - 2440587.5) * 86400.0 FROM payments
     WHERE kind = 'refund' AND status = 'pending' AND completes_at IS NOT NULL
) WHERE due > ?";

/// The earliest moment after `after` at which clock-driven work may fall
/// due, rounded up to the microsecond; `None` when nothing waits for the
/// clock. Moments up to `after` were offered to the rules at `after`
/// already: what they refused then waits for a change, not for the clock.
pub async fn next_due(
    conn: &mut Conn,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let after = after.timestamp_micros() as f64 / 1e6;
    let due: Option<f64> = sqlx::query_scalar(NEXT_DUE)
        .bind(after)
        .fetch_one(conn)
        .await?;
    Ok(due.and_then(|seconds| DateTime::from_timestamp_micros((seconds * 1e6).ceil() as i64)))
}
