//! The audit: every administrative change with who, when, what, and the
//! record before and after as JSON, written in the change's transaction.

use chrono::{DateTime, Utc};
use orderdesk_domain::UserId;
use orderdesk_protocol::{AuditEntry, AuditObject, AuditPage, AuditQuery, ErrorCode};
use serde::Serialize;

use crate::admin::require_admin;
use crate::caller::Caller;
use crate::error::ServiceError;
use crate::state::AppState;
use crate::storage::{self, Conn, NewAudit};

/// Entries per page when the query does not say.
const DEFAULT_LIMIT: u32 = 50;

/// One change about to be recorded.
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub at: DateTime<Utc>,
    /// `None` for the command line.
    pub actor: Option<UserId>,
    pub object: AuditObject,
    pub object_id: i64,
    pub action: &'a str,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

fn json<T: Serialize>(value: Option<&T>) -> Result<Option<String>, ServiceError> {
    value
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ServiceError::fault("writing an audit record", e))
}

/// Writes the entry.
pub async fn record<B: Serialize, A: Serialize>(
    conn: &mut Conn,
    change: Change<'_, B, A>,
) -> Result<(), ServiceError> {
    let entry = NewAudit {
        at: change.at,
        actor_id: change.actor.map(|a| a.0),
        object: change.object.id(),
        object_id: change.object_id,
        action: change.action,
        before: json(change.before)?,
        after: json(change.after)?,
    };
    storage::insert_audit(conn, &entry).await?;
    Ok(())
}

/// `GET /admin/audit`: newest first, filtered by object.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &AuditQuery,
) -> Result<AuditPage, ServiceError> {
    require_admin(caller)?;
    let object = match q.object.as_deref() {
        None => None,
        Some(id) => Some(AuditObject::parse(id).ok_or_else(|| {
            ServiceError::invalid(
                ErrorCode::InvalidQuery,
                "object — одно из: user, service, object, product.",
                "object is one of: user, service, object, product.",
            )
        })?),
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let mut conn = state.storage().read().await?;
    let rows = storage::audit_page(
        &mut conn,
        object.map(AuditObject::id),
        q.object_id,
        q.before,
        i64::from(limit) + 1,
    )
    .await?;
    let more = rows.len() > limit as usize;
    let site = state.config().site_offset;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.into_iter().take(limit as usize) {
        let parse = |text: Option<String>| {
            text.map(|t| serde_json::from_str(&t))
                .transpose()
                .map_err(|e| ServiceError::fault("reading an audit record", e))
        };
        items.push(AuditEntry {
            id: row.id,
            at: row.at.with_timezone(&site),
            actor: row.actor_id.map(UserId),
            actor_login: row.actor_login,
            object: AuditObject::parse(&row.object)
                .ok_or_else(|| ServiceError::internal(format!("audit object {}", row.object)))?,
            object_id: row.object_id,
            action: row.action,
            before: parse(row.before)?,
            after: parse(row.after)?,
        });
    }
    let next_before = more.then(|| items.last().map(|e| e.id)).flatten();
    Ok(AuditPage { items, next_before })
}
