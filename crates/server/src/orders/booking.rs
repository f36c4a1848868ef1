//! Meeting-room bookings: «Изменить заказ» (free the old slots, take the new
//! ones, in one transaction) and the free slots of a day.

use chrono::NaiveDate;
use orderdesk_domain::{
    Action, BookingEdit, Lang, Money, OrderKind, Payer, Refusal, RefusalCode, ResourceId,
    SlotError, SlotRange, UserId,
};
use orderdesk_protocol::{Availability, BookingEditRequest, SlotAvailability};

use crate::error::{pick, ApiError};
use crate::extract::AuthUser;
use crate::orders::commands::{begin, decide_for};
use crate::orders::create::{booking_line_name, search_text};
use crate::orders::effects::{apply_effect, commit};
use crate::orders::facts::parse_kind;
use crate::state::AppState;
use crate::storage::{self, BookingUpdate, Conn, LineRow, ResourceRow};

/// A slot list the grid refuses, as a 422 with a precise code.
pub fn slot_error(e: SlotError, lang: Lang) -> ApiError {
    let code = match &e {
        SlotError::Unreadable(_) => "slot_unreadable",
        SlotError::Misaligned(_) => "slot_misaligned",
        SlotError::OutsideHours(_) => "slot_outside_hours",
        SlotError::Empty => "no_slots",
        SlotError::NotContiguous => "slots_not_contiguous",
    };
    let ru = match &e {
        SlotError::Unreadable(t) => format!("«{t}» — не время в формате ЧЧ:ММ."),
        SlotError::Misaligned(t) => format!("{t}: слоты начинаются каждые 30 минут."),
        SlotError::OutsideHours(t) => format!("{t}: бронирование возможно с 08:00 до 23:30."),
        SlotError::Empty => "Выберите хотя бы один слот.".to_owned(),
        SlotError::NotContiguous => "Выбранные слоты должны идти подряд.".to_owned(),
    };
    ApiError::invalid(code, pick(lang, &ru, &e.to_string()))
}

/// A meeting room by id, or 422 when the id names anything else.
pub async fn meeting_room(conn: &mut Conn, id: i64, lang: Lang) -> Result<ResourceRow, ApiError> {
    let unknown = || {
        ApiError::invalid(
            "unknown_resource",
            pick(lang, "Нет такой переговорной.", "No such meeting room."),
        )
    };
    let resource = storage::resource(conn, id).await?.ok_or_else(unknown)?;
    let service = storage::service(conn, resource.service_id)
        .await?
        .ok_or_else(unknown)?;
    if parse_kind(&service.kind)? != OrderKind::Booking {
        return Err(unknown());
    }
    Ok(resource)
}

/// A company account that can pay, or 422.
pub async fn company_payer(conn: &mut Conn, id: UserId, lang: Lang) -> Result<Payer, ApiError> {
    match storage::user_by_id(conn, id.0).await? {
        Some(user) if user.company.is_some() => Ok(Payer::Company { payer_id: id }),
        _ => Err(ApiError::invalid(
            "unknown_payer",
            pick(
                lang,
                "Плательщик не найден среди компаний.",
                "No such company payer.",
            ),
        )),
    }
}

pub async fn edit_booking(
    state: &AppState,
    user: &AuthUser,
    number: i64,
    req: &BookingEditRequest,
) -> Result<(), ApiError> {
    let lang = user.lang;
    let range = SlotRange::parse(req.date, &req.slots).map_err(|e| slot_error(e, lang))?;
    let (mut tx, ctx) = begin(state, user, number, req.version).await?;
    let resource = meeting_room(&mut tx, req.resource_id.0, lang).await?;
    if resource.service_id != ctx.row.service_id {
        return Err(ApiError::invalid(
            "unknown_resource",
            pick(
                lang,
                "Эта переговорная относится к другой услуге.",
                "The room belongs to another service.",
            ),
        ));
    }
    let payer = match req.payer_id {
        Some(id) => company_payer(&mut tx, id, lang).await?,
        None => Payer::Individual,
    };
    let slot_price = Money(resource.unit_price);
    let edit = BookingEdit {
        resource: ResourceId(resource.id),
        slot_price,
        range,
        payer,
    };
    let effect = decide_for(&ctx, &Action::EditBooking(edit), user)?;
    let now = state.now();
    let (start, end) = range.instants(state.config().site_offset);
    if end <= now {
        return Err(ApiError::invalid(
            "slot_in_past",
            pick(
                lang,
                "Выбранное время уже прошло.",
                "The chosen time has passed.",
            ),
        ));
    }
    storage::release_holds(&mut tx, ctx.row.id).await?;
    let slots: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
    if !storage::take_slots(&mut tx, resource.id, range.date, &slots, ctx.row.id).await? {
        return Err(ApiError::refused(
            Refusal::from(RefusalCode::SlotTaken),
            lang,
        ));
    }
    // An individual's paid booking keeps its total (the rules made sure the
    // price is the same); otherwise the total follows the new time.
    let total = if ctx.facts.payment.paid.is_positive() && payer == Payer::Individual {
        ctx.row.total
    } else {
        range.price(slot_price).kopecks()
    };
    let line_name = booking_line_name(&resource.name, range);
    if let Some(first) = ctx.lines.first() {
        let line = LineRow {
            name: line_name.clone(),
            quantity: i64::from(range.count),
            unit_price: slot_price.kopecks(),
            ..first.clone()
        };
        storage::update_line(&mut tx, &line).await?;
    }
    let requester = storage::user_by_id(&mut tx, ctx.row.requester_id).await?;
    let update = BookingUpdate {
        resource_id: resource.id,
        date: range.date,
        first_slot: i64::from(range.first.index()),
        slot_count: i64::from(range.count),
        slot_price: slot_price.kopecks(),
        period_start: start,
        period_end: end,
        payer_company_id: match payer {
            Payer::Company { payer_id } => Some(payer_id.0),
            Payer::Individual => None,
        },
        comment: req.comment.clone().filter(|c| !c.trim().is_empty()),
        total,
        search: search_text(&[
            &ctx.row.title,
            req.comment.as_deref().unwrap_or(""),
            requester.as_ref().map_or("", |u| u.name.as_str()),
            &line_name,
        ]),
    };
    storage::set_booking(&mut tx, ctx.row.id, &update).await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, user.actor(), now).await?;
    commit(state, tx, &[notice]).await
}

/// Every slot of a meeting room's day, and which are free. The slots of
/// `for_order` count as free, so its edit form can offer them again.
pub async fn availability(
    state: &AppState,
    lang: Lang,
    resource_id: i64,
    date: NaiveDate,
    for_order: Option<i64>,
) -> Result<Availability, ApiError> {
    let mut conn = state.storage().read().await?;
    let resource = meeting_room(&mut conn, resource_id, lang).await?;
    let mut taken = storage::taken_slots(&mut conn, resource.id, date).await?;
    if let Some(number) = for_order {
        if let Some(row) = storage::order_by_number(&mut conn, number).await? {
            if row.resource_id == Some(resource.id) && row.booking_date == Some(date) {
                if let Some(own) = crate::orders::facts::booking_range(&row) {
                    let own: Vec<i64> = own.slots().map(|s| i64::from(s.index())).collect();
                    taken.retain(|s| !own.contains(s));
                }
            }
        }
    }
    let slots: Vec<SlotAvailability> = orderdesk_domain::Slot::all()
        .map(|slot| SlotAvailability {
            time: slot.to_string(),
            free: !taken.contains(&i64::from(slot.index())),
        })
        .collect();
    let free = slots
        .iter()
        .filter(|s| s.free)
        .map(|s| s.time.clone())
        .collect();
    Ok(Availability {
        resource_id: ResourceId(resource.id),
        date,
        slots,
        free,
    })
}
