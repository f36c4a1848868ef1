//! A stand-in push service: an HTTP server on 127.0.0.1 that records every
//! request and answers with the statuses the test lines up (201 when none).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the push service got it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The last part of the path: which subscription.
    pub id: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("a {name} header"))
    }
}

#[derive(Default)]
struct Log {
    received: Vec<Received>,
    answers: VecDeque<u16>,
}

#[derive(Clone)]
pub struct PushService {
    pub origin: String,
    log: Arc<Mutex<Log>>,
}

impl PushService {
    pub async fn start() -> PushService {
        let log = Arc::new(Mutex::new(Log::default()));
        let app = Router::new()
            .route("/push/{id}", post(receive))
            .with_state(log.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        PushService {
            origin: format!("http://{addr}"),
            log,
        }
    }

    /// The endpoint of subscription `id`.
    pub fn endpoint(&self, id: &str) -> String {
        format!("{}/push/{id}", self.origin)
    }

    /// The next requests are answered with these statuses, in order.
    pub fn answer(&self, statuses: &[u16]) {
        self.lock().answers.extend(statuses);
    }

    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// The requests for subscription `id`.
    pub fn received_by(&self, id: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.id == id).collect()
    }

    /// Waits up to 10 s for `count` requests in all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the push service got {} requests, not {count}",
            self.received().len()
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn receive(
    State(log): State<Arc<Mutex<Log>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
    log.received.push(Received {
        id,
        headers,
        body: body.to_vec(),
    });
    let status = log.answers.pop_front().unwrap_or(201);
    StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED)
}
