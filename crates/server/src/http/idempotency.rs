//! `Idempotency-Key` on the calls that change an order ([`takes_key`]): the
//! first answer for a user's key is stored and replayed for every repeat of
//! the same request, so a retried request changes nothing. The same key with
//! another request (another call, or the same call with another body) is
//! refused with 422 `idempotency_key_reused` rather than answered with the
//! first request's answer, which would hide the client's mistake; requests
//! compare by a digest of method, path and body ([`fingerprint`]). A repeat
//! that arrives while the first is still running gets 409. Answers of 5xx
//! are not kept, so a retry after a server fault runs again. Other calls
//! ignore the header, and nothing of theirs is stored: no secret (a sign-in
//! answer's bearer token) ever lands in the store.
//!
//! The layer hands the reserved key to the handler as a request extension
//! ([`Keyed`]). An order change stores its answer in its own transaction
//! (see the `answer` module) and marks the response [`AnswerKept`], so a
//! crash after the commit cannot lose the answer and let a retry run the
//! change again; other answers (refusals) are stored here once the handler
//! returns.

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use orderdesk_domain::{Lang, UserId};
use orderdesk_protocol::{ErrorCode, API_BASE, IDEMPOTENCY_KEY_HEADER};
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

use crate::http::error::{pick, ApiError};
use crate::http::extract::{authenticate, body_rejection, lang_of};
use crate::state::AppState;
use crate::storage::{self, KeyState, KeyUse};

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

/// The calls that take an `Idempotency-Key`, by method and path under the
/// API base (`{…}` is any one segment): the ones that change an order and
/// answer with what the change left. Every other call ignores the header
/// and nothing of it is stored: a sign-in answer holds a bearer token, the
/// sync push carries an id per mutation, and the provider's calls carry
/// their own event ids.
pub const KEYED_CALLS: [(&str, &str); 13] = [
    ("POST", "/orders"),
    ("POST", "/orders/{number}/assignee"),
    ("POST", "/orders/{number}/status"),
    ("POST", "/orders/{number}/deadlines"),
    ("POST", "/orders/{number}/confirm"),
    ("POST", "/orders/{number}/return"),
    ("POST", "/orders/{number}/cancel"),
    ("POST", "/orders/{number}/payments"),
    ("POST", "/orders/{number}/items/{line}"),
    ("POST", "/orders/{number}/messages"),
    ("PATCH", "/orders/{number}/booking"),
    ("POST", "/orders/{number}/take"),
    ("POST", "/orders/{number}/items/{line}/undo"),
];

/// Whether the call `method path` (with or without the API base) takes an
/// `Idempotency-Key`.
pub fn takes_key(method: &str, path: &str) -> bool {
    let path = path.strip_prefix(API_BASE).unwrap_or(path);
    KEYED_CALLS
        .iter()
        .any(|&(m, template)| m == method && matches_template(template, path))
}

fn matches_template(template: &str, path: &str) -> bool {
    let mut given = path.split('/');
    let mut wanted = template.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

/// Documents the `Idempotency-Key` header on every call that takes one: an
/// OpenAPI modifier, so the document lists exactly [`KEYED_CALLS`].
pub struct KeyHeaderDoc;

impl utoipa::Modify for KeyHeaderDoc {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (method, template) in KEYED_CALLS {
            let Some(item) = doc.paths.paths.get_mut(&format!("{API_BASE}{template}")) else {
                continue;
            };
            let operation = match method {
                "POST" => item.post.as_mut(),
                "PATCH" => item.patch.as_mut(),
                _ => None,
            };
            if let Some(operation) = operation {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(key_parameter());
            }
        }
    }
}

fn key_parameter() -> Parameter {
    ParameterBuilder::new()
        .name(IDEMPOTENCY_KEY_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes the call safe to repeat: the first answer is stored and replayed, \
             changing nothing, for every repeat of the same request (method, path and \
             JSON body). The same key with another body or on another call is 422 \
             `idempotency_key_reused`; a repeat while the first still runs is 409 \
             `idempotency_in_progress`. Calls without this parameter ignore the header.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200))
                .pattern(Some("^[!-~]([ -~]*[!-~])?$")),
        ))
        .build()
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !takes_key(req.method().as_str(), req.uri().path()) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        return next.run(req).await;
    };
    let lang = lang_of(req.headers());
    let key = match key.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= 200 => k.to_owned(),
        _ => return bad_key(lang).into_response(),
    };
    match keyed(&state, key, req, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

/// Runs a call under its key: replays the first answer to the same request,
/// refuses another request under the key, or runs it and keeps the answer.
async fn keyed(
    state: &AppState,
    key: String,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let lang = lang_of(req.headers());
    let Some(user) = authenticate(state, req.headers()).await? else {
        // Without a user the handler answers 401.
        return Ok(next.run(req).await);
    };
    let (this, mut req) = key_use(state, lang, req).await?;
    let found = {
        let mut tx = state.storage().begin().await?;
        let found = storage::reserve_key(&mut tx, user.id.0, &key, &this, state.now()).await?;
        tx.commit().await?;
        found
    };
    let user_id = user.id;
    req.extensions_mut().insert(user);
    match found {
        KeyState::Answered { first, .. } | KeyState::InFlight(first) if !same(&first, &this) => {
            Err(reused(lang))
        }
        KeyState::Answered { status, body, .. } => Ok(replay(status, body)),
        KeyState::InFlight(_) => Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::IdempotencyInProgress,
            pick(
                lang,
                "Запрос с этим ключом еще выполняется.",
                "A request with this key is still running.",
            ),
        )),
        KeyState::Reserved => {
            req.extensions_mut().insert(Reservation {
                user_id,
                key: key.clone(),
            });
            let response = next.run(req).await;
            if response.extensions().get::<AnswerKept>().is_some() {
                return Ok(response);
            }
            keep(state, user_id, &key, response).await
        }
    }
}

/// Whether a request is the one the key was first used for. Keys stored
/// before requests were fingerprinted compare by method and path.
fn same(first: &KeyUse, this: &KeyUse) -> bool {
    first.method == this.method
        && first.path == this.path
        && first
            .fingerprint
            .as_ref()
            .is_none_or(|f| this.fingerprint.as_ref() == Some(f))
}

/// Reads the body (within the body limit) to fingerprint the request, and
/// hands back the request with the body to read again.
async fn key_use(
    state: &AppState,
    lang: Lang,
    req: Request,
) -> Result<(KeyUse, Request), ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
        .await
        .map_err(|rejection| body_rejection(&rejection, lang))?;
    let this = KeyUse {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        fingerprint: Some(fingerprint(&parts.method, &parts.uri, &bytes)),
    };
    Ok((this, Request::from_parts(parts, Body::from(bytes))))
}

/// SHA-256 (hex) of the method, the path with its query, and the body. A
/// JSON body counts by its content, not its spelling: a client that sends
/// the same object with other spacing or key order sends the same request.
/// An empty body is `{}`, as the handlers read it.
pub fn fingerprint(method: &Method, uri: &Uri, body: &[u8]) -> String {
    let canonical = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".to_vec()
    } else {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => serde_json::to_vec(&sorted(value)).unwrap_or_else(|_| body.to_vec()),
            Err(_) => body.to_vec(),
        }
    };
    let target = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(target.as_bytes());
    hash.update(b"\n");
    hash.update(&canonical);
    hex::encode(hash.finalize())
}

/// The value with every object's keys in order.
fn sorted(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
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
            "Этот Idempotency-Key уже использован для другого запроса (другой вызов или другое тело); для нового запроса нужен новый ключ.",
            "This Idempotency-Key was used for another request (another call or another body); a new request needs a new key.",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_applies_to_the_listed_calls_only() {
        assert!(takes_key("POST", "/api/v1/orders"));
        assert!(takes_key("POST", "/orders/12/status"));
        assert!(takes_key("POST", "/api/v1/orders/12/items/3"));
        assert!(takes_key("PATCH", "/api/v1/orders/12/booking"));
        assert!(!takes_key("POST", "/api/v1/auth/login"));
        assert!(!takes_key("POST", "/api/v1/auth/logout"));
        assert!(!takes_key("POST", "/api/v1/sync/push"));
        assert!(!takes_key("GET", "/api/v1/orders"));
        assert!(!takes_key("POST", "/api/v1/orders/12/status/more"));
        assert!(!takes_key("POST", "/api/v1/orders//status"));
    }

    #[test]
    fn the_same_object_spelled_otherwise_has_the_same_fingerprint() {
        let uri: Uri = "/api/v1/orders".parse().expect("a URI");
        let a = fingerprint(&Method::POST, &uri, br#"{"a":1,"b":{"c":[1,2]}}"#);
        let b = fingerprint(&Method::POST, &uri, b"{ \"b\": {\"c\": [1, 2]}, \"a\": 1 }");
        let c = fingerprint(&Method::POST, &uri, br#"{"a":2,"b":{"c":[1,2]}}"#);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            fingerprint(&Method::POST, &uri, b""),
            fingerprint(&Method::POST, &uri, b"{}")
        );
    }
}
