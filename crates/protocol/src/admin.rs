//! The administration API: the bodies an administrator reads and sends to
//! set up an organisation — users, services with their responsible
//! managers, bookable objects, goods and extras, company payers — and the
//! audit of every such change.
//!
//! Every path is under `/api/v1/admin` and answers only the `admin` role;
//! every other role gets 403 `role_not_allowed` and nothing changes.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/admin/users` | → [`AdminUserList`] |
//! | POST | `/admin/users` | [`NewUserRequest`] → 201 [`AdminUser`] |
//! | GET | `/admin/users/{id}` | → [`AdminUser`] |
//! | PUT | `/admin/users/{id}` | [`UserUpdateRequest`] → [`AdminUser`] |
//! | POST | `/admin/users/{id}/block` | [`AdminVersion`] → [`AdminUser`] |
//! | POST | `/admin/users/{id}/unblock` | [`AdminVersion`] → [`AdminUser`] |
//! | POST | `/admin/users/{id}/password` | [`PasswordResetRequest`] → [`AdminUser`] |
//! | GET | `/admin/payers` | → [`CompanyPayerList`] |
//! | GET | `/admin/services` | → [`AdminServiceList`] |
//! | POST | `/admin/services` | [`ServiceRequest`] → 201 [`AdminService`] |
//! | GET | `/admin/services/{id}` | → [`AdminService`] |
//! | PUT | `/admin/services/{id}` | [`ServiceUpdateRequest`] → [`AdminService`] |
//! | DELETE | `/admin/services/{id}?version=` | → 204 |
//! | GET | `/admin/objects` | → [`AdminObjectList`] |
//! | POST | `/admin/objects` | [`ObjectRequest`] → 201 [`AdminObject`] |
//! | GET | `/admin/objects/{id}` | → [`AdminObject`] |
//! | PUT | `/admin/objects/{id}` | [`ObjectUpdateRequest`] → [`AdminObject`] |
//! | DELETE | `/admin/objects/{id}?version=` | → 204 |
//! | GET | `/admin/products` | → [`AdminProductList`] |
//! | POST | `/admin/products` | [`ProductRequest`] → 201 [`AdminProduct`] |
//! | GET | `/admin/products/{id}` | → [`AdminProduct`] |
//! | PUT | `/admin/products/{id}` | [`ProductUpdateRequest`] → [`AdminProduct`] |
//! | DELETE | `/admin/products/{id}?version=` | → 204 |
//! | GET | `/admin/audit?object=&object_id=&before=&limit=` | → [`AuditPage`] |
//!
//! Rules every change follows:
//! - bad input is 422 with a code naming what to fix (`invalid_login`,
//!   `login_taken`, `invalid_minutes`, `responsible_role_mismatch`…);
//! - an update, block, unblock and delete carry the `version` the admin saw;
//!   a stale one is 409 `stale_version`;
//! - a delete that would strand orders is 409 `open_orders_remain` (or
//!   `has_order_history` when only finished ones refer to it); deactivating
//!   (`active: false`, `on_sale: false`) is always possible: no new orders,
//!   the old ones go on;
//! - a blocked user's tokens end at once and unblocking does not revive
//!   them; so does a password reset;
//! - every change is written to the audit with before and after.
//!
//! A company payer is a requester account with a `company` name: it is
//! created and edited as a user, and `GET /admin/payers` lists them.

use chrono::{DateTime, FixedOffset};
use orderdesk_domain::{Money, OrderKind, ResourceId, Role, ServiceId, UserId};
use serde::{Deserialize, Serialize};

/// The `version` an admin's change was based on: block, unblock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AdminVersion {
    /// The version last read; a stale one is refused with `stale_version`.
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub version: i64,
}

// ---- users ----------------------------------------------------------------

/// An account as the administrator sees it. Passwords never travel back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The company a requester pays as («ООО Ромашка»): a company payer.
    pub company: Option<String>,
    /// A blocked user cannot sign in and has no live session.
    pub blocked: bool,
    /// Services the user is responsible for (managers only).
    pub services: Vec<ServiceId>,
    pub version: i64,
}

/// `GET /admin/users`: every account, by login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserList {
    pub items: Vec<AdminUser>,
}

/// `POST /admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUserRequest {
    /// 1–64 characters: letters, digits, `.`, `_`, `-`, `@`; unique.
    pub login: String,
    /// 1–200 characters.
    pub name: String,
    pub role: Role,
    /// At least 8 characters.
    pub password: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Only for a requester: the company it pays as.
    #[serde(default)]
    pub company: Option<String>,
}

/// `PUT /admin/users/{id}`: the whole editable record. Changing the role
/// of a manager drops the responsibilities the new role does not cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdateRequest {
    pub version: i64,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
}

/// `POST /admin/users/{id}/password`: a new password set by the
/// administrator; the user's current sessions end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    /// At least 8 characters.
    pub password: String,
}

/// A company that pays for its requester's orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyPayer {
    /// The requester account that represents the company.
    pub user_id: UserId,
    /// «ООО Ромашка».
    pub company: String,
    /// The contact person: the account's name.
    pub name: String,
    pub login: String,
    pub blocked: bool,
}

/// `GET /admin/payers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyPayerList {
    pub items: Vec<CompanyPayer>,
}

// ---- services -------------------------------------------------------------

/// A service with everything an administrator sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminService {
    pub id: ServiceId,
    pub name: String,
    pub kind: OrderKind,
    /// «Время автозакрытия заказа», in minutes (1 to 525 600).
    pub auto_close_minutes: i64,
    /// Default time to the first response of a new order, in minutes.
    pub first_response_minutes: Option<i64>,
    /// Default time to completion of a new order, in minutes.
    pub completion_minutes: Option<i64>,
    /// «Ответственные за обработку»: managers whose role covers the kind.
    pub responsible: Vec<UserId>,
    /// An inactive service takes no new orders; its orders go on.
    pub active: bool,
    /// Orders of the service not yet finished.
    pub open_orders: u64,
    pub version: i64,
}

/// `GET /admin/services`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminServiceList {
    pub items: Vec<AdminService>,
}

/// `POST /admin/services`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRequest {
    /// 1–200 characters.
    pub name: String,
    pub kind: OrderKind,
    /// 1 to 525 600 (a year).
    pub auto_close_minutes: i64,
    #[serde(default)]
    pub first_response_minutes: Option<i64>,
    #[serde(default)]
    pub completion_minutes: Option<i64>,
    #[serde(default)]
    pub responsible: Vec<UserId>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// `PUT /admin/services/{id}`: the whole record. The kind can change only
/// while the service has no orders (`kind_in_use`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUpdateRequest {
    pub version: i64,
    pub name: String,
    pub kind: OrderKind,
    pub auto_close_minutes: i64,
    #[serde(default)]
    pub first_response_minutes: Option<i64>,
    #[serde(default)]
    pub completion_minutes: Option<i64>,
    #[serde(default)]
    pub responsible: Vec<UserId>,
    pub active: bool,
}

// ---- objects --------------------------------------------------------------

/// A bookable object of a booking service, one tariff of it:
/// - meeting room (`booking`): price per 30-minute slot, capacity 1, and
///   opening hours within 08:00–23:30;
/// - coworking (`coworking_booking`): desks (capacity) and the tariff's
///   price per day;
/// - hotel (`hotel_booking`): rooms (capacity) and the tariff's price per
///   night; its extras are products of the hotel service.
///
/// Another tariff of the same place is another object with the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminObject {
    pub id: ResourceId,
    pub service_id: ServiceId,
    /// The kind of its service.
    pub kind: OrderKind,
    pub name: String,
    pub tariff: Option<String>,
    /// Per slot, per day or per night, by kind. A new price applies to new
    /// bookings only.
    pub unit_price: Money,
    /// Desks or rooms; 1 for a meeting room.
    pub capacity: u32,
    /// Meeting rooms: opening hours; `None` for other kinds.
    pub hours: Option<OpeningHours>,
    pub active: bool,
    pub open_orders: u64,
    pub version: i64,
}

/// A meeting room's bookable hours: slot starts `08:00`…`23:30`, first
/// not after last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    /// Start of the first bookable slot, e.g. `09:00`.
    pub first_slot: String,
    /// Start of the last bookable slot, e.g. `20:30`.
    pub last_slot: String,
}

/// `GET /admin/objects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminObjectList {
    pub items: Vec<AdminObject>,
}

/// `POST /admin/objects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectRequest {
    /// A booking, coworking or hotel service.
    pub service_id: ServiceId,
    pub name: String,
    #[serde(default)]
    pub tariff: Option<String>,
    /// Positive.
    pub unit_price: Money,
    /// 1 for a meeting room; 1 to 10 000 otherwise.
    pub capacity: u32,
    /// Meeting rooms only; all day when absent.
    #[serde(default)]
    pub hours: Option<OpeningHours>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// `PUT /admin/objects/{id}`: the whole record; the service stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectUpdateRequest {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub tariff: Option<String>,
    pub unit_price: Money,
    pub capacity: u32,
    #[serde(default)]
    pub hours: Option<OpeningHours>,
    pub active: bool,
}

// ---- goods and extras -----------------------------------------------------

/// A shop good (`nomenclature_sale` service) or a hotel extra
/// (`hotel_booking` service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminProduct {
    pub id: i64,
    pub service_id: ServiceId,
    pub name: String,
    pub price: Money,
    /// Off sale: not offered to new orders; old ones keep their lines.
    pub on_sale: bool,
    pub version: i64,
}

/// `GET /admin/products`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminProductList {
    pub items: Vec<AdminProduct>,
}

/// `POST /admin/products`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductRequest {
    pub service_id: ServiceId,
    pub name: String,
    /// Positive.
    pub price: Money,
    #[serde(default = "yes")]
    pub on_sale: bool,
}

/// `PUT /admin/products/{id}`: the whole record; the service stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductUpdateRequest {
    pub version: i64,
    pub name: String,
    pub price: Money,
    pub on_sale: bool,
}

// ---- audit ----------------------------------------------------------------

/// What an audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditObject {
    User,
    Service,
    Object,
    Product,
}

impl AuditObject {
    pub const ALL: [AuditObject; 4] = [
        AuditObject::User,
        AuditObject::Service,
        AuditObject::Object,
        AuditObject::Product,
    ];

    pub fn id(self) -> &'static str {
        match self {
            AuditObject::User => "user",
            AuditObject::Service => "service",
            AuditObject::Object => "object",
            AuditObject::Product => "product",
        }
    }

    pub fn parse(id: &str) -> Option<AuditObject> {
        AuditObject::ALL.into_iter().find(|o| o.id() == id)
    }
}

/// One administrative change: who, when, what, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<FixedOffset>,
    /// The administrator; `None` for the command line (`import`,
    /// `admin create`).
    pub actor: Option<UserId>,
    pub actor_login: Option<String>,
    pub object: AuditObject,
    pub object_id: i64,
    /// `create`, `update`, `block`, `unblock`, `reset_password`, `delete`,
    /// `import`.
    pub action: String,
    /// The record before the change; `None` for a creation.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// The record after the change; `None` for a deletion.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}

/// `GET /admin/audit` filters; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// `user`, `service`, `object` or `product`.
    pub object: Option<String>,
    /// With `object`: one record's history.
    #[serde(default, deserialize_with = "crate::range::positive")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub object_id: Option<i64>,
    /// Entries older than this id (the previous page's `next_before`).
    #[serde(default, deserialize_with = "crate::range::positive")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub before: Option<i64>,
    /// 1 to 100; 50 when absent.
    #[serde(default, deserialize_with = "crate::range::per_page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
}

/// A page of the audit, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `before` for the next page; `None` at the end.
    pub next_before: Option<i64>,
}

fn yes() -> bool {
    true
}
