//! The one error shape that crosses IPC: `{code, message}`.
//!
//! The UI matches on `code` to decide what to do (show the login screen on
//! `unauthorized`, the offline banner on `server_unreachable`…) and shows
//! `message`, which is written for the manager, in Russian.

use orderdesk_client_core::CoreError;
use serde::Serialize;

/// What went wrong, as a value the UI can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
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
}

/// An error returned by every command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidInput, message)
    }

    /// A login failure in the words of the login screen.
    pub fn from_login(error: CoreError) -> AppError {
        match error {
            CoreError::Offline(_) => AppError::new(
                ErrorCode::ServerUnreachable,
                "Сервер недоступен. Проверьте адрес сервера и подключение к сети.",
            ),
            CoreError::Unauthorized(_) => {
                AppError::new(ErrorCode::Unauthorized, "Неверный логин или пароль.")
            }
            other => AppError::from(other),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(error: CoreError) -> AppError {
        let code = match &error {
            CoreError::Offline(_) => ErrorCode::ServerUnreachable,
            CoreError::Unauthorized(_) | CoreError::NotSignedIn => ErrorCode::Unauthorized,
            CoreError::OrderNotFound(_) => ErrorCode::NotFound,
            CoreError::Refused { .. } => ErrorCode::Refused,
            CoreError::Invalid(_) => ErrorCode::InvalidInput,
            CoreError::Keyring(_) => ErrorCode::KeyringUnavailable,
            CoreError::UnsentActions(_) => ErrorCode::UnsentActions,
            CoreError::Storage(_) => ErrorCode::Internal,
            CoreError::Server { status, .. } => match status {
                403 => ErrorCode::Forbidden,
                404 => ErrorCode::NotFound,
                409 => ErrorCode::Conflict,
                400 | 422 => ErrorCode::InvalidInput,
                _ => ErrorCode::Internal,
            },
        };
        let message = match &error {
            CoreError::Server { message, .. } => message.clone(),
            other => other.message(),
        };
        AppError::new(code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message_for_the_ui() {
        let error = AppError::new(ErrorCode::ServerUnreachable, "Сервер недоступен");
        let json = serde_json::to_value(&error).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"code": "server_unreachable", "message": "Сервер недоступен"})
        );
    }

    #[test]
    fn core_errors_keep_a_code_the_ui_can_match() {
        let cases = [
            (CoreError::Offline("x".into()), ErrorCode::ServerUnreachable),
            (CoreError::NotSignedIn, ErrorCode::Unauthorized),
            (
                CoreError::Keyring("locked".into()),
                ErrorCode::KeyringUnavailable,
            ),
            (
                CoreError::Refused {
                    code: "transition_not_allowed".into(),
                    message: "Нельзя".into(),
                },
                ErrorCode::Refused,
            ),
            (
                CoreError::Server {
                    status: 409,
                    code: "slot_taken".into(),
                    message: "Слот уже занят".into(),
                },
                ErrorCode::Conflict,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(AppError::from(error).code, code);
        }
        let keyring = AppError::from(CoreError::Keyring("locked".into()));
        assert!(
            keyring.message.contains("хранилищу паролей"),
            "{}",
            keyring.message
        );
        let login = AppError::from_login(CoreError::Unauthorized("bad".into()));
        assert_eq!(login.message, "Неверный логин или пароль.");
    }
}
