//! Work driven by the clock: auto-closing requests nobody confirmed, moving
//! bookings along their time (and letting go of unpaid ones whose time
//! came), and completing refunds the sandbox provider has finished.
//! [`tick`] does one round as of a given instant; tests call it directly,
//! the server runs it on an interval ([`spawn_background`]).

use chrono::{DateTime, Utc};
use orderdesk_domain::{decide, Action, Actor, OrderNumber};
use tokio::task::JoinHandle;

use crate::error::ServiceError;
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts;
use crate::orders::money::{complete_refund, GatewayOutcome};
use crate::state::AppState;
use crate::storage;

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub auto_closed: u32,
    pub advanced: u32,
    pub refunds_completed: u32,
}

pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Result<TickReport, ServiceError> {
    let mut report = TickReport::default();
    let (awaiting, in_play, refunds) = {
        let mut conn = state.storage().read().await?;
        (
            storage::orders_in_statuses(&mut conn, &["awaiting_confirmation"], None).await?,
            // `new` too: an unpaid booking whose time came is let go.
            storage::orders_in_statuses(&mut conn, &["new", "confirmed", "active"], Some(now))
                .await?,
            storage::refunds_due(&mut conn, now).await?,
        )
    };
    for number in awaiting {
        if system_action(state, OrderNumber(number), &Action::AutoClose { now }, now).await? {
            report.auto_closed += 1;
        }
    }
    for number in in_play {
        if system_action(
            state,
            OrderNumber(number),
            &Action::AdvanceByClock { now },
            now,
        )
        .await?
        {
            report.advanced += 1;
        }
    }
    for refund in refunds {
        if complete_refund(state, refund.id, now).await? == GatewayOutcome::Applied {
            report.refunds_completed += 1;
        }
    }
    Ok(report)
}

/// Offers an action to the rules as the system; `false` when they refuse
/// (not due yet, already moved on).
async fn system_action(
    state: &AppState,
    number: OrderNumber,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let mut tx = state.storage().begin().await?;
    let ctx = facts::load(&mut tx, number).await?;
    let Ok(effect) = decide(&ctx.facts, action, Actor::System) else {
        return Ok(false);
    };
    let notice = apply_effect(&mut tx, state, &ctx, &effect, Actor::System, now).await?;
    commit(state, tx, notice).await?;
    Ok(true)
}

/// Starts the interval tasks the configuration asks for.
pub fn spawn_background(state: AppState) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    if let Some(every) = state.config().tick_every {
        let state = state.clone();
        tasks.push(tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            loop {
                interval.tick().await;
                match tick(&state, state.now()).await {
                    Ok(report) if report != TickReport::default() => {
                        tracing::info!(?report, "clock-driven work done");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "clock-driven work failed"),
                }
            }
        }));
    }
    if state.config().smtp.is_some() {
        tasks.push(tokio::spawn(async move {
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(10));
            loop {
                interval.tick().await;
                if let Err(e) = crate::mail::deliver_outbox(&state).await {
                    tracing::error!(error = %e, "e-mail delivery failed");
                }
            }
        }));
    }
    tasks
}
