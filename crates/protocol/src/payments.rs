//! The payment provider's side: payment links, the sandbox's card form and
//! the signed webhook a provider calls.

use orderdesk_domain::{Money, OrderNumber};
use serde::{Deserialize, Serialize};

/// A link the requester follows to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLink {
    pub order: OrderNumber,
    pub url: String,
    pub amount: Money,
}

/// The sandbox's card form: pays the outstanding amount, or part of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SandboxPayRequest {
    pub amount: Option<Money>,
}

/// What the provider reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookEventKind {
    /// Money arrived for an order.
    PaymentSucceeded,
    /// A refund the server asked for went through.
    RefundSucceeded,
}

/// `POST /payments/webhook`, signed with
/// [`WEBHOOK_SIGNATURE_HEADER`](crate::WEBHOOK_SIGNATURE_HEADER). Delivered
/// at least once: `event_id` makes repeats harmless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEvent {
    pub event_id: String,
    pub kind: WebhookEventKind,
    pub order: OrderNumber,
    pub amount: Money,
    /// The refund's id for `refund_succeeded`.
    pub refund_id: Option<i64>,
}
