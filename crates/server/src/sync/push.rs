//! `POST /sync/push`: the client's outbox, applied in order, each mutation
//! exactly once, through the same functions as the REST handlers.
//!
//! Mutations of one order in one batch (or answered before) were made on top
//! of each other on the device, all against the version the device knew: a
//! mutation sent with the same base version as an earlier applied one of the
//! same order is checked against the version that one produced.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orderdesk_protocol::{
    BookingEditRequest, ErrorBody, Mutation, MutationOp, MutationOutcome, MutationResult,
    PushRequest, PushResponse,
};
use std::collections::HashMap;

use crate::error::{pick, ApiError};
use crate::extract::{ApiJson, AuthUser};
use crate::orders::{booking, commands, money};
use crate::state::{AppState, ChangeNotice};
use crate::storage::{self, Conn, SyncMutationRow};

/// Mutations per push.
const MAX_BATCH: usize = 500;

tokio::task_local! {
    /// The pushed mutation being applied by this task, if any.
    static PUSHED: Pushed;
}

#[derive(Debug, Clone)]
struct Pushed {
    user_id: i64,
    client_id: String,
    order: i64,
}

/// Called by every order command just before it commits: when the command
/// runs for a pushed mutation, writes the mutation's answer in the same
/// transaction. A mutation answered meanwhile (a concurrent retry) makes the
/// transaction fail instead of applying twice.
pub async fn remember_applied(
    conn: &mut Conn,
    state: &AppState,
    notices: &[ChangeNotice],
) -> Result<(), ApiError> {
    let Ok(pushed) = PUSHED.try_with(Pushed::clone) else {
        return Ok(());
    };
    let version = notices
        .iter()
        .rev()
        .find(|n| n.order.0 == pushed.order)
        .map(|n| n.version);
    let answer = SyncMutationRow {
        result: "applied".to_owned(),
        version,
        code: None,
        message: None,
    };
    let fresh = storage::remember_sync_mutation(
        conn,
        pushed.user_id,
        &pushed.client_id,
        pushed.order,
        &answer,
        state.now(),
    )
    .await?;
    if fresh {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            "mutation_replayed",
            "Это изменение уже применено.",
        ))
    }
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushRequest,
    responses((status = 200, body = PushResponse, description = "One result per mutation, in order; fewer when the server stopped on a fault, the rest to be sent again"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if req.mutations.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "batch_too_large",
            pick(
                user.lang,
                &format!("Не больше {MAX_BATCH} изменений за раз."),
                &format!("At most {MAX_BATCH} mutations at once."),
            ),
        ));
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
        let outcome = match answer_once(&state, &user, mutation, base).await {
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
    Ok(Json(PushResponse { results }))
}

/// The remembered answer to a mutation, when it has one.
async fn remembered(
    state: &AppState,
    user: &AuthUser,
    client_id: &str,
) -> Result<Option<MutationOutcome>, ApiError> {
    let mut conn = state.storage().read().await?;
    let row = storage::sync_mutation(&mut conn, user.id.0, client_id).await?;
    Ok(row.map(|r| match r.result.as_str() {
        "applied" => MutationOutcome::Applied {
            version: r.version.unwrap_or_default(),
        },
        _ => MutationOutcome::Refused {
            code: r.code.unwrap_or_default(),
            message: r.message.unwrap_or_default(),
        },
    }))
}

async fn answer_once(
    state: &AppState,
    user: &AuthUser,
    mutation: &Mutation,
    base: i64,
) -> Result<MutationOutcome, ApiError> {
    let client_id = mutation.client_id.0.as_str();
    if let Some(outcome) = remembered(state, user, client_id).await? {
        return Ok(outcome);
    }
    let pushed = Pushed {
        user_id: user.id.0,
        client_id: client_id.to_owned(),
        order: mutation.order.0,
    };
    let applied = PUSHED
        .scope(pushed, apply(state, user, mutation, base))
        .await;
    match applied {
        Ok(()) => remembered(state, user, client_id)
            .await?
            .ok_or_else(|| ApiError::internal("applied mutation has no remembered answer")),
        Err(ApiError::Reply {
            status,
            code,
            message,
        }) if status.is_client_error() => {
            if let Some(outcome) = remembered(state, user, client_id).await? {
                return Ok(outcome);
            }
            let answer = SyncMutationRow {
                result: "refused".to_owned(),
                version: None,
                code: Some(code.clone()),
                message: Some(message.clone()),
            };
            let mut tx = state.storage().begin().await?;
            let fresh = storage::remember_sync_mutation(
                &mut tx,
                user.id.0,
                client_id,
                mutation.order.0,
                &answer,
                state.now(),
            )
            .await?;
            tx.commit().await?;
            if fresh {
                Ok(MutationOutcome::Refused { code, message })
            } else {
                remembered(state, user, client_id)
                    .await?
                    .ok_or_else(|| ApiError::internal("mutation answer vanished"))
            }
        }
        Err(error) => Err(error),
    }
}

/// The same call the REST handler of the operation makes.
async fn apply(
    state: &AppState,
    user: &AuthUser,
    mutation: &Mutation,
    base: i64,
) -> Result<(), ApiError> {
    let number = mutation.order.0;
    let version = Some(base);
    match &mutation.op {
        MutationOp::AssignExecutor { user_id } => {
            commands::assign(state, user, number, version, *user_id).await
        }
        MutationOp::Status { status } => {
            commands::change_status(state, user, number, version, *status).await
        }
        MutationOp::Deadlines {
            first_response_due,
            completion_due,
        } => {
            commands::change_deadlines(
                state,
                user,
                number,
                version,
                *first_response_due,
                *completion_due,
            )
            .await
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
            booking::edit_booking(state, user, number, &req).await
        }
        MutationOp::RecordPayment { amount } => {
            money::record_payment(state, user, number, version, *amount).await
        }
        MutationOp::Cancel => commands::cancel(state, user, number, version).await,
        MutationOp::Confirm => commands::confirm(state, user, number, version).await,
        MutationOp::ReturnToWork => commands::return_to_work(state, user, number, version).await,
        MutationOp::CollectLine { line, outcome } => {
            commands::collect_line(state, user, number, line.0, version, *outcome).await
        }
        // A message does not depend on the order's state: no version check.
        MutationOp::PostMessage(post) => {
            commands::post_message(state, user, number, &post.text, post.visibility)
                .await
                .map(|_| ())
        }
    }
}
