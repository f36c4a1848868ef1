//! The commands the UI invokes, registered under the names of the IPC
//! contract. Each takes the core managed as Tauri state and its one
//! argument struct from `orderdesk_protocol::ipc` (sent under the key
//! `args`) and hands them to the core's answer of the same name
//! (`orderdesk_client_core::answer`), which the browser worker uses too.

use crate::error::AppError;
use crate::setup::default_server_url;
use orderdesk_client_core::{answer, Client};
use orderdesk_protocol::ipc::{self, Command};
use tauri::State;

type Core<'a> = State<'a, Client>;
type Answer<C> = Result<<C as Command>::Output, AppError>;

/// The login screen's defaults: the server address from the app's settings.
#[tauri::command]
pub async fn get_defaults(client: Core<'_>, args: ipc::GetDefaults) -> Answer<ipc::GetDefaults> {
    answer::get_defaults(&client, args, default_server_url()).await
}

#[tauri::command]
pub async fn log_in(client: Core<'_>, args: ipc::LogIn) -> Answer<ipc::LogIn> {
    answer::log_in(&client, args).await
}

#[tauri::command]
pub async fn log_out(client: Core<'_>, args: ipc::LogOut) -> Answer<ipc::LogOut> {
    answer::log_out(&client, args).await
}

#[tauri::command]
pub async fn get_session(client: Core<'_>, args: ipc::GetSession) -> Answer<ipc::GetSession> {
    answer::get_session(&client, args).await
}

#[tauri::command]
pub async fn get_sync_status(
    client: Core<'_>,
    args: ipc::GetSyncStatus,
) -> Answer<ipc::GetSyncStatus> {
    answer::get_sync_status(&client, args).await
}

#[tauri::command]
pub async fn dismiss_conflict(
    client: Core<'_>,
    args: ipc::DismissConflict,
) -> Answer<ipc::DismissConflict> {
    answer::dismiss_conflict(&client, args).await
}

#[tauri::command]
pub async fn list_orders(client: Core<'_>, args: ipc::ListOrders) -> Answer<ipc::ListOrders> {
    answer::list_orders(&client, args).await
}

#[tauri::command]
pub async fn get_order(client: Core<'_>, args: ipc::GetOrder) -> Answer<ipc::GetOrder> {
    answer::get_order(&client, args).await
}

#[tauri::command]
pub async fn assign_executor(
    client: Core<'_>,
    args: ipc::AssignExecutor,
) -> Answer<ipc::AssignExecutor> {
    answer::assign_executor(&client, args).await
}

#[tauri::command]
pub async fn change_status(client: Core<'_>, args: ipc::ChangeStatus) -> Answer<ipc::ChangeStatus> {
    answer::change_status(&client, args).await
}

#[tauri::command]
pub async fn change_deadlines(
    client: Core<'_>,
    args: ipc::ChangeDeadlines,
) -> Answer<ipc::ChangeDeadlines> {
    answer::change_deadlines(&client, args).await
}

#[tauri::command]
pub async fn record_payment(
    client: Core<'_>,
    args: ipc::RecordPayment,
) -> Answer<ipc::RecordPayment> {
    answer::record_payment(&client, args).await
}

#[tauri::command]
pub async fn cancel_order(client: Core<'_>, args: ipc::CancelOrder) -> Answer<ipc::CancelOrder> {
    answer::cancel_order(&client, args).await
}

#[tauri::command]
pub async fn edit_booking(client: Core<'_>, args: ipc::EditBooking) -> Answer<ipc::EditBooking> {
    answer::edit_booking(&client, args).await
}

#[tauri::command]
pub async fn collect_line(client: Core<'_>, args: ipc::CollectLine) -> Answer<ipc::CollectLine> {
    answer::collect_line(&client, args).await
}

#[tauri::command]
pub async fn send_message(client: Core<'_>, args: ipc::SendMessage) -> Answer<ipc::SendMessage> {
    answer::send_message(&client, args).await
}

#[tauri::command]
pub async fn list_resources(
    client: Core<'_>,
    args: ipc::ListResources,
) -> Answer<ipc::ListResources> {
    answer::list_resources(&client, args).await
}

#[tauri::command]
pub async fn get_availability(
    client: Core<'_>,
    args: ipc::GetAvailability,
) -> Answer<ipc::GetAvailability> {
    answer::get_availability(&client, args).await
}

#[tauri::command]
pub async fn list_payers(client: Core<'_>, args: ipc::ListPayers) -> Answer<ipc::ListPayers> {
    answer::list_payers(&client, args).await
}

#[tauri::command]
pub async fn list_notifications(
    client: Core<'_>,
    args: ipc::ListNotifications,
) -> Answer<ipc::ListNotifications> {
    answer::list_notifications(&client, args).await
}

#[tauri::command]
pub async fn take_in_work(client: Core<'_>, args: ipc::TakeInWork) -> Answer<ipc::TakeInWork> {
    answer::take_in_work(&client, args).await
}

#[tauri::command]
pub async fn undo_collection(
    client: Core<'_>,
    args: ipc::UndoCollection,
) -> Answer<ipc::UndoCollection> {
    answer::undo_collection(&client, args).await
}

#[tauri::command]
pub async fn sync_now(client: Core<'_>, args: ipc::SyncNow) -> Answer<ipc::SyncNow> {
    answer::sync_now(&client, args).await
}

#[tauri::command]
pub async fn count_unread_notifications(
    client: Core<'_>,
    args: ipc::CountUnreadNotifications,
) -> Answer<ipc::CountUnreadNotifications> {
    answer::count_unread_notifications(&client, args).await
}

#[tauri::command]
pub async fn mark_notifications_read(
    client: Core<'_>,
    args: ipc::MarkNotificationsRead,
) -> Answer<ipc::MarkNotificationsRead> {
    answer::mark_notifications_read(&client, args).await
}

#[tauri::command]
pub async fn set_language(client: Core<'_>, args: ipc::SetLanguage) -> Answer<ipc::SetLanguage> {
    answer::set_language(&client, args).await
}

#[tauri::command]
pub async fn get_push_key(client: Core<'_>, args: ipc::GetPushKey) -> Answer<ipc::GetPushKey> {
    answer::get_push_key(&client, args).await
}

#[tauri::command]
pub async fn subscribe_push(
    client: Core<'_>,
    args: ipc::SubscribePush,
) -> Answer<ipc::SubscribePush> {
    answer::subscribe_push(&client, args).await
}

#[tauri::command]
pub async fn unsubscribe_push(
    client: Core<'_>,
    args: ipc::UnsubscribePush,
) -> Answer<ipc::UnsubscribePush> {
    answer::unsubscribe_push(&client, args).await
}
