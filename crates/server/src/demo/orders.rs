//! The demo's orders: every kind in every status it can have, spread around
//! today, with lines, holds, payments, refunds and chats consistent with the
//! status. Rows are written directly (the past cannot be replayed through
//! the rules), using the same holds the live flows use. This part decides
//! each order; [`super::write`] writes it.

use chrono::{DateTime, Duration, Utc};
use orderdesk_domain::{OrderKind, Status};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::write::{write_order, Draft, Hold, Spec, When};
use super::{DemoIds, DEMO_ORDERS};
use crate::error::ServiceError;
use crate::orders::naming::{local_instant, order_title};
use crate::state::AppState;
use crate::storage::{Conn, OrderRow};

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

pub async fn generate(
    conn: &mut Conn,
    state: &AppState,
    ids: &DemoIds,
) -> Result<(), ServiceError> {
    let mut rng = StdRng::seed_from_u64(20_261_127);
    let now = state.now();
    let site = state.config().site_offset;
    let when = When {
        now,
        site,
        today: now.with_timezone(&site).date_naive(),
    };
    let kinds = OrderKind::ALL;
    for i in 0..DEMO_ORDERS {
        let kind = kinds[i % kinds.len()];
        let all = statuses(kind);
        let status = all[(i / kinds.len()) % all.len()];
        let company = i % 5 == 4;
        let requester = if company { ids.company } else { ids.resident };
        let offset = day_offset(&mut rng, status);
        let day = when.today + Duration::days(offset);
        let created = (now + Duration::days(offset.min(0)) - Duration::hours(rng.gen_range(2..72)))
            .min(now - Duration::minutes(5));
        let spec = Spec {
            i,
            kind,
            status,
            day,
            created,
        };
        let mut draft = Draft {
            row: OrderRow {
                number: FIRST_NUMBER + i as i64,
                kind: kind.id().to_owned(),
                status: status.id().to_owned(),
                requester_id: requester,
                version: 1,
                created_at: created,
                updated_at: created,
                ..OrderRow::default()
            },
            lines: Vec::new(),
            paid_by_gateway: 0,
            paid_manually: 0,
        };
        let hold = fill(&mut draft, ids, &mut rng, &spec, &when);
        if company && kind != OrderKind::NomenclatureSale && !kind.is_request() {
            draft.row.payer_company_id = Some(ids.company);
        }
        write_order(conn, state, ids, &mut rng, draft, hold, &spec).await?;
    }
    Ok(())
}

/// The kind's own part of a demo order; what it holds, if anything.
fn fill(
    draft: &mut Draft,
    ids: &DemoIds,
    rng: &mut StdRng,
    spec: &Spec,
    when: &When,
) -> Option<Hold> {
    match spec.kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => {
            fill_request(&mut draft.row, ids, rng, spec, when.now);
            None
        }
        OrderKind::Booking => Some(fill_room(&mut draft.row, ids, rng, spec)),
        OrderKind::CoworkingBooking => Some(fill_coworking(draft, ids, rng, spec, when)),
        OrderKind::HotelBooking => Some(fill_hotel(draft, ids, rng, spec, when)),
        OrderKind::NomenclatureSale => {
            fill_shop(draft, ids, rng, spec);
            None
        }
    }
}

fn fill_request(
    row: &mut OrderRow,
    ids: &DemoIds,
    rng: &mut StdRng,
    spec: &Spec,
    now: DateTime<Utc>,
) {
    let (i, kind, status, created) = (spec.i, spec.kind, spec.status, spec.created);
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

fn fill_room(row: &mut OrderRow, ids: &DemoIds, rng: &mut StdRng, spec: &Spec) -> Hold {
    let room = &ids.rooms[spec.i % ids.rooms.len()];
    row.service_id = ids.rooms_service;
    row.title = room.name.clone();
    row.resource_id = Some(room.id);
    let count: u8 = rng.gen_range(1..=4);
    let first = rng.gen_range(0..(32 - count));
    Hold::Slots(
        room.id,
        spec.day,
        first,
        count,
        room.unit_price,
        room.name.clone(),
    )
}

fn fill_coworking(
    draft: &mut Draft,
    ids: &DemoIds,
    rng: &mut StdRng,
    spec: &Spec,
    when: &When,
) -> Hold {
    let (row, site) = (&mut draft.row, when.site);
    let r = &ids.coworking;
    let days: i64 = rng.gen_range(1..=3);
    let from = if spec.status == Status::Active {
        when.today
    } else {
        spec.day
    };
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
    Hold::Capacity(
        r.id,
        r.capacity,
        from.iter_days().take(days as usize).collect(),
    )
}

fn fill_hotel(
    draft: &mut Draft,
    ids: &DemoIds,
    rng: &mut StdRng,
    spec: &Spec,
    when: &When,
) -> Hold {
    let (row, site, i) = (&mut draft.row, when.site, spec.i);
    let r = &ids.hotel;
    let nights: i64 = rng.gen_range(1..=4);
    let check_in = if spec.status == Status::Active {
        when.today - Duration::days(1)
    } else {
        spec.day
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
    Hold::Capacity(
        r.id,
        r.capacity,
        check_in.iter_days().take(nights as usize).collect(),
    )
}

fn fill_shop(draft: &mut Draft, ids: &DemoIds, rng: &mut StdRng, spec: &Spec) {
    draft.row.service_id = ids.shop_service;
    draft.row.title = order_title(super::SHOP_NAME, None);
    for k in 0..rng.gen_range(1..=4usize) {
        let (id, name, price) = ids.goods[(spec.i * 3 + k) % ids.goods.len()];
        draft
            .lines
            .push((Some(id), name.to_owned(), rng.gen_range(1..=3), price, None));
    }
}
