//! The commands the UI invokes. Each takes the core managed as Tauri state
//! and its one argument struct from `orderdesk_protocol::ipc` (sent under
//! the key `args`), calls the core, and returns the IPC value or an
//! [`AppError`] in the language the UI set. Commands with nothing to say
//! take no argument.

use crate::error::AppError;
use crate::setup::default_server_url;
use orderdesk_client_core::Client;
use orderdesk_protocol::ipc::{
    AssignExecutor, CancelOrder, ChangeDeadlines, ChangeStatus, CollectLine, Defaults,
    DismissConflict, EditBooking, GetAvailability, GetOrder, ListOrders, ListPage, ListResources,
    LogIn, LogOut, MarkNotificationsRead, Notification, OrderCard, RecordPayment, SendMessage,
    Session, SetLanguage, SyncStatus, TakeInWork, UndoCollection,
};
use orderdesk_protocol::{Availability, PayerInfo, ResourceInfo};
use tauri::State;

type Core<'a> = State<'a, Client>;

#[tauri::command]
pub async fn log_in(client: Core<'_>, args: LogIn) -> Result<Session, AppError> {
    let session = client
        .login(&args.server_url, &args.login, &args.password)
        .await
        .map_err(|e| client.login_error(e))?;
    client.start_sync();
    Ok(session)
}

/// Refuses while actions wait to be sent unless `discard_unsent`.
#[tauri::command]
pub async fn log_out(client: Core<'_>, args: LogOut) -> Result<(), AppError> {
    client
        .logout(args.discard_unsent)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn get_session(client: Core<'_>) -> Option<Session> {
    client.session()
}

#[tauri::command]
pub fn get_defaults(client: Core<'_>) -> Defaults {
    let session_error = match client.status() {
        Ok(status) if !status.signed_in => status.last_error,
        _ => None,
    };
    Defaults {
        server_url: default_server_url(),
        session_error,
    }
}

/// The status now; every later change comes as the sync-status event.
#[tauri::command]
pub fn get_sync_status(client: Core<'_>) -> Result<SyncStatus, AppError> {
    client.status().map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn dismiss_conflict(client: Core<'_>, args: DismissConflict) -> Result<(), AppError> {
    client
        .dismiss_conflict(args.id)
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn list_orders(client: Core<'_>, args: ListOrders) -> Result<ListPage, AppError> {
    client.list(&args.filter).map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn get_order(client: Core<'_>, args: GetOrder) -> Result<OrderCard, AppError> {
    client.order(args.number).map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn assign_executor(
    client: Core<'_>,
    args: AssignExecutor,
) -> Result<OrderCard, AppError> {
    client
        .assign_executor(args.number, args.executor)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn change_status(client: Core<'_>, args: ChangeStatus) -> Result<OrderCard, AppError> {
    client
        .set_status(args.number, args.status)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn change_deadlines(
    client: Core<'_>,
    args: ChangeDeadlines,
) -> Result<OrderCard, AppError> {
    let (first, completion) = (args.first_response_due, args.completion_due);
    client
        .set_deadlines(args.number, first, completion)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn record_payment(client: Core<'_>, args: RecordPayment) -> Result<OrderCard, AppError> {
    client
        .record_payment(args.number, args.amount)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn cancel_order(client: Core<'_>, args: CancelOrder) -> Result<OrderCard, AppError> {
    client
        .cancel(args.number)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn edit_booking(client: Core<'_>, args: EditBooking) -> Result<OrderCard, AppError> {
    client
        .edit_booking(args.number, args.change)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn collect_line(client: Core<'_>, args: CollectLine) -> Result<OrderCard, AppError> {
    client
        .collect_line(args.number, args.line, args.outcome)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn take_in_work(client: Core<'_>, args: TakeInWork) -> Result<OrderCard, AppError> {
    client
        .take_in_work(args.number)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn undo_collection(
    client: Core<'_>,
    args: UndoCollection,
) -> Result<OrderCard, AppError> {
    client
        .undo_collection(args.number, args.line)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn send_message(client: Core<'_>, args: SendMessage) -> Result<OrderCard, AppError> {
    client
        .post_message(args.number, &args.text, args.visibility)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn list_resources(
    client: Core<'_>,
    args: ListResources,
) -> Result<Vec<ResourceInfo>, AppError> {
    client
        .order_resources(args.number)
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub async fn get_availability(
    client: Core<'_>,
    args: GetAvailability,
) -> Result<Availability, AppError> {
    client
        .availability(args.resource_id, args.date, args.order)
        .await
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn list_payers(client: Core<'_>) -> Result<Vec<PayerInfo>, AppError> {
    client.company_payers().map_err(|e| client.app_error(e))
}

/// The history, newest first; a UI that starts listening catches up here.
#[tauri::command]
pub fn list_notifications(client: Core<'_>) -> Result<Vec<Notification>, AppError> {
    client.notifications().map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn count_unread_notifications(client: Core<'_>) -> Result<u32, AppError> {
    client
        .unread_notifications()
        .map_err(|e| client.app_error(e))
}

#[tauri::command]
pub fn mark_notifications_read(
    client: Core<'_>,
    args: MarkNotificationsRead,
) -> Result<(), AppError> {
    client
        .mark_notifications_read(args.key.as_deref())
        .map_err(|e| client.app_error(e))
}

/// Called by the UI at start and on every switch of language.
#[tauri::command]
pub fn set_language(client: Core<'_>, args: SetLanguage) -> Result<(), AppError> {
    client
        .set_language(args.lang)
        .map_err(|e| client.app_error(e))
}

/// Pull to refresh: one sync round now, its failure told.
#[tauri::command]
pub async fn sync_now(client: Core<'_>) -> Result<(), AppError> {
    client.sync_now().await?;
    Ok(())
}
