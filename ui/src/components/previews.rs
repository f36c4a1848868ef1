//! Design previews: the main screens rendered from test fixtures into
//! standalone HTML with the real stylesheet, written only when
//! `ORDERDESK_PREVIEWS` names a folder. The end-to-end suite opens them in
//! the app's webview to screenshot screens the login cannot reach yet.

use crate::components::{fixtures, BookingEditor, OrderList, OrderView, Shell};
use crate::i18n::Lang;
use crate::model::{OrderFilter, Session, SyncState, UserSummary};
use dioxus::prelude::*;
use orderdesk_domain::{OrderNumber, Role, UserId};
use std::path::PathBuf;
use std::rc::Rc;

fn session() -> Session {
    Session {
        server_url: "https://orders.example.ru".into(),
        user: UserSummary {
            id: UserId(7),
            login: "rental".into(),
            name: "Ольга Смирнова".into(),
            role: Role::RentalManager,
            role_label: "Менеджер по аренде".into(),
            phone: None,
            email: None,
            company: None,
        },
    }
}

fn offline() -> SyncState {
    SyncState {
        online: false,
        pending: 2,
        pending_orders: vec![OrderNumber(1_000_004)],
        conflicts: Vec::new(),
    }
}

fn list_and_order() -> Element {
    rsx! {
        Shell {
            lang: Lang::Ru,
            session: session(),
            sync: offline(),
            detail_open: false,
            list: rsx! {
                OrderList {
                    lang: Lang::Ru,
                    orders: Rc::new(fixtures::orders(10_000)),
                    filter: OrderFilter::default(),
                    selected: Some(OrderNumber(1_000_002)),
                    pending: Rc::new(vec![OrderNumber(1_000_004)]),
                    on_filter: |_| {},
                    on_select: |_| {},
                }
            },
            detail: rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::unpaid_booking(), messages: fixtures::messages(), on_action: |_| {} }
            },
            on_lang: |_| {},
            on_sign_out: |_| {},
        }
    }
}

fn order_open() -> Element {
    rsx! {
        Shell {
            lang: Lang::Ru,
            session: session(),
            sync: SyncState { online: true, ..SyncState::default() },
            detail_open: true,
            list: rsx! {},
            detail: rsx! {
                OrderView { lang: Lang::Ru, detail: fixtures::request_in_progress(), messages: fixtures::messages(), on_action: |_| {} }
            },
            on_lang: |_| {},
            on_sign_out: |_| {},
        }
    }
}

fn booking_edit() -> Element {
    let booking = fixtures::booking_info();
    rsx! {
        Shell {
            lang: Lang::Ru,
            session: session(),
            sync: SyncState { online: true, ..SyncState::default() },
            detail_open: true,
            list: rsx! {},
            detail: rsx! {
                BookingEditor {
                    lang: Lang::Ru,
                    today: booking.date,
                    booking: booking.clone(),
                    comment: Some("Нужен проектор и доска.".to_owned()),
                    payer: fixtures::individual(),
                    payers: Vec::new(),
                    paid_slots: None,
                    resources: fixtures::resources(),
                    availability: Some(crate::model::Availability {
                        resource_id: booking.resource.id,
                        date: booking.date,
                        slots: Vec::new(),
                        free: ["09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30", "14:00", "18:00", "18:30", "19:00", "19:30", "20:00"]
                            .map(str::to_owned)
                            .to_vec(),
                    }),
                    on_pick_day: |_| {},
                    on_save: |_| {},
                    on_cancel: |_| {},
                }
            },
            on_lang: |_| {},
            on_sign_out: |_| {},
        }
    }
}

/// A screen to preview, as a root component.
type Page = fn() -> Element;

#[test]
fn write_design_previews() {
    let Some(dir) = std::env::var_os("ORDERDESK_PREVIEWS").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("create the previews folder");
    let css = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/app.css");
    let css = css.canonicalize().expect("assets/app.css exists");
    let pages: [(&str, Page); 3] = [
        ("list-order", list_and_order),
        ("order-open", order_open),
        ("booking-edit", booking_edit),
    ];
    for (name, page) in pages {
        let body = fixtures::render(page);
        let html = format!(
            "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <link rel=\"stylesheet\" href=\"file://{}\"></head>\
             <body><div id=\"main\">{body}</div></body></html>",
            css.display()
        );
        std::fs::write(dir.join(format!("{name}.html")), html).expect("write a preview");
    }
}
