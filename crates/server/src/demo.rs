//! The demo of SPEC §7: the accounts (password `demo`), the objects with the
//! source's prices, the request services, a shop — all read from the
//! checked-in organisation file `assets/demo-organisation.toml` — and
//! several hundred orders of every kind and status around today. Built
//! from a fixed seed, so the same clock gives the same data and tests can
//! rely on it.

mod orders;
mod write;

use orderdesk_domain::OrderKind;
use std::collections::HashMap;

use crate::admin::organisation;
use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::passwords::hash_password;
use crate::state::AppState;
use crate::storage::{self, Conn, ResourceRow};

/// The demo password of every account.
pub const DEMO_PASSWORD: &str = "demo";

/// How many orders the demo creates.
pub const DEMO_ORDERS: usize = 360;

/// Ids of what the catalog part created, for the order generator.
#[derive(Debug, Clone, Default)]
pub struct DemoIds {
    pub admin: i64,
    pub service: i64,
    pub service2: i64,
    pub rental: i64,
    pub shop: i64,
    pub resident: i64,
    pub company: i64,
    /// Request services: (id, kind, name).
    pub requests: Vec<(i64, &'static str, &'static str)>,
    pub rooms_service: i64,
    pub rooms: Vec<ResourceRow>,
    pub coworking_service: i64,
    pub coworking: ResourceRow,
    pub hotel_service: i64,
    pub hotel: ResourceRow,
    /// (id, name, price)
    pub extras: Vec<(i64, &'static str, i64)>,
    pub shop_service: i64,
    pub goods: Vec<(i64, &'static str, i64)>,
}

/// Fills an empty database; `false` when there are users already.
pub async fn seed(state: &AppState) -> Result<bool, ServiceError> {
    let cost = state.config().password_cost;
    let mut tx = state.storage().begin().await?;
    if storage::count_users(&mut tx).await? > 0 {
        return Ok(false);
    }
    let password = tokio::task::spawn_blocking(move || hash_password(DEMO_PASSWORD, cost))
        .await
        .map_err(|e| ServiceError::fault("hashing the demo password", e))??;
    let ids = catalog(&mut tx, state, &password).await?;
    orders::generate(&mut tx, state, &ids).await?;
    storage::renumber_by_creation(&mut tx, orders::FIRST_NUMBER).await?;
    tx.commit().await?;
    Ok(true)
}

/// The demo's catalogue (accounts, services, responsible lists, objects,
/// extras and goods) as an organisation file.
pub const ORGANISATION: &str = include_str!("../assets/demo-organisation.toml");

/// The generator takes names as `&'static str`: the demo is built once per
/// process, so the few names read from the file are kept for its life.
fn keep(name: &str) -> &'static str {
    Box::leak(name.to_owned().into_boxed_str())
}

/// Loads the organisation file, every account with `password_hash`, and
/// reads back the ids the order generator needs.
async fn catalog(
    conn: &mut Conn,
    state: &AppState,
    password_hash: &str,
) -> Result<DemoIds, ServiceError> {
    let org = organisation::parse(ORGANISATION)
        .map_err(|e| ServiceError::internal(format!("the demo organisation: {e}")))?;
    organisation::import_in(conn, state, &org, Some(password_hash)).await?;
    let mut login = HashMap::new();
    for user in storage::admin_users(conn).await? {
        login.insert(user.login, user.id);
    }
    let id_of = |name: &str| {
        login
            .get(name)
            .copied()
            .ok_or_else(|| ServiceError::internal(format!("the demo has no account {name}")))
    };
    let mut ids = DemoIds {
        admin: id_of("admin")?,
        service: id_of("service")?,
        service2: id_of("service2")?,
        rental: id_of("rental")?,
        shop: id_of("shop")?,
        resident: id_of("resident")?,
        company: id_of("company")?,
        ..DemoIds::default()
    };
    services(conn, &mut ids).await?;
    objects_and_goods(conn, &mut ids).await?;
    Ok(ids)
}

/// The services by kind: every request service, one of each booking kind,
/// the shop.
async fn services(conn: &mut Conn, ids: &mut DemoIds) -> Result<(), ServiceError> {
    for service in storage::services(conn).await? {
        match parse_kind(&service.kind)? {
            OrderKind::SimpleRequest | OrderKind::PremisesRequest => {
                let kind = parse_kind(&service.kind)?.id();
                ids.requests.push((service.id, kind, keep(&service.name)));
            }
            OrderKind::Booking => ids.rooms_service = service.id,
            OrderKind::CoworkingBooking => ids.coworking_service = service.id,
            OrderKind::HotelBooking => ids.hotel_service = service.id,
            OrderKind::NomenclatureSale => ids.shop_service = service.id,
        }
    }
    Ok(())
}

/// The objects of each booking service, the hotel's extras, the goods.
async fn objects_and_goods(conn: &mut Conn, ids: &mut DemoIds) -> Result<(), ServiceError> {
    for resource in storage::resources(conn).await? {
        if resource.service_id == ids.rooms_service {
            ids.rooms.push(resource);
        } else if resource.service_id == ids.coworking_service {
            ids.coworking = resource;
        } else if resource.service_id == ids.hotel_service {
            ids.hotel = resource;
        }
    }
    for product in storage::products(conn).await? {
        let entry = (product.id, keep(&product.name), product.price);
        if product.service_id == ids.hotel_service {
            ids.extras.push(entry);
        } else if product.service_id == ids.shop_service {
            ids.goods.push(entry);
        }
    }
    Ok(())
}
