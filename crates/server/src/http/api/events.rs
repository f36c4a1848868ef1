//! `GET /events`: server-sent events about the orders the user may see. Each
//! event's id is its change log position; a client that reconnects with
//! `Last-Event-ID` first gets what it missed (up to a page, then it pulls).
//! The stream ends when the server begins to stop, so that shutdown does
//! not wait on the clients that hold it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use orderdesk_domain::{may_view, NoticeEvent, OrderNumber};
use orderdesk_protocol::{ServerEvent, ServerEventKind};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

use crate::http::error::ApiError;
use crate::http::extract::AuthUser;
use crate::orders::facts;
use crate::state::{AppState, ChangeNotice};
use crate::storage;

/// How many missed changes a reconnect replays; past that the pull catches up.
const REPLAY_LIMIT: i64 = 500;
/// Clients take a stream silent for twice this long as dead, so it bounds
/// how long a dead server can look alive.
const KEEP_ALIVE: Duration = Duration::from_secs(orderdesk_protocol::EVENTS_KEEP_ALIVE_SECONDS);

#[utoipa::path(get, path = "/api/v1/events", tag = "sync", security(("bearer" = [])),
    params(("Last-Event-ID" = Option<i64>, Header, description = "The id of the last event received")),
    responses((status = 200, content_type = "text/event-stream", body = ServerEvent,
        description = "`event: order` with `id:` the change log position and a ServerEvent as data; keep-alive comments every 10 s"),
        (status = 401, body = orderdesk_protocol::ErrorBody)))]
pub async fn stream_events(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Subscribe before reading the replay, so nothing falls in between.
    let receiver = state.subscribe();
    let stopping = state.stopping();
    let last_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let mut replay = Vec::new();
    // Changes up to here were sent (or replayed); `None` sends every change.
    let mut last_sent = last_id;
    if let Some(after) = last_id {
        let mut conn = state.storage().read().await?;
        for (order_id, seq) in storage::changed_since(&mut conn, after, REPLAY_LIMIT).await? {
            if let Some(row) = storage::order_by_id(&mut conn, order_id).await? {
                let notice = ChangeNotice {
                    seq,
                    order: OrderNumber(row.number),
                    version: row.version,
                };
                if visible(&state, &user, notice.order).await {
                    let told = told(&state, &user, seq).await;
                    replay.push(Ok(event_of(notice, told)));
                }
            }
            last_sent = Some(seq);
        }
    }
    let live = stream::unfold(
        (receiver, state, user, last_sent),
        |(mut receiver, state, user, last_sent)| async move {
            loop {
                match receiver.recv().await {
                    Ok(notice) => {
                        if last_sent.is_some_and(|sent| notice.seq <= sent) {
                            continue;
                        }
                        // A session ended meanwhile (a block, a password
                        // reset, a sign-out) ends its stream too.
                        if !session_alive(&state, &user).await {
                            return None;
                        }
                        if visible(&state, &user, notice.order).await {
                            let told = told(&state, &user, notice.seq).await;
                            let event = event_of(notice, told);
                            return Some((Ok(event), (receiver, state, user, Some(notice.seq))));
                        }
                    }
                    // Too far behind: a bare hint makes the client pull.
                    Err(RecvError::Lagged(_)) => {
                        let hint = Event::default().event("resync").data("{}");
                        return Some((Ok(hint), (receiver, state, user, last_sent)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    let stream = stream::iter(replay).chain(live).take_until(stopping);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive")))
}

async fn session_alive(state: &AppState, user: &AuthUser) -> bool {
    let Ok(mut conn) = state.storage().read().await else {
        return false;
    };
    matches!(
        storage::user_by_token(&mut conn, &user.token_hash, state.now()).await,
        Ok(Some(_))
    )
}

async fn visible(state: &AppState, user: &AuthUser, order: OrderNumber) -> bool {
    let Ok(mut conn) = state.storage().read().await else {
        return false;
    };
    match facts::load(&mut conn, order).await {
        Ok(ctx) => may_view(&ctx.facts, user.actor()).is_ok(),
        Err(_) => false,
    }
}

/// What the change at `seq` told this user, if it raised a notice for them.
async fn told(state: &AppState, user: &AuthUser, seq: i64) -> Option<NoticeEvent> {
    let mut conn = state.storage().read().await.ok()?;
    let event = storage::notice_event_at(&mut conn, user.id.0, seq)
        .await
        .ok()??;
    crate::sync::notices::notice_event(&event)
}

fn event_of(notice: ChangeNotice, told: Option<NoticeEvent>) -> Event {
    let kind = match told {
        Some(event) => ServerEventKind::of_notice(event),
        None if notice.version <= 1 => ServerEventKind::OrderCreated,
        None => ServerEventKind::OrderChanged,
    };
    let body = ServerEvent {
        id: notice.seq,
        kind,
        order: notice.order,
    };
    Event::default()
        .id(notice.seq.to_string())
        .event("order")
        .data(serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_owned()))
}
