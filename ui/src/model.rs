//! The values the screens show. Orders, people, chat and availability are
//! the shared wire types of `orderdesk-protocol`, exactly as the app's core
//! returns them; the few types here are the app's own (session, sync state,
//! the list filter).

use orderdesk_domain::{NoticeEvent, OrderKind, OrderNumber, Status};
pub use orderdesk_protocol::{
    AllowedActions, Availability, BookingInfo, ChatMessage, CoworkingInfo, HotelInfo, OrderDetail,
    OrderLine, OrderSummary, PayerInfo, PaymentEntry, PaymentEntryKind, PaymentEntryStatus,
    PaymentInfo, PaymentSource, Person, ResourceInfo, UserSummary,
};
use serde::{Deserialize, Serialize};

/// The signed-in manager and the server they work with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub user: UserSummary,
}

/// How far the local cache is from the server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SyncState {
    /// The last attempt to reach the server succeeded.
    pub online: bool,
    /// Actions waiting in the outbox.
    pub pending: u32,
    /// Actions the server refused; the local change was rolled back.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// When the cache last caught up with the server (RFC 3339).
    #[serde(default)]
    pub last_sync: Option<String>,
}

/// An action the server refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Conflict {
    pub id: i64,
    pub order: OrderNumber,
    pub message: String,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListItem {
    pub summary: OrderSummary,
    /// Changed on this device and not yet accepted by the server.
    pub pending: bool,
}

/// How many orders matching the kind and search are in a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

/// A page of the list as the app's cache answers it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct OrderPage {
    pub items: Vec<ListItem>,
    /// Orders matching the filter, over all pages.
    pub total: u64,
    /// Statuses with none are left out.
    pub counts: Vec<StatusCount>,
}

/// The rows at hand: a page and the place of its first row in the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListWindow {
    pub offset: usize,
    pub page: OrderPage,
}

impl ListWindow {
    /// The row at `index` of the whole list, when it is at hand.
    pub fn row(&self, index: usize) -> Option<&ListItem> {
        index
            .checked_sub(self.offset)
            .and_then(|i| self.page.items.get(i))
    }

    /// The number of orders in `status`.
    pub fn count(&self, status: Status) -> u64 {
        self.page
            .counts
            .iter()
            .find(|c| c.status == status)
            .map_or(0, |c| c.count)
    }
}

/// A chat message, sent or still waiting on this device.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MessageView {
    pub message: ChatMessage,
    pub pending: bool,
}

/// An action taken on this device that the server has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PendingAction {
    pub client_id: String,
    pub action: String,
}

/// The order card as the app's cache holds it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderCard {
    pub detail: OrderDetail,
    pub messages: Vec<MessageView>,
    pub pending: Vec<PendingAction>,
    pub conflicts: Vec<Conflict>,
}

/// A new or returned order the app was told about.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Notice {
    pub key: String,
    pub order: OrderNumber,
    pub event: NoticeEvent,
    pub title: String,
    pub body: String,
}

/// What the login screen offers before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Defaults {
    pub server_url: Option<String>,
    pub session_error: Option<String>,
}

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OrderFilter {
    pub status: Option<Status>,
    pub kind: Option<OrderKind>,
    /// The beginning of an order number, or text of its title, requester
    /// or service.
    pub query: String,
}
