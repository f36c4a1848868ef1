//! The demo's orders: every kind in every status it can have, spread around
//! today, with lines, holds, payments, refunds and chats consistent with the
//! status. Rows are written directly (the past cannot be replayed through
//! the rules), using the same holds the live flows use.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use orderdesk_domain::{Lang, OrderKind, Slot, SlotRange, Status, SystemMessage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{DemoIds, DEMO_ORDERS};
use crate::error::ServiceError;
use crate::orders::naming::{booking_line_name, local_instant, payment_token, search_text};
use crate::state::AppState;
use crate::storage::{self, Conn, LineRow, NewPayment, OrderRow};

const REQUEST_TEXTS: [&str; 8] = [
    "Нужна уборка переговорной после встречи",
    "Течет кран на кухне 3 этажа",
    "Пропуск для гостя на завтра, 10:00",
    "Протереть окна в офисе 305",
    "Не работает слив в санузле",
    "Пропуск для курьера на сегодня",
    "Вынести коробки после переезда",
    "Аренда зала для тренинга на 20 человек",
];

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

fn statuses(kind: OrderKind) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| s.applies_to(kind))
        .collect()
}

/// Days from today an order of this status is placed at.
fn day_offset(rng: &mut StdRng, status: Status) -> i64 {
    match status {
        Status::Finished | Status::Done => -rng.gen_range(1..20),
        Status::Active => 0,
        Status::New | Status::Confirmed => rng.gen_range(1..20),
        _ => rng.gen_range(-10..10),
    }
}

/// The first public number the demo hands out.
pub const FIRST_NUMBER: i64 = 1001;

struct Draft {
    row: OrderRow,
    lines: Vec<crate::orders::naming::NewLine>,
    paid_by_gateway: i64,
    paid_manually: i64,
}

pub async fn generate(conn: &mut Conn, state: &AppState, ids: &DemoIds) -> Result<(), ServiceError> {
    let mut rng = StdRng::seed_from_u64(20_261_127);
    let now = state.now();
    let site = state.config().site_offset;
    let today = now.with_timezone(&site).date_naive();
    let kinds = OrderKind::ALL;
    for i in 0..DEMO_ORDERS {
        let kind = kinds[i % kinds.len()];
        let all = statuses(kind);
        let status = all[(i / kinds.len()) % all.len()];
        let company = i % 5 == 4;
        let requester = if company { ids.company } else { ids.resident };
        let offset = day_offset(&mut rng, status);
        let day = today + Duration::days(offset);
        let created = (now + Duration::days(offset.min(0)) - Duration::hours(rng.gen_range(2..72)))
            .min(now - Duration::minutes(5));
        let mut row = OrderRow {
            number: FIRST_NUMBER + i as i64,
            kind: kind.id().to_owned(),
            status: status.id().to_owned(),
            requester_id: requester,
            version: 1,
            created_at: created,
            updated_at: created,
            ..OrderRow::default()
        };
        let mut draft = Draft {
            row: OrderRow::default(),
            lines: Vec::new(),
            paid_by_gateway: 0,
            paid_manually: 0,
        };
        let mut hold: Option<Hold> = None;
        match kind {
            OrderKind::SimpleRequest | OrderKind::PremisesRequest => {
                let candidates: Vec<_> = ids.requests.iter().filter(|r| r.1 == kind.id()).collect();
                let (service_id, _, name) = *candidates[i % candidates.len()];
                row.service_id = service_id;
                row.title = name.to_owned();
                row.description = Some(REQUEST_TEXTS[i % REQUEST_TEXTS.len()].to_owned());
                if kind == OrderKind::PremisesRequest {
                    row.premises = Some(format!("Помещение {}", 100 + (i % 7) * 101));
                }
                if matches!(
                    status,
                    Status::InProgress | Status::AwaitingConfirmation | Status::Done
                ) {
                    row.executor_id = Some(if name == "Уборка" && i % 2 == 0 {
                        ids.service2
                    } else {
                        ids.service
                    });
                }
                row.first_response_due = Some(created + Duration::hours(2));
                row.completion_due = Some(created + Duration::days(1));
                if status == Status::AwaitingConfirmation {
                    row.awaiting_since = Some(now - Duration::hours(rng.gen_range(1..6)));
                }
            }
            OrderKind::Booking => {
                let room = &ids.rooms[i % ids.rooms.len()];
                row.service_id = ids.rooms_service;
                row.title = room.name.clone();
                row.resource_id = Some(room.id);
                let count: u8 = rng.gen_range(1..=4);
                let first = rng.gen_range(0..(32 - count));
                hold = Some(Hold::Slots(
                    room.id,
                    day,
                    first,
                    count,
                    room.unit_price,
                    room.name.clone(),
                ));
            }
            OrderKind::CoworkingBooking => {
                let r = &ids.coworking;
                let days: i64 = rng.gen_range(1..=3);
                let from = if status == Status::Active { today } else { day };
                let to = from + Duration::days(days - 1);
                row.service_id = ids.coworking_service;
                row.title = r.name.clone();
                row.resource_id = Some(r.id);
                row.date_from = Some(from);
                row.date_to = Some(to);
                row.period_start = Some(local_instant(from, 0, 0, site));
                row.period_end = Some(local_instant(to, 0, 0, site) + Duration::days(1));
                row.ticket_number = Some(format!("К-{}", row.number));
                draft.lines.push((
                    None,
                    format!("{}, тариф «Стандарт», рабочее место", r.name),
                    days,
                    r.unit_price,
                    None,
                ));
                hold = Some(Hold::Capacity(
                    r.id,
                    r.capacity,
                    from.iter_days().take(days as usize).collect(),
                ));
            }
            OrderKind::HotelBooking => {
                let r = &ids.hotel;
                let nights: i64 = rng.gen_range(1..=4);
                let check_in = if status == Status::Active {
                    today - Duration::days(1)
                } else {
                    day
                };
                let check_out = check_in + Duration::days(nights);
                row.service_id = ids.hotel_service;
                row.title = r.name.clone();
                row.resource_id = Some(r.id);
                row.date_from = Some(check_in);
                row.date_to = Some(check_out);
                row.adults = Some(rng.gen_range(1..=2));
                row.children = Some(rng.gen_range(0..=2));
                row.extras_separate_line = i % 3 == 0;
                row.period_start = Some(local_instant(check_in, 14, 0, site));
                row.period_end = Some(local_instant(check_out, 12, 0, site));
                row.reservation_number = Some(format!("Н-{}", row.number));
                draft.lines.push((
                    None,
                    "Проживание, тариф «Стандарт»".to_owned(),
                    nights,
                    r.unit_price,
                    None,
                ));
                for k in 0..rng.gen_range(0..=2usize) {
                    let (id, name, price) = ids.extras[(i + k) % ids.extras.len()];
                    let time = match name {
                        "Ранний заезд" => Some("08:00".to_owned()),
                        "Поздний выезд" => Some("16:00".to_owned()),
                        _ => None,
                    };
                    draft
                        .lines
                        .push((Some(id), name.to_owned(), 1, price, time));
                }
                hold = Some(Hold::Capacity(
                    r.id,
                    r.capacity,
                    check_in.iter_days().take(nights as usize).collect(),
                ));
            }
            OrderKind::NomenclatureSale => {
                row.service_id = ids.shop_service;
                row.title = "Заказ в магазине".to_owned();
                for k in 0..rng.gen_range(1..=4usize) {
                    let (id, name, price) = ids.goods[(i * 3 + k) % ids.goods.len()];
                    draft.lines.push((
                        Some(id),
                        name.to_owned(),
                        rng.gen_range(1..=3),
                        price,
                        None,
                    ));
                }
            }
        }
        if company && kind != OrderKind::NomenclatureSale && !kind.is_request() {
            row.payer_company_id = Some(ids.company);
        }
        draft.row = row;
        write_order(conn, state, ids, &mut rng, draft, hold, status, i, now).await?;
    }
    Ok(())
}

enum Hold {
    /// resource, day, first slot, count, slot price, room name
    Slots(i64, NaiveDate, u8, u8, i64, String),
    Capacity(i64, i64, Vec<NaiveDate>),
}

#[allow(clippy::too_many_arguments)]
async fn write_order(
    conn: &mut Conn,
    state: &AppState,
    ids: &DemoIds,
    rng: &mut StdRng,
    mut d: Draft,
    hold: Option<Hold>,
    status: Status,
    i: usize,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let site = state.config().site_offset;
    let kind = OrderKind::parse(&d.row.kind).unwrap_or(OrderKind::SimpleRequest);
    let cancelled = status.is_cancelled();
    // Place the meeting-room slots first: a busy day moves the booking.
    let mut slots: Option<(i64, SlotRange)> = None;
    if let Some(Hold::Slots(resource, day, first, count, price, name)) = &hold {
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
        slots = Some((*resource, range));
    }
    d.row.total = d.lines.iter().map(|l| l.2 * l.3).sum();
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
    // Some new coworking and hotel orders are partly paid: «Провести оплату».
    if status == Status::New
        && individual
        && i % 4 == 1
        && matches!(kind, OrderKind::CoworkingBooking | OrderKind::HotelBooking)
    {
        d.paid_by_gateway = d.row.total / 2;
    }
    if d.row.total > 0 && individual {
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
    let order_id = storage::insert_order(conn, &d.row).await?;
    // Shop collection outcomes follow the status; every fourth finished one
    // had a unit missing, refunded.
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
    if !cancelled {
        match (&hold, slots) {
            (Some(Hold::Slots(..)), Some((resource, range))) => {
                let idx: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
                if !storage::take_slots(conn, resource, range.date, &idx, order_id).await? {
                    // Taken by an earlier demo order: this one becomes a
                    // cancelled booking instead of a double booking.
                    storage::set_status(conn, order_id, Status::Cancelled.id(), None).await?;
                }
            }
            (Some(Hold::Capacity(resource, capacity, days)), _) => {
                storage::take_capacity(conn, *resource, days, 1, *capacity, order_id).await?;
            }
            _ => {}
        }
    }
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
        storage::insert_message(
            conn,
            order_id,
            None,
            "public",
            true,
            &SystemMessage::GatewayPayment.text(Lang::Ru),
            paid_at,
        )
        .await?;
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
            now + state.config().refund_delay
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
    chat(conn, ids, rng, order_id, &d.row, status, i).await?;
    storage::record_creation(conn, order_id, 1, d.row.created_at.max(paid_at).min(now)).await?;
    Ok(())
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
        let text = SystemMessage::StatusChanged { to: status }.text(Lang::Ru);
        storage::insert_message(conn, order_id, None, "public", true, &text, at).await?;
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
