//! The administrator's calls, as [`Client`] methods: reading the
//! organisation (users, services, objects, goods) and changing it.
//!
//! Unlike the actions on orders, admin changes are never queued: each goes
//! straight to the server, and with no connection it fails at once with
//! [`CoreError::Offline`] and leaves nothing behind. What was last read is
//! kept in the cache, so the screens stay readable offline; signing out
//! wipes it with the rest of the cache.

use chrono::Local;
use futures::try_join;
use orderdesk_domain::{Lang, ResourceId, ServiceId, UserId};
use orderdesk_protocol::ipc::AdminData;
use orderdesk_protocol::{
    AdminObject, AdminObjectList, AdminProduct, AdminProductList, AdminService, AdminServiceList,
    AdminUser, AdminUserList, AdminVersion, AppError, NewUserRequest, ObjectRequest,
    ObjectUpdateRequest, PasswordResetRequest, ProductRequest, ProductUpdateRequest,
    ServiceRequest, ServiceUpdateRequest, UserUpdateRequest,
};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::cache;
use crate::client::Client;
use crate::error::{CoreError, CoreResult};
use crate::shared::lock;

/// The cache's key of the organisation as last read.
const META_ADMIN: &str = "admin_data";

impl Client {
    /// The organisation from the server, kept for offline reading; with no
    /// connection, the copy last read (`fresh: false`), or
    /// [`CoreError::Offline`] when there is none.
    pub async fn admin_data(&self, lang: Lang) -> CoreResult<AdminData> {
        match self.read_admin(lang).await {
            Ok(data) => {
                let json = serde_json::to_string(&data)?;
                cache::meta_set(&lock(&self.shared.cache).conn, META_ADMIN, &json)?;
                Ok(data)
            }
            Err(error) if error.is_offline() => match self.last_admin_data()? {
                Some(kept) => Ok(AdminData {
                    fresh: false,
                    ..kept
                }),
                None => Err(error),
            },
            Err(error) => Err(error),
        }
    }

    /// The organisation as last read on this device.
    pub fn last_admin_data(&self) -> CoreResult<Option<AdminData>> {
        let kept = cache::meta_get(&lock(&self.shared.reader), META_ADMIN)?;
        Ok(kept.and_then(|json| serde_json::from_str(&json).ok()))
    }

    async fn read_admin(&self, lang: Lang) -> CoreResult<AdminData> {
        let api = self.shared.active()?.api(&self.shared.http, lang);
        let (users, services, objects, products) = try_join!(
            api.get_json::<AdminUserList>("/admin/users"),
            api.get_json::<AdminServiceList>("/admin/services"),
            api.get_json::<AdminObjectList>("/admin/objects"),
            api.get_json::<AdminProductList>("/admin/products"),
        )?;
        Ok(AdminData {
            users: users.items,
            services: services.items,
            objects: objects.items,
            products: products.items,
            read_at: Some(Local::now().fixed_offset()),
            fresh: true,
        })
    }

    /// Sends one change to the server, now or never.
    async fn admin_change<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        lang: Lang,
    ) -> CoreResult<T> {
        let api = self.shared.active()?.api(&self.shared.http, lang);
        api.send_json(method, path, body).await
    }

    /// «Новый пользователь».
    pub async fn create_user(&self, user: &NewUserRequest, lang: Lang) -> CoreResult<AdminUser> {
        self.admin_change(Method::POST, "/admin/users", user, lang)
            .await
    }

    /// Name, role, contacts of a user.
    pub async fn update_user(
        &self,
        id: UserId,
        user: &UserUpdateRequest,
        lang: Lang,
    ) -> CoreResult<AdminUser> {
        let path = format!("/admin/users/{id}");
        self.admin_change(Method::PUT, &path, user, lang).await
    }

    /// Blocks (`true`) or unblocks a user, based on `version`.
    pub async fn block_user(
        &self,
        id: UserId,
        version: i64,
        blocked: bool,
        lang: Lang,
    ) -> CoreResult<AdminUser> {
        let verb = if blocked { "block" } else { "unblock" };
        let path = format!("/admin/users/{id}/{verb}");
        let body = AdminVersion { version };
        self.admin_change(Method::POST, &path, &body, lang).await
    }

    /// Sets a new password; the user's sessions end.
    pub async fn reset_password(
        &self,
        id: UserId,
        password: &str,
        lang: Lang,
    ) -> CoreResult<AdminUser> {
        let path = format!("/admin/users/{id}/password");
        let body = PasswordResetRequest {
            password: password.to_owned(),
        };
        self.admin_change(Method::POST, &path, &body, lang).await
    }

    /// «Новая услуга».
    pub async fn create_service(
        &self,
        service: &ServiceRequest,
        lang: Lang,
    ) -> CoreResult<AdminService> {
        self.admin_change(Method::POST, "/admin/services", service, lang)
            .await
    }

    /// A service's name, times, responsible managers, active flag.
    pub async fn update_service(
        &self,
        id: ServiceId,
        service: &ServiceUpdateRequest,
        lang: Lang,
    ) -> CoreResult<AdminService> {
        let path = format!("/admin/services/{id}");
        self.admin_change(Method::PUT, &path, service, lang).await
    }

    /// A new meeting room, coworking or hotel tariff.
    pub async fn create_object(
        &self,
        object: &ObjectRequest,
        lang: Lang,
    ) -> CoreResult<AdminObject> {
        self.admin_change(Method::POST, "/admin/objects", object, lang)
            .await
    }

    /// An object's name, tariff, price, capacity, hours, active flag.
    pub async fn update_object(
        &self,
        id: ResourceId,
        object: &ObjectUpdateRequest,
        lang: Lang,
    ) -> CoreResult<AdminObject> {
        let path = format!("/admin/objects/{}", id.0);
        self.admin_change(Method::PUT, &path, object, lang).await
    }

    /// A new shop good or hotel extra.
    pub async fn create_product(
        &self,
        product: &ProductRequest,
        lang: Lang,
    ) -> CoreResult<AdminProduct> {
        self.admin_change(Method::POST, "/admin/products", product, lang)
            .await
    }

    /// A good's name, price, «В продаже».
    pub async fn update_product(
        &self,
        id: i64,
        product: &ProductUpdateRequest,
        lang: Lang,
    ) -> CoreResult<AdminProduct> {
        let path = format!("/admin/products/{id}");
        self.admin_change(Method::PUT, &path, product, lang).await
    }
}

impl CoreError {
    /// A failed admin call for the screens: a refusal keeps the server's
    /// own code (`invalid_login`, `stale_version`…), so the form can tell a
    /// mistake to fix from a record someone else changed.
    pub fn into_admin_error(self) -> AppError {
        match self {
            CoreError::Server { code, message, .. } => AppError::new(code, message),
            other => AppError::from(other),
        }
    }
}
