//! The one error shape that crosses IPC: `{code, message}`.
//!
//! The UI matches on `code` to decide what to do (show the login screen on
//! `unauthorized`, the offline banner on `server_unreachable`…) and shows
//! `message`, which is written for the manager, in Russian.

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
    /// The offline core is not part of this build yet.
    CoreUnavailable,
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

    pub fn core_unavailable() -> AppError {
        AppError::new(
            ErrorCode::CoreUnavailable,
            "Модуль синхронизации с сервером ещё не подключён в этой сборке приложения.",
        )
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
}
