//! «Изменить заказ» for a meeting-room booking: object, day, free slots,
//! comment and, when a company pays, the payer.

use crate::api::BookingChange;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{Availability, BookingInfo, PayerInfo, ResourceInfo};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use dioxus::prelude::*;
use orderdesk_domain::{validate_booking_time, ResourceId, Slot, SlotRange, UserId};

/// Date chips: today and the next days.
const DAY_CHIPS: u64 = 4;

/// The slots chosen after a click on `clicked`.
///
/// With a paid number of slots the range keeps that length and starts at the
/// click; otherwise a click extends the current range to the clicked slot,
/// or starts a new one. Every chosen slot must be free.
pub fn select_slots(
    current: &[Slot],
    clicked: Slot,
    fixed: Option<u8>,
    free: &[Slot],
) -> Vec<Slot> {
    let is_free = |s: &Slot| free.contains(s);
    let run = |first: u8, last: u8| -> Option<Vec<Slot>> {
        let slots: Vec<Slot> = (first..=last).filter_map(Slot::from_index).collect();
        (slots.len() == usize::from(last - first) + 1 && slots.iter().all(is_free)).then_some(slots)
    };
    let at = clicked.index();
    if let Some(count) = fixed.filter(|c| *c > 0) {
        return run(at, at.saturating_add(count - 1)).unwrap_or_else(|| current.to_vec());
    }
    if !is_free(&clicked) {
        return current.to_vec();
    }
    let (first, last) = match (current.first(), current.last()) {
        (Some(f), Some(_)) if current.len() == 1 && f.index() == at => return Vec::new(),
        (Some(f), Some(l)) => (f.index().min(at), l.index().max(at)),
        _ => (at, at),
    };
    run(first, last).unwrap_or_else(|| vec![clicked])
}

/// The slots of `date` that may still be chosen at `now`: the server's own
/// rule, [`validate_booking_time`], decides, so the grid never offers a time
/// that saving would refuse.
pub fn bookable_slots(
    free: &[Slot],
    date: NaiveDate,
    now: DateTime<Utc>,
    site: FixedOffset,
) -> Vec<Slot> {
    free.iter()
        .copied()
        .filter(|slot| {
            SlotRange::new(date, *slot, 1)
                .is_ok_and(|range| validate_booking_time(range, now, site).is_ok())
        })
        .collect()
}

#[component]
pub fn BookingEditor(
    lang: Lang,
    today: NaiveDate,
    /// The present moment: slots that have ended are not offered.
    now: DateTime<Utc>,
    /// The site's offset, in which the booking's slots are read.
    site: FixedOffset,
    booking: BookingInfo,
    comment: Option<String>,
    payer: PayerInfo,
    /// Company accounts that may pay, offered under «Плательщик».
    payers: Vec<PayerInfo>,
    /// Set once an individual has paid: the new time keeps this many slots.
    paid_slots: Option<u8>,
    resources: Vec<ResourceInfo>,
    /// Free slots of the chosen object and day; `None` while loading.
    availability: Option<Availability>,
    on_pick_day: EventHandler<(ResourceId, NaiveDate)>,
    on_save: EventHandler<BookingChange>,
    on_cancel: EventHandler<()>,
) -> Element {
    let own_slots = parse_slots(&booking.slots);
    let own_resource = booking.resource.id;
    let mut resource = use_signal(|| own_resource);
    let mut date = use_signal(|| booking.date);
    let mut slots = use_signal(|| own_slots.clone());
    let mut comment = use_signal(|| comment.clone().unwrap_or_default());
    let mut payer_id = use_signal(|| payer.payer.company_id());

    let mut free = free_slots(availability.as_ref(), resource(), date());
    // The booking's own slots count as free on its own day and object.
    if resource() == own_resource && date() == booking.date {
        free.extend(own_slots.iter().copied());
    }
    let free = bookable_slots(&free, date(), now, site);
    let valid = !slots().is_empty() && paid_slots.is_none_or(|n| slots().len() == usize::from(n));
    let mut pick = move |r: ResourceId, d: NaiveDate| {
        resource.set(r);
        date.set(d);
        slots.set(Vec::new());
        on_pick_day.call((r, d));
    };

    rsx! {
        article { class: "order booking-edit", id: "booking-editor",
            EditorBar { lang, on_cancel }
            section { class: "card",
                h4 { class: "card-title", {t(lang, Text::OrderParameters)} }
                ObjectField { lang, resources, current: resource(), on_pick: move |r| pick(r, date()) }
                DayChoice { lang, today, date: date(), on_pick: move |d| pick(resource(), d) }
                div { class: "field-label", "{t(lang, Text::ChooseSlots)} {format::day_month(lang, date())}" }
                SlotGrid { lang, chosen: slots(), free: free.clone(), fixed: paid_slots, loading: availability.is_none(),
                    on_click: move |slot| { let next = select_slots(&slots(), slot, paid_slots, &free); slots.set(next); } }
                label { class: "field",
                    span { class: "field-label", {t(lang, Text::Comment)} }
                    textarea { rows: 3, value: "{comment}", oninput: move |e| comment.set(e.value()) }
                }
                if payer.payer.is_company() {
                    PayerField { lang, payers, current: payer_id(), on_pick: move |id| payer_id.set(id) }
                }
            }
            div { class: "form-actions",
                button { class: "btn btn-accent", r#type: "button", id: "save-booking", disabled: !valid,
                    onclick: move |_| on_save.call(BookingChange {
                        resource_id: resource(),
                        date: date(),
                        slots: slots().iter().map(Slot::to_string).collect(),
                        payer_id: payer_id(),
                        comment: Some(comment()).filter(|c| !c.trim().is_empty()),
                    }),
                    {t(lang, Text::SaveChanges)} }
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()),
                    {t(lang, Text::Cancel)} }
            }
        }
    }
}

/// Back to the order, and the screen's title.
#[component]
fn EditorBar(lang: Lang, on_cancel: EventHandler<()>) -> Element {
    rsx! {
        header { class: "order-bar",
            button { class: "btn-ghost back", r#type: "button", aria_label: t(lang, Text::Back),
                onclick: move |_| on_cancel.call(()), "←" }
            h2 { class: "order-heading", {t(lang, Text::EditOrder)} }
        }
    }
}

/// The free slots `availability` lists for this object and day, if it is
/// about them.
fn free_slots(
    availability: Option<&Availability>,
    resource: ResourceId,
    date: NaiveDate,
) -> Vec<Slot> {
    availability
        .filter(|a| a.resource_id == resource && a.date == date)
        .map(|a| parse_slots(&a.free))
        .unwrap_or_default()
}

/// The slots of a list as the core writes them, `"15:00"`; others are left out.
fn parse_slots(texts: &[String]) -> Vec<Slot> {
    texts.iter().filter_map(|s| Slot::parse(s).ok()).collect()
}

/// «Объект»: where the booking takes place.
#[component]
fn ObjectField(
    lang: Lang,
    resources: Vec<ResourceInfo>,
    current: ResourceId,
    on_pick: EventHandler<ResourceId>,
) -> Element {
    rsx! {
        label { class: "field",
            span { class: "field-label", {t(lang, Text::Object)} }
            select { class: "select", id: "booking-object",
                onchange: move |e| {
                    if let Some(r) = e.value().parse().ok().map(ResourceId) { on_pick.call(r) }
                },
                for r in resources.iter() {
                    option { value: "{r.id}", selected: r.id == current, {r.name.clone()} }
                }
            }
        }
    }
}

/// «Выберите дату»: chips for today and the next days, or any other date.
#[component]
fn DayChoice(
    lang: Lang,
    today: NaiveDate,
    date: NaiveDate,
    on_pick: EventHandler<NaiveDate>,
) -> Element {
    let mut other_date = use_signal(|| false);
    let chips: Vec<NaiveDate> = (0..DAY_CHIPS)
        .filter_map(|d| today.checked_add_days(Days::new(d)))
        .collect();
    rsx! {
        div { class: "field-label", {t(lang, Text::ChooseDate)} }
        div { class: "chips",
            for (i, day) in chips.iter().copied().enumerate() {
                button {
                    r#type: "button",
                    class: if day == date && !other_date() { "chip chip-on" } else { "chip" },
                    onclick: move |_| { other_date.set(false); on_pick.call(day) },
                    strong { {format::day_month(lang, day)} }
                    span { if i == 0 { {t(lang, Text::Today)} } else { {format::weekday(lang, day)} } }
                }
            }
            button {
                r#type: "button",
                class: if other_date() || !chips.contains(&date) { "chip chip-on" } else { "chip" },
                onclick: move |_| other_date.set(true),
                strong { {t(lang, Text::OtherDate)} }
            }
        }
        if other_date() {
            OtherDateField { lang, today, date, on_pick }
        }
    }
}

/// «Другая дата» typed as `04.12.2026`, whatever the system's locale; a day
/// before today is not taken.
#[component]
fn OtherDateField(
    lang: Lang,
    today: NaiveDate,
    date: NaiveDate,
    on_pick: EventHandler<NaiveDate>,
) -> Element {
    let mut typed = use_signal(|| format::date_field(date));
    let chosen = format::parse_date_field(&typed()).filter(|d| *d >= today);
    rsx! {
        label { class: "field",
            span { class: "field-label", "{t(lang, Text::DateField)} ({t(lang, Text::DateHint)})" }
            input { r#type: "text", class: "date-input", id: "other-date", inputmode: "numeric", maxlength: 10,
                placeholder: t(lang, Text::DateHint), value: "{typed}",
                oninput: move |e| {
                    typed.set(e.value());
                    if let Some(d) = format::parse_date_field(&e.value()).filter(|d| *d >= today) { on_pick.call(d) }
                } }
        }
        if chosen.is_none() {
            p { class: "field-error", role: "alert", {t(lang, Text::DateFormatError)} }
        }
    }
}

/// Every half hour of the day: chosen, free, or taken.
#[component]
fn SlotGrid(
    lang: Lang,
    chosen: Vec<Slot>,
    free: Vec<Slot>,
    /// The number of slots paid for, which the choice keeps.
    fixed: Option<u8>,
    /// The free slots are not known yet.
    loading: bool,
    on_click: EventHandler<Slot>,
) -> Element {
    rsx! {
        if let Some(n) = fixed {
            p { class: "note", "{t(lang, Text::PaidSlotsNote)}: {n}" }
        }
        if loading {
            p { class: "muted", {t(lang, Text::Loading)} }
        } else if free.is_empty() {
            p { class: "muted", {t(lang, Text::NoFreeSlots)} }
        }
        div { class: "slots", id: "slot-grid",
            for slot in Slot::all() {
                button {
                    r#type: "button",
                    class: if chosen.contains(&slot) { "slot slot-on" } else if free.contains(&slot) { "slot" } else { "slot slot-taken" },
                    disabled: !free.contains(&slot),
                    "data-slot": "{slot}",
                    onclick: move |_| on_click.call(slot),
                    "{slot}"
                }
            }
        }
    }
}

/// «Плательщик» among the company's payers.
#[component]
fn PayerField(
    lang: Lang,
    payers: Vec<PayerInfo>,
    current: Option<UserId>,
    on_pick: EventHandler<Option<UserId>>,
) -> Element {
    rsx! {
        label { class: "field",
            span { class: "field-label", {t(lang, Text::Payer)} }
            select { class: "select", id: "booking-payer",
                onchange: move |e| on_pick.call(e.value().parse().ok().map(UserId)),
                for p in payers.iter().filter(|p| p.payer.is_company()) {
                    option {
                        value: "{p.payer.company_id().map(|id| id.0).unwrap_or_default()}",
                        selected: current == p.payer.company_id(),
                        {p.name.clone()}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    fn s(text: &str) -> Slot {
        Slot::parse(text).expect("valid slot")
    }

    #[test]
    fn clicks_build_one_continuous_range_of_free_slots() {
        let free: Vec<Slot> = ["10:00", "10:30", "11:00", "12:00"].map(s).to_vec();
        let one = select_slots(&[], s("10:00"), None, &free);
        assert_eq!(one, vec![s("10:00")]);
        let two = select_slots(&one, s("11:00"), None, &free);
        assert_eq!(two, vec![s("10:00"), s("10:30"), s("11:00")]);
        // 11:30 is taken, so reaching 12:00 starts again.
        assert_eq!(
            select_slots(&two, s("12:00"), None, &free),
            vec![s("12:00")]
        );
        assert_eq!(
            select_slots(&one, s("10:00"), None, &free),
            Vec::<Slot>::new()
        );
        assert_eq!(select_slots(&one, s("09:00"), None, &free), one);
    }

    #[test]
    fn paid_booking_keeps_its_number_of_slots() {
        let free: Vec<Slot> = ["15:00", "15:30", "16:00", "16:30", "18:00"]
            .map(s)
            .to_vec();
        let moved = select_slots(&[], s("15:00"), Some(4), &free);
        assert_eq!(moved.len(), 4);
        // Not enough free slots from 16:00: the choice stays as it was.
        assert_eq!(select_slots(&moved, s("16:00"), Some(4), &free), moved);
    }

    #[test]
    fn editor_shows_chips_grid_and_labels() {
        let html = fixtures::render(|| {
            let booking = fixtures::booking_info();
            rsx! {
            BookingEditor {
                lang: Lang::Ru,
                today: booking.date,
                now: DateTime::default(),
                site: fixtures::site(),
                booking: booking.clone(),
                comment: Some("Нужен проектор и доска.".to_owned()),
                payer: fixtures::individual(),
                payers: Vec::new(),
                paid_slots: None,
                resources: fixtures::resources(),
                availability: None,
                on_pick_day: |_| {},
                on_save: |_| {},
                on_cancel: |_| {},
            }
            }
        });
        for text in [
            "Объект",
            "сегодня",
            "Другая дата",
            "08:00",
            "23:30",
            "Комментарий или пожелание",
            "Сохранить изменения",
            "Отменить",
        ] {
            assert!(html.contains(text), "«{text}» missing");
        }
        assert_eq!(html.matches("data-slot=").count(), 32);
    }

    #[test]
    fn slots_that_have_ended_are_not_offered() {
        let day = NaiveDate::from_ymd_opt(2023, 3, 1).expect("valid date");
        let free: Vec<Slot> = ["14:00", "14:30", "15:00", "15:30"].map(s).to_vec();
        let now = DateTime::parse_from_rfc3339("2023-03-01T15:10:00+03:00")
            .expect("valid time")
            .to_utc();
        // 15:00 runs until 15:30, so it may still be taken; 14:30 has ended.
        assert_eq!(
            bookable_slots(&free, day, now, fixtures::site()),
            vec![s("15:00"), s("15:30")]
        );
        let tomorrow = day.succ_opt().expect("next day");
        assert_eq!(bookable_slots(&free, tomorrow, now, fixtures::site()), free);
    }

    #[test]
    fn the_grid_disables_past_slots_of_today() {
        let html = fixtures::render(|| {
            let booking = fixtures::booking_info();
            rsx! {
            BookingEditor {
                lang: Lang::Ru,
                today: booking.date,
                now: DateTime::parse_from_rfc3339("2023-03-01T12:00:00+03:00").expect("valid time").to_utc(),
                site: fixtures::site(),
                booking: booking.clone(),
                comment: None,
                payer: fixtures::individual(),
                payers: Vec::new(),
                paid_slots: None,
                resources: fixtures::resources(),
                availability: Some(Availability {
                    resource_id: booking.resource.id,
                    date: booking.date,
                    slots: Vec::new(),
                    free: ["09:00", "11:30", "12:00", "18:00"].map(str::to_owned).to_vec(),
                }),
                on_pick_day: |_| {},
                on_save: |_| {},
                on_cancel: |_| {},
            }
            }
        });
        let enabled = |slot: &str| {
            html.split("<button")
                .find(|b| b.contains(&format!("data-slot=\"{slot}\"")))
                .is_some_and(|b| !b.contains("disabled"))
        };
        assert!(!enabled("09:00"), "09:00 has ended");
        assert!(!enabled("11:30"), "11:30 has ended at noon");
        for open in ["12:00", "15:00", "18:00"] {
            assert!(enabled(open), "{open} may be chosen");
        }
    }
}
