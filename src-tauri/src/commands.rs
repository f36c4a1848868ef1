//! The commands the UI invokes. Each one is thin: take the state, call the
//! backend, return a typed result or an [`AppError`]. Request bodies are the
//! shared wire types; the `version` they carry is not needed here because
//! the core bases every action on the order it has cached.

use crate::backend::{Backend, Defaults};
use crate::error::AppError;
use chrono::NaiveDate;
use orderdesk_client_core::{
    BookingChange, ListFilter, Notification, OrderList, OrderView, Session, SyncStatus,
};
use orderdesk_domain::{LineNo, OrderNumber, ResourceId};
use orderdesk_protocol::{
    AssigneeRequest, Availability, BookingEditRequest, CancelRequest, CollectLineRequest,
    DeadlinesRequest, PayerInfo, PaymentRequest, PostMessageRequest, ResourceInfo, StatusRequest,
};
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
pub async fn log_out(backend: State<'_, Backend>, discard_unsent: bool) -> Result<(), AppError> {
    backend.log_out(discard_unsent).await
}

#[tauri::command]
pub fn get_session(backend: State<'_, Backend>) -> Result<Option<Session>, AppError> {
    Ok(backend.session())
}

#[tauri::command]
pub fn get_defaults(backend: State<'_, Backend>) -> Result<Defaults, AppError> {
    Ok(backend.defaults())
}

#[tauri::command]
pub fn get_sync_state(backend: State<'_, Backend>) -> Result<SyncStatus, AppError> {
    backend.sync_state()
}

#[tauri::command]
pub fn dismiss_conflict(backend: State<'_, Backend>, id: i64) -> Result<(), AppError> {
    backend.dismiss_conflict(id)
}

#[tauri::command]
pub fn list_orders(backend: State<'_, Backend>, filter: ListFilter) -> Result<OrderList, AppError> {
    backend.orders(&filter)
}

#[tauri::command]
pub fn get_order(backend: State<'_, Backend>, number: OrderNumber) -> Result<OrderView, AppError> {
    backend.order(number)
}

#[tauri::command]
pub async fn assign_executor(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: AssigneeRequest,
) -> Result<OrderView, AppError> {
    backend.assign_executor(number, request.user_id).await
}

#[tauri::command]
pub async fn change_status(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: StatusRequest,
) -> Result<OrderView, AppError> {
    backend.change_status(number, request.status).await
}

#[tauri::command]
pub async fn change_deadlines(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: DeadlinesRequest,
) -> Result<OrderView, AppError> {
    backend
        .change_deadlines(number, request.first_response_due, request.completion_due)
        .await
}

#[tauri::command]
pub async fn record_payment(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: PaymentRequest,
) -> Result<OrderView, AppError> {
    backend.record_payment(number, request.amount).await
}

#[tauri::command]
pub async fn cancel_order(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: CancelRequest,
) -> Result<OrderView, AppError> {
    let _ = request.version;
    backend.cancel_order(number).await
}

#[tauri::command]
pub async fn edit_booking(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: BookingEditRequest,
) -> Result<OrderView, AppError> {
    let change = BookingChange {
        resource_id: request.resource_id,
        date: request.date,
        slots: request.slots,
        payer_id: request.payer_id,
        comment: request.comment,
    };
    backend.edit_booking(number, change).await
}

#[tauri::command]
pub async fn collect_line(
    backend: State<'_, Backend>,
    number: OrderNumber,
    line: LineNo,
    request: CollectLineRequest,
) -> Result<OrderView, AppError> {
    backend.collect_line(number, line, request.outcome).await
}

#[tauri::command]
pub async fn send_message(
    backend: State<'_, Backend>,
    number: OrderNumber,
    request: PostMessageRequest,
) -> Result<OrderView, AppError> {
    backend
        .send_message(number, &request.text, request.visibility)
        .await
}

#[tauri::command]
pub fn list_resources(
    backend: State<'_, Backend>,
    number: OrderNumber,
) -> Result<Vec<ResourceInfo>, AppError> {
    backend.resources(number)
}

#[tauri::command]
pub async fn get_availability(
    backend: State<'_, Backend>,
    resource_id: ResourceId,
    date: NaiveDate,
    order: Option<OrderNumber>,
) -> Result<Availability, AppError> {
    backend.availability(resource_id, date, order).await
}

#[tauri::command]
pub fn list_payers(backend: State<'_, Backend>) -> Result<Vec<PayerInfo>, AppError> {
    backend.payers()
}

#[tauri::command]
pub fn list_notifications(backend: State<'_, Backend>) -> Result<Vec<Notification>, AppError> {
    Ok(backend.notifications())
}
