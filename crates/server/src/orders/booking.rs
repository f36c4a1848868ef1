//! Meeting-room bookings: «Изменить заказ» (free the old slots, take the new
//! ones, in one transaction) and the free slots of a day.

use chrono::NaiveDate;
use orderdesk_domain::{
    booking_edit_total, validate_booking_time, Action, BookingEdit, InputError, Lang, Money,
    OrderKind, Payer, Refusal, RefusalCode, ResourceId, SlotRange, UserId,
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
    let range = SlotRange::parse(req.date, &req.slots)
        .map_err(|e| ApiError::input(&InputError::from(e), lang))?;
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
    let total = booking_edit_total(&ctx.facts, &edit).kopecks();
    let effect = decide_for(&ctx, &Action::EditBooking(edit), user)?;
    let now = state.now();
    let site = state.config().site_offset;
    validate_booking_time(range, now, site).map_err(|e| ApiError::input(&e, lang))?;
    let (start, end) = range.instants(site);
    storage::release_holds(&mut tx, ctx.row.id).await?;
    let slots: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
    if !storage::take_slots(&mut tx, resource.id, range.date, &slots, ctx.row.id).await? {
        return Err(ApiError::refused(
            Refusal::from(RefusalCode::SlotTaken),
            lang,
        ));
    }
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
        payer_company_id: payer.company_id().map(|id| id.0),
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
