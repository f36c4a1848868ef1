//! A push: the client's outbox, applied in order, each mutation exactly
//! once, through the same functions as the REST handlers.
//!
//! Mutations of one order in one batch (or answered before) were made on top
//! of each other on the device, all against the version the device knew: a
//! mutation sent with the same base version as an earlier applied one of the
//! same order is checked against the version that one produced.
//!
//! A refusal is any error that is not a fault ([`ServiceError::is_fault`]);
//! a fault stops the push and the client sends the rest again.

use orderdesk_protocol::{
    BookingEditRequest, ErrorCode, Mutation, MutationOp, MutationOutcome, MutationResult,
    PushRequest, PushResponse,
};
use std::collections::HashMap;

use crate::caller::Caller;
use crate::error::{ServiceError, Text};
use crate::orders::effects::Staged;
use crate::orders::{booking, commands, money};
use crate::state::AppState;
use crate::storage::{self, SyncMutationRow};

/// Mutations per push.
pub const MAX_BATCH: usize = 500;

/// Applies the mutations in order; one result per mutation, fewer when a
/// fault stopped the push.
pub async fn push(
    state: &AppState,
    caller: &Caller,
    req: &PushRequest,
) -> Result<PushResponse, ServiceError> {
    if req.mutations.len() > MAX_BATCH {
        return Err(ServiceError::Invalid {
            code: ErrorCode::BatchTooLarge,
            text: Text::new(
                format!("Не больше {MAX_BATCH} изменений за раз."),
                format!("At most {MAX_BATCH} mutations at once."),
            ),
        });
    }
    // Per order: the base version an applied mutation was sent with, and the
    // version it produced.
    let mut chain: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut results = Vec::with_capacity(req.mutations.len());
    for mutation in &req.mutations {
        let order = mutation.order.0;
        let base = chain
            .get(&order)
            .filter(|(sent, _)| *sent == mutation.base_version)
            .map_or(mutation.base_version, |(_, produced)| *produced);
        let outcome = match answer_once(state, caller, mutation, base).await {
            Ok(outcome) => outcome,
            Err(error) => {
                // A fault, not a refusal: stop here; the client sends the rest
                // (and this one) again.
                tracing::warn!(%error, "push stopped");
                break;
            }
        };
        if let MutationOutcome::Applied { version } = outcome {
            chain.insert(order, (mutation.base_version, version));
        }
        results.push(MutationResult {
            client_id: mutation.client_id.clone(),
            outcome,
        });
    }
    Ok(PushResponse { results })
}

/// The remembered answer to a mutation, when it has one.
async fn remembered(
    state: &AppState,
    caller: &Caller,
    client_id: &str,
) -> Result<Option<MutationOutcome>, ServiceError> {
    let mut conn = state.storage().read().await?;
    let row = storage::sync_mutation(&mut conn, caller.id.0, client_id).await?;
    Ok(row.map(|r| match r.result.as_str() {
        "applied" => MutationOutcome::Applied {
            version: r.version.unwrap_or_default(),
        },
        _ => MutationOutcome::Refused {
            code: ErrorCode::parse(r.code.as_deref().unwrap_or_default()),
            message: r.message.unwrap_or_default(),
        },
    }))
}

async fn answer_once(
    state: &AppState,
    caller: &Caller,
    mutation: &Mutation,
    base: i64,
) -> Result<MutationOutcome, ServiceError> {
    if let Some(outcome) = remembered(state, caller, &mutation.client_id.0).await? {
        return Ok(outcome);
    }
    let applied = match apply(state, caller, mutation, base).await {
        Ok(staged) => keep_applied(state, caller, mutation, staged).await,
        Err(error) => Err(error),
    };
    match applied {
        Err(error) if !error.is_fault() => keep_refused(state, caller, mutation, &error).await,
        other => other,
    }
}

/// Writes the mutation's answer in the transaction that applied it, and
/// commits. A mutation answered meanwhile (a concurrent retry) makes the
/// transaction roll back instead of applying twice.
async fn keep_applied(
    state: &AppState,
    caller: &Caller,
    mutation: &Mutation,
    mut staged: Staged,
) -> Result<MutationOutcome, ServiceError> {
    let version = staged
        .last()
        .filter(|n| n.order == mutation.order)
        .map(|n| n.version);
    let answer = SyncMutationRow {
        result: "applied".to_owned(),
        version,
        code: None,
        message: None,
    };
    let fresh = storage::remember_sync_mutation(
        staged.conn(),
        caller.id.0,
        &mutation.client_id.0,
        mutation.order.0,
        &answer,
        state.now(),
    )
    .await?;
    if !fresh {
        return Err(ServiceError::Replayed);
    }
    staged.commit(state).await?;
    Ok(MutationOutcome::Applied {
        version: version.unwrap_or_default(),
    })
}

/// Remembers a refusal in the caller's language, unless another answer
/// was remembered meanwhile; answers what is remembered.
async fn keep_refused(
    state: &AppState,
    caller: &Caller,
    mutation: &Mutation,
    error: &ServiceError,
) -> Result<MutationOutcome, ServiceError> {
    let client_id = mutation.client_id.0.as_str();
    if let Some(outcome) = remembered(state, caller, client_id).await? {
        return Ok(outcome);
    }
    let (code, message) = (error.code(), error.message(caller.lang));
    let answer = SyncMutationRow {
        result: "refused".to_owned(),
        version: None,
        code: Some(code.as_str().to_owned()),
        message: Some(message.clone()),
    };
    let mut tx = state.storage().begin().await?;
    let fresh = storage::remember_sync_mutation(
        &mut tx,
        caller.id.0,
        client_id,
        mutation.order.0,
        &answer,
        state.now(),
    )
    .await?;
    tx.commit().await?;
    if fresh {
        return Ok(MutationOutcome::Refused { code, message });
    }
    remembered(state, caller, client_id)
        .await?
        .ok_or_else(|| ServiceError::internal("mutation answer vanished"))
}

/// The same call the REST handler of the operation makes.
async fn apply(
    state: &AppState,
    caller: &Caller,
    mutation: &Mutation,
    base: i64,
) -> Result<Staged, ServiceError> {
    let number = mutation.order;
    let version = Some(base);
    match &mutation.op {
        MutationOp::AssignExecutor { user_id } => {
            commands::assign_executor(state, caller, number, version, *user_id).await
        }
        MutationOp::Status { status } => {
            commands::change_status(state, caller, number, version, *status).await
        }
        MutationOp::Deadlines {
            first_response_due,
            completion_due,
        } => {
            let (first, done) = (*first_response_due, *completion_due);
            commands::change_deadlines(state, caller, number, version, first, done).await
        }
        MutationOp::EditBooking {
            resource_id,
            date,
            slots,
            payer_id,
            comment,
        } => {
            let req = BookingEditRequest {
                resource_id: *resource_id,
                date: *date,
                slots: slots.clone(),
                payer_id: *payer_id,
                comment: comment.clone(),
                version,
            };
            booking::edit_booking(state, caller, number, &req).await
        }
        MutationOp::RecordPayment { amount } => {
            money::record_payment(state, caller, number, version, *amount).await
        }
        MutationOp::Cancel => commands::cancel(state, caller, number, version).await,
        MutationOp::Confirm => commands::confirm(state, caller, number, version).await,
        MutationOp::ReturnToWork => commands::return_to_work(state, caller, number, version).await,
        MutationOp::CollectLine { line, outcome } => {
            commands::collect_line(state, caller, number, *line, version, *outcome).await
        }
        MutationOp::TakeInWork => commands::take_in_work(state, caller, number, version).await,
        MutationOp::UndoCollection { line } => {
            commands::undo_collection(state, caller, number, *line, version).await
        }
        // A message does not depend on the order's state: no version check.
        MutationOp::PostMessage(post) => {
            commands::post_message(state, caller, number, &post.text, post.visibility)
                .await
                .map(|staged| staged.map(|_| ()))
        }
    }
}
