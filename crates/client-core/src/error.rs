//! The one error type of the core. Every variant has a stable [`code`] the
//! app can match on and a [`message`] in Russian that a manager can act on.
//!
//! [`code`]: CoreError::code
//! [`message`]: CoreError::message

use orderdesk_domain::{Lang, OrderNumber, Refusal};

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
