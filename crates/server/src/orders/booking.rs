//! Meeting-room bookings: «Изменить заказ» (free the old slots, take the new
//! ones, in one transaction) and the free slots of a day.

use chrono::{DateTime, NaiveDate, Utc};
use orderdesk_domain::{
    booking_edit_total, validate_booking_time, Action, BookingEdit, Effect, Money, OrderNumber,
    Payer, Refusal, RefusalCode, ResourceId, SlotRange, SystemNote,
};
use orderdesk_protocol::{Availability, BookingEditRequest, ErrorCode, SlotAvailability};

use crate::caller::Caller;
use crate::error::ServiceError;
use crate::orders::commands::{begin, decide_for, Change};
use crate::orders::effects::{apply_effect, Staged};
use crate::orders::facts::OrderCtx;
use crate::orders::lookup::{company_payer, meeting_room, slot_error};
use crate::orders::naming::{booking_line_name, search_text};
use crate::state::AppState;
use crate::storage::{self, BookingUpdate, Conn, LineRow, ResourceRow};

/// «Изменить заказ» of a meeting-room booking.
pub async fn edit_booking(
    state: &AppState,
    caller: &Caller,
    number: OrderNumber,
    req: &BookingEditRequest,
) -> Change {
    let range = SlotRange::parse(req.date, &req.slots).map_err(slot_error)?;
    let (mut tx, ctx) = begin(state, caller, number, req.version).await?;
    let resource = meeting_room(&mut tx, req.resource_id).await?;
    if resource.service_id != ctx.row.service_id {
        return Err(ServiceError::invalid(
            ErrorCode::UnknownResource,
            "Эта переговорная относится к другой услуге.",
            "The room belongs to another service.",
        ));
    }
    let payer = match req.payer_id {
        Some(id) => company_payer(&mut tx, id).await?,
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
    let mut effect = decide_for(&ctx, &Action::EditBooking(edit.clone()), caller)?;
    name_objects(&mut tx, &ctx, &resource, &mut effect).await?;
    let now = state.now();
    let site = state.config().site_offset;
    validate_booking_time(range, now, site).map_err(|e| ServiceError::input(&e))?;
    let (start, end) = range.instants(site);
    storage::release_holds(&mut tx, ctx.row.id).await?;
    let slots: Vec<i64> = range.slots().map(|s| i64::from(s.index())).collect();
    if !storage::take_slots(&mut tx, resource.id, range.date, &slots, ctx.row.id).await? {
        return Err(ServiceError::Refused(Refusal::from(RefusalCode::SlotTaken)));
    }
    let comment = req.comment.as_deref();
    write_booking(
        &mut tx,
        &ctx,
        &resource,
        &edit,
        total,
        comment,
        (start, end),
    )
    .await?;
    let notice = apply_effect(&mut tx, state, &ctx, &effect, caller.actor(), now).await?;
    Ok(Staged::new(tx, notice, ()))
}

/// Puts the objects' names into «Бронирование изменено»: the rules know
/// objects only by id.
async fn name_objects(
    conn: &mut Conn,
    ctx: &OrderCtx,
    new: &ResourceRow,
    effect: &mut Effect,
) -> Result<(), ServiceError> {
    let old = match ctx.row.resource_id {
        Some(id) if id == new.id => Some(new.name.clone()),
        Some(id) => storage::resource(conn, id).await?.map(|r| r.name),
        None => None,
    };
    for note in &mut effect.system_messages {
        if let SystemNote::BookingChanged { from, to } = note {
            if let Some(from) = from {
                from.object.clone_from(&old);
            }
            if let Some(to) = to {
                to.object = Some(new.name.clone());
            }
        }
    }
    Ok(())
}

/// The booking's new time, object, payer and total on its row and line.
async fn write_booking(
    conn: &mut Conn,
    ctx: &OrderCtx,
    resource: &ResourceRow,
    edit: &BookingEdit,
    total: i64,
    comment: Option<&str>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<(), ServiceError> {
    let (range, slot_price, payer) = (edit.range, edit.slot_price, edit.payer);
    let line_name = booking_line_name(&resource.name, range);
    if let Some(first) = ctx.lines.first() {
        let line = LineRow {
            name: line_name.clone(),
            quantity: i64::from(range.count),
            unit_price: slot_price.kopecks(),
            ..first.clone()
        };
        storage::update_line(conn, &line).await?;
    }
    let requester = storage::user_by_id(conn, ctx.row.requester_id).await?;
    let update = BookingUpdate {
        resource_id: resource.id,
        date: range.date,
        first_slot: i64::from(range.first.index()),
        slot_count: i64::from(range.count),
        slot_price: slot_price.kopecks(),
        period_start: start,
        period_end: end,
        payer_company_id: payer.company_id().map(|id| id.0),
        comment: comment.filter(|c| !c.trim().is_empty()).map(str::to_owned),
        total,
        search: search_text(&[
            &ctx.row.title,
            // The description stays searchable after the booking moves.
            ctx.row.description.as_deref().unwrap_or(""),
            comment.unwrap_or(""),
            requester.as_ref().map_or("", |u| u.name.as_str()),
            &line_name,
        ]),
    };
    storage::set_booking(conn, ctx.row.id, &update).await?;
    Ok(())
}

/// Every slot of a meeting room's day, and which are free. The slots of
/// `for_order` count as free, so its edit form can offer them again.
pub async fn availability(
    state: &AppState,
    resource_id: ResourceId,
    date: NaiveDate,
    for_order: Option<OrderNumber>,
) -> Result<Availability, ServiceError> {
    let mut conn = state.storage().read().await?;
    let resource = meeting_room(&mut conn, resource_id).await?;
    let mut taken = storage::taken_slots(&mut conn, resource.id, date).await?;
    if let Some(number) = for_order {
        if let Some(row) = storage::order_by_number(&mut conn, number.0).await? {
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
