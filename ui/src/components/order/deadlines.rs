//! Due dates: a request's first response and completion, which a manager
//! may change, and the plain due day of any other order.

use super::OrderAction;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::OrderDetail;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use dioxus::prelude::*;

/// A due time, when one is set.
type Due = Option<DateTime<FixedOffset>>;

/// «Срок» of a request, with its editor.
#[component]
pub fn Deadlines(
    lang: Lang,
    detail: OrderDetail,
    /// The editor is open.
    editing: bool,
    on_editing: EventHandler<bool>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let due = detail.deadlines.clone();
    let shown = |at: Due| at.map(format::date_time).unwrap_or_else(|| "—".into());
    rsx! {
        if detail.kind.is_request() {
            section { class: "card",
                div { class: "card-head",
                    h4 { class: "card-title", {t(lang, Text::Deadline)} }
                    if detail.allowed.change_deadlines && !editing {
                        button { class: "btn btn-link", r#type: "button", id: "change-time",
                            onclick: move |_| on_editing.call(true), {t(lang, Text::ChangeTime)} }
                    }
                }
                if editing {
                    DeadlineEditor { lang, offset: *detail.created_at.offset(),
                        first: due.first_response_due, completion: due.completion_due,
                        on_save: move |(first_response_due, completion_due)| on_action.call(OrderAction::ChangeDeadlines { first_response_due, completion_due }),
                        on_cancel: move |_| on_editing.call(false) }
                } else {
                    dl { class: "fields",
                        div { class: "field-row",
                            dt { {t(lang, Text::FirstResponse)} }
                            dd { {shown(due.first_response_due)} }
                        }
                        div { class: "field-row",
                            dt { {t(lang, Text::Completion)} }
                            dd { {shown(due.completion_due)} }
                        }
                    }
                }
            }
        }
    }
}

/// The day an order other than a request is due, when it has one.
#[component]
pub fn DueDay(lang: Lang, detail: OrderDetail) -> Element {
    rsx! {
        if let Some(due) = detail.deadlines.completion_due.filter(|_| !detail.kind.is_request()) {
            section { class: "card",
                h4 { class: "card-title", {t(lang, Text::Deadline)} }
                div { {format::day_month(lang, due.date_naive())} }
            }
        }
    }
}

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
