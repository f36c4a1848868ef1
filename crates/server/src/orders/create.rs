//! `POST /orders`: a requester creates an order. The service decides the
//! kind; what the order holds (slots, desks, rooms) is taken in the same
//! transaction that inserts it. Each kind fills its part of the draft in a
//! step of its own ([`fill_details`]).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use orderdesk_domain::{
    decide_create, time_of_day, validate_new_order, NewOrder, OrderKind, OrderNumber, RefusalCode,
    ResourceId, ServiceId, SlotRange,
};
use orderdesk_protocol::{CreateOrderRequest, ErrorCode, NewExtra, NewItem, NewOrderDetails};

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::commands::Change;
use crate::orders::effects::{apply_effect, Staged};
use crate::orders::facts::{self, parse_kind};
use crate::orders::lookup::{meeting_room, product_of, resource_of, slot_error};
use crate::orders::naming::{
    booking_line_name, local_instant, order_title, payment_token, search_text, NewLine,
};
use crate::state::AppState;
use crate::storage::{self, Conn, LineRow, OrderRow, ServiceRow, UserRow};

/// Where the order is made: the site's offset and the service.
struct Place {
    site: FixedOffset,
    service_id: ServiceId,
}

/// The order before it is inserted: its row, its lines and what it holds.
struct Draft {
    row: OrderRow,
    lines: Vec<NewLine>,
    hold: Hold,
}

enum Hold {
    None,
    Slots(i64, SlotRange),
    Capacity(i64, i64, Vec<NaiveDate>),
}

fn days_between(from: NaiveDate, to_inclusive: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to_inclusive)
        .collect()
}

fn mismatch() -> ServiceError {
    ServiceError::invalid(
        ErrorCode::DetailsDoNotMatchService,
        "Данные заказа не соответствуют типу услуги.",
        "The order details do not match the service's kind.",
    )
}

/// Creates the order; the change carries its number.
pub async fn create_order(
    state: &AppState,
    caller: &Caller,
    req: &CreateOrderRequest,
) -> Change<OrderNumber> {
    let now = state.now();
    let site = state.config().site_offset;
    let mut tx = state.storage().begin().await?;
    let service = storage::service(&mut tx, req.service_id.0)
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                ErrorCode::UnknownService,
                "Нет такой услуги.",
                "No such service.",
            )
        })?;
    let kind = parse_kind(&service.kind)?;
    let effect = decide_create(kind, caller.actor())?;
    let input = NewOrder::from(&req.details);
    if input.kind() != kind {
        return Err(mismatch());
    }
    validate_new_order(&input, now, site).map_err(|e| ServiceError::input(&e))?;
    let me = storage::user_by_id(&mut tx, caller.id.0)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let place = Place {
        site,
        service_id: ServiceId(service.id),
    };
    let mut draft = Draft {
        row: base_row(&mut tx, &service, &me, req, kind, now).await?,
        lines: Vec::new(),
        hold: Hold::None,
    };
    fill_details(&mut tx, &mut draft, &req.details, kind, &place).await?;
    let ctx = insert(&mut tx, draft, service, &me, kind).await?;
    let number = ctx.number();
    let notice = apply_effect(&mut tx, state, &ctx, &effect, caller.actor(), now).await?;
    Ok(Staged::new(tx, notice, number))
}

/// The row every kind starts from: requester, payer, texts, visitor.
async fn base_row(
    conn: &mut Conn,
    service: &ServiceRow,
    me: &UserRow,
    req: &CreateOrderRequest,
    kind: OrderKind,
    now: DateTime<Utc>,
) -> Result<OrderRow, ServiceError> {
    Ok(OrderRow {
        number: storage::next_number(conn).await?,
        kind: kind.id().to_owned(),
        status: "new".to_owned(),
        service_id: service.id,
        requester_id: me.id,
        payer_company_id: me.company.as_ref().map(|_| me.id),
        title: order_title(&service.name, None),
        description: clean(&req.description),
        comment: clean(&req.comment),
        visitor_name: req.visitor.as_ref().map(|v| v.name.trim().to_owned()),
        visitor_phone: req.visitor.as_ref().and_then(|v| v.phone.clone()),
        visitor_email: req.visitor.as_ref().and_then(|v| v.email.clone()),
        version: 0,
        created_at: now,
        updated_at: now,
        ..OrderRow::default()
    })
}

/// The kind's own part of the order, checked against the service's kind.
async fn fill_details(
    conn: &mut Conn,
    draft: &mut Draft,
    details: &NewOrderDetails,
    kind: OrderKind,
    place: &Place,
) -> Result<(), ServiceError> {
    match (details, kind) {
        (NewOrderDetails::SimpleRequest, OrderKind::SimpleRequest) => Ok(()),
        (NewOrderDetails::PremisesRequest { premises }, OrderKind::PremisesRequest) => {
            fill_premises(draft, premises)
        }
        (
            NewOrderDetails::Booking {
                resource_id,
                date,
                slots,
            },
            OrderKind::Booking,
        ) => fill_booking(conn, draft, place, *resource_id, *date, slots).await,
        (
            NewOrderDetails::CoworkingBooking {
                resource_id,
                date_from,
                date_to,
            },
            OrderKind::CoworkingBooking,
        ) => fill_coworking(conn, draft, place, *resource_id, *date_from, *date_to).await,
        (details @ NewOrderDetails::HotelBooking { .. }, OrderKind::HotelBooking) => {
            fill_hotel(conn, draft, place, details).await
        }
        (NewOrderDetails::NomenclatureSale { items }, OrderKind::NomenclatureSale) => {
            fill_sale(conn, draft, place, items).await
        }
        _ => Err(mismatch()),
    }
}

fn fill_premises(draft: &mut Draft, premises: &str) -> Result<(), ServiceError> {
    draft.row.premises = Some(premises.trim().to_owned());
    Ok(())
}

async fn fill_booking(
    conn: &mut Conn,
    draft: &mut Draft,
    place: &Place,
    resource_id: ResourceId,
    date: NaiveDate,
    slots: &[String],
) -> Result<(), ServiceError> {
    let resource = meeting_room(conn, resource_id).await?;
    if resource.service_id != place.service_id.0 {
        return Err(mismatch());
    }
    let range = SlotRange::parse(date, slots).map_err(slot_error)?;
    let (start, end) = range.instants(place.site);
    let row = &mut draft.row;
    row.title = order_title(&row.title, Some(&resource.name));
    row.resource_id = Some(resource.id);
    row.booking_date = Some(range.date);
    row.first_slot = Some(i64::from(range.first.index()));
    row.slot_count = Some(i64::from(range.count));
    row.slot_price = Some(resource.unit_price);
    row.period_start = Some(start);
    row.period_end = Some(end);
    draft.lines.push((
        None,
        booking_line_name(&resource.name, range),
        i64::from(range.count),
        resource.unit_price,
        None,
    ));
    draft.hold = Hold::Slots(resource.id, range);
    Ok(())
}

async fn fill_coworking(
    conn: &mut Conn,
    draft: &mut Draft,
    place: &Place,
    resource_id: ResourceId,
    date_from: NaiveDate,
    date_to: NaiveDate,
) -> Result<(), ServiceError> {
    let resource = resource_of(conn, resource_id, place.service_id).await?;
    let days = days_between(date_from, date_to);
    let row = &mut draft.row;
    row.title = order_title(&row.title, Some(&resource.name));
    row.resource_id = Some(resource.id);
    row.date_from = Some(date_from);
    row.date_to = Some(date_to);
    row.period_start = Some(local_instant(date_from, 0, 0, place.site));
    row.period_end = Some(local_instant(date_to, 0, 0, place.site) + Duration::days(1));
    row.ticket_number = Some(format!("К-{}", row.number));
    let tariff = resource.tariff.clone().unwrap_or_default();
    draft.lines.push((
        None,
        format!("{}, тариф «{tariff}», рабочее место", resource.name),
        days.len() as i64,
        resource.unit_price,
        None,
    ));
    draft.hold = Hold::Capacity(resource.id, resource.capacity, days);
    Ok(())
}

async fn fill_hotel(
    conn: &mut Conn,
    draft: &mut Draft,
    place: &Place,
    details: &NewOrderDetails,
) -> Result<(), ServiceError> {
    let NewOrderDetails::HotelBooking {
        resource_id,
        check_in,
        check_out,
        adults,
        children,
        extras,
        extras_separate_line,
    } = details
    else {
        return Err(mismatch());
    };
    let resource = resource_of(conn, *resource_id, place.service_id).await?;
    let nights: Vec<NaiveDate> = check_in.iter_days().take_while(|d| d < check_out).collect();
    let row = &mut draft.row;
    row.title = order_title(&row.title, Some(&resource.name));
    row.resource_id = Some(resource.id);
    row.date_from = Some(*check_in);
    row.date_to = Some(*check_out);
    row.adults = Some(i64::from(*adults));
    row.children = Some(i64::from(*children));
    row.extras_separate_line = *extras_separate_line;
    row.period_start = Some(local_instant(*check_in, 14, 0, place.site));
    row.period_end = Some(local_instant(*check_out, 12, 0, place.site));
    row.reservation_number = Some(format!("Н-{}", row.number));
    let tariff = resource.tariff.clone().unwrap_or_default();
    draft.lines.push((
        None,
        format!("Проживание, тариф «{tariff}»"),
        nights.len() as i64,
        resource.unit_price,
        None,
    ));
    for extra in extras {
        draft.lines.push(hotel_extra(conn, place, extra).await?);
    }
    draft.hold = Hold::Capacity(resource.id, resource.capacity, nights);
    Ok(())
}

/// One extra of a hotel stay as a line.
async fn hotel_extra(
    conn: &mut Conn,
    place: &Place,
    extra: &NewExtra,
) -> Result<NewLine, ServiceError> {
    let unknown = ("Нет такой дополнительной услуги.", "No such extra.");
    let product = product_of(conn, extra.product_id, place.service_id, unknown).await?;
    let time = extra
        .time
        .as_deref()
        .map(time_of_day)
        .transpose()
        .map_err(|e| ServiceError::input(&e))?;
    Ok((
        Some(product.id),
        product.name,
        i64::from(extra.quantity),
        product.price,
        time,
    ))
}

async fn fill_sale(
    conn: &mut Conn,
    draft: &mut Draft,
    place: &Place,
    items: &[NewItem],
) -> Result<(), ServiceError> {
    for item in items {
        let unknown = ("Нет такого товара.", "No such product.");
        let product = product_of(conn, item.product_id, place.service_id, unknown).await?;
        draft.lines.push((
            Some(product.id),
            product.name,
            i64::from(item.quantity),
            product.price,
            None,
        ));
    }
    Ok(())
}

/// Inserts the order with its lines, takes what it holds, and loads it as
/// the rules see it.
async fn insert(
    conn: &mut Conn,
    draft: Draft,
    service: ServiceRow,
    me: &UserRow,
    kind: OrderKind,
) -> Result<facts::OrderCtx, ServiceError> {
    let Draft {
        mut row,
        lines,
        hold,
    } = draft;
    row.total = lines.iter().map(|l| l.2 * l.3).sum();
    if row.total > 0 && row.payer_company_id.is_none() {
        row.payment_token = Some(payment_token());
    }
    let line_names: Vec<&str> = lines.iter().map(|l| l.1.as_str()).collect();
    row.search = search_text(&[
        &row.title,
        row.description.as_deref().unwrap_or(""),
        row.comment.as_deref().unwrap_or(""),
        row.premises.as_deref().unwrap_or(""),
        &me.name,
        row.visitor_name.as_deref().unwrap_or(""),
        &line_names.join(" "),
    ]);
    row.id = storage::insert_order(conn, &row).await?;
    let line_rows = insert_lines(conn, row.id, lines).await?;
    take_hold(conn, row.id, hold, kind).await?;
    // Everything the effect needs is at hand; only the responsible list is read.
    let responsible = storage::responsible_of(conn, service.id).await?;
    let facts = facts::facts_of(&row, &line_rows, &service, &responsible)?;
    Ok(facts::OrderCtx {
        row,
        lines: line_rows,
        service,
        responsible,
        facts,
    })
}

async fn insert_lines(
    conn: &mut Conn,
    order_id: i64,
    lines: Vec<NewLine>,
) -> Result<Vec<LineRow>, ServiceError> {
    let mut line_rows = Vec::with_capacity(lines.len());
    for (i, (product_id, name, quantity, unit_price, time)) in lines.into_iter().enumerate() {
        let line = LineRow {
            order_id,
            line: i as i64 + 1,
            product_id,
            name,
            quantity,
            unit_price,
            outcome: None,
            missing: 0,
            time,
        };
        storage::insert_line(conn, &line).await?;
        line_rows.push(line);
    }
    Ok(line_rows)
}

/// Takes the slots or the capacity the order holds; refused when taken.
async fn take_hold(
    conn: &mut Conn,
    order_id: i64,
    hold: Hold,
    kind: OrderKind,
) -> Result<(), ServiceError> {
    let taken = match hold {
        Hold::None => true,
        Hold::Slots(resource, range) => {
            let slots: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
            storage::take_slots(conn, resource, range.date, &slots, order_id).await?
        }
        Hold::Capacity(resource, capacity, days) => {
            storage::take_capacity(conn, resource, &days, 1, capacity, order_id).await?
        }
    };
    if taken {
        return Ok(());
    }
    let code = if kind == OrderKind::Booking {
        RefusalCode::SlotTaken
    } else {
        RefusalCode::CapacityExhausted
    };
    Err(ServiceError::Refused(code.into()))
}

fn clean(text: &Option<String>) -> Option<String> {
    text.as_ref()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}
