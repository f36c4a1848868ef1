//! Web Push subscriptions: who may have one, and what a browser's
//! subscription must look like before the server keeps it.
//!
//! The checks are on the values only; whether `p256dh` is a point on the
//! curve is left to the server's cryptography, which has the curve.

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::refusal::{Refusal, RefusalCode};
use crate::role::Role;
use crate::text::Lang;

/// The longest push service address the server keeps, in bytes.
pub const MAX_PUSH_ENDPOINT_BYTES: usize = 2048;
/// An uncompressed P-256 point: `0x04`, then X and Y of 32 bytes each.
pub const PUSH_KEY_BYTES: usize = 65;
/// The browser's authentication secret.
pub const PUSH_AUTH_BYTES: usize = 16;

/// Base64url as browsers write it (no padding), with padding also read.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Who may ask for Web Push: everyone who receives notices about orders,
/// which is everyone but administrators.
pub fn may_subscribe_to_push(role: Role) -> Result<(), Refusal> {
    match role {
        Role::Admin => Err(Refusal::from(RefusalCode::RoleNotAllowed)),
        _ => Ok(()),
    }
}

/// A subscription's keys, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushKeys {
    /// The browser's public key, an uncompressed P-256 point.
    pub p256dh: [u8; PUSH_KEY_BYTES],
    pub auth: [u8; PUSH_AUTH_BYTES],
}

/// A subscription the server does not keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushInputError {
    /// Not `https://` (plain `http://` only to this machine), or too long.
    Endpoint,
    /// `p256dh` is not the base64url of an uncompressed P-256 point.
    Key,
    /// `auth` is not the base64url of 16 bytes.
    Auth,
}

impl PushInputError {
    /// The stable code that crosses HTTP.
    pub fn code(self) -> &'static str {
        match self {
            PushInputError::Endpoint => "invalid_push_endpoint",
            PushInputError::Key => "invalid_push_key",
            PushInputError::Auth => "invalid_push_auth",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let (ru, en) = match self {
            PushInputError::Endpoint => (
                format!("Адрес службы уведомлений должен начинаться с https:// и быть не длиннее {MAX_PUSH_ENDPOINT_BYTES} байт."),
                format!("The push service address must start with https:// and be at most {MAX_PUSH_ENDPOINT_BYTES} bytes long."),
            ),
            PushInputError::Key => (
                format!("Ключ p256dh должен быть точкой P-256 без сжатия ({PUSH_KEY_BYTES} байт) в base64url."),
                format!("The p256dh key must be an uncompressed P-256 point ({PUSH_KEY_BYTES} bytes) in base64url."),
            ),
            PushInputError::Auth => (
                format!("Секрет auth должен быть {PUSH_AUTH_BYTES} байтами в base64url."),
                format!("The auth secret must be {PUSH_AUTH_BYTES} bytes in base64url."),
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// Checks a browser's subscription: the push service's address, and its
/// keys in base64url, which it returns decoded.
pub fn validate_push_subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> Result<PushKeys, PushInputError> {
    if endpoint.len() > MAX_PUSH_ENDPOINT_BYTES || !acceptable_endpoint(endpoint) {
        return Err(PushInputError::Endpoint);
    }
    let p256dh = decode::<PUSH_KEY_BYTES>(p256dh)
        .filter(|key| key[0] == 0x04)
        .ok_or(PushInputError::Key)?;
    let auth = decode::<PUSH_AUTH_BYTES>(auth).ok_or(PushInputError::Auth)?;
    Ok(PushKeys { p256dh, auth })
}

/// Base64url of the bytes, as the Web Push headers and browsers write it.
pub fn push_base64(bytes: &[u8]) -> String {
    BASE64URL.encode(bytes)
}

fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    // Twice the size is already far more than any key: refuse before decoding.
    if text.len() > 2 * N + 4 {
        return None;
    }
    BASE64URL.decode(text).ok()?.try_into().ok()
}

/// `https://host/…`; `http://` only for this machine (a local stand-in
/// push service); no user name or password in the address.
fn acceptable_endpoint(endpoint: &str) -> bool {
    let lower = endpoint.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || endpoint.chars().any(char::is_whitespace)
    {
        return false;
    }
    secure || is_loopback(authority)
}

/// `127.x.x.x`, `localhost` or `[::1]`, with or without a port.
fn is_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(v6) => return v6.split(']').next() == Some("::1"),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .strip_prefix("127.")
            .is_some_and(|rest| rest.split('.').all(|p| p.parse::<u8>().is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const KEY: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    #[rstest]
    #[case::https("https://fcm.googleapis.com/fcm/send/abc")]
    #[case::loopback_ip("http://127.0.0.1:4000/push/1")]
    #[case::localhost("http://localhost:4000/push")]
    #[case::loopback_v6("http://[::1]:4000/push")]
    fn a_push_service_address_is_kept(#[case] endpoint: &str) {
        assert!(validate_push_subscription(endpoint, KEY, AUTH).is_ok());
    }

    #[rstest]
    #[case::plain_http_elsewhere("http://push.example.com/x")]
    #[case::http_lookalike("http://127.0.0.1.example.com/x")]
    #[case::other_scheme("ftp://push.example.com/x")]
    #[case::no_host("https:///x")]
    #[case::user_info("https://user@push.example.com/x")]
    #[case::not_an_address("push")]
    fn a_push_service_address_is_refused(#[case] endpoint: &str) {
        assert_eq!(
            validate_push_subscription(endpoint, KEY, AUTH),
            Err(PushInputError::Endpoint)
        );
    }

    #[test]
    fn an_address_too_long_is_refused() {
        let long = format!(
            "https://push.example.com/{}",
            "a".repeat(MAX_PUSH_ENDPOINT_BYTES)
        );
        assert_eq!(
            validate_push_subscription(&long, KEY, AUTH),
            Err(PushInputError::Endpoint)
        );
    }

    #[test]
    fn keys_are_decoded_and_checked() {
        let keys = validate_push_subscription("https://p.example/1", KEY, AUTH).expect("valid");
        assert_eq!(keys.p256dh[0], 0x04);
        assert_eq!(push_base64(&keys.p256dh), KEY);
        assert_eq!(push_base64(&keys.auth), AUTH);
        let padded = format!("{AUTH}==");
        assert!(validate_push_subscription("https://p.example/1", KEY, &padded).is_ok());
    }

    #[rstest]
    #[case::compressed_point("AyVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcx")]
    #[case::wrong_prefix(&KEY.replacen('B', "A", 1))]
    #[case::not_base64("BCVx$$$")]
    #[case::empty("")]
    fn a_bad_key_is_refused(#[case] key: &str) {
        assert_eq!(
            validate_push_subscription("https://p.example/1", key, AUTH),
            Err(PushInputError::Key)
        );
    }

    #[rstest]
    #[case::short("BTBZMqHH6r4Tts7J_aSI")]
    #[case::long("BTBZMqHH6r4Tts7J_aSIggAA")]
    #[case::not_base64("!!!!")]
    fn a_bad_auth_secret_is_refused(#[case] auth: &str) {
        assert_eq!(
            validate_push_subscription("https://p.example/1", KEY, auth),
            Err(PushInputError::Auth)
        );
    }

    #[test]
    fn only_a_new_order_and_a_return_to_work_raise_a_notification() {
        use crate::action::NoticeEvent as E;
        let all = [
            E::OrderCreated,
            E::ReturnedToWork,
            E::AwaitingConfirmation,
            E::BookingChanged,
            E::Cancelled,
            E::Refunded,
            E::ReadyForPickup,
            E::NewMessage,
        ];
        let raised: Vec<E> = all
            .into_iter()
            .filter(|e| e.raises_notification())
            .collect();
        assert_eq!(raised, [E::OrderCreated, E::ReturnedToWork]);
    }

    #[test]
    fn administrators_receive_no_notices_and_no_push() {
        for role in Role::ALL {
            assert_eq!(may_subscribe_to_push(role).is_ok(), role != Role::Admin);
        }
    }
}
