//! The values the app's commands return: the session, the cached list page,
//! the order card with its chat and pending actions, the state of sync, the
//! notifications raised. The client core produces them and the UI shows
//! them as they are.

use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{NoticeEvent, OrderKind, OrderNumber, ResourceId, Status, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    ChatMessage, ListSort, MutationId, OrderDetail, OrderSummary, QuickFilter, ServiceRef,
    UserSummary,
};

/// The signed-in user on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub user: UserSummary,
    /// The services the user is responsible for.
    pub services: Vec<ServiceRef>,
}

/// What the login screen offers before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Defaults {
    /// From `ORDERDESK_SERVER_URL`, when set.
    pub server_url: Option<String>,
    /// Why the stored session could not be restored (e.g. a locked keyring).
    pub session_error: Option<String>,
}

/// Filters of the orders list. `Default` is the first page of everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub kind: Option<OrderKind>,
    /// An order number (or its beginning, with or without «№»), or text found
    /// in the title, description, room, requester or service.
    pub query: Option<String>,
    /// «Мои», «Без исполнителя», «Просрочено».
    #[serde(default)]
    pub quick: Option<QuickFilter>,
    #[serde(default)]
    pub sort: ListSort,
    pub offset: u32,
    /// At most 500.
    pub limit: u32,
}

impl Default for ListFilter {
    fn default() -> ListFilter {
        ListFilter {
            status: None,
            kind: None,
            query: None,
            quick: None,
            sort: ListSort::Newest,
            offset: 0,
            limit: 50,
        }
    }
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    /// With this device's pending actions applied, as the card shows it.
    pub summary: OrderSummary,
    /// Changed on this device and not yet accepted by the server.
    pub pending: bool,
    /// What waits to be sent, by [`PendingAction::action`] name
    /// (`edit_booking`, `assign_executor`…): the row marks those values as
    /// pending, as the card does.
    #[serde(default)]
    pub pending_actions: Vec<String>,
}

impl ListItem {
    /// Whether an action of this name waits to be sent.
    pub fn is_pending(&self, action: &str) -> bool {
        self.pending_actions.iter().any(|a| a == action)
    }
}

/// A page of the cached list, newest number first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListPage {
    pub items: Vec<ListItem>,
    /// Orders matching the filter, over all pages.
    pub total: u64,
    /// Orders per status matching the filter's kind and search, for the
    /// status choices; statuses with none are left out.
    pub counts: Vec<StatusCount>,
}

/// How many cached orders are in a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

/// A chat message, sent or waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub message: ChatMessage,
    pub pending: bool,
}

/// An action taken on this device that the server has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAction {
    pub client_id: MutationId,
    /// `assign_executor`, `status`, `deadlines`, `edit_booking`,
    /// `record_payment`, `cancel`, `confirm`, `return_to_work`,
    /// `collect_line`, `post_message`.
    pub action: String,
}

/// The order card as the device's cache holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCard {
    /// The order with this device's pending actions applied.
    pub detail: OrderDetail,
    /// Oldest first; never one the user may not read.
    pub messages: Vec<MessageView>,
    pub pending: Vec<PendingAction>,
    /// Refusals of this order's actions not yet dismissed, newest first.
    pub conflicts: Vec<Conflict>,
}

impl OrderCard {
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether an action of this name waits to be sent: its values on the
    /// card (e.g. the booking's new time for `edit_booking`) are pending.
    pub fn is_pending_action(&self, action: &str) -> bool {
        self.pending.iter().any(|p| p.action == action)
    }
}

/// The device's id of a refused action's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConflictId(pub i64);

impl std::fmt::Display for ConflictId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An action the server refused; the local change was rolled back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: ConflictId,
    pub order: OrderNumber,
    pub action: String,
    pub code: String,
    /// What to tell the manager, e.g. «Заказ уже взят в работу другим менеджером.»
    pub message: String,
    /// RFC 3339.
    pub at: String,
}

/// Where sync stands, for the offline banner. Published by the core on
/// every change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncStatus {
    pub signed_in: bool,
    /// The last call to the server got an answer.
    pub online: bool,
    /// Live events are connected; otherwise the core polls the server.
    pub live: bool,
    /// Actions waiting in the outbox.
    pub pending: u32,
    /// Refused actions not yet dismissed, newest first.
    pub conflicts: Vec<Conflict>,
    /// When the cache last caught up with the server.
    pub last_sync: Option<DateTime<FixedOffset>>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
}

/// A new or returned order the app tells the manager about, once per event;
/// the core keeps them as the notification history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Stable per notice (the server's notice id): the same notice never
    /// gets a second notification.
    pub key: String,
    pub order: OrderNumber,
    /// `OrderCreated` or `ReturnedToWork`.
    pub event: NoticeEvent,
    /// «Новый заказ», «Заказ вернули в работу».
    pub title: String,
    /// «Заказ №1042: Уборка».
    pub body: String,
    /// Opened, or marked read, in the history.
    #[serde(default)]
    pub read: bool,
    /// When the core raised it.
    #[serde(default)]
    pub at: Option<DateTime<FixedOffset>>,
}

/// «Изменить заказ» of a meeting-room booking, as the form saves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingChange {
    pub resource_id: ResourceId,
    pub date: NaiveDate,
    /// Slot starts, `["15:00", "15:30"]`.
    pub slots: Vec<String>,
    /// The company account that pays; `None` when the requester pays.
    pub payer_id: Option<UserId>,
    pub comment: Option<String>,
}
