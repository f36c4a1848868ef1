//! The administrator's commands of the app («Настройки экосистемы») and
//! what they return.
//!
//! Reading ([`GetAdmin`]) answers with the organisation as the server has
//! it, or, with no connection, as it was last read on this device. Every
//! change goes straight to the server and answers with the changed record:
//! admin edits are never queued, so offline they fail at once with
//! `server_unreachable`. A refusal keeps the server's own code
//! (`invalid_login`, `stale_version`…) and its message in `lang`.

use chrono::{DateTime, FixedOffset};
use orderdesk_domain::{Lang, ResourceId, ServiceId, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    AdminObject, AdminProduct, AdminService, AdminUser, NewUserRequest, ObjectRequest,
    ObjectUpdateRequest, ProductRequest, ProductUpdateRequest, ServiceRequest,
    ServiceUpdateRequest, UserUpdateRequest,
};

/// The organisation as the administrator's screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AdminData {
    pub users: Vec<AdminUser>,
    pub services: Vec<AdminService>,
    pub objects: Vec<AdminObject>,
    /// Shop goods and hotel extras.
    pub products: Vec<AdminProduct>,
    /// When it was read from the server.
    pub read_at: Option<DateTime<FixedOffset>>,
    /// Read from the server just now; `false` when the server could not be
    /// reached and this is the copy last read on this device.
    pub fresh: bool,
}

/// The organisation: from the server, or the last copy read when offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetAdmin {
    #[serde(default)]
    pub lang: Lang,
}

/// «Новый пользователь».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateUser {
    pub user: NewUserRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// Name, role, phone, e-mail, company of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateUser {
    pub id: UserId,
    pub user: UserUpdateRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// «Заблокировать»: the user's sessions end at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockUser {
    pub id: UserId,
    pub version: i64,
    #[serde(default)]
    pub lang: Lang,
}

/// «Разблокировать»: the user may sign in again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnblockUser {
    pub id: UserId,
    pub version: i64,
    #[serde(default)]
    pub lang: Lang,
}

/// «Сбросить пароль»: a new password; the user's sessions end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPassword {
    pub id: UserId,
    pub password: String,
    #[serde(default)]
    pub lang: Lang,
}

/// «Новая услуга».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateService {
    pub service: ServiceRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// A service's name, times, responsible managers, active flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateService {
    pub id: ServiceId,
    pub service: ServiceUpdateRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// A new meeting room, coworking or hotel tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateObject {
    pub object: ObjectRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// An object's name, tariff, price, capacity, hours, active flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateObject {
    pub id: ResourceId,
    pub object: ObjectUpdateRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// A new shop good or hotel extra.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateProduct {
    pub product: ProductRequest,
    #[serde(default)]
    pub lang: Lang,
}

/// A good's name, price, «В продаже».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateProduct {
    pub id: i64,
    pub product: ProductUpdateRequest,
    #[serde(default)]
    pub lang: Lang,
}
