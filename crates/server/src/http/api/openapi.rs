//! `GET /api/v1/openapi.json`: the OpenAPI document, generated from the
//! handlers' annotations and the protocol's schemas.
//!
//! The answers every handler shares because they come from the extractors
//! and layers it goes through (401 of the bearer token, 400/413/415/422 of a
//! JSON body, 404 of a path parameter, 422 of a query, 409/422 of an
//! `Idempotency-Key`, where the call takes one) are added to each operation by [`CommonAnswers`], so
//! the document lists them exactly where the machinery applies; each
//! handler's annotation lists the answers of its own rules.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::http::api::{
    actions, admin, auth, booking, catalog, events, messages, orders, payments, push, replies, sync,
};
use crate::http::health;
use crate::http::idempotency::KeyHeaderDoc;
use crate::state::AppState;
use orderdesk_protocol::IDEMPOTENCY_KEY_HEADER;

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

/// Adds to each operation the error answers of the machinery it uses.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_answers(operation);
            }
        }
    }
}

fn add_common_answers(op: &mut Operation) {
    let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_param = |place: ParameterIn| {
        op.parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == place)
    };
    let (in_path, in_query) = (has_param(ParameterIn::Path), has_param(ParameterIn::Query));
    let keyed = op
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Header && p.name == IDEMPOTENCY_KEY_HEADER);
    let body = op.request_body.is_some();
    let probe = op.tags.iter().flatten().any(|tag| tag == "operation");
    let mut add = |status: &str, codes: &str| {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_answer(codes));
    };
    // The probes are answered before set-up (`http::health`).
    if !probe {
        add(
            "503",
            "`setup_required`: no administrator exists yet; create one with `orderdesk-server admin create`",
        );
    }
    if signed_in {
        add(
            "401",
            "`unauthorized`: no bearer token, or an unknown or expired one",
        );
    }
    if in_path {
        add(
            "404",
            "`not_found`: no such object, or a path parameter of the wrong type",
        );
    }
    if body {
        add(
            "400",
            "`malformed_json`, `unreadable_body`: the body is not JSON",
        );
        add("413", "`body_too_large`");
        add(
            "415",
            "`unsupported_media_type`: a body that is not application/json",
        );
        add("422", "`invalid_body`: JSON of the wrong shape");
    }
    if in_query {
        add(
            "422",
            "`invalid_query`: a parameter of the wrong type or out of range",
        );
    }
    if keyed {
        add(
            "409",
            "`idempotency_in_progress`: a request with this Idempotency-Key is still running",
        );
        add("422", "`invalid_idempotency_key`, `idempotency_key_reused`");
    }
}

fn error_answer(codes: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(codes)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Обращения и заказы — orders API", version = "1"),
    // The key header first: the common answers follow where it is taken.
    modifiers(&BearerAuth, &KeyHeaderDoc, &CommonAnswers),
    paths(
        auth::login, auth::logout, auth::show_me,
        orders::list_orders, orders::show_order, orders::create_order,
        actions::assign_executor, actions::change_status, actions::change_deadlines, actions::confirm,
        actions::return_to_work, actions::cancel, actions::record_payment, actions::collect_line,
        actions::take_in_work, actions::undo_collection,
        replies::show_replies, replies::set_replies,
        booking::edit_booking, booking::show_availability,
        messages::list_messages, messages::post_message,
        catalog::show_catalog, catalog::list_notifications,
        payments::receive_webhook, payments::show_payment_link, payments::sandbox_pay,
        sync::pull, sync::push, events::stream_events,
        push::show_push_key, push::subscribe_push, push::unsubscribe_push,
        admin::list_users, admin::create_user, admin::show_user, admin::update_user,
        admin::block_user, admin::unblock_user, admin::reset_password, admin::list_payers,
        admin::list_services, admin::create_service, admin::show_service, admin::update_service,
        admin::delete_service, admin::list_objects, admin::create_object, admin::show_object,
        admin::update_object, admin::delete_object, admin::list_products, admin::create_product,
        admin::show_product, admin::update_product, admin::delete_product, admin::list_audit,
        openapi_json, health::healthz, health::readyz,
    ),
    components(schemas(
        orderdesk_protocol::MutationOp, orderdesk_protocol::Mutation,
        orderdesk_protocol::PushRequest, orderdesk_protocol::PushResponse,
        orderdesk_protocol::PullResponse, orderdesk_protocol::MutationResult,
        orderdesk_protocol::ServerEvent, orderdesk_protocol::SyncedMessage,
        orderdesk_protocol::Tombstone, orderdesk_protocol::PushMessage, health::HealthStatus,
    )),
    tags(
        (name = "auth", description = "Signing in, tokens, the current user"),
        (name = "orders", description = "The orders list, the order card, creating orders"),
        (name = "actions", description = "Processing an order"),
        (name = "booking", description = "Meeting-room slots"),
        (name = "chat", description = "Public and internal messages"),
        (name = "catalog", description = "Services, objects, goods; notifications"),
        (name = "payments", description = "Payment links, the sandbox and the provider webhook"),
        (name = "admin", description = "Administration of services"),
        (name = "sync", description = "Offline sync: pull changes, push the outbox, live events"),
        (name = "push", description = "Web Push: the server's key and the browsers' subscriptions"),
        (name = "admin", description = "Setting up the organisation: users, services, objects, goods, the audit (administrator only)"),
        (name = "operation", description = "Probes for operators and load balancers, outside /api/v1, answered before set-up and without a token"),
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
