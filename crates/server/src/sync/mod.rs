//! Offline sync for the manager app: `GET /sync/pull`, `POST /sync/push`
//! and the live `GET /events` stream.
//!
//! Pull reads orders in change log order from one read snapshot and moves
//! the cursor only past what it returns. Push applies each mutation through
//! the same functions as the REST handlers, once per client id: the answer
//! of an applied one is written in the transaction that applied it (see
//! [`remember_applied`]), a refusal is remembered and answered the same on
//! a retry. Events are hints to pull, never the only carrier of data.
//! Notices («новый заказ», «вернули в работу») are kept per recipient with
//! the change that raised them ([`record_notices`]) and pulled like data.

pub mod events;
pub mod pull;
pub mod push;

use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use orderdesk_domain::NoticeEvent;

use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{self, Conn};

pub use push::remember_applied;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/pull", get(pull::pull))
        .route("/sync/push", post(push::push))
        .route("/events", get(events::events))
}

/// The notice event of its id, as stored.
pub(crate) fn notice_event(id: &str) -> Option<NoticeEvent> {
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
/// notices it raised, per recipient, for pulls and live events.
pub async fn record_notices(
    conn: &mut Conn,
    order_id: i64,
    seq: i64,
    raised: &[(i64, NoticeEvent)],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let rows: Vec<(i64, &str)> = raised.iter().map(|(user, e)| (*user, e.id())).collect();
    storage::insert_notices(conn, order_id, seq, &rows, now).await?;
    Ok(())
}
