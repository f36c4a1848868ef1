//! `/admin/users…`: accounts, blocks and password resets.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orderdesk_protocol::{
    AdminUser, AdminUserList, AdminVersion, ErrorBody, NewUserRequest, PasswordResetRequest,
    UserUpdateRequest,
};

use crate::admin;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::{ApiJson, ApiPath, AuthUser};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = AdminUserList), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn list_users(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<AdminUserList>, ApiError> {
    let users = admin::users::list(&state, &user.caller()).await;
    Ok(Json(users.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    request_body = NewUserRequest,
    responses((status = 201, body = AdminUser), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`invalid_login`, `login_taken`, `invalid_name`, \
            `invalid_password`, `invalid_phone`, `invalid_email`, `company_for_requester_only`")))]
pub async fn create_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<AdminUser>), ApiError> {
    let created = admin::users::create(&state, &user.caller(), &req).await;
    Ok((StatusCode::CREATED, Json(created.in_lang(user.lang)?)))
}

#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = AdminUser), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator")))]
pub async fn show_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUser>, ApiError> {
    let found = admin::users::get(&state, &user.caller(), id).await;
    Ok(Json(found.in_lang(user.lang)?))
}

#[utoipa::path(put, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    request_body = UserUpdateRequest,
    responses((status = 200, body = AdminUser), (status = 403, body = ErrorBody,
        description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `last_admin`"),
        (status = 422, body = ErrorBody, description = "`invalid_name`, `invalid_phone`, `invalid_email`, \
            `company_for_requester_only`")))]
pub async fn update_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UserUpdateRequest>,
) -> Result<Json<AdminUser>, ApiError> {
    let updated = admin::users::update(&state, &user.caller(), id, &req).await;
    Ok(Json(updated.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/block", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    request_body = AdminVersion,
    responses((status = 200, body = AdminUser, description = "Blocked; every session of the user has ended"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`, `last_admin`")))]
pub async fn block_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AdminVersion>,
) -> Result<Json<AdminUser>, ApiError> {
    let blocked = admin::users::set_blocked(&state, &user.caller(), id, req.version, true).await;
    Ok(Json(blocked.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/unblock", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    request_body = AdminVersion,
    responses((status = 200, body = AdminUser, description = "Unblocked; old sessions stay ended"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 409, body = ErrorBody, description = "`stale_version`")))]
pub async fn unblock_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AdminVersion>,
) -> Result<Json<AdminUser>, ApiError> {
    let unblocked = admin::users::set_blocked(&state, &user.caller(), id, req.version, false).await;
    Ok(Json(unblocked.in_lang(user.lang)?))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/password", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    request_body = PasswordResetRequest,
    responses((status = 200, body = AdminUser, description = "Set; every session of the user has ended"),
        (status = 403, body = ErrorBody, description = "`role_not_allowed`: not an administrator"),
        (status = 422, body = ErrorBody, description = "`invalid_password`")))]
pub async fn reset_password(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<Json<AdminUser>, ApiError> {
    let reset = admin::users::reset_password(&state, &user.caller(), id, &req).await;
    Ok(Json(reset.in_lang(user.lang)?))
}
