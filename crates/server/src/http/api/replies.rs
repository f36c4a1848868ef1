//! `GET`/`PUT /admin/services/{id}/replies`: a service's canned replies for
//! the public chat, edited by an administrator.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use orderdesk_domain::ServiceId;
use orderdesk_protocol::{CannedReplies, ErrorBody};

use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, AuthUser};
use crate::replies;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/services/{id}/replies",
        get(show_replies).put(set_replies),
    )
}

#[utoipa::path(get, path = "/api/v1/admin/services/{id}/replies", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service")),
    responses((status = 200, body = CannedReplies), (status = 403, body = ErrorBody, description = "`role_not_allowed`: administrators only"),
        (status = 404, body = ErrorBody)))]
pub async fn show_replies(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<ServiceId>,
) -> Result<Json<CannedReplies>, ApiError> {
    let answer = replies::replies(&state, &user.caller(), id).await;
    Ok(Json(answer.in_lang(user.lang)?))
}

#[utoipa::path(put, path = "/api/v1/admin/services/{id}/replies", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service")), request_body = CannedReplies,
    responses((status = 200, body = CannedReplies, description = "The replies as saved"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: administrators only"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`invalid_reply`: an empty or too long reply; `too_many_replies`")))]
pub async fn set_replies(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<ServiceId>,
    ApiJson(req): ApiJson<CannedReplies>,
) -> Result<Json<CannedReplies>, ApiError> {
    let answer = replies::set_replies(&state, &user.caller(), id, &req.replies).await;
    Ok(Json(answer.in_lang(user.lang)?))
}
