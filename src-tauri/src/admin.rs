//! The administrator's commands («Настройки экосистемы»), registered like
//! the others in [`crate::commands`]: each hands its argument struct to the
//! core's answer of the same name.

use crate::error::AppError;
use orderdesk_client_core::{answer, Client};
use orderdesk_protocol::ipc::{self, Command};
use tauri::State;

type Core<'a> = State<'a, Client>;
type Answer<C> = Result<<C as Command>::Output, AppError>;

#[tauri::command]
pub async fn get_admin(client: Core<'_>, args: ipc::GetAdmin) -> Answer<ipc::GetAdmin> {
    answer::get_admin(&client, args).await
}

#[tauri::command]
pub async fn create_user(client: Core<'_>, args: ipc::CreateUser) -> Answer<ipc::CreateUser> {
    answer::create_user(&client, args).await
}

#[tauri::command]
pub async fn update_user(client: Core<'_>, args: ipc::UpdateUser) -> Answer<ipc::UpdateUser> {
    answer::update_user(&client, args).await
}

#[tauri::command]
pub async fn block_user(client: Core<'_>, args: ipc::BlockUser) -> Answer<ipc::BlockUser> {
    answer::block_user(&client, args).await
}

#[tauri::command]
pub async fn unblock_user(client: Core<'_>, args: ipc::UnblockUser) -> Answer<ipc::UnblockUser> {
    answer::unblock_user(&client, args).await
}

#[tauri::command]
pub async fn reset_password(
    client: Core<'_>,
    args: ipc::ResetPassword,
) -> Answer<ipc::ResetPassword> {
    answer::reset_password(&client, args).await
}

#[tauri::command]
pub async fn create_service(
    client: Core<'_>,
    args: ipc::CreateService,
) -> Answer<ipc::CreateService> {
    answer::create_service(&client, args).await
}

#[tauri::command]
pub async fn update_service(
    client: Core<'_>,
    args: ipc::UpdateService,
) -> Answer<ipc::UpdateService> {
    answer::update_service(&client, args).await
}

#[tauri::command]
pub async fn create_object(client: Core<'_>, args: ipc::CreateObject) -> Answer<ipc::CreateObject> {
    answer::create_object(&client, args).await
}

#[tauri::command]
pub async fn update_object(client: Core<'_>, args: ipc::UpdateObject) -> Answer<ipc::UpdateObject> {
    answer::update_object(&client, args).await
}

#[tauri::command]
pub async fn create_product(
    client: Core<'_>,
    args: ipc::CreateProduct,
) -> Answer<ipc::CreateProduct> {
    answer::create_product(&client, args).await
}

#[tauri::command]
pub async fn update_product(
    client: Core<'_>,
    args: ipc::UpdateProduct,
) -> Answer<ipc::UpdateProduct> {
    answer::update_product(&client, args).await
}
