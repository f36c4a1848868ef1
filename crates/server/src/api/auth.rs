//! Signing in and out, and who one is.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use orderdesk_protocol::{ErrorBody, LoginRequest, LoginResponse, MeResponse};
use rand::RngCore;

use crate::config::PasswordCost;
use crate::error::{pick, ApiError};
use crate::extract::{token_hash, ApiJson, AuthUser, ReqLang};
use crate::state::AppState;
use crate::storage;
use crate::view;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

fn argon2(cost: PasswordCost) -> Argon2<'static> {
    match cost {
        PasswordCost::Standard => Argon2::default(),
        PasswordCost::Fast => Params::new(1024, 1, 1, None)
            .map(|p| Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
            .unwrap_or_default(),
    }
}

/// An Argon2id hash in PHC format; verification reads the parameters back
/// from it.
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

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
            "invalid_credentials",
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
        user: view::user_summary(&user, lang),
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
pub async fn me(
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
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(MeResponse {
        user: view::user_summary(&row, user.lang),
        services,
    }))
}
