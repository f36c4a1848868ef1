//! `GET /sync/pull?cursor=&limit=`: the orders the user may see that changed
//! after the cursor, with their chats, and tombstones for changed orders the
//! user may no longer see.

use axum::extract::{Query, State};
use axum::Json;
use orderdesk_domain::{may_view, may_view_internal, OrderNumber};
use orderdesk_protocol::{
    ErrorBody, PullQuery, PullResponse, SyncCursor, SyncedMessage, Tombstone,
};
use sqlx::Connection;

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::orders::{facts, query};
use crate::state::AppState;
use crate::storage;
use crate::view;

/// Orders per page when the client does not say.
const DEFAULT_PAGE: u32 = 200;
const MAX_PAGE: u32 = 1000;

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    params(PullQuery),
    responses((status = 200, body = PullResponse), (status = 401, body = ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let cursor = q.cursor.unwrap_or(0).max(0);
    let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let site = state.config().site_offset;
    let actor = user.actor();
    let mut conn = state.storage().read().await?;
    // One snapshot: the cursor handed back covers exactly what was read.
    let mut tx = conn.begin().await?;
    let mut heads = storage::changed_since(&mut tx, cursor, i64::from(limit) + 1).await?;
    let has_more = heads.len() > limit as usize;
    heads.truncate(limit as usize);
    let mut answer = PullResponse {
        orders: Vec::new(),
        tombstones: Vec::new(),
        messages: Vec::new(),
        next_cursor: SyncCursor(heads.last().map_or(cursor, |&(_, seq)| seq)),
        has_more,
    };
    for (order_id, _) in heads {
        let Some(row) = storage::order_by_id(&mut tx, order_id).await? else {
            continue;
        };
        let ctx = facts::load_row(&mut tx, row).await?;
        if may_view(&ctx.facts, actor).is_err() {
            // A first pull has nothing to drop.
            if cursor > 0 {
                answer.tombstones.push(Tombstone {
                    number: ctx.number(),
                    version: ctx.row.version,
                });
            }
            continue;
        }
        answer
            .orders
            .push(query::detail_of(&state, &mut tx, &ctx, &user).await?);
        let internal = may_view_internal(&ctx.facts, actor);
        for message in storage::messages_of(&mut tx, ctx.row.id, internal).await? {
            answer.messages.push(SyncedMessage {
                order: OrderNumber(ctx.row.number),
                message: view::message(&message, site),
            });
        }
    }
    tx.rollback().await?;
    Ok(Json(answer))
}
