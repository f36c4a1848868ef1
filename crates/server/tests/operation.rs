//! What operators and load balancers rely on: the probes `/healthz` and
//! `/readyz`.

mod common;

use common::{code, start_instant, TestServer};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// The server's root, where the probes live (outside `/api/v1`).
fn root(server: &TestServer) -> String {
    server.base.trim_end_matches("/api/v1").to_owned()
}

async fn get(url: &str, request_id: Option<&str>) -> (StatusCode, String, Value) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(id) = request_id {
        request = request.header("X-Request-Id", id);
    }
    let answer = request.send().await.expect("the server answers");
    let status = answer.status();
    let id = answer
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = answer.json().await.unwrap_or(Value::Null);
    (status, id, body)
}

#[tokio::test]
async fn the_probes_answer_without_a_token_and_readyz_sees_the_database() {
    let server = TestServer::start().await;
    let root = root(&server);
    let (status, _, body) = get(&format!("{root}/healthz"), None).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, serde_json::json!({"status": "ok"}))
    );
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, serde_json::json!({"status": "ready"}))
    );
    // A wrong method is a JSON error like anywhere else.
    let answer = reqwest::Client::new()
        .post(format!("{root}/healthz"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED);

    server.state.storage().close().await;
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(code(&body), "database_unavailable");
    // Alive all the same: healthz touches nothing.
    let (status, _, _) = get(&format!("{root}/healthz"), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_says_503_while_the_server_is_stopping() {
    let server = TestServer::start().await;
    let root = root(&server);
    server.state.begin_stopping();
    let (status, _, body) = get(&format!("{root}/readyz"), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(code(&body), "shutting_down");
}

#[tokio::test]
async fn the_probes_are_answered_before_set_up() {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let server = TestServer::open(dir, start_instant(), |_| {}).await;
    let root = root(&server);
    let (status, body) = server.anonymous().get("/me").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code(&body), "setup_required");
    for probe in ["healthz", "readyz"] {
        let (status, _, body) = get(&format!("{root}/{probe}"), None).await;
        assert_eq!(status, StatusCode::OK, "{probe}: {body}");
    }
}

#[tokio::test]
async fn the_probes_are_in_the_api_document_under_operation() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for path in ["/healthz", "/readyz"] {
        let operation = &doc["paths"][path]["get"];
        assert_eq!(operation["tags"][0], "operation", "{path}");
        // Answered before set-up: the gate's 503 is not theirs.
        let unavailable = operation["responses"]["503"]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(!unavailable.contains("setup_required"), "{path}");
    }
    assert!(doc["paths"]["/healthz"]["get"]["responses"]["503"].is_null());
}
