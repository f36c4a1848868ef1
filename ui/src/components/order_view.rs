//! The order screen: header, executor, status, details and lines, people,
//! payment, due dates, cancellation and the chat.

use crate::components::collection::Collection;
use crate::components::stay::{CoworkingCard, HotelCard};
use crate::components::{Chat, StatusBadge};
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{
    Conflict, ConflictId, MessageView, OrderDetail, PaymentEntry, PaymentEntryKind,
    PaymentEntryStatus, PaymentSource, Person,
};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use dioxus::prelude::*;
use orderdesk_domain::{LineNo, LineOutcome, Money, OrderKind, Status, UserId, Visibility};

/// What the manager asked for on the order screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    Back,
    AssignExecutor(Option<UserId>),
    ChangeStatus(Status),
    ChangeDeadlines {
        first_response_due: Option<DateTime<FixedOffset>>,
        completion_due: Option<DateTime<FixedOffset>>,
    },
    CopyPaymentLink(String),
    RecordPayment(Money),
    Cancel,
    EditBooking,
    SendMessage(String, Visibility),
    CollectLine(LineNo, LineOutcome),
    DismissConflict(ConflictId),
}

/// Which inline editor is open; one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    Nothing,
    Executor,
    Status,
    Time,
    Payment,
    ConfirmCancel,
}

/// The service's fields shown under «Детали заказа», as label and value.
pub fn detail_fields(lang: Lang, order: &OrderDetail) -> Vec<(String, String)> {
    let ru = lang == Lang::Ru;
    let pick = |r: &str, e: &str| if ru { r.to_owned() } else { e.to_owned() };
    let mut fields = Vec::new();
    if let Some(premises) = &order.premises {
        fields.push((pick("Помещение", "Premises"), premises.clone()));
    }
    if let Some(text) = &order.description {
        fields.push((pick("Описание", "Description"), text.clone()));
    }
    if let Some(visitor) = order.visitor.as_ref().filter(|_| order.coworking.is_none()) {
        fields.push((pick("Посетитель", "Visitor"), visitor.name.clone()));
    }
    if let Some(text) = &order.comment {
        fields.push((t(lang, Text::Comment).to_owned(), text.clone()));
    }
    fields
}

fn payment_title(lang: Lang, entry: &PaymentEntry) -> &'static str {
    match (entry.kind, entry.source, lang) {
        (PaymentEntryKind::Refund, _, Lang::Ru) => "Возврат",
        (PaymentEntryKind::Refund, _, Lang::En) => "Refund",
        (_, PaymentSource::Gateway, Lang::Ru) => "Банковская карта",
        (_, PaymentSource::Gateway, Lang::En) => "Bank card",
        (_, PaymentSource::Manual, Lang::Ru) => "Оплата, проведённая менеджером",
        (_, PaymentSource::Manual, Lang::En) => "Recorded by a manager",
    }
}

#[component]
pub fn OrderView(
    lang: Lang,
    detail: OrderDetail,
    messages: Vec<MessageView>,
    /// Some of this order's changes are not yet accepted by the server.
    #[props(default)]
    pending: bool,
    /// This order's changes the server refused, with the reason.
    #[props(default)]
    conflicts: Vec<Conflict>,
    /// The signed-in manager: their chat messages sit on the right.
    #[props(default)]
    me: Option<UserId>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let mut editing = use_signal(|| Editing::Nothing);
    let mut menu_open = use_signal(|| false);
    let number = detail.number;
    let payment = detail.payment.clone();
    let allowed = detail.allowed.clone();
    let fields = detail_fields(lang, &detail);
    let person_title = if detail.kind == OrderKind::Booking {
        t(lang, Text::Customer)
    } else {
        t(lang, Text::Requester)
    };
    let mut act = move |action: OrderAction| {
        editing.set(Editing::Nothing);
        menu_open.set(false);
        on_action.call(action);
    };
    let booked = match (detail.period_start, detail.period_end) {
        (Some(start), Some(end)) => Some(format::booked_range(lang, start, end)),
        _ => None,
    };
    let executor_name = detail.executor.as_ref().map(|p| p.name.clone());

    rsx! {
        article { class: "order", id: "order-view", "data-number": "{number}",
            header { class: "order-bar",
                button { class: "btn-ghost back", r#type: "button", aria_label: t(lang, Text::Back),
                    onclick: move |_| act(OrderAction::Back), "←" }
                h2 { class: "order-heading", "{t(lang, Text::Order)} {number}" }
                if pending {
                    span { class: "pending-chip", id: "order-pending", title: t(lang, Text::PendingChange),
                        "⟳ {t(lang, Text::PendingChange)}" }
                }
                if allowed.cancel {
                    div { class: "menu",
                        button { class: "btn-ghost menu-button", id: "order-menu", r#type: "button",
                            aria_haspopup: "menu", aria_expanded: menu_open(),
                            onclick: move |_| menu_open.toggle(), "⋯" }
                        if menu_open() {
                            div { class: "menu-list", role: "menu",
                                button { class: "menu-item danger", role: "menuitem", r#type: "button",
                                    id: "cancel-order",
                                    onclick: move |_| { menu_open.set(false); editing.set(Editing::ConfirmCancel); },
                                    {t(lang, Text::CancelOrder)} }
                            }
                        }
                    }
                }
            }

            for conflict in conflicts.iter().cloned() {
                div { class: "banner banner-conflict order-conflict", role: "alert",
                    span { class: "banner-icon", aria_hidden: "true", "✕" }
                    div { class: "banner-body",
                        strong { {t(lang, Text::ConflictPrefix)} }
                        span { {conflict.message.clone()} }
                    }
                    button { class: "btn-ghost", r#type: "button", aria_label: t(lang, Text::Dismiss),
                        onclick: move |_| act(OrderAction::DismissConflict(conflict.id)), "×" }
                }
            }

            section { class: "card order-head",
                div { class: "muted mono", "{number} {format::date_time(detail.created_at)}" }
                h3 { class: "order-title", {detail.title.clone()} }
                div { class: "muted small", {detail.kind.label(lang)} }
                if let Some(booked) = booked {
                    div { class: "order-when", {booked} }
                }
                div { class: "order-status",
                    StatusBadge { lang, status: detail.status, awaiting_payment: payment.awaiting_payment }
                    if payment.awaiting_payment && !detail.status.is_cancelled() {
                        if let Some(link) = payment.payment_url.clone() {
                            button { class: "btn btn-link", r#type: "button", id: "copy-payment-link",
                                onclick: move |_| act(OrderAction::CopyPaymentLink(link.clone())),
                                {t(lang, Text::CopyPaymentLink)} }
                        }
                    }
                }
                if !allowed.status_targets.is_empty() {
                    if editing() == Editing::Status {
                        StatusPicker { lang, current: detail.status, allowed: allowed.status_targets.clone(),
                            on_save: move |s| act(OrderAction::ChangeStatus(s)),
                            on_cancel: move |_| editing.set(Editing::Nothing) }
                    } else {
                        button { class: "btn btn-secondary", r#type: "button", id: "change-status",
                            onclick: move |_| editing.set(Editing::Status), {t(lang, Text::ChangeStatus)} }
                    }
                }
            }

            if let Some(ticket) = detail.coworking.clone() {
                CoworkingCard { lang, ticket, visitor: detail.visitor.clone() }
            }
            if let Some(reservation) = detail.hotel.clone() {
                HotelCard { lang, reservation }
            }

            section { class: "card",
                h4 { class: "card-title", {t(lang, Text::Executor)} }
                div { class: "person-line",
                    Avatar { name: executor_name.clone() }
                    span { class: "grow", id: "executor-name",
                        {executor_name.clone().unwrap_or_else(|| t(lang, Text::NotAssigned).to_owned())}
                    }
                    if allowed.assign && editing() != Editing::Executor {
                        button { class: "btn btn-link", r#type: "button", id: "change-executor",
                            onclick: move |_| editing.set(Editing::Executor), {t(lang, Text::ChangeExecutor)} }
                    }
                }
                if editing() == Editing::Executor {
                    div { class: "choice-list", role: "listbox",
                        button { class: "choice", r#type: "button",
                            onclick: move |_| act(OrderAction::AssignExecutor(None)),
                            Avatar { name: None }
                            span { {t(lang, Text::NotAssigned)} }
                        }
                        for person in detail.responsible.iter().filter(|p| p.id.is_some()) {
                            ExecutorChoice { person: person.clone(), current: detail.executor.as_ref().and_then(|p| p.id),
                                on_pick: move |id| act(OrderAction::AssignExecutor(Some(id))) }
                        }
                    }
                }
            }

            if !fields.is_empty() || (!detail.lines.is_empty() && detail.kind != OrderKind::NomenclatureSale) {
            section { class: "card",
                h4 { class: "card-title", {t(lang, Text::OrderDetails)} }
                if !fields.is_empty() {
                    dl { class: "fields",
                        for (label, value) in fields {
                            div { class: "field-row",
                                dt { {label} }
                                dd { {value} }
                            }
                        }
                    }
                }
                if !detail.lines.is_empty() && detail.kind != OrderKind::NomenclatureSale {
                    table { class: "lines",
                        tbody {
                            for line in detail.lines.iter() {
                                tr {
                                    td { class: "line-title",
                                        div { {line.name.clone()} }
                                        if let Some(time) = line.time.clone() { div { class: "muted small", {time} } }
                                    }
                                    td { class: "line-qty", "{line.quantity} × {line.unit_price.format_rub()}" }
                                    td { class: "line-sum", {line.total.format_rub()} }
                                }
                            }
                        }
                        tfoot {
                            tr {
                                td { colspan: 2, {t(lang, Text::Total)} }
                                td { class: "line-sum", {payment.total.format_rub()} }
                            }
                        }
                    }
                }
            }

            }

            if detail.kind == OrderKind::NomenclatureSale && !detail.lines.is_empty() {
                Collection { lang, lines: detail.lines.clone(), payment: payment.clone(),
                    editable: allowed.collect_lines,
                    on_collect: move |(line, outcome)| act(OrderAction::CollectLine(line, outcome)) }
            }

            if detail.kind.is_request() {
                section { class: "card",
                    div { class: "card-head",
                        h4 { class: "card-title", {t(lang, Text::Deadline)} }
                        if allowed.change_deadlines && editing() != Editing::Time {
                            button { class: "btn btn-link", r#type: "button", id: "change-time",
                                onclick: move |_| editing.set(Editing::Time), {t(lang, Text::ChangeTime)} }
                        }
                    }
                    if editing() == Editing::Time {
                        DeadlineEditor { lang, offset: *detail.created_at.offset(),
                            first: detail.deadlines.first_response_due, completion: detail.deadlines.completion_due,
                            on_save: move |(first_response_due, completion_due)| act(OrderAction::ChangeDeadlines { first_response_due, completion_due }),
                            on_cancel: move |_| editing.set(Editing::Nothing) }
                    } else {
                        dl { class: "fields",
                            div { class: "field-row",
                                dt { {t(lang, Text::FirstResponse)} }
                                dd { {detail.deadlines.first_response_due.map(format::date_time).unwrap_or_else(|| "—".into())} }
                            }
                            div { class: "field-row",
                                dt { {t(lang, Text::Completion)} }
                                dd { {detail.deadlines.completion_due.map(format::date_time).unwrap_or_else(|| "—".into())} }
                            }
                        }
                    }
                }
            }

            section { class: "card",
                h4 { class: "card-title", {person_title} }
                PersonCard { lang, person: detail.requester.clone() }
            }

            if payment.total.is_positive() || !detail.payments.is_empty() {
                section { class: "card",
                    h4 { class: "card-title", {t(lang, Text::Payment)} }
                    if detail.payer.kind == "company" {
                        div { class: "muted small", "{t(lang, Text::Payer)}: {detail.payer.name}" }
                    }
                    for entry in detail.payments.iter() {
                        div { class: "payment",
                            div {
                                div { {payment_title(lang, entry)} }
                                div { class: "muted small", "№ {entry.id} · {format::date_time(entry.created_at)}" }
                            }
                            if entry.status == PaymentEntryStatus::Completed {
                                div { class: "pay-state paid", "{t(lang, Text::Paid)} {entry.amount.format_rub()}" }
                            } else if entry.kind == PaymentEntryKind::Refund {
                                div { class: "pay-state refund-pending", "{t(lang, Text::RefundPending)} {entry.amount.format_rub()}" }
                            } else {
                                div { class: "pay-state unpaid", {t(lang, Text::NotPaid)} }
                            }
                        }
                    }
                    // Awaiting the requester's card payment: the server keeps
                    // no row until money arrives, so the card says what is due.
                    if payment.awaiting_payment && !payment.partly_paid && !detail.status.is_cancelled()
                        && detail.payments.iter().all(|p| p.status == PaymentEntryStatus::Completed)
                    {
                        div { class: "payment", id: "awaiting-payment",
                            div {
                                div { {t(lang, Text::PayByLink)} }
                                div { class: "muted small", {payment.outstanding.format_rub()} }
                            }
                            div { class: "pay-state unpaid", {t(lang, Text::NotPaid)} }
                        }
                    }
                    if payment.refunded.is_positive() {
                        div { class: "payment refund-total",
                            div { {t(lang, Text::Refunded)} }
                            div { class: "pay-state", {payment.refunded.format_rub()} }
                        }
                    }
                    if payment.partly_paid {
                        div { class: "payment",
                            div { {t(lang, Text::Outstanding)} }
                            div { class: "pay-state unpaid", id: "outstanding", {payment.outstanding.format_rub()} }
                        }
                    }
                    if allowed.record_payment {
                        if editing() == Editing::Payment {
                            PaymentForm { lang, outstanding: payment.outstanding,
                                on_save: move |m| act(OrderAction::RecordPayment(m)),
                                on_cancel: move |_| editing.set(Editing::Nothing) }
                        } else {
                            button { class: "btn btn-secondary", r#type: "button", id: "record-payment",
                                onclick: move |_| editing.set(Editing::Payment), {t(lang, Text::RecordPayment)} }
                        }
                    }
                }
            }

            if let Some(due) = detail.deadlines.completion_due.filter(|_| !detail.kind.is_request()) {
                section { class: "card",
                    h4 { class: "card-title", {t(lang, Text::Deadline)} }
                    div { {format::day_month(lang, due.date_naive())} }
                }
            }

            if allowed.edit_booking && detail.booking.is_some() {
                div { class: "edit-booking",
                    button { class: "btn btn-accent btn-block", r#type: "button", id: "edit-booking",
                        onclick: move |_| act(OrderAction::EditBooking), {t(lang, Text::EditOrder)} }
                    if payment.paid.is_positive() {
                        p { class: "muted small", {t(lang, Text::EditOrderNote)} }
                    }
                }
            }

            Chat { lang, messages, me, internal: allowed.read_internal,
                on_send: move |(text, visibility)| act(OrderAction::SendMessage(text, visibility)) }

            if editing() == Editing::ConfirmCancel {
                div { class: "dialog-backdrop",
                    div { class: "dialog", role: "alertdialog", aria_modal: "true", id: "confirm-cancel",
                        h3 { {t(lang, Text::CancelOrderQuestion)} }
                        if payment.paid.is_positive() {
                            p { class: "muted", {t(lang, Text::EditOrderNote)} }
                        }
                        div { class: "dialog-actions",
                            button { class: "btn btn-secondary", r#type: "button",
                                onclick: move |_| editing.set(Editing::Nothing), {t(lang, Text::No)} }
                            button { class: "btn btn-danger", r#type: "button", id: "confirm-cancel-yes",
                                onclick: move |_| act(OrderAction::Cancel), {t(lang, Text::Yes)} }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn Avatar(name: Option<String>) -> Element {
    let initials: String = name
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let class = if initials.is_empty() {
        "avatar avatar-empty"
    } else {
        "avatar"
    };
    let shown = if initials.is_empty() {
        "?".to_owned()
    } else {
        initials
    };
    rsx! {
        span { class, aria_hidden: "true",
            {shown}
        }
    }
}

#[component]
fn PersonCard(lang: Lang, person: Person) -> Element {
    rsx! {
        div { class: "person-line",
            Avatar { name: Some(person.name.clone()) }
            div { class: "grow",
                div { class: "strong", {person.name.clone()} }
                if let Some(role) = person.role_label.clone() { div { class: "muted small", {role} } }
            }
        }
        dl { class: "fields contacts",
            if let Some(phone) = person.phone.clone() {
                div { class: "field-row", dt { {t(lang, Text::Phone)} } dd { a { href: "tel:{phone}", {phone.clone()} } } }
            }
            if let Some(email) = person.email.clone() {
                div { class: "field-row", dt { {t(lang, Text::Email)} } dd { a { href: "mailto:{email}", {email.clone()} } } }
            }
        }
    }
}

#[component]
fn ExecutorChoice(
    person: Person,
    current: Option<UserId>,
    on_pick: EventHandler<UserId>,
) -> Element {
    let id = person.id;
    rsx! {
        button {
            class: if current.is_some() && current == id { "choice choice-on" } else { "choice" },
            r#type: "button",
            onclick: move |_| if let Some(id) = id { on_pick.call(id) },
            Avatar { name: Some(person.name.clone()) }
            span { {person.name.clone()} }
        }
    }
}

#[component]
fn StatusPicker(
    lang: Lang,
    current: Status,
    allowed: Vec<Status>,
    on_save: EventHandler<Status>,
    on_cancel: EventHandler<()>,
) -> Element {
    let mut chosen = use_signal(|| allowed.first().copied().unwrap_or(current));
    rsx! {
        div { class: "picker", id: "status-picker",
            for status in allowed.iter().copied() {
                label { class: "radio",
                    input { r#type: "radio", name: "status", checked: chosen() == status,
                        onchange: move |_| chosen.set(status) }
                    span { class: "status tone-{status.tone()}", span { class: "dot" } {status.label(lang)} }
                }
            }
            div { class: "picker-actions",
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()), {t(lang, Text::Cancel)} }
                button { class: "btn btn-primary", r#type: "button", id: "save-status",
                    onclick: move |_| on_save.call(chosen()), {t(lang, Text::Save)} }
            }
        }
    }
}

/// A due time, when one is set.
type Due = Option<DateTime<FixedOffset>>;

/// Reads a `datetime-local` value in the order's time zone.
fn parse_local(text: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()?;
    naive.and_local_timezone(offset).single()
}

fn to_local(at: Option<DateTime<FixedOffset>>) -> String {
    at.map(|a| a.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

#[component]
fn DeadlineEditor(
    lang: Lang,
    offset: FixedOffset,
    first: Option<DateTime<FixedOffset>>,
    completion: Option<DateTime<FixedOffset>>,
    on_save: EventHandler<(Due, Due)>,
    on_cancel: EventHandler<()>,
) -> Element {
    let mut first_text = use_signal(|| to_local(first));
    let mut completion_text = use_signal(|| to_local(completion));
    rsx! {
        div { class: "picker",
            label { class: "field",
                span { class: "field-label", {t(lang, Text::FirstResponse)} }
                input { r#type: "datetime-local", value: "{first_text}", oninput: move |e| first_text.set(e.value()) }
            }
            label { class: "field",
                span { class: "field-label", {t(lang, Text::Completion)} }
                input { r#type: "datetime-local", value: "{completion_text}", oninput: move |e| completion_text.set(e.value()) }
            }
            div { class: "picker-actions",
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()), {t(lang, Text::Cancel)} }
                button { class: "btn btn-primary", r#type: "button",
                    onclick: move |_| on_save.call((parse_local(&first_text(), offset), parse_local(&completion_text(), offset))),
                    {t(lang, Text::Save)} }
            }
        }
    }
}

/// Reads roubles typed by a person: `1500`, `1 500`, `1500,50`.
fn parse_rub(text: &str) -> Option<Money> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (rub, kop) = match cleaned.split_once([',', '.']) {
        Some((r, k)) if k.len() <= 2 => (r, format!("{k:0<2}")),
        Some(_) => return None,
        None => (cleaned.as_str(), "00".to_owned()),
    };
    let rub: i64 = rub.parse().ok()?;
    let kop: i64 = kop.parse().ok()?;
    let money = Money(rub * 100 + kop);
    money.is_positive().then_some(money)
}

#[component]
fn PaymentForm(
    lang: Lang,
    outstanding: Money,
    on_save: EventHandler<Money>,
    on_cancel: EventHandler<()>,
) -> Element {
    let mut amount = use_signal(|| format!("{}", outstanding.kopecks() / 100));
    let parsed = parse_rub(&amount());
    rsx! {
        div { class: "picker",
            label { class: "field",
                span { class: "field-label", "{t(lang, Text::RecordPayment)}, ₽" }
                input { r#type: "text", inputmode: "decimal", value: "{amount}", oninput: move |e| amount.set(e.value()) }
            }
            div { class: "picker-actions",
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()), {t(lang, Text::Cancel)} }
                button { class: "btn btn-primary", r#type: "button", disabled: parsed.is_none(),
                    onclick: move |_| if let Some(m) = parsed { on_save.call(m) },
                    {t(lang, Text::Save)} }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn typed_roubles_become_kopecks() {
        assert_eq!(parse_rub("1 500"), Some(Money::rub(1500)));
        assert_eq!(parse_rub("12,5"), Some(Money(1250)));
        assert_eq!(parse_rub("0"), None);
        assert_eq!(parse_rub("abc"), None);
        assert_eq!(parse_rub("1,234"), None);
    }

    #[test]
    fn unpaid_booking_shows_every_section_of_the_source() {
        let html = fixtures::render(|| {
            rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::unpaid_booking(), messages: fixtures::message_views(), on_action: |_| {} }
            }
        });
        for text in [
            "Заказ 1006273",
            "Переговорная Python",
            "1 марта 2023 г., с 15:00 до 17:00",
            "Новый. В процессе оплаты",
            "Скопировать ссылку на сервис оплаты",
            "Не назначено",
            "Изменить исполнителя",
            "Изменить статус",
            "Детали заказа",
            "4 × 100",
            "Заказчик",
            "Оплата",
            "Банковская карта, по ссылке на сервис оплаты",
            "Не оплачено",
            "Изменить заказ",
            "Публичное",
            "Внутреннее",
            "Написать сообщение...",
        ] {
            assert!(html.contains(text), "«{text}» missing");
        }
    }

    #[test]
    fn request_offers_time_change_and_names_the_requester() {
        let html = fixtures::render(|| {
            rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::request_in_progress(), messages: fixtures::message_views(), on_action: |_| {} }
            }
        });
        assert!(html.contains("Изменить время"));
        assert!(html.contains("Заявитель"));
        assert!(!html.contains("Изменить заказ"));
    }
}
