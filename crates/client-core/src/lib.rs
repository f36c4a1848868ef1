//! The offline core of the manager app, with no UI framework in it.
//!
//! It keeps a local SQLite cache of the orders the signed-in manager may see,
//! so every screen reads with no network; checks each action by the domain
//! rules, applies it to the cache at once and queues it in a durable outbox
//! in the same transaction; pushes the outbox to the server exactly once per
//! action and rolls a refused one back with a message the manager can read;
//! pulls changes on start, on every live event and on a timer; raises each
//! "new order" and "returned to work" notification once; and keeps the
//! session token in the OS keyring.
//!
//! The entry point is [`Client`]. The app supplies a [`TokenStore`]
//! ([`KeyringTokenStore`] in production) and a [`Notifier`]. What it returns
//! to the app are the IPC values of `orderdesk_protocol::ipc`, re-exported
//! here; the sync status is also published ([`Client::watch_status`]).
//!
//! Inside, the handles live in one place (`shared`); `client` and `actions`
//! use them and start `sync` and `events`, which use them too; what a sync
//! step decides is computed by pure functions in `plan`.
//!
//! Not here: HTTP handlers (the server crate), screens (the UI crate), OS
//! notifications themselves (the app).

mod actions;
mod admin;
pub mod answer;
mod cache;
mod client;
mod error;
mod events;
mod http;
mod list;
mod local;
mod notify;
mod outbox;
mod plan;
mod push;
mod rt;
mod shared;
mod sync;
mod token;

pub use client::Client;
pub use error::{CoreError, CoreResult};
pub use notify::{Notifier, RecordingNotifier, SilentNotifier};
pub use orderdesk_protocol::ipc::{
    AdminData, BookingChange, Conflict, ConflictId, ListFilter, ListItem, ListPage, MessageView,
    Notification, OrderCard, PendingAction, Session, StatusCount, SyncStatus,
};
pub use sync::SyncReport;
#[cfg(not(target_arch = "wasm32"))]
pub use token::KeyringTokenStore;
pub use token::{MemoryTokenStore, TokenStore};
