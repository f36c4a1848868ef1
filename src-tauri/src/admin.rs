//! The administrator's commands («Настройки экосистемы»): each takes the
//! core and its one argument struct from `orderdesk_protocol::ipc`, calls
//! the core once and returns the record or an [`AppError`] that keeps the
//! server's own refusal code. Nothing here is queued: offline, a change
//! fails at once.

use crate::error::AppError;
use orderdesk_client_core::{Client, CoreError};
use orderdesk_protocol::ipc::{
    AdminData, BlockUser, CreateObject, CreateProduct, CreateService, CreateUser, GetAdmin,
    ResetPassword, UnblockUser, UpdateObject, UpdateProduct, UpdateService, UpdateUser,
};
use orderdesk_protocol::{AdminObject, AdminProduct, AdminService, AdminUser};
use tauri::State;

type Core<'a> = State<'a, Client>;
type Answer<T> = Result<T, AppError>;

#[tauri::command]
pub async fn get_admin(client: Core<'_>, args: GetAdmin) -> Answer<AdminData> {
    let data = client.admin_data(args.lang).await;
    data.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn create_user(client: Core<'_>, args: CreateUser) -> Answer<AdminUser> {
    let done = client.create_user(&args.user, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn update_user(client: Core<'_>, args: UpdateUser) -> Answer<AdminUser> {
    let done = client.update_user(args.id, &args.user, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn block_user(client: Core<'_>, args: BlockUser) -> Answer<AdminUser> {
    let done = client.block_user(args.id, args.version, true, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn unblock_user(client: Core<'_>, args: UnblockUser) -> Answer<AdminUser> {
    let done = client.block_user(args.id, args.version, false, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn reset_password(client: Core<'_>, args: ResetPassword) -> Answer<AdminUser> {
    let done = client.reset_password(args.id, &args.password, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn create_service(client: Core<'_>, args: CreateService) -> Answer<AdminService> {
    let done = client.create_service(&args.service, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn update_service(client: Core<'_>, args: UpdateService) -> Answer<AdminService> {
    let done = client.update_service(args.id, &args.service, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn create_object(client: Core<'_>, args: CreateObject) -> Answer<AdminObject> {
    let done = client.create_object(&args.object, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn update_object(client: Core<'_>, args: UpdateObject) -> Answer<AdminObject> {
    let done = client.update_object(args.id, &args.object, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn create_product(client: Core<'_>, args: CreateProduct) -> Answer<AdminProduct> {
    let done = client.create_product(&args.product, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

#[tauri::command]
pub async fn update_product(client: Core<'_>, args: UpdateProduct) -> Answer<AdminProduct> {
    let done = client.update_product(args.id, &args.product, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}
