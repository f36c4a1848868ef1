//! The administrator's calls («Настройки экосистемы»): read the
//! organisation, and change it on the server. A change is never queued:
//! offline it fails at once with [`ErrorCode::ServerUnreachable`], and a
//! refusal keeps the server's own code (`stale_version`, `invalid_login`…)
//! with its message in `lang`.
//!
//! [`ErrorCode::ServerUnreachable`]: super::ErrorCode::ServerUnreachable

use super::{call, ApiResult};
use crate::i18n::Lang;
use orderdesk_domain::{ResourceId, ServiceId, UserId};
use orderdesk_protocol::ipc::{self, AdminData};
use orderdesk_protocol::{
    NewUserRequest, ObjectRequest, ObjectUpdateRequest, ProductRequest, ProductUpdateRequest,
    ServiceRequest, ServiceUpdateRequest, UserUpdateRequest,
};

/// One change of the organisation, as a form saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminEdit {
    CreateUser(NewUserRequest),
    UpdateUser(UserId, UserUpdateRequest),
    Block { id: UserId, version: i64 },
    Unblock { id: UserId, version: i64 },
    ResetPassword { id: UserId, password: String },
    CreateService(ServiceRequest),
    UpdateService(ServiceId, ServiceUpdateRequest),
    CreateObject(ObjectRequest),
    UpdateObject(ResourceId, ObjectUpdateRequest),
    CreateProduct(ProductRequest),
    UpdateProduct(i64, ProductUpdateRequest),
}

/// The organisation from the server, or as last read when offline
/// (`fresh: false`).
pub async fn get_admin(lang: Lang) -> ApiResult<AdminData> {
    call(ipc::GetAdmin { lang }).await
}

/// Sends one change; the screen reads the organisation again afterwards.
pub async fn save(lang: Lang, edit: AdminEdit) -> ApiResult<()> {
    match edit {
        AdminEdit::CreateUser(user) => call(ipc::CreateUser { user, lang }).await.map(drop),
        AdminEdit::UpdateUser(id, user) => call(ipc::UpdateUser { id, user, lang }).await.map(drop),
        AdminEdit::Block { id, version } => {
            call(ipc::BlockUser { id, version, lang }).await.map(drop)
        }
        AdminEdit::Unblock { id, version } => {
            call(ipc::UnblockUser { id, version, lang }).await.map(drop)
        }
        AdminEdit::ResetPassword { id, password } => {
            let args = ipc::ResetPassword { id, password, lang };
            call(args).await.map(drop)
        }
        AdminEdit::CreateService(service) => {
            call(ipc::CreateService { service, lang }).await.map(drop)
        }
        AdminEdit::UpdateService(id, service) => {
            let args = ipc::UpdateService { id, service, lang };
            call(args).await.map(drop)
        }
        AdminEdit::CreateObject(object) => call(ipc::CreateObject { object, lang }).await.map(drop),
        AdminEdit::UpdateObject(id, object) => {
            let args = ipc::UpdateObject { id, object, lang };
            call(args).await.map(drop)
        }
        AdminEdit::CreateProduct(product) => {
            call(ipc::CreateProduct { product, lang }).await.map(drop)
        }
        AdminEdit::UpdateProduct(id, product) => {
            let args = ipc::UpdateProduct { id, product, lang };
            call(args).await.map(drop)
        }
    }
}
