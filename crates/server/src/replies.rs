//! Canned replies for the public chat, per service: staff get them with the
//! order card; an administrator replaces a service's list.

use orderdesk_domain::{may_edit_replies, validate_canned_replies, ServiceId};
use orderdesk_protocol::CannedReplies;

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::state::AppState;
use crate::storage::{self, Conn};

/// The service, or not found.
async fn require_service(conn: &mut Conn, id: ServiceId) -> Result<(), ServiceError> {
    match storage::service(conn, id.0).await? {
        Some(_) => Ok(()),
        None => Err(ServiceError::not_found(
            format!("услуга {id}"),
            format!("service {id}"),
        )),
    }
}

/// A service's canned replies, for an administrator.
pub async fn replies(
    state: &AppState,
    caller: &Caller,
    service: ServiceId,
) -> Result<CannedReplies, ServiceError> {
    may_edit_replies(caller.actor())?;
    let mut conn = state.storage().read().await?;
    require_service(&mut conn, service).await?;
    Ok(CannedReplies {
        replies: storage::replies_of(&mut conn, service.0).await?,
    })
}

/// Replaces a service's canned replies; answers with the list as saved
/// (each trimmed). Who may comes first (403), then the service (404), then
/// the texts (422).
pub async fn set_replies(
    state: &AppState,
    caller: &Caller,
    service: ServiceId,
    replies: &[String],
) -> Result<CannedReplies, ServiceError> {
    may_edit_replies(caller.actor())?;
    let mut tx = state.storage().begin().await?;
    require_service(&mut tx, service).await?;
    let replies = validate_canned_replies(replies).map_err(|e| ServiceError::input(&e))?;
    storage::set_replies(&mut tx, service.0, &replies).await?;
    tx.commit().await?;
    Ok(CannedReplies { replies })
}
