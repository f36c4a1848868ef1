//! The one error type of the core. Every variant has a stable [`code`] the
//! app can match on and a [`message`] a manager can act on, in Russian or,
//! through [`message_in`], in the language the UI set.
//!
//! [`code`]: CoreError::code
//! [`message`]: CoreError::message
//! [`message_in`]: CoreError::message_in

use orderdesk_domain::{Lang, OrderNumber, Refusal};
use orderdesk_protocol::{AppError, ErrorCode};
use std::sync::Arc;

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
    Refused { code: ErrorCode, message: String },
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
    #[error("Ошибка локального хранилища: {context}")]
    Storage {
        /// What failed, with the cause's text, for the manager.
        context: String,
        #[source]
        source: Cause,
    },
    /// The server answered with an error we do not handle specially.
    #[error("Сервер ответил ошибкой: {message}")]
    Server {
        status: u16,
        code: ErrorCode,
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
            CoreError::Refused { code, .. } => code.as_str(),
            CoreError::Invalid(_) => "invalid_input",
            CoreError::Keyring(_) => "keyring_unavailable",
            CoreError::UnsentActions(_) => "unsent_actions",
            CoreError::Storage { .. } => "storage",
            CoreError::Server { code, .. } => code.as_str(),
        }
    }

    /// The message to show, in Russian.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The message to show in `lang`. Refusals and input errors were told
    /// in the core's language when they were made; the server's words come
    /// in the language the core asked it for.
    pub fn message_in(&self, lang: Lang) -> String {
        if lang == Lang::Ru {
            return self.message();
        }
        match self {
            CoreError::Offline(cause) => format!("No connection to the server: {cause}"),
            CoreError::Unauthorized(message)
            | CoreError::Refused { message, .. }
            | CoreError::Invalid(message) => message.clone(),
            CoreError::NotSignedIn => "Sign in to continue.".to_owned(),
            CoreError::OrderNotFound(number) => format!("Order №{number} not found."),
            CoreError::Keyring(cause) => format!(
                "Could not reach the system's password storage: {cause}. Unlock the keyring and sign in again."
            ),
            CoreError::UnsentActions(count) => format!(
                "Actions not sent yet: {count}. Connect to the network so they reach the server, or sign out without them and they will be lost."
            ),
            CoreError::Storage { context, .. } => format!("Local storage error: {context}"),
            CoreError::Server { message, .. } => {
                format!("The server answered with an error: {message}")
            }
        }
    }

    /// The error the app's UI gets, told in `lang`.
    pub fn into_app_error(self, lang: Lang) -> AppError {
        let message = match &self {
            CoreError::Server { message, .. } => message.clone(),
            other => other.message_in(lang),
        };
        AppError {
            message,
            ..AppError::from(self)
        }
    }

    /// A refusal of the rules, told in `lang`.
    pub(crate) fn refused(refusal: Refusal, lang: Lang) -> CoreError {
        CoreError::Refused {
            code: refusal.code.into(),
            message: refusal.message(lang),
        }
    }

    pub(crate) fn is_offline(&self) -> bool {
        matches!(self, CoreError::Offline(_))
    }

    /// A failed login in the words of the login screen.
    pub fn into_login_error(self) -> AppError {
        self.into_login_error_in(Lang::Ru)
    }

    /// A failed login in the words of the login screen, in `lang`.
    pub fn into_login_error_in(self, lang: Lang) -> AppError {
        let en = lang == Lang::En;
        match self {
            CoreError::Offline(_) => AppError::new(
                ErrorCode::ServerUnreachable,
                if en {
                    "The server cannot be reached. Check the server address and the network."
                } else {
                    "Сервер недоступен. Проверьте адрес сервера и подключение к сети."
                },
            ),
            CoreError::Unauthorized(_) => AppError::new(
                ErrorCode::Unauthorized,
                if en {
                    "Wrong login or password."
                } else {
                    "Неверный логин или пароль."
                },
            ),
            other => other.into_app_error(lang),
        }
    }
}

/// The error the app's UI gets for a core error.
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
            CoreError::Storage { .. } => ErrorCode::Internal,
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

impl CoreError {
    /// A failure of local storage (or of what the core runs on), keeping
    /// its cause.
    pub(crate) fn storage(
        context: impl std::fmt::Display,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> CoreError {
        CoreError::Storage {
            context: format!("{context}{cause}"),
            source: Cause(Arc::new(cause)),
        }
    }
}

/// The underlying error of a [`CoreError::Storage`], shared so the core's
/// error stays cheap to clone; two causes are equal when they read the same.
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync>);

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Cause {}

impl From<rusqlite::Error> for CoreError {
    fn from(error: rusqlite::Error) -> CoreError {
        CoreError::storage("", error)
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(error: serde_json::Error) -> CoreError {
        CoreError::storage("данные в кэше не читаются: ", error)
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
            (CoreError::Offline("x".into()), ErrorCode::ServerUnreachable),
            (CoreError::NotSignedIn, ErrorCode::Unauthorized),
            (
                CoreError::Keyring("locked".into()),
                ErrorCode::KeyringUnavailable,
            ),
            (CoreError::UnsentActions(2), ErrorCode::UnsentActions),
            (
                CoreError::Refused {
                    code: ErrorCode::TransitionNotAllowed,
                    message: "Нельзя".into(),
                },
                ErrorCode::Refused,
            ),
            (
                CoreError::Server {
                    status: 409,
                    code: ErrorCode::SlotTaken,
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
        let login = CoreError::Unauthorized("bad".into()).into_login_error();
        assert_eq!(login.message, "Неверный логин или пароль.");
        let unsent = AppError::from(CoreError::UnsentActions(2));
        assert!(unsent.message.contains("неотправленные действия: 2"));
    }

    #[test]
    fn in_english_every_message_of_the_core_is_english() {
        let cyrillic = |text: &str| text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let errors = [
            CoreError::Offline("connection refused".into()),
            CoreError::NotSignedIn,
            CoreError::OrderNotFound(OrderNumber(1042)),
            CoreError::Keyring("locked".into()),
            CoreError::UnsentActions(2),
        ];
        for error in errors {
            let shown = error.clone().into_app_error(Lang::En);
            assert!(!cyrillic(&shown.message), "{}", shown.message);
            assert_eq!(shown.code, AppError::from(error.clone()).code);
            assert!(cyrillic(&error.into_app_error(Lang::Ru).message));
        }
        let login = CoreError::Unauthorized("bad".into()).into_login_error_in(Lang::En);
        assert_eq!(login.message, "Wrong login or password.");
    }
}
