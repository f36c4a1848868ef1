//! The server's error: every failure becomes `{"error": {"code", "message"}}`
//! with the HTTP status of SPEC §6. The cause of a 500 is logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use orderdesk_domain::{InputError, Lang, Refusal, RefusalKind};
use orderdesk_protocol::ErrorBody;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An answer for the client: a status, a stable code and a message.
    #[error("{code}: {message}")]
    Reply {
        status: StatusCode,
        code: String,
        message: String,
    },
    /// A fault of the server; the client learns only that it happened.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Reply {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A refusal of the rules, mapped by its kind: 403, 409 or 422.
    pub fn refused(refusal: Refusal, lang: Lang) -> ApiError {
        let status = match refusal.kind() {
            RefusalKind::Forbidden => StatusCode::FORBIDDEN,
            RefusalKind::Conflict => StatusCode::CONFLICT,
            RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, refusal.code.id(), refusal.message(lang))
    }

    /// Input the domain's limits refuse: 422 with the limit's code.
    pub fn input(error: &InputError, lang: Lang) -> ApiError {
        ApiError::invalid(error.code(), error.message(lang))
    }

    pub fn unauthorized(lang: Lang) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            pick(
                lang,
                "Требуется вход: токен отсутствует, неверен или истек.",
                "Sign-in required: the token is missing, wrong or expired.",
            ),
        )
    }

    pub fn not_found(lang: Lang, what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            pick(
                lang,
                &format!("Не найдено: {what}."),
                &format!("Not found: {what}."),
            ),
        )
    }

    pub fn invalid(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn stale_version(lang: Lang, current: i64) -> ApiError {
        ApiError::new(
            StatusCode::CONFLICT,
            "stale_version",
            pick(
                lang,
                &format!("Заказ уже изменили (версия {current}). Обновите его и повторите."),
                &format!(
                    "The order has changed meanwhile (version {current}). Reload it and retry."
                ),
            ),
        )
    }

    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(cause.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Reply { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::Reply { code, .. } => code,
            ApiError::Internal(_) => "internal",
        }
    }
}

/// The Russian or English text.
pub fn pick(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_owned(),
        Lang::En => en.to_owned(),
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Reply {
                status,
                code,
                message,
            } => (status, Json(ErrorBody::new(code, message))).into_response(),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(ErrorBody::new(
                        "internal",
                        "Внутренняя ошибка сервера. Повторите попытку позже.",
                    )),
                )
                    .into_response()
            }
        }
    }
}
