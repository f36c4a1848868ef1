//! Web Push: the browser's subscription as `PushSubscription.toJSON()`
//! writes it, the server's public key, and the message the server sends
//! through the push service (encrypted, so only the browser reads it).

use orderdesk_domain::OrderNumber;
use serde::{Deserialize, Serialize};

/// `PUT /push/subscriptions`: `{endpoint, expirationTime, keys: {p256dh,
/// auth}}`, exactly as the browser gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscription {
    /// The push service's address for this browser.
    pub endpoint: String,
    /// Milliseconds since the epoch when the browser lets it lapse, if it
    /// says; the server does not rely on it (a lapsed one answers 404/410).
    #[serde(
        rename = "expirationTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_time: Option<f64>,
    pub keys: PushSubscriptionKeys,
}

/// The browser's keys, base64url without padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionKeys {
    /// Its P-256 public key, uncompressed (65 bytes).
    pub p256dh: String,
    /// Its authentication secret (16 bytes).
    pub auth: String,
}

/// `DELETE /push/subscriptions`: which subscription to forget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushUnsubscribe {
    pub endpoint: String,
}

/// `GET /push/key`: the server's VAPID public key, the
/// `applicationServerKey` of `PushManager.subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushPublicKey {
    /// An uncompressed P-256 point (65 bytes), base64url without padding.
    pub public_key: String,
}

/// What one push carries, as JSON, once the browser has decrypted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushMessage {
    /// The headline, in the language the subscription was made in.
    pub title: String,
    /// «Заказ №1042: Уборка».
    pub body: String,
    /// `notice:<id>`: the key the app's core gives the same notice, so a
    /// browser shows one notification for it, not two.
    pub tag: String,
    pub order: OrderNumber,
}
