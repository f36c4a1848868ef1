//! `/admin/services…`, `/admin/objects…`, `/admin/products…`: what can be
//! ordered, and from whom.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orderdesk_protocol::{
    AdminObject, AdminObjectList, AdminProduct, AdminProductList, AdminService, AdminServiceList,
    AdminVersion, AuditObject, ErrorBody, ObjectRequest, ObjectUpdateRequest, ProductRequest,
    ProductUpdateRequest, ServiceRequest, ServiceUpdateRequest,
};

use crate::admin;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/admin/services", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = AdminServiceList), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn list_services(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<AdminServiceList>, ApiError> {
    let found = admin::services::list(&state, &user.caller()).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/services", tag = "admin", security(("bearer" = [])),
    request_body = ServiceRequest,
    responses((status = 201, body = AdminService), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`invalid_name`, `invalid_minutes`, `unknown_user`, \
            `responsible_role_mismatch`")))]
pub async fn create_service(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<ServiceRequest>,
) -> Result<(StatusCode, Json<AdminService>), ApiError> {
    let created = admin::services::create(&state, &user.caller(), &req).await;
    Ok((StatusCode::CREATED, Json(created.in_lang(user.lang)?)))
}

#[utoipa::path(get, path = "/api/v1/admin/services/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service's id")),
    responses((status = 200, body = AdminService), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn show_service(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminService>, ApiError> {
    let found = admin::services::get(&state, &user.caller(), id).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(put, path = "/api/v1/admin/services/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service's id")),
    request_body = ServiceUpdateRequest,
    responses((status = 200, body = AdminService), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `kind_in_use`"),
        (status = 422, body = ErrorBody, description = "`invalid_name`, `invalid_minutes`, `unknown_user`, \
            `responsible_role_mismatch`")))]
pub async fn update_service(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ServiceUpdateRequest>,
) -> Result<Json<AdminService>, ApiError> {
    let updated = admin::services::update(&state, &user.caller(), id, &req).await;
    Ok(Json(updated.in_lang(user.lang)?))
}

#[utoipa::path(delete, path = "/api/v1/admin/services/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service's id"), AdminVersion),
    responses((status = 204, description = "Deleted with its objects and goods"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `open_orders_remain`, `has_order_history`")))]
pub async fn delete_service(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AdminVersion>,
) -> Result<StatusCode, ApiError> {
    let deleted = admin::services::delete(&state, &user.caller(), id, q.version).await;
    deleted.in_lang(user.lang)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/admin/objects", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = AdminObjectList), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn list_objects(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<AdminObjectList>, ApiError> {
    let found = admin::objects::list_objects(&state, &user.caller()).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/objects", tag = "admin", security(("bearer" = [])),
    request_body = ObjectRequest,
    responses((status = 201, body = AdminObject), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`unknown_service`, `wrong_service_kind`, `invalid_name`, \
            `invalid_price`, `invalid_capacity`, `invalid_opening_hours`")))]
pub async fn create_object(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<ObjectRequest>,
) -> Result<(StatusCode, Json<AdminObject>), ApiError> {
    let created = admin::objects::create_object(&state, &user.caller(), &req).await;
    Ok((StatusCode::CREATED, Json(created.in_lang(user.lang)?)))
}

#[utoipa::path(get, path = "/api/v1/admin/objects/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The object's id")),
    responses((status = 200, body = AdminObject), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn show_object(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminObject>, ApiError> {
    let found = admin::objects::get_object(&state, &user.caller(), id).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(put, path = "/api/v1/admin/objects/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The object's id")),
    request_body = ObjectUpdateRequest,
    responses((status = 200, body = AdminObject), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`"),
        (status = 422, body = ErrorBody, description = "`invalid_name`, `invalid_price`, `invalid_capacity`, \
            `invalid_opening_hours`")))]
pub async fn update_object(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ObjectUpdateRequest>,
) -> Result<Json<AdminObject>, ApiError> {
    let updated = admin::objects::update_object(&state, &user.caller(), id, &req).await;
    Ok(Json(updated.in_lang(user.lang)?))
}

#[utoipa::path(delete, path = "/api/v1/admin/objects/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The object's id"), AdminVersion),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `open_orders_remain`, `has_order_history`")))]
pub async fn delete_object(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AdminVersion>,
) -> Result<StatusCode, ApiError> {
    let deleted =
        admin::objects::delete(&state, &user.caller(), AuditObject::Object, id, q.version).await;
    deleted.in_lang(user.lang)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/admin/products", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = AdminProductList), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn list_products(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<AdminProductList>, ApiError> {
    let found = admin::objects::list_products(&state, &user.caller()).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/products", tag = "admin", security(("bearer" = [])),
    request_body = ProductRequest,
    responses((status = 201, body = AdminProduct), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`unknown_service`, `wrong_service_kind`, `invalid_name`, \
            `invalid_price`")))]
pub async fn create_product(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<ProductRequest>,
) -> Result<(StatusCode, Json<AdminProduct>), ApiError> {
    let created = admin::objects::create_product(&state, &user.caller(), &req).await;
    Ok((StatusCode::CREATED, Json(created.in_lang(user.lang)?)))
}

#[utoipa::path(get, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The good's id")),
    responses((status = 200, body = AdminProduct), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn show_product(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminProduct>, ApiError> {
    let found = admin::objects::get_product(&state, &user.caller(), id).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(put, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The good's id")),
    request_body = ProductUpdateRequest,
    responses((status = 200, body = AdminProduct), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`"),
        (status = 422, body = ErrorBody, description = "`invalid_name`, `invalid_price`")))]
pub async fn update_product(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ProductUpdateRequest>,
) -> Result<Json<AdminProduct>, ApiError> {
    let updated = admin::objects::update_product(&state, &user.caller(), id, &req).await;
    Ok(Json(updated.in_lang(user.lang)?))
}

#[utoipa::path(delete, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The good's id"), AdminVersion),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `open_orders_remain`, `has_order_history`")))]
pub async fn delete_product(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AdminVersion>,
) -> Result<StatusCode, ApiError> {
    let deleted =
        admin::objects::delete(&state, &user.caller(), AuditObject::Product, id, q.version).await;
    deleted.in_lang(user.lang)?;
    Ok(StatusCode::NO_CONTENT)
}
