//! Request ids: every request gets one, so an operator can find every log
//! line of a request, across a load balancer and several instances, from
//! the id a client or a proxy saw.
//!
//! An incoming `X-Request-Id` is kept when it is a sane token (1–64 of
//! `A–Z a–z 0–9 . _ -`), so a balancer's id follows the request through;
//! anything else is replaced by a new random id, since a header a client
//! controls must not write arbitrary text into the logs. The id is echoed in
//! the answer's `X-Request-Id`, and every log line of the request carries it
//! as the field `request_id` of the span `request` (with method and path);
//! the line that closes a request adds its status and latency.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tracing::Span;

/// The header that carries the id both ways.
pub const HEADER: &str = "x-request-id";

/// The longest id taken from a request.
const MAX_LEN: usize = 64;

/// Gives the request its id (kept or new) and echoes it in the answer. Runs
/// outside the trace layer, which reads the id from the request's header.
pub async fn layer(mut request: Request, next: Next) -> Response {
    let kept = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| is_sane(id))
        .and_then(|id| HeaderValue::from_str(id).ok());
    let id = kept.unwrap_or_else(new_id);
    request.headers_mut().insert(HEADER, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(HEADER, id);
    response
}

/// Whether a client's id may be kept as it is.
pub fn is_sane(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// 128 random bits in hex: unique enough across instances and restarts.
fn new_id() -> HeaderValue {
    HeaderValue::from_str(&format!("{:032x}", rand::random::<u128>()))
        .unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

/// The span every log line of a request is written in.
pub fn span_of<B>(request: &axum::http::Request<B>) -> Span {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// The line that closes a request: its status and how long the answer took
/// to start (a stream goes on after it).
pub fn log_finished<B>(response: &axum::http::Response<B>, latency: Duration, _: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        // Whole microseconds, so the figure reads as 3.477, not 3.4776569999.
        latency_ms = latency.as_micros() as f64 / 1000.0,
        "finished",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_tokens_are_kept() {
        for id in ["abc", "req-1.2_3", &"x".repeat(64)] {
            assert!(is_sane(id), "{id}");
        }
        for id in [
            "",
            &"x".repeat(65),
            "a b",
            "a\"b",
            "кириллица",
            "a\nb",
            "{}",
        ] {
            assert!(!is_sane(id), "{id}");
        }
    }

    #[test]
    fn new_ids_are_sane_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(is_sane(a.to_str().unwrap_or_default()));
    }
}
