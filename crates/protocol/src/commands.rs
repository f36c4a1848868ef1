//! Bodies of the calls that change an order. Each may carry the `version` of
//! the order it was based on; a stale one is refused with `stale_version`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{LineOutcome, Money, ResourceId, Status, UserId};
use serde::{Deserialize, Serialize};

/// A body with nothing but the optional base version: confirm, return, cancel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionOnly {
    pub version: Option<i64>,
}

/// `POST /orders/{number}/cancel`, after «Отменить заказ?» → «Да».
pub type CancelRequest = VersionOnly;

/// `POST /orders/{number}/assignee`: `{user_id}`, or `{user_id: null}` for
/// «Не назначено».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssigneeRequest {
    pub user_id: Option<UserId>,
    pub version: Option<i64>,
}

/// `POST /orders/{number}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusRequest {
    pub status: Status,
    pub version: Option<i64>,
}

/// `POST /orders/{number}/deadlines`: «Изменить время».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlinesRequest {
    pub first_response_due: Option<DateTime<FixedOffset>>,
    pub completion_due: Option<DateTime<FixedOffset>>,
    pub version: Option<i64>,
}

/// `PATCH /orders/{number}/booking`: «Изменить заказ» with every field, as
/// the form saves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingEditRequest {
    pub resource_id: ResourceId,
    pub date: NaiveDate,
    /// Slot starts, `["15:00", "15:30"]`: on the 30-minute grid, 08:00–23:30,
    /// one continuous period.
    pub slots: Vec<String>,
    /// The company account that pays; `null` when the requester pays.
    pub payer_id: Option<UserId>,
    pub comment: Option<String>,
    pub version: Option<i64>,
}

/// `POST /orders/{number}/payments`: «Провести оплату».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    /// Kopecks, greater than zero and at most what is owed.
    pub amount: Money,
    pub version: Option<i64>,
}

/// `POST /orders/{number}/items/{line}`: `{"outcome": "collected"}` or
/// `{"outcome": "missing", "quantity": 2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectLineRequest {
    #[serde(flatten)]
    pub outcome: LineOutcome,
    pub version: Option<i64>,
}
