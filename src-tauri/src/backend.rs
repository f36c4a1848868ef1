//! The boundary between the app's commands and the offline client core.
//!
//! Every command goes through [`Backend`], and only this file knows how the
//! core is reached. The core (`orderdesk-client-core`: cache, outbox, sync,
//! events) is not part of the build yet, so each operation checks its input
//! and then answers [`ErrorCode::CoreUnavailable`](crate::ErrorCode) — the
//! app never shows made-up orders. Wiring the core means filling in these
//! method bodies; the commands and the UI stay as they are.

use crate::error::AppError;
use orderdesk_domain::Role;
use serde::Serialize;

/// The signed-in manager, as the UI shows it in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub server_url: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// How far the local cache is from the server, for the offline banner.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SyncState {
    /// The last attempt to reach the server succeeded.
    pub online: bool,
    /// Actions taken locally and not yet accepted by the server.
    pub pending: u32,
    /// Actions the server refused, with the reason, newest first.
    pub conflicts: Vec<Conflict>,
}

/// An action the server refused; the local change was rolled back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub order_number: i64,
    pub message: String,
}

/// The app's single handle on the core, managed as Tauri state.
#[derive(Debug, Default)]
pub struct Backend {}

impl Backend {
    pub fn new() -> Backend {
        Backend {}
    }

    pub async fn log_in(
        &self,
        server_url: &str,
        login: &str,
        password: &str,
    ) -> Result<Session, AppError> {
        check_server_url(server_url)?;
        if login.trim().is_empty() {
            return Err(AppError::invalid_input("Введите логин."));
        }
        if password.is_empty() {
            return Err(AppError::invalid_input("Введите пароль."));
        }
        Err(AppError::core_unavailable())
    }

    pub async fn log_out(&self) -> Result<(), AppError> {
        Ok(())
    }

    /// The session restored from the keyring on start, if any.
    pub async fn session(&self) -> Result<Option<Session>, AppError> {
        Ok(None)
    }

    pub async fn sync_state(&self) -> Result<SyncState, AppError> {
        Ok(SyncState::default())
    }
}

/// The server address must be an absolute http(s) URL with a host.
fn check_server_url(url: &str) -> Result<(), AppError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(AppError::invalid_input(
            "Укажите адрес сервера полностью, например https://orders.example.ru.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn server_address_needs_scheme_and_host() {
        assert!(check_server_url("https://orders.example.ru").is_ok());
        assert!(check_server_url("http://127.0.0.1:8080").is_ok());
        for bad in [
            "",
            "orders.example.ru",
            "https://",
            "ftp://x",
            "http:///path",
        ] {
            let error = check_server_url(bad).expect_err(bad);
            assert_eq!(error.code, ErrorCode::InvalidInput, "{bad}");
        }
    }
}
