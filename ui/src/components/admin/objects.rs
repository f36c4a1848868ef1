//! «Объекты»: meeting rooms (price per 30-minute slot, opening hours on the
//! slot grid 08:00–23:30), coworking (desks and a tariff's price per day)
//! and hotels (rooms, a tariff's price per night, and the extras). Another
//! tariff of the same place is another object with the same name.

use super::fields::{
    read_rub, rub_text, typed_error, CheckField, FormButtons, FormError, TextField,
};
use super::goods::ProductRows;
use super::{Editing, FormState};
use crate::api::admin::AdminEdit;
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, ServiceId, Slot};
use orderdesk_protocol::ipc::AdminData;
use orderdesk_protocol::{
    AdminObject, AdminService, ObjectRequest, ObjectUpdateRequest, OpeningHours,
};

/// The groups of the tab, each with its «new» button.
const GROUPS: [(OrderKind, AdminText, AdminText); 3] = [
    (
        OrderKind::Booking,
        AdminText::MeetingRooms,
        AdminText::NewRoom,
    ),
    (
        OrderKind::CoworkingBooking,
        AdminText::Coworking,
        AdminText::NewCoworking,
    ),
    (
        OrderKind::HotelBooking,
        AdminText::Hotel,
        AdminText::NewHotel,
    ),
];

/// The objects by kind; the hotel's extras under the hotel.
#[component]
pub fn ObjectRows(lang: Lang, data: AdminData, on_open: EventHandler<Editing>) -> Element {
    rsx! {
        for (kind, group, new) in GROUPS {
            div { class: "admin-group", id: "admin-objects-{kind.id()}", key: "{kind.id()}",
                div { class: "admin-group-head",
                    h4 { {ta(lang, group)} }
                    button { class: "btn btn-secondary btn-small", r#type: "button", id: "new-object-{kind.id()}",
                        onclick: move |_| on_open.call(Editing::NewObject(kind)), "+ {ta(lang, new)}" }
                }
                ul { class: "admin-rows",
                    for object in data.objects.iter().filter(|o| o.kind == kind).cloned() {
                        li { key: "{object.id.0}",
                            button { class: "admin-row", r#type: "button", "data-name": "{object.name}",
                                onclick: move |_| on_open.call(Editing::Object(object.id)),
                                div { class: "admin-row-main",
                                    span { class: "strong", {object.name.clone()} }
                                    span { class: "muted small", {object_line(lang, &object)} }
                                }
                                if !object.active {
                                    span { class: "admin-flag admin-flag-off", {ta(lang, AdminText::Inactive)} }
                                }
                            }
                        }
                    }
                }
            }
        }
        div { class: "admin-group", id: "admin-extras",
            ProductRows { lang, data: data.clone(), kind: OrderKind::HotelBooking, on_open }
        }
    }
}

/// «Стандарт · 1 000 ₽ · 10 мест», «100 ₽ · 09:00–20:30».
fn object_line(lang: Lang, object: &AdminObject) -> String {
    let mut parts: Vec<String> = object.tariff.iter().cloned().collect();
    parts.push(object.unit_price.format_rub());
    match (&object.hours, object.kind) {
        (Some(hours), _) => parts.push(format!("{}–{}", hours.first_slot, hours.last_slot)),
        (None, OrderKind::Booking) => {}
        (None, _) => parts.push(format!(
            "{}: {}",
            ta(lang, capacity_label(object.kind)),
            object.capacity
        )),
    }
    parts.join(" · ")
}

fn capacity_label(kind: OrderKind) -> AdminText {
    match kind {
        OrderKind::HotelBooking => AdminText::Rooms,
        _ => AdminText::Desks,
    }
}

fn price_label(kind: OrderKind) -> AdminText {
    match kind {
        OrderKind::Booking => AdminText::PricePerSlot,
        OrderKind::HotelBooking => AdminText::PricePerNight,
        _ => AdminText::PricePerDay,
    }
}

/// The fields as typed, read into a change; or what cannot be read.
struct Typed {
    name: String,
    tariff: String,
    price: String,
    capacity: String,
    first: String,
    last: String,
}

impl Typed {
    fn price(&self, lang: Lang) -> Result<orderdesk_domain::Money, String> {
        read_rub(lang, &self.price)
    }

    fn capacity(&self, lang: Lang, kind: OrderKind) -> Result<u32, String> {
        if kind == OrderKind::Booking {
            return Ok(1);
        }
        let text = self.capacity.trim();
        text.parse()
            .map_err(|_| format!("{}: «{text}»", ta(lang, AdminText::NotANumber)))
    }

    fn hours(&self, kind: OrderKind) -> Option<OpeningHours> {
        (kind == OrderKind::Booking).then(|| OpeningHours {
            first_slot: self.first.clone(),
            last_slot: self.last.clone(),
        })
    }

    fn tariff(&self) -> Option<String> {
        let tariff = self.tariff.trim();
        (!tariff.is_empty()).then(|| tariff.to_owned())
    }
}

/// The change the form saves.
fn edit(
    lang: Lang,
    kind: OrderKind,
    typed: &Typed,
    known: Option<&AdminObject>,
    service: Option<ServiceId>,
    active: bool,
) -> Result<AdminEdit, String> {
    let (price, capacity) = (typed.price(lang)?, typed.capacity(lang, kind)?);
    let name = typed.name.trim().to_owned();
    Ok(match known {
        Some(object) => AdminEdit::UpdateObject(
            object.id,
            ObjectUpdateRequest {
                version: object.version,
                name,
                tariff: typed.tariff(),
                unit_price: price,
                capacity,
                hours: typed.hours(kind),
                active,
            },
        ),
        None => AdminEdit::CreateObject(ObjectRequest {
            service_id: service.ok_or_else(|| ta(lang, AdminText::ChooseService).to_owned())?,
            name,
            tariff: typed.tariff(),
            unit_price: price,
            capacity,
            hours: typed.hours(kind),
            active,
        }),
    })
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct ObjectFields {
    name: Signal<String>,
    tariff: Signal<String>,
    price: Signal<String>,
    capacity: Signal<String>,
    first: Signal<String>,
    last: Signal<String>,
    active: Signal<bool>,
    service: Signal<Option<ServiceId>>,
}

/// The fields, filled from `object`; a new one belongs to `service` until
/// another is chosen, and is open all day.
fn use_object_fields(object: Option<&AdminObject>, service: Option<ServiceId>) -> ObjectFields {
    let name = object.map(|o| o.name.clone()).unwrap_or_default();
    let tariff = object.and_then(|o| o.tariff.clone()).unwrap_or_default();
    let price = object.map(|o| rub_text(o.unit_price)).unwrap_or_default();
    let capacity = object.map(|o| o.capacity.to_string()).unwrap_or_default();
    let hours = object.and_then(|o| o.hours.clone());
    let first = hours
        .as_ref()
        .map_or(Slot::all().next(), |h| Slot::parse(&h.first_slot).ok());
    let last = hours
        .as_ref()
        .map_or(Slot::all().last(), |h| Slot::parse(&h.last_slot).ok());
    let active = object.is_none_or(|o| o.active);
    ObjectFields {
        name: use_signal(|| name),
        tariff: use_signal(|| tariff),
        price: use_signal(|| price),
        capacity: use_signal(|| capacity),
        first: use_signal(|| first.map(|s| s.to_string()).unwrap_or_default()),
        last: use_signal(|| last.map(|s| s.to_string()).unwrap_or_default()),
        active: use_signal(|| active),
        service: use_signal(|| service),
    }
}

impl ObjectFields {
    fn typed(self) -> Typed {
        Typed {
            name: (self.name)(),
            tariff: (self.tariff)(),
            price: (self.price)(),
            capacity: (self.capacity)(),
            first: (self.first)(),
            last: (self.last)(),
        }
    }
}

/// An object's form; `object` is `None` for a new one of `kind`.
#[component]
pub fn ObjectForm(
    lang: Lang,
    kind: OrderKind,
    object: Option<AdminObject>,
    services: Vec<AdminService>,
    form: FormState,
) -> Element {
    let known = object.clone();
    let services: Vec<AdminService> = services.into_iter().filter(|s| s.kind == kind).collect();
    let fields = use_object_fields(known.as_ref(), services.first().map(|s| s.id));
    let ObjectFields {
        name,
        tariff,
        price,
        capacity,
        first,
        last,
        active,
        service,
    } = fields;
    let creating = object.is_none();
    let group = GROUPS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or(AdminText::Objects, |g| g.2);
    let title = object
        .as_ref()
        .map_or(ta(lang, group), |o| o.name.as_str())
        .to_owned();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        match edit(
            lang,
            kind,
            &fields.typed(),
            known.as_ref(),
            service(),
            active(),
        ) {
            Ok(change) => form.save(change),
            Err(problem) => form.fail(typed_error(problem)),
        }
    };
    rsx! {
        form { class: "form admin-form", id: "object-form", "data-kind": kind.id(), onsubmit: submit, novalidate: true,
            h3 { {title} }
            if creating {
                ServicePicker { lang, services, chosen: service }
            }
            TextField { id: "object-name", label: ta(lang, AdminText::Name), value: name }
            if kind != OrderKind::Booking {
                div { class: "admin-pair",
                    TextField { id: "object-tariff", label: ta(lang, AdminText::Tariff), value: tariff }
                    TextField { id: "object-capacity", label: ta(lang, capacity_label(kind)), value: capacity }
                }
            }
            TextField { id: "object-price", label: ta(lang, price_label(kind)), value: price }
            if kind == OrderKind::Booking {
                div { class: "admin-pair",
                    SlotPicker { id: "object-first-slot", label: ta(lang, AdminText::Opens), value: first }
                    SlotPicker { id: "object-last-slot", label: ta(lang, AdminText::LastSlot), value: last }
                }
            }
            CheckField { id: "object-active", label: ta(lang, AdminText::ServiceActive), value: active }
            FormError { lang, error: (form.error)(), on_reload: move |_| form.reload() }
            FormButtons { lang, creating, writable: form.writable, saving: (form.saving)(),
                on_close: move |_| form.close() }
        }
    }
}

/// «Услуга» of a new object or good: a service of the right kind.
#[component]
pub fn ServicePicker(
    lang: Lang,
    services: Vec<AdminService>,
    chosen: Signal<Option<ServiceId>>,
) -> Element {
    let mut chosen = chosen;
    rsx! {
        label { class: "field",
            span { class: "field-label", {ta(lang, AdminText::Service)} }
            select { class: "select", id: "pick-service",
                onchange: move |e| chosen.set(e.value().parse().ok().map(ServiceId)),
                for service in services {
                    option { value: "{service.id}", selected: chosen() == Some(service.id), {service.name.clone()} }
                }
            }
        }
    }
}

/// A slot start of the day's grid, 08:00 to 23:30.
#[component]
fn SlotPicker(id: String, label: &'static str, value: Signal<String>) -> Element {
    let mut value = value;
    rsx! {
        label { class: "field",
            span { class: "field-label", {label} }
            select { class: "select", id, onchange: move |e| value.set(e.value()),
                for slot in Slot::all() {
                    option { value: "{slot}", selected: value() == slot.to_string(), "{slot}" }
                }
            }
        }
    }
}
