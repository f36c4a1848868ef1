//! What the screens read from the core: list pages, the order card with its
//! chat, the session, and the state of sync. Plain values, serialisable, so
//! the app passes them to the UI as they are.

use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{OrderKind, OrderNumber, ResourceId, Status, UserId};
use orderdesk_protocol::{ChatMessage, OrderDetail, OrderSummary, ServiceRef, UserSummary};
use serde::{Deserialize, Serialize};

/// Filters of the orders list. `Default` is the first page of everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub kind: Option<OrderKind>,
    /// An order number (or its beginning, with or without «№»), or text found
    /// in the title, requester or service.
    pub query: Option<String>,
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
            offset: 0,
            limit: 50,
        }
    }
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    pub summary: OrderSummary,
    /// Changed on this device and not yet accepted by the server.
    pub pending: bool,
}

/// A page of the list, newest number first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
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
    pub client_id: String,
    /// `assign`, `status`, `edit_booking`…
    pub action: String,
}

/// The order card, read from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// The order with this device's pending actions applied.
    pub detail: OrderDetail,
    /// Oldest first; for a requester never an internal one.
    pub messages: Vec<MessageView>,
    pub pending: Vec<PendingAction>,
    /// Refusals of this order's actions not yet dismissed, newest first.
    pub conflicts: Vec<Conflict>,
}

impl OrderView {
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// An action the server refused; the local change was rolled back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: i64,
    pub order: OrderNumber,
    pub action: String,
    pub code: String,
    /// What to tell the manager, e.g. «Заказ уже взят в работу другим менеджером.»
    pub message: String,
    /// RFC 3339.
    pub at: String,
}

/// The signed-in user on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub user: UserSummary,
    /// The services the user is responsible for.
    pub services: Vec<ServiceRef>,
}

/// Where sync stands, for the offline banner.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncStatus {
    pub signed_in: bool,
    /// The last call to the server got an answer.
    pub online: bool,
    /// Live events are connected; otherwise the core polls.
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

/// What one sync round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncReport {
    pub pushed: u32,
    pub refused: u32,
    pub pulled_orders: u32,
    pub removed_orders: u32,
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
