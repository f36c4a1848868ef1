//! The values the screens show. Orders, people, chat and availability are
//! the shared wire types of `orderdesk-protocol`, exactly as the app's core
//! returns them; the few types here are the app's own (session, sync state,
//! the list filter).

use orderdesk_domain::{OrderKind, OrderNumber, Status};
pub use orderdesk_protocol::{
    AllowedActions, Availability, BookingInfo, ChatMessage, OrderDetail, OrderLine, OrderSummary,
    PayerInfo, PaymentEntry, PaymentEntryKind, PaymentEntryStatus, PaymentInfo, PaymentSource,
    Person, ResourceInfo, UserSummary,
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
    /// Orders with actions waiting in the outbox: the list marks them.
    #[serde(default)]
    pub pending_orders: Vec<OrderNumber>,
    /// Actions the server refused; the local change was rolled back.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// An action the server refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Conflict {
    pub order_number: OrderNumber,
    pub message: String,
}

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OrderFilter {
    pub status: Option<Status>,
    pub kind: Option<OrderKind>,
    /// An order number or part of one.
    pub query: String,
}
