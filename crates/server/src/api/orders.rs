//! `GET /orders`, `GET /orders/{number}`, `POST /orders`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use orderdesk_protocol::{CreateOrderRequest, ErrorBody, OrderDetail, OrderListQuery, OrderPage};

use crate::answer;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};
use crate::orders::{create, query};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list).post(create_order))
        .route("/orders/{number}", get(detail))
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])),
    params(OrderListQuery),
    responses((status = 200, body = OrderPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<OrderListQuery>,
) -> Result<Json<OrderPage>, ApiError> {
    Ok(Json(query::list(&state, &user, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/orders/{number}", tag = "orders", security(("bearer" = [])),
    params(("number" = i64, Path, description = "The order's public number")),
    responses((status = 200, body = OrderDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<i64>,
) -> Result<Json<OrderDetail>, ApiError> {
    Ok(Json(query::detail(&state, &user, number).await?))
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])),
    request_body = CreateOrderRequest,
    responses((status = 201, body = OrderDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_order(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CreateOrderRequest>,
) -> Result<Response, ApiError> {
    let work = create::create_order(&state, &user, &req);
    answer::card(&user, StatusCode::CREATED, work).await
}
