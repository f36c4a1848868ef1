//! Manager and requester actions on an existing order: each loads the order
//! in a writing transaction, checks the base version, asks `decide`, makes
//! the action's own writes and applies the effect. The change comes back
//! [`Staged`]: the caller adds what must commit with it, then commits.

use chrono::{DateTime, FixedOffset, Utc};
use orderdesk_domain::{
    decide, may_view, validate_message, Action, Effect, LineNo, LineOutcome, OrderNumber, Status,
    SystemNote, UserId, Visibility,
};
use orderdesk_protocol::MessageId;

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::effects::{apply_effect, Staged};
use crate::orders::facts::{self, OrderCtx};
use crate::state::AppState;
use crate::storage::{self, Tx};

/// What an order command returns: its change, not yet committed.
pub type Change<T = ()> = Result<Staged<T>, ServiceError>;

/// Opens the writing transaction and loads the order, refusing a caller who
/// may not see it and a stale base version.
pub async fn begin(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
) -> Result<(Tx, OrderCtx), ServiceError> {
    let mut tx = state.storage().begin().await?;
    let ctx = facts::load(&mut tx, number).await?;
    may_view(&ctx.facts, caller.actor())?;
    if let Some(base) = version {
        if base != ctx.row.version {
            return Err(ServiceError::StaleVersion {
                current: ctx.row.version,
            });
        }
    }
    Ok((tx, ctx))
}

/// Asks the rules on behalf of the caller.
pub fn decide_for(
    ctx: &OrderCtx,
    action: &Action,
    caller: &Caller,
) -> Result<Effect, ServiceError> {
    Ok(decide(&ctx.facts, action, caller.actor())?)
}

/// Applies the effect as the caller, now, and stages the change.
pub async fn finish<T>(
    state: &AppState,
    mut tx: Tx,
    ctx: &OrderCtx,
    effect: &Effect,
    caller: &Caller,
    value: T,
) -> Change<T> {
    let notice = apply_effect(&mut tx, state, ctx, effect, caller.actor(), state.now()).await?;
    Ok(Staged::new(tx, notice, value))
}

/// An action whose only writes are the effect's: status, confirm, return,
/// cancel.
async fn simple(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
    action: Action,
) -> Change {
    let (tx, ctx) = begin(state, caller, number, version).await?;
    let effect = decide_for(&ctx, &action, caller)?;
    finish(state, tx, &ctx, &effect, caller, ()).await
}

pub async fn change_status(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
    to: Status,
) -> Change {
    simple(state, caller, number, version, Action::ChangeStatus { to }).await
}

pub async fn confirm(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
) -> Change {
    simple(state, caller, number, version, Action::Confirm).await
}

pub async fn return_to_work(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
) -> Change {
    simple(state, caller, number, version, Action::ReturnToWork).await
}

pub async fn cancel(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
) -> Change {
    simple(state, caller, number, version, Action::Cancel).await
}

pub async fn assign_executor(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
    executor: Option<UserId>,
) -> Change {
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let effect = decide_for(&ctx, &Action::AssignExecutor { executor }, caller)?;
    let effect = set_executor(&mut tx, &ctx, executor, effect).await?;
    finish(state, tx, &ctx, &effect, caller, ()).await
}

/// Writes the executor and, when it changes, notes the change by name.
async fn set_executor(
    tx: &mut Tx,
    ctx: &OrderCtx,
    executor: Option<UserId>,
    effect: Effect,
) -> Result<Effect, ServiceError> {
    let (from, to) = (ctx.row.executor_id, executor.map(|u| u.0));
    storage::set_executor(tx, ctx.row.id, to).await?;
    if from == to {
        return Ok(effect);
    }
    let ids: Vec<i64> = from.into_iter().chain(to).collect();
    let users = storage::users_by_ids(tx, &ids).await?;
    let name = |id: Option<i64>| {
        id.map(|id| {
            users
                .iter()
                .find(|u| u.id == id)
                .map_or_else(|| id.to_string(), |u| u.name.clone())
        })
    };
    Ok(effect.say(SystemNote::ExecutorChanged {
        from: name(from),
        to: name(to),
    }))
}

/// «Взять в работу»: the caller becomes the executor and a new request goes
/// to «В работе», in one change.
pub async fn take_in_work(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
) -> Change {
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let effect = decide_for(&ctx, &Action::TakeInWork, caller)?;
    let effect = set_executor(&mut tx, &ctx, Some(caller.id), effect).await?;
    finish(state, tx, &ctx, &effect, caller, ()).await
}

pub async fn change_deadlines(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    version: Option<i64>,
    first_response_due: Option<DateTime<FixedOffset>>,
    completion_due: Option<DateTime<FixedOffset>>,
) -> Change {
    let first = first_response_due.map(|t| t.with_timezone(&Utc));
    let done = completion_due.map(|t| t.with_timezone(&Utc));
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let action = Action::ChangeDeadlines {
        first_response_due: first,
        completion_due: done,
    };
    let mut effect = decide_for(&ctx, &action, caller)?;
    storage::set_deadlines(&mut tx, ctx.row.id, first, done).await?;
    let site = state.config().site_offset;
    let local = |t: Option<DateTime<Utc>>| t.map(|t| t.with_timezone(&site));
    let note = SystemNote::DeadlinesChanged {
        first_response_from: local(ctx.row.first_response_due),
        first_response_to: local(first),
        completion_from: local(ctx.row.completion_due),
        completion_to: local(done),
    };
    if (ctx.row.first_response_due, ctx.row.completion_due) != (first, done) {
        effect = effect.say(note);
    }
    finish(state, tx, &ctx, &effect, caller, ()).await
}

/// Shop collection of one line: collected, or missing with a quantity.
pub async fn collect_line(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    line: LineNo,
    version: Option<i64>,
    outcome: LineOutcome,
) -> Change {
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let action = Action::CollectLine { line, outcome };
    let effect = decide_for(&ctx, &action, caller)?;
    let (mark, missing) = match outcome {
        LineOutcome::Collected => ("collected", 0),
        LineOutcome::Missing { quantity } => ("missing", i64::from(quantity)),
    };
    let at = i64::from(line.0);
    storage::set_line_outcome(&mut tx, ctx.row.id, at, Some(mark), missing).await?;
    let name = line_name(&ctx, line);
    let effect = effect.say(SystemNote::LineCollected {
        line,
        name,
        outcome,
    });
    finish(state, tx, &ctx, &effect, caller, ()).await
}

/// Takes back a line's collection mark while the order is «Собирается».
pub async fn undo_collection(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    line: LineNo,
    version: Option<i64>,
) -> Change {
    let (mut tx, ctx) = begin(state, caller, number, version).await?;
    let effect = decide_for(&ctx, &Action::UndoCollection { line }, caller)?;
    storage::set_line_outcome(&mut tx, ctx.row.id, i64::from(line.0), None, 0).await?;
    let name = line_name(&ctx, line);
    let effect = effect.say(SystemNote::CollectionUndone { line, name });
    finish(state, tx, &ctx, &effect, caller, ()).await
}

/// The name of a line of the loaded order.
fn line_name(ctx: &OrderCtx, line: LineNo) -> String {
    ctx.lines
        .iter()
        .find(|l| l.line == i64::from(line.0))
        .map(|l| l.name.clone())
        .unwrap_or_default()
}

/// A chat message in a tab; the change carries the message's id.
pub async fn post_message(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    text: &str,
    visibility: Visibility,
) -> Change<MessageId> {
    let text = validate_message(text).map_err(|e| ServiceError::input(&e))?;
    let (mut tx, ctx) = begin(state, caller, number, None).await?;
    let effect = decide_for(&ctx, &Action::PostMessage { visibility }, caller)?;
    let id = storage::insert_message(
        &mut tx,
        ctx.row.id,
        Some(caller.id.0),
        visibility.id(),
        false,
        text,
        state.now(),
    )
    .await?;
    finish(state, tx, &ctx, &effect, caller, MessageId(id)).await
}
