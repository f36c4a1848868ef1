//! The order chat.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use orderdesk_protocol::{ErrorBody, MessageList, PostMessageRequest};

use crate::answer;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, AuthUser};
use crate::orders::{commands, query};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/orders/{number}/messages", get(list).post(post_message))
}

#[utoipa::path(get, path = "/api/v1/orders/{number}/messages", tag = "chat", security(("bearer" = [])),
    params(("number" = i64, Path)),
    responses((status = 200, body = MessageList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
) -> Result<Json<MessageList>, ApiError> {
    Ok(Json(query::messages(&state, &user, number).await?))
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/messages", tag = "chat", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = PostMessageRequest,
    responses((status = 201, body = MessageList, description = "The chat after the message"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<PostMessageRequest>,
) -> Result<Response, ApiError> {
    let work = commands::post_message(&state, &user, number, &req.text, req.visibility);
    answer::chat(&user, StatusCode::CREATED, work).await
}
