//! What every administrator's form shares: labelled inputs, reading typed
//! numbers and roubles, the form's error in place and its buttons.

use crate::api::{ApiError, ErrorCode};
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::Money;

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    id: String,
    label: &'static str,
    value: Signal<String>,
    #[props(default = "text")] kind: &'static str,
    #[props(default)] hint: Option<&'static str>,
) -> Element {
    let mut value = value;
    rsx! {
        label { class: "field",
            span { class: "field-label", {label} }
            input { id, r#type: kind, value: "{value}", placeholder: hint.unwrap_or_default(),
                oninput: move |e| value.set(e.value()) }
        }
    }
}

/// A labelled yes/no box bound to a signal.
#[component]
pub fn CheckField(id: String, label: &'static str, value: Signal<bool>) -> Element {
    let mut value = value;
    rsx! {
        label { class: "check",
            input { id, r#type: "checkbox", checked: value(),
                onchange: move |e| value.set(e.checked()) }
            span { {label} }
        }
    }
}

/// Whole minutes as typed; empty is `None`.
pub fn read_minutes(lang: Lang, text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| format!("{}: «{text}»", ta(lang, AdminText::NotANumber)))
}

/// Roubles as typed — `1500`, `1 500`, `99,90`, `99.9` — in kopecks.
pub fn read_rub(lang: Lang, text: &str) -> Result<Money, String> {
    let wrong = || format!("{}: «{}»", ta(lang, AdminText::NotAnAmount), text.trim());
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '₽')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (rub, kop) = compact.split_once('.').unwrap_or((&compact, ""));
    if rub.is_empty()
        || kop.len() > 2
        || !(rub.chars().chain(kop.chars())).all(|c| c.is_ascii_digit())
    {
        return Err(wrong());
    }
    let rub: i64 = rub.parse().map_err(|_| wrong())?;
    let kop: i64 = format!("{kop:0<2}").parse().map_err(|_| wrong())?;
    rub.checked_mul(100)
        .and_then(|k| k.checked_add(kop))
        .map(Money)
        .ok_or_else(wrong)
}

/// Kopecks as the form shows them: `1500`, `99,90`.
pub fn rub_text(money: Money) -> String {
    let (rub, kop) = (money.0 / 100, money.0 % 100);
    if kop == 0 {
        rub.to_string()
    } else {
        format!("{rub},{kop:02}")
    }
}

/// The form's error where the form is: a record changed by someone else
/// asks to reload; anything else says what the server (or the form) said.
#[component]
pub fn FormError(lang: Lang, error: Option<ApiError>, on_reload: EventHandler<()>) -> Element {
    let Some(error) = error else {
        return rsx! {};
    };
    let stale = matches!(error.code, ErrorCode::StaleVersion);
    rsx! {
        div { class: "form-error", role: "alert", id: "admin-error", "data-code": error.code.as_str(),
            if stale {
                span { {ta(lang, AdminText::Stale)} }
                button { class: "btn btn-secondary btn-small", r#type: "button", id: "admin-reload",
                    onclick: move |_| on_reload.call(()), {ta(lang, AdminText::Reload)} }
            } else {
                span { {error.message.clone()} }
            }
        }
    }
}

/// Save and close; saving is off while offline or while a change is on
/// its way.
#[component]
pub fn FormButtons(
    lang: Lang,
    creating: bool,
    writable: bool,
    saving: bool,
    on_close: EventHandler<()>,
) -> Element {
    let label = match (saving, creating) {
        (true, _) => AdminText::Saving,
        (false, true) => AdminText::Create,
        (false, false) => AdminText::Save,
    };
    rsx! {
        div { class: "form-actions",
            button { class: "btn btn-secondary", r#type: "button", id: "admin-close",
                onclick: move |_| on_close.call(()), {ta(lang, AdminText::Close)} }
            button { class: "btn btn-primary", r#type: "submit", id: "admin-save",
                disabled: !writable || saving, {ta(lang, label)} }
        }
    }
}

/// A local mistake (a number that is not one) shown as the form's error.
pub fn typed_error(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}
