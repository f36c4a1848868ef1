//! The people of an order: the executor with the choice of another, and the
//! requester or customer with their contacts.

use super::OrderAction;
use crate::i18n::{t, Lang, Text};
use crate::model::Person;
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, UserId};

/// «Исполнитель», and the list to pick another from.
#[component]
pub fn ExecutorCard(
    lang: Lang,
    executor: Option<Person>,
    /// Who may be picked.
    responsible: Vec<Person>,
    can_assign: bool,
    /// The list to pick from is open.
    editing: bool,
    on_editing: EventHandler<bool>,
    on_action: EventHandler<OrderAction>,
) -> Element {
    let executor_name = executor.as_ref().map(|p| p.name.clone());
    let current = executor.as_ref().and_then(|p| p.id);
    rsx! {
        section { class: "card",
            h4 { class: "card-title", {t(lang, Text::Executor)} }
            div { class: "person-line",
                Avatar { name: executor_name.clone() }
                span { class: "grow", id: "executor-name",
                    {executor_name.clone().unwrap_or_else(|| t(lang, Text::NotAssigned).to_owned())}
                }
                if can_assign && !editing {
                    button { class: "btn btn-link", r#type: "button", id: "change-executor",
                        onclick: move |_| on_editing.call(true), {t(lang, Text::ChangeExecutor)} }
                }
            }
            if editing {
                div { class: "choice-list", role: "listbox",
                    button { class: "choice", r#type: "button",
                        onclick: move |_| on_action.call(OrderAction::AssignExecutor(None)),
                        Avatar { name: None }
                        span { {t(lang, Text::NotAssigned)} }
                    }
                    for person in responsible.iter().filter(|p| p.id.is_some()) {
                        ExecutorChoice { person: person.clone(), current,
                            on_pick: move |id| on_action.call(OrderAction::AssignExecutor(Some(id))) }
                    }
                }
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

/// «Заказчик» of a booking, «Заявитель» of anything else.
#[component]
pub fn RequesterCard(lang: Lang, kind: OrderKind, person: Person) -> Element {
    let person_title = if kind == OrderKind::Booking {
        t(lang, Text::Customer)
    } else {
        t(lang, Text::Requester)
    };
    rsx! {
        section { class: "card",
            h4 { class: "card-title", {person_title} }
            PersonCard { lang, person }
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
                if let Some(role) = person.role { div { class: "muted small", {role.label(lang)} } }
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

/// Up to two initials in a circle; «?» for nobody.
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
