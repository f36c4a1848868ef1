//! «Товары»: the shop's goods, and in the same shape a hotel's extras —
//! name, price, on sale or not. A good off sale is offered to no new order;
//! the orders that have it keep their lines.

use super::fields::{
    read_rub, rub_text, typed_error, CheckField, FormButtons, FormError, TextField,
};
use super::objects::ServicePicker;
use super::{Editing, FormState};
use crate::api::admin::AdminEdit;
use crate::i18n::{ta, AdminText, Lang};
use dioxus::prelude::*;
use orderdesk_domain::{OrderKind, ServiceId};
use orderdesk_protocol::ipc::AdminData;
use orderdesk_protocol::{AdminProduct, AdminService, ProductRequest, ProductUpdateRequest};

/// The kind of the service a good belongs to; a shop's when unknown.
pub fn product_kind(services: &[AdminService], product: Option<&AdminProduct>) -> OrderKind {
    product
        .and_then(|p| services.iter().find(|s| s.id == p.service_id))
        .map_or(OrderKind::NomenclatureSale, |s| s.kind)
}

fn heading(kind: OrderKind) -> (AdminText, AdminText) {
    match kind {
        OrderKind::HotelBooking => (AdminText::Extras, AdminText::NewExtra),
        _ => (AdminText::Goods, AdminText::NewProduct),
    }
}

/// The goods of the services of `kind`: the shop's, or the hotel's extras.
#[component]
pub fn ProductRows(
    lang: Lang,
    data: AdminData,
    kind: OrderKind,
    on_open: EventHandler<Editing>,
) -> Element {
    let (title, new) = heading(kind);
    let goods: Vec<(AdminProduct, String)> = data
        .products
        .iter()
        .filter_map(|p| {
            let service = data
                .services
                .iter()
                .find(|s| s.id == p.service_id && s.kind == kind)?;
            Some((p.clone(), service.name.clone()))
        })
        .collect();
    rsx! {
        div { class: "admin-group-head",
            h4 { {ta(lang, title)} }
            button { class: "btn btn-secondary btn-small", r#type: "button", id: "new-product-{kind.id()}",
                onclick: move |_| on_open.call(Editing::NewProduct(kind)), "+ {ta(lang, new)}" }
        }
        ul { class: "admin-rows", id: "admin-products-{kind.id()}",
            for (product, service) in goods {
                li { key: "{product.id}",
                    button { class: "admin-row", r#type: "button", "data-name": "{product.name}",
                        onclick: move |_| on_open.call(Editing::Product(product.id)),
                        div { class: "admin-row-main",
                            span { class: "strong", {product.name.clone()} }
                            span { class: "muted small", "{product.price} · {service}" }
                        }
                        if !product.on_sale {
                            span { class: "admin-flag admin-flag-off", {ta(lang, AdminText::NotOnSale)} }
                        }
                    }
                }
            }
        }
    }
}

/// A good's form; `product` is `None` for a new one of a `kind` service.
#[component]
pub fn ProductForm(
    lang: Lang,
    kind: OrderKind,
    product: Option<AdminProduct>,
    services: Vec<AdminService>,
    form: FormState,
) -> Element {
    let known = product.clone();
    let services: Vec<AdminService> = services.into_iter().filter(|s| s.kind == kind).collect();
    let name = use_signal(|| known.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let price = use_signal(|| {
        known
            .as_ref()
            .map(|p| rub_text(p.price))
            .unwrap_or_default()
    });
    let on_sale = use_signal(|| known.as_ref().is_none_or(|p| p.on_sale));
    let service = use_signal(|| services.first().map(|s| s.id));
    let creating = product.is_none();
    let title = product
        .as_ref()
        .map_or(ta(lang, heading(kind).1), |p| p.name.as_str())
        .to_owned();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        match edit(
            lang,
            &name(),
            &price(),
            on_sale(),
            known.as_ref(),
            service(),
        ) {
            Ok(change) => form.save(change),
            Err(problem) => form.fail(typed_error(problem)),
        }
    };
    rsx! {
        form { class: "form admin-form", id: "product-form", onsubmit: submit, novalidate: true,
            h3 { {title} }
            if creating {
                ServicePicker { lang, services, chosen: service }
            }
            TextField { id: "product-name", label: ta(lang, AdminText::Name), value: name }
            TextField { id: "product-price", label: ta(lang, AdminText::Price), value: price }
            CheckField { id: "product-on-sale", label: ta(lang, AdminText::OnSale), value: on_sale }
            FormError { lang, error: (form.error)(), on_reload: move |_| form.reload() }
            FormButtons { lang, creating, writable: form.writable, saving: (form.saving)(),
                on_close: move |_| form.close() }
        }
    }
}

/// The change the form saves, or what cannot be read.
fn edit(
    lang: Lang,
    name: &str,
    price: &str,
    on_sale: bool,
    known: Option<&AdminProduct>,
    service: Option<ServiceId>,
) -> Result<AdminEdit, String> {
    let price = read_rub(lang, price)?;
    let name = name.trim().to_owned();
    Ok(match known {
        Some(product) => AdminEdit::UpdateProduct(
            product.id,
            ProductUpdateRequest {
                version: product.version,
                name,
                price,
                on_sale,
            },
        ),
        None => AdminEdit::CreateProduct(ProductRequest {
            service_id: service.ok_or_else(|| ta(lang, AdminText::ChooseService).to_owned())?,
            name,
            price,
            on_sale,
        }),
    })
}
