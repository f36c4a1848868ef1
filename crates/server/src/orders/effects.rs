//! Applying an `Effect` the rules returned, inside the caller's transaction:
//! status, holds, refunds, notifications, system messages, e-mail, and at the
//! end the version bump and change log entry every change of an order gets;
//! then [`Staged`] holds the change until its caller commits it.

use chrono::{DateTime, Utc};
use orderdesk_domain::{Actor, Audience, Effect, Lang, Status, SystemNote};

use crate::error::ServiceError;
use crate::orders::OrderCtx;
use crate::state::{AppState, ChangeNotice};
use crate::storage::{self, Conn, NewPayment};

/// Applies `effect` to the order in `ctx`. Taking new holds is the caller's
/// part (only it knows what to take); when the effect takes holds, the caller
/// has already swapped them and `release_hold` is not repeated here.
pub async fn apply_effect(
    conn: &mut Conn,
    state: &AppState,
    ctx: &OrderCtx,
    effect: &Effect,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<ChangeNotice, ServiceError> {
    let order_id = ctx.row.id;
    if let Some(to) = effect.status {
        // The auto-close time counts from entering «Ожидает подтверждения».
        let awaiting_since = (to == Status::AwaitingConfirmation).then_some(now);
        storage::set_status(conn, order_id, to.id(), awaiting_since).await?;
    }
    if effect.release_hold && !effect.take_hold {
        storage::release_holds(conn, order_id).await?;
    }
    // The rules already left out refunds on their way (`refunding`).
    let refund = effect.refund.kopecks();
    if refund > 0 {
        let completes_at = state.payments().refund_completes_at(now);
        storage::insert_payment(
            conn,
            &NewPayment {
                order_id,
                kind: "refund",
                source: "gateway",
                status: "pending",
                amount: refund,
                created_at: now,
                completes_at,
                completed_at: None,
            },
        )
        .await?;
        storage::add_refunding(conn, order_id, refund).await?;
    }
    let mut raised = Vec::new();
    for recipient in recipients(ctx, effect, actor) {
        for notice in effect.notices.iter().filter(|n| n.to == recipient.1) {
            storage::insert_notification(conn, recipient.0, order_id, notice.event.id(), now)
                .await?;
            raised.push((recipient.0, notice.event));
        }
    }
    let actor_id = actor.user_id().map(|u| u.0);
    for note in &effect.system_messages {
        write_note(conn, order_id, actor_id, note, now).await?;
    }
    if effect.email_requester {
        crate::mail::queue_booking_changed(conn, order_id, now).await?;
    }
    let (version, seq) = storage::record_change(conn, order_id, now).await?;
    crate::sync::notices::record(conn, order_id, seq, &raised, now).await?;
    Ok(ChangeNotice {
        seq,
        order: ctx.number(),
        version,
    })
}

/// Records a note in the order's history and, when the requester is to see
/// it, as a system message of the public chat. Both keep the note's code and
/// parameters; the chat row also keeps its Russian text for old readers.
pub async fn write_note(
    conn: &mut Conn,
    order_id: i64,
    actor_id: Option<i64>,
    note: &SystemNote,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let json =
        serde_json::to_string(note).map_err(|e| ServiceError::fault("a system note as JSON", e))?;
    storage::insert_history(conn, order_id, actor_id, &json, now).await?;
    if note.is_public() {
        storage::insert_system_note(conn, order_id, &json, &note.text(Lang::Ru), now).await?;
    }
    Ok(())
}

/// Who each audience of the effect's notices is, without the actor: nobody
/// is notified of their own action.
fn recipients(ctx: &OrderCtx, effect: &Effect, actor: Actor) -> Vec<(i64, Audience)> {
    let me = actor.user_id().map(|u| u.0);
    let mut out = Vec::new();
    for notice in &effect.notices {
        let users: Vec<i64> = match notice.to {
            Audience::Requester => vec![ctx.row.requester_id],
            Audience::Responsible => ctx.responsible.clone(),
            Audience::ExecutorOrResponsible => match ctx.row.executor_id {
                Some(executor) => vec![executor],
                None => ctx.responsible.clone(),
            },
        };
        for user in users.into_iter().filter(|u| Some(*u) != me) {
            if !out.contains(&(user, notice.to)) {
                out.push((user, notice.to));
            }
        }
    }
    out
}

/// A change made in its transaction and not yet committed: the caller may
/// add its own writes (the answer it will give, a pushed mutation's result)
/// so that they commit with the change or not at all.
pub struct Staged<T = ()> {
    tx: storage::Tx,
    notices: Vec<ChangeNotice>,
    value: T,
}

impl<T> Staged<T> {
    pub fn new(tx: storage::Tx, notice: ChangeNotice, value: T) -> Staged<T> {
        Staged {
            tx,
            notices: vec![notice],
            value,
        }
    }

    /// The transaction of the change, which sees the change.
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// The order the change is about and the version it produced.
    pub fn last(&self) -> Option<ChangeNotice> {
        self.notices.last().copied()
    }

    pub fn value(&self) -> &T {
        &self.value
    }

    /// The same change carrying another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Staged<U> {
        Staged {
            tx: self.tx,
            notices: self.notices,
            value: f(self.value),
        }
    }

    /// Commits and tells subscribers; returns what the change produced.
    pub async fn commit(self, state: &AppState) -> Result<T, ServiceError> {
        self.tx.commit().await?;
        state.publish(&self.notices);
        Ok(self.value)
    }
}

/// Commits a change nobody adds to and tells subscribers.
pub async fn commit(
    state: &AppState,
    tx: storage::Tx,
    notice: ChangeNotice,
) -> Result<(), ServiceError> {
    Staged::new(tx, notice, ()).commit(state).await
}
