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
/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows (the `keyring` crate); on phones the platform's store
/// through `keyring-core`: Keystore-encrypted preferences on Android, the
/// protected-data keychain on iOS.
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

    fn entry(&self) -> CoreResult<platform::Entry> {
        platform::entry(&self.service, &self.account).map_err(keyring_error)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn keyring_error(error: platform::Error) -> CoreError {
    CoreError::Keyring(error.to_string())
}

/// The keyring of a desktop: Secret Service (or the kernel's keyutils) on
/// Linux, Keychain on macOS, Credential Manager on Windows.
#[cfg(not(any(target_os = "android", target_os = "ios", target_arch = "wasm32")))]
mod platform {
    pub use keyring::{Entry, Error};

    pub fn entry(service: &str, account: &str) -> Result<Entry, Error> {
        Entry::new(service, account)
    }
}

/// The keyring of a phone, through `keyring-core` and the platform's store,
/// asked for afresh by each call (saving, loading and forgetting the token
/// are rare).
///
/// - Android: the app's SharedPreferences, encrypted with a key of the
///   Android Keystore. The store finds the app through `ndk-context`, which
///   Tauri's Android activity sets up in `onCreate`, before the app's setup
///   opens the core; nothing else is needed at start.
/// - iOS: the app's own access group of the protected-data keychain, not
///   synchronised with iCloud, readable while the device is unlocked.
#[cfg(any(target_os = "android", target_os = "ios"))]
mod platform {
    use keyring_core::CredentialStore;
    pub use keyring_core::{Entry, Error};
    use std::sync::Arc;

    pub fn entry(service: &str, account: &str) -> Result<Entry, Error> {
        Entry::new_in_store(&store()?, service, account)
    }

    #[cfg(target_os = "android")]
    fn store() -> Result<Arc<CredentialStore>, Error> {
        let store: Arc<CredentialStore> = android_native_keyring_store::Store::new()?;
        Ok(store)
    }

    #[cfg(target_os = "ios")]
    fn store() -> Result<Arc<CredentialStore>, Error> {
        let store: Arc<CredentialStore> = apple_native_keyring_store::protected::Store::new()?;
        Ok(store)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl TokenStore for KeyringTokenStore {
    fn save(&self, token: &str) -> CoreResult<()> {
        self.entry()?.set_password(token).map_err(keyring_error)
    }

    fn load(&self) -> CoreResult<Option<String>> {
        match self.entry()?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(platform::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn clear(&self) -> CoreResult<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(platform::Error::NoEntry) => Ok(()),
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
