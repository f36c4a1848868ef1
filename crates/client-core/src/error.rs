//! The one error type of the core. Every variant has a stable [`code`] the
//! app can match on and a [`message`] in Russian that a manager can act on.
//!
//! [`code`]: CoreError::code
//! [`message`]: CoreError::message

use orderdesk_domain::{Lang, OrderNumber, Refusal};
use orderdesk_protocol::{AppError, AppErrorCode};

/// What went wrong in the core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// The server could not be reached; the action (if any) stays queued.
    #[error("Нет связи с сервером: {0}")]
    Offline(String),
    /// The server does not know the token any more, or the password is wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// No one is signed in on this device.
    #[error("Войдите в приложение, чтобы продолжить.")]
    NotSignedIn,
    /// The order is not in the local cache (never synced, or out of scope).
    #[error("Заказ №{0} не найден.")]
    OrderNotFound(OrderNumber),
    /// The product's rules refuse the action; nothing was queued.
    #[error("{message}")]
    Refused { code: String, message: String },
    /// The input cannot be read (a slot off the grid, an empty message…).
    #[error("{0}")]
    Invalid(String),
    /// The system's password storage refused to keep or give the token.
    #[error("Не удалось обратиться к хранилищу паролей системы: {0}. Разблокируйте связку ключей и войдите снова.")]
    Keyring(String),
    /// Signing out would throw away actions the server has not received.
    #[error("Есть неотправленные действия: {0}. Подключитесь к сети, чтобы они ушли на сервер, или выйдите без них — тогда они будут потеряны.")]
    UnsentActions(u32),
    /// The local cache could not be read or written.
    #[error("Ошибка локального хранилища: {0}")]
    Storage(String),
    /// The server answered with an error we do not handle specially.
    #[error("Сервер ответил ошибкой: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
}

impl CoreError {
    /// A stable code for matching across IPC.
    pub fn code(&self) -> &str {
        match self {
            CoreError::Offline(_) => "offline",
            CoreError::Unauthorized(_) => "unauthorized",
            CoreError::NotSignedIn => "not_signed_in",
            CoreError::OrderNotFound(_) => "order_not_found",
            CoreError::Refused { code, .. } => code,
            CoreError::Invalid(_) => "invalid_input",
            CoreError::Keyring(_) => "keyring_unavailable",
            CoreError::UnsentActions(_) => "unsent_actions",
            CoreError::Storage(_) => "storage",
            CoreError::Server { code, .. } => code,
        }
    }

    /// The message to show.
    pub fn message(&self) -> String {
        self.to_string()
    }

    pub(crate) fn refused(refusal: Refusal) -> CoreError {
        CoreError::Refused {
            code: refusal.code.id().to_owned(),
            message: refusal.message(Lang::Ru),
        }
    }

    pub(crate) fn is_offline(&self) -> bool {
        matches!(self, CoreError::Offline(_))
    }

    /// A failed login in the words of the login screen.
    pub fn into_login_error(self) -> AppError {
        match self {
            CoreError::Offline(_) => AppError::new(
                AppErrorCode::ServerUnreachable,
                "Сервер недоступен. Проверьте адрес сервера и подключение к сети.",
            ),
            CoreError::Unauthorized(_) => {
                AppError::new(AppErrorCode::Unauthorized, "Неверный логин или пароль.")
            }
            other => AppError::from(other),
        }
    }
}

/// The error the app's UI gets for a core error.
impl From<CoreError> for AppError {
    fn from(error: CoreError) -> AppError {
        let code = match &error {
            CoreError::Offline(_) => AppErrorCode::ServerUnreachable,
            CoreError::Unauthorized(_) | CoreError::NotSignedIn => AppErrorCode::Unauthorized,
            CoreError::OrderNotFound(_) => AppErrorCode::NotFound,
            CoreError::Refused { .. } => AppErrorCode::Refused,
            CoreError::Invalid(_) => AppErrorCode::InvalidInput,
            CoreError::Keyring(_) => AppErrorCode::KeyringUnavailable,
            CoreError::UnsentActions(_) => AppErrorCode::UnsentActions,
            CoreError::Storage(_) => AppErrorCode::Internal,
            CoreError::Server { status, .. } => match status {
                403 => AppErrorCode::Forbidden,
                404 => AppErrorCode::NotFound,
                409 => AppErrorCode::Conflict,
                400 | 422 => AppErrorCode::InvalidInput,
                _ => AppErrorCode::Internal,
            },
        };
        let message = match &error {
            CoreError::Server { message, .. } => message.clone(),
            other => other.message(),
        };
        AppError::new(code, message)
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(error: rusqlite::Error) -> CoreError {
        CoreError::Storage(error.to_string())
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(error: serde_json::Error) -> CoreError {
        CoreError::Storage(format!("данные в кэше не читаются: {error}"))
    }
}

/// The core's result.
pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_a_code_the_ui_can_match() {
        let cases = [
            (
                CoreError::Offline("x".into()),
                AppErrorCode::ServerUnreachable,
            ),
            (CoreError::NotSignedIn, AppErrorCode::Unauthorized),
            (
                CoreError::Keyring("locked".into()),
                AppErrorCode::KeyringUnavailable,
            ),
            (CoreError::UnsentActions(2), AppErrorCode::UnsentActions),
            (
                CoreError::Refused {
                    code: "transition_not_allowed".into(),
                    message: "Нельзя".into(),
                },
                AppErrorCode::Refused,
            ),
            (
                CoreError::Server {
                    status: 409,
                    code: "slot_taken".into(),
                    message: "Слот уже занят".into(),
                },
                AppErrorCode::Conflict,
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
        let login = CoreError::Unauthorized("bad".into()).into_login_error();
        assert_eq!(login.message, "Неверный логин или пароль.");
        let unsent = AppError::from(CoreError::UnsentActions(2));
        assert!(unsent.message.contains("неотправленные действия: 2"));
    }
}
