//! `/admin/…`: the administration API (see `orderdesk_protocol::admin` for
//! the list of paths). Only the administrator's role is served; every
//! other role gets 403 `role_not_allowed` and nothing changes.

mod catalog;
mod users;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use orderdesk_protocol::{AuditPage, AuditQuery, CompanyPayerList, ErrorBody};

use crate::admin;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiQuery, AuthUser};
use crate::state::AppState;

pub use catalog::*;
pub use users::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{id}", get(show_user).put(update_user))
        .route("/admin/users/{id}/block", post(block_user))
        .route("/admin/users/{id}/unblock", post(unblock_user))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/payers", get(list_payers))
        .route("/admin/services", get(list_services).post(create_service))
        .route(
            "/admin/services/{id}",
            get(show_service).put(update_service).delete(delete_service),
        )
        .route("/admin/objects", get(list_objects).post(create_object))
        .route(
            "/admin/objects/{id}",
            get(show_object).put(update_object).delete(delete_object),
        )
        .route("/admin/products", get(list_products).post(create_product))
        .route(
            "/admin/products/{id}",
            get(show_product).put(update_product).delete(delete_product),
        )
        .route("/admin/audit", get(list_audit))
}

#[utoipa::path(get, path = "/api/v1/admin/payers", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = CompanyPayerList), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn list_payers(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<CompanyPayerList>, ApiError> {
    let payers = admin::users::payers(&state, &user.caller()).await;
    Ok(Json(payers.in_lang(user.lang)?))
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`invalid_query`: an unknown object or a value out of range")))]
pub async fn list_audit(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let page = admin::audit::list(&state, &user.caller(), &q).await;
    Ok(Json(page.in_lang(user.lang)?))
}
