//! The objects a request names (a meeting room, a resource or product of the
//! service, a company payer) looked up and checked, and the slot grid's
//! refusals, each as an error with a precise code.

use orderdesk_domain::{InputError, OrderKind, Payer, ResourceId, ServiceId, SlotError, UserId};
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
        Some(r) if r.service_id == service_id.0 => Ok(r),
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
        Some(p) if p.service_id == service_id.0 => Ok(p),
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
