//! The product's rules, written once as pure functions over values.
//!
//! The server enforces them, the client core checks them before queueing an
//! offline action, and the wasm UI uses them to offer only what is allowed.
//! Nothing here performs IO or reads a clock: time is always passed in.
//!
//! The entry point is [`decide`]: given the facts of an order, an action and
//! who takes it, it returns the [`Effect`] to apply or a typed [`Refusal`].
//! Around it: [`allowed_actions`] (the buttons to offer), [`awaiting_payment`]
//! («В процессе оплаты»), [`booking_edit_total`] (what a booking edit saves),
//! [`may_view_internal`] (who reads the internal chat), [`status_hint`] (why
//! «Изменить статус» is absent), [`overdue`] and [`statuses_for`] (what a
//! manager triages), the [`SystemNote`]s the system writes in the chat and
//! the history, and the input limits of [`validate_new_order`],
//! [`validate_message`], [`validate_booking_time`] and
//! [`validate_canned_replies`]; who may have Web Push and what a browser's
//! subscription must be ([`validate_push_subscription`]).

mod action;
mod admin;
mod allowed;
mod booking;
mod due;
mod hint;
mod ids;
mod input;
mod kind;
mod money;
mod note;
mod notice_text;
mod order;
mod push;
mod refusal;
mod role;
mod rules;
mod shop;
mod slots;
mod text;

pub use action::{Action, Audience, BookingEdit, Effect, Notice, NoticeEvent};
pub use admin::{
    may_administer, validate_capacity, validate_company, validate_email, validate_login,
    validate_minutes, validate_name, validate_object_kind, validate_opening_hours,
    validate_optional_name, validate_password, validate_phone, validate_price,
    validate_product_kind, validate_responsible, within_opening_hours, AdminInputError,
    MAX_CAPACITY, MAX_LOGIN_CHARS, MAX_MINUTES, MAX_NAME_CHARS, MAX_PASSWORD_CHARS, MAX_PRICE,
    MIN_PASSWORD_CHARS,
};
pub use allowed::{allowed_actions, AllowedActions};
pub use booking::{booking_edit_total, keeps_paid_slots, paid_slot_count};
pub use due::{next_due, overdue, statuses_for, Due};
pub use hint::{overdue as overdue_mark, status_hint, Overdue, StatusHint};
pub use ids::{LineNo, OrderNumber, ResourceId, ServiceId, UserId};
pub use input::{
    time_of_day, validate_booking_time, validate_canned_replies, validate_message,
    validate_new_order, InputError, NewExtraInput, NewOrder, MAX_COWORKING_DAYS,
    MAX_EXTRA_QUANTITY, MAX_GUESTS, MAX_HOTEL_NIGHTS, MAX_ITEMS, MAX_ITEM_QUANTITY,
    MAX_MESSAGE_CHARS, MAX_REPLIES, MAX_REPLY_CHARS,
};
pub use kind::{OrderKind, Status};
pub use money::Money;
pub use note::{date_text, date_time_text, BookingSpan, SystemNote};
pub use notice_text::notice_body;
pub use order::{
    awaiting_payment, refund_on_cancel, BookingFacts, LineFacts, OrderFacts, Payer, PaymentState,
    Period,
};
pub use push::{
    may_subscribe_to_push, push_base64, validate_push_subscription, PushInputError, PushKeys,
    MAX_PUSH_ENDPOINT_BYTES, PUSH_AUTH_BYTES, PUSH_KEY_BYTES,
};
pub use refusal::{Refusal, RefusalCode, RefusalKind};
pub use role::{Actor, Role};
pub use rules::{
    allowed_status_targets, decide, decide_create, may_edit_replies, may_view, may_view_internal,
};
pub use shop::{shop_refund_due, shop_total_after_collection, LineOutcome};
pub use slots::{
    Slot, SlotError, SlotRange, FIRST_SLOT_MINUTES, LAST_SLOT_MINUTES, SLOTS_PER_DAY, SLOT_MINUTES,
};
pub use text::{Lang, Visibility};
