//! Money on orders: «Провести оплату» by a manager, payments the gateway
//! reports, and refunds the provider completes.

use chrono::{DateTime, Utc};
use orderdesk_domain::{decide, Action, Actor, Effect, Money, OrderNumber, Status};

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::commands::{begin, decide_for, finish, Change};
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts;
use crate::state::AppState;
use crate::storage::{self, NewPayment};

/// «Провести оплату»: a manager records money received on a partly paid order.
pub async fn record_payment(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
    amount: Money,
) -> Change {
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let effect = decide_for(&ctx, &Action::RecordPayment { amount }, caller)?;
    add_payment(&mut tx, &ctx, amount, "manual", state.now()).await?;
    finish(state, tx, &ctx, &effect, caller, ()).await
}

async fn add_payment(
    conn: &mut storage::Conn,
    ctx: &facts::OrderCtx,
    amount: Money,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    storage::insert_payment(
        conn,
        &NewPayment {
            order_id: ctx.row.id,
            kind: "payment",
            source,
            status: "completed",
            amount: amount.kopecks(),
            created_at: now,
            completes_at: None,
            completed_at: Some(now),
        },
    )
    .await?;
    let money = storage::MoneyColumns {
        paid: ctx.row.paid + amount.kopecks(),
        ..storage::MoneyColumns::of(&ctx.row)
    };
    storage::set_money(conn, ctx.row.id, &money).await?;
    Ok(())
}

/// What became of a gateway event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayOutcome {
    Applied,
    /// The same event was applied before; nothing changed.
    Repeated,
}

/// The gateway reports a payment. `event_id` makes a repeated delivery
/// harmless.
pub async fn gateway_payment(
    state: &AppState,
    number: OrderNumber,
    amount: Money,
    event_id: &str,
) -> Result<GatewayOutcome, ServiceError> {
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    if !storage::remember_webhook_event(&mut tx, event_id, now).await? {
        return Ok(GatewayOutcome::Repeated);
    }
    let ctx = facts::load(&mut tx, number).await?;
    let effect = decide(
        &ctx.facts,
        &Action::PaymentReceived { amount },
        Actor::System,
    )?;
    add_payment(&mut tx, &ctx, amount, "gateway", now).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, Actor::System, now).await?;
    commit(state, tx, notice).await?;
    Ok(GatewayOutcome::Applied)
}

/// The provider reports a refund done: the money counts as given back, and a
/// cancelled order with no other refund pending becomes «Отменен. Выполнен
/// возврат».
pub async fn complete_refund(
    state: &AppState,
    refund_id: i64,
    now: DateTime<Utc>,
) -> Result<GatewayOutcome, ServiceError> {
    let mut tx = state.storage().begin().await?;
    let Some(refund) = storage::payment(&mut tx, refund_id).await? else {
        return Err(ServiceError::not_found(
            format!("возврат {refund_id}"),
            format!("refund {refund_id}"),
        ));
    };
    if refund.kind != "refund" || refund.status != "pending" {
        return Ok(GatewayOutcome::Repeated);
    }
    let row = storage::order_by_id(&mut tx, refund.order_id)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("refund {refund_id} has no order")))?;
    let ctx = facts::load_row(&mut tx, row).await?;
    let others = storage::other_pending_refunds(&mut tx, ctx.row.id, refund.id).await?;
    let effect = if ctx.facts.status == Status::CancelledRefundPending && others == 0 {
        decide(&ctx.facts, &Action::CompleteRefund, Actor::System)?
    } else {
        Effect::none()
    };
    storage::complete_payment(&mut tx, refund.id, now).await?;
    let money = storage::MoneyColumns {
        refunded: ctx.row.refunded + refund.amount,
        refunding: (ctx.row.refunding - refund.amount).max(0),
        ..storage::MoneyColumns::of(&ctx.row)
    };
    storage::set_money(&mut tx, ctx.row.id, &money).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, Actor::System, now).await?;
    commit(state, tx, notice).await?;
    Ok(GatewayOutcome::Applied)
}
