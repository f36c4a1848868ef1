//! «Изменить заказ» of a meeting-room booking and the free slots of a day.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, patch};
use axum::{Json, Router};
use chrono::NaiveDate;
use orderdesk_domain::{OrderNumber, ResourceId};
use orderdesk_protocol::{Availability, BookingEditRequest, ErrorBody, OrderDetail};
use serde::Deserialize;

use crate::http::answer;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};
use crate::http::idempotency::Keyed;
use crate::orders::booking;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{number}/booking", patch(edit_booking))
        .route("/resources/{id}/availability", get(show_availability))
}

#[utoipa::path(patch, path = "/api/v1/orders/{number}/booking", tag = "booking", security(("bearer" = [])),
    params(("number" = i64, Path)), request_body = BookingEditRequest,
    responses((status = 200, body = OrderDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "slot_taken, stale_version, not_editable"),
        (status = 422, body = ErrorBody, description = "slots off the grid, paid_slot_count")))]
pub async fn edit_booking(
    State(state): State<AppState>,
    user: AuthUser,
    keyed: Keyed,
    ApiPath(number): ApiPath<OrderNumber>,
    ApiJson(req): ApiJson<BookingEditRequest>,
) -> Result<Response, ApiError> {
    let edited = booking::edit_booking(&state, &user.caller(), number, &req).await;
    answer::card(&state, &user, keyed, StatusCode::OK, edited).await
}

/// `?date=YYYY-MM-DD`, and optionally the order being edited.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    pub date: NaiveDate,
    /// The slots of this order count as free (its edit form).
    pub order: Option<OrderNumber>,
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/availability", tag = "booking", security(("bearer" = [])),
    params(("id" = i64, Path), AvailabilityQuery),
    responses((status = 200, body = Availability), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn show_availability(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<ResourceId>,
    ApiQuery(q): ApiQuery<AvailabilityQuery>,
) -> Result<Json<Availability>, ApiError> {
    let day = booking::availability(&state, id, q.date, q.order).await;
    Ok(Json(day.in_lang(user.lang)?))
}
