//! Bookable objects (meeting rooms with a price per slot and opening
//! hours, coworking desks and hotel rooms with their tariffs) and goods
//! (a shop's goods, a hotel's extras). A new price applies to new orders
//! only: an order keeps the price it was made at.

use orderdesk_domain::{
    validate_capacity, validate_name, validate_object_kind, validate_opening_hours,
    validate_optional_name, validate_price, validate_product_kind, Money, OrderKind, ResourceId,
    ServiceId, Slot, UserId,
};
use orderdesk_protocol::{
    AdminObject, AdminObjectList, AdminProduct, AdminProductList, AuditObject, ErrorCode,
    OpeningHours, ProductRequest, ProductUpdateRequest,
};
use serde::Serialize;
use std::collections::HashMap;

use crate::admin::audit::{self, Change};
use crate::admin::{delete_refusal, input, open_and_total, require_admin, stale, unknown};
use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::state::AppState;
use crate::storage::{self, AdminObjectRow, AdminProductRow, Conn};

fn slot_text(index: Option<i64>) -> Option<String> {
    let slot = Slot::from_index(u8::try_from(index?).ok()?)?;
    Some(slot.start_time().format("%H:%M").to_string())
}

fn object_view(row: &AdminObjectRow, open: u64) -> Result<AdminObject, ServiceError> {
    let hours = match (slot_text(row.first_slot), slot_text(row.last_slot)) {
        (Some(first_slot), Some(last_slot)) => Some(OpeningHours {
            first_slot,
            last_slot,
        }),
        _ => None,
    };
    Ok(AdminObject {
        id: ResourceId(row.id),
        service_id: ServiceId(row.service_id),
        kind: parse_kind(&row.kind)?,
        name: row.name.clone(),
        tariff: row.tariff.clone(),
        unit_price: Money(row.unit_price),
        capacity: u32::try_from(row.capacity).unwrap_or(0),
        hours,
        active: row.active,
        open_orders: open,
        version: row.version,
    })
}

fn product_view(row: &AdminProductRow) -> AdminProduct {
    AdminProduct {
        id: row.id,
        service_id: ServiceId(row.service_id),
        name: row.name.clone(),
        price: Money(row.price),
        on_sale: row.on_sale,
        version: row.version,
    }
}

pub async fn load_object(conn: &mut Conn, id: i64) -> Result<AdminObject, ServiceError> {
    let row = storage::admin_object(conn, id)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("объект {id}"), format!("object {id}")))?;
    let (open, _) = open_and_total(&storage::order_statuses_of(conn, "object", id).await?);
    object_view(&row, open)
}

pub async fn load_product(conn: &mut Conn, id: i64) -> Result<AdminProduct, ServiceError> {
    let row = storage::admin_product(conn, id)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("товар {id}"), format!("good {id}")))?;
    Ok(product_view(&row))
}

pub async fn list_objects(
    state: &AppState,
    caller: &Caller,
) -> Result<AdminObjectList, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    let mut statuses: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for (object, status, count) in storage::order_statuses_by_object(&mut conn).await? {
        statuses.entry(object).or_default().push((status, count));
    }
    let mut items = Vec::new();
    for row in storage::admin_objects(&mut conn).await? {
        let (open, _) = open_and_total(statuses.get(&row.id).map_or(&[][..], Vec::as_slice));
        items.push(object_view(&row, open)?);
    }
    Ok(AdminObjectList { items })
}

pub async fn get_object(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<AdminObject, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    load_object(&mut conn, id).await
}

pub async fn list_products(
    state: &AppState,
    caller: &Caller,
) -> Result<AdminProductList, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    let items = storage::admin_products(&mut conn)
        .await?
        .iter()
        .map(product_view)
        .collect();
    Ok(AdminProductList { items })
}

pub async fn get_product(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<AdminProduct, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    load_product(&mut conn, id).await
}

/// The kind of a service named in a body, or 422 `unknown_service`.
async fn service_kind(conn: &mut Conn, id: ServiceId) -> Result<OrderKind, ServiceError> {
    let service = storage::service(conn, id.0).await?.ok_or_else(|| {
        unknown(
            ErrorCode::UnknownService,
            "Нет такой услуги.",
            "No such service.",
        )
    })?;
    parse_kind(&service.kind)
}

/// An object's fields, as a creation and an update carry them.
pub struct ObjectFields<'a> {
    pub name: &'a str,
    pub tariff: Option<&'a str>,
    pub unit_price: Money,
    pub capacity: u32,
    pub hours: Option<&'a OpeningHours>,
    pub active: bool,
}

/// The row to save for an object of a service of `kind`, every limit checked.
fn checked_object(
    kind: OrderKind,
    service_id: ServiceId,
    f: &ObjectFields<'_>,
) -> Result<AdminObjectRow, ServiceError> {
    validate_object_kind(kind).map_err(input)?;
    let hours = f
        .hours
        .map(|h| validate_opening_hours(kind, &h.first_slot, &h.last_slot))
        .transpose()
        .map_err(input)?;
    Ok(AdminObjectRow {
        id: 0,
        service_id: service_id.0,
        kind: kind.id().to_owned(),
        name: validate_name(f.name).map_err(input)?.to_owned(),
        tariff: validate_optional_name(f.tariff)
            .map_err(input)?
            .map(str::to_owned),
        unit_price: validate_price(f.unit_price).map_err(input)?.kopecks(),
        capacity: i64::from(validate_capacity(kind, f.capacity).map_err(input)?),
        first_slot: hours.map(|(first, _)| i64::from(first.index())),
        last_slot: hours.map(|(_, last)| i64::from(last.index())),
        active: f.active,
        version: 1,
    })
}

/// Records a change of an object or a good.
async fn audited<B: Serialize, A: Serialize>(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    (object, object_id, action): (AuditObject, i64, &str),
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), ServiceError> {
    let change = Change {
        at: state.now(),
        actor,
        object,
        object_id,
        action,
        before,
        after,
    };
    audit::record(conn, change).await
}

/// Creates an object of a booking service; `actor` is `None` for the
/// command line.
pub async fn create_object_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    service_id: ServiceId,
    f: &ObjectFields<'_>,
) -> Result<AdminObject, ServiceError> {
    let kind = service_kind(conn, service_id).await?;
    let row = checked_object(kind, service_id, f)?;
    let id = storage::save_object(conn, &row)
        .await?
        .ok_or_else(|| ServiceError::internal("a new object was not saved"))?;
    let after = load_object(conn, id).await?;
    let what = (AuditObject::Object, id, "create");
    audited::<AdminObject, _>(conn, state, actor, what, None, Some(&after)).await?;
    Ok(after)
}

/// Updates an object at `version`; its service stays.
pub async fn update_object_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    (id, version): (i64, i64),
    f: &ObjectFields<'_>,
) -> Result<AdminObject, ServiceError> {
    let before = load_object(conn, id).await?;
    if before.version != version {
        return Err(stale(Some(before.version)));
    }
    let mut row = checked_object(before.kind, before.service_id, f)?;
    row.id = id;
    row.version = version;
    if storage::save_object(conn, &row).await?.is_none() {
        return Err(stale(None));
    }
    let after = load_object(conn, id).await?;
    let what = (AuditObject::Object, id, "update");
    audited(conn, state, actor, what, Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Creates a good of a shop or an extra of a hotel.
pub async fn create_product_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    req: &ProductRequest,
) -> Result<AdminProduct, ServiceError> {
    let kind = service_kind(conn, req.service_id).await?;
    validate_product_kind(kind).map_err(input)?;
    let row = AdminProductRow {
        id: 0,
        service_id: req.service_id.0,
        name: validate_name(&req.name).map_err(input)?.to_owned(),
        price: validate_price(req.price).map_err(input)?.kopecks(),
        on_sale: req.on_sale,
        version: 1,
    };
    let id = storage::save_product(conn, &row)
        .await?
        .ok_or_else(|| ServiceError::internal("a new good was not saved"))?;
    let after = load_product(conn, id).await?;
    let what = (AuditObject::Product, id, "create");
    audited::<AdminProduct, _>(conn, state, actor, what, None, Some(&after)).await?;
    Ok(after)
}

/// Updates a good at `version`; its service stays.
pub async fn update_product_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    id: i64,
    req: &ProductUpdateRequest,
) -> Result<AdminProduct, ServiceError> {
    let before = load_product(conn, id).await?;
    if before.version != req.version {
        return Err(stale(Some(before.version)));
    }
    let row = AdminProductRow {
        id,
        service_id: before.service_id.0,
        name: validate_name(&req.name).map_err(input)?.to_owned(),
        price: validate_price(req.price).map_err(input)?.kopecks(),
        on_sale: req.on_sale,
        version: req.version,
    };
    if storage::save_product(conn, &row).await?.is_none() {
        return Err(stale(None));
    }
    let after = load_product(conn, id).await?;
    let what = (AuditObject::Product, id, "update");
    audited(conn, state, actor, what, Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Deletes an object (`"object"`) or a good (`"product"`) no order refers to.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    object: AuditObject,
    id: i64,
    version: i64,
) -> Result<(), ServiceError> {
    require_admin(caller)?;
    let mut tx = state.storage().begin().await?;
    let (current, before) = match object {
        AuditObject::Object => {
            let o = load_object(&mut tx, id).await?;
            (o.version, serde_json::to_value(&o))
        }
        _ => {
            let p = load_product(&mut tx, id).await?;
            (p.version, serde_json::to_value(&p))
        }
    };
    let before = before.map_err(|e| ServiceError::fault("reading a record", e))?;
    if current != version {
        return Err(stale(Some(current)));
    }
    let statuses = storage::order_statuses_of(&mut tx, object.id(), id).await?;
    if let Some(refusal) = delete_refusal(&statuses) {
        return Err(refusal);
    }
    if !storage::delete_record(&mut tx, object.id(), id, version).await? {
        return Err(stale(None));
    }
    let what = (object, id, "delete");
    audited::<_, AdminProduct>(&mut tx, state, Some(caller.id), what, Some(&before), None).await?;
    tx.commit().await?;
    Ok(())
}

/// `POST /admin/objects`.
pub async fn create_object(
    state: &AppState,
    caller: &Caller,
    req: &orderdesk_protocol::ObjectRequest,
) -> Result<AdminObject, ServiceError> {
    require_admin(caller)?;
    let f = ObjectFields {
        name: &req.name,
        tariff: req.tariff.as_deref(),
        unit_price: req.unit_price,
        capacity: req.capacity,
        hours: req.hours.as_ref(),
        active: req.active,
    };
    let mut tx = state.storage().begin().await?;
    let after = create_object_in(&mut tx, state, Some(caller.id), req.service_id, &f).await?;
    tx.commit().await?;
    Ok(after)
}

/// `PUT /admin/objects/{id}`.
pub async fn update_object(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &orderdesk_protocol::ObjectUpdateRequest,
) -> Result<AdminObject, ServiceError> {
    require_admin(caller)?;
    let f = ObjectFields {
        name: &req.name,
        tariff: req.tariff.as_deref(),
        unit_price: req.unit_price,
        capacity: req.capacity,
        hours: req.hours.as_ref(),
        active: req.active,
    };
    let mut tx = state.storage().begin().await?;
    let after = update_object_in(&mut tx, state, Some(caller.id), (id, req.version), &f).await?;
    tx.commit().await?;
    Ok(after)
}

/// `POST /admin/products`.
pub async fn create_product(
    state: &AppState,
    caller: &Caller,
    req: &ProductRequest,
) -> Result<AdminProduct, ServiceError> {
    require_admin(caller)?;
    let mut tx = state.storage().begin().await?;
    let after = create_product_in(&mut tx, state, Some(caller.id), req).await?;
    tx.commit().await?;
    Ok(after)
}

/// `PUT /admin/products/{id}`.
pub async fn update_product(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &ProductUpdateRequest,
) -> Result<AdminProduct, ServiceError> {
    require_admin(caller)?;
    let mut tx = state.storage().begin().await?;
    let after = update_product_in(&mut tx, state, Some(caller.id), id, req).await?;
    tx.commit().await?;
    Ok(after)
}
