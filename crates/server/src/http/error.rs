//! The HTTP edge of errors: every failure becomes
//! `{"error": {"code", "message"}}` with the status of SPEC §6. A service's
//! error is mapped here, and only here, to a status, with its message in
//! the caller's language. The cause of a 500 is logged, never sent.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use orderdesk_domain::{Lang, RefusalKind};
use orderdesk_protocol::{ErrorBody, ErrorCode};

use crate::error::{ServiceError, Text};
use crate::http::extract::lang_of;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An answer for the client: a status, a stable code and a message.
    #[error("{code}: {message}")]
    Reply {
        status: StatusCode,
        code: ErrorCode,
        message: String,
    },
    /// A fault of the server; the client learns only that it happened.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::Reply {
            status,
            code,
            message: message.into(),
        }
    }

    /// A service's error for a caller who reads `lang`.
    pub fn from_service(error: ServiceError, lang: Lang) -> ApiError {
        let status = match &error {
            ServiceError::Refused(refusal) => match refusal.kind() {
                RefusalKind::Forbidden => StatusCode::FORBIDDEN,
                RefusalKind::Conflict => StatusCode::CONFLICT,
                RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            },
            ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::StaleVersion { .. } | ServiceError::Replayed => StatusCode::CONFLICT,
            ServiceError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServiceError::Storage(_) | ServiceError::Fault { .. } => {
                return ApiError::Internal(Box::new(error))
            }
        };
        ApiError::new(status, error.code(), error.message(lang))
    }

    pub fn unauthorized(lang: Lang) -> ApiError {
        ApiError::from_service(ServiceError::Unauthorized, lang)
    }

    /// Nothing of that name: `what` names it in both languages.
    pub fn not_found(lang: Lang, what: Text) -> ApiError {
        ApiError::from_service(ServiceError::NotFound(what), lang)
    }

    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ApiError {
        ApiError::Internal(cause.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Reply { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Reply { code, .. } => *code,
            ApiError::Internal(_) => ErrorCode::Internal,
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

/// A service's result at the edge, in the caller's language.
pub trait InLang<T> {
    fn in_lang(self, lang: Lang) -> Result<T, ApiError>;
}

impl<T> InLang<T> for Result<T, ServiceError> {
    fn in_lang(self, lang: Lang) -> Result<T, ApiError> {
        self.map_err(|e| ApiError::from_service(e, lang))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::Internal(Box::new(ServiceError::Storage(e)))
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
                let chain = error_chain(cause.as_ref());
                tracing::error!(cause = %chain, "request failed");
                // The response no longer knows the request: it is worded by
                // [`faults_in_lang`], which does.
                fault_answer(Lang::default())
            }
        }
    }
}

/// Marks the answer of a fault, so [`faults_in_lang`] can word it in the
/// caller's language.
#[derive(Debug, Clone, Copy)]
struct FaultAnswer;

/// A 500 `internal` in `lang`, saying only that it happened.
fn fault_answer(lang: Lang) -> Response {
    let body = ErrorBody::new(
        ErrorCode::Internal,
        ServiceError::internal("").message(lang),
    );
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
    response.extensions_mut().insert(FaultAnswer);
    response
}

/// A layer that words a fault's answer in the language the request asked
/// for (`Accept-Language`): an error is built far from the request, in a
/// service or the storage, and does not carry it.
pub async fn faults_in_lang(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let response = next.run(request).await;
    if response.extensions().get::<FaultAnswer>().is_some() {
        fault_answer(lang)
    } else {
        response
    }
}

/// An error with its causes, for the log.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderdesk_domain::{Refusal, RefusalCode};

    fn reply(error: ServiceError, lang: Lang) -> (StatusCode, ErrorCode, String) {
        match ApiError::from_service(error, lang) {
            ApiError::Reply {
                status,
                code,
                message,
            } => (status, code, message),
            ApiError::Internal(cause) => panic!("a reply was expected, not a fault: {cause}"),
        }
    }

    #[test]
    fn a_refusal_takes_the_status_of_its_kind_and_the_callers_language() {
        let forbidden = Refusal::from(RefusalCode::NotResponsible);
        let conflict = Refusal::from(RefusalCode::SlotTaken);
        let invalid = Refusal::from(RefusalCode::PaidSlotCount { paid: 4, chosen: 3 });
        let cases = [
            (forbidden, StatusCode::FORBIDDEN, ErrorCode::NotResponsible),
            (conflict, StatusCode::CONFLICT, ErrorCode::SlotTaken),
            (
                invalid,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::PaidSlotCount,
            ),
        ];
        for (refusal, status, code) in cases {
            let (s, c, message) = reply(ServiceError::Refused(refusal), Lang::En);
            assert_eq!((s, c), (status, code));
            assert_eq!(message, refusal.message(Lang::En));
        }
    }

    #[test]
    fn service_errors_map_to_their_statuses_and_codes() {
        let cases = [
            (
                ServiceError::StaleVersion { current: 7 },
                StatusCode::CONFLICT,
                ErrorCode::StaleVersion,
            ),
            (
                ServiceError::not_found("заказ №5", "order 5"),
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
            ),
            (
                ServiceError::Unauthorized,
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
            ),
            (
                ServiceError::Replayed,
                StatusCode::CONFLICT,
                ErrorCode::MutationReplayed,
            ),
            (
                ServiceError::Invalid {
                    code: ErrorCode::InvalidDates,
                    text: Text::new("Даты", "Dates"),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidDates,
            ),
        ];
        for (error, status, code) in cases {
            let (s, c, _) = reply(error, Lang::Ru);
            assert_eq!((s, c), (status, code));
        }
        let (_, _, en) = reply(ServiceError::StaleVersion { current: 7 }, Lang::En);
        assert!(en.contains("version 7"), "{en}");
        let (_, _, ru) = reply(
            ServiceError::Invalid {
                code: ErrorCode::InvalidDates,
                text: Text::new("Даты", "Dates"),
            },
            Lang::Ru,
        );
        assert_eq!(ru, "Даты");
    }

    #[test]
    fn a_fault_keeps_its_cause_and_tells_the_client_nothing_more() {
        let fault = ServiceError::fault("reading the outbox", std::io::Error::other("disk gone"));
        let error = ApiError::from_service(fault, Lang::En);
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(error.code(), ErrorCode::Internal);
        let chain = match &error {
            ApiError::Internal(cause) => error_chain(cause.as_ref()),
            ApiError::Reply { .. } => panic!("a fault was expected"),
        };
        assert!(chain.contains("disk gone"), "{chain}");
    }
}
