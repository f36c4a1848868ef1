//! The services' error: what went wrong in the words of the product, not of
//! HTTP. Every text is carried in both languages (or built from the value),
//! and the caller's edge picks the language and, for HTTP, the status.
//! Faults keep their cause (`#[source]`) for the log.

use orderdesk_domain::{InputError, Lang, Refusal, RefusalCode};
use orderdesk_protocol::ErrorCode;

/// A text for people in both languages; the edge picks the caller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

/// A failed service call.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The rules refuse the action.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Nothing of that name exists; the text says what, in both languages.
    #[error("not found: {}", .0.en)]
    NotFound(Text),
    /// The change was made against an older version of the order.
    #[error("stale version: the order is at version {current}")]
    StaleVersion { current: i64 },
    /// Input the server cannot use, with a precise code.
    #[error("{code}: {}", .text.en)]
    Invalid { code: ErrorCode, text: Text },
    /// The change clashes with the data as it stands (an administrator's
    /// stale version, orders a delete would strand), with a precise code.
    #[error("{code}: {}", .text.en)]
    Conflict { code: ErrorCode, text: Text },
    /// The caller's role may not do this at all, with a precise code.
    #[error("{code}: {}", .text.en)]
    Forbidden { code: ErrorCode, text: Text },
    /// The caller's account is gone.
    #[error("the caller is not signed in")]
    Unauthorized,
    /// A pushed mutation was answered meanwhile by a concurrent retry.
    #[error("the mutation was applied meanwhile")]
    Replayed,
    /// The database failed.
    #[error("database")]
    Storage(#[source] sqlx::Error),
    /// Stored data the server cannot read, or another fault of its own.
    #[error("{context}")]
    Fault {
        context: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl ServiceError {
    pub fn invalid(code: ErrorCode, ru: &str, en: &str) -> ServiceError {
        ServiceError::Invalid {
            code,
            text: Text::new(ru, en),
        }
    }

    pub fn conflict(code: ErrorCode, ru: &str, en: &str) -> ServiceError {
        ServiceError::Conflict {
            code,
            text: Text::new(ru, en),
        }
    }

    pub fn forbidden(code: ErrorCode, ru: &str, en: &str) -> ServiceError {
        ServiceError::Forbidden {
            code,
            text: Text::new(ru, en),
        }
    }

    /// Nothing of that name exists, named in Russian and in English.
    pub fn not_found(ru: impl Into<String>, en: impl Into<String>) -> ServiceError {
        ServiceError::NotFound(Text::new(ru, en))
    }

    /// Input the domain's limits refuse, with the limit's code.
    pub fn input(error: &InputError) -> ServiceError {
        ServiceError::Invalid {
            code: ErrorCode::parse(error.code()),
            text: Text::new(error.message(Lang::Ru), error.message(Lang::En)),
        }
    }

    /// A fault of the server with no underlying error (data it cannot read).
    pub fn internal(context: impl Into<String>) -> ServiceError {
        ServiceError::Fault {
            context: context.into(),
            source: None,
        }
    }

    /// A fault of the server, keeping its cause.
    pub fn fault(
        context: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> ServiceError {
        ServiceError::Fault {
            context: context.into(),
            source: Some(Box::new(cause)),
        }
    }

    /// A fault rather than an answer for the caller: a retry may succeed.
    pub fn is_fault(&self) -> bool {
        matches!(self, ServiceError::Storage(_) | ServiceError::Fault { .. })
    }

    /// The stable code of the wire.
    pub fn code(&self) -> ErrorCode {
        match self {
            ServiceError::Refused(refusal) => refusal.code.into(),
            ServiceError::NotFound(_) => ErrorCode::NotFound,
            ServiceError::StaleVersion { .. } => ErrorCode::StaleVersion,
            ServiceError::Invalid { code, .. }
            | ServiceError::Conflict { code, .. }
            | ServiceError::Forbidden { code, .. } => *code,
            ServiceError::Unauthorized => ErrorCode::Unauthorized,
            ServiceError::Replayed => ErrorCode::MutationReplayed,
            ServiceError::Storage(_) | ServiceError::Fault { .. } => ErrorCode::Internal,
        }
    }

    /// The message for people, in `lang`. A fault says only that it happened.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ServiceError::Refused(refusal) => refusal.message(lang),
            ServiceError::NotFound(what) => match lang {
                Lang::Ru => format!("Не найдено: {}.", what.ru),
                Lang::En => format!("Not found: {}.", what.en),
            },
            ServiceError::StaleVersion { current } => match lang {
                Lang::Ru => {
                    format!("Заказ уже изменили (версия {current}). Обновите его и повторите.")
                }
                Lang::En => format!(
                    "The order has changed meanwhile (version {current}). Reload it and retry."
                ),
            },
            ServiceError::Invalid { text, .. }
            | ServiceError::Conflict { text, .. }
            | ServiceError::Forbidden { text, .. } => text.get(lang).to_owned(),
            ServiceError::Unauthorized => Text::new(
                "Требуется вход: токен отсутствует, неверен или истек.",
                "Sign-in required: the token is missing, wrong or expired.",
            )
            .get(lang)
            .to_owned(),
            ServiceError::Replayed => Text::new(
                "Это изменение уже применено.",
                "This change has been applied already.",
            )
            .get(lang)
            .to_owned(),
            ServiceError::Storage(_) | ServiceError::Fault { .. } => Text::new(
                "Внутренняя ошибка сервера. Повторите попытку позже.",
                "Internal server error. Please retry later.",
            )
            .get(lang)
            .to_owned(),
        }
    }
}

impl From<Refusal> for ServiceError {
    fn from(refusal: Refusal) -> ServiceError {
        ServiceError::Refused(refusal)
    }
}

/// What a service returns.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// A statement the database refused because it would over-book is the
/// rules' refusal: on PostgreSQL the schema's constraints stand behind the
/// server's own checks. Anything else is a storage failure.
impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> ServiceError {
        match crate::storage::booking_guard(&e) {
            Some(crate::storage::BookingGuard::Slots) => {
                ServiceError::Refused(Refusal::from(RefusalCode::SlotTaken))
            }
            Some(crate::storage::BookingGuard::Capacity) => {
                ServiceError::Refused(Refusal::from(RefusalCode::CapacityExhausted))
            }
            None => ServiceError::Storage(e),
        }
    }
}
