//! Due dates: a request's first response and completion, which a manager
//! may change, and the plain due day of any other order.

use super::OrderAction;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::OrderDetail;
use chrono::{DateTime, FixedOffset};
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

/// A due time as its two fields hold it: `04.12.2026` and `14:30`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueFields {
    pub date: String,
    pub time: String,
}

impl DueFields {
    fn of(at: Due) -> DueFields {
        at.map(|a| DueFields {
            date: format::date_field(a.date_naive()),
            time: format::time(a),
        })
        .unwrap_or_default()
    }

    /// The due time the fields say, in the order's time zone: `Ok(None)`
    /// when both are empty, `Err` when they cannot be read.
    pub fn read(&self, offset: FixedOffset) -> Result<Due, ()> {
        if self.date.trim().is_empty() && self.time.trim().is_empty() {
            return Ok(None);
        }
        let date = format::parse_date_field(&self.date).ok_or(())?;
        let time = format::parse_time_field(&self.time).ok_or(())?;
        date.and_time(time)
            .and_local_timezone(offset)
            .single()
            .map(Some)
            .ok_or(())
    }
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
    let first_fields = use_signal(|| DueFields::of(first));
    let completion_fields = use_signal(|| DueFields::of(completion));
    let read = (
        first_fields().read(offset),
        completion_fields().read(offset),
    );
    let valid = read.0.is_ok() && read.1.is_ok();
    rsx! {
        div { class: "picker",
            DueField { lang, id: "first-response", label: t(lang, Text::FirstResponse), fields: first_fields }
            DueField { lang, id: "completion", label: t(lang, Text::Completion), fields: completion_fields }
            if !valid {
                p { class: "field-error", role: "alert", {t(lang, Text::DateFormatError)} }
            }
            div { class: "picker-actions",
                button { class: "btn btn-secondary", r#type: "button", onclick: move |_| on_cancel.call(()), {t(lang, Text::Cancel)} }
                button { class: "btn btn-primary", r#type: "button", id: "save-deadlines", disabled: !valid,
                    onclick: move |_| if let (Ok(a), Ok(b)) = read { on_save.call((a, b)) },
                    {t(lang, Text::Save)} }
            }
        }
    }
}

/// One due time: a date field and a 24-hour time field, in the app's own
/// format whatever the system's locale.
#[component]
fn DueField(
    lang: Lang,
    id: &'static str,
    label: &'static str,
    fields: Signal<DueFields>,
) -> Element {
    let mut fields = fields;
    rsx! {
        fieldset { class: "field due-field",
            legend { class: "field-label", {label} }
            div { class: "due-inputs",
                input { r#type: "text", id: "{id}-date", inputmode: "numeric", maxlength: 10,
                    placeholder: t(lang, Text::DateHint),
                    aria_label: "{label}: {t(lang, Text::DateField)}",
                    value: "{fields().date}", oninput: move |e| fields.write().date = e.value() }
                input { r#type: "text", id: "{id}-time", inputmode: "numeric", maxlength: 5,
                    placeholder: t(lang, Text::TimeHint),
                    aria_label: "{label}: {t(lang, Text::TimeField)}",
                    value: "{fields().time}", oninput: move |e| fields.write().time = e.value() }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    #[test]
    fn due_times_are_typed_as_day_month_year_and_24_hour_time() {
        let offset = fixtures::site();
        let fields = DueFields {
            date: "04.12.2026".into(),
            time: "14:30".into(),
        };
        let at = fields.read(offset).expect("readable").expect("set");
        assert_eq!(at.to_rfc3339(), "2026-12-04T14:30:00+03:00");
        assert_eq!(DueFields::of(Some(at)), fields);
        assert_eq!(DueFields::default().read(offset), Ok(None));
        for (date, time) in [
            ("12/04/2026", "14:30"),
            ("04.12.2026", "2:30 PM"),
            ("04.12.2026", ""),
        ] {
            let typed = DueFields {
                date: date.into(),
                time: time.into(),
            };
            assert!(typed.read(offset).is_err(), "{date} {time}");
        }
    }

    #[test]
    fn the_deadline_editor_shows_the_locale_format_in_english_too() {
        let html = fixtures::render(|| {
            let detail = fixtures::request_in_progress();
            rsx! { Deadlines { lang: Lang::En, detail, editing: true, on_editing: |_| {}, on_action: |_| {} } }
        });
        assert!(!html.contains("datetime-local"), "{html}");
        assert!(html.contains("placeholder=\"DD.MM.YYYY\""), "{html}");
        assert!(html.contains("placeholder=\"HH:MM\""), "{html}");
    }
}
