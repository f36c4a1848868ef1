//! `GET /sync/pull`, `POST /sync/push` and the live `GET /events` stream of
//! the offline app; the work is in [`crate::sync`].

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use orderdesk_protocol::{ErrorBody, PullQuery, PullResponse, PushRequest, PushResponse};

use crate::http::api::events;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiQuery, AuthUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/pull", get(pull))
        .route("/sync/push", post(push))
        .route("/events", get(events::stream_events))
}

/// The orders the user may see that changed after the cursor, with their
/// chats, tombstones and notices.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    params(PullQuery),
    responses((status = 200, body = PullResponse), (status = 401, body = ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let page = crate::sync::pull::pull(&state, &user.caller(), &q).await;
    Ok(Json(page.in_lang(user.lang)?))
}

/// The client's outbox, applied in order, each mutation exactly once.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushRequest,
    responses((status = 200, body = PushResponse, description = "One result per mutation, in order; fewer when the server stopped on a fault, the rest to be sent again"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let results = crate::sync::push::push(&state, &user.caller(), &req).await;
    Ok(Json(results.in_lang(user.lang)?))
}
