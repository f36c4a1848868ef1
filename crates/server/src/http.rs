//! HTTP, the outer layer over the services: one router per resource, merged
//! under `/api/v1`, the probes of [`health`] beside it, the files of the web
//! app ([`web_app`]) at `/` when the server has them, with the layers every
//! call goes through (body limit, idempotency, request ids and tracing) and
//! JSON answers for unknown paths and methods.
//!
//! Here, and only here, live the extractors ([`extract`]), the mapping of
//! service errors to statuses ([`error`]), the answers stored with a change
//! ([`answer`]) and `Idempotency-Key` ([`idempotency`]).

pub mod answer;
pub mod api;
pub mod error;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod request_id;
pub mod setup;
pub mod web_app;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::Router;
use orderdesk_protocol::ErrorCode;
use tower_http::trace::TraceLayer;

use crate::error::Text;
use crate::http::error::{pick, ApiError};
use crate::http::extract::ReqLang;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(api::auth::router())
        .merge(api::orders::router())
        .merge(api::actions::router())
        .merge(api::booking::router())
        .merge(api::messages::router())
        .merge(api::catalog::router())
        .merge(api::payments::router())
        .merge(api::push::router())
        .merge(api::replies::router())
        .merge(api::openapi::router())
        .merge(api::sync::router())
        .merge(api::admin::router());
    let routes = Router::new()
        .nest("/api/v1", api)
        // Before the fallbacks, so a probe's wrong method is a JSON 405 too.
        .merge(health::router());
    // What no route takes: a file of the web app when there is one (the
    // API's unknown paths stay JSON 404s), else a JSON 404.
    let routes = match &state.config().ui_dir {
        Some(dir) => {
            let files = web_app::files(dir);
            routes.fallback(move |lang: ReqLang, req: Request| {
                let files = files.clone();
                async move {
                    if web_app::is_for_app(&req) {
                        web_app::serve(files, lang, req).await
                    } else {
                        not_found(lang).await.into_response()
                    }
                }
            })
        }
        None => routes.fallback(not_found),
    };
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), idempotency::layer))
        // Outside the idempotency layer: before set-up nothing is stored.
        .layer(from_fn_with_state(state.clone(), setup::layer))
        .layer(DefaultBodyLimit::max(state.config().body_limit))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_id::span_of)
                .on_response(request_id::log_finished),
        )
        .layer(axum::middleware::from_fn(error::faults_in_lang))
        // Outermost: the trace layer's span reads the id it sets.
        .layer(axum::middleware::from_fn(request_id::layer))
        .with_state(state)
}

async fn not_found(ReqLang(lang): ReqLang) -> ApiError {
    ApiError::not_found(
        lang,
        Text::new("такого адреса нет в API", "no such address in the API"),
    )
}

async fn method_not_allowed(ReqLang(lang): ReqLang) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        pick(
            lang,
            "Метод не поддерживается для этого адреса.",
            "This address does not take that method.",
        ),
    )
}
