//! The answer to a mutating call, built inside the transaction of the change
//! it reports and, when the call carries an `Idempotency-Key`, stored in
//! that same transaction. A retry after a crash therefore finds the first
//! answer exactly when the change committed, and the answer shows the order
//! as this change left it, not as a later one did.
//!
//! A handler declares what it answers with ([`card`], [`chat`]) around the
//! command it runs; the command's `commit` calls [`write`] just before it
//! commits. Commands run for other callers (sync push, the clock, the
//! payment gateway) have no plan and [`write`] does nothing for them.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::idempotency;
use crate::orders::query;
use crate::state::{AppState, ChangeNotice};
use crate::storage::{self, Conn};

/// What the call answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The order card.
    Card,
    /// The order's chat as the user may read it.
    Chat,
}

#[derive(Debug, Clone)]
struct Plan {
    user: AuthUser,
    shape: Shape,
    status: StatusCode,
    written: Arc<Mutex<Option<Written>>>,
}

#[derive(Debug, Clone)]
struct Written {
    body: Vec<u8>,
    kept: bool,
}

tokio::task_local! {
    static PLAN: Plan;
}

/// Marks a response whose answer is stored under its `Idempotency-Key`
/// already, so the idempotency layer does not store it again.
#[derive(Debug, Clone, Copy)]
pub struct AnswerKept;

/// Runs `work` (a command on one order) and answers with the order card as
/// the command's transaction left it.
pub async fn card<T>(
    user: &AuthUser,
    status: StatusCode,
    work: impl Future<Output = Result<T, ApiError>>,
) -> Result<Response, ApiError> {
    run(user, Shape::Card, status, work).await
}

/// Runs `work` and answers with the order's chat after it.
pub async fn chat<T>(
    user: &AuthUser,
    status: StatusCode,
    work: impl Future<Output = Result<T, ApiError>>,
) -> Result<Response, ApiError> {
    run(user, Shape::Chat, status, work).await
}

async fn run<T>(
    user: &AuthUser,
    shape: Shape,
    status: StatusCode,
    work: impl Future<Output = Result<T, ApiError>>,
) -> Result<Response, ApiError> {
    let written = Arc::new(Mutex::new(None));
    let plan = Plan {
        user: user.clone(),
        shape,
        status,
        written: written.clone(),
    };
    PLAN.scope(plan, work).await?;
    let taken = written.lock().map_err(ApiError::internal)?.take();
    match taken {
        Some(w) => Ok(respond(status, w)),
        // Every command commits through `write`; this is not reached.
        None => Err(ApiError::internal("a command answered without committing")),
    }
}

fn respond(status: StatusCode, written: Written) -> Response {
    let mut response = (status, Body::from(written.body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if written.kept {
        response.extensions_mut().insert(AnswerKept);
    }
    response
}

/// Called by every order command just before it commits: builds the answer
/// the handler declared from the transaction's own view of the order and,
/// under an `Idempotency-Key`, stores it beside the change.
pub async fn write(
    conn: &mut Conn,
    state: &AppState,
    notices: &[ChangeNotice],
) -> Result<(), ApiError> {
    let Ok(plan) = PLAN.try_with(Plan::clone) else {
        return Ok(());
    };
    let Some(number) = notices.last().map(|n| n.order.0) else {
        return Ok(());
    };
    let body = match plan.shape {
        Shape::Card => {
            serde_json::to_vec(&query::detail_on(state, conn, &plan.user, number).await?)
        }
        Shape::Chat => {
            serde_json::to_vec(&query::messages_on(state, conn, &plan.user, number).await?)
        }
    }
    .map_err(ApiError::internal)?;
    let reservation = idempotency::reservation();
    if let Some(r) = &reservation {
        storage::store_answer(conn, r.user_id, &r.key, plan.status.as_u16(), &body).await?;
    }
    *plan.written.lock().map_err(ApiError::internal)? = Some(Written {
        body,
        kept: reservation.is_some(),
    });
    Ok(())
}
