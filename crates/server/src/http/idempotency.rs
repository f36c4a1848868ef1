//! `Idempotency-Key` on mutating calls: the first answer for a user's key is
//! stored and replayed for every repeat, so a retried request changes
//! nothing. A repeat that arrives while the first is still running gets 409;
//! the same key on another endpoint gets 422. Answers of 5xx are not kept,
//! so a retry after a server fault runs again.
//!
//! The layer hands the reserved key to the handler as a request extension
//! ([`Keyed`]). An order change stores its answer in its own transaction
//! (see the `answer` module) and marks the response [`AnswerKept`], so a
//! crash after the commit cannot lose the answer and let a retry run the
//! change again; other answers (refusals, sign-in) are stored here once the
//! handler returns.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use orderdesk_domain::{Lang, UserId};
use orderdesk_protocol::{ErrorCode, IDEMPOTENCY_KEY_HEADER};
use std::convert::Infallible;

use crate::http::error::{pick, ApiError};
use crate::http::extract::{authenticate, lang_of};
use crate::state::AppState;
use crate::storage::{self, KeyState};

/// The header set on a replayed answer.
pub const REPLAYED_HEADER: &str = "Idempotency-Replayed";

/// The key reserved for the request being handled.
#[derive(Debug, Clone)]
pub struct Reservation {
    pub user_id: UserId,
    pub key: String,
}

/// The key the request runs under, if it has one: what a handler passes on
/// to store its answer with its change.
#[derive(Debug, Clone, Default)]
pub struct Keyed(pub Option<Reservation>);

impl<S: Send + Sync> FromRequestParts<S> for Keyed {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Keyed(parts.extensions.get::<Reservation>().cloned()))
    }
}

/// Marks a response whose answer is stored under its `Idempotency-Key`
/// already, so the layer does not store it again.
#[derive(Debug, Clone, Copy)]
pub struct AnswerKept;

pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(key) = req
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .map(|v| v.to_str().map(str::to_owned))
    else {
        return next.run(req).await;
    };
    let lang = lang_of(req.headers());
    let key = match key {
        Ok(k) if !k.trim().is_empty() && k.len() <= 200 => k,
        _ => return bad_key(lang).into_response(),
    };
    let user = match authenticate(&state, req.headers()).await {
        Ok(Some(user)) => user,
        // Without a user the handler answers 401 (or needs no key).
        Ok(None) => return next.run(req).await,
        Err(e) => return e.into_response(),
    };
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let reserved = async {
        let mut tx = state.storage().begin().await?;
        let found =
            storage::reserve_key(&mut tx, user.id.0, &key, &method, &path, state.now()).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(found)
    }
    .await;
    let user_id = user.id;
    req.extensions_mut().insert(user);
    match reserved {
        Err(e) => e.into_response(),
        Ok(KeyState::Answered {
            method: m,
            path: p,
            status,
            body,
        }) => {
            if m != method || p != path {
                return reused(lang).into_response();
            }
            replay(status, body)
        }
        Ok(KeyState::InFlight) => ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::IdempotencyInProgress,
            pick(
                lang,
                "Запрос с этим ключом еще выполняется.",
                "A request with this key is still running.",
            ),
        )
        .into_response(),
        Ok(KeyState::Reserved) => {
            req.extensions_mut().insert(Reservation {
                user_id,
                key: key.clone(),
            });
            let response = next.run(req).await;
            if response.extensions().get::<AnswerKept>().is_some() {
                return response;
            }
            match keep(&state, user_id, &key, response).await {
                Ok(response) => response,
                Err(e) => e.into_response(),
            }
        }
    }
}

fn bad_key(lang: Lang) -> ApiError {
    ApiError::invalid(
        ErrorCode::InvalidIdempotencyKey,
        pick(
            lang,
            "Idempotency-Key: от 1 до 200 видимых символов.",
            "Idempotency-Key must be 1 to 200 visible characters.",
        ),
    )
}

fn reused(lang: Lang) -> ApiError {
    ApiError::invalid(
        ErrorCode::IdempotencyKeyReused,
        pick(
            lang,
            "Этот Idempotency-Key уже использован для другого запроса.",
            "This Idempotency-Key was used for another request.",
        ),
    )
}

fn replay(status: u16, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

/// Stores the answer (or forgets the key after a server fault) and hands it on.
async fn keep(
    state: &AppState,
    user_id: UserId,
    key: &str,
    response: Response,
) -> Result<Response, ApiError> {
    let mut tx = state.storage().begin().await?;
    if response.status().is_server_error() {
        storage::release_key(&mut tx, user_id.0, key).await?;
        tx.commit().await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .map_err(ApiError::internal)?;
    storage::store_answer(&mut tx, user_id.0, key, parts.status.as_u16(), &bytes).await?;
    tx.commit().await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}
