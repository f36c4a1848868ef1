//! Turning an order's rows into the domain's `OrderFacts`, the only thing the
//! rules read.

use chrono::Duration;
use orderdesk_domain::{
    BookingFacts, LineFacts, LineNo, LineOutcome, Money, OrderFacts, OrderKind, OrderNumber, Payer,
    PaymentState, Period, ResourceId, Slot, SlotRange, Status, UserId,
};

use crate::error::ServiceError;
use crate::storage::{self, Conn, LineRow, OrderRow, ServiceRow};

/// An order as loaded for a decision: its rows and the facts built from them.
#[derive(Debug, Clone)]
pub struct OrderCtx {
    pub row: OrderRow,
    pub lines: Vec<LineRow>,
    pub service: ServiceRow,
    pub responsible: Vec<i64>,
    pub facts: OrderFacts,
}

impl OrderCtx {
    pub fn number(&self) -> OrderNumber {
        OrderNumber(self.row.number)
    }
}

/// Loads an order by number; not found when there is none.
pub async fn load(conn: &mut Conn, number: OrderNumber) -> Result<OrderCtx, ServiceError> {
    let row = storage::order_by_number(conn, number.0)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(format!("заказ №{number}"), format!("order {number}"))
        })?;
    load_row(conn, row).await
}

/// Loads the rest of an order whose row is at hand.
pub async fn load_row(conn: &mut Conn, row: OrderRow) -> Result<OrderCtx, ServiceError> {
    let lines = storage::lines_of(conn, row.id).await?;
    let service = storage::service(conn, row.service_id)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("order {} has no service", row.number)))?;
    let responsible = storage::responsible_of(conn, row.service_id).await?;
    let facts = facts_of(&row, &lines, &service, &responsible)?;
    Ok(OrderCtx {
        row,
        lines,
        service,
        responsible,
        facts,
    })
}

pub fn parse_kind(id: &str) -> Result<OrderKind, ServiceError> {
    OrderKind::parse(id)
        .ok_or_else(|| ServiceError::internal(format!("unknown kind {id} in storage")))
}

pub fn parse_status(id: &str) -> Result<Status, ServiceError> {
    Status::parse(id)
        .ok_or_else(|| ServiceError::internal(format!("unknown status {id} in storage")))
}

pub fn line_outcome(line: &LineRow) -> Option<LineOutcome> {
    match line.outcome.as_deref() {
        Some("collected") => Some(LineOutcome::Collected),
        Some("missing") => Some(LineOutcome::Missing {
            quantity: u32::try_from(line.missing).unwrap_or(0),
        }),
        _ => None,
    }
}

/// The slot range a booking row holds, if it is a booking.
pub fn booking_range(row: &OrderRow) -> Option<SlotRange> {
    let date = row.booking_date?;
    let first = Slot::from_index(u8::try_from(row.first_slot?).ok()?)?;
    let count = u8::try_from(row.slot_count?).ok()?;
    SlotRange::new(date, first, count).ok()
}

pub fn facts_of(
    row: &OrderRow,
    lines: &[LineRow],
    service: &ServiceRow,
    responsible: &[i64],
) -> Result<OrderFacts, ServiceError> {
    let kind = parse_kind(&row.kind)?;
    let booking = match (kind, row.resource_id, booking_range(row)) {
        (OrderKind::Booking, Some(resource), Some(range)) => Some(BookingFacts {
            resource: ResourceId(resource),
            slot_price: Money(row.slot_price.unwrap_or(0)),
            range,
        }),
        _ => None,
    };
    let period = match (row.period_start, row.period_end) {
        (Some(start), Some(end)) => Some(Period { start, end }),
        _ => None,
    };
    Ok(OrderFacts {
        kind,
        status: parse_status(&row.status)?,
        requester: UserId(row.requester_id),
        executor: row.executor_id.map(UserId),
        responsible: responsible.iter().copied().map(UserId).collect(),
        payer: match row.payer_company_id {
            Some(id) => Payer::Company {
                payer_id: UserId(id),
            },
            None => Payer::Individual,
        },
        payment: PaymentState {
            total: Money(row.total),
            paid: Money(row.paid),
            refunded: Money(row.refunded),
            refunding: Money(row.refunding),
        },
        awaiting_since: row.awaiting_since,
        auto_close_after: Duration::minutes(service.auto_close_minutes),
        period,
        booking,
        lines: lines
            .iter()
            .map(|l| LineFacts {
                line: LineNo(u32::try_from(l.line).unwrap_or(0)),
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_price: Money(l.unit_price),
                outcome: line_outcome(l),
            })
            .collect(),
    })
}
