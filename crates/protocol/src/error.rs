//! One vocabulary of errors for every wire: the HTTP error body
//! `{"error": {"code", "message"}}`, the refusals of a sync push and the
//! app's `{code, message}`.
//!
//! [`ErrorCode`] is stable and meant for matching (`slot_taken`,
//! `stale_version`, `not_responsible`…); `message` is for people, in the
//! requested language. A code this side does not know yet reads as
//! [`ErrorCode::Unavailable`], so an older client keeps working when the
//! server learns a new one.

use orderdesk_domain::RefusalCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares the codes once: the enum, its wire strings and the full list.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $name:ident = $id:literal, )*) => {
        /// Every error code that crosses HTTP, sync or IPC.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[$doc])* $name, )*
            /// The app could not be reached at all, or a code this side does
            /// not know arrived. Only a reading side ever makes it.
            #[serde(other)]
            Unavailable,
        }

        impl ErrorCode {
            /// Every code, the fallback last.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)* ErrorCode::Unavailable];

            /// The code as it crosses the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $id,)*
                    ErrorCode::Unavailable => "unavailable",
                }
            }
        }
    };
}

error_codes! {
    // The app's own codes (the UI matches on these).
    /// The input cannot be used as it is (empty login, malformed address).
    InvalidInput = "invalid_input",
    /// Wrong login or password, the session has expired, or no token.
    Unauthorized = "unauthorized",
    /// The server could not be reached; the action may be queued.
    ServerUnreachable = "server_unreachable",
    /// The server refused because someone changed the order first.
    Conflict = "conflict",
    /// The order or object does not exist or is not visible to this user.
    NotFound = "not_found",
    /// The user's role or responsibility does not allow the action.
    Forbidden = "forbidden",
    /// The product's rules refuse the action as the order stands now.
    Refused = "refused",
    /// The OS keyring cannot keep the session token (locked or missing).
    KeyringUnavailable = "keyring_unavailable",
    /// Signing out would lose actions not yet sent; ask before discarding.
    UnsentActions = "unsent_actions",
    /// A fault; the message says what (or only that it happened).
    Internal = "internal",

    // Requests the server cannot read.
    MalformedJson = "malformed_json",
    InvalidBody = "invalid_body",
    UnreadableBody = "unreadable_body",
    BodyTooLarge = "body_too_large",
    UnsupportedMediaType = "unsupported_media_type",
    InvalidQuery = "invalid_query",
    MethodNotAllowed = "method_not_allowed",
    InvalidCredentials = "invalid_credentials",
    BadSignature = "bad_signature",
    /// An answer to a status code the client got without an error body.
    HttpError = "http_error",

    // Idempotency and sync.
    InvalidIdempotencyKey = "invalid_idempotency_key",
    IdempotencyKeyReused = "idempotency_key_reused",
    IdempotencyInProgress = "idempotency_in_progress",
    /// The order changed since the version the change was made against.
    StaleVersion = "stale_version",
    MutationReplayed = "mutation_replayed",
    BatchTooLarge = "batch_too_large",

    // Input the server checks before the rules.
    UnknownService = "unknown_service",
    UnknownResource = "unknown_resource",
    UnknownProduct = "unknown_product",
    UnknownPayer = "unknown_payer",
    UnknownStatus = "unknown_status",
    UnknownKind = "unknown_kind",
    DetailsDoNotMatchService = "details_do_not_match_service",
    PremisesRequired = "premises_required",
    SlotInPast = "slot_in_past",
    InvalidDates = "invalid_dates",
    InvalidGuests = "invalid_guests",
    InvalidQuantity = "invalid_quantity",
    InvalidTime = "invalid_time",
    NoItems = "no_items",
    InvalidText = "invalid_text",
    SlotUnreadable = "slot_unreadable",
    SlotMisaligned = "slot_misaligned",
    SlotOutsideHours = "slot_outside_hours",
    NoSlots = "no_slots",
    SlotsNotContiguous = "slots_not_contiguous",

    // Administration and first start.
    /// No administrator exists yet: the server serves nothing until one is
    /// created with `orderdesk-server admin create`.
    SetupRequired = "setup_required",
    /// `GET /readyz`: the database did not answer a trivial query in time.
    DatabaseUnavailable = "database_unavailable",
    /// `GET /readyz`: the server is stopping; a balancer sends elsewhere.
    ShuttingDown = "shutting_down",
    /// The account is blocked by an administrator.
    AccountBlocked = "account_blocked",
    UnknownUser = "unknown_user",
    /// Login empty, too long or with characters other than letters,
    /// digits, `.`, `_`, `-`, `@`.
    InvalidLogin = "invalid_login",
    LoginTaken = "login_taken",
    /// A name of a person, service, object, tariff or good: empty or too long.
    InvalidName = "invalid_name",
    /// Shorter than 8 characters or longer than 200.
    InvalidPassword = "invalid_password",
    InvalidPhone = "invalid_phone",
    InvalidEmail = "invalid_email",
    /// A company name given for a role that is not a requester.
    CompanyForRequesterOnly = "company_for_requester_only",
    /// The change would leave no active administrator.
    LastAdmin = "last_admin",
    /// Auto-close, first-response or completion minutes out of range.
    InvalidMinutes = "invalid_minutes",
    /// A responsible user who is not a manager whose role covers the kind.
    ResponsibleRoleMismatch = "responsible_role_mismatch",
    /// The kind of a service that already has orders cannot change.
    KindInUse = "kind_in_use",
    /// Deleting would strand orders not yet finished; deactivate instead.
    OpenOrdersRemain = "open_orders_remain",
    /// Finished orders still refer to it; deactivate instead.
    HasOrderHistory = "has_order_history",
    /// A price not above zero or too large.
    InvalidPrice = "invalid_price",
    /// Desks or rooms out of range, or not 1 for a meeting room.
    InvalidCapacity = "invalid_capacity",
    /// Opening hours unreadable, off the slot grid, outside 08:00–23:30,
    /// in the wrong order, or given for something not a meeting room.
    InvalidOpeningHours = "invalid_opening_hours",
    /// An object for a service that books nothing, or a product for a
    /// service that is neither a shop nor a hotel.
    WrongServiceKind = "wrong_service_kind",
    /// The service, object or good is deactivated: no new orders.
    Inactive = "inactive",

    // Refusals of the rules (`RefusalCode`).
    RoleNotAllowed = "role_not_allowed",
    NotResponsible = "not_responsible",
    NotOwner = "not_owner",
    SystemOnly = "system_only",
    RequesterOnly = "requester_only",
    InternalChatForManagers = "internal_chat_for_managers",
    NotApplicable = "not_applicable",
    TransitionNotAllowed = "transition_not_allowed",
    DoneByRequesterOnly = "done_by_requester_only",
    WrongStatus = "wrong_status",
    AlreadyCancelled = "already_cancelled",
    ExecutorNotResponsible = "executor_not_responsible",
    NotEditable = "not_editable",
    PaidSlotCount = "paid_slot_count",
    PaidPriceChanged = "paid_price_changed",
    PayerNotEditable = "payer_not_editable",
    SlotTaken = "slot_taken",
    CapacityExhausted = "capacity_exhausted",
    NotPartlyPaid = "not_partly_paid",
    InvalidAmount = "invalid_amount",
    Overpayment = "overpayment",
    DeadlinesOutOfOrder = "deadlines_out_of_order",
    NotDue = "not_due",
    NoRefundPending = "no_refund_pending",
    UnknownLine = "unknown_line",
    MissingExceedsQuantity = "missing_exceeds_quantity",
    LinesNotCollected = "lines_not_collected",
    NotPaid = "not_paid",
    LineNotCollected = "line_not_collected",

    // Canned replies of a service.
    /// A canned reply is empty or longer than the limit.
    InvalidReply = "invalid_reply",
    /// More canned replies than a service keeps.
    TooManyReplies = "too_many_replies",

    // Web Push subscriptions (`PushInputError`).
    /// Not `https://` (plain `http://` only to the server's own machine),
    /// or longer than 2048 bytes.
    InvalidPushEndpoint = "invalid_push_endpoint",
    /// `p256dh` is not an uncompressed P-256 point in base64url.
    InvalidPushKey = "invalid_push_key",
    /// `auth` is not 16 bytes in base64url.
    InvalidPushAuth = "invalid_push_auth",
}

impl ErrorCode {
    /// The code of a wire string; one this side does not know is
    /// [`ErrorCode::Unavailable`], as when it arrives in JSON.
    pub fn parse(id: &str) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == id)
            .unwrap_or(ErrorCode::Unavailable)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<RefusalCode> for ErrorCode {
    fn from(code: RefusalCode) -> ErrorCode {
        use RefusalCode as R;
        match code {
            R::RoleNotAllowed => ErrorCode::RoleNotAllowed,
            R::NotResponsible => ErrorCode::NotResponsible,
            R::NotOwner => ErrorCode::NotOwner,
            R::SystemOnly => ErrorCode::SystemOnly,
            R::RequesterOnly => ErrorCode::RequesterOnly,
            R::InternalChatForManagers => ErrorCode::InternalChatForManagers,
            R::NotApplicable => ErrorCode::NotApplicable,
            R::TransitionNotAllowed { .. } => ErrorCode::TransitionNotAllowed,
            R::DoneByRequesterOnly => ErrorCode::DoneByRequesterOnly,
            R::WrongStatus { .. } => ErrorCode::WrongStatus,
            R::AlreadyCancelled => ErrorCode::AlreadyCancelled,
            R::ExecutorNotResponsible => ErrorCode::ExecutorNotResponsible,
            R::NotEditable { .. } => ErrorCode::NotEditable,
            R::PaidSlotCount { .. } => ErrorCode::PaidSlotCount,
            R::PaidPriceChanged { .. } => ErrorCode::PaidPriceChanged,
            R::PayerNotEditable => ErrorCode::PayerNotEditable,
            R::SlotTaken => ErrorCode::SlotTaken,
            R::CapacityExhausted => ErrorCode::CapacityExhausted,
            R::NotPartlyPaid => ErrorCode::NotPartlyPaid,
            R::InvalidAmount => ErrorCode::InvalidAmount,
            R::Overpayment { .. } => ErrorCode::Overpayment,
            R::DeadlinesOutOfOrder => ErrorCode::DeadlinesOutOfOrder,
            R::NotDue => ErrorCode::NotDue,
            R::NoRefundPending => ErrorCode::NoRefundPending,
            R::UnknownLine => ErrorCode::UnknownLine,
            R::MissingExceedsQuantity { .. } => ErrorCode::MissingExceedsQuantity,
            R::LinesNotCollected => ErrorCode::LinesNotCollected,
            R::NotPaid => ErrorCode::NotPaid,
            R::LineNotCollected => ErrorCode::LineNotCollected,
        }
    }
}

/// What a failed call returns, whatever the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A machine-readable code and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_crosses_as_its_snake_case_string_and_back() {
        for &code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("serialize");
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
            let back: ErrorCode = serde_json::from_value(json).expect("deserialize");
            assert_eq!(back, code);
            assert_eq!(ErrorCode::parse(code.as_str()), code);
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn the_wire_strings_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }

    #[test]
    fn an_unknown_code_reads_as_the_fallback() {
        let newer: ErrorCode = serde_json::from_str("\"some_new_code\"").expect("read");
        assert_eq!(newer, ErrorCode::Unavailable);
        assert_eq!(ErrorCode::parse("some_new_code"), ErrorCode::Unavailable);
        let body: ErrorBody =
            serde_json::from_str(r#"{"error": {"code": "brand_new", "message": "…"}}"#)
                .expect("body");
        assert_eq!(body.error.code, ErrorCode::Unavailable);
    }

    #[test]
    fn a_refusal_keeps_its_stable_id() {
        let codes = [
            RefusalCode::SlotTaken,
            RefusalCode::NotResponsible,
            RefusalCode::NotEditable {
                status: orderdesk_domain::Status::Done,
            },
            RefusalCode::PaidSlotCount { paid: 2, chosen: 3 },
            RefusalCode::NotPaid,
        ];
        for refusal in codes {
            assert_eq!(ErrorCode::from(refusal).as_str(), refusal.id());
        }
    }
}
