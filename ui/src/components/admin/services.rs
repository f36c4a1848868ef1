//! «Услуги»: each service with its kind, «Время автозакрытия заказа»,
//! default first-response and completion times, whether it takes new
//! orders, and its responsible managers — offered only among the managers
//! whose role covers the kind, by the domain's own rule.

use super::fields::{read_minutes, typed_error, CheckField, FormButtons, FormError, TextField};
use super::{Editing, FormState};
use crate::api::admin::AdminEdit;
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, UserId};
use orderdesk_protocol::{AdminService, AdminUser, ServiceRequest, ServiceUpdateRequest};

/// The list of services.
#[component]
pub fn ServiceRows(
    lang: Lang,
    services: Vec<AdminService>,
    on_open: EventHandler<Editing>,
) -> Element {
    rsx! {
        button { class: "btn btn-secondary admin-new", r#type: "button", id: "new-service",
            onclick: move |_| on_open.call(Editing::NewService), "＋ {ta(lang, AdminText::NewService)}" }
        ul { class: "admin-rows", id: "admin-services",
            for service in services {
                li { key: "{service.id}",
                    button { class: "admin-row", r#type: "button", "data-name": "{service.name}",
                        onclick: move |_| on_open.call(Editing::Service(service.id)),
                        div { class: "admin-row-main",
                            span { class: "strong", {service.name.clone()} }
                            span { class: "muted small",
                                "{service.kind.label(lang)} · {ta(lang, AdminText::AutoCloseShort)} {service.auto_close_minutes} {ta(lang, AdminText::Minutes)}" }
                        }
                        if !service.active {
                            span { class: "admin-flag admin-flag-off", {ta(lang, AdminText::Inactive)} }
                        }
                    }
                }
            }
        }
    }
}

/// Minutes as the form shows them.
fn minutes_text(minutes: Option<i64>) -> String {
    minutes.map(|m| m.to_string()).unwrap_or_default()
}

/// What the form's minute fields read, or the first that does not.
struct Minutes {
    auto_close: i64,
    first_response: Option<i64>,
    completion: Option<i64>,
}

fn read_all(
    lang: Lang,
    auto_close: &str,
    first: &str,
    completion: &str,
) -> Result<Minutes, String> {
    Ok(Minutes {
        // An empty auto-close time goes to the server as 0, which it refuses with its reason.
        auto_close: read_minutes(lang, auto_close)?.unwrap_or(0),
        first_response: read_minutes(lang, first)?,
        completion: read_minutes(lang, completion)?,
    })
}

/// The service's form; `service` is `None` for «Новая услуга».
#[component]
pub fn ServiceForm(
    lang: Lang,
    service: Option<AdminService>,
    users: Vec<AdminUser>,
    form: FormState,
) -> Element {
    let known = service.clone();
    let name = use_signal(|| known.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let mut kind = use_signal(|| known.as_ref().map_or(OrderKind::SimpleRequest, |s| s.kind));
    let auto_close = use_signal(|| {
        known
            .as_ref()
            .map(|s| s.auto_close_minutes.to_string())
            .unwrap_or_default()
    });
    let first = use_signal(|| minutes_text(known.as_ref().and_then(|s| s.first_response_minutes)));
    let completion = use_signal(|| minutes_text(known.as_ref().and_then(|s| s.completion_minutes)));
    let active = use_signal(|| known.as_ref().is_none_or(|s| s.active));
    let responsible = use_signal(|| {
        known
            .as_ref()
            .map(|s| s.responsible.clone())
            .unwrap_or_default()
    });
    let creating = service.is_none();
    let managers = users.clone();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let minutes = match read_all(lang, &auto_close(), &first(), &completion()) {
            Ok(minutes) => minutes,
            Err(problem) => return form.fail(typed_error(problem)),
        };
        // Only managers the kind allows are sent: one unticked by a change of kind stays off.
        let chosen: Vec<UserId> = responsible()
            .into_iter()
            .filter(|id| users.iter().any(|u| u.id == *id && u.role.covers(kind())))
            .collect();
        form.save(match &known {
            None => AdminEdit::CreateService(ServiceRequest {
                name: name().trim().to_owned(),
                kind: kind(),
                auto_close_minutes: minutes.auto_close,
                first_response_minutes: minutes.first_response,
                completion_minutes: minutes.completion,
                responsible: chosen,
                active: active(),
            }),
            Some(known) => AdminEdit::UpdateService(
                known.id,
                ServiceUpdateRequest {
                    version: known.version,
                    name: name().trim().to_owned(),
                    kind: kind(),
                    auto_close_minutes: minutes.auto_close,
                    first_response_minutes: minutes.first_response,
                    completion_minutes: minutes.completion,
                    responsible: chosen,
                    active: active(),
                },
            ),
        });
    };
    let title = if creating {
        ta(lang, AdminText::NewService)
    } else {
        ta(lang, AdminText::Edit)
    };
    rsx! {
        form { class: "form admin-form", id: "service-form", onsubmit: submit, novalidate: true,
            h3 { {title} }
            TextField { id: "service-name", label: ta(lang, AdminText::Name), value: name }
            label { class: "field",
                span { class: "field-label", {ta(lang, AdminText::Kind)} }
                select { class: "select", id: "service-kind",
                    onchange: move |e| kind.set(OrderKind::parse(&e.value()).unwrap_or(kind())),
                    for option in OrderKind::ALL {
                        option { value: option.id(), selected: option == kind(), {option.label(lang)} }
                    }
                }
            }
            TextField { id: "service-auto-close", label: ta(lang, AdminText::AutoClose), value: auto_close,
                hint: ta(lang, AdminText::Minutes) }
            p { class: "muted small admin-hint", {ta(lang, AdminText::AutoCloseHint)} }
            div { class: "admin-pair",
                TextField { id: "service-first-response", label: ta(lang, AdminText::FirstResponse),
                    value: first, hint: ta(lang, AdminText::Minutes) }
                TextField { id: "service-completion", label: ta(lang, AdminText::Completion),
                    value: completion, hint: ta(lang, AdminText::Minutes) }
            }
            CheckField { id: "service-active", label: ta(lang, AdminText::ServiceActive), value: active }
            Responsible { lang, kind: kind(), users: managers, chosen: responsible }
            FormError { lang, error: (form.error)(), on_reload: move |_| form.reload() }
            FormButtons { lang, creating, writable: form.writable, saving: (form.saving)(),
                on_close: move |_| form.close() }
        }
    }
}

/// «Ответственные менеджеры»: a box per manager whose role covers the kind.
#[component]
fn Responsible(
    lang: Lang,
    kind: OrderKind,
    users: Vec<AdminUser>,
    chosen: Signal<Vec<UserId>>,
) -> Element {
    let mut chosen = chosen;
    let eligible: Vec<AdminUser> = users.into_iter().filter(|u| u.role.covers(kind)).collect();
    rsx! {
        fieldset { class: "admin-responsible", id: "service-responsible",
            legend { class: "field-label", {ta(lang, AdminText::Responsible)} }
            if eligible.is_empty() {
                p { class: "muted small", {ta(lang, AdminText::NoManagers)} }
            }
            for user in eligible {
                label { class: "check", key: "{user.id}",
                    input { r#type: "checkbox", "data-login": "{user.login}",
                        checked: chosen().contains(&user.id),
                        onchange: move |e| {
                            let mut ids = chosen();
                            ids.retain(|id| *id != user.id);
                            if e.checked() {
                                ids.push(user.id);
                            }
                            chosen.set(ids);
                        }
                    }
                    span { "{user.name} ({user.login})" }
                    if user.blocked {
                        span { class: "admin-flag admin-flag-off", {ta(lang, AdminText::Blocked)} }
                    }
                }
            }
        }
    }
}
