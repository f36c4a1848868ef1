//! Services: name, kind, «время автозакрытия», the default first-response
//! and completion times, the responsible managers (only those whose role
//! covers the kind), deactivation, and deletes that strand no order.
//!
//! A change of the responsible list goes through `service_responsible`,
//! whose triggers log a change of every order of the service (so pulls
//! re-send them or send tombstones) and record who lost sight of them. A
//! new auto-close time applies to the orders already waiting, counted from
//! when they started waiting; the clock is woken to look again.

use orderdesk_domain::{
    validate_minutes, validate_name, validate_responsible, OrderKind, Role, ServiceId, UserId,
};
use orderdesk_protocol::{
    AdminService, AdminServiceList, AuditObject, ErrorCode, ServiceRequest, ServiceUpdateRequest,
};
use std::collections::HashMap;

use crate::admin::audit::{self, Change};
use crate::admin::{delete_refusal, input, open_and_total, require_admin, stale, unknown};
use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::state::AppState;
use crate::storage::{self, AdminServiceRow, Conn};

fn view(
    row: &AdminServiceRow,
    responsible: Vec<UserId>,
    open: u64,
) -> Result<AdminService, ServiceError> {
    Ok(AdminService {
        id: ServiceId(row.id),
        name: row.name.clone(),
        kind: parse_kind(&row.kind)?,
        auto_close_minutes: row.auto_close_minutes,
        first_response_minutes: row.first_response_minutes,
        completion_minutes: row.completion_minutes,
        responsible,
        active: row.active,
        open_orders: open,
        version: row.version,
    })
}

/// The service as it stands now.
pub async fn load(conn: &mut Conn, id: i64) -> Result<AdminService, ServiceError> {
    let row = storage::admin_service(conn, id)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("услуга {id}"), format!("service {id}")))?;
    let responsible = storage::responsible_of(conn, id)
        .await?
        .into_iter()
        .map(UserId)
        .collect();
    let (open, _) = open_and_total(&storage::order_statuses_of(conn, "service", id).await?);
    view(&row, responsible, open)
}

pub async fn list(state: &AppState, caller: &Caller) -> Result<AdminServiceList, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    let mut responsible: HashMap<i64, Vec<UserId>> = HashMap::new();
    for (service, user) in storage::all_responsible(&mut conn).await? {
        responsible.entry(service).or_default().push(UserId(user));
    }
    let mut statuses: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for (service, status, count) in storage::order_statuses_by_service(&mut conn).await? {
        statuses.entry(service).or_default().push((status, count));
    }
    let mut items = Vec::new();
    for row in storage::admin_services(&mut conn).await? {
        let (open, _) = open_and_total(statuses.get(&row.id).map_or(&[][..], Vec::as_slice));
        items.push(view(
            &row,
            responsible.remove(&row.id).unwrap_or_default(),
            open,
        )?);
    }
    Ok(AdminServiceList { items })
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> Result<AdminService, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    load(&mut conn, id).await
}

/// The fields both a creation and an update carry.
pub struct ServiceFields<'a> {
    pub name: &'a str,
    pub kind: OrderKind,
    pub auto_close_minutes: i64,
    pub first_response_minutes: Option<i64>,
    pub completion_minutes: Option<i64>,
    pub responsible: &'a [UserId],
    pub active: bool,
}

/// The row to save, with every limit checked.
fn checked_row(
    f: &ServiceFields<'_>,
    id: i64,
    version: i64,
) -> Result<AdminServiceRow, ServiceError> {
    let optional = |m: Option<i64>| m.map(validate_minutes).transpose().map_err(input);
    Ok(AdminServiceRow {
        id,
        name: validate_name(f.name).map_err(input)?.to_owned(),
        kind: f.kind.id().to_owned(),
        auto_close_minutes: validate_minutes(f.auto_close_minutes).map_err(input)?,
        first_response_minutes: optional(f.first_response_minutes)?,
        completion_minutes: optional(f.completion_minutes)?,
        active: f.active,
        version,
    })
}

/// Makes the responsible list exactly `wanted`, touching only the
/// differences so that the triggers resync only what changed.
pub async fn set_responsible(
    conn: &mut Conn,
    service_id: i64,
    kind: OrderKind,
    wanted: &[UserId],
) -> Result<(), ServiceError> {
    for user in wanted {
        let row = storage::admin_user(conn, user.0).await?.ok_or_else(|| {
            unknown(
                ErrorCode::UnknownUser,
                &format!("Нет пользователя {user}."),
                &format!("No user {user}."),
            )
        })?;
        let role = Role::parse(&row.role).unwrap_or(Role::Requester);
        validate_responsible(role, kind).map_err(input)?;
    }
    let current = storage::responsible_of(conn, service_id).await?;
    for user in &current {
        if !wanted.iter().any(|w| w.0 == *user) {
            storage::delete_responsible(conn, service_id, *user).await?;
        }
    }
    for user in wanted {
        if !current.contains(&user.0) {
            storage::add_responsible(conn, service_id, user.0).await?;
        }
    }
    Ok(())
}

/// Creates a service; `actor` is `None` for the command line.
pub async fn create_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    f: &ServiceFields<'_>,
) -> Result<AdminService, ServiceError> {
    let row = checked_row(f, 0, 1)?;
    let id = storage::save_service(conn, &row)
        .await?
        .ok_or_else(|| ServiceError::internal("a new service was not saved"))?;
    set_responsible(conn, id, f.kind, f.responsible).await?;
    let after = load(conn, id).await?;
    let change = Change::<AdminService, _> {
        at: state.now(),
        actor,
        object: AuditObject::Service,
        object_id: id,
        action: "create",
        before: None,
        after: Some(&after),
    };
    audit::record(conn, change).await?;
    Ok(after)
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    req: &ServiceRequest,
) -> Result<AdminService, ServiceError> {
    require_admin(caller)?;
    let f = ServiceFields {
        name: &req.name,
        kind: req.kind,
        auto_close_minutes: req.auto_close_minutes,
        first_response_minutes: req.first_response_minutes,
        completion_minutes: req.completion_minutes,
        responsible: &req.responsible,
        active: req.active,
    };
    let mut tx = state.storage().begin().await?;
    let after = create_in(&mut tx, state, Some(caller.id), &f).await?;
    tx.commit().await?;
    Ok(after)
}

/// Updates a service at `version`; `actor` is `None` for the command line.
pub async fn update_in(
    conn: &mut Conn,
    state: &AppState,
    actor: Option<UserId>,
    id: i64,
    version: i64,
    f: &ServiceFields<'_>,
) -> Result<AdminService, ServiceError> {
    let row = checked_row(f, id, version)?;
    let before = load(conn, id).await?;
    if before.version != version {
        return Err(stale(Some(before.version)));
    }
    let (_, total) = open_and_total(&storage::order_statuses_of(conn, "service", id).await?);
    if before.kind != f.kind && total > 0 {
        return Err(ServiceError::conflict(
            ErrorCode::KindInUse,
            "У услуги уже есть заказы: её вид изменить нельзя. Создайте новую услугу.",
            "The service has orders: its kind cannot change. Create a new service.",
        ));
    }
    if storage::save_service(conn, &row).await?.is_none() {
        return Err(stale(None));
    }
    set_responsible(conn, id, f.kind, f.responsible).await?;
    let after = load(conn, id).await?;
    let change = Change {
        at: state.now(),
        actor,
        object: AuditObject::Service,
        object_id: id,
        action: "update",
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(conn, change).await?;
    Ok(after)
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &ServiceUpdateRequest,
) -> Result<AdminService, ServiceError> {
    require_admin(caller)?;
    let f = ServiceFields {
        name: &req.name,
        kind: req.kind,
        auto_close_minutes: req.auto_close_minutes,
        first_response_minutes: req.first_response_minutes,
        completion_minutes: req.completion_minutes,
        responsible: &req.responsible,
        active: req.active,
    };
    let mut tx = state.storage().begin().await?;
    let after = update_in(&mut tx, state, Some(caller.id), id, req.version, &f).await?;
    tx.commit().await?;
    // Orders already waiting may fall due earlier now.
    state.wake_clock();
    Ok(after)
}

/// Deletes a service no order refers to, with its objects and goods.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    id: i64,
    version: i64,
) -> Result<(), ServiceError> {
    require_admin(caller)?;
    let mut tx = state.storage().begin().await?;
    let before = load(&mut tx, id).await?;
    if before.version != version {
        return Err(stale(Some(before.version)));
    }
    if let Some(refusal) =
        delete_refusal(&storage::order_statuses_of(&mut tx, "service", id).await?)
    {
        return Err(refusal);
    }
    if !storage::delete_record(&mut tx, "service", id, version).await? {
        return Err(stale(None));
    }
    let change = Change::<_, AdminService> {
        at: state.now(),
        actor: Some(caller.id),
        object: AuditObject::Service,
        object_id: id,
        action: "delete",
        before: Some(&before),
        after: None,
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}
