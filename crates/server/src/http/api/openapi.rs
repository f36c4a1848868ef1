//! `GET /api/v1/openapi.json`: the OpenAPI document, generated from the
//! handlers' annotations and the protocol's schemas.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::api::{actions, auth, booking, catalog, events, messages, orders, payments, sync};
use crate::http::idempotency::KeyHeaderDoc;
use crate::state::AppState;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Обращения и заказы — orders API", version = "1"),
    modifiers(&BearerAuth, &KeyHeaderDoc),
    paths(
        auth::login, auth::logout, auth::show_me,
        orders::list_orders, orders::show_order, orders::create_order,
        actions::assign_executor, actions::change_status, actions::change_deadlines, actions::confirm,
        actions::return_to_work, actions::cancel, actions::record_payment, actions::collect_line,
        booking::edit_booking, booking::show_availability,
        messages::list_messages, messages::post_message,
        catalog::show_catalog, catalog::list_notifications,
        payments::receive_webhook, payments::show_payment_link, payments::sandbox_pay,
        sync::pull, sync::push, events::stream_events,
        openapi_json,
    ),
    components(schemas(
        orderdesk_protocol::MutationOp, orderdesk_protocol::Mutation,
        orderdesk_protocol::PushRequest, orderdesk_protocol::PushResponse,
        orderdesk_protocol::PullResponse, orderdesk_protocol::MutationResult,
        orderdesk_protocol::ServerEvent, orderdesk_protocol::SyncedMessage,
        orderdesk_protocol::Tombstone,
    )),
    tags(
        (name = "auth", description = "Signing in, tokens, the current user"),
        (name = "orders", description = "The orders list, the order card, creating orders"),
        (name = "actions", description = "Processing an order"),
        (name = "booking", description = "Meeting-room slots"),
        (name = "chat", description = "Public and internal messages"),
        (name = "catalog", description = "Services, objects, goods; notifications"),
        (name = "payments", description = "Payment links, the sandbox and the provider webhook"),
        (name = "sync", description = "Offline sync: pull changes, push the outbox, live events"),
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "catalog",
    responses((status = 200, description = "This document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
