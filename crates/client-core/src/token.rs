//! Where the session token lives between runs: the OS keyring in the app,
//! memory in tests. The cache never holds the token.

#[cfg(not(target_arch = "wasm32"))]
use crate::error::CoreError;
use crate::error::CoreResult;
use std::sync::Mutex;

/// Keeps one secret: the bearer token of the signed-in user.
pub trait TokenStore: Send + Sync {
    fn save(&self, token: &str) -> CoreResult<()>;
    /// `Ok(None)` when no token is stored.
    fn load(&self) -> CoreResult<Option<String>>;
    /// Forgets the token; forgetting a missing token is not an error.
    fn clear(&self) -> CoreResult<()>;
}

#[cfg(not(target_arch = "wasm32"))]
/// The OS keyring (Secret Service on Linux, Keychain on macOS and iOS,
/// Credential Manager on Windows) through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct KeyringTokenStore {
    service: String,
    account: String,
}

#[cfg(not(target_arch = "wasm32"))]
impl KeyringTokenStore {
    /// `service` names the app in the keyring; `account` tells apart several
    /// installations (e.g. a data directory's name).
    pub fn new(service: impl Into<String>, account: impl Into<String>) -> KeyringTokenStore {
        KeyringTokenStore {
            service: service.into(),
            account: account.into(),
        }
    }

    fn entry(&self) -> CoreResult<keyring::Entry> {
        keyring::Entry::new(&self.service, &self.account).map_err(keyring_error)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn keyring_error(error: keyring::Error) -> CoreError {
    CoreError::Keyring(error.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
impl TokenStore for KeyringTokenStore {
    fn save(&self, token: &str) -> CoreResult<()> {
        self.entry()?.set_password(token).map_err(keyring_error)
    }

    fn load(&self) -> CoreResult<Option<String>> {
        match self.entry()?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn clear(&self) -> CoreResult<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keyring_error(error)),
        }
    }
}

/// A token kept in memory only: for tests and for a "do not remember me" run.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    token: Mutex<Option<String>>,
}

impl MemoryTokenStore {
    pub fn new() -> MemoryTokenStore {
        MemoryTokenStore::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn save(&self, token: &str) -> CoreResult<()> {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.to_owned());
        Ok(())
    }

    fn load(&self) -> CoreResult<Option<String>> {
        Ok(self.token.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn clear(&self) -> CoreResult<()> {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}
