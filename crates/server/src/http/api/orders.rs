//! `GET /orders`, `GET /orders/{number}`, `POST /orders`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use orderdesk_domain::OrderNumber;
use orderdesk_protocol::{CreateOrderRequest, ErrorBody, OrderDetail, OrderListQuery, OrderPage};

use crate::http::answer;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};
use crate::http::idempotency::Keyed;
use crate::orders::{create, query};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{number}", get(show_order))
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])),
    params(OrderListQuery),
    responses((status = 200, body = OrderPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_orders(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<OrderListQuery>,
) -> Result<Json<OrderPage>, ApiError> {
    let page = query::list(&state, &user.caller(), &q).await;
    Ok(Json(page.in_lang(user.lang)?))
}

#[utoipa::path(get, path = "/api/v1/orders/{number}", tag = "orders", security(("bearer" = [])),
    params(("number" = i64, Path, description = "The order's public number")),
    responses((status = 200, body = OrderDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_order(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(number): ApiPath<OrderNumber>,
) -> Result<Json<OrderDetail>, ApiError> {
    let card = query::detail(&state, &user.caller(), number).await;
    Ok(Json(card.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])),
    request_body = CreateOrderRequest,
    responses((status = 201, body = OrderDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_order(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiJson(req): ApiJson<CreateOrderRequest>,
) -> Result<Response, ApiError> {
    let created = create::create_order(&state, &user.caller(), &req).await;
    answer::card(&state, &user, keyed, StatusCode::CREATED, created).await
}
