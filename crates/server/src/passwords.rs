//! Password hashes: Argon2id in PHC format, so verification reads the
//! parameters back from the hash. Sign-in and the demo accounts use them.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::PasswordCost;
use crate::error::ServiceError;

fn argon2(cost: PasswordCost) -> Argon2<'static> {
    match cost {
        PasswordCost::Standard => Argon2::default(),
        PasswordCost::Fast => Params::new(1024, 1, 1, None)
            .map(|p| Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
            .unwrap_or_default(),
    }
}

/// An Argon2id hash in PHC format.
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::internal(format!("password hash: {e}")))
}

/// Whether `password` matches the stored `hash`.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}
