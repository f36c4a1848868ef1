//! Web Push: a notice that raises a notification (a new order, an order
//! returned to work) also reaches the recipient's browsers when the app is
//! closed. A browser subscribes while signed in; when a notice is stored,
//! one push per subscription is written to the outbox in the same
//! transaction ([`queue`]); a sender, one instance at a time, encrypts
//! each for its browser and posts it to the push service
//! ([`deliver_outbox`]).
//!
//! The push service's answer decides: 2xx delivered; 404/410 the
//! subscription is gone and is forgotten; 429, 5xx or no answer, tried
//! again later, [`MAX_ATTEMPTS`] times at most.

pub mod crypto;

use chrono::{DateTime, Duration, Utc};
use orderdesk_domain::{
    may_subscribe_to_push, notice_body, validate_push_subscription, Lang, NoticeEvent, OrderNumber,
    PushInputError, PushKeys,
};
use orderdesk_protocol::{ErrorCode, PushMessage, PushPublicKey, PushSubscription};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::state::AppState;
use crate::storage::{self, Conn, NewSubscription, PushRow};

/// The advisory lock key of a delivery round ("ORPU").
const PUSH_TURN: i64 = 0x4f52_5055;
/// How long a push service keeps a message for a browser that is offline.
const TTL_SECONDS: u32 = 24 * 3600;
/// How long the signed VAPID token is valid (RFC 8292 allows 24 hours).
const JWT_VALIDITY: Duration = Duration::hours(12);
/// Tries of one push before it is given up.
pub const MAX_ATTEMPTS: i64 = 6;
/// The wait before the second try; each later wait is four times longer.
const FIRST_RETRY: Duration = Duration::seconds(30);
/// Pushes taken out of reach of other rounds while one round sends them.
const LEASE: Duration = Duration::minutes(2);
/// Pushes one round takes at most.
const BATCH: i64 = 100;
/// The longest notification body sent, in characters: an order's title can
/// be long, and a lock screen shows a line or two.
const MAX_BODY_CHARS: usize = 200;

/// `GET /push/key`.
pub fn public_key(state: &AppState) -> PushPublicKey {
    PushPublicKey {
        public_key: state.vapid().public_base64(),
    }
}

fn invalid(error: PushInputError) -> ServiceError {
    ServiceError::invalid(
        ErrorCode::parse(error.code()),
        &error.message(Lang::Ru),
        &error.message(Lang::En),
    )
}

/// Keeps the caller's browser subscription, made with the token of
/// `token_hash`, replacing one of the same endpoint. Messages are written in
/// the caller's language.
pub async fn subscribe(
    state: &AppState,
    caller: &Caller,
    token_hash: &str,
    sub: &PushSubscription,
) -> Result<(), ServiceError> {
    may_subscribe_to_push(caller.role)?;
    let keys = validate_push_subscription(&sub.endpoint, &sub.keys.p256dh, &sub.keys.auth)
        .map_err(invalid)?;
    if !crypto::is_browser_key(&keys.p256dh) {
        return Err(invalid(PushInputError::Key));
    }
    let p256dh = orderdesk_domain::push_base64(&keys.p256dh);
    let auth = orderdesk_domain::push_base64(&keys.auth);
    let mut tx = state.storage().begin().await?;
    storage::save_push_subscription(
        &mut tx,
        &NewSubscription {
            user_id: caller.id.0,
            token_hash,
            endpoint: &sub.endpoint,
            p256dh: &p256dh,
            auth: &auth,
            lang: lang_id(caller.lang),
        },
        state.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the caller's subscription at `endpoint`; nothing to forget is
/// fine (the push service may have ended it first).
pub async fn unsubscribe(
    state: &AppState,
    caller: &Caller,
    endpoint: &str,
) -> Result<(), ServiceError> {
    let mut tx = state.storage().begin().await?;
    storage::delete_push_subscription(&mut tx, caller.id.0, endpoint).await?;
    tx.commit().await?;
    Ok(())
}

/// A notice just stored: its id, recipient and event.
#[derive(Debug, Clone, Copy)]
pub struct StoredNotice {
    pub id: i64,
    pub user_id: i64,
    pub event: NoticeEvent,
}

/// Called in the transaction that stores `notices` about `order_id`: one
/// push per subscription of each recipient whose notice raises a
/// notification.
pub async fn queue(
    conn: &mut Conn,
    order_id: i64,
    notices: &[StoredNotice],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let raising: Vec<&StoredNotice> = notices
        .iter()
        .filter(|n| n.event.raises_notification())
        .collect();
    if raising.is_empty() {
        return Ok(());
    }
    let Some(order) = storage::order_by_id(conn, order_id).await? else {
        return Ok(());
    };
    let title: String = order.title.chars().take(MAX_BODY_CHARS).collect();
    for notice in raising {
        for (subscription, lang) in storage::push_targets(conn, notice.user_id, now).await? {
            let lang = lang_of(&lang);
            let message = PushMessage {
                title: notice.event.title(lang).to_owned(),
                body: notice_body(lang, OrderNumber(order.number), &title),
                // The key the app's core gives the same notice.
                tag: format!("notice:{}", notice.id),
                order: OrderNumber(order.number),
            };
            let payload = serde_json::to_string(&message)
                .map_err(|e| ServiceError::fault("a push message as JSON", e))?;
            storage::insert_push(conn, subscription, &payload, now).await?;
        }
    }
    Ok(())
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: u32,
    /// Left for a later round.
    pub retried: u32,
    /// Given up after [`MAX_ATTEMPTS`] tries, or unreadable.
    pub given_up: u32,
    /// Subscriptions the push service no longer knows, forgotten.
    pub gone: u32,
}

/// Sends the pushes that are due; one instance at a time.
pub async fn deliver_outbox(state: &AppState) -> Result<DeliveryReport, ServiceError> {
    let mut report = DeliveryReport::default();
    let now = state.now();
    if !storage::pushes_due(&mut *state.storage().read().await?, now).await? {
        return Ok(report);
    }
    let Some(turn) = state.storage().try_exclusive(PUSH_TURN).await? else {
        return Ok(report);
    };
    let due = {
        let mut tx = state.storage().begin().await?;
        let due = storage::claim_pushes(&mut tx, now, now + LEASE, BATCH).await?;
        tx.commit().await?;
        due
    };
    for push in due {
        let outcome = send(state, &push).await;
        let mut tx = state.storage().begin().await?;
        match outcome {
            Outcome::Delivered => {
                storage::delete_push(&mut tx, push.id).await?;
                report.delivered += 1;
            }
            Outcome::Gone => {
                storage::drop_push_subscription(&mut tx, push.subscription_id).await?;
                report.gone += 1;
            }
            Outcome::Unsendable(why) => {
                tracing::warn!(push = push.id, why, "push given up: it cannot be sent");
                storage::delete_push(&mut tx, push.id).await?;
                report.given_up += 1;
            }
            Outcome::Later { why, at_least } => {
                let attempts = push.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    tracing::warn!(push = push.id, attempts, why, "push given up");
                    storage::delete_push(&mut tx, push.id).await?;
                    report.given_up += 1;
                } else {
                    let at = now + backoff(attempts).max(at_least);
                    tracing::info!(push = push.id, attempts, why, %at, "push to be tried again");
                    storage::retry_push(&mut tx, push.id, attempts, at).await?;
                    report.retried += 1;
                }
            }
        }
        tx.commit().await?;
    }
    turn.end().await?;
    Ok(report)
}

/// The wait after `attempts` failed tries: 30 s, 2 min, 8 min, 32 min, …
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    FIRST_RETRY * 4_i32.pow(exponent)
}

enum Outcome {
    Delivered,
    Gone,
    Unsendable(String),
    Later { why: String, at_least: Duration },
}

async fn send(state: &AppState, push: &PushRow) -> Outcome {
    let keys = match validate_push_subscription(&push.endpoint, &push.p256dh, &push.auth) {
        Ok(keys) => keys,
        Err(e) => return Outcome::Unsendable(format!("stored subscription: {e:?}")),
    };
    let Ok(url) = reqwest::Url::parse(&push.endpoint) else {
        return Outcome::Unsendable("the endpoint is not a URL".into());
    };
    let audience = url.origin().ascii_serialization();
    let body = match encrypt(push, &keys) {
        Ok(body) => body,
        Err(e) => return Outcome::Unsendable(e.to_string()),
    };
    let expires = (state.now() + JWT_VALIDITY).timestamp();
    let authorization =
        state
            .vapid()
            .authorization(&audience, &state.config().vapid_subject, expires);
    let answer = state
        .push_client()
        .post(url)
        .header("TTL", TTL_SECONDS)
        .header("Urgency", "high")
        .header(CONTENT_ENCODING, "aes128gcm")
        .header(CONTENT_TYPE, "application/octet-stream")
        .header(AUTHORIZATION, authorization)
        .body(body)
        .send()
        .await;
    let response = match answer {
        Ok(response) => response,
        Err(e) => {
            return Outcome::Later {
                why: format!("no answer: {e}"),
                at_least: Duration::zero(),
            }
        }
    };
    let status = response.status();
    match status {
        s if s.is_success() => Outcome::Delivered,
        StatusCode::NOT_FOUND | StatusCode::GONE => Outcome::Gone,
        s if s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error() => Outcome::Later {
            why: format!("the push service answered {s}"),
            at_least: retry_after(response.headers().get(RETRY_AFTER)),
        },
        // 400, 401, 403, 413: this request will never be taken as it is.
        s => Outcome::Unsendable(format!("the push service answered {s}")),
    }
}

fn encrypt(push: &PushRow, keys: &PushKeys) -> Result<Vec<u8>, crypto::CryptoError> {
    crypto::encrypt(push.payload.as_bytes(), keys)
}

/// A `Retry-After` in seconds; a date or nothing is no wait of its own.
fn retry_after(value: Option<&HeaderValue>) -> Duration {
    value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map_or_else(Duration::zero, |s| Duration::seconds(s.clamp(0, 24 * 3600)))
}

fn lang_id(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "ru",
        Lang::En => "en",
    }
}

fn lang_of(id: &str) -> Lang {
    match id {
        "en" => Lang::En,
        _ => Lang::Ru,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_fourfold_from_thirty_seconds() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(3), Duration::minutes(8));
    }

    #[test]
    fn retry_after_reads_seconds_only() {
        let secs = HeaderValue::from_static("120");
        assert_eq!(retry_after(Some(&secs)), Duration::seconds(120));
        let date = HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(Some(&date)), Duration::zero());
        assert_eq!(retry_after(None), Duration::zero());
    }
}
