//! Signing in and out, and who one is.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use orderdesk_protocol::{ErrorBody, ErrorCode, LoginRequest, LoginResponse, MeResponse};
use rand::RngCore;

use crate::http::error::{pick, ApiError, InLang};
use crate::http::extract::{token_hash, ApiJson, AuthUser, ReqLang};
use crate::passwords::password_matches;
use crate::state::AppState;
use crate::storage;
use crate::view;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(show_me))
}

/// Signs in with a login and password; answers a bearer token.
///
/// Takes no `Idempotency-Key`: one sent is ignored, each sign-in gets a
/// token of its own, and the answer is never stored, since it holds the
/// token. Only the calls that change an order take a key.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let wrong = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            pick(
                lang,
                "Неверный логин или пароль.",
                "Wrong login or password.",
            ),
        )
    };
    let user = {
        let mut conn = state.storage().read().await?;
        storage::user_by_login(&mut conn, req.login.trim()).await?
    }
    .ok_or_else(wrong)?;
    let hash = user.password_hash.clone();
    let password = req.password;
    let ok = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    if !ok {
        return Err(wrong());
    }
    let blocked = {
        let mut conn = state.storage().read().await?;
        storage::blocked_login(&mut conn, &user.login).await?
    };
    if blocked == Some(true) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::AccountBlocked,
            pick(
                lang,
                "Учетная запись заблокирована администратором.",
                "The account is blocked by an administrator.",
            ),
        ));
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    storage::insert_token(
        &mut tx,
        &token_hash(&token),
        user.id,
        now,
        now + state.config().token_ttl,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(LoginResponse {
        token,
        user: view::user_summary(&user),
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode, ApiError> {
    let mut tx = state.storage().begin().await?;
    storage::delete_token(&mut tx, &user.token_hash).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn show_me(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<MeResponse>, ApiError> {
    let mut conn = state.storage().read().await?;
    let row = storage::user_by_id(&mut conn, user.id.0)
        .await?
        .ok_or_else(|| ApiError::unauthorized(user.lang))?;
    let services = storage::services_of(&mut conn, user.id.0)
        .await?
        .iter()
        .map(view::service_ref)
        .collect::<Result<Vec<_>, _>>()
        .in_lang(user.lang)?;
    Ok(Json(MeResponse {
        user: view::user_summary(&row),
        services,
    }))
}
