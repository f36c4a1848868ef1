//! The root of the UI: who is signed in, which order is open, what the core
//! says about sync. It calls [`crate::api`] and hands values to components.

use crate::api::{
    self, ApiError, ApiResult, AssigneeRequest, BookingEditRequest, CancelRequest,
    CollectLineRequest, DeadlinesRequest, PaymentRequest, PostMessageRequest, StatusRequest,
};
use crate::components::{
    fetch_start, BookingEditor, Credentials, LoginScreen, OrderAction, OrderList, OrderView, Shell,
    FETCH_ROWS,
};
use crate::i18n::{t, Lang, Text};
use crate::model::{Availability, Defaults, ListWindow, Notice, OrderFilter, Session};
use crate::sync_status::use_sync_status;
use dioxus::prelude::*;
use orderdesk_domain::OrderNumber;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Starting,
    SignedOut,
    SignedIn(Box<Session>),
}

#[component]
pub fn App() -> Element {
    let mut lang = use_signal(api::load_lang);
    let mut phase = use_signal(|| Phase::Starting);
    let mut login_error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut defaults = use_signal(Defaults::default);

    use_future(move || async move {
        if let Ok(found) = api::get_defaults().await {
            defaults.set(found);
        }
        match api::get_session().await {
            Ok(Some(session)) => phase.set(Phase::SignedIn(Box::new(session))),
            _ => phase.set(Phase::SignedOut),
        }
    });

    let on_lang = move |next: Lang| {
        lang.set(next);
        api::save_lang(next);
    };
    let on_submit = move |form: Credentials| {
        busy.set(true);
        login_error.set(None);
        spawn(async move {
            match api::log_in(&form.server_url, &form.login, &form.password).await {
                Ok(session) => {
                    api::save_server_url(&form.server_url);
                    phase.set(Phase::SignedIn(Box::new(session)));
                }
                Err(error) => login_error.set(Some(error)),
            }
            busy.set(false);
        });
    };
    // Set when signing out would lose actions not yet sent: what the core
    // said, shown in a dialog that asks before discarding them.
    let mut unsent = use_signal(|| None::<String>);
    let mut sign_out = move |discard_unsent: bool| {
        unsent.set(None);
        spawn(async move {
            match api::log_out(discard_unsent).await {
                Err(error) if error.code == api::ErrorCode::UnsentActions => {
                    unsent.set(Some(error.message));
                }
                _ => phase.set(Phase::SignedOut),
            }
        });
    };
    let on_sign_out = move |_| sign_out(false);

    match phase() {
        Phase::Starting => rsx! {
            div { class: "splash", div { class: "brand-mark" } }
        },
        Phase::SignedOut => rsx! {
            LoginScreen {
                lang: lang(),
                busy: busy(),
                error: login_error().or_else(|| defaults().session_error.map(|message| ApiError {
                    code: api::ErrorCode::KeyringUnavailable,
                    message,
                })),
                initial: Credentials {
                    server_url: defaults().server_url.unwrap_or_else(api::load_server_url),
                    ..Credentials::default()
                },
                on_submit,
                on_lang,
            }
        },
        Phase::SignedIn(session) => rsx! {
            Workspace { lang: lang(), session: *session, on_lang, on_sign_out }
            if let Some(message) = unsent() {
                div { class: "dialog-backdrop",
                    div { class: "dialog", role: "alertdialog", aria_modal: "true", id: "confirm-sign-out",
                        h3 { {t(lang(), Text::SignOutUnsentQuestion)} }
                        p { class: "muted", {message} }
                        div { class: "dialog-actions",
                            button { class: "btn btn-secondary", r#type: "button", id: "confirm-sign-out-no",
                                onclick: move |_| unsent.set(None), {t(lang(), Text::No)} }
                            button { class: "btn btn-danger", r#type: "button", id: "confirm-sign-out-yes",
                                onclick: move |_| sign_out(true), {t(lang(), Text::SignOutDiscarding)} }
                        }
                    }
                }
            }
        },
    }
}

#[component]
fn Workspace(
    lang: Lang,
    session: Session,
    on_lang: EventHandler<Lang>,
    on_sign_out: EventHandler<()>,
) -> Element {
    let mut revision = use_signal(|| 0_u32);
    let mut filter = use_signal(OrderFilter::default);
    let mut selected = use_signal(|| None::<OrderNumber>);
    let sync = use_sync_status(move || revision += 1);
    let mut notice = use_signal(|| None::<String>);
    let mut notices = use_signal(Vec::<Notice>::new);
    let mut editing_booking = use_signal(|| false);
    let mut availability = use_signal(|| None::<Availability>);

    // The first row on screen; the rows asked for move with it in blocks.
    let mut first_row = use_signal(|| 0_usize);
    let fetch_from = use_memo(move || fetch_start(first_row()));
    let orders = use_resource(move || async move {
        revision();
        let filter = filter();
        let offset = fetch_from();
        api::list_orders(&filter, offset, FETCH_ROWS)
            .await
            .map(|page| Rc::new(ListWindow { offset, page }))
    });
    // What the list shows: the last rows found, kept while the next are
    // looked up, so scrolling and typing never blank the list.
    let mut shown = use_signal(|| None::<Rc<ListWindow>>);
    use_effect(move || {
        if let Some(Ok(rows)) = &*orders.read() {
            shown.set(Some(rows.clone()));
        }
    });
    let card = use_resource(move || async move {
        revision();
        match selected() {
            Some(number) => api::get_order(number).await.map(Some),
            None => Ok(None),
        }
    });
    let resources = use_resource(move || async move {
        match (editing_booking(), selected()) {
            (true, Some(number)) => api::list_resources(number).await,
            _ => Ok(Vec::new()),
        }
    });
    let payers = use_resource(move || async move {
        match editing_booking() {
            true => api::list_payers().await,
            false => Ok(Vec::new()),
        }
    });

    use_hook(move || {
        api::listen_notifications(move |fresh: Notice| {
            let mut all = notices.write();
            if all.iter().all(|n| n.key != fresh.key) {
                all.insert(0, fresh);
            }
            drop(all);
            revision += 1;
        });
    });
    use_future(move || async move {
        if let Ok(earlier) = api::list_notifications().await {
            notices.set(earlier);
        }
    });
    let mut report = move |result: ApiResult<()>| match result {
        Ok(()) => revision += 1,
        Err(error) => {
            notice.set(Some(error.message));
            revision += 1;
        }
    };
    let on_action = move |action: OrderAction| {
        let Some(number) = selected() else { return };
        spawn(async move {
            let version = None;
            let result = match action {
                OrderAction::Back => {
                    selected.set(None);
                    Ok(())
                }
                OrderAction::AssignExecutor(user_id) => {
                    api::assign_executor(number, &AssigneeRequest { user_id, version }).await
                }
                OrderAction::ChangeStatus(status) => {
                    api::change_status(number, &StatusRequest { status, version }).await
                }
                OrderAction::ChangeDeadlines {
                    first_response_due,
                    completion_due,
                } => {
                    let request = DeadlinesRequest {
                        first_response_due,
                        completion_due,
                        version,
                    };
                    api::change_deadlines(number, &request).await
                }
                OrderAction::CopyPaymentLink(link) => api::copy_text(&link).await,
                OrderAction::RecordPayment(amount) => {
                    api::record_payment(number, &PaymentRequest { amount, version }).await
                }
                OrderAction::Cancel => api::cancel_order(number, &CancelRequest { version }).await,
                OrderAction::EditBooking => {
                    editing_booking.set(true);
                    Ok(())
                }
                OrderAction::SendMessage(text, visibility) => {
                    api::send_message(number, &PostMessageRequest { text, visibility }).await
                }
                OrderAction::CollectLine(line, outcome) => {
                    let request = CollectLineRequest { outcome, version };
                    api::collect_line(number, line, &request).await
                }
                OrderAction::DismissConflict(id) => api::dismiss_conflict(id).await,
            };
            report(result);
        });
    };
    let mut load_day = move |resource, date| {
        let Some(number) = selected() else { return };
        availability.set(None);
        spawn(async move {
            match api::get_availability(resource, date, number).await {
                Ok(free) => availability.set(Some(free)),
                Err(error) => notice.set(Some(error.message)),
            }
        });
    };
    let on_pick_day = move |(resource, date)| load_day(resource, date);
    let on_save_booking = move |request: BookingEditRequest| {
        let Some(number) = selected() else { return };
        spawn(async move {
            let result = api::edit_booking(number, &request).await;
            if result.is_ok() {
                editing_booking.set(false);
            }
            report(result);
        });
    };
    let mut open_order = move |number: OrderNumber| {
        editing_booking.set(false);
        selected.set(Some(number));
    };

    let list = match (&*orders.read(), shown()) {
        (Some(Err(error)), _) => rsx! { ErrorPanel { error: error.clone() } },
        (_, None) => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        (_, Some(rows)) => rsx! {
            OrderList {
                lang,
                rows,
                filter: filter(),
                selected: selected(),
                on_filter: move |next| {
                    filter.set(next);
                    first_row.set(0);
                    document::eval(
                        "const list = document.getElementById('order-list'); if (list) list.scrollTop = 0;",
                    );
                },
                on_select: open_order,
                on_scroll: move |row| first_row.set(row),
            }
        },
    };
    let detail_view = match (&*card.read(), selected()) {
        (_, None) => rsx! {
            div { class: "empty placeholder",
                div { class: "empty-icon", aria_hidden: "true", "▤" }
                span { {t(lang, Text::SelectOrder)} }
            }
        },
        (None, Some(_)) => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        (Some(Err(error)), Some(_)) => rsx! { ErrorPanel { error: error.clone() } },
        (Some(Ok(None)), Some(_)) => rsx! {},
        (Some(Ok(Some(card))), Some(_)) => {
            let order = &card.detail;
            match (editing_booking(), order.booking.clone()) {
                (true, Some(booking)) => rsx! {
                    BookingEditor {
                        key: "{order.number}",
                        lang,
                        today: api::today(),
                        booking: booking.clone(),
                        comment: order.comment.clone(),
                        payer: order.payer.clone(),
                        payers: payer_choices(order, payers.read().clone().and_then(Result::ok).unwrap_or_default()),
                        paid_slots: paid_slots(order),
                        resources: resources.read().clone().and_then(Result::ok).unwrap_or_default(),
                        availability: availability(),
                        on_pick_day,
                        on_save: on_save_booking,
                        on_cancel: move |_| editing_booking.set(false),
                    }
                },
                _ => rsx! {
                    OrderView {
                        key: "{order.number}",
                        lang,
                        detail: order.clone(),
                        messages: card.messages.clone(),
                        pending: !card.pending.is_empty(),
                        conflicts: card.conflicts.clone(),
                        me: Some(session.user.id),
                        on_action,
                    }
                },
            }
        }
    };

    // The editor opens on the booking's own day and object.
    use_effect(move || {
        if !editing_booking() {
            return;
        }
        let booking = match &*card.peek() {
            Some(Ok(Some(card))) => card.detail.booking.clone(),
            _ => None,
        };
        if let Some(booking) = booking {
            load_day(booking.resource.id, booking.date);
        }
    });

    rsx! {
        Shell {
            lang,
            session,
            sync: sync(),
            detail_open: selected().is_some(),
            list,
            detail: detail_view,
            on_lang,
            on_sign_out,
        }
        if !notices().is_empty() {
            div { class: "notices", id: "notifications", role: "log", aria_label: t(lang, Text::Notifications),
                for n in notices().into_iter().take(3) {
                    div { class: "notice", key: "{n.key}", "data-order": "{n.order}",
                        button { class: "notice-open", r#type: "button",
                            onclick: {
                                let key = n.key.clone();
                                move |_| {
                                    notices.write().retain(|x| x.key != key);
                                    open_order(n.order);
                                }
                            },
                            strong { {n.event.title(lang)} }
                            span { "{t(lang, Text::Order)} №{n.order}" }
                        }
                        button { class: "btn-ghost notice-close", r#type: "button", aria_label: t(lang, Text::Dismiss),
                            onclick: {
                                let key = n.key.clone();
                                move |_| notices.write().retain(|x| x.key != key)
                            },
                            "×"
                        }
                    }
                }
            }
        }
        if let Some(message) = notice() {
            div { class: "toast", role: "alert", id: "toast", onclick: move |_| notice.set(None), {message} }
        }
    }
}

/// «Плательщик»: the order's own payer first, then the other company payers.
fn payer_choices(
    order: &crate::model::OrderDetail,
    known: Vec<crate::model::PayerInfo>,
) -> Vec<crate::model::PayerInfo> {
    let mut all = vec![order.payer.clone()];
    for payer in known {
        if all.iter().all(|p| p.payer_id != payer.payer_id) {
            all.push(payer);
        }
    }
    all
}

/// An individual who has paid keeps the number of slots paid for.
fn paid_slots(order: &crate::model::OrderDetail) -> Option<u8> {
    let booking = order.booking.as_ref()?;
    let paid = order.payer.kind == "individual" && order.payment.paid.is_positive();
    paid.then(|| u8::try_from(booking.slots.len()).unwrap_or(u8::MAX))
}

#[component]
fn ErrorPanel(error: ApiError) -> Element {
    rsx! {
        div { class: "empty error-panel", role: "alert",
            div { class: "empty-icon", aria_hidden: "true", "!" }
            span { {error.message.clone()} }
        }
    }
}
