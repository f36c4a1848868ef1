//! «Настройки экосистемы»: the administrator's screens for users, services,
//! objects and goods. A list of records on the left (the whole width on a
//! phone) and the open record's form beside it (instead of the list on a
//! phone).
//!
//! These components render the organisation they are given and report
//! what the administrator saved through [`FormState`]; the screen above
//! them sends it. With no connection the screens stay readable, a banner
//! says changes need one, and every save button is off.

mod fields;
mod goods;
mod objects;
mod services;
mod users;

use crate::api::admin::AdminEdit;
use crate::api::ApiError;
use crate::format::date_time;
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, ResourceId, ServiceId, UserId};
use orderdesk_protocol::ipc::AdminData;

/// The four screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdminTab {
    #[default]
    Users,
    Services,
    Objects,
    Goods,
}

impl AdminTab {
    pub const ALL: [AdminTab; 4] = [
        AdminTab::Users,
        AdminTab::Services,
        AdminTab::Objects,
        AdminTab::Goods,
    ];

    fn id(self) -> &'static str {
        match self {
            AdminTab::Users => "users",
            AdminTab::Services => "services",
            AdminTab::Objects => "objects",
            AdminTab::Goods => "goods",
        }
    }

    fn label(self) -> AdminText {
        match self {
            AdminTab::Users => AdminText::Users,
            AdminTab::Services => AdminText::Services,
            AdminTab::Objects => AdminText::Objects,
            AdminTab::Goods => AdminText::Goods,
        }
    }
}

/// The record whose form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editing {
    NewUser,
    User(UserId),
    NewService,
    Service(ServiceId),
    /// A new object of a booking kind.
    NewObject(OrderKind),
    Object(ResourceId),
    /// A new good (`nomenclature_sale`) or hotel extra (`hotel_booking`).
    NewProduct(OrderKind),
    Product(i64),
}

/// What an open form reads and does: whether changes can be sent, the
/// change on its way, the error to show in place; and its actions, which
/// the screen above carries out.
#[derive(Clone, Copy, PartialEq)]
pub struct FormState {
    pub writable: bool,
    pub saving: Signal<bool>,
    pub error: Signal<Option<ApiError>>,
    pub on_save: EventHandler<AdminEdit>,
    pub on_close: EventHandler<()>,
    pub on_reload: EventHandler<()>,
}

impl FormState {
    pub fn save(self, edit: AdminEdit) {
        self.on_save.call(edit);
    }

    pub fn close(self) {
        self.on_close.call(());
    }

    pub fn reload(self) {
        self.on_reload.call(());
    }

    /// Shows a mistake found before sending.
    pub fn fail(self, error: ApiError) {
        let mut shown = self.error;
        shown.set(Some(error));
    }
}

/// The administrator's screens over the organisation as read.
#[component]
pub fn AdminScreen(
    lang: Lang,
    data: AdminData,
    tab: AdminTab,
    editing: Option<Editing>,
    form: FormState,
    on_tab: EventHandler<AdminTab>,
    on_open: EventHandler<Editing>,
) -> Element {
    let class = if editing.is_some() {
        "admin admin-editing"
    } else {
        "admin"
    };
    rsx! {
        div { class, id: "admin", "data-tab": tab.id(),
            div { class: "admin-head",
                h2 { class: "admin-title", {ta(lang, AdminText::Section)} }
                nav { class: "tabs admin-tabs", role: "tablist",
                    for option in AdminTab::ALL {
                        button { class: if option == tab { "tab tab-on" } else { "tab" },
                            r#type: "button", role: "tab", id: "admin-tab-{option.id()}",
                            aria_selected: option == tab, onclick: move |_| on_tab.call(option),
                            {ta(lang, option.label())} }
                    }
                }
            }
            if !form.writable {
                ReadOnlyBanner { lang, data: data.clone(), on_reload: move |_| form.reload() }
            }
            div { class: "admin-body",
                section { class: "admin-list",
                    AdminList { lang, data: data.clone(), tab, on_open }
                }
                section { class: "admin-editor",
                    if let Some(editing) = editing {
                        AdminForm { lang, data, editing, form }
                    } else {
                        div { class: "empty placeholder", span { {ta(lang, AdminText::ChooseRecord)} } }
                    }
                }
            }
        }
    }
}

/// Offline: what is shown, since when, and that changes need a connection.
#[component]
fn ReadOnlyBanner(lang: Lang, data: AdminData, on_reload: EventHandler<()>) -> Element {
    rsx! {
        div { class: "banner banner-offline", role: "status", id: "admin-offline",
            span { class: "banner-icon", aria_hidden: "true", "⚠" }
            div { class: "banner-body",
                strong { {ta(lang, AdminText::ReadOnly)} }
                span { {ta(lang, AdminText::ReadOnlyHint)} }
                if let Some(at) = data.read_at {
                    span { class: "banner-synced", "{ta(lang, AdminText::ReadAt)}: {date_time(at)}" }
                }
            }
            button { class: "btn btn-secondary btn-small", r#type: "button", id: "admin-retry",
                onclick: move |_| on_reload.call(()), {ta(lang, AdminText::Reload)} }
        }
    }
}

/// The records of the tab.
#[component]
fn AdminList(
    lang: Lang,
    data: AdminData,
    tab: AdminTab,
    on_open: EventHandler<Editing>,
) -> Element {
    match tab {
        AdminTab::Users => rsx! { users::UserRows { lang, users: data.users, on_open } },
        AdminTab::Services => rsx! {
            services::ServiceRows { lang, services: data.services, on_open }
        },
        AdminTab::Objects => rsx! { objects::ObjectRows { lang, data, on_open } },
        AdminTab::Goods => {
            rsx! { goods::ProductRows { lang, data, kind: OrderKind::NomenclatureSale, on_open } }
        }
    }
}

/// The open record's form, keyed by the record and its version so that a
/// saved or reloaded record starts a fresh form.
#[component]
fn AdminForm(lang: Lang, data: AdminData, editing: Editing, form: FormState) -> Element {
    match editing {
        Editing::NewUser => rsx! { users::UserForm { lang, user: None, form } },
        Editing::User(id) => {
            let user = data.users.into_iter().find(|u| u.id == id);
            let key = user.as_ref().map_or(0, |u| u.version);
            rsx! { users::UserForm { key: "user-{id}-{key}", lang, user, form } }
        }
        Editing::NewService => rsx! {
            services::ServiceForm { lang, service: None, users: data.users, form }
        },
        Editing::Service(id) => {
            let service = data.services.iter().find(|s| s.id == id).cloned();
            let key = service.as_ref().map_or(0, |s| s.version);
            rsx! {
                services::ServiceForm { key: "service-{id}-{key}", lang, service, users: data.users, form }
            }
        }
        Editing::NewObject(kind) => rsx! {
            objects::ObjectForm { key: "new-object-{kind.id()}", lang, kind, object: None,
                services: data.services, form }
        },
        Editing::Object(id) => {
            let object = data.objects.iter().find(|o| o.id == id).cloned();
            let kind = object.as_ref().map_or(OrderKind::Booking, |o| o.kind);
            let key = object.as_ref().map_or(0, |o| o.version);
            rsx! {
                objects::ObjectForm { key: "object-{id}-{key}", lang, kind, object,
                    services: data.services, form }
            }
        }
        Editing::NewProduct(kind) => rsx! {
            goods::ProductForm { key: "new-product-{kind.id()}", lang, kind, product: None,
                services: data.services, form }
        },
        Editing::Product(id) => {
            let product = data.products.iter().find(|p| p.id == id).cloned();
            let kind = goods::product_kind(&data.services, product.as_ref());
            let key = product.as_ref().map_or(0, |p| p.version);
            rsx! {
                goods::ProductForm { key: "product-{id}-{key}", lang, kind, product,
                    services: data.services, form }
            }
        }
    }
}

#[cfg(test)]
mod tests;
