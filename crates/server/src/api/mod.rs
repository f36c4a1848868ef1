//! HTTP: one router per resource, merged under `/api/v1`, with the layers
//! every call goes through (body limit, idempotency, tracing) and JSON
//! answers for unknown paths and methods.

pub mod actions;
pub mod auth;
pub mod booking;
pub mod catalog;
pub mod messages;
pub mod openapi;
pub mod orders;
pub mod payments;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::extract::ReqLang;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::router())
        .merge(orders::router())
        .merge(actions::router())
        .merge(booking::router())
        .merge(messages::router())
        .merge(catalog::router())
        .merge(payments::router())
        .merge(openapi::router())
        .merge(crate::sync::router());
    Router::new()
        .nest("/api/v1", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), crate::idempotency::layer))
        .layer(DefaultBodyLimit::max(state.config().body_limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found(ReqLang(lang): ReqLang) -> ApiError {
    ApiError::not_found(lang, "такого адреса нет в API")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Метод не поддерживается для этого адреса.",
    )
}
