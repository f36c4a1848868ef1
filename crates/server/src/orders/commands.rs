//! Manager and requester actions on an existing order: each loads the order
//! in a writing transaction, checks the base version, asks `decide`, makes
//! the action's own writes, applies the effect and commits.

use chrono::{DateTime, FixedOffset, Utc};
use orderdesk_domain::{
    decide, may_view, validate_message, Action, LineNo, LineOutcome, UserId, Visibility,
};

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts::{self, OrderCtx};
use crate::state::AppState;
use crate::storage::{self, Tx};

/// Opens the writing transaction and loads the order, refusing a user who may
/// not see it (403) and a stale base version (409).
pub async fn begin(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
) -> Result<(Tx, OrderCtx), ApiError> {
    let mut tx = state.storage().begin().await?;
    let ctx = facts::load(&mut tx, number, Some(user)).await?;
    may_view(&ctx.facts, user.actor()).map_err(|r| ApiError::refused(r, user.lang))?;
    if let Some(base) = version {
        if base != ctx.row.version {
            return Err(ApiError::stale_version(user.lang, ctx.row.version));
        }
    }
    Ok((tx, ctx))
}

/// Asks the rules on behalf of the user.
pub fn decide_for(
    ctx: &OrderCtx,
    action: &Action,
    user: &AuthUser,
) -> Result<orderdesk_domain::Effect, ApiError> {
    decide(&ctx.facts, action, user.actor()).map_err(|r| ApiError::refused(r, user.lang))
}

/// An action whose only writes are the effect's: status, confirm, return,
/// cancel.
async fn simple(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
    action: Action,
) -> Result<(), ApiError> {
    let (mut tx, ctx) = begin(state, user, number, version).await?;
    let effect = decide_for(&ctx, &action, user)?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), state.now()).await?;
    commit(state, tx, &[notice]).await
}

pub async fn change_status(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
    to: orderdesk_domain::Status,
) -> Result<(), ApiError> {
    simple(state, user, number, version, Action::ChangeStatus { to }).await
}

pub async fn confirm(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
) -> Result<(), ApiError> {
    simple(state, user, number, version, Action::Confirm).await
}

pub async fn return_to_work(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
) -> Result<(), ApiError> {
    simple(state, user, number, version, Action::ReturnToWork).await
}

pub async fn cancel(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
) -> Result<(), ApiError> {
    simple(state, user, number, version, Action::Cancel).await
}

pub async fn assign(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
    executor: Option<UserId>,
) -> Result<(), ApiError> {
    let (mut tx, ctx) = begin(state, user, number, version).await?;
    let effect = decide_for(&ctx, &Action::AssignExecutor { executor }, user)?;
    storage::set_executor(&mut tx, ctx.row.id, executor.map(|u| u.0)).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), state.now()).await?;
    commit(state, tx, &[notice]).await
}

pub async fn change_deadlines(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    version: Option<i64>,
    first_response_due: Option<DateTime<FixedOffset>>,
    completion_due: Option<DateTime<FixedOffset>>,
) -> Result<(), ApiError> {
    let first = first_response_due.map(|t| t.with_timezone(&Utc));
    let done = completion_due.map(|t| t.with_timezone(&Utc));
    let (mut tx, ctx) = begin(state, user, number, version).await?;
    let action = Action::ChangeDeadlines {
        first_response_due: first,
        completion_due: done,
    };
    let effect = decide_for(&ctx, &action, user)?;
    storage::set_deadlines(&mut tx, ctx.row.id, first, done).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), state.now()).await?;
    commit(state, tx, &[notice]).await
}

/// Shop collection of one line: collected, or missing with a quantity.
pub async fn collect_line(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    line: u32,
    version: Option<i64>,
    outcome: LineOutcome,
) -> Result<(), ApiError> {
    let (mut tx, ctx) = begin(state, user, number, version).await?;
    let action = Action::CollectLine {
        line: LineNo(line),
        outcome,
    };
    let effect = decide_for(&ctx, &action, user)?;
    let (name, missing) = match outcome {
        LineOutcome::Collected => ("collected", 0),
        LineOutcome::Missing { quantity } => ("missing", i64::from(quantity)),
    };
    storage::set_line_outcome(&mut tx, ctx.row.id, i64::from(line), name, missing).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), state.now()).await?;
    commit(state, tx, &[notice]).await
}

/// A chat message in a tab; returns its id.
pub async fn post_message(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    text: &str,
    visibility: Visibility,
) -> Result<i64, ApiError> {
    let text = validate_message(text).map_err(|e| ApiError::input(&e, user.lang))?;
    let (mut tx, ctx) = begin(state, user, number, None).await?;
    let effect = decide_for(&ctx, &Action::PostMessage { visibility }, user)?;
    let now = state.now();
    let id = storage::insert_message(
        &mut tx,
        ctx.row.id,
        Some(user.id.0),
        visibility.id(),
        false,
        text,
        now,
    )
    .await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), now).await?;
    commit(state, tx, &[notice]).await?;
    Ok(id)
}
