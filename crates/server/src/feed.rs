//! The change feed between instances sharing one PostgreSQL database.
//!
//! Every commit that appends to the change log notifies the channel the
//! schema's trigger names. Each instance listens, reads the entries after
//! the last one it told about, and tells its own subscribers (`/events`
//! streams, the clock) in change log order, its own changes included. On
//! SQLite the committing process tells them directly and this does nothing.

use std::time::Duration;

use crate::state::{AppState, ChangeNotice};
use crate::storage;
use orderdesk_domain::OrderNumber;

/// A notification lost (a dropped connection) delays changes by at most
/// this long.
const AT_MOST: Duration = Duration::from_secs(1);
/// Entries read per query.
const PAGE: i64 = 500;

/// Follows the change log until the server stops.
pub async fn run(state: AppState) {
    let stopping = state.stopping();
    tokio::select! {
        () = follow(&state) => {},
        () = stopping => {},
    }
}

async fn follow(state: &AppState) {
    let mut last = None;
    loop {
        match follow_once(state, &mut last).await {
            Ok(false) => return,
            Ok(true) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the change feed lost the database; retrying");
                tokio::time::sleep(AT_MOST).await;
            }
        }
    }
}

/// `Ok(false)` when there is no feed to follow (SQLite).
async fn follow_once(state: &AppState, last: &mut Option<i64>) -> Result<bool, sqlx::Error> {
    let Some(mut listener) = state.storage().change_listener().await? else {
        return Ok(false);
    };
    let mut seen = match *last {
        Some(seq) => seq,
        None => {
            let mut conn = state.storage().read().await?;
            storage::last_change(&mut conn).await?
        }
    };
    loop {
        *last = Some(seen);
        listener.next(AT_MOST).await?;
        loop {
            let entries = {
                let mut conn = state.storage().read().await?;
                storage::changes_after(&mut conn, seen, PAGE).await?
            };
            let full = entries.len() as i64 == PAGE;
            for (seq, number, version) in entries {
                state.announce(ChangeNotice {
                    seq,
                    order: OrderNumber(number),
                    version,
                });
                seen = seq;
            }
            if !full {
                break;
            }
        }
    }
}
