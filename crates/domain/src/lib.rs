//! The product's rules, written once as pure functions over values.
//!
//! The server enforces them, the client core checks them before queueing an
//! offline action, and the wasm UI uses them to offer only what is allowed.
//! Nothing here performs IO or reads a clock: time is always passed in.
//!
//! The entry point is [`decide`]: given the facts of an order, an action and
//! who takes it, it returns the [`Effect`] to apply or a typed [`Refusal`].

mod action;
mod ids;
mod kind;
mod money;
mod order;
mod refusal;
mod role;
mod rules;
mod shop;
mod slots;
mod text;

pub use action::{Action, Audience, BookingEdit, Effect, Notice, NoticeEvent, SystemMessage};
pub use ids::{LineNo, OrderNumber, ResourceId, ServiceId, UserId};
pub use kind::{OrderKind, Status};
pub use money::Money;
pub use order::{BookingFacts, LineFacts, OrderFacts, Payer, PaymentState, Period};
pub use refusal::{Refusal, RefusalCode, RefusalKind};
pub use role::{Actor, Role};
pub use rules::{allowed_status_targets, decide, decide_create, may_view, may_view_internal};
pub use shop::{shop_refund_due, shop_total_after_collection, LineOutcome};
pub use slots::{
    Slot, SlotError, SlotRange, FIRST_SLOT_MINUTES, LAST_SLOT_MINUTES, SLOTS_PER_DAY, SLOT_MINUTES,
};
pub use text::{Lang, Visibility};
