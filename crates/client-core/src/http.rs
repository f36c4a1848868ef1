//! The calls the core makes to the orders server, and how their failures map
//! to [`CoreError`]: no answer is `Offline`, 401 is `Unauthorized`, any other
//! error body keeps its code and message.

use chrono::NaiveDate;
use orderdesk_domain::{Lang, OrderNumber, ResourceId};
use orderdesk_protocol::{
    Availability, Catalog, ErrorBody, ErrorCode, LoginRequest, LoginResponse, MeResponse,
    PullResponse, PushRequest, PushResponse, API_BASE, IDEMPOTENCY_KEY_HEADER,
};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;

use crate::error::{CoreError, CoreResult};

/// One server, reached with one token, asked to answer in one language.
#[derive(Clone)]
pub(crate) struct ServerApi {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    lang: Lang,
}

/// Orders per pull page.
pub(crate) const PULL_PAGE: u32 = 500;

impl ServerApi {
    pub(crate) fn new(
        http: reqwest::Client,
        server_url: &str,
        token: Option<String>,
        lang: Lang,
    ) -> Self {
        ServerApi {
            http,
            base: format!("{}{API_BASE}", server_url.trim_end_matches('/')),
            token,
            lang,
        }
    }

    /// Natively, a connection that takes 5 s to open or a minute to say
    /// anything is dead. In a browser, `fetch` and the browser's own limits
    /// decide that.
    pub(crate) fn http_client() -> CoreResult<reqwest::Client> {
        let builder = reqwest::Client::builder();
        #[cfg(not(target_arch = "wasm32"))]
        let builder = builder
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(60));
        builder
            .build()
            .map_err(|e| CoreError::storage("HTTP-клиент не создан: ", e))
    }

    /// Every call carries the language the server answers in and, when
    /// signed in, the token.
    fn with_token(&self, request: RequestBuilder) -> RequestBuilder {
        let request = request.header(reqwest::header::ACCEPT_LANGUAGE, accept_language(self.lang));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub(crate) async fn login(&self, login: &str, password: &str) -> CoreResult<LoginResponse> {
        let request = self
            .with_token(self.http.post(format!("{}/auth/login", self.base)))
            .json(&LoginRequest {
                login: login.to_owned(),
                password: password.to_owned(),
            });
        read_json(send(request).await?).await
    }

    /// Ends the session on the server; failures are not the user's problem.
    pub(crate) async fn logout(&self) {
        let request = self.with_token(self.http.post(format!("{}/auth/logout", self.base)));
        if let Err(error) = send(request.timeout(Duration::from_secs(3))).await {
            tracing::debug!(%error, "server logout failed");
        }
    }

    pub(crate) async fn me(&self) -> CoreResult<MeResponse> {
        let request = self.with_token(self.http.get(format!("{}/me", self.base)));
        read_json(send(request).await?).await
    }

    pub(crate) async fn catalog(&self) -> CoreResult<Catalog> {
        let request = self.with_token(self.http.get(format!("{}/catalog", self.base)));
        read_json(send(request).await?).await
    }

    pub(crate) async fn availability(
        &self,
        resource: ResourceId,
        date: NaiveDate,
        editing: Option<OrderNumber>,
    ) -> CoreResult<Availability> {
        let mut url = format!(
            "{}/resources/{}/availability?date={date}",
            self.base, resource.0
        );
        if let Some(order) = editing {
            url.push_str(&format!("&order={}", order.0));
        }
        read_json(send(self.with_token(self.http.get(url))).await?).await
    }

    pub(crate) async fn pull(&self, cursor: Option<i64>) -> CoreResult<PullResponse> {
        let mut url = format!("{}/sync/pull?limit={PULL_PAGE}", self.base);
        if let Some(cursor) = cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        read_json(send(self.with_token(self.http.get(url))).await?).await
    }

    pub(crate) async fn push(&self, body: &PushRequest) -> CoreResult<PushResponse> {
        let request = self
            .with_token(self.http.post(format!("{}/sync/push", self.base)))
            .json(body);
        read_json(send(request).await?).await
    }

    /// `GET` of a path under the API base.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> CoreResult<T> {
        let request = self.with_token(self.http.get(format!("{}{path}", self.base)));
        read_json(send(request).await?).await
    }

    /// A change (`POST`, `PUT`) of a path under the API base with a JSON
    /// body. Its idempotency key makes the one resend of [`send`] safe.
    pub(crate) async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> CoreResult<T> {
        let request = self
            .with_token(self.http.request(method, format!("{}{path}", self.base)))
            .header(IDEMPOTENCY_KEY_HEADER, uuid::Uuid::new_v4().to_string())
            .json(body);
        read_json(send(request).await?).await
    }

    /// A change whose answer has no body (`204`); safe to repeat.
    pub(crate) async fn send_only<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> CoreResult<()> {
        let request = self
            .with_token(self.http.request(method, format!("{}{path}", self.base)))
            .json(body);
        send(request).await.map(|_| ())
    }

    /// Opens the live event stream, resuming after `last_event_id`.
    pub(crate) async fn events(&self, last_event_id: Option<i64>) -> CoreResult<Response> {
        let mut request = self
            .with_token(self.http.get(format!("{}/events", self.base)))
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        send(request).await
    }
}

/// The `Accept-Language` value of a language.
pub(crate) fn accept_language(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "ru",
        Lang::En => "en",
    }
}

/// Sends a request; any answer but a success becomes an error. A request
/// that failed on the way out (often a pooled connection the network closed
/// meanwhile) is sent once more at once: every call the core makes is safe
/// to repeat.
async fn send(request: RequestBuilder) -> CoreResult<Response> {
    let retry = request.try_clone();
    let response = match (request.send().await, retry) {
        (Ok(response), _) => response,
        (Err(error), Some(retry)) if failed_on_the_way_out(&error) => retry
            .send()
            .await
            .map_err(|e| CoreError::Offline(e.to_string()))?,
        (Err(error), _) => return Err(CoreError::Offline(error.to_string())),
    };
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body: Option<ErrorBody> = response.json().await.ok();
    let (code, message) = match body {
        Some(body) => (body.error.code, body.error.message),
        None => (
            ErrorCode::HttpError,
            status.canonical_reason().unwrap_or("ошибка").to_owned(),
        ),
    };
    Err(match status {
        StatusCode::UNAUTHORIZED => CoreError::Unauthorized(message),
        s if s.is_server_error() || s == StatusCode::BAD_GATEWAY => {
            CoreError::Offline(format!("{}: {message}", s.as_u16()))
        }
        s => CoreError::Server {
            status: s.as_u16(),
            code,
            message,
        },
    })
}

/// Whether a request failed before the server could act on it.
fn failed_on_the_way_out(error: &reqwest::Error) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        error.is_request() || error.is_connect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        error.is_request()
    }
}

async fn read_json<T: DeserializeOwned>(response: Response) -> CoreResult<T> {
    response
        .json()
        .await
        .map_err(|e| CoreError::Offline(format!("ответ сервера не прочитан: {e}")))
}
