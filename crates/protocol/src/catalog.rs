//! What can be ordered: services, bookable objects, goods and extras; and
//! which slots of a meeting room are free.

use chrono::NaiveDate;
use orderdesk_domain::{Money, OrderKind, ResourceId, ServiceId};
use serde::{Deserialize, Serialize};

/// `GET /catalog`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub services: Vec<ServiceInfo>,
    pub resources: Vec<ResourceInfo>,
    pub products: Vec<ProductInfo>,
}

/// A service and the kind of order it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceInfo {
    pub id: ServiceId,
    pub name: String,
    pub kind: OrderKind,
    /// «Время автозакрытия заказа», in minutes.
    pub auto_close_minutes: i64,
}

/// A bookable object and its price per slot, day or night.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceInfo {
    pub id: ResourceId,
    pub service_id: ServiceId,
    pub name: String,
    pub tariff: Option<String>,
    pub unit_price: Money,
    /// Desks or rooms; 1 for a meeting room.
    pub capacity: u32,
}

/// A shop good or a hotel extra.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductInfo {
    pub id: i64,
    pub service_id: ServiceId,
    pub name: String,
    pub price: Money,
}

/// `GET /resources/{id}/availability?date=`: every slot of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub resource_id: ResourceId,
    pub date: NaiveDate,
    pub slots: Vec<SlotAvailability>,
    /// Just the free slot starts, for the edit form.
    pub free: Vec<String>,
}

/// One slot of the day and whether it can be taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotAvailability {
    /// `15:00`.
    pub time: String,
    pub free: bool,
}

/// `PUT /admin/services/{id}/replies`: a service's canned replies for the
/// public chat, in the order offered; the list replaces the old one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedReplies {
    /// Each 1 to 500 characters once trimmed; at most 30.
    pub replies: Vec<String>,
}
