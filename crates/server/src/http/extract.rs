//! Extractors, so handlers never parse headers or meet axum's plain-text
//! rejections: [`AuthUser`] for the bearer token, [`ApiJson`], [`ApiBytes`],
//! [`ApiPath`] and [`ApiQuery`] whose failures are JSON errors with codes, and
//! [`ReqLang`] for the language of messages.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use orderdesk_domain::{Actor, Lang, Role, UserId};
use orderdesk_protocol::ErrorCode;
use serde::de::{DeserializeOwned, IgnoredAny};
use sha2::{Digest, Sha256};

use crate::caller::Caller;
use crate::error::Text;
use crate::http::error::{pick, ApiError};
use crate::state::AppState;
use crate::storage::{self, UserRow};

/// The language asked for with `Accept-Language`; Russian by default.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        Some(v) if v.trim_start().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Ru,
    }
}

/// The hex SHA-256 under which a token is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub role: Role,
    pub login: String,
    pub name: String,
    pub lang: Lang,
    pub token_hash: String,
}

impl AuthUser {
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, self.role)
    }

    /// The user as the services know them.
    pub fn caller(&self) -> Caller {
        Caller {
            id: self.id,
            role: self.role,
            lang: self.lang,
        }
    }

    fn from_row(row: UserRow, lang: Lang, token_hash: String) -> Result<AuthUser, ApiError> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| ApiError::internal(format!("user {} has role {}", row.id, row.role)))?;
        Ok(AuthUser {
            id: UserId(row.id),
            role,
            login: row.login,
            name: row.name,
            lang,
            token_hash,
        })
    }
}

/// Resolves the request's bearer token; `None` when it is absent, unknown or
/// expired.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<AuthUser>, ApiError> {
    let Some(token) = bearer(headers) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let mut conn = state.storage().read().await?;
    let row = storage::user_by_token(&mut conn, &hash, state.now()).await?;
    row.map(|r| AuthUser::from_row(r, lang_of(headers), hash))
        .transpose()
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The idempotency layer may have resolved the token already.
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let user = authenticate(state, &parts.headers)
            .await?
            .ok_or_else(|| ApiError::unauthorized(lang_of(&parts.headers)))?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The language of the request, for calls without a user.
#[derive(Debug, Clone, Copy)]
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}

/// The raw body of a request: a body over the limit is 413 `body_too_large`,
/// one that cannot be read 400 `unreadable_body`, both as JSON errors.
#[derive(Debug, Clone)]
pub struct ApiBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(req.headers());
        Bytes::from_request(req, state)
            .await
            .map(ApiBytes)
            .map_err(|rejection| body_rejection(&rejection, lang))
    }
}

/// A body that could not be read, in the error format: 413 when it is over
/// the limit, 400 otherwise.
pub fn body_rejection(rejection: &BytesRejection, lang: Lang) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTooLarge,
            pick(
                lang,
                "Слишком большой запрос.",
                "The request body is too large.",
            ),
        )
    } else {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::UnreadableBody,
            pick(
                lang,
                "Не удалось прочитать тело запроса.",
                "The request body could not be read.",
            ),
        )
    }
}

/// Reads a JSON body: JSON that does not parse is 400 `malformed_json`;
/// well-formed JSON of the wrong shape (a number where a status goes, a
/// missing field) is 422 `invalid_body`. serde_json calls some shape errors
/// syntax errors (an integer where an enum goes), so the syntax is checked
/// on its own first.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, ApiError> {
    if let Err(e) = serde_json::from_slice::<IgnoredAny>(bytes) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            pick(
                lang,
                &format!("Некорректный JSON: {e}"),
                &format!("Malformed JSON: {e}"),
            ),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::invalid(
            ErrorCode::InvalidBody,
            pick(
                lang,
                &format!("Неверные данные: {e}"),
                &format!("Invalid body: {e}"),
            ),
        )
    })
}

/// A JSON body, read by [`parse_json`]; a body over the limit is 413
/// `body_too_large`, another content type 415. An empty body reads as `{}`
/// so that calls with only optional fields need none.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(req.headers());
        let json_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.to_ascii_lowercase().contains("json"));
        let ApiBytes(bytes) = ApiBytes::from_request(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return parse_json(b"{}", lang).map(ApiJson);
        }
        if json_type == Some(false) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                pick(
                    lang,
                    "Ожидается JSON (application/json).",
                    "Expected application/json.",
                ),
            ));
        }
        parse_json(&bytes, lang).map(ApiJson)
    }
}

/// Path parameters; a value of the wrong type is the same as an unknown one:
/// 404 `not_found`.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(&parts.headers);
        let path = parts.uri.path().to_owned();
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|_| {
                ApiError::not_found(
                    lang,
                    Text::new(format!("адрес {path}"), format!("the address {path}")),
                )
            })
    }
}

/// Query parameters; malformed or out-of-range ones are 422 `invalid_query`.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(&parts.headers);
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| {
                // axum's text names the parameter and what was wrong with it.
                let detail = e.body_text();
                let detail = detail
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&detail);
                ApiError::invalid(
                    ErrorCode::InvalidQuery,
                    pick(
                        lang,
                        &format!("Неверные параметры запроса: {detail}"),
                        &format!("Invalid query: {detail}"),
                    ),
                )
            })
    }
}
