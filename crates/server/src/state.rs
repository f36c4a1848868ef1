//! The shared state of a running server: storage, clock, settings, the
//! payment provider, the change feed and the signal that the server is
//! stopping. It holds what the services run on
//! and calls none of them (the clock's work and the demo are services of
//! their own, called by `lib` and by tests).

use chrono::{DateTime, Utc};
use orderdesk_domain::OrderNumber;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

use crate::clock::Clock;
use crate::config::Config;
use crate::payments::{PaymentProvider, SandboxProvider};
use crate::push::crypto::VapidKey;
use crate::storage::{self, Engine, PoolSettings, Storage};

/// One committed change of an order, published after the transaction that
/// made it. `seq` is the change log position that sync pulls from; the
/// `/events` stream subscribes here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeNotice {
    pub seq: i64,
    pub order: OrderNumber,
    pub version: i64,
}

/// Cheap to clone; every handler gets one.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    storage: Storage,
    clock: Arc<dyn Clock>,
    config: Config,
    payments: Arc<dyn PaymentProvider>,
    changes: broadcast::Sender<ChangeNotice>,
    /// Turns `true` once when the server begins to shut down.
    stopping: watch::Sender<bool>,
    /// Rung when a change moves clock-driven work without changing an
    /// order (a service's new auto-close time).
    clock_wake: Notify,
    /// Set once an administrator is known to exist; never unset.
    set_up: AtomicBool,
    /// The Web Push identity, the same on every instance.
    vapid: VapidKey,
    /// Posts Web Push messages to the push services.
    push_client: reqwest::Client,
}

impl AppState {
    /// Opens (or creates) the database, applies migrations and wires the
    /// sandbox payment provider.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, sqlx::Error> {
        let settings = PoolSettings {
            size: config.db_pool_size,
            statement_timeout: config.db_statement_timeout,
        };
        let storage = Storage::open(&config.database, settings).await?;
        let payments: Arc<dyn PaymentProvider> = Arc::new(SandboxProvider::new(&config));
        let (changes, _) = broadcast::channel(1024);
        let vapid = match &config.vapid_key {
            Some(key) => key.clone(),
            None => shared_vapid_key(&storage, clock.now()).await?,
        };
        let push_client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| sqlx::Error::Configuration(Box::new(e)))?;
        Ok(AppState {
            inner: Arc::new(Inner {
                storage,
                clock,
                config,
                payments,
                changes,
                stopping: watch::Sender::new(false),
                clock_wake: Notify::new(),
                set_up: AtomicBool::new(false),
                vapid,
                push_client,
            }),
        })
    }

    pub fn storage(&self) -> &Storage {
        &self.inner.storage
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// The server's VAPID key pair.
    pub fn vapid(&self) -> &VapidKey {
        &self.inner.vapid
    }

    pub fn push_client(&self) -> &reqwest::Client {
        &self.inner.push_client
    }

    pub fn payments(&self) -> &dyn PaymentProvider {
        self.inner.payments.as_ref()
    }

    /// Changes committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ChangeNotice> {
        self.inner.changes.subscribe()
    }

    /// Tells subscribers about changes this process committed. On
    /// PostgreSQL the change feed tells them instead, about every
    /// instance's changes in change log order (see `feed`).
    pub(crate) fn publish(&self, notices: &[ChangeNotice]) {
        if self.inner.storage.engine() == Engine::Sqlite {
            for notice in notices {
                self.announce(*notice);
            }
        }
    }

    /// Tells subscribers about one committed change; nobody listening is
    /// fine.
    pub(crate) fn announce(&self, notice: ChangeNotice) {
        let _ = self.inner.changes.send(notice);
    }

    /// Resolves once the server begins to shut down. Answers that would
    /// otherwise never end (the event stream) end on it, so that a graceful
    /// shutdown is not kept waiting by the clients holding them.
    pub fn stopping(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stopping = self.inner.stopping.subscribe();
        async move {
            // An error means the state is gone, which is stopping too.
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
    }

    /// Asks the clock-driven work to look for its next due moment again.
    pub fn wake_clock(&self) {
        self.inner.clock_wake.notify_one();
    }

    /// Resolves at the next [`AppState::wake_clock`] (or at once when one
    /// came while nobody waited).
    pub async fn clock_woken(&self) {
        self.inner.clock_wake.notified().await;
    }

    /// Whether an administrator was seen to exist.
    pub fn is_set_up(&self) -> bool {
        self.inner.set_up.load(Ordering::Acquire)
    }

    /// Remembers that an administrator exists: one cannot stop existing
    /// (the last one cannot be blocked or demoted).
    pub fn mark_set_up(&self) {
        self.inner.set_up.store(true, Ordering::Release);
    }

    /// Marks the server as shutting down; see [`AppState::stopping`].
    pub fn begin_stopping(&self) {
        self.inner.stopping.send_replace(true);
    }
}

/// The VAPID key of the database: a new one is offered, and whichever the
/// first instance stored is the one every instance reads.
async fn shared_vapid_key(storage: &Storage, now: DateTime<Utc>) -> Result<VapidKey, sqlx::Error> {
    let offered = VapidKey::generate().private_base64();
    let mut tx = storage.begin().await?;
    let stored = storage::shared_vapid_key(&mut tx, &offered, now).await?;
    tx.commit().await?;
    VapidKey::parse(&stored).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
