//! The error every command of the manager app returns to its UI:
//! `{code, message}`, with the same [`ErrorCode`] as HTTP and sync. The app
//! makes it from the core's errors; the UI matches on `code` (the login screen on `unauthorized`, the offline banner
//! on `server_unreachable`, a question on `unsent_actions`…) and shows
//! `message`, written for the manager.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// An error returned by every command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let error = AppError::new(ErrorCode::ServerUnreachable, "Сервер недоступен");
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
        assert_eq!(newer.code, ErrorCode::Unavailable);
    }
}
