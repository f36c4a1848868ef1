//! The answer to a mutating call, built inside the transaction of the change
//! it reports and, when the call carries an `Idempotency-Key`, stored in
//! that same transaction. A retry after a crash therefore finds the first
//! answer exactly when the change committed, and the answer shows the order
//! as this change left it, not as a later one did.
//!
//! A handler runs its command, which returns the change staged, and hands
//! it here with the key it runs under ([`Keyed`]); [`card`] or [`chat`]
//! builds the answer on the change's transaction, stores it, and commits.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ServiceError;
use crate::http::error::{ApiError, InLang};
use crate::http::extract::AuthUser;
use crate::http::idempotency::{AnswerKept, Keyed};
use crate::orders::effects::Staged;
use crate::orders::query;
use crate::state::AppState;
use crate::storage;

/// What the call answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The order card.
    Card,
    /// The order's chat as the user may read it.
    Chat,
}

/// Answers a change with the order card as the change left it.
pub async fn card<T>(
    state: &AppState,
    user: &AuthUser,
    keyed: Keyed,
    status: StatusCode,
    change: Result<Staged<T>, ServiceError>,
) -> Result<Response, ApiError> {
    answer(state, user, keyed, Shape::Card, status, change).await
}

/// Answers a change with the order's chat after it.
pub async fn chat<T>(
    state: &AppState,
    user: &AuthUser,
    keyed: Keyed,
    status: StatusCode,
    change: Result<Staged<T>, ServiceError>,
) -> Result<Response, ApiError> {
    answer(state, user, keyed, Shape::Chat, status, change).await
}

async fn answer<T>(
    state: &AppState,
    user: &AuthUser,
    Keyed(reservation): Keyed,
    shape: Shape,
    status: StatusCode,
    change: Result<Staged<T>, ServiceError>,
) -> Result<Response, ApiError> {
    let mut staged = change.in_lang(user.lang)?;
    let Some(number) = staged.last().map(|n| n.order) else {
        return Err(ApiError::internal("a change without its notice"));
    };
    let caller = user.caller();
    let body = match shape {
        Shape::Card => {
            let card = query::detail_on(state, staged.conn(), &caller, number).await;
            serde_json::to_vec(&card.in_lang(user.lang)?)
        }
        Shape::Chat => {
            let chat = query::messages_on(state, staged.conn(), &caller, number).await;
            serde_json::to_vec(&chat.in_lang(user.lang)?)
        }
    }
    .map_err(ApiError::internal)?;
    if let Some(r) = &reservation {
        storage::store_answer(staged.conn(), r.user_id.0, &r.key, status.as_u16(), &body).await?;
    }
    staged.commit(state).await.in_lang(user.lang)?;
    Ok(respond(status, body, reservation.is_some()))
}

fn respond(status: StatusCode, body: Vec<u8>, kept: bool) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if kept {
        response.extensions_mut().insert(AnswerKept);
    }
    response
}
