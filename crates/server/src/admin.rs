//! Administration: an administrator sets up the organisation — accounts,
//! services with their responsible managers, bookable objects, goods — and
//! every change is written to the audit in the same transaction.
//!
//! The limits come from the domain (`validate_*`); what they mean for
//! orders already made is left to the rest of the server: the responsible
//! lists' triggers re-send or drop orders at the next pull, the rules read
//! a service's current auto-close time, and a booking keeps the price it
//! was made at.

pub mod audit;
pub mod objects;
pub mod organisation;
pub mod services;
pub mod users;

use orderdesk_domain::{may_administer, AdminInputError, Lang, Status};
use orderdesk_protocol::ErrorCode;

use crate::caller::Caller;
use crate::error::{ServiceError, Text};
use crate::state::AppState;
use crate::storage;

/// Whether the organisation has an administrator yet; until it does, the
/// server serves nothing but says how to create one. Once seen, remembered.
pub async fn has_admin(state: &AppState) -> Result<bool, ServiceError> {
    if state.is_set_up() {
        return Ok(true);
    }
    let mut conn = state.storage().read().await?;
    let found = storage::has_admin(&mut conn).await?;
    if found {
        state.mark_set_up();
    }
    Ok(found)
}

/// How to create the first administrator, for the log and the 503 answer.
pub const SETUP_HINT: &str = "orderdesk-server --database FILE-OR-URL admin create --login LOGIN --name \"NAME\" (the password is read from the terminal or stdin)";

/// Refuses every role but the administrator's.
pub fn require_admin(caller: &Caller) -> Result<(), ServiceError> {
    if may_administer(caller.role) {
        return Ok(());
    }
    Err(ServiceError::forbidden(
        ErrorCode::RoleNotAllowed,
        "Настройки экосистемы доступны только администратору.",
        "Only an administrator can change the ecosystem's settings.",
    ))
}

/// A limit of the domain refused the input.
pub fn input(error: AdminInputError) -> ServiceError {
    ServiceError::Invalid {
        code: ErrorCode::parse(error.code()),
        text: Text::new(error.message(Lang::Ru), error.message(Lang::En)),
    }
}

/// The record changed since the administrator read it.
pub fn stale(current: Option<i64>) -> ServiceError {
    let (ru, en) = match current {
        Some(v) => (
            format!("Запись уже изменили (версия {v}). Обновите её и повторите."),
            format!("The record has changed meanwhile (version {v}). Reload it and retry."),
        ),
        None => (
            "Запись уже изменили. Обновите её и повторите.".to_owned(),
            "The record has changed meanwhile. Reload it and retry.".to_owned(),
        ),
    };
    ServiceError::Conflict {
        code: ErrorCode::StaleVersion,
        text: Text::new(ru, en),
    }
}

/// How many orders are not finished, and how many there are, of
/// `(status, count)` pairs.
pub fn open_and_total(statuses: &[(String, i64)]) -> (u64, u64) {
    let mut open = 0;
    let mut total = 0;
    for (status, count) in statuses {
        let count = u64::try_from(*count).unwrap_or(0);
        total += count;
        if Status::parse(status).is_none_or(|s| !s.is_final()) {
            open += count;
        }
    }
    (open, total)
}

/// A delete refused because orders refer to the record; `None` when none do.
pub fn delete_refusal(statuses: &[(String, i64)]) -> Option<ServiceError> {
    match open_and_total(statuses) {
        (0, 0) => None,
        (0, total) => Some(ServiceError::conflict(
            ErrorCode::HasOrderHistory,
            &format!("На запись ссылаются завершенные заказы ({total}). Деактивируйте её вместо удаления."),
            &format!("Finished orders ({total}) refer to it. Deactivate it instead of deleting."),
        )),
        (open, _) => Some(ServiceError::conflict(
            ErrorCode::OpenOrdersRemain,
            &format!("Есть незавершенные заказы ({open}). Деактивируйте запись: новых заказов не будет, текущие продолжатся."),
            &format!("{open} orders are not finished. Deactivate it instead: no new orders, the current ones go on."),
        )),
    }
}

/// An unknown record of the administration.
pub fn unknown(code: ErrorCode, ru: &str, en: &str) -> ServiceError {
    ServiceError::invalid(code, ru, en)
}
