//! Reading orders as a user may see them: the list with its filters, the
//! card, the chat. Which orders a user sees is decided by `may_view`, also
//! for the list, where it is asked once per service.

use orderdesk_domain::{
    allowed_actions, may_view, may_view_internal, status_hint, Due, OrderFacts, OrderKind,
    OrderNumber, Role, Status, UserId,
};
use orderdesk_protocol::{
    ErrorCode, ListSort, MessageList, OrderDetail, OrderListQuery, OrderPage, QuickFilter,
};

use crate::caller::Caller;
use crate::error::{ServiceError, Text};
use crate::orders::facts::{self, parse_kind};
use crate::state::AppState;
use crate::storage::{self, AssigneeFilter, AwaitedDue, Conn, ListFilter, ListOrder, Scope};
use crate::view;

/// The orders a user may see, as a storage scope.
pub async fn scope_for(conn: &mut Conn, caller: &Caller) -> Result<Scope, ServiceError> {
    match caller.role {
        Role::Admin => Ok(Scope::All),
        Role::Requester => Ok(Scope::RequestedBy(caller.id.0)),
        _ => {
            let mut pairs = Vec::new();
            for service in storage::services_of(conn, caller.id.0).await? {
                let kind = parse_kind(&service.kind)?;
                // An order of this service that the user is responsible for:
                // the rules say whether the role covers its kind.
                let probe = OrderFacts::new(kind, UserId(0), vec![caller.id]);
                if may_view(&probe, caller.actor()).is_ok() {
                    pairs.push((service.id, kind.id().to_owned()));
                }
            }
            Ok(Scope::Services(pairs))
        }
    }
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &OrderListQuery,
) -> Result<OrderPage, ServiceError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Status::parse(s).ok_or_else(|| ServiceError::Invalid {
            code: ErrorCode::UnknownStatus,
            text: Text::new(
                format!("Неизвестный статус «{s}»."),
                format!("Unknown status “{s}”."),
            ),
        })?),
        None => None,
    };
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        Some(k) => Some(OrderKind::parse(k).ok_or_else(|| ServiceError::Invalid {
            code: ErrorCode::UnknownKind,
            text: Text::new(
                format!("Неизвестный тип «{k}»."),
                format!("Unknown kind “{k}”."),
            ),
        })?),
        None => None,
    };
    let assignee = match q.assignee.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("none") => Some(AssigneeFilter::Nobody),
        Some("me") => Some(AssigneeFilter::User(caller.id.0)),
        Some(id) => Some(AssigneeFilter::User(id.parse().map_err(|_| {
            ServiceError::invalid(
                ErrorCode::InvalidQuery,
                "assignee: id пользователя, «me» или «none».",
                "assignee: a user id, `me` or `none`.",
            )
        })?)),
    };
    let quick_assignee = match q.quick {
        Some(QuickFilter::Mine) => Some(AssigneeFilter::User(caller.id.0)),
        Some(QuickFilter::Unassigned) => Some(AssigneeFilter::Nobody),
        Some(QuickFilter::Overdue) | None => None,
    };
    let overdue_at = (q.quick == Some(QuickFilter::Overdue)).then(|| state.now().timestamp());
    let text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let number = text.and_then(|t| t.trim_start_matches('№').trim().parse::<i64>().ok());
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let page = q.page.unwrap_or(1).max(1);
    let mut conn = state.storage().read().await?;
    let filter = ListFilter {
        scope: scope_for(&mut conn, caller).await?,
        status: status.map(|s| s.id().to_owned()),
        kind: kind.map(|k| k.id().to_owned()),
        number,
        text: text.map(str::to_lowercase),
        assignee,
        quick_assignee,
        overdue_at,
        due: awaited_due(),
        order: match q.sort.unwrap_or_default() {
            ListSort::Newest => ListOrder::Newest,
            ListSort::DueSoonest => ListOrder::DueSoonest,
        },
        limit: i64::from(per_page),
        offset: i64::from(page - 1) * i64::from(per_page),
    };
    let (rows, total) = storage::list_orders(&mut conn, &filter).await?;
    let site = state.config().site_offset;
    let items = rows
        .iter()
        .map(|r| view::summary(r, site))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OrderPage {
        items,
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

/// The statuses in which each due time is awaited, as the domain's
/// [`Due::awaited_in`] says: what «Просрочено» and «due soonest» read.
fn awaited_due() -> AwaitedDue {
    let ids = |due: Due| {
        due.awaited_statuses()
            .into_iter()
            .map(|s| s.id().to_owned())
            .collect()
    };
    AwaitedDue {
        first_response: ids(Due::FirstResponse),
        completion: ids(Due::Completion),
    }
}

/// The order card, as `user` may see it.
pub async fn detail(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
) -> Result<OrderDetail, ServiceError> {
    let mut conn = state.storage().read().await?;
    detail_on(state, &mut conn, caller, number).await
}

/// The order card as `conn` sees it (a writing transaction sees its own
/// change).
pub async fn detail_on(
    state: &AppState,
    conn: &mut Conn,
    caller: &Caller,
    number: OrderNumber,
) -> Result<OrderDetail, ServiceError> {
    let ctx = facts::load(conn, number).await?;
    may_view(&ctx.facts, caller.actor())?;
    detail_of(state, conn, &ctx, caller).await
}

/// The card of a loaded order; the caller has checked the user may see it.
pub async fn detail_of(
    state: &AppState,
    conn: &mut Conn,
    ctx: &facts::OrderCtx,
    caller: &Caller,
) -> Result<OrderDetail, ServiceError> {
    let row = &ctx.row;
    let users = storage::users_by_ids(conn, &people_of(ctx)).await?;
    let resource = match row.resource_id {
        Some(id) => storage::resource(conn, id).await?,
        None => None,
    };
    // Every payment or refund row moves `paid`, `refunded` or `refunding`:
    // an order with none of them has no rows to read.
    let payments = if row.paid == 0 && row.refunded == 0 && row.refunding == 0 {
        Vec::new()
    } else {
        storage::payments_of(conn, row.id).await?
    };
    let staff = may_view_internal(&ctx.facts, caller.actor());
    let extras = if staff {
        CardExtras {
            history: storage::history_of(conn, row.id).await?,
            replies: storage::replies_of(conn, ctx.service.id).await?,
        }
    } else {
        CardExtras::default()
    };
    let rows = CardRows {
        users: &users,
        resource: resource.as_ref(),
        payments: &payments,
        extras: &extras,
    };
    detail_from(state, ctx, &rows, caller)
}

/// What only staff see on a card: the order's history and the service's
/// canned replies.
#[derive(Debug, Default)]
pub struct CardExtras {
    pub history: Vec<storage::HistoryRow>,
    pub replies: Vec<String>,
}

/// The rows a card is built from besides the order's own.
pub struct CardRows<'a> {
    /// At least [`people_of`] the order.
    pub users: &'a [storage::UserRow],
    pub resource: Option<&'a storage::ResourceRow>,
    /// The order's own payments.
    pub payments: &'a [storage::PaymentRow],
    /// Given only to staff; a requester gets the default.
    pub extras: &'a CardExtras,
}

/// The users an order's card names: responsible managers, requester,
/// executor and company payer.
pub fn people_of(ctx: &facts::OrderCtx) -> Vec<i64> {
    let row = &ctx.row;
    let mut ids: Vec<i64> = ctx.responsible.clone();
    ids.push(row.requester_id);
    ids.extend(row.executor_id);
    ids.extend(row.payer_company_id);
    ids
}

/// The guest or visitor named on the order, when it is not the requester.
fn visitor_of(row: &crate::storage::OrderRow) -> Option<orderdesk_protocol::Person> {
    row.visitor_name
        .as_ref()
        .map(|name| orderdesk_protocol::Person {
            id: None,
            name: name.clone(),
            role: None,
            phone: row.visitor_phone.clone(),
            email: row.visitor_email.clone(),
        })
}

/// The history, worded in the caller's language, and the canned replies:
/// for staff only.
fn staff_part(
    ctx: &facts::OrderCtx,
    extras: &CardExtras,
    caller: &Caller,
    site: chrono::FixedOffset,
) -> (Vec<orderdesk_protocol::HistoryEntry>, Vec<String>) {
    if !may_view_internal(&ctx.facts, caller.actor()) {
        return (Vec::new(), Vec::new());
    }
    let history = extras
        .history
        .iter()
        .filter_map(|h| view::history_entry(h, site, caller.lang))
        .collect();
    (history, extras.replies.clone())
}

/// The card of an order from rows already read.
pub fn detail_from(
    state: &AppState,
    ctx: &facts::OrderCtx,
    rows: &CardRows<'_>,
    caller: &Caller,
) -> Result<OrderDetail, ServiceError> {
    let (lang, site) = (caller.lang, state.config().site_offset);
    let (users, resource, payments) = (rows.users, rows.resource, rows.payments);
    let (history, canned_replies) = staff_part(ctx, rows.extras, caller, site);
    let row = &ctx.row;
    let find = |id: i64| users.iter().find(|u| u.id == id);
    let kind = ctx.facts.kind;
    let status = ctx.facts.status;
    let requester = find(row.requester_id)
        .map(view::person)
        .ok_or_else(|| ServiceError::internal(format!("order {} has no requester", row.number)))?;
    Ok(OrderDetail {
        number: OrderNumber(row.number),
        kind,
        status,
        title: row.title.clone(),
        description: row.description.clone(),
        comment: row.comment.clone(),
        premises: row.premises.clone(),
        service: view::service_ref(&ctx.service)?,
        payment: view::payment_info(row, &ctx.facts, &state.config().public_url),
        payer: view::payer_info(row, row.payer_company_id.and_then(find), lang),
        booking: (kind == OrderKind::Booking)
            .then(|| view::booking_info(row, resource))
            .flatten(),
        coworking: (kind == OrderKind::CoworkingBooking)
            .then(|| view::coworking_info(row, resource))
            .flatten(),
        hotel: (kind == OrderKind::HotelBooking)
            .then(|| view::hotel_info(row, resource))
            .flatten(),
        period_start: row.period_start.map(|t| view::at(t, site)),
        period_end: row.period_end.map(|t| view::at(t, site)),
        lines: view::lines(kind, &ctx.lines),
        payments: payments
            .iter()
            .map(|p| view::payment_entry(p, site))
            .collect(),
        requester,
        visitor: visitor_of(row),
        executor: row.executor_id.and_then(find).map(view::person),
        responsible: ctx
            .responsible
            .iter()
            .filter_map(|id| find(*id))
            .map(view::person)
            .collect(),
        deadlines: view::deadlines(row, site),
        allowed: allowed_actions(&ctx.facts, caller.actor()),
        status_hint: status_hint(&ctx.facts, caller.actor()),
        history,
        canned_replies,
        version: row.version,
        created_at: view::at(row.created_at, site),
        updated_at: view::at(row.updated_at, site),
    })
}

/// The chat of an order; internal messages only for those the rules let
/// read them, never a requester.
pub async fn messages(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
) -> Result<MessageList, ServiceError> {
    let mut conn = state.storage().read().await?;
    messages_on(state, &mut conn, caller, number).await
}

/// The chat as `conn` sees it.
pub async fn messages_on(
    state: &AppState,
    conn: &mut Conn,
    caller: &Caller,
    number: OrderNumber,
) -> Result<MessageList, ServiceError> {
    let ctx = facts::load(conn, number).await?;
    may_view(&ctx.facts, caller.actor())?;
    let internal = may_view_internal(&ctx.facts, caller.actor());
    let rows = storage::messages_of(conn, ctx.row.id, internal).await?;
    let site = state.config().site_offset;
    Ok(MessageList {
        messages: rows
            .iter()
            .map(|m| view::message(m, site, caller.lang))
            .collect(),
    })
}
