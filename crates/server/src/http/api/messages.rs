//! The order chat.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use orderdesk_domain::OrderNumber;
use orderdesk_protocol::{ErrorBody, MessageList, PostMessageRequest};

use crate::http::answer;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, AuthUser};
use crate::http::idempotency::Keyed;
use crate::orders::{commands, query};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/orders/{number}/messages",
        get(list_messages).post(post_message),
    )
}

#[utoipa::path(get, path = "/api/v1/orders/{number}/messages", tag = "chat", security(("bearer" = [])),
    params(("number" = i64, Path)),
    responses((status = 200, body = MessageList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_messages(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<OrderNumber>,
) -> Result<Json<MessageList>, ApiError> {
    let chat = query::messages(&state, &user.caller(), number).await;
    Ok(Json(chat.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/messages", tag = "chat", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = PostMessageRequest,
    responses((status = 201, body = MessageList, description = "The chat after the message"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<PostMessageRequest>,
) -> Result<Response, ApiError> {
    let caller = user.caller();
    let posted = commands::post_message(&state, &caller, number, &req.text, req.visibility).await;
    answer::chat(&state, &user, keyed, StatusCode::CREATED, posted).await
}
