//! Shop collection, line by line: each line is collected, or some of its
//! units are missing; the refund for what is missing shows in the total.

use crate::i18n::{t, Lang, Text};
use crate::model::{OrderLine, PaymentInfo};
use dioxus::prelude::*;
use orderdesk_domain::{LineNo, LineOutcome, Money};

#[component]
pub fn Collection(
    lang: Lang,
    lines: Vec<OrderLine>,
    payment: PaymentInfo,
    /// The manager may mark lines now.
    editable: bool,
    /// A mark may still be taken back (the order is «Собирается»).
    #[props(default)]
    undoable: bool,
    on_collect: EventHandler<(LineNo, LineOutcome)>,
    #[props(default)] on_undo: EventHandler<LineNo>,
) -> Element {
    // Paid for what could not be collected and not yet given back.
    let owed = Money(payment.paid.kopecks() - payment.total.kopecks() - payment.refunded.kopecks());
    rsx! {
        section { class: "card", id: "collection",
            h4 { class: "card-title", {t(lang, Text::Collection)} }
            for line in lines.iter().cloned() {
                CollectionLine { key: "{line.line}", lang, line, editable, undoable, on_collect, on_undo }
            }
            div { class: "collect-total", id: "collection-total", "data-kopecks": "{payment.total.kopecks()}",
                span { {t(lang, Text::Total)} }
                strong { {payment.total.format_rub()} }
            }
            if owed.is_positive() {
                div { class: "refund-line", id: "refund-owed",
                    span { {t(lang, Text::ToRefund)} }
                    strong { {owed.format_rub()} }
                }
            }
            if payment.refunded.is_positive() {
                div { class: "refund-line", id: "refund",
                    span { {t(lang, Text::Refunded)} }
                    strong { {payment.refunded.format_rub()} }
                }
            }
        }
    }
}

#[component]
fn CollectionLine(
    lang: Lang,
    line: OrderLine,
    editable: bool,
    undoable: bool,
    on_collect: EventHandler<(LineNo, LineOutcome)>,
    on_undo: EventHandler<LineNo>,
) -> Element {
    let mut asking = use_signal(|| false);
    let mut missing = use_signal(|| 1_u32);
    let number = line.line;
    let max = line.quantity;
    let count = match line.outcome {
        Some(LineOutcome::Missing { quantity }) => format!("({} − {quantity})", line.quantity),
        _ => line.quantity.to_string(),
    };
    let state = match line.outcome {
        None => None,
        Some(LineOutcome::Collected) => Some(("collected", t(lang, Text::Collected).to_owned())),
        Some(LineOutcome::Missing { quantity }) => {
            Some(("missing", format!("{}: {quantity}", t(lang, Text::Missing))))
        }
    };
    rsx! {
        div { class: "collect-line", "data-line": "{number}",
            div { class: "grow",
                div { {line.name.clone()} }
                div { class: "muted small", "{count} × {line.unit_price.format_rub()} = {line.total.format_rub()}" }
            }
            if let Some((class, text)) = state {
                span { class: "line-state line-{class}", {text} }
                if undoable {
                    button { class: "btn btn-link btn-small undo-collect", r#type: "button",
                        onclick: move |_| on_undo.call(number), {t(lang, Text::UndoMark)} }
                }
            }
            if editable && line.outcome.is_none() && !asking() {
                div { class: "collect-actions",
                    button { class: "btn btn-secondary btn-small collect-ok", r#type: "button",
                        onclick: move |_| on_collect.call((number, LineOutcome::Collected)),
                        {t(lang, Text::Collected)} }
                    button { class: "btn btn-secondary btn-small collect-missing", r#type: "button",
                        onclick: move |_| asking.set(true),
                        {t(lang, Text::Missing)} }
                }
            }
        }
        if asking() {
            div { class: "picker collect-ask",
                label { class: "field",
                    span { class: "field-label", {t(lang, Text::MissingQuantity)} }
                    input { r#type: "number", class: "missing-qty", min: 1, max: "{max}", value: "{missing}",
                        oninput: move |e| if let Ok(n) = e.value().trim().parse::<u32>() { missing.set(n) } }
                }
                div { class: "picker-actions",
                    button { class: "btn btn-secondary", r#type: "button", onclick: move |_| asking.set(false),
                        {t(lang, Text::Cancel)} }
                    button { class: "btn btn-primary save-missing", r#type: "button",
                        disabled: missing() == 0 || missing() > max,
                        onclick: move |_| {
                            asking.set(false);
                            on_collect.call((number, LineOutcome::Missing { quantity: missing() }));
                        },
                        {t(lang, Text::Save)} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn a_marked_line_can_be_taken_back_while_collecting() {
        let html = fixtures::render(|| {
            let mut detail = fixtures::unpaid_booking();
            let mut line = detail.lines.remove(0);
            line.outcome = Some(LineOutcome::Collected);
            rsx! {
                Collection { lang: Lang::Ru, lines: vec![line], payment: detail.payment.clone(),
                    editable: true, undoable: true, on_collect: |_| {}, on_undo: |_| {} }
            }
        });
        assert!(html.contains("line-collected"), "{html}");
        assert!(html.contains("Отменить отметку"), "{html}");
        let html = fixtures::render(|| {
            let mut detail = fixtures::unpaid_booking();
            let mut line = detail.lines.remove(0);
            line.outcome = Some(LineOutcome::Collected);
            rsx! {
                Collection { lang: Lang::Ru, lines: vec![line], payment: detail.payment.clone(),
                    editable: false, on_collect: |_| {} }
            }
        });
        assert!(!html.contains("Отменить отметку"), "{html}");
    }
}
