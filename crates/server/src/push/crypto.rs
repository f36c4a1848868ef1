//! The cryptography of Web Push, over values only: the payload encrypted
//! for one browser (RFC 8291, `aes128gcm` of RFC 8188 in one record) and
//! the server's VAPID identity (RFC 8292, an ES256 JWT).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use orderdesk_domain::{push_base64, PushKeys, PUSH_KEY_BYTES};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::DecodePrivateKey;
use p256::{PublicKey, SecretKey};
use rand::RngCore;
use sha2::Sha256;
use std::fmt;

/// The record size announced in the header: one record holds the whole
/// message, which a push service caps at 4096 bytes anyway.
const RECORD_SIZE: u32 = 4096;
/// Salt, record size, key id length, the server's public key.
const HEADER_BYTES: usize = 16 + 4 + 1 + PUSH_KEY_BYTES;
/// The AES-GCM tag.
const TAG_BYTES: usize = 16;
/// The longest plaintext one record carries: the record less the padding
/// delimiter and the tag.
pub const MAX_PLAINTEXT_BYTES: usize = RECORD_SIZE as usize - 1 - TAG_BYTES;

/// What went wrong with a key or a message.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the browser's key is not a point on P-256")]
    BrowserKey,
    #[error("a message of {0} bytes does not fit one record")]
    TooLong(usize),
    #[error("the VAPID private key is neither PEM (SEC1 or PKCS#8) nor a base64url P-256 scalar")]
    PrivateKey,
    #[error("AES-GCM failed")]
    Cipher,
}

/// Whether `p256dh` is a point on the curve, as a browser's key must be.
pub fn is_browser_key(p256dh: &[u8]) -> bool {
    PublicKey::from_sec1_bytes(p256dh).is_ok()
}

/// The server's VAPID key pair. Its `Debug` shows the public half only.
#[derive(Clone)]
pub struct VapidKey {
    secret: SecretKey,
}

impl fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VapidKey({})", self.public_base64())
    }
}

impl VapidKey {
    pub fn generate() -> VapidKey {
        VapidKey {
            secret: SecretKey::random(&mut rand::rngs::OsRng),
        }
    }

    /// A private key as an operator gives it: PEM (`EC PRIVATE KEY` as
    /// `openssl ecparam -genkey` writes it, or PKCS#8 `PRIVATE KEY`), or the
    /// 32-byte scalar in base64url as Web Push tools print it.
    pub fn parse(text: &str) -> Result<VapidKey, CryptoError> {
        let text = text.trim();
        let secret = if text.starts_with("-----BEGIN") {
            SecretKey::from_sec1_pem(text)
                .or_else(|_| SecretKey::from_pkcs8_pem(text))
                .map_err(|_| CryptoError::PrivateKey)?
        } else {
            let bytes = base64_decode(text).ok_or(CryptoError::PrivateKey)?;
            SecretKey::from_slice(&bytes).map_err(|_| CryptoError::PrivateKey)?
        };
        Ok(VapidKey { secret })
    }

    /// The private scalar in base64url, as it is stored.
    pub fn private_base64(&self) -> String {
        push_base64(&self.secret.to_bytes())
    }

    /// The public key, an uncompressed point.
    pub fn public_key(&self) -> Vec<u8> {
        self.secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    /// The public key in base64url: the browser's `applicationServerKey`
    /// and the `k` of the `Authorization` header.
    pub fn public_base64(&self) -> String {
        push_base64(&self.public_key())
    }

    /// `vapid t=<JWT>, k=<public key>` for a push service at `audience`
    /// (its origin), valid until `expires` (seconds since the epoch).
    pub fn authorization(&self, audience: &str, subject: &str, expires: i64) -> String {
        let header = push_base64(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({"aud": audience, "exp": expires, "sub": subject});
        let claims = push_base64(claims.to_string().as_bytes());
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = SigningKey::from(&self.secret).sign(signing_input.as_bytes());
        let jwt = format!("{signing_input}.{}", push_base64(&signature.to_bytes()));
        format!("vapid t={jwt}, k={}", self.public_base64())
    }
}

/// Encrypts `plaintext` for the browser of `keys`, with a fresh key pair of
/// the server's and a fresh salt: the body of the push request.
pub fn encrypt(plaintext: &[u8], keys: &PushKeys) -> Result<Vec<u8>, CryptoError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let ephemeral = SecretKey::random(&mut rand::rngs::OsRng);
    encrypt_with(plaintext, keys, &ephemeral, salt)
}

/// [`encrypt`] with the server's key pair and the salt given (RFC 8291 §3).
fn encrypt_with(
    plaintext: &[u8],
    keys: &PushKeys,
    server: &SecretKey,
    salt: [u8; 16],
) -> Result<Vec<u8>, CryptoError> {
    if plaintext.len() > MAX_PLAINTEXT_BYTES {
        return Err(CryptoError::TooLong(plaintext.len()));
    }
    let browser = PublicKey::from_sec1_bytes(&keys.p256dh).map_err(|_| CryptoError::BrowserKey)?;
    let server_public = server.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(server.to_nonzero_scalar(), browser.as_affine());

    // IKM = HKDF(auth secret, ECDH secret, "WebPush: info" ‖ 0 ‖ ua ‖ as).
    let mut key_info = Vec::with_capacity(14 + 2 * PUSH_KEY_BYTES);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(&keys.p256dh);
    key_info.extend_from_slice(server_public.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&keys.auth), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|_| CryptoError::Cipher)?;

    let content = Hkdf::<Sha256>::new(Some(&salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    content
        .expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|_| CryptoError::Cipher)?;
    content
        .expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|_| CryptoError::Cipher)?;

    // One record, the last: the plaintext, then the delimiter 2, no padding.
    let mut record = Vec::with_capacity(plaintext.len() + 1);
    record.extend_from_slice(plaintext);
    record.push(2);
    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|_| CryptoError::Cipher)?;
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &record,
                aad: &[],
            },
        )
        .map_err(|_| CryptoError::Cipher)?;

    let mut body = Vec::with_capacity(HEADER_BYTES + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(PUSH_KEY_BYTES as u8);
    body.extend_from_slice(server_public.as_bytes());
    body.extend_from_slice(&sealed);
    Ok(body)
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;
    URL_SAFE_NO_PAD
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderdesk_domain::validate_push_subscription;

    fn bytes(text: &str) -> Vec<u8> {
        base64_decode(text).expect("base64url")
    }

    /// RFC 8291, section 5 and appendix A: the browser's keys, the server's
    /// key pair and the salt of the example give exactly its message.
    #[test]
    fn the_payload_is_encrypted_as_in_the_rfc_8291_example() {
        let keys = validate_push_subscription(
            "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
            "BTBZMqHH6r4Tts7J_aSIgg",
        )
        .expect("the example's subscription");
        let server = SecretKey::from_slice(&bytes("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
            .expect("the example's server key");
        assert_eq!(
            push_base64(server.public_key().to_encoded_point(false).as_bytes()),
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        );
        let salt: [u8; 16] = bytes("DGv6ra1nlYgDCS1FRnbzlw")
            .try_into()
            .expect("16 bytes");
        let body = encrypt_with(
            b"When I grow up, I want to be a watermelon",
            &keys,
            &server,
            salt,
        )
        .expect("encrypted");
        assert_eq!(
            push_base64(&body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vC\
             YLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXL\
             WyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
    }

    #[test]
    fn a_message_longer_than_one_record_is_refused() {
        let keys = validate_push_subscription(
            "https://push.example.net/1",
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
            "BTBZMqHH6r4Tts7J_aSIgg",
        )
        .expect("a subscription");
        assert!(encrypt(&[b'a'; MAX_PLAINTEXT_BYTES], &keys).is_ok());
        assert!(matches!(
            encrypt(&[b'a'; MAX_PLAINTEXT_BYTES + 1], &keys),
            Err(CryptoError::TooLong(_))
        ));
    }

    #[test]
    fn a_private_key_reads_from_base64url_and_from_pem() {
        let key = VapidKey::generate();
        let again = VapidKey::parse(&key.private_base64()).expect("base64url");
        assert_eq!(again.public_key(), key.public_key());
        let sec1 = key
            .secret
            .to_sec1_pem(p256::pkcs8::LineEnding::LF)
            .expect("SEC1 PEM");
        assert_eq!(
            VapidKey::parse(&sec1).expect("SEC1").public_key(),
            key.public_key()
        );
        use p256::pkcs8::EncodePrivateKey;
        let pkcs8 = key
            .secret
            .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
            .expect("PKCS#8 PEM");
        assert_eq!(
            VapidKey::parse(&pkcs8).expect("PKCS#8").public_key(),
            key.public_key()
        );
        assert!(VapidKey::parse("not a key").is_err());
        assert!(VapidKey::parse(&push_base64(&[0u8; 32])).is_err());
    }

    #[test]
    fn a_point_off_the_curve_is_no_browser_key() {
        let mut point = [0u8; PUSH_KEY_BYTES];
        point[0] = 4;
        point[64] = 1;
        assert!(!is_browser_key(&point));
        assert!(is_browser_key(&VapidKey::generate().public_key()));
    }
}
