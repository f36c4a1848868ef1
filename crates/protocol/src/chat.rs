//! The order chat: «Публичное» and «Внутреннее» tabs, and system messages.

use chrono::{DateTime, FixedOffset};
use orderdesk_domain::{SystemNote, UserId, Visibility};
use serde::{Deserialize, Serialize};

/// A chat message's id, growing with time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct MessageId(pub i64);

/// `POST /orders/{number}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostMessageRequest {
    pub text: String,
    pub visibility: Visibility,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    pub id: MessageId,
    pub visibility: Visibility,
    /// Posted by the system: payments, status and booking changes.
    pub system: bool,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    /// What a system message says, as a code with parameters; the app shows
    /// it with the domain's `SystemNote::text` in its own language. Absent
    /// for people's messages and for system messages older than the codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<SystemNote>,
    /// The message; a system message's note rendered in the caller's
    /// language (`Accept-Language`).
    pub text: String,
    pub created_at: DateTime<FixedOffset>,
}

/// `GET /orders/{number}/messages`: oldest first (by time, then id). A requester never gets
/// internal messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageList {
    pub messages: Vec<ChatMessage>,
}
