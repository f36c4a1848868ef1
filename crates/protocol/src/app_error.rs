//! The error every command of the manager app returns to its UI:
//! `{code, message}`. The app makes it from the core's errors; the UI
//! matches on `code` (the login screen on `unauthorized`, the offline banner
//! on `server_unreachable`, a question on `unsent_actions`…) and shows
//! `message`, written for the manager.

use serde::{Deserialize, Serialize};

/// What went wrong, as a value the UI can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppErrorCode {
    /// The input cannot be used as it is (empty login, malformed address).
    InvalidInput,
    /// Wrong login or password, or the session has expired.
    Unauthorized,
    /// The server could not be reached; the action may be queued.
    ServerUnreachable,
    /// The server refused because someone changed the order first.
    Conflict,
    /// The order or object does not exist or is not visible to this user.
    NotFound,
    /// The user's role or responsibility does not allow the action.
    Forbidden,
    /// The product's rules refuse the action as the order stands now.
    Refused,
    /// The OS keyring cannot keep the session token (locked or missing).
    KeyringUnavailable,
    /// Signing out would lose actions not yet sent; ask before discarding.
    UnsentActions,
    /// Anything else; the message says what.
    Internal,
    /// The app could not be reached at all, or answered with a code this
    /// UI does not know. Only the UI's side ever makes it.
    #[serde(other)]
    Unavailable,
}

/// An error returned by every command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub code: AppErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: AppErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> AppError {
        AppError::new(AppErrorCode::InvalidInput, message)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_as_code_and_message() {
        let error = AppError::new(AppErrorCode::ServerUnreachable, "Сервер недоступен");
        let json = serde_json::to_value(&error).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"code": "server_unreachable", "message": "Сервер недоступен"})
        );
        let back: AppError = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, error);
    }

    #[test]
    fn a_code_this_side_does_not_know_reads_as_unavailable() {
        let newer: AppError =
            serde_json::from_str(r#"{"code": "some_new_code", "message": "…"}"#).expect("read");
        assert_eq!(newer.code, AppErrorCode::Unavailable);
    }
}
