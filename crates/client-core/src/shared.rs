//! The handles every part of the core shares, in one place: the cache
//! connections, the token store, the notifier, the HTTP client, the
//! signed-in user, how sync is going, and the published sync status.
//!
//! [`Client`](crate::Client), the sync loop and the live-events loop each
//! hold an `Arc<Shared>`; none of them reaches into another, so the modules
//! point one way: `client` → `sync`/`events` → `shared`.

use chrono::{DateTime, FixedOffset};
use orderdesk_domain::{Actor, Lang};
use orderdesk_protocol::ipc::{Session, SyncStatus};
use orderdesk_protocol::ResourceInfo;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;

use crate::cache::{self, Cache};
use crate::error::{CoreError, CoreResult};
use crate::http::ServerApi;
use crate::notify::Notifier;
use crate::outbox;
use crate::plan;
use crate::token::TokenStore;

pub(crate) const META_SESSION: &str = "session";
pub(crate) const META_CATALOG: &str = "catalog_resources";
/// The language the UI last set; kept when the cache is wiped.
pub(crate) const META_LANG: &str = "lang";

/// The signed-in user, with the token to reach the server.
#[derive(Clone)]
pub(crate) struct Active {
    pub(crate) session: Session,
    pub(crate) token: String,
}

impl Active {
    pub(crate) fn actor(&self) -> Actor {
        Actor::user(self.session.user.id, self.session.user.role)
    }

    pub(crate) fn api(&self, http: &reqwest::Client, lang: Lang) -> ServerApi {
        ServerApi::new(
            http.clone(),
            &self.session.server_url,
            Some(self.token.clone()),
            lang,
        )
    }
}

/// How sync is going, kept in memory.
#[derive(Default)]
pub(crate) struct RunState {
    pub(crate) online: bool,
    pub(crate) live: bool,
    pub(crate) last_sync: Option<DateTime<FixedOffset>>,
    pub(crate) last_error: Option<String>,
}

/// What the client, the sync loop and the events loop share.
pub(crate) struct Shared {
    /// Sync and actions write through this connection.
    pub(crate) cache: Mutex<Cache>,
    /// The screens read through this one.
    pub(crate) reader: Mutex<rusqlite::Connection>,
    pub(crate) tokens: Arc<dyn TokenStore>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) http: reqwest::Client,
    pub(crate) active: Mutex<Option<Active>>,
    /// What the core speaks: to the server, in notifications, in its own
    /// messages.
    lang: Mutex<Lang>,
    state: Mutex<RunState>,
    /// One sync round at a time.
    pub(crate) sync_gate: tokio::sync::Mutex<()>,
    /// Rung by a new action or a live event: sync now.
    pub(crate) wake: tokio::sync::Notify,
    pub(crate) tasks: Mutex<Vec<crate::rt::Task>>,
    /// The last published status; the app forwards every change to the UI.
    status: watch::Sender<SyncStatus>,
}

/// Locks a mutex; a panic elsewhere never makes the cache unusable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// Opens the cache in `dir` (created when missing) and restores the
    /// session whose token `tokens` holds.
    pub(crate) fn open(
        dir: &Path,
        tokens: Arc<dyn TokenStore>,
        notifier: Arc<dyn Notifier>,
    ) -> CoreResult<Shared> {
        // In a browser the folder is a name in the worker's storage pool.
        #[cfg(not(target_arch = "wasm32"))]
        std::fs::create_dir_all(dir)
            .map_err(|e| CoreError::storage(format_args!("{}: ", dir.display()), e))?;
        let path = dir.join("cache.sqlite3");
        let cache = Cache::open(&path)?;
        let reader = cache::open_reader(&path)?;
        let mut state = RunState::default();
        let lang = cache::meta_get(&cache.conn, META_LANG)?
            .and_then(|id| serde_json::from_value(serde_json::Value::String(id)).ok())
            .unwrap_or_default();
        let session: Option<Session> = match cache::meta_get(&cache.conn, META_SESSION)? {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        };
        let active = match (session, tokens.load()) {
            (Some(session), Ok(Some(token))) => Some(Active { session, token }),
            (_, Err(error)) => {
                state.last_error = Some(error.message());
                None
            }
            _ => None,
        };
        let shared = Shared {
            cache: Mutex::new(cache),
            reader: Mutex::new(reader),
            tokens,
            notifier,
            http: ServerApi::http_client()?,
            active: Mutex::new(active),
            lang: Mutex::new(lang),
            state: Mutex::new(state),
            sync_gate: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
            tasks: Mutex::new(Vec::new()),
            status: watch::Sender::new(SyncStatus::default()),
        };
        shared.publish_status();
        Ok(shared)
    }

    pub(crate) fn active(&self) -> CoreResult<Active> {
        lock(&self.active).clone().ok_or(CoreError::NotSignedIn)
    }

    /// The language the core speaks now.
    pub(crate) fn lang(&self) -> Lang {
        *lock(&self.lang)
    }

    /// Speaks `lang` from now on, also after a restart.
    pub(crate) fn set_lang(&self, lang: Lang) -> CoreResult<()> {
        *lock(&self.lang) = lang;
        let id = crate::http::accept_language(lang);
        cache::meta_set(&lock(&self.cache).conn, META_LANG, id)
    }

    /// The server, as the signed-in user, in the core's language.
    pub(crate) fn api(&self) -> CoreResult<ServerApi> {
        Ok(self.active()?.api(&self.http, self.lang()))
    }

    /// The bookable objects of the catalog cached at login.
    pub(crate) fn resources(&self) -> Vec<ResourceInfo> {
        let cache = lock(&self.cache);
        cache::meta_get(&cache.conn, META_CATALOG)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Hands notifications decided but not yet shown to the notifier, in
    /// the core's language. Each stays in the history, unread, so a screen
    /// that was not listening yet still finds it there.
    pub(crate) fn deliver_notices(&self) -> CoreResult<()> {
        let lang = self.lang();
        let cache = lock(&self.cache);
        for kept in outbox::undelivered_notices(&cache.conn)? {
            let notice = plan::in_lang(kept.notification, kept.order_title.as_deref(), lang);
            // Marked first: a crash between the two loses one toast rather
            // than showing it twice; the history still has it.
            outbox::mark_delivered(&cache.conn, &notice.key)?;
            self.notifier.notify(&notice);
        }
        Ok(())
    }

    /// Where sync stands, read afresh from the cache and the run state.
    pub(crate) fn read_status(&self) -> CoreResult<SyncStatus> {
        let signed_in = lock(&self.active).is_some();
        let (pending, conflicts) = {
            let mut reader = lock(&self.reader);
            let snapshot = reader.transaction()?;
            (
                outbox::count(&snapshot)?,
                outbox::conflicts(&snapshot, None)?,
            )
        };
        let state = lock(&self.state);
        Ok(SyncStatus {
            signed_in,
            online: state.online,
            live: state.live,
            pending,
            conflicts,
            last_sync: state.last_sync,
            last_error: state.last_error.clone(),
        })
    }

    /// Publishes the status when it differs from the last one published.
    /// Called after every change that may move it: an action queued, a push
    /// settled, a round ended, live events coming or going, a sign-in or out.
    pub(crate) fn publish_status(&self) {
        match self.read_status() {
            Ok(status) => {
                self.status.send_if_modified(|published| {
                    let changed = *published != status;
                    if changed {
                        *published = status;
                    }
                    changed
                });
            }
            Err(error) => tracing::warn!(%error, "sync status not read"),
        }
    }

    /// A receiver of every published status, starting with the current one.
    pub(crate) fn subscribe_status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// Changes the run state, then publishes the status.
    pub(crate) fn update_state(&self, change: impl FnOnce(&mut RunState)) {
        change(&mut lock(&self.state));
        self.publish_status();
    }

    /// Whether live events are connected now.
    pub(crate) fn is_live(&self) -> bool {
        lock(&self.state).live
    }

    /// Stops the background tasks; queued actions stay in the outbox.
    pub(crate) fn stop_tasks(&self) {
        for task in lock(&self.tasks).drain(..) {
            task.abort();
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.stop_tasks();
    }
}
