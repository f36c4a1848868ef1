//! The manager app's IPC: what the UI sends to the app's commands and what
//! comes back, typed once so the shell, the client core and the UI cannot
//! drift apart.
//!
//! [`values`](self) are what the core returns and the UI shows (the cached
//! list page, the order card, the sync status…); each command has one
//! argument struct implementing [`Command`], which names the command and its
//! answer. A failed command answers with [`AppError`](crate::AppError).
//! Builds for `wasm32-unknown-unknown`: no IO here.

mod admin;
mod commands;
mod values;
mod worker;

pub use admin::{
    AdminData, BlockUser, CreateObject, CreateProduct, CreateService, CreateUser, GetAdmin,
    ResetPassword, UnblockUser, UpdateObject, UpdateProduct, UpdateService, UpdateUser,
};
pub use commands::{
    AssignExecutor, CancelOrder, ChangeDeadlines, ChangeStatus, CollectLine, Command,
    CountUnreadNotifications, DismissConflict, EditBooking, GetAvailability, GetDefaults, GetOrder,
    GetPushKey, GetSession, GetSyncStatus, ListNotifications, ListOrders, ListPayers,
    ListResources, LogIn, LogOut, MarkNotificationsRead, RecordPayment, SendMessage, SetLanguage,
    SubscribePush, SyncNow, TakeInWork, UndoCollection, UnsubscribePush, ARGS, COMMANDS,
};
pub use values::{
    BookingChange, Conflict, ConflictId, Defaults, ListFilter, ListItem, ListPage, MessageView,
    Notification, OrderCard, PendingAction, Session, StatusCount, SyncStatus,
};
pub use worker::{FromWorker, ToWorker, WorkerFailure};

/// The event the app emits with a [`SyncStatus`] whenever it changes.
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// The event the app emits with each new [`Notification`]. A UI that starts
/// listening late catches up with [`ListNotifications`].
pub const NOTIFICATION_EVENT: &str = "order-notification";
