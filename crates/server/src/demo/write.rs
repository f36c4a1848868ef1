//! Writing one demo order as its draft says: the row, lines, holds, the
//! money the status implies, a chat and the change log entry.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use orderdesk_domain::{OrderKind, Slot, SlotRange, Status, SystemNote};

use crate::orders::effects::write_note;
use rand::rngs::StdRng;
use rand::Rng;

use super::DemoIds;
use crate::error::ServiceError;
use crate::orders::naming::{booking_line_name, payment_token, search_text, NewLine};
use crate::state::AppState;
use crate::storage::{self, Conn, LineRow, NewPayment, OrderRow};

const REQUESTER_LINES: [&str; 4] = [
    "Добрый день! Подскажите, когда ждать?",
    "Спасибо, жду.",
    "Можно ли перенести на вечер?",
    "Уточните, пожалуйста, стоимость.",
];

const MANAGER_LINES: [&str; 4] = [
    "Здравствуйте! Заказ принят в работу.",
    "Исполнитель будет в течение часа.",
    "Все готово, проверьте, пожалуйста.",
    "Уточнили детали, все в силе.",
];

const INTERNAL_LINES: [&str; 3] = [
    "Внутреннее: согласовать с охраной доступ.",
    "Внутреннее: клиент постоянный, без предоплаты не отказываем.",
    "Внутреннее: проверить остатки на складе.",
];

pub(super) struct Draft {
    pub row: OrderRow,
    pub lines: Vec<NewLine>,
    pub paid_by_gateway: i64,
    pub paid_manually: i64,
}

/// One demo order being made: its place in the sequence, kind, status, the
/// day it is about and when it was created.
pub(super) struct Spec {
    pub i: usize,
    pub kind: OrderKind,
    pub status: Status,
    pub day: NaiveDate,
    pub created: DateTime<Utc>,
}

/// The demo's now, the site's offset and its today.
pub(super) struct When {
    pub now: DateTime<Utc>,
    pub site: FixedOffset,
    pub today: NaiveDate,
}

pub(super) enum Hold {
    /// resource, day, first slot, count, slot price, room name
    Slots(i64, NaiveDate, u8, u8, i64, String),
    Capacity(i64, i64, Vec<NaiveDate>),
}

/// Writes one demo order: row, lines, holds, money, chat, change log.
pub(super) async fn write_order(
    conn: &mut Conn,
    state: &AppState,
    ids: &DemoIds,
    rng: &mut StdRng,
    mut d: Draft,
    hold: Option<Hold>,
    spec: &Spec,
) -> Result<(), ServiceError> {
    let now = state.now();
    // Place the meeting-room slots first: a busy day moves the booking.
    let slots = place_slots(&mut d, hold.as_ref(), state.config().site_offset)?;
    d.row.total = d.lines.iter().map(|l| l.2 * l.3).sum();
    settle_paid(&mut d, spec);
    finish_row(&mut d, ids);
    // Slots an earlier demo order holds make this one a cancelled booking
    // instead of a double booking, which the database would refuse.
    let mut live = !spec.status.is_cancelled();
    if live && !slots_free(conn, slots.as_ref()).await? {
        d.row.status = Status::Cancelled.id().to_owned();
        live = false;
    }
    let order_id = storage::insert_order(conn, &d.row).await?;
    let missing_refund = insert_lines(conn, &d, order_id, spec).await?;
    if live {
        take_hold(conn, hold.as_ref(), slots, order_id).await?;
    }
    let paid_at = write_money(conn, state, &d, order_id, missing_refund, spec.status).await?;
    chat(conn, ids, rng, order_id, &d.row, spec.status, spec.i).await?;
    storage::record_creation(conn, order_id, 1, d.row.created_at.max(paid_at).min(now)).await?;
    Ok(())
}

/// The booking's slots on its row and line.
fn place_slots(
    d: &mut Draft,
    hold: Option<&Hold>,
    site: FixedOffset,
) -> Result<Option<(i64, SlotRange)>, ServiceError> {
    let Some(Hold::Slots(resource, day, first, count, price, name)) = hold else {
        return Ok(None);
    };
    let first = Slot::from_index(*first).ok_or_else(|| ServiceError::internal("demo slot"))?;
    let range = SlotRange::new(*day, first, *count)
        .map_err(|e| ServiceError::internal(format!("demo slot range: {e}")))?;
    let (start, end) = range.instants(site);
    d.row.booking_date = Some(range.date);
    d.row.first_slot = Some(i64::from(range.first.index()));
    d.row.slot_count = Some(i64::from(range.count));
    d.row.slot_price = Some(*price);
    d.row.period_start = Some(start);
    d.row.period_end = Some(end);
    d.lines.push((
        None,
        booking_line_name(name, range),
        i64::from(*count),
        *price,
        None,
    ));
    Ok(Some((*resource, range)))
}

/// How much the gateway took, as the status implies.
fn settle_paid(d: &mut Draft, spec: &Spec) {
    let (kind, status, i) = (spec.kind, spec.status, spec.i);
    let individual = d.row.payer_company_id.is_none();
    let paid_statuses = matches!(
        status,
        Status::Confirmed
            | Status::Active
            | Status::Finished
            | Status::CancelledRefundPending
            | Status::CancelledRefunded
    ) || (kind == OrderKind::NomenclatureSale
        && matches!(
            status,
            Status::Collecting | Status::ReadyForPickup | Status::Done
        ));
    if d.row.total > 0 && individual && paid_statuses {
        d.paid_by_gateway = d.row.total;
    }
    if d.row.total > 0
        && matches!(
            status,
            Status::CancelledRefundPending | Status::CancelledRefunded
        )
        && d.paid_by_gateway == 0
    {
        d.paid_by_gateway = d.row.total;
    }
    // Shop orders are mostly paid online when placed: every other new one
    // waits for collection, not for payment.
    if status == Status::New
        && kind == OrderKind::NomenclatureSale
        && (i / OrderKind::ALL.len()).is_multiple_of(2)
    {
        d.paid_by_gateway = d.row.total;
    }
    // Some new coworking and hotel orders are partly paid: «Провести оплату».
    if status == Status::New
        && individual
        && i % 4 == 1
        && matches!(kind, OrderKind::CoworkingBooking | OrderKind::HotelBooking)
    {
        d.paid_by_gateway = d.row.total / 2;
    }
}

/// Payment link, search text and paid sum.
fn finish_row(d: &mut Draft, ids: &DemoIds) {
    if d.row.total > 0 && d.row.payer_company_id.is_none() {
        d.row.payment_token = Some(payment_token());
    }
    let requester_name = if d.row.requester_id == ids.company {
        "Мария Ромашкина"
    } else {
        "Иван Резидентов"
    };
    let names: Vec<&str> = d.lines.iter().map(|l| l.1.as_str()).collect();
    d.row.search = search_text(&[
        &d.row.title,
        d.row.description.as_deref().unwrap_or(""),
        d.row.premises.as_deref().unwrap_or(""),
        requester_name,
        &names.join(" "),
    ]);
    d.row.paid = d.paid_by_gateway + d.paid_manually;
}

/// The lines; shop collection outcomes follow the status, and every fourth
/// finished one had a unit missing, refunded. Returns that refund.
async fn insert_lines(
    conn: &mut Conn,
    d: &Draft,
    order_id: i64,
    spec: &Spec,
) -> Result<i64, ServiceError> {
    let (kind, status, i) = (spec.kind, spec.status, spec.i);
    let mut missing_refund = 0;
    for (n, (product_id, name, quantity, unit_price, time)) in d.lines.iter().enumerate() {
        let (outcome, missing) = match (kind, status) {
            (OrderKind::NomenclatureSale, Status::ReadyForPickup | Status::Done)
                if n == 0 && i.is_multiple_of(4) =>
            {
                missing_refund += unit_price;
                (Some("missing".to_owned()), 1)
            }
            (OrderKind::NomenclatureSale, Status::ReadyForPickup | Status::Done) => {
                (Some("collected".to_owned()), 0)
            }
            (OrderKind::NomenclatureSale, Status::Collecting) if n % 2 == 0 => {
                (Some("collected".to_owned()), 0)
            }
            _ => (None, 0),
        };
        let line = LineRow {
            order_id,
            line: n as i64 + 1,
            product_id: *product_id,
            name: name.clone(),
            quantity: *quantity,
            unit_price: *unit_price,
            outcome,
            missing,
            time: time.clone(),
        };
        storage::insert_line(conn, &line).await?;
    }
    Ok(missing_refund)
}

/// Whether none of the slots is held yet.
async fn slots_free(
    conn: &mut Conn,
    slots: Option<&(i64, SlotRange)>,
) -> Result<bool, ServiceError> {
    let Some((resource, range)) = slots else {
        return Ok(true);
    };
    let taken = storage::taken_slots(conn, *resource, range.date).await?;
    Ok(range
        .slots()
        .all(|s| !taken.contains(&i64::from(s.index()))))
}

async fn take_hold(
    conn: &mut Conn,
    hold: Option<&Hold>,
    slots: Option<(i64, SlotRange)>,
    order_id: i64,
) -> Result<(), ServiceError> {
    match (hold, slots) {
        (Some(Hold::Slots(..)), Some((resource, range))) => {
            let idx: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
            // Checked free by `slots_free` in the same transaction.
            storage::take_slots(conn, resource, range.date, &idx, order_id).await?;
        }
        (Some(Hold::Capacity(resource, capacity, days)), _) => {
            storage::take_capacity(conn, *resource, days, 1, *capacity, order_id).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The gateway payment and any refund, with the money columns they move;
/// returns when the payment was made.
async fn write_money(
    conn: &mut Conn,
    state: &AppState,
    d: &Draft,
    order_id: i64,
    missing_refund: i64,
    status: Status,
) -> Result<DateTime<Utc>, ServiceError> {
    let paid_at = d.row.created_at + Duration::minutes(10);
    let mut money = storage::MoneyColumns {
        refunded: 0,
        refunding: 0,
        ..storage::MoneyColumns::of(&d.row)
    };
    if d.paid_by_gateway > 0 {
        storage::insert_payment(
            conn,
            &NewPayment {
                order_id,
                kind: "payment",
                source: "gateway",
                status: "completed",
                amount: d.paid_by_gateway,
                created_at: paid_at,
                completes_at: None,
                completed_at: Some(paid_at),
            },
        )
        .await?;
        write_note(conn, order_id, None, &SystemNote::GatewayPayment, paid_at).await?;
    }
    let refund = match status {
        Status::CancelledRefundPending | Status::CancelledRefunded => d.paid_by_gateway,
        _ if d.paid_by_gateway > 0 => missing_refund,
        _ => 0,
    };
    if refund > 0 {
        let done = status != Status::CancelledRefundPending;
        let completes = if done {
            paid_at + Duration::hours(1)
        } else {
            state.now() + state.config().refund_delay
        };
        storage::insert_payment(
            conn,
            &NewPayment {
                order_id,
                kind: "refund",
                source: "gateway",
                status: if done { "completed" } else { "pending" },
                amount: refund,
                created_at: paid_at,
                completes_at: Some(completes),
                completed_at: done.then_some(completes),
            },
        )
        .await?;
        if done {
            money.refunded = refund;
        } else {
            money.refunding = refund;
        }
    }
    storage::set_money(conn, order_id, &money).await?;
    Ok(paid_at)
}

async fn chat(
    conn: &mut Conn,
    ids: &DemoIds,
    rng: &mut StdRng,
    order_id: i64,
    row: &OrderRow,
    status: Status,
    i: usize,
) -> Result<(), ServiceError> {
    let manager = match OrderKind::parse(&row.kind) {
        Some(k) if k.is_request() => ids.service,
        Some(OrderKind::NomenclatureSale) => ids.shop,
        _ => ids.rental,
    };
    let mut at = row.created_at + Duration::minutes(rng.gen_range(1..30));
    if i.is_multiple_of(2) {
        storage::insert_message(
            conn,
            order_id,
            Some(row.requester_id),
            "public",
            false,
            REQUESTER_LINES[i % REQUESTER_LINES.len()],
            at,
        )
        .await?;
        at += Duration::minutes(rng.gen_range(5..60));
    }
    if status != Status::New {
        storage::insert_message(
            conn,
            order_id,
            Some(manager),
            "public",
            false,
            MANAGER_LINES[i % MANAGER_LINES.len()],
            at,
        )
        .await?;
        at += Duration::minutes(1);
        let note = SystemNote::StatusChanged {
            from: Some(Status::New),
            to: status,
        };
        write_note(conn, order_id, Some(manager), &note, at).await?;
        at += Duration::minutes(1);
    }
    if i.is_multiple_of(3) {
        storage::insert_message(
            conn,
            order_id,
            Some(manager),
            "internal",
            false,
            INTERNAL_LINES[i % INTERNAL_LINES.len()],
            at,
        )
        .await?;
    }
    Ok(())
}
