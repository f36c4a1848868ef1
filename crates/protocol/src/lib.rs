//! The wire: every body that crosses HTTP between the orders server and its
//! clients (the manager app's core and the UI), and the sync messages.
//!
//! Only shapes live here — no IO, no rules. Labels shown to people do not
//! travel: a client takes them from the domain crate, in its own language.
//! Everything builds for `wasm32-unknown-unknown`.
//!
//! Times are RFC 3339 with the site's offset, money is integer kopecks,
//! orders are addressed by their public [`OrderNumber`].
//!
//! [`ipc`] is the other wire: the manager app's commands, between its UI
//! and its shell.

mod admin;
mod app_error;
mod auth;
mod catalog;
mod chat;
mod commands;
mod create;
mod error;
pub mod ipc;
mod orders;
mod payments;
mod push;
mod range;
mod sync;

pub use admin::{
    AdminObject, AdminObjectList, AdminProduct, AdminProductList, AdminService, AdminServiceList,
    AdminUser, AdminUserList, AdminVersion, AuditEntry, AuditObject, AuditPage, AuditQuery,
    CompanyPayer, CompanyPayerList, NewUserRequest, ObjectRequest, ObjectUpdateRequest,
    OpeningHours, PasswordResetRequest, ProductRequest, ProductUpdateRequest, ServiceRequest,
    ServiceUpdateRequest, UserUpdateRequest,
};
pub use app_error::AppError;
pub use auth::{LoginRequest, LoginResponse, MeResponse, UserSummary};
pub use catalog::{
    Availability, CannedReplies, Catalog, ProductInfo, ResourceInfo, ServiceInfo, SlotAvailability,
};
pub use chat::{ChatMessage, MessageId, MessageList, PostMessageRequest};
pub use commands::{
    AssigneeRequest, BookingEditRequest, CancelRequest, CollectLineRequest, DeadlinesRequest,
    PaymentRequest, StatusRequest, VersionOnly,
};
pub use create::{ContactInput, CreateOrderRequest, NewExtra, NewItem, NewOrderDetails};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use orders::{
    description_line, AllowedActions, BookingInfo, CoworkingInfo, Deadlines, HistoryEntry,
    HotelInfo, ListSort, OrderDetail, OrderLine, OrderListQuery, OrderPage, OrderSummary,
    PayerInfo, PaymentEntry, PaymentEntryKind, PaymentEntryStatus, PaymentInfo, PaymentSource,
    Person, QuickFilter, ResourceRef, ServiceRef, DESCRIPTION_LINE_CHARS,
};
pub use payments::{PaymentLink, SandboxPayRequest, WebhookEvent, WebhookEventKind};
pub use push::{
    PushMessage, PushPublicKey, PushSubscription, PushSubscriptionKeys, PushUnsubscribe,
};
pub use range::{MAX_PAGE, MAX_PER_PAGE, MAX_PULL_LIMIT};
pub use sync::{
    Mutation, MutationId, MutationOp, MutationOutcome, MutationResult, NoticeId, PullQuery,
    PullResponse, PushRequest, PushResponse, ServerEvent, ServerEventKind, SyncCursor,
    SyncedMessage, SyncedNotice, Tombstone,
};

/// Header carrying the key that makes a mutating call safe to repeat.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Header carrying the HMAC-SHA256 (hex) of a payment webhook's raw body.
pub const WEBHOOK_SIGNATURE_HEADER: &str = "X-Orderdesk-Signature";

/// Base path of the administration endpoints, under [`API_BASE`].
pub const ADMIN_BASE: &str = "/api/v1/admin";

/// Base path of every endpoint.
pub const API_BASE: &str = "/api/v1";

/// Seconds between keep-alive comments on a quiet `GET /events` stream. A
/// client takes a stream silent for twice this long as dead.
pub const EVENTS_KEEP_ALIVE_SECONDS: u64 = 10;
