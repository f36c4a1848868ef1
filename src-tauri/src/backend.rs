//! The app's single handle on the offline client core, managed as Tauri
//! state.
//!
//! The core (`orderdesk-client-core`) keeps the cache, the outbox and the
//! sync; this file only opens it in the app's data directory with the OS
//! keyring for the token, starts and stops its background sync, and turns
//! its answers into what the commands return. No rules live here.

use crate::error::AppError;
use crate::notify::{NotificationLog, OsNotifier};
use orderdesk_client_core::{
    BookingChange, Client, CoreError, KeyringTokenStore, ListFilter, Notification, OrderList,
    OrderView, Session, SyncStatus,
};
use orderdesk_domain::{LineNo, LineOutcome, Money, OrderNumber, ResourceId, Status, UserId};
use orderdesk_protocol::{Availability, PayerInfo, ResourceInfo};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The app's name in the OS keyring.
const KEYRING_SERVICE: &str = "ru.orderdesk.app";

/// What the login screen offers before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaults {
    /// From `ORDERDESK_SERVER_URL`, when set.
    pub server_url: Option<String>,
    /// Why the stored session could not be restored (e.g. a locked keyring).
    pub session_error: Option<String>,
}

/// The core and what the app keeps beside it.
pub struct Backend {
    client: Client,
    notifications: Arc<NotificationLog>,
}

impl Backend {
    /// Opens the core's cache in `data_dir` with the token in the keyring.
    /// The keyring is only touched here to read a stored token; when it is
    /// unavailable the app starts signed out and says why at login.
    pub fn open(data_dir: &Path, notifier: OsNotifier) -> Result<Backend, AppError> {
        let notifications = notifier.log();
        let tokens = KeyringTokenStore::new(KEYRING_SERVICE, data_dir.display().to_string());
        let client = Client::open(data_dir.join("core"), Arc::new(tokens), Arc::new(notifier))?;
        Ok(Backend {
            client,
            notifications,
        })
    }

    /// Starts background sync when a session was restored. Must run inside
    /// the async runtime.
    pub fn resume(&self) {
        if self.client.session().is_some() {
            self.client.start_sync();
        }
    }

    pub async fn log_in(
        &self,
        server_url: &str,
        login: &str,
        password: &str,
    ) -> Result<Session, AppError> {
        check_server_url(server_url)?;
        if login.trim().is_empty() {
            return Err(AppError::invalid_input("Введите логин."));
        }
        if password.is_empty() {
            return Err(AppError::invalid_input("Введите пароль."));
        }
        let session = self
            .client
            .login(server_url, login, password)
            .await
            .map_err(CoreError::into_login_error)?;
        self.client.start_sync();
        Ok(session)
    }

    /// Signs out; refuses while actions wait to be sent unless
    /// `discard_unsent`.
    pub async fn log_out(&self, discard_unsent: bool) -> Result<(), AppError> {
        self.client.logout(discard_unsent).await?;
        self.notifications.clear();
        Ok(())
    }

    pub fn session(&self) -> Option<Session> {
        self.client.session()
    }

    pub fn defaults(&self) -> Defaults {
        let server_url = std::env::var("ORDERDESK_SERVER_URL")
            .ok()
            .filter(|url| !url.trim().is_empty());
        let session_error = match self.client.status() {
            Ok(status) if !status.signed_in => status.last_error,
            _ => None,
        };
        Defaults {
            server_url,
            session_error,
        }
    }

    pub fn sync_state(&self) -> Result<SyncStatus, AppError> {
        Ok(self.client.status()?)
    }

    pub fn dismiss_conflict(&self, id: i64) -> Result<(), AppError> {
        Ok(self.client.dismiss_conflict(id)?)
    }

    /// A stretch of the list as the cache finds it for the filter.
    pub fn orders(&self, filter: &ListFilter) -> Result<OrderList, AppError> {
        Ok(self.client.list(filter)?)
    }

    pub fn order(&self, number: OrderNumber) -> Result<OrderView, AppError> {
        Ok(self.client.order(number)?)
    }

    pub async fn assign_executor(
        &self,
        number: OrderNumber,
        executor: Option<UserId>,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.assign_executor(number, executor).await?)
    }

    pub async fn change_status(
        &self,
        number: OrderNumber,
        status: Status,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.set_status(number, status).await?)
    }

    pub async fn change_deadlines(
        &self,
        number: OrderNumber,
        first_response_due: Option<chrono::DateTime<chrono::FixedOffset>>,
        completion_due: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Result<OrderView, AppError> {
        Ok(self
            .client
            .set_deadlines(number, first_response_due, completion_due)
            .await?)
    }

    pub async fn record_payment(
        &self,
        number: OrderNumber,
        amount: Money,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.record_payment(number, amount).await?)
    }

    pub async fn cancel_order(&self, number: OrderNumber) -> Result<OrderView, AppError> {
        Ok(self.client.cancel(number).await?)
    }

    pub async fn edit_booking(
        &self,
        number: OrderNumber,
        change: BookingChange,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.edit_booking(number, change).await?)
    }

    pub async fn collect_line(
        &self,
        number: OrderNumber,
        line: LineNo,
        outcome: LineOutcome,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.collect_line(number, line, outcome).await?)
    }

    pub async fn send_message(
        &self,
        number: OrderNumber,
        text: &str,
        visibility: orderdesk_domain::Visibility,
    ) -> Result<OrderView, AppError> {
        Ok(self.client.post_message(number, text, visibility).await?)
    }

    /// The objects of the order's own service, for «Объект».
    pub fn resources(&self, number: OrderNumber) -> Result<Vec<ResourceInfo>, AppError> {
        let service = self.client.order(number)?.detail.service.id;
        Ok(self
            .client
            .resources()
            .into_iter()
            .filter(|r| r.service_id == service)
            .collect())
    }

    pub async fn availability(
        &self,
        resource: ResourceId,
        date: chrono::NaiveDate,
        editing: Option<OrderNumber>,
    ) -> Result<Availability, AppError> {
        Ok(self.client.availability(resource, date, editing).await?)
    }

    pub fn payers(&self) -> Result<Vec<PayerInfo>, AppError> {
        Ok(self.client.company_payers()?)
    }

    pub fn notifications(&self) -> Vec<Notification> {
        self.notifications.all()
    }
}

/// Where the cache lives: `ORDERDESK_DATA_DIR` when set (a second profile,
/// or a test's fresh folder), else the app's data directory.
pub fn data_dir(app_data_dir: Option<PathBuf>) -> Result<PathBuf, AppError> {
    if let Some(dir) = std::env::var_os("ORDERDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    app_data_dir.ok_or_else(|| {
        AppError::new(
            crate::ErrorCode::Internal,
            "Не удалось определить папку данных приложения.",
        )
    })
}

/// The server address must be an absolute http(s) URL with a host.
fn check_server_url(url: &str) -> Result<(), AppError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(AppError::invalid_input(
            "Укажите адрес сервера полностью, например https://orders.example.ru.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn server_address_needs_scheme_and_host() {
        assert!(check_server_url("https://orders.example.ru").is_ok());
        assert!(check_server_url("http://127.0.0.1:8080").is_ok());
        for bad in [
            "",
            "orders.example.ru",
            "https://",
            "ftp://x",
            "http:///path",
        ] {
            let error = check_server_url(bad).expect_err(bad);
            assert_eq!(error.code, ErrorCode::InvalidInput, "{bad}");
        }
    }
}
