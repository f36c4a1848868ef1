//! Opening the client core for the app: in the app's data directory, with
//! the token in the OS keyring and the core's notifications shown by the
//! OS; and forwarding the sync status the core publishes to the UI as the
//! [`SYNC_STATUS_EVENT`] event.

use crate::error::{AppError, ErrorCode};
use crate::notify::OsNotifier;
use orderdesk_client_core::{Client, KeyringTokenStore};
use orderdesk_protocol::ipc::SYNC_STATUS_EVENT;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The app's name in the OS keyring.
const KEYRING_SERVICE: &str = "ru.orderdesk.app";

/// Opens the core's cache with the token in the keyring. The keyring is
/// only touched here to read a stored token; when it is unavailable the app
/// starts signed out and the login screen says why.
pub fn open_core<R: Runtime>(app: &AppHandle<R>) -> Result<Client, AppError> {
    let dir = data_dir(app.path().app_data_dir().ok())?;
    let notifier = OsNotifier::new(app.clone());
    let tokens = KeyringTokenStore::new(KEYRING_SERVICE, dir.display().to_string());
    let client = Client::open(dir.join("core"), Arc::new(tokens), Arc::new(notifier))?;
    tracing::info!(data_dir = %dir.display(), "the core is open");
    Ok(client)
}

/// Emits every sync status the core publishes, for as long as the app runs.
pub fn forward_sync_status<R: Runtime>(app: AppHandle<R>, client: &Client) {
    let mut updates = client.watch_status();
    tauri::async_runtime::spawn(async move {
        while updates.changed().await.is_ok() {
            let status = updates.borrow_and_update().clone();
            if let Err(error) = app.emit(SYNC_STATUS_EVENT, status) {
                tracing::warn!(%error, "sync status not delivered to the UI");
            }
        }
    });
}

/// Where the cache lives: `ORDERDESK_DATA_DIR` when set (a second profile,
/// or a test's fresh folder), else the app's data directory.
fn data_dir(app_data_dir: Option<PathBuf>) -> Result<PathBuf, AppError> {
    if let Some(dir) = std::env::var_os("ORDERDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    app_data_dir.ok_or_else(|| {
        AppError::new(
            ErrorCode::Internal,
            "Не удалось определить папку данных приложения.",
        )
    })
}

/// What the login screen offers: the server address from
/// `ORDERDESK_SERVER_URL`, when set.
pub fn default_server_url() -> Option<String> {
    std::env::var("ORDERDESK_SERVER_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}
