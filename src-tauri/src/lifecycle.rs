//! What the app does as a phone's OS starts it and brings it back: asks once
//! for the right to show notifications, and syncs when it returns to the
//! foreground, since a phone may have held the app's connections while it
//! was in the background. Desktops ask nothing (their notifications need no
//! permission) and report no such return, so nothing here changes them.

use orderdesk_client_core::Client;
use tauri::plugin::PermissionState;
use tauri::{AppHandle, Manager, RunEvent, Runtime};
use tauri_plugin_notification::NotificationExt;

/// On a phone, asks for the notification permission when the user has not
/// decided yet; a refusal is respected and not asked again. Runs off the
/// main thread: the question goes through the OS's activity and waits for
/// the user's answer.
pub fn ask_notification_permission<R: Runtime>(app: &AppHandle<R>) {
    if !cfg!(mobile) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let notifications = app.notification();
        let state = match notifications.permission_state() {
            Ok(state) => state,
            Err(error) => {
                tracing::warn!(%error, "notification permission unknown");
                return;
            }
        };
        if !should_ask(state) {
            tracing::info!(%state, "notification permission");
            return;
        }
        match notifications.request_permission() {
            Ok(answer) => tracing::info!(%answer, "notification permission asked"),
            Err(error) => tracing::warn!(%error, "notification permission not asked"),
        }
    });
}

/// Whether the user is still to be asked: not when they granted or refused.
fn should_ask(state: PermissionState) -> bool {
    matches!(
        state,
        PermissionState::Prompt | PermissionState::PromptWithRationale
    )
}

/// Handles the app's run events: a return to the foreground syncs at once.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    if came_to_foreground(event) {
        sync_on_resume(app);
    }
}

/// The main window came back to the foreground: Android's `onResume` (not
/// the first one, at start) or iOS's `applicationWillEnterForeground`.
/// `RunEvent::Resumed` is something else: the event loop waking up.
#[cfg(mobile)]
fn came_to_foreground(event: &RunEvent) -> bool {
    matches!(
        event,
        RunEvent::WindowEvent {
            event: tauri::WindowEvent::Resumed,
            ..
        }
    )
}

/// Desktop windows report no return to the foreground.
#[cfg(not(mobile))]
fn came_to_foreground(_event: &RunEvent) -> bool {
    false
}

/// Asks the core for a sync round now, as the sync button does, when a user
/// is signed in; the background sync keeps running as before.
fn sync_on_resume<R: Runtime>(app: &AppHandle<R>) {
    let Some(client) = app.try_state::<Client>() else {
        return;
    };
    let client = client.inner().clone();
    tauri::async_runtime::spawn(async move {
        if client.session().is_none() {
            return;
        }
        match client.sync_now().await {
            Ok(_) => tracing::info!("synced on return to the foreground"),
            // Offline or the server down: the status bar says so already.
            Err(error) => tracing::info!(%error, "sync on return to the foreground failed"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only an undecided user is asked; a refusal stands.
    #[test]
    fn asks_for_the_notification_permission_only_when_undecided() {
        assert!(should_ask(PermissionState::Prompt));
        assert!(should_ask(PermissionState::PromptWithRationale));
        assert!(!should_ask(PermissionState::Granted));
        assert!(!should_ask(PermissionState::Denied));
    }
}
