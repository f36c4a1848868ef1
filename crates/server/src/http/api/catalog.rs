//! What can be ordered (what the administrator took off offer is left
//! out), and a user's notifications.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, FixedOffset};
use orderdesk_domain::{Money, OrderKind, OrderNumber, ResourceId, ServiceId};
use orderdesk_protocol::{Catalog, ErrorBody, ProductInfo, ResourceInfo, ServiceInfo};
use serde::Serialize;

use crate::http::error::{ApiError, InLang};
use crate::http::extract::AuthUser;
use crate::orders::facts::parse_kind;
use crate::state::AppState;
use crate::storage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(show_catalog))
        .route("/notifications", get(list_notifications))
}

#[utoipa::path(get, path = "/api/v1/catalog", tag = "catalog", security(("bearer" = [])),
    responses((status = 200, body = Catalog), (status = 401, body = ErrorBody)))]
pub async fn show_catalog(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Catalog>, ApiError> {
    let mut conn = state.storage().read().await?;
    // What the administrator took off offer takes no new orders: not listed.
    let withdrawn = storage::withdrawn(&mut conn).await?;
    let off = |what: &str, id: i64| withdrawn.iter().any(|(w, i)| w == what && *i == id);
    let services = storage::services(&mut conn)
        .await?
        .into_iter()
        .filter(|s| !off("service", s.id))
        .map(|s| {
            let kind: OrderKind = parse_kind(&s.kind).in_lang(user.lang)?;
            Ok(ServiceInfo {
                id: ServiceId(s.id),
                name: s.name,
                kind,
                auto_close_minutes: s.auto_close_minutes,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let resources = storage::resources(&mut conn)
        .await?
        .into_iter()
        .filter(|r| !off("object", r.id) && !off("service", r.service_id))
        .map(|r| ResourceInfo {
            id: ResourceId(r.id),
            service_id: ServiceId(r.service_id),
            name: r.name,
            tariff: r.tariff,
            unit_price: Money(r.unit_price),
            capacity: u32::try_from(r.capacity).unwrap_or(0),
        })
        .collect();
    let products = storage::products(&mut conn)
        .await?
        .into_iter()
        .filter(|p| !off("product", p.id) && !off("service", p.service_id))
        .map(|p| ProductInfo {
            id: p.id,
            service_id: ServiceId(p.service_id),
            name: p.name,
            price: Money(p.price),
        })
        .collect();
    Ok(Json(Catalog {
        services,
        resources,
        products,
    }))
}

/// One in-app notification.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    pub order: OrderNumber,
    /// `order_created`, `returned_to_work`, `awaiting_confirmation`…
    pub event: String,
    pub created_at: DateTime<FixedOffset>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "catalog", security(("bearer" = [])),
    responses((status = 200, body = [NotificationItem]), (status = 401, body = ErrorBody)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<NotificationItem>>, ApiError> {
    let mut conn = state.storage().read().await?;
    let rows = storage::notifications_of(&mut conn, user.id.0, 200).await?;
    let site = state.config().site_offset;
    Ok(Json(
        rows.into_iter()
            .map(|n| NotificationItem {
                id: n.id,
                order: OrderNumber(n.order_number),
                event: n.event,
                created_at: n.created_at.with_timezone(&site),
            })
            .collect(),
    ))
}
