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
            onclick: move |_| on_open.call(Editing::NewService), "+ {ta(lang, AdminText::NewService)}" }
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

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct ServiceFields {
    name: Signal<String>,
    kind: Signal<OrderKind>,
    auto_close: Signal<String>,
    first: Signal<String>,
    completion: Signal<String>,
    active: Signal<bool>,
    responsible: Signal<Vec<UserId>>,
}

/// The fields, filled from `service`.
fn use_service_fields(service: Option<&AdminService>) -> ServiceFields {
    let name = service.map(|s| s.name.clone()).unwrap_or_default();
    let kind = service.map_or(OrderKind::SimpleRequest, |s| s.kind);
    let auto_close = minutes_text(service.map(|s| s.auto_close_minutes));
    let first = minutes_text(service.and_then(|s| s.first_response_minutes));
    let completion = minutes_text(service.and_then(|s| s.completion_minutes));
    let active = service.is_none_or(|s| s.active);
    let responsible = service.map(|s| s.responsible.clone()).unwrap_or_default();
    ServiceFields {
        name: use_signal(|| name),
        kind: use_signal(|| kind),
        auto_close: use_signal(|| auto_close),
        first: use_signal(|| first),
        completion: use_signal(|| completion),
        active: use_signal(|| active),
        responsible: use_signal(|| responsible),
    }
}

impl ServiceFields {
    /// The change the form saves, or the first field that cannot be read.
    fn edit(
        self,
        lang: Lang,
        known: Option<&AdminService>,
        users: &[AdminUser],
    ) -> Result<AdminEdit, String> {
        // An empty auto-close time goes to the server as 0, which it refuses with its reason.
        let auto_close_minutes = read_minutes(lang, &(self.auto_close)())?.unwrap_or(0);
        let first_response_minutes = read_minutes(lang, &(self.first)())?;
        let completion_minutes = read_minutes(lang, &(self.completion)())?;
        let kind = (self.kind)();
        // Only managers the kind allows are sent: one ticked before the kind changed stays off.
        let responsible: Vec<UserId> = (self.responsible)()
            .into_iter()
            .filter(|id| users.iter().any(|u| u.id == *id && u.role.covers(kind)))
            .collect();
        let (name, active) = ((self.name)().trim().to_owned(), (self.active)());
        Ok(match known {
            None => AdminEdit::CreateService(ServiceRequest {
                name,
                kind,
                auto_close_minutes,
                first_response_minutes,
                completion_minutes,
                responsible,
                active,
            }),
            Some(known) => AdminEdit::UpdateService(
                known.id,
                ServiceUpdateRequest {
                    version: known.version,
                    name,
                    kind,
                    auto_close_minutes,
                    first_response_minutes,
                    completion_minutes,
                    responsible,
                    active,
                },
            ),
        })
    }
}

/// The service's form; `service` is `None` for «Новая услуга».
#[component]
pub fn ServiceForm(
    lang: Lang,
    service: Option<AdminService>,
    users: Vec<AdminUser>,
    form: FormState,
) -> Element {
    let fields = use_service_fields(service.as_ref());
    let ServiceFields {
        name,
        mut kind,
        auto_close,
        first,
        completion,
        active,
        responsible,
    } = fields;
    let creating = service.is_none();
    let managers = users.clone();
    let title = service
        .as_ref()
        .map_or(ta(lang, AdminText::NewService), |s| s.name.as_str())
        .to_owned();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        match fields.edit(lang, service.as_ref(), &users) {
            Ok(change) => form.save(change),
            Err(problem) => form.fail(typed_error(problem)),
        }
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
