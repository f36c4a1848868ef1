//! The manager's web app: the files of the built UI (`--ui-dir`, usually
//! `ui/dist`) served at `/`, from the same origin as the API, so the page
//! and its worker reach `/api/v1` with no CORS.
//!
//! Only GET and HEAD of paths outside `/api/` reach the folder; a path that
//! leaves it (`..`, an absolute or drive path, also percent-encoded) is
//! refused by [`ServeDir`], and whatever is not found there gets the JSON
//! `not_found` of every unknown address. Every file is sent for
//! revalidation (`no-cache` with `Last-Modified`: the names are fixed, the
//! service worker keeps its own copy), and the page under the
//! [`CONTENT_SECURITY_POLICY`]. The probes and the API are routed before
//! this fallback and do not change.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY as CSP, CONTENT_TYPE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

use crate::error::Text;
use crate::http::error::ApiError;
use crate::http::extract::ReqLang;

/// The policy of the page: scripts and the wasm only from the app itself
/// (the page has no inline script), network only to its own origin. It
/// follows the desktop app's (`tauri.conf.json`): styles only from
/// `app.css`, since the UI sets sizes and positions as style properties,
/// never as `style` attributes; no plugins, no framing, no `<base>`, no
/// form posts. Workers, the service worker and the manifest come from the
/// origin too.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The page the root path serves.
pub const INDEX: &str = "index.html";

/// A `--ui-dir` the server cannot serve from.
#[derive(Debug, thiserror::Error)]
pub enum UiDirError {
    #[error("the web app folder {0} does not exist")]
    Missing(PathBuf),
    #[error("the web app folder {0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("the web app folder {path} cannot be read: {source}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the web app folder {0} has no index.html; build it with `cargo xtask build-ui`")]
    NoIndex(PathBuf),
}

/// Checks at start that `dir` is a readable folder with the page in it, so
/// a wrong path fails the start instead of every later request.
pub fn check_dir(dir: &Path) -> Result<(), UiDirError> {
    let meta = std::fs::metadata(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => UiDirError::Missing(dir.to_owned()),
        _ => UiDirError::Unreadable {
            path: dir.to_owned(),
            source,
        },
    })?;
    if !meta.is_dir() {
        return Err(UiDirError::NotAFolder(dir.to_owned()));
    }
    std::fs::read_dir(dir).map_err(|source| UiDirError::Unreadable {
        path: dir.to_owned(),
        source,
    })?;
    let index = dir.join(INDEX);
    std::fs::File::open(&index).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => UiDirError::NoIndex(dir.to_owned()),
        _ => UiDirError::Unreadable {
            path: index.clone(),
            source,
        },
    })?;
    Ok(())
}

/// The files of `dir`, for the router's fallback.
pub fn files(dir: &Path) -> ServeDir {
    ServeDir::new(dir)
}

/// Whether a request no route took is one for the app's files: a GET or
/// HEAD outside the API (whose unknown paths keep the API's answer).
pub fn is_for_app(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && path != "/api"
        && !path.starts_with("/api/")
}

/// Answers with a file of the app, or `not_found` when there is none.
pub async fn serve(mut files: ServeDir, ReqLang(lang): ReqLang, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let answer = match files.try_call(req).await {
        Ok(answer) => answer,
        Err(e) => return ApiError::internal(e).into_response(),
    };
    if answer.status() == StatusCode::NOT_FOUND {
        return not_found(lang);
    }
    let mut answer = answer.map(Body::new);
    with_app_headers(&path, answer.headers_mut());
    answer
}

fn not_found(lang: orderdesk_domain::Lang) -> Response {
    ApiError::not_found(
        lang,
        Text::new("такого файла нет в приложении", "no such file in the app"),
    )
    .into_response()
}

/// The headers of a file of the app; `path` is the request's.
fn with_app_headers(path: &str, headers: &mut HeaderMap) {
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let file = if path.ends_with('/') { INDEX } else { path };
    if let Some(content_type) = content_type_of(file) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    let is_page = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page {
        headers.insert(CSP, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
}

/// The types a browser is strict about, by the file's extension: a module
/// script, a worker, streaming wasm compilation and the manifest each
/// refuse a wrong one under `nosniff`. Others keep the guessed type.
fn content_type_of(file: &str) -> Option<&'static str> {
    let extension = file.rsplit_once('.').map(|(_, ext)| ext)?;
    match extension.to_ascii_lowercase().as_str() {
        "html" => Some("text/html; charset=utf-8"),
        "js" | "mjs" => Some("text/javascript; charset=utf-8"),
        "wasm" => Some("application/wasm"),
        "webmanifest" => Some("application/manifest+json"),
        "css" => Some("text/css; charset=utf-8"),
        _ => None,
    }
}
