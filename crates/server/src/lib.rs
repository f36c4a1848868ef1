//! The orders server: the HTTP API of SPEC §6 over embedded SQLite, or over
//! PostgreSQL shared by several instances.
//!
//! Every rule comes from `orderdesk_domain::decide`: a handler loads the
//! order's facts in a writing transaction, asks the rules, and applies the
//! returned effect — status, holds, money, chat, notifications, e-mail and
//! the change log — before committing. SQL lives only in [`storage`].
//!
//! The layers point one way: [`storage`] (SQL) ← the services ([`orders`],
//! [`mail`], [`push`], [`ticker`], [`feed`], [`demo`], [`sync`], [`view`], [`replies`], [`admin`]), which return a
//! [`ServiceError`] ← [`http`] (handlers, extractors, answers, idempotency,
//! the mapping of errors to statuses) ← this file. [`AppState`] holds what
//! the services run on and calls none of them.
//!
//! [`router`] builds the application, [`serve`] runs it on a listener until a
//! shutdown signal; `main.rs` only reads flags.

pub mod admin;
pub mod caller;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod feed;
pub mod http;
pub mod mail;
pub mod orders;
pub mod passwords;
pub mod payments;
pub mod push;
pub mod replies;
pub mod state;
pub mod storage;
pub mod sync;
pub mod ticker;
pub mod view;

pub use caller::Caller;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, Database, PasswordCost};
pub use error::{ServiceError, Text};
pub use http::error::ApiError;
pub use state::{AppState, ChangeNotice};

use std::future::{Future, IntoFuture};
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a stopping server lets requests in flight finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// The whole application with its state.
pub fn router(state: AppState) -> axum::Router {
    http::router(state)
}

/// Serves the application on `listener` until `shutdown` resolves, then
/// lets requests in flight finish, for [`SHUTDOWN_GRACE`] at most. Event
/// streams end ([`AppState::stopping`]) once the listener is closed. Background work
/// (the clock, the mail and the Web Push senders) runs alongside when the configuration
/// asks for it.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut background = ticker::spawn_background(state.clone());
    background.push(tokio::spawn(feed::run(state.clone())));
    let app = router(state.clone());
    let listener = StopWhenClosed {
        inner: listener,
        state: state.clone(),
    };
    let serving = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .into_future();
    let grace_over = async {
        state.stopping().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        result = serving => result,
        () = grace_over => {
            tracing::warn!("requests still running after the grace period are cut off");
            Ok(())
        }
    };
    for task in background {
        task.abort();
    }
    result
}

/// The listening socket, which marks the server as stopping when it is
/// closed (axum drops it once shutdown begins). Event streams end only then:
/// a client that reconnects at once meets a closed port, and its balancer
/// sends it to another instance, instead of reaching this one again.
struct StopWhenClosed {
    inner: TcpListener,
    state: AppState,
}

impl axum::serve::Listener for StopWhenClosed {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    fn accept(&mut self) -> impl Future<Output = (Self::Io, Self::Addr)> + Send {
        axum::serve::Listener::accept(&mut self.inner)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl Drop for StopWhenClosed {
    fn drop(&mut self) {
        self.state.begin_stopping();
    }
}
