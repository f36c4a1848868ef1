//! The commands the UI invokes. Each one is thin: take the state, call the
//! backend, return a typed result or an [`AppError`].

use crate::backend::{Backend, Session, SyncState};
use crate::error::AppError;
use tauri::State;

#[tauri::command]
pub async fn log_in(
    backend: State<'_, Backend>,
    server_url: String,
    login: String,
    password: String,
) -> Result<Session, AppError> {
    backend.log_in(&server_url, &login, &password).await
}

#[tauri::command]
pub async fn log_out(backend: State<'_, Backend>) -> Result<(), AppError> {
    backend.log_out().await
}

#[tauri::command]
pub async fn get_session(backend: State<'_, Backend>) -> Result<Option<Session>, AppError> {
    backend.session().await
}

#[tauri::command]
pub async fn get_sync_state(backend: State<'_, Backend>) -> Result<SyncState, AppError> {
    backend.sync_state().await
}
