//! The actions on an order: executor, status, deadlines, confirm, return,
//! cancel, «Провести оплату», shop collection and its undo, «Взять в работу». Each answers with the order
//! card as it is after the change, including its new `version`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use orderdesk_domain::{LineNo, OrderNumber};
use orderdesk_protocol::{
    AssigneeRequest, CollectLineRequest, DeadlinesRequest, ErrorBody, OrderDetail, PaymentRequest,
    StatusRequest, VersionOnly,
};

use crate::http::answer;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, AuthUser};
use crate::http::idempotency::Keyed;
use crate::orders::{commands, money};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{number}/assignee", post(assign_executor))
        .route("/orders/{number}/status", post(change_status))
        .route("/orders/{number}/deadlines", post(change_deadlines))
        .route("/orders/{number}/confirm", post(confirm))
        .route("/orders/{number}/return", post(return_to_work))
        .route("/orders/{number}/cancel", post(cancel))
        .route("/orders/{number}/payments", post(record_payment))
        .route("/orders/{number}/items/{line}", post(collect_line))
        .route("/orders/{number}/take", post(take_in_work))
        .route("/orders/{number}/items/{line}/undo", post(undo_collection))
}

/// The order card after the change, built in the change's transaction.
type Card = Result<Response, ApiError>;

#[utoipa::path(post, path = "/api/v1/orders/{number}/assignee", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = AssigneeRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_executor(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<AssigneeRequest>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::assign_executor(&state, &caller, number, req.version, req.user_id).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/status", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = StatusRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::change_status(&state, &caller, number, req.version, req.status).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/deadlines", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = DeadlinesRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_deadlines(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<DeadlinesRequest>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::change_deadlines(
            &state,
            &caller,
            number,
            req.version,
            req.first_response_due,
            req.completion_due,
        )
        .await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/confirm", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::confirm(&state, &caller, number, req.version).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/return", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn return_to_work(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::return_to_work(&state, &caller, number, req.version).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/cancel", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::cancel(&state, &caller, number, req.version).await,
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
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<PaymentRequest>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        money::record_payment(&state, &caller, number, req.version, req.amount).await,
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
    keyed: Keyed,
    ApiPath((number, line)): ApiPath<(OrderNumber, LineNo)>,
    ApiJson(req): ApiJson<CollectLineRequest>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::collect_line(&state, &caller, number, line, req.version, req.outcome).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/take", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail, description = "«Взять в работу»: the caller is the executor; a new request is «В работе»"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn take_in_work(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::take_in_work(&state, &caller, number, req.version).await,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{number}/items/{line}/undo", tag = "actions", security(("bearer" = [])),
    params(("number" = i64, Path), ("line" = u32, Path, description = "Line position, from 1")), request_body = VersionOnly,
    responses((status = 200, body = OrderDetail, description = "The line's collection mark taken back"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn undo_collection(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath((number, line)): ApiPath<(OrderNumber, LineNo)>,
    ApiJson(req): ApiJson<VersionOnly>,
) -> Card {
    let caller = user.caller();
    answer::card(
        &state,
        &user,
        keyed,
        StatusCode::OK,
        commands::undo_collection(&state, &caller, number, line, req.version).await,
    )
    .await
}
