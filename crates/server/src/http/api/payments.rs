//! The payment provider's endpoints: the signed webhook a real gateway
//! calls, and the sandbox's payment page behind each payment link.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use orderdesk_domain::{Lang, Money, OrderNumber};
use orderdesk_protocol::{
    ErrorBody, ErrorCode, PaymentLink, SandboxPayRequest, WebhookEvent, WebhookEventKind,
    WEBHOOK_SIGNATURE_HEADER,
};
use rand::RngCore;

use crate::error::Text;
use crate::http::error::{pick, ApiError, InLang};
use crate::http::extract::{parse_json, ApiBytes, ApiJson, ApiPath, ReqLang};
use crate::orders::money::{complete_refund, gateway_payment};
use crate::payments::verify;
use crate::state::AppState;
use crate::storage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/payments/webhook", post(receive_webhook))
        .route(
            "/sandbox/pay/{token}",
            get(show_payment_link).post(sandbox_pay),
        )
}

#[utoipa::path(post, path = "/api/v1/payments/webhook", tag = "payments",
    request_body = WebhookEvent,
    params(("X-Orderdesk-Signature" = String, Header, description = "hex HMAC-SHA256 of the raw body")),
    responses((status = 204, description = "Applied, or a repeat of an applied event"),
        (status = 401, body = ErrorBody, description = "bad_signature"),
        (status = 404, body = ErrorBody, description = "No such order or refund"),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn receive_webhook(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<StatusCode, ApiError> {
    let signature = headers
        .get(WEBHOOK_SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !verify(&state.config().webhook_secret, &body, signature) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::BadSignature,
            pick(
                lang,
                "Подпись уведомления неверна.",
                "The webhook signature is wrong.",
            ),
        ));
    }
    let event: WebhookEvent = parse_json(&body, lang)?;
    match event.kind {
        WebhookEventKind::PaymentSucceeded => {
            gateway_payment(&state, event.order, event.amount, &event.event_id)
                .await
                .in_lang(lang)?;
        }
        WebhookEventKind::RefundSucceeded => {
            let refund = event.refund_id.ok_or_else(|| {
                ApiError::invalid(
                    ErrorCode::InvalidBody,
                    pick(lang, "Нужен refund_id.", "refund_id is required."),
                )
            })?;
            complete_refund(&state, refund, state.now())
                .await
                .in_lang(lang)?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn link(state: &AppState, token: &str, lang: Lang) -> Result<PaymentLink, ApiError> {
    let mut conn = state.storage().read().await?;
    let order = storage::order_by_payment_token(&mut conn, token)
        .await?
        .ok_or_else(|| ApiError::not_found(lang, Text::new("ссылка на оплату", "payment link")))?;
    Ok(PaymentLink {
        order: OrderNumber(order.number),
        url: state.payments().payment_url(token),
        amount: Money((order.total - order.paid).max(0)),
    })
}

#[utoipa::path(get, path = "/api/v1/sandbox/pay/{token}", tag = "payments",
    params(("token" = String, Path)),
    responses((status = 200, body = PaymentLink), (status = 404, body = ErrorBody)))]
pub async fn show_payment_link(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<PaymentLink>, ApiError> {
    Ok(Json(link(&state, &token, lang).await?))
}

/// The sandbox's card form: the card is always accepted, and the payment
/// reaches the order the way a provider's webhook would.
#[utoipa::path(post, path = "/api/v1/sandbox/pay/{token}", tag = "payments",
    params(("token" = String, Path)), request_body = SandboxPayRequest,
    responses((status = 200, body = PaymentLink, description = "What is left to pay"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sandbox_pay(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiPath(token): ApiPath<String>,
    ApiJson(req): ApiJson<SandboxPayRequest>,
) -> Result<Json<PaymentLink>, ApiError> {
    let before = link(&state, &token, lang).await?;
    let amount = req.amount.unwrap_or(before.amount);
    let mut id = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut id);
    let event_id = format!("sandbox-{}", hex::encode(id));
    gateway_payment(&state, before.order, amount, &event_id)
        .await
        .in_lang(lang)?;
    Ok(Json(link(&state, &token, lang).await?))
}
