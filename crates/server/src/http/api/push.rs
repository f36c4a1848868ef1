//! `GET /push/key`, `PUT`/`DELETE /push/subscriptions`: Web Push for the
//! app installed from a browser, so that a new or returned order reaches a
//! manager whose app is closed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use orderdesk_protocol::{ErrorBody, PushPublicKey, PushSubscription, PushUnsubscribe};

use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, AuthUser};
use crate::push;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/push/key", get(show_push_key)).route(
        "/push/subscriptions",
        put(subscribe_push).delete(unsubscribe_push),
    )
}

/// The server's VAPID public key, for `PushManager.subscribe`'s
/// `applicationServerKey`; every instance answers the same.
#[utoipa::path(get, path = "/api/v1/push/key", tag = "push", security(("bearer" = [])),
    responses((status = 200, body = PushPublicKey)))]
pub async fn show_push_key(State(state): State<AppState>, _user: AuthUser) -> Json<PushPublicKey> {
    Json(push::public_key(&state))
}

/// Keeps the browser's subscription (`PushSubscription.toJSON()`) for the
/// signed-in user, replacing one of the same endpoint. It lasts as long as
/// the session: signing out forgets it.
#[utoipa::path(put, path = "/api/v1/push/subscriptions", tag = "push", security(("bearer" = [])),
    request_body = PushSubscription,
    responses((status = 204, description = "Kept"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: administrators receive no notices"),
        (status = 422, body = ErrorBody, description = "`invalid_push_endpoint`: not https (plain http only to the server's own machine) or over 2048 bytes; `invalid_push_key`: p256dh is not an uncompressed P-256 point; `invalid_push_auth`: auth is not 16 bytes")))]
pub async fn subscribe_push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushSubscription>,
) -> Result<StatusCode, ApiError> {
    push::subscribe(&state, &user.caller(), &user.token_hash, &req)
        .await
        .in_lang(user.lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Forgets the signed-in user's subscription at the endpoint; one already
/// gone is fine.
#[utoipa::path(delete, path = "/api/v1/push/subscriptions", tag = "push", security(("bearer" = [])),
    request_body = PushUnsubscribe,
    responses((status = 204, description = "Forgotten")))]
pub async fn unsubscribe_push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushUnsubscribe>,
) -> Result<StatusCode, ApiError> {
    push::unsubscribe(&state, &user.caller(), &req.endpoint)
        .await
        .in_lang(user.lang)?;
    Ok(StatusCode::NO_CONTENT)
}
