//! The objects a request names (a meeting room, a resource or product of the
//! service, a company payer) looked up and checked, and the slot grid's
//! refusals, each as an error with a precise code; and what the
//! administrator took off offer or outside a room's hours.

use orderdesk_domain::{
    within_opening_hours, InputError, OrderKind, Payer, ResourceId, ServiceId, Slot, SlotError,
    SlotRange, UserId,
};
use orderdesk_protocol::ErrorCode;

use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::storage::{self, Conn, ProductRow, ResourceRow};

/// A slot list the grid refuses, with the domain's code and message.
pub fn slot_error(e: SlotError) -> ServiceError {
    ServiceError::input(&InputError::from(e))
}

/// A meeting room by id, or invalid when the id names anything else.
pub async fn meeting_room(conn: &mut Conn, id: ResourceId) -> Result<ResourceRow, ServiceError> {
    let unknown = || {
        ServiceError::invalid(
            ErrorCode::UnknownResource,
            "Нет такой переговорной.",
            "No such meeting room.",
        )
    };
    let resource = storage::resource(conn, id.0).await?.ok_or_else(unknown)?;
    let service = storage::service(conn, resource.service_id)
        .await?
        .ok_or_else(unknown)?;
    if parse_kind(&service.kind)? != OrderKind::Booking {
        return Err(unknown());
    }
    Ok(resource)
}

/// A resource of the service, or invalid.
pub async fn resource_of(
    conn: &mut Conn,
    id: ResourceId,
    service_id: ServiceId,
) -> Result<ResourceRow, ServiceError> {
    match storage::resource(conn, id.0).await? {
        Some(r) if r.service_id == service_id.0 => {
            ensure_offered(conn, Offer::Object, r.id).await?;
            Ok(r)
        }
        _ => Err(ServiceError::invalid(
            ErrorCode::UnknownResource,
            "Нет такого объекта у этой услуги.",
            "No such object in this service.",
        )),
    }
}

/// A product of the service, or invalid with `unknown` as the text.
pub async fn product_of(
    conn: &mut Conn,
    id: i64,
    service_id: ServiceId,
    unknown: (&str, &str),
) -> Result<ProductRow, ServiceError> {
    match storage::product(conn, id).await? {
        Some(p) if p.service_id == service_id.0 => {
            ensure_offered(conn, Offer::Product, p.id).await?;
            Ok(p)
        }
        _ => Err(ServiceError::invalid(
            ErrorCode::UnknownProduct,
            unknown.0,
            unknown.1,
        )),
    }
}

/// A company account that can pay, or invalid.
pub async fn company_payer(conn: &mut Conn, id: UserId) -> Result<Payer, ServiceError> {
    match storage::user_by_id(conn, id.0).await? {
        Some(user) if user.company.is_some() => Ok(Payer::Company { payer_id: id }),
        _ => Err(ServiceError::invalid(
            ErrorCode::UnknownPayer,
            "Плательщик не найден среди компаний.",
            "No such company payer.",
        )),
    }
}

/// What an administrator can take off offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Service,
    Object,
    Product,
}

/// Refuses a new order of a deactivated service or object, or with a good
/// off sale; the orders made before go on.
pub async fn ensure_offered(conn: &mut Conn, what: Offer, id: i64) -> Result<(), ServiceError> {
    let table = match what {
        Offer::Service => "services",
        Offer::Object => "resources",
        Offer::Product => "products",
    };
    if storage::offered(conn, table, id).await? == Some(false) {
        let (ru, en) = match what {
            Offer::Service => (
                "Услуга больше не принимает заказы.",
                "The service takes no new orders.",
            ),
            Offer::Object => (
                "Объект больше не принимает заказы.",
                "The object takes no new orders.",
            ),
            Offer::Product => ("Товар снят с продажи.", "The good is off sale."),
        };
        return Err(ServiceError::invalid(ErrorCode::Inactive, ru, en));
    }
    Ok(())
}

/// A meeting room's opening hours as slots; `None`: all day.
pub async fn opening_hours(
    conn: &mut Conn,
    resource_id: i64,
) -> Result<Option<(Slot, Slot)>, ServiceError> {
    let slot = |index: i64| u8::try_from(index).ok().and_then(Slot::from_index);
    Ok(storage::opening_slots(conn, resource_id)
        .await?
        .and_then(|(first, last)| slot(first).zip(slot(last))))
}

/// Refuses slots outside a meeting room's opening hours.
pub async fn ensure_within_hours(
    conn: &mut Conn,
    resource_id: i64,
    range: SlotRange,
) -> Result<(), ServiceError> {
    let hours = opening_hours(conn, resource_id).await?;
    if range.slots().all(|slot| within_opening_hours(hours, slot)) {
        return Ok(());
    }
    let (first, last) = hours
        .map(|(f, l)| (f.to_string(), l.to_string()))
        .unwrap_or_default();
    Err(ServiceError::invalid(
        ErrorCode::SlotOutsideHours,
        &format!("Переговорная работает с {first} до {last} (начало последнего слота)."),
        &format!("The room takes bookings from {first} to {last} (start of the last slot)."),
    ))
}
