//! The browser's side of Web Push, written here from the RFCs: a key pair
//! and an authentication secret as `PushManager.subscribe` makes them,
//! decrypting a message (RFC 8291 / RFC 8188, the receiver), and checking
//! the VAPID token a push service would check (RFC 8292).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::Sha256;

pub struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

impl Browser {
    pub fn new() -> Browser {
        let mut auth = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut auth);
        Browser {
            secret: SecretKey::random(&mut rand::rngs::OsRng),
            auth,
        }
    }

    pub fn public_key(&self) -> Vec<u8> {
        self.secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    /// `PushSubscription.toJSON()` for `endpoint`.
    pub fn subscription(&self, endpoint: &str) -> Value {
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {"p256dh": b64(&self.public_key()), "auth": b64(&self.auth)}
        })
    }

    /// The plaintext of a push body, or `None` when it was not encrypted
    /// for this browser.
    pub fn decrypt(&self, body: &[u8]) -> Option<Vec<u8>> {
        let salt = body.get(..16)?;
        let record_size = u32::from_be_bytes(body.get(16..20)?.try_into().ok()?);
        let id_len = usize::from(*body.get(20)?);
        let server_key = body.get(21..21 + id_len)?;
        let sealed = body.get(21 + id_len..)?;
        assert!(
            sealed.len() <= record_size as usize,
            "one record holds the message"
        );
        let server = PublicKey::from_sec1_bytes(server_key).ok()?;
        let shared =
            p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), server.as_affine());
        let mut key_info = b"WebPush: info\0".to_vec();
        key_info.extend_from_slice(&self.public_key());
        key_info.extend_from_slice(server_key);
        let mut ikm = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&self.auth), shared.raw_secret_bytes())
            .expand(&key_info, &mut ikm)
            .ok()?;
        let content = Hkdf::<Sha256>::new(Some(salt), &ikm);
        let mut cek = [0u8; 16];
        let mut nonce = [0u8; 12];
        content
            .expand(b"Content-Encoding: aes128gcm\0", &mut cek)
            .ok()?;
        content
            .expand(b"Content-Encoding: nonce\0", &mut nonce)
            .ok()?;
        let mut record = Aes128Gcm::new_from_slice(&cek)
            .ok()?
            .decrypt(Nonce::from_slice(&nonce), sealed)
            .ok()?;
        // The last record: padding zeros after the delimiter 2 are dropped.
        while record.last() == Some(&0) {
            record.pop();
        }
        assert_eq!(record.pop(), Some(2), "the last record's delimiter");
        Some(record)
    }

    /// The message of a push body as JSON.
    pub fn message(&self, body: &[u8]) -> Value {
        let plain = self.decrypt(body).expect("a message for this browser");
        serde_json::from_slice(&plain).expect("a JSON message")
    }
}

/// Checks `vapid t=<jwt>, k=<key>` against the server's public key and
/// returns the token's claims.
pub fn vapid_claims(authorization: &str, server_key: &str) -> Value {
    let rest = authorization
        .strip_prefix("vapid ")
        .expect("the vapid scheme");
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = (token.expect("t="), key.expect("k="));
    assert_eq!(key, server_key, "k is the server's public key");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a signed JWT");
    let header: Value = serde_json::from_slice(&unb64(parts[0])).expect("a JWT header");
    assert_eq!(header["alg"], "ES256");
    let verifying = VerifyingKey::from_sec1_bytes(&unb64(server_key)).expect("a P-256 key");
    let signature = Signature::from_slice(&unb64(parts[2])).expect("r and s, 64 bytes");
    verifying
        .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
        .expect("the token is signed with the server's key");
    serde_json::from_slice(&unb64(parts[1])).expect("JWT claims")
}
