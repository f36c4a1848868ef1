//! Offline sync for the manager app: `GET /sync/pull`, `POST /sync/push`
//! and the live `GET /events` stream.
//!
//! Pull reads orders in change log order from one read snapshot and moves
//! the cursor only past what it returns. Push applies each mutation through
//! the same functions as the REST handlers, once per client id: the answer
//! of an applied one is written in the transaction that applied it (see
//! [`remember_applied`]), a refusal is remembered and answered the same on
//! a retry. Events are hints to pull, never the only carrier of data.

pub mod events;
pub mod pull;
pub mod push;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

pub use push::remember_applied;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/pull", get(pull::pull))
        .route("/sync/push", post(push::push))
        .route("/events", get(events::events))
}
