//! The first start: until an administrator exists, every request is
//! answered 503 `setup_required` with how to create one, and nothing else
//! is served. The probes of [`health`](crate::http::health) pass: a server
//! waiting for its administrator is alive, and its database answers. So do
//! the files of the web app ([`web_app`](crate::http::web_app)): the page
//! loads and shows the `setup_required` its first API call gets.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use orderdesk_protocol::ErrorCode;

use crate::admin::{self, SETUP_HINT};
use crate::http::error::{pick, ApiError};
use crate::http::extract::lang_of;
use crate::http::{health, web_app};
use crate::state::AppState;

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let app_file = state.config().ui_dir.is_some() && web_app::is_for_app(&req);
    if app_file || health::is_probe(req.uri().path()) {
        return next.run(req).await;
    }
    let lang = lang_of(req.headers());
    match admin::has_admin(&state).await {
        Ok(true) => next.run(req).await,
        Ok(false) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::SetupRequired,
            pick(
                lang,
                &format!("Сервер еще не настроен: создайте администратора командой {SETUP_HINT}."),
                &format!(
                    "The server is not set up yet: create an administrator with {SETUP_HINT}."
                ),
            ),
        )
        .into_response(),
        Err(e) => ApiError::from_service(e, lang).into_response(),
    }
}
