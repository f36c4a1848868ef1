//! The list of orders: filters, search by number, counts, and rows rendered
//! only where the manager can see them, so ten thousand orders scroll as
//! smoothly as ten.

use crate::components::StatusBadge;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{OrderFilter, OrderSummary};
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, OrderNumber, Status};
use std::ops::Range;
use std::rc::Rc;

/// Height of one row in pixels; the stylesheet uses the same value.
pub const ROW_HEIGHT: f64 = 104.0;
/// Rows kept rendered above and below the visible ones.
const OVERSCAN: usize = 8;

/// The rows to render for a scroll position and a viewport height.
pub fn visible_window(total: usize, scroll_top: f64, viewport: f64) -> Range<usize> {
    let first = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    let shown = (viewport.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + shown + OVERSCAN).min(total);
    start..end
}

/// The orders that pass the filter, newest number first, as the server and
/// the cache order them.
pub fn filter_orders(all: &[OrderSummary], filter: &OrderFilter) -> Vec<OrderSummary> {
    let query = filter.query.trim();
    let mut found: Vec<OrderSummary> = all
        .iter()
        .filter(|o| filter.status.is_none_or(|s| o.status == s))
        .filter(|o| filter.kind.is_none_or(|k| o.kind == k))
        .filter(|o| query.is_empty() || o.number.to_string().contains(query))
        .cloned()
        .collect();
    found.sort_by_key(|o| std::cmp::Reverse(o.number));
    found
}

#[component]
pub fn OrderList(
    lang: Lang,
    /// Every order the manager sees (the filter is applied here).
    orders: Rc<Vec<OrderSummary>>,
    filter: OrderFilter,
    selected: Option<OrderNumber>,
    /// Orders with changes waiting to be sent.
    pending: Rc<Vec<OrderNumber>>,
    on_filter: EventHandler<OrderFilter>,
    on_select: EventHandler<OrderNumber>,
) -> Element {
    let mut scroll_top = use_signal(|| 0.0_f64);
    let mut viewport = use_signal(|| 900.0_f64);

    let shown = use_memo(use_reactive!(|orders, filter| Rc::new(filter_orders(
        &orders, &filter
    ))));
    let shown = shown();
    let window = visible_window(shown.len(), scroll_top(), viewport());
    let total_height = shown.len() as f64 * ROW_HEIGHT;

    rsx! {
        div { class: "list",
            ListToolbar { lang, orders: orders.clone(), filter: filter.clone(), found: shown.len(), on_filter }
            if shown.is_empty() {
                div { class: "empty",
                    div { class: "empty-icon", aria_hidden: "true", "☰" }
                    strong { {t(lang, Text::Nothing)} }
                    span { {t(lang, Text::NothingHint)} }
                }
            } else {
                div {
                    class: "list-scroll",
                    id: "order-list",
                    onscroll: move |e| {
                        scroll_top.set(e.data().scroll_top());
                        viewport.set(f64::from(e.data().client_height()));
                    },
                    div { class: "list-spacer", style: "height: {total_height}px",
                        for index in window {
                            OrderRow {
                                key: "{shown[index].number}",
                                lang,
                                order: shown[index].clone(),
                                top: index as f64 * ROW_HEIGHT,
                                selected: selected == Some(shown[index].number),
                                pending: pending.contains(&shown[index].number),
                                on_select,
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn OrderRow(
    lang: Lang,
    order: OrderSummary,
    top: f64,
    selected: bool,
    pending: bool,
    on_select: EventHandler<OrderNumber>,
) -> Element {
    let number = order.number;
    let booked = order.period_text.clone();
    let executor = order
        .executor_name
        .clone()
        .unwrap_or_else(|| t(lang, Text::NotAssigned).to_owned());
    let amount = order.total;
    rsx! {
        button {
            r#type: "button",
            class: if selected { "row row-selected" } else { "row" },
            style: "top: {top}px",
            "data-number": "{number}",
            onclick: move |_| on_select.call(number),
            div { class: "row-top",
                span { class: "row-number", "{number}" }
                span { class: "row-date", {format::date_time(order.created_at)} }
                if pending {
                    span { class: "pending-mark", title: t(lang, Text::PendingChange), "⟳" }
                }
                span { class: "row-amount",
                    if amount.is_positive() { {amount.format_rub()} }
                }
            }
            div { class: "row-title", {order.title.clone()} }
            div { class: "row-meta",
                if let Some(booked) = booked {
                    span { class: "row-booked", {booked} }
                    span { class: "sep", "·" }
                }
                span { class: "row-executor", {executor} }
            }
            div { class: "row-status",
                StatusBadge { lang, status: order.status, awaiting_payment: order.payment_label.is_some() }
            }
        }
    }
}

#[component]
fn ListToolbar(
    lang: Lang,
    orders: Rc<Vec<OrderSummary>>,
    filter: OrderFilter,
    found: usize,
    on_filter: EventHandler<OrderFilter>,
) -> Element {
    let count_of = |status: Status| {
        orders
            .iter()
            .filter(|o| o.status == status && filter.kind.is_none_or(|k| o.kind == k))
            .count()
    };
    let statuses: Vec<(Status, usize)> = Status::ALL
        .into_iter()
        .filter(|s| filter.kind.is_none_or(|k| s.applies_to(k)))
        .map(|s| (s, count_of(s)))
        .collect();
    let with_query = {
        let filter = filter.clone();
        move |e: FormEvent| {
            let mut next = filter.clone();
            next.query = e.value().chars().filter(char::is_ascii_digit).collect();
            on_filter.call(next);
        }
    };
    let with_status = {
        let filter = filter.clone();
        move |e: FormEvent| {
            let mut next = filter.clone();
            next.status = Status::parse(&e.value());
            on_filter.call(next);
        }
    };
    let with_kind = {
        let filter = filter.clone();
        move |e: FormEvent| {
            let mut next = filter.clone();
            next.kind = OrderKind::parse(&e.value());
            on_filter.call(next);
        }
    };
    rsx! {
        div { class: "toolbar",
            div { class: "search",
                span { class: "search-icon", aria_hidden: "true", "⌕" }
                input {
                    id: "order-search",
                    r#type: "search",
                    inputmode: "numeric",
                    placeholder: t(lang, Text::Search),
                    value: "{filter.query}",
                    oninput: with_query,
                }
            }
            div { class: "filters",
                select { id: "filter-status", class: "select", onchange: with_status,
                    option { value: "", selected: filter.status.is_none(), {t(lang, Text::AllStatuses)} }
                    for (status, count) in statuses {
                        option {
                            value: status.id(),
                            selected: filter.status == Some(status),
                            "{status.label(lang)} ({count})"
                        }
                    }
                }
                select { id: "filter-kind", class: "select", onchange: with_kind,
                    option { value: "", selected: filter.kind.is_none(), {t(lang, Text::AllKinds)} }
                    for kind in OrderKind::ALL {
                        option { value: kind.id(), selected: filter.kind == Some(kind), {kind.label(lang)} }
                    }
                }
            }
            div { class: "count", id: "order-count", "{t(lang, Text::Found)}: {found}" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn window_covers_the_viewport_plus_overscan() {
        assert_eq!(visible_window(0, 0.0, 800.0), 0..0);
        let at_top = visible_window(10_000, 0.0, 832.0);
        assert_eq!(at_top, 0..17);
        let deep = visible_window(10_000, 104.0 * 5_000.0, 832.0);
        assert_eq!(deep.start, 5_000 - OVERSCAN);
        assert!(deep.len() < 40, "{deep:?}");
        let end = visible_window(10_000, 104.0 * 10_000.0, 832.0);
        assert_eq!(end.end, 10_000);
    }

    #[test]
    fn filter_searches_by_number_and_sorts_newest_first() {
        let all = fixtures::orders(50);
        let filter = OrderFilter {
            query: "100001".into(),
            ..OrderFilter::default()
        };
        let found = filter_orders(&all, &filter);
        assert!(!found.is_empty());
        assert!(found
            .iter()
            .all(|o| o.number.to_string().contains("100001")));
        let everything = filter_orders(&all, &OrderFilter::default());
        assert!(everything.windows(2).all(|w| w[0].number > w[1].number));
        let news = filter_orders(
            &all,
            &OrderFilter {
                status: Some(Status::New),
                ..OrderFilter::default()
            },
        );
        assert!(news.iter().all(|o| o.status == Status::New));
    }

    #[test]
    fn ten_thousand_orders_render_only_a_screenful_of_rows() {
        let html = fixtures::render(|| {
            rsx! {
                OrderList {
                    lang: Lang::Ru,
                    orders: Rc::new(fixtures::orders(10_000)),
                    filter: OrderFilter::default(),
                    selected: None,
                    pending: Rc::new(Vec::new()),
                    on_filter: |_| {},
                    on_select: |_| {},
                }
            }
        });
        let rows = html.matches("data-number=").count();
        assert!(rows > 5 && rows < 40, "{rows} rows rendered");
        assert!(html.contains("Найдено: 10000"));
        assert!(html.contains("В процессе оплаты"));
    }
}
