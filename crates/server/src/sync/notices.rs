//! Notices raised by a change, kept per recipient with the change log
//! position that raised them, for pulls and live events.

use chrono::{DateTime, Utc};
use orderdesk_domain::NoticeEvent;

use crate::error::ServiceError;
use crate::push::StoredNotice;
use crate::storage::{self, Conn};

/// The notice event of its id, as stored.
pub fn notice_event(id: &str) -> Option<NoticeEvent> {
    [
        NoticeEvent::OrderCreated,
        NoticeEvent::ReturnedToWork,
        NoticeEvent::AwaitingConfirmation,
        NoticeEvent::BookingChanged,
        NoticeEvent::Cancelled,
        NoticeEvent::Refunded,
        NoticeEvent::ReadyForPickup,
        NoticeEvent::NewMessage,
    ]
    .into_iter()
    .find(|e| e.id() == id)
}

/// Called by `apply_effect` once the change is logged at `seq`: keeps the
/// notices it raised, per recipient, and queues the Web Push of those that
/// raise a notification.
pub async fn record(
    conn: &mut Conn,
    order_id: i64,
    seq: i64,
    raised: &[(i64, NoticeEvent)],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let rows: Vec<(i64, &str)> = raised.iter().map(|(user, e)| (*user, e.id())).collect();
    let ids = storage::insert_notices(conn, order_id, seq, &rows, now).await?;
    let stored: Vec<StoredNotice> = ids
        .into_iter()
        .zip(raised)
        .map(|(id, (user_id, event))| StoredNotice {
            id,
            user_id: *user_id,
            event: *event,
        })
        .collect();
    crate::push::queue(conn, order_id, &stored, now).await
}
