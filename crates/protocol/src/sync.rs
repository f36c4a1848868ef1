//! Offline sync: the shapes of `GET /sync/pull` and `POST /sync/push`.
//!
//! Pull returns the orders that changed after a cursor, as the user may see
//! them, plus tombstones for orders the user can no longer see. Push sends the
//! durable outbox: each mutation carries a client id (so a retry applies it
//! once) and the order version it was based on. `GET /events` sends
//! [`ServerEvent`]s: hints to pull, never the only carrier of data.

use chrono::NaiveDate;
use orderdesk_domain::{
    LineNo, LineOutcome, Money, NoticeEvent, OrderNumber, ResourceId, Status, UserId,
};
use serde::{Deserialize, Serialize};

use crate::chat::{ChatMessage, PostMessageRequest};
use crate::error::ErrorCode;
use crate::orders::OrderDetail;

/// A position in the server's change log; opaque to clients.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct SyncCursor(pub i64);

/// `GET /sync/pull?cursor=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PullQuery {
    /// The `next_cursor` of the last pull; from the start when absent.
    #[serde(default, deserialize_with = "crate::range::cursor")]
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub cursor: Option<i64>,
    /// Most changed orders in the answer, 1 to 1000; 200 when absent.
    #[serde(default, deserialize_with = "crate::range::pull_limit")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
}

/// An order the user should drop from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tombstone {
    pub number: OrderNumber,
    pub version: i64,
}

/// A chat message of a synced order. Internal ones reach managers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncedMessage {
    pub order: OrderNumber,
    pub message: ChatMessage,
}

/// What changed since the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub orders: Vec<OrderDetail>,
    pub tombstones: Vec<Tombstone>,
    /// The whole chat the user may read of every order in `orders`.
    #[serde(default)]
    pub messages: Vec<SyncedMessage>,
    /// The notices addressed to the user that were raised after the cursor
    /// and up to `next_cursor`, oldest first: each reaches a client once.
    #[serde(default)]
    pub notices: Vec<SyncedNotice>,
    pub next_cursor: SyncCursor,
    /// More changes wait; pull again with `next_cursor`.
    pub has_more: bool,
}

/// The server's id of a notice, stable: a client raises each one once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct NoticeId(pub i64);

/// Something the user is told about an order («Новый заказ», «Заказ вернули
/// в работу»…), raised by the server when the change was made, so none is
/// missed or guessed while the app was offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncedNotice {
    pub id: NoticeId,
    pub order: OrderNumber,
    pub event: NoticeEvent,
    /// The change that raised it: the id of its live event.
    pub event_id: i64,
    /// «Заказ вернули в работу».
    pub title: String,
    /// «Заказ №1042: Уборка».
    pub body: String,
}

/// The client's id for one queued mutation, unique per device.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct MutationId(pub String);

/// A manager action queued offline; the same operations as the HTTP calls,
/// named as the domain's `Action`s. Outboxes written before the renames say
/// `assign` and `return`, so those names are still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MutationOp {
    /// `POST /orders/{n}/assignee`.
    #[serde(alias = "assign")]
    AssignExecutor {
        user_id: Option<UserId>,
    },
    Status {
        status: Status,
    },
    Deadlines {
        first_response_due: Option<chrono::DateTime<chrono::FixedOffset>>,
        completion_due: Option<chrono::DateTime<chrono::FixedOffset>>,
    },
    EditBooking {
        resource_id: ResourceId,
        date: NaiveDate,
        slots: Vec<String>,
        payer_id: Option<UserId>,
        comment: Option<String>,
    },
    RecordPayment {
        amount: Money,
    },
    Cancel,
    Confirm,
    /// `POST /orders/{n}/return`.
    #[serde(alias = "return")]
    ReturnToWork,
    CollectLine {
        #[serde(deserialize_with = "crate::range::line_no")]
        #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 2147483647))]
        line: LineNo,
        #[serde(flatten)]
        outcome: LineOutcome,
    },
    PostMessage(PostMessageRequest),
    /// `POST /orders/{n}/take`: «Взять в работу».
    TakeInWork,
    /// `POST /orders/{n}/items/{line}/undo`: takes back a collection mark.
    UndoCollection {
        #[serde(deserialize_with = "crate::range::line_no")]
        #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 2147483647))]
        line: LineNo,
    },
}

/// One queued mutation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    pub client_id: MutationId,
    pub order: OrderNumber,
    /// The order version the change was made against.
    pub base_version: i64,
    pub op: MutationOp,
}

/// `POST /sync/push`: mutations in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
}

/// How one mutation fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum MutationOutcome {
    /// Applied; the order is now at `version`.
    Applied { version: i64 },
    /// Refused; roll the local change back and tell the manager why.
    Refused {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        code: ErrorCode,
        message: String,
    },
}

/// The result for one mutation, by its client id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub client_id: MutationId,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

/// The answer to a push, one result per mutation in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
}

/// What an event on `GET /events` is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServerEventKind {
    OrderCreated,
    OrderChanged,
    ReturnedToWork,
    Message,
    /// A new public message from the requester, for the one who handles it.
    NewMessage,
    AwaitingConfirmation,
    BookingChanged,
    Cancelled,
    Refunded,
    ReadyForPickup,
}

impl ServerEventKind {
    /// The kind of an event that raised a notice for the receiving user.
    pub fn of_notice(event: NoticeEvent) -> ServerEventKind {
        match event {
            NoticeEvent::OrderCreated => ServerEventKind::OrderCreated,
            NoticeEvent::ReturnedToWork => ServerEventKind::ReturnedToWork,
            NoticeEvent::AwaitingConfirmation => ServerEventKind::AwaitingConfirmation,
            NoticeEvent::BookingChanged => ServerEventKind::BookingChanged,
            NoticeEvent::Cancelled => ServerEventKind::Cancelled,
            NoticeEvent::Refunded => ServerEventKind::Refunded,
            NoticeEvent::ReadyForPickup => ServerEventKind::ReadyForPickup,
            NoticeEvent::NewMessage => ServerEventKind::NewMessage,
        }
    }
}

/// One server-sent event (`event: order`, `id:` the change's position).
/// Resume after a break with `Last-Event-ID`; then pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerEvent {
    pub id: i64,
    pub kind: ServerEventKind,
    pub order: OrderNumber,
}
