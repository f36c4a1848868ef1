//! Rows into wire types: names in the user's language, times in the site's
//! offset, and the payment state as the domain decides it.

use chrono::{DateTime, FixedOffset, Utc};
use orderdesk_domain::{
    awaiting_payment, refund_on_cancel, shop_total_after_collection, Lang, LineNo, LineOutcome,
    Money, OrderFacts, OrderKind, OrderNumber, Payer, PaymentState, ResourceId, Role, ServiceId,
    SystemNote, UserId, Visibility,
};
use orderdesk_protocol::{
    description_line, BookingInfo, ChatMessage, CoworkingInfo, Deadlines, HistoryEntry, HotelInfo,
    MessageId, OrderLine, OrderSummary, PayerInfo, PaymentEntry, PaymentEntryKind,
    PaymentEntryStatus, PaymentInfo, PaymentSource, Person, ResourceRef, ServiceRef, UserSummary,
};

use crate::error::ServiceError;
use crate::orders::facts::{booking_range, line_outcome, parse_kind, parse_status};
use crate::storage::{
    HistoryRow, LineRow, MessageRow, OrderListRow, OrderRow, PaymentRow, ResourceRow, ServiceRow,
    UserRow,
};

pub fn at(t: DateTime<Utc>, site: FixedOffset) -> DateTime<FixedOffset> {
    t.with_timezone(&site)
}

pub fn role_of(row: &UserRow) -> Option<Role> {
    Role::parse(&row.role)
}

pub fn user_summary(row: &UserRow) -> UserSummary {
    let role = role_of(row).unwrap_or(Role::Requester);
    UserSummary {
        id: UserId(row.id),
        login: row.login.clone(),
        name: row.name.clone(),
        role,
        phone: row.phone.clone(),
        email: row.email.clone(),
        company: row.company.clone(),
    }
}

pub fn person(row: &UserRow) -> Person {
    let role = role_of(row);
    Person {
        id: Some(UserId(row.id)),
        name: row.name.clone(),
        role,
        phone: row.phone.clone(),
        email: row.email.clone(),
    }
}

pub fn service_ref(row: &ServiceRow) -> Result<ServiceRef, ServiceError> {
    Ok(ServiceRef {
        id: ServiceId(row.id),
        name: row.name.clone(),
        kind: parse_kind(&row.kind)?,
    })
}

pub fn resource_ref(row: &ResourceRow) -> ResourceRef {
    ResourceRef {
        id: ResourceId(row.id),
        name: row.name.clone(),
        tariff: row.tariff.clone(),
    }
}

/// «В процессе оплаты» of a list row, by the domain's rule.
fn row_awaits_payment(row: &OrderRow, status: orderdesk_domain::Status) -> bool {
    let payment = PaymentState {
        total: Money(row.total),
        paid: Money(row.paid),
        ..PaymentState::default()
    };
    let payer = Payer::from_company(row.payer_company_id.map(UserId));
    awaiting_payment(status, payer, payment)
}

/// The object and time an order holds, in one line.
pub fn period_text(row: &OrderRow, resource_name: Option<&str>) -> Option<String> {
    let name = resource_name?;
    if let Some(range) = booking_range(row) {
        return Some(crate::orders::naming::booking_line_name(name, range));
    }
    let (from, to) = (row.date_from?, row.date_to?);
    Some(format!(
        "{name}, {}–{}",
        from.format("%d.%m.%Y"),
        to.format("%d.%m.%Y")
    ))
}

pub fn summary(r: &OrderListRow, site: FixedOffset) -> Result<OrderSummary, ServiceError> {
    let o = &r.order;
    let kind = parse_kind(&o.kind)?;
    let status = parse_status(&o.status)?;
    Ok(OrderSummary {
        number: OrderNumber(o.number),
        kind,
        status,
        awaiting_payment: row_awaits_payment(o, status),
        title: o.title.clone(),
        service: ServiceRef {
            id: ServiceId(o.service_id),
            name: r.service_name.clone(),
            kind,
        },
        requester_name: r.requester_name.clone(),
        executor_name: r.executor_name.clone(),
        executor_id: o.executor_id.map(UserId),
        total: Money(o.total),
        period_text: period_text(o, r.resource_name.as_deref()),
        description_line: description_line(o.description.as_deref()),
        place: o.premises.clone().or_else(|| r.resource_name.clone()),
        deadlines: deadlines(o, site),
        created_at: at(o.created_at, site),
        updated_at: at(o.updated_at, site),
        version: o.version,
    })
}

pub fn lines(kind: OrderKind, rows: &[LineRow]) -> Vec<OrderLine> {
    rows.iter()
        .map(|l| {
            let outcome = line_outcome(l);
            let missing = if kind == OrderKind::NomenclatureSale {
                outcome.map_or(0, LineOutcome::missing)
            } else {
                0
            };
            let quantity = u32::try_from(l.quantity).unwrap_or(0);
            OrderLine {
                line: LineNo(u32::try_from(l.line).unwrap_or(0)),
                name: l.name.clone(),
                quantity,
                unit_price: Money(l.unit_price),
                total: Money(l.unit_price) * i64::from(quantity.saturating_sub(missing)),
                outcome,
                time: l.time.clone(),
            }
        })
        .collect()
}

/// The order total as shown: for a shop order, less what was found missing.
pub fn shown_total(facts: &OrderFacts) -> Money {
    if facts.kind == OrderKind::NomenclatureSale && facts.lines.iter().any(|l| l.outcome.is_some())
    {
        shop_total_after_collection(&facts.lines)
    } else {
        facts.payment.total
    }
}

pub fn payment_info(row: &OrderRow, facts: &OrderFacts, public_url: &str) -> PaymentInfo {
    let p = facts.payment;
    let payable = p.outstanding().is_positive() && !facts.status.is_cancelled();
    PaymentInfo {
        total: shown_total(facts),
        paid: p.paid,
        refunded: p.refunded,
        outstanding: p.outstanding(),
        awaiting_payment: awaiting_payment(facts.status, facts.payer, p),
        partly_paid: p.is_partly_paid(),
        refund_on_cancel: refund_on_cancel(p),
        payment_url: row
            .payment_token
            .as_ref()
            .filter(|_| payable)
            .map(|t| format!("{public_url}/api/v1/sandbox/pay/{t}")),
    }
}

pub fn payer_info(row: &OrderRow, company: Option<&UserRow>, lang: Lang) -> PayerInfo {
    let payer = Payer::from_company(row.payer_company_id.map(UserId));
    let name = match payer {
        Payer::Company { payer_id } => company
            .and_then(|c| c.company.clone())
            .unwrap_or_else(|| format!("#{payer_id}")),
        Payer::Individual => match lang {
            Lang::Ru => "Физическое лицо",
            Lang::En => "Individual",
        }
        .to_owned(),
    };
    PayerInfo { payer, name }
}

pub fn payment_entry(p: &PaymentRow, site: FixedOffset) -> PaymentEntry {
    PaymentEntry {
        id: p.id,
        kind: if p.kind == "refund" {
            PaymentEntryKind::Refund
        } else {
            PaymentEntryKind::Payment
        },
        source: if p.source == "manual" {
            PaymentSource::Manual
        } else {
            PaymentSource::Gateway
        },
        status: if p.status == "completed" {
            PaymentEntryStatus::Completed
        } else {
            PaymentEntryStatus::Pending
        },
        amount: Money(p.amount),
        created_at: at(p.created_at, site),
        completed_at: p.completed_at.map(|t| at(t, site)),
    }
}

pub fn booking_info(row: &OrderRow, resource: Option<&ResourceRow>) -> Option<BookingInfo> {
    let range = booking_range(row)?;
    let resource = resource?;
    let (start, end) = range.time_span();
    Some(BookingInfo {
        resource: resource_ref(resource),
        date: range.date,
        slots: range.slots().map(|s| s.to_string()).collect(),
        start,
        end,
        slot_price: Money(row.slot_price.unwrap_or(0)),
    })
}

pub fn coworking_info(row: &OrderRow, resource: Option<&ResourceRow>) -> Option<CoworkingInfo> {
    let (from, to) = (row.date_from?, row.date_to?);
    Some(CoworkingInfo {
        resource: resource_ref(resource?),
        ticket_number: row.ticket_number.clone()?,
        date_from: from,
        date_to: to,
        days: u32::try_from((to - from).num_days() + 1).unwrap_or(0),
    })
}

pub fn hotel_info(row: &OrderRow, resource: Option<&ResourceRow>) -> Option<HotelInfo> {
    let (check_in, check_out) = (row.date_from?, row.date_to?);
    Some(HotelInfo {
        resource: resource_ref(resource?),
        reservation_number: row.reservation_number.clone()?,
        check_in,
        check_out,
        nights: u32::try_from((check_out - check_in).num_days()).unwrap_or(0),
        adults: u32::try_from(row.adults.unwrap_or(0)).unwrap_or(0),
        children: u32::try_from(row.children.unwrap_or(0)).unwrap_or(0),
        extras_separate_line: row.extras_separate_line,
    })
}

pub fn deadlines(row: &OrderRow, site: FixedOffset) -> Deadlines {
    Deadlines {
        first_response_due: row.first_response_due.map(|t| at(t, site)),
        completion_due: row.completion_due.map(|t| at(t, site)),
    }
}

/// A stored note, or `None` for a row before the codes or one this server
/// cannot read (it then shows its stored text).
pub fn note_of(json: Option<&str>) -> Option<SystemNote> {
    json.and_then(|json| serde_json::from_str(json).ok())
}

/// A chat message; a system message with a note is worded in `lang`.
pub fn message(m: &MessageRow, site: FixedOffset, lang: Lang) -> ChatMessage {
    let note = note_of(m.note.as_deref());
    ChatMessage {
        id: MessageId(m.id),
        visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Internal),
        system: m.system,
        author_id: m.author_id.map(UserId),
        author_name: m.author_name.clone(),
        text: note
            .as_ref()
            .map_or_else(|| m.text.clone(), |note| note.text(lang)),
        note,
        created_at: at(m.created_at, site),
    }
}

/// One history entry worded in `lang`; `None` for a note this server
/// cannot read.
pub fn history_entry(h: &HistoryRow, site: FixedOffset, lang: Lang) -> Option<HistoryEntry> {
    let note = note_of(Some(&h.note))?;
    Some(HistoryEntry {
        at: at(h.created_at, site),
        actor_id: h.actor_id.map(UserId),
        actor_name: h.actor_name.clone(),
        text: note.text(lang),
        note,
    })
}
