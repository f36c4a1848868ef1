//! `POST /orders`: a requester creates an order. The service decides the
//! kind; what the order holds (slots, desks, rooms) is taken in the same
//! transaction that inserts it.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use orderdesk_domain::{
    decide_create, time_of_day, validate_new_order, InputError, Lang, NewOrder, OrderKind,
    OrderNumber, RefusalCode, SlotRange,
};
use orderdesk_protocol::{CreateOrderRequest, NewOrderDetails};
use rand::RngCore;

use crate::error::{pick, ApiError};
use crate::extract::AuthUser;
use crate::orders::booking::meeting_room;
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts::{self, parse_kind};
use crate::state::AppState;
use crate::storage::{self, Conn, LineRow, OrderRow, ResourceRow};

/// Lower-cased words for the list's text search.
pub fn search_text(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_lowercase())
        .collect::<Vec<_>>()
        .join(" \u{1f} ")
}

/// «Переговорная Python, 27.11.2026 15:00–17:00».
pub fn booking_line_name(resource: &str, range: SlotRange) -> String {
    let (start, end) = range.time_span();
    format!(
        "{resource}, {} {start}–{end}",
        range.date.format("%d.%m.%Y")
    )
}

/// A local time of the site as an instant.
pub fn local_instant(date: NaiveDate, hour: u32, minute: u32, site: FixedOffset) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    site.from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

/// A fresh token for the order's payment link.
pub fn payment_token() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn invalid(lang: Lang, code: &str, ru: &str, en: &str) -> ApiError {
    ApiError::invalid(code, pick(lang, ru, en))
}

/// A resource of the service, or 422.
async fn resource_of(
    conn: &mut Conn,
    id: i64,
    service_id: i64,
    lang: Lang,
) -> Result<ResourceRow, ApiError> {
    match storage::resource(conn, id).await? {
        Some(r) if r.service_id == service_id => Ok(r),
        _ => Err(invalid(
            lang,
            "unknown_resource",
            "Нет такого объекта у этой услуги.",
            "No such object in this service.",
        )),
    }
}

fn days_between(from: NaiveDate, to_inclusive: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to_inclusive)
        .collect()
}

/// Creates the order and returns its number.
pub async fn create_order(
    state: &AppState,
    user: &AuthUser,
    req: &CreateOrderRequest,
) -> Result<OrderNumber, ApiError> {
    let lang = user.lang;
    let now = state.now();
    let site = state.config().site_offset;
    let mut tx = state.storage().begin().await?;
    let service = storage::service(&mut tx, req.service_id.0)
        .await?
        .ok_or_else(|| {
            invalid(
                lang,
                "unknown_service",
                "Нет такой услуги.",
                "No such service.",
            )
        })?;
    let kind = parse_kind(&service.kind)?;
    let effect = decide_create(kind, user.actor()).map_err(|r| ApiError::refused(r, lang))?;
    let mismatch = || {
        invalid(
            lang,
            "details_do_not_match_service",
            "Данные заказа не соответствуют типу услуги.",
            "The order details do not match the service's kind.",
        )
    };
    let input = NewOrder::from(&req.details);
    if input.kind() != kind {
        return Err(mismatch());
    }
    validate_new_order(&input, now, site).map_err(|e| ApiError::input(&e, lang))?;
    let me = storage::user_by_id(&mut tx, user.id.0)
        .await?
        .ok_or_else(|| ApiError::unauthorized(lang))?;
    let mut row = OrderRow {
        number: storage::next_number(&mut tx).await?,
        kind: kind.id().to_owned(),
        status: "new".to_owned(),
        service_id: service.id,
        requester_id: me.id,
        payer_company_id: me.company.as_ref().map(|_| me.id),
        title: service.name.clone(),
        description: clean(&req.description),
        comment: clean(&req.comment),
        visitor_name: req.visitor.as_ref().map(|v| v.name.trim().to_owned()),
        visitor_phone: req.visitor.as_ref().and_then(|v| v.phone.clone()),
        visitor_email: req.visitor.as_ref().and_then(|v| v.email.clone()),
        version: 0,
        created_at: now,
        updated_at: now,
        ..OrderRow::default()
    };
    let mut lines: Vec<NewLine> = Vec::new();
    let mut hold = Hold::None;
    match (&req.details, kind) {
        (NewOrderDetails::SimpleRequest, OrderKind::SimpleRequest) => {}
        (NewOrderDetails::PremisesRequest { premises }, OrderKind::PremisesRequest) => {
            row.premises = Some(premises.trim().to_owned());
        }
        (
            NewOrderDetails::Booking {
                resource_id,
                date,
                slots,
            },
            OrderKind::Booking,
        ) => {
            let resource = meeting_room(&mut tx, resource_id.0, lang).await?;
            if resource.service_id != service.id {
                return Err(mismatch());
            }
            let range = SlotRange::parse(*date, slots)
                .map_err(|e| ApiError::input(&InputError::from(e), lang))?;
            let (start, end) = range.instants(site);
            row.title = resource.name.clone();
            row.resource_id = Some(resource.id);
            row.booking_date = Some(range.date);
            row.first_slot = Some(i64::from(range.first.index()));
            row.slot_count = Some(i64::from(range.count));
            row.slot_price = Some(resource.unit_price);
            row.period_start = Some(start);
            row.period_end = Some(end);
            lines.push((
                None,
                booking_line_name(&resource.name, range),
                i64::from(range.count),
                resource.unit_price,
                None,
            ));
            hold = Hold::Slots(resource.id, range);
        }
        (
            NewOrderDetails::CoworkingBooking {
                resource_id,
                date_from,
                date_to,
            },
            OrderKind::CoworkingBooking,
        ) => {
            let resource = resource_of(&mut tx, resource_id.0, service.id, lang).await?;
            let days = days_between(*date_from, *date_to);
            row.title = resource.name.clone();
            row.resource_id = Some(resource.id);
            row.date_from = Some(*date_from);
            row.date_to = Some(*date_to);
            row.period_start = Some(local_instant(*date_from, 0, 0, site));
            row.period_end = Some(local_instant(*date_to, 0, 0, site) + Duration::days(1));
            row.ticket_number = Some(format!("К-{}", row.number));
            let tariff = resource.tariff.clone().unwrap_or_default();
            lines.push((
                None,
                format!("{}, тариф «{tariff}», рабочее место", resource.name),
                days.len() as i64,
                resource.unit_price,
                None,
            ));
            hold = Hold::Capacity(resource.id, resource.capacity, days);
        }
        (
            NewOrderDetails::HotelBooking {
                resource_id,
                check_in,
                check_out,
                adults,
                children,
                extras,
                extras_separate_line,
            },
            OrderKind::HotelBooking,
        ) => {
            let resource = resource_of(&mut tx, resource_id.0, service.id, lang).await?;
            let nights: Vec<NaiveDate> =
                check_in.iter_days().take_while(|d| d < check_out).collect();
            row.title = resource.name.clone();
            row.resource_id = Some(resource.id);
            row.date_from = Some(*check_in);
            row.date_to = Some(*check_out);
            row.adults = Some(i64::from(*adults));
            row.children = Some(i64::from(*children));
            row.extras_separate_line = *extras_separate_line;
            row.period_start = Some(local_instant(*check_in, 14, 0, site));
            row.period_end = Some(local_instant(*check_out, 12, 0, site));
            row.reservation_number = Some(format!("Н-{}", row.number));
            let tariff = resource.tariff.clone().unwrap_or_default();
            lines.push((
                None,
                format!("Проживание, тариф «{tariff}»"),
                nights.len() as i64,
                resource.unit_price,
                None,
            ));
            for extra in extras {
                let product = match storage::product(&mut tx, extra.product_id).await? {
                    Some(p) if p.service_id == service.id => p,
                    _ => {
                        return Err(invalid(
                            lang,
                            "unknown_product",
                            "Нет такой дополнительной услуги.",
                            "No such extra.",
                        ))
                    }
                };
                let time = extra
                    .time
                    .as_deref()
                    .map(time_of_day)
                    .transpose()
                    .map_err(|e| ApiError::input(&e, lang))?;
                lines.push((
                    Some(product.id),
                    product.name,
                    i64::from(extra.quantity),
                    product.price,
                    time,
                ));
            }
            hold = Hold::Capacity(resource.id, resource.capacity, nights);
        }
        (NewOrderDetails::NomenclatureSale { items }, OrderKind::NomenclatureSale) => {
            for item in items {
                let product = match storage::product(&mut tx, item.product_id).await? {
                    Some(p) if p.service_id == service.id => p,
                    _ => {
                        return Err(invalid(
                            lang,
                            "unknown_product",
                            "Нет такого товара.",
                            "No such product.",
                        ))
                    }
                };
                lines.push((
                    Some(product.id),
                    product.name,
                    i64::from(item.quantity),
                    product.price,
                    None,
                ));
            }
        }
        _ => return Err(mismatch()),
    }
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
    let id = storage::insert_order(&mut tx, &row).await?;
    row.id = id;
    let mut line_rows = Vec::with_capacity(lines.len());
    for (i, (product_id, name, quantity, unit_price, time)) in lines.into_iter().enumerate() {
        let line = LineRow {
            order_id: id,
            line: i as i64 + 1,
            product_id,
            name,
            quantity,
            unit_price,
            outcome: None,
            missing: 0,
            time,
        };
        storage::insert_line(&mut tx, &line).await?;
        line_rows.push(line);
    }
    let taken = match hold {
        Hold::None => true,
        Hold::Slots(resource, range) => {
            let slots: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
            storage::take_slots(&mut tx, resource, range.date, &slots, id).await?
        }
        Hold::Capacity(resource, capacity, days) => {
            storage::take_capacity(&mut tx, resource, &days, 1, capacity, id).await?
        }
    };
    if !taken {
        let code = if kind == OrderKind::Booking {
            RefusalCode::SlotTaken
        } else {
            RefusalCode::CapacityExhausted
        };
        return Err(ApiError::refused(code.into(), lang));
    }
    // Everything the effect needs is at hand; only the responsible list is read.
    let responsible = storage::responsible_of(&mut tx, service.id).await?;
    let facts = facts::facts_of(&row, &line_rows, &service, &responsible)?;
    let number = row.number;
    let ctx = facts::OrderCtx {
        row,
        lines: line_rows,
        service,
        responsible,
        facts,
    };
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), now).await?;
    commit(state, tx, &[notice]).await?;
    Ok(OrderNumber(number))
}

/// A line before the order has an id: product, name, quantity, unit price,
/// time of day.
pub type NewLine = (Option<i64>, String, i64, i64, Option<String>);

enum Hold {
    None,
    Slots(i64, SlotRange),
    Capacity(i64, i64, Vec<NaiveDate>),
}

fn clean(text: &Option<String>) -> Option<String> {
    text.as_ref()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}
