//! «Оплата»: the payer when a company pays, each payment and refund, what
//! is still due, and the form a manager records a payment with.

use super::OrderAction;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{
    OrderDetail, PaymentEntry, PaymentEntryKind, PaymentEntryStatus, PaymentSource,
};
use dioxus::prelude::*;
use orderdesk_domain::Money;

/// The card, shown once there is something to pay or paid.
#[component]
pub fn PaymentCard(
    lang: Lang,
    detail: OrderDetail,
    /// The form to record a payment is open.
    editing: bool,
    on_editing: EventHandler<bool>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let payment = detail.payment.clone();
    rsx! {
        if payment.total.is_positive() || !detail.payments.is_empty() {
            section { class: "card",
                h4 { class: "card-title", {t(lang, Text::Payment)} }
                if detail.payer.payer.is_company() {
                    div { class: "muted small", "{t(lang, Text::Payer)}: {detail.payer.name}" }
                }
                for entry in detail.payments.iter() {
                    PaymentRow { lang, entry: entry.clone() }
                }
                // Awaiting the requester's card payment: the server keeps
                // no row until money arrives, so the card says what is due.
                if payment.awaiting_payment
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
                if detail.allowed.record_payment {
                    if editing {
                        PaymentForm { lang, outstanding: payment.outstanding,
                            on_save: move |m| on_action.call(OrderAction::RecordPayment(m)),
                            on_cancel: move |_| on_editing.call(false) }
                    } else {
                        button { class: "btn btn-secondary", r#type: "button", id: "record-payment",
                            onclick: move |_| on_editing.call(true), {t(lang, Text::RecordPayment)} }
                    }
                }
            }
        }
    }
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

/// One payment or refund, with its state.
#[component]
fn PaymentRow(lang: Lang, entry: PaymentEntry) -> Element {
    rsx! {
        div { class: "payment",
            div {
                div { {payment_title(lang, &entry)} }
                div { class: "muted small", "№ {entry.id} · {format::date_time(entry.created_at)}" }
            }
            if entry.status == PaymentEntryStatus::Completed && entry.kind == PaymentEntryKind::Refund {
                // Money going back, not received: its own word, sign and colour.
                div { class: "pay-state refunded", "{t(lang, Text::Refunded)} −{entry.amount.format_rub()}" }
            } else if entry.status == PaymentEntryStatus::Completed {
                div { class: "pay-state paid", "{t(lang, Text::Paid)} {entry.amount.format_rub()}" }
            } else if entry.kind == PaymentEntryKind::Refund {
                div { class: "pay-state refund-pending", "{t(lang, Text::RefundPending)} {entry.amount.format_rub()}" }
            } else {
                div { class: "pay-state unpaid", {t(lang, Text::NotPaid)} }
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

    #[test]
    fn typed_roubles_become_kopecks() {
        assert_eq!(parse_rub("1 500"), Some(Money::rub(1500)));
        assert_eq!(parse_rub("12,5"), Some(Money(1250)));
        assert_eq!(parse_rub("0"), None);
        assert_eq!(parse_rub("abc"), None);
        assert_eq!(parse_rub("1,234"), None);
    }

    fn entry(kind: PaymentEntryKind, status: PaymentEntryStatus, rub: i64) -> PaymentEntry {
        PaymentEntry {
            id: 7,
            kind,
            source: PaymentSource::Gateway,
            status,
            amount: Money::rub(rub),
            created_at: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+03:00")
                .expect("valid time"),
            completed_at: None,
        }
    }

    #[test]
    fn a_finished_refund_reads_as_money_going_back_not_received() {
        let html = crate::components::fixtures::render(|| {
            let e = entry(
                PaymentEntryKind::Refund,
                PaymentEntryStatus::Completed,
                1500,
            );
            rsx! { PaymentRow { lang: Lang::Ru, entry: e } }
        });
        assert!(
            html.contains(&format!("Возвращено −{}", Money::rub(1500).format_rub())),
            "{html}"
        );
        assert!(html.contains("pay-state refunded"), "{html}");
        assert!(!html.contains("Оплачено"), "{html}");
        assert!(!html.contains("pay-state paid"), "{html}");
        let html = crate::components::fixtures::render(|| {
            let e = entry(
                PaymentEntryKind::Payment,
                PaymentEntryStatus::Completed,
                1500,
            );
            rsx! { PaymentRow { lang: Lang::En, entry: e } }
        });
        assert!(html.contains("pay-state paid"), "{html}");
    }
}
