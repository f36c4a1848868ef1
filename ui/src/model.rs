//! The values the screens show. Every value the app returns is a type of
//! `orderdesk-protocol` (its `ipc` module for the app's own: session, sync
//! status, the cached list page and order card), re-exported here under their
//! own names; declared here are only the UI's own helpers (the
//! rows at hand, the list filter as the screen edits it).

use orderdesk_domain::{OrderKind, Status};
pub use orderdesk_protocol::ipc::{
    Conflict, ConflictId, Defaults, ListItem, ListPage, MessageView, Notification, OrderCard,
    PendingAction, Session, StatusCount, SyncStatus,
};
pub use orderdesk_protocol::{
    AllowedActions, Availability, BookingInfo, ChatMessage, CoworkingInfo, HistoryEntry, HotelInfo,
    OrderDetail, OrderLine, OrderSummary, PayerInfo, PaymentEntry, PaymentEntryKind,
    PaymentEntryStatus, PaymentInfo, PaymentSource, Person, ResourceInfo, UserSummary,
};
pub use orderdesk_protocol::{ListSort, QuickFilter};

/// The rows at hand: a page and the place of its first row in the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListWindow {
    pub offset: usize,
    pub page: ListPage,
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

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderFilter {
    pub status: Option<Status>,
    pub kind: Option<OrderKind>,
    /// The beginning of an order number, or text of its title,
    /// description, room, requester or service.
    pub query: String,
    /// «Мои», «Без исполнителя», «Просрочено».
    pub quick: Option<QuickFilter>,
    pub sort: ListSort,
}
