//! «Детали заказа»: the service's own fields and, except for shop orders
//! (which have their collection card), the lines with the total.

use crate::i18n::{t, Lang, Text};
use crate::model::{OrderDetail, OrderLine};
use dioxus::prelude::*;
use orderdesk_domain::{Money, OrderKind};

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

/// The card, shown when it has fields or lines to show.
#[component]
pub fn OrderDetails(lang: Lang, detail: OrderDetail) -> Element {
    let fields = detail_fields(lang, &detail);
    let show_lines = !detail.lines.is_empty() && detail.kind != OrderKind::NomenclatureSale;
    rsx! {
        if !fields.is_empty() || show_lines {
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
                if show_lines {
                    LinesTable { lang, lines: detail.lines.clone(), total: detail.payment.total }
                }
            }
        }
    }
}

#[component]
fn LinesTable(lang: Lang, lines: Vec<OrderLine>, total: Money) -> Element {
    rsx! {
        table { class: "lines",
            tbody {
                for line in lines.iter() {
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
                    td { class: "line-sum", {total.format_rub()} }
                }
            }
        }
    }
}
