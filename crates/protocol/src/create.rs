//! `POST /orders`: what a requester sends to create an order. The kind comes
//! from the chosen service; the details must match it.

use chrono::NaiveDate;
use orderdesk_domain::{NewExtraInput, NewOrder, ResourceId, ServiceId};
use serde::{Deserialize, Serialize};

/// A new order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrderRequest {
    pub service_id: ServiceId,
    /// What is asked for, in the requester's words.
    pub description: Option<String>,
    pub comment: Option<String>,
    /// The guest or visitor, when it is not the requester.
    pub visitor: Option<ContactInput>,
    pub details: NewOrderDetails,
}

/// A visitor's contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The part of a new order that depends on its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewOrderDetails {
    SimpleRequest,
    PremisesRequest {
        /// The room the request is about.
        premises: String,
    },
    Booking {
        resource_id: ResourceId,
        date: NaiveDate,
        /// Slot starts, `["15:00", "15:30"]`.
        slots: Vec<String>,
    },
    CoworkingBooking {
        resource_id: ResourceId,
        date_from: NaiveDate,
        /// The last day, inclusive.
        date_to: NaiveDate,
    },
    HotelBooking {
        resource_id: ResourceId,
        check_in: NaiveDate,
        check_out: NaiveDate,
        adults: u32,
        children: u32,
        extras: Vec<NewExtra>,
        extras_separate_line: bool,
    },
    NomenclatureSale {
        items: Vec<NewItem>,
    },
}

/// A hotel extra («Ранний заезд», «Обед»…) by product id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewExtra {
    pub product_id: i64,
    pub quantity: u32,
    /// A time of day, e.g. `08:00` for an early check-in.
    pub time: Option<String>,
}

/// A shop item by product id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewItem {
    pub product_id: i64,
    pub quantity: u32,
}

/// The typed input the domain's `validate_new_order` checks: the same
/// fields, without the ids only the server can look up.
impl From<&NewOrderDetails> for NewOrder {
    fn from(details: &NewOrderDetails) -> NewOrder {
        match details {
            NewOrderDetails::SimpleRequest => NewOrder::SimpleRequest,
            NewOrderDetails::PremisesRequest { premises } => NewOrder::PremisesRequest {
                premises: premises.clone(),
            },
            NewOrderDetails::Booking { date, slots, .. } => NewOrder::Booking {
                date: *date,
                slots: slots.clone(),
            },
            NewOrderDetails::CoworkingBooking {
                date_from, date_to, ..
            } => NewOrder::CoworkingBooking {
                date_from: *date_from,
                date_to: *date_to,
            },
            NewOrderDetails::HotelBooking {
                check_in,
                check_out,
                adults,
                children,
                extras,
                ..
            } => NewOrder::HotelBooking {
                check_in: *check_in,
                check_out: *check_out,
                adults: *adults,
                children: *children,
                extras: extras
                    .iter()
                    .map(|e| NewExtraInput {
                        quantity: e.quantity,
                        time: e.time.clone(),
                    })
                    .collect(),
            },
            NewOrderDetails::NomenclatureSale { items } => NewOrder::NomenclatureSale {
                quantities: items.iter().map(|i| i.quantity).collect(),
            },
        }
    }
}
