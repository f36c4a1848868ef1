//! `GET /healthz` and `GET /readyz`, for operators and load balancers.
//!
//! They live outside `/api/v1`, where balancers and orchestrators look for
//! them, and are answered before set-up and without a token: a server
//! waiting for its first administrator is alive, and a balancer has no
//! account. `healthz` says only that the process answers; `readyz` says
//! whether this instance should get traffic: the database answers a trivial
//! query in time and the server is not stopping.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures::FutureExt;
use orderdesk_protocol::ErrorCode;
use serde::Serialize;
use std::time::Duration;

use crate::http::error::{pick, ApiError};
use crate::http::extract::ReqLang;
use crate::state::AppState;

/// The paths of this module, which the set-up gate lets through.
pub const PATHS: &[&str] = &["/healthz", "/readyz"];

/// How long `readyz` waits for the database. Balancers probe every few
/// seconds with a timeout of their own; a database slower than this is
/// better taken as not ready than waited for.
const READY_WITHIN: Duration = Duration::from_secs(2);

/// The answer of a probe that passes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HealthStatus {
    /// `ok` (alive) or `ready` (the database answers).
    #[schema(example = "ok")]
    pub status: &'static str,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Whether `path` is a probe, which the set-up gate must not hold back.
pub fn is_probe(path: &str) -> bool {
    PATHS.contains(&path)
}

#[utoipa::path(get, path = "/healthz", tag = "operation",
    responses((status = 200, body = HealthStatus, description = "The process is alive; touches nothing")))]
pub async fn healthz() -> Json<HealthStatus> {
    Json(HealthStatus { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operation",
    responses((status = 200, body = HealthStatus, description = "The database answers and the server is not stopping"),
        (status = 503, body = orderdesk_protocol::ErrorBody,
            description = "`database_unavailable`: the database did not answer in time; `shutting_down`: the server is stopping")))]
pub async fn readyz(State(state): State<AppState>, ReqLang(lang): ReqLang) -> Response {
    // `stopping` resolves at once when shutdown has begun, and never
    // before: polling it once asks without waiting.
    if state.stopping().now_or_never().is_some() {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ShuttingDown,
            pick(lang, "Сервер останавливается.", "The server is stopping."),
        )
        .into_response();
    }
    let failure = match tokio::time::timeout(READY_WITHIN, state.storage().ping()).await {
        Ok(Ok(())) => return Json(HealthStatus { status: "ready" }).into_response(),
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} s", READY_WITHIN.as_secs()),
    };
    tracing::warn!(cause = %failure, "not ready: the database does not answer");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::DatabaseUnavailable,
        pick(
            lang,
            "База данных не отвечает.",
            "The database does not answer.",
        ),
    )
    .into_response()
}
