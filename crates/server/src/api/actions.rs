//! The actions on an order: executor, status, deadlines, confirm, return,
//! cancel, «Провести оплату», shop collection. Each answers with the order
//! card as it is after the change, including its new `version`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use orderdesk_protocol::{
    AssigneeRequest, CollectLineRequest, DeadlinesRequest, ErrorBody, OrderDetail, PaymentRequest,
    StatusRequest, VersionOnly,
};

use crate::answer;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, AuthUser};
use crate::orders::{commands, money};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{number}/assignee", post(assignee))
        .route("/orders/{number}/status", post(status))
        .route("/orders/{number}/deadlines", post(deadlines))
        .route("/orders/{number}/confirm", post(confirm))
        .route("/orders/{number}/return", post(return_to_work))
        .route("/orders/{number}/cancel", post(cancel))
        .route("/orders/{number}/payments", post(record_payment))
        .route("/orders/{number}/items/{line}", post(collect_line))
}

/// The order card after the change, built in the change's transaction.
type Card = Result<Response, ApiError>;

#[utoipa::path(post, path = "/api/v1/orders/{number}/assignee", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = AssigneeRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assignee(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<AssigneeRequest>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::assign(&state, &user, number, req.version, req.user_id),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/status", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = StatusRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::change_status(&state, &user, number, req.version, req.status),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/deadlines", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = DeadlinesRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deadlines(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<DeadlinesRequest>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::change_deadlines(
            &state,
            &user,
            number,
            req.version,
            req.first_response_due,
            req.completion_due,
        ),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/confirm", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::confirm(&state, &user, number, req.version),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/return", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn return_to_work(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::return_to_work(&state, &user, number, req.version),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/cancel", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::cancel(&state, &user, number, req.version),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/payments", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = PaymentRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_payment(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
    ApiJson(req): ApiJson<PaymentRequest>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        money::record_payment(&state, &user, number, req.version, req.amount),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/items/{line}", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path), ("line" = u32, Path, description = "Line position, from 1")), request_body = CollectLineRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn collect_line(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((number, line)): ApiPath<(i64, u32)>,
    ApiJson(req): ApiJson<CollectLineRequest>,
) -> Card {
    answer::card(
        &user,
        StatusCode::OK,
        commands::collect_line(&state, &user, number, line, req.version, req.outcome),
    )
    .await
}
