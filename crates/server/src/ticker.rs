//! Work driven by the clock: auto-closing requests nobody confirmed, moving
//! bookings along their time (and letting go of unpaid ones whose time
//! came), and completing refunds the sandbox provider has finished.
//! [`tick`] does one round as of a given instant; tests call it directly.
//! The server ([`spawn_background`]) runs a round when the earliest due
//! moment comes, waking early when a change may have moved that moment,
//! and at least every `Config::tick_every` as a safety net.

use chrono::{DateTime, Utc};
use orderdesk_domain::{decide, Action, Actor, OrderNumber};
use std::time::Duration;
use tokio::sync::broadcast::{self, error::TryRecvError};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::error::ServiceError;
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts;
use crate::orders::money::{complete_refund, GatewayOutcome};
use crate::state::{AppState, ChangeNotice};
use crate::storage;

/// What one round did.
/// The advisory lock key of a clock round ("ORCK").
const CLOCK_TURN: i64 = 0x4f52_434b;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub auto_closed: u32,
    pub advanced: u32,
    pub refunds_completed: u32,
}

pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Result<TickReport, ServiceError> {
    let mut report = TickReport::default();
    // Instances sharing a database take turns: each order's effect is also
    // decided afresh in its own transaction, so even overlapping rounds
    // could not apply one twice, but one round at a time does no work twice.
    let Some(turn) = state.storage().try_exclusive(CLOCK_TURN).await? else {
        return Ok(report);
    };
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
    turn.end().await?;
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

/// Past the due moment a round waits this much more, so that the clock
/// has surely reached the moment when the round reads it.
const DUE_MARGIN: Duration = Duration::from_millis(10);

/// Starts the background tasks the configuration asks for.
pub fn spawn_background(state: AppState) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    if let Some(every) = state.config().tick_every {
        tasks.push(tokio::spawn(run_clock(state.clone(), every)));
    }
    if let Some(every) = state.config().push_every {
        tasks.push(tokio::spawn(run_push_sender(state.clone(), every)));
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

/// Sends Web Push after each change (a notice may have queued some) and at
/// least every `every`, for the pushes waiting to be tried again.
async fn run_push_sender(state: AppState, every: Duration) {
    let mut changes = state.subscribe();
    loop {
        match crate::push::deliver_outbox(&state).await {
            Ok(report) if report != crate::push::DeliveryReport::default() => {
                tracing::debug!(?report, "web push round done");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "web push delivery failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = changes.recv() => drain(&mut changes),
        }
    }
}

/// Runs a round whenever work falls due, and at least every `every`: work
/// the rules refused at its moment (a company's booking whose time came
/// before the manager confirmed it) may become possible by a change that
/// sets no new moment.
async fn run_clock(state: AppState, every: Duration) {
    let mut changes = state.subscribe();
    loop {
        let ran_at = state.now();
        run_round(&state, ran_at).await;
        let safety_net = Instant::now() + every;
        loop {
            let wake_at = match next_due(&state, ran_at).await {
                Some(due) => safety_net.min(Instant::now() + until(&state, due).min(every)),
                None => safety_net,
            };
            tokio::select! {
                () = tokio::time::sleep_until(wake_at) => break,
                // A change may set an earlier moment (a refund asked for, a
                // booking confirmed): look again, once per burst of changes.
                _ = changes.recv() => drain(&mut changes),
                // A service's auto-close time changed.
                () = state.clock_woken() => {},
            }
        }
    }
}

/// Skips the changes already waiting: one look covers them all.
fn drain(changes: &mut broadcast::Receiver<ChangeNotice>) {
    while !matches!(
        changes.try_recv(),
        Err(TryRecvError::Empty | TryRecvError::Closed)
    ) {}
}

async fn run_round(state: &AppState, now: DateTime<Utc>) {
    match tick(state, now).await {
        Ok(report) if report != TickReport::default() => {
            tracing::info!(?report, "clock-driven work done");
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "clock-driven work failed"),
    }
}

/// The earliest due moment after `after`; `None` when nothing waits or the
/// database cannot say (the safety net then runs the next round).
async fn next_due(state: &AppState, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let found = async {
        let mut conn = state.storage().read().await?;
        storage::next_due(&mut conn, after).await
    };
    match found.await {
        Ok(due) => due,
        Err(e) => {
            tracing::error!(error = %e, "the next due moment was not read");
            None
        }
    }
}

/// How long until `due` by the state's clock, with the margin.
fn until(state: &AppState, due: DateTime<Utc>) -> Duration {
    (due - state.now()).to_std().unwrap_or(Duration::ZERO) + DUE_MARGIN
}
