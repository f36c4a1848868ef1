//! The payment provider: an interface a real gateway can implement, and the
//! built-in sandbox (payment links, card payments confirmed at once, refunds
//! completed after a delay). Webhooks are signed with HMAC-SHA256.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Config;

/// What the server needs from a payment provider.
pub trait PaymentProvider: Send + Sync + 'static {
    fn name(&self) -> &'static str;

    /// The page where the requester pays an order with this token.
    fn payment_url(&self, token: &str) -> String;

    /// When a refund asked for at `now` will be done, if the provider
    /// completes refunds on its own schedule; `None` when it will call the
    /// webhook instead.
    fn refund_completes_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>>;
}

/// The built-in provider for demos and tests.
#[derive(Debug, Clone)]
pub struct SandboxProvider {
    public_url: String,
    refund_delay: Duration,
}

impl SandboxProvider {
    pub fn new(config: &Config) -> SandboxProvider {
        SandboxProvider {
            public_url: config.public_url.clone(),
            refund_delay: config.refund_delay,
        }
    }
}

impl PaymentProvider for SandboxProvider {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn payment_url(&self, token: &str) -> String {
        format!("{}/api/v1/sandbox/pay/{token}", self.public_url)
    }

    fn refund_completes_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(now + self.refund_delay)
    }
}

type HmacSha256 = Hmac<Sha256>;

/// The hex signature of a webhook body.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable_key_length());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `signature` (hex) signs `body`; compared in constant time.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(expected) = hex::decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

// HMAC accepts keys of any length, so this cannot happen.
fn unreachable_key_length() -> HmacSha256 {
    panic!("HMAC-SHA256 rejected a key length")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_its_body_and_key() {
        let sig = sign("secret", b"{\"a\":1}");
        assert!(verify("secret", b"{\"a\":1}", &sig));
        assert!(!verify("secret", b"{\"a\":2}", &sig));
        assert!(!verify("other", b"{\"a\":1}", &sig));
        assert!(!verify("secret", b"{\"a\":1}", "zz"));
    }
}
