//! A pull: the orders the caller may see that changed after the cursor,
//! with their chats, tombstones for changed orders that left the caller's
//! scope (never for one the caller could not see), and the notices
//! addressed to the caller in between.

use orderdesk_domain::{may_view, may_view_internal, Actor, Lang, OrderNumber, Role, Visibility};
use orderdesk_protocol::{
    NoticeId, PullQuery, PullResponse, SyncCursor, SyncedMessage, SyncedNotice, Tombstone,
};
use std::collections::{HashMap, HashSet};

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::facts::{self, OrderCtx};
use crate::orders::query::{self, CardExtras, CardRows};
use crate::state::AppState;
use crate::storage::{
    self, Conn, LineRow, MessageRow, OrderRow, PaymentRow, ResourceRow, ServiceRow,
};
use crate::view;

/// Orders per page when the client does not say.
const DEFAULT_PAGE: u32 = 200;
const MAX_PAGE: u32 = 1000;

/// One page of changes after `q.cursor`, as `caller` may see them.
pub async fn pull(
    state: &AppState,
    caller: &Caller,
    q: &PullQuery,
) -> Result<PullResponse, ServiceError> {
    let cursor = q.cursor.unwrap_or(0).max(0);
    let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let site = state.config().site_offset;
    let actor = caller.actor();
    // One snapshot: the cursor handed back covers exactly what was read.
    let mut tx = state.storage().snapshot().await?;
    // A handful of queries per page, whatever its size.
    let mut heads = storage::changed_since(&mut tx, cursor, i64::from(limit) + 1).await?;
    let has_more = heads.len() > limit as usize;
    heads.truncate(limit as usize);
    let mut answer = PullResponse {
        orders: Vec::new(),
        tombstones: Vec::new(),
        messages: Vec::new(),
        notices: Vec::new(),
        next_cursor: SyncCursor(heads.last().map_or(cursor, |&(_, seq)| seq)),
        has_more,
    };
    let ids: Vec<i64> = heads.iter().map(|&(id, _)| id).collect();
    let mut side = state.storage().spare_read();
    let page = load_page(&mut tx, side.as_deref_mut(), &ids).await?;
    let users = storage::users_by_ids(&mut tx, &page.people).await?;
    let mut messages = page.messages;
    let (shown, hidden): (Vec<&OrderCtx>, Vec<&OrderCtx>) = page
        .orders
        .iter()
        .partition(|ctx| may_view(&ctx.facts, actor).is_ok());
    answer.tombstones = tombstones(&mut tx, caller, cursor, &hidden).await?;
    let mut extras = staff_extras(&mut tx, &shown, actor).await?;
    let nothing = CardExtras::default();
    for ctx in shown {
        let rows = CardRows {
            users: &users,
            resource: ctx.row.resource_id.and_then(|id| page.resources.get(&id)),
            payments: page
                .payments
                .get(&ctx.row.id)
                .map_or(&[][..], Vec::as_slice),
            extras: extras.get(&ctx.row.id).unwrap_or(&nothing),
        };
        answer
            .orders
            .push(query::detail_from(state, ctx, &rows, caller)?);
        extras.remove(&ctx.row.id);
        let internal = may_view_internal(&ctx.facts, actor);
        for message in messages.remove(&ctx.row.id).unwrap_or_default() {
            if internal || message.visibility == Visibility::Public.id() {
                answer.messages.push(SyncedMessage {
                    order: OrderNumber(ctx.row.number),
                    message: view::message(&message, site, caller.lang),
                });
            }
        }
    }
    answer.notices = notices(&mut tx, caller, cursor, answer.next_cursor.0).await?;
    tx.rollback().await?;
    Ok(answer)
}

/// The history and canned replies of the orders the caller works on (staff
/// only), by order id, in two queries whatever the page's size.
async fn staff_extras(
    conn: &mut Conn,
    shown: &[&OrderCtx],
    actor: Actor,
) -> Result<HashMap<i64, CardExtras>, ServiceError> {
    let staff: Vec<&OrderCtx> = shown
        .iter()
        .copied()
        .filter(|ctx| may_view_internal(&ctx.facts, actor))
        .collect();
    let ids: Vec<i64> = staff.iter().map(|ctx| ctx.row.id).collect();
    let mut services: Vec<i64> = staff.iter().map(|ctx| ctx.service.id).collect();
    services.sort_unstable();
    services.dedup();
    let mut replies: HashMap<i64, Vec<String>> = HashMap::new();
    for (service, text) in storage::replies_of_services(conn, &services).await? {
        replies.entry(service).or_default().push(text);
    }
    let mut extras: HashMap<i64, CardExtras> = staff
        .iter()
        .map(|ctx| {
            let replies = replies.get(&ctx.service.id).cloned().unwrap_or_default();
            let extras = CardExtras {
                history: Vec::new(),
                replies,
            };
            (ctx.row.id, extras)
        })
        .collect();
    for row in storage::history_of_orders(conn, &ids).await? {
        if let Some(extras) = extras.get_mut(&row.order_id) {
            extras.history.push(row);
        }
    }
    Ok(extras)
}

/// Tombstones for the changed orders the caller may not see: only those
/// that were in the caller's scope and left it. An order the caller never
/// could see gets none, or its tombstone would tell its number to someone
/// who may not know it.
async fn tombstones(
    conn: &mut Conn,
    caller: &Caller,
    cursor: i64,
    hidden: &[&OrderCtx],
) -> Result<Vec<Tombstone>, ServiceError> {
    // A first pull has nothing to drop.
    if cursor == 0 || hidden.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = hidden.iter().map(|ctx| ctx.row.id).collect();
    let left: HashMap<i64, Option<Role>> = storage::scope_exits(conn, caller.id.0, &ids)
        .await?
        .into_iter()
        .map(|(id, role)| (id, role.as_deref().and_then(Role::parse)))
        .collect();
    Ok(hidden
        .iter()
        .filter(|ctx| {
            left.get(&ctx.row.id)
                .is_some_and(|role| saw_while_responsible(ctx, caller, *role))
        })
        .map(|ctx| Tombstone {
            number: ctx.number(),
            version: ctx.row.version,
        })
        .collect())
}

/// Whether the caller could see the order while responsible for its
/// service. A scope exit records responsibility and the role the caller had
/// then (their current one when not recorded); that role must also cover
/// the order's kind, or the order never was the caller's to see.
fn saw_while_responsible(ctx: &OrderCtx, caller: &Caller, role_then: Option<Role>) -> bool {
    let mut before = ctx.facts.clone();
    before.responsible = vec![caller.id];
    let actor = Actor::user(caller.id, role_then.unwrap_or(caller.role));
    may_view(&before, actor).is_ok()
}

/// The caller's notices raised by changes after `cursor` up to `upto`.
async fn notices(
    conn: &mut Conn,
    caller: &Caller,
    cursor: i64,
    upto: i64,
) -> Result<Vec<SyncedNotice>, ServiceError> {
    let mut notices = Vec::new();
    for row in storage::notices_between(conn, caller.id.0, cursor, upto).await? {
        let Some(event) = crate::sync::notices::notice_event(&row.event) else {
            continue;
        };
        notices.push(SyncedNotice {
            id: NoticeId(row.id),
            order: OrderNumber(row.order_number),
            event,
            event_id: row.seq,
            title: event.title(caller.lang).to_owned(),
            body: notice_body(caller.lang, row.order_number, &row.order_title),
        });
    }
    Ok(notices)
}

/// «Заказ №1042: Уборка», in the caller's language, as the domain words it.
pub fn notice_body(lang: Lang, number: i64, title: &str) -> String {
    orderdesk_domain::notice_body(lang, OrderNumber(number), title)
}

/// A page's orders with what their cards show, read set-wise.
struct Page {
    /// In change log order.
    orders: Vec<OrderCtx>,
    payments: HashMap<i64, Vec<PaymentRow>>,
    messages: HashMap<i64, Vec<MessageRow>>,
    resources: HashMap<i64, ResourceRow>,
    /// Everyone the cards name, once each.
    people: Vec<i64>,
}

/// Loads the orders `ids` (in this order) with a handful of queries, however
/// many orders there are, on two connections when a second is free.
async fn load_page(
    conn: &mut Conn,
    side: Option<&mut Conn>,
    ids: &[i64],
) -> Result<Page, ServiceError> {
    let rows = storage::page_rows(conn, side, ids).await?;
    let mut lines: HashMap<i64, Vec<LineRow>> = HashMap::new();
    for line in rows.lines {
        lines.entry(line.order_id).or_default().push(line);
    }
    let mut responsible: HashMap<i64, Vec<i64>> = HashMap::new();
    for (service, user) in rows.responsible {
        responsible.entry(service).or_default().push(user);
    }
    let services: HashMap<i64, ServiceRow> = rows.services.into_iter().map(|s| (s.id, s)).collect();
    let mut by_id: HashMap<i64, OrderRow> = rows.orders.into_iter().map(|o| (o.id, o)).collect();
    let mut orders = Vec::with_capacity(ids.len());
    let mut people = HashSet::new();
    for id in ids {
        let Some(row) = by_id.remove(id) else {
            continue;
        };
        let service = services.get(&row.service_id).cloned().ok_or_else(|| {
            ServiceError::internal(format!("order {} has no service", row.number))
        })?;
        let lines = lines.remove(id).unwrap_or_default();
        let responsible = responsible
            .get(&row.service_id)
            .cloned()
            .unwrap_or_default();
        let facts = facts::facts_of(&row, &lines, &service, &responsible)?;
        let ctx = OrderCtx {
            row,
            lines,
            service,
            responsible,
            facts,
        };
        people.extend(query::people_of(&ctx));
        orders.push(ctx);
    }
    let mut payments: HashMap<i64, Vec<PaymentRow>> = HashMap::new();
    for payment in rows.payments {
        payments.entry(payment.order_id).or_default().push(payment);
    }
    let mut messages: HashMap<i64, Vec<MessageRow>> = HashMap::new();
    for message in rows.messages {
        messages.entry(message.order_id).or_default().push(message);
    }
    Ok(Page {
        orders,
        payments,
        messages,
        resources: rows.resources.into_iter().map(|r| (r.id, r)).collect(),
        people: people.into_iter().collect(),
    })
}
