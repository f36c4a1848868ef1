//! «Пользователи»: every account with its role and whether it is blocked;
//! the form creates one, or changes a user's name, role and contacts,
//! blocks and unblocks, and sets a new password.

use super::fields::{typed_error, FormButtons, FormError, TextField};
use super::{Editing, FormState};
use crate::api::admin::AdminEdit;
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::Role;
use orderdesk_protocol::{AdminUser, NewUserRequest, UserUpdateRequest};

/// The list of accounts, by login.
#[component]
pub fn UserRows(lang: Lang, users: Vec<AdminUser>, on_open: EventHandler<Editing>) -> Element {
    rsx! {
        button { class: "btn btn-secondary admin-new", r#type: "button", id: "new-user",
            onclick: move |_| on_open.call(Editing::NewUser), "+ {ta(lang, AdminText::NewUser)}" }
        ul { class: "admin-rows", id: "admin-users",
            for user in users {
                li { key: "{user.id}",
                    button { class: "admin-row", r#type: "button", "data-login": "{user.login}",
                        onclick: move |_| on_open.call(Editing::User(user.id)),
                        div { class: "admin-row-main",
                            span { class: "strong", {user.name.clone()} }
                            span { class: "muted small", "{user.login} · {user.role.label(lang)}" }
                        }
                        if user.blocked {
                            span { class: "admin-flag admin-flag-off", {ta(lang, AdminText::Blocked)} }
                        }
                    }
                }
            }
        }
    }
}

/// Optional text: empty is `None`.
fn optional(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct UserFields {
    login: Signal<String>,
    name: Signal<String>,
    role: Signal<Role>,
    phone: Signal<String>,
    email: Signal<String>,
    company: Signal<String>,
    password: Signal<String>,
}

/// The fields, filled from `user`.
fn use_user_fields(user: Option<&AdminUser>) -> UserFields {
    let text = |pick: fn(&AdminUser) -> Option<String>| user.and_then(pick).unwrap_or_default();
    let (login, name) = (
        text(|u| Some(u.login.clone())),
        text(|u| Some(u.name.clone())),
    );
    let (phone, email) = (text(|u| u.phone.clone()), text(|u| u.email.clone()));
    let company = text(|u| u.company.clone());
    let role = user.map_or(Role::ServiceManager, |u| u.role);
    UserFields {
        login: use_signal(|| login),
        name: use_signal(|| name),
        role: use_signal(|| role),
        phone: use_signal(|| phone),
        email: use_signal(|| email),
        company: use_signal(|| company),
        password: use_signal(String::new),
    }
}

impl UserFields {
    /// The change the form saves: a new user, or the known one changed.
    fn edit(self, user: Option<&AdminUser>) -> AdminEdit {
        let role = (self.role)();
        // A company pays only for a requester's orders.
        let company = match role {
            Role::Requester => optional((self.company)()),
            _ => None,
        };
        let name = (self.name)().trim().to_owned();
        let (phone, email) = (optional((self.phone)()), optional((self.email)()));
        match user {
            None => AdminEdit::CreateUser(NewUserRequest {
                login: (self.login)().trim().to_owned(),
                name,
                role,
                password: (self.password)(),
                phone,
                email,
                company,
            }),
            Some(user) => AdminEdit::UpdateUser(
                user.id,
                UserUpdateRequest {
                    version: user.version,
                    name,
                    role,
                    phone,
                    email,
                    company,
                },
            ),
        }
    }
}

/// The user's form; `user` is `None` for «Новый пользователь».
#[component]
pub fn UserForm(lang: Lang, user: Option<AdminUser>, form: FormState) -> Element {
    let fields = use_user_fields(user.as_ref());
    let UserFields {
        login,
        name,
        mut role,
        phone,
        email,
        company,
        password,
    } = fields;
    let creating = user.is_none();
    let known = user.clone();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        form.save(fields.edit(known.as_ref()));
    };
    // An open user is titled by name as saved, not as being typed.
    let title = user
        .as_ref()
        .map_or(ta(lang, AdminText::NewUser), |u| u.name.as_str())
        .to_owned();
    rsx! {
        form { class: "form admin-form", id: "user-form", onsubmit: submit, novalidate: true,
            h3 { {title} }
            if creating {
                TextField { id: "user-login", label: ta(lang, AdminText::Login), value: login }
            } else {
                div { class: "muted", "{ta(lang, AdminText::Login)}: {login}" }
            }
            TextField { id: "user-name", label: ta(lang, AdminText::PersonName), value: name }
            label { class: "field",
                span { class: "field-label", {ta(lang, AdminText::Role)} }
                select { class: "select", id: "user-role",
                    onchange: move |e| role.set(Role::parse(&e.value()).unwrap_or(role())),
                    for option in Role::ALL {
                        option { value: option.id(), selected: option == role(), {option.label(lang)} }
                    }
                }
            }
            TextField { id: "user-phone", label: ta(lang, AdminText::Phone), value: phone, kind: "tel" }
            TextField { id: "user-email", label: ta(lang, AdminText::Email), value: email, kind: "email" }
            if role() == Role::Requester {
                TextField { id: "user-company", label: ta(lang, AdminText::Company), value: company }
            }
            if creating {
                TextField { id: "user-password", label: ta(lang, AdminText::Password), value: password,
                    kind: "password", hint: ta(lang, AdminText::PasswordHint) }
            }
            FormError { lang, error: (form.error)(), on_reload: move |_| form.reload() }
            FormButtons { lang, creating, writable: form.writable, saving: (form.saving)(),
                on_close: move |_| form.close() }
        }
        if let Some(user) = user {
            UserAccess { lang, user, form }
        }
    }
}

/// Blocking, unblocking and a new password of an existing user.
#[component]
fn UserAccess(lang: Lang, user: AdminUser, form: FormState) -> Element {
    let password = use_signal(String::new);
    let (id, version) = (user.id, user.version);
    let disabled = !form.writable || (form.saving)();
    let reset = move |event: FormEvent| {
        event.prevent_default();
        if password().chars().count() == 0 {
            form.fail(typed_error(ta(lang, AdminText::PasswordHint).to_owned()));
            return;
        }
        form.save(AdminEdit::ResetPassword {
            id,
            password: password(),
        });
    };
    rsx! {
        div { class: "admin-access",
            div { class: "admin-state",
                span { class: "field-label", {ta(lang, AdminText::State)} }
                if user.blocked {
                    span { class: "admin-flag admin-flag-off", id: "user-state", {ta(lang, AdminText::Blocked)} }
                    button { class: "btn btn-secondary btn-small", r#type: "button", id: "user-unblock", disabled,
                        onclick: move |_| form.save(AdminEdit::Unblock { id, version }),
                        {ta(lang, AdminText::Unblock)} }
                } else {
                    span { class: "admin-flag", id: "user-state", {ta(lang, AdminText::Active)} }
                    button { class: "btn btn-danger btn-small", r#type: "button", id: "user-block", disabled,
                        onclick: move |_| form.save(AdminEdit::Block { id, version }),
                        {ta(lang, AdminText::Block)} }
                }
            }
            form { class: "admin-inline", onsubmit: reset, novalidate: true,
                TextField { id: "user-new-password", label: ta(lang, AdminText::NewPassword), value: password,
                    kind: "password", hint: ta(lang, AdminText::PasswordHint) }
                button { class: "btn btn-secondary", r#type: "submit", id: "user-reset-password", disabled,
                    {ta(lang, AdminText::ResetPassword)} }
            }
        }
    }
}
