//! The root of the UI: who is signed in, which order is open, what the core
//! says about sync. It calls [`crate::api`] and hands values to components.

use crate::api::{
    self, ApiError, ApiResult, AssigneeRequest, BookingEditRequest, CancelRequest,
    DeadlinesRequest, PaymentRequest, PostMessageRequest, StatusRequest,
};
use crate::components::{
    BookingEditor, Credentials, LoginScreen, OrderAction, OrderList, OrderView, Shell,
};
use crate::i18n::{t, Lang, Text};
use crate::model::{Availability, OrderFilter, Session, SyncState};
use dioxus::prelude::*;
use orderdesk_domain::OrderNumber;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Starting,
    SignedOut,
    SignedIn(Session),
}

/// Seconds between two looks at the sync state.
const SYNC_POLL_MS: i32 = 3_000;

#[component]
pub fn App() -> Element {
    let mut lang = use_signal(api::load_lang);
    let mut phase = use_signal(|| Phase::Starting);
    let mut login_error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);

    use_future(move || async move {
        match api::get_session().await {
            Ok(Some(session)) => phase.set(Phase::SignedIn(session)),
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
                    phase.set(Phase::SignedIn(session));
                }
                Err(error) => login_error.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let on_sign_out = move |_| {
        spawn(async move {
            let _ = api::log_out().await;
            phase.set(Phase::SignedOut);
        });
    };

    match phase() {
        Phase::Starting => rsx! {
            div { class: "splash", div { class: "brand-mark" } }
        },
        Phase::SignedOut => rsx! {
            LoginScreen {
                lang: lang(),
                busy: busy(),
                error: login_error(),
                initial: Credentials { server_url: api::load_server_url(), ..Credentials::default() },
                on_submit,
                on_lang,
            }
        },
        Phase::SignedIn(session) => rsx! {
            Workspace { lang: lang(), session, on_lang, on_sign_out }
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
    let mut sync = use_signal(SyncState::default);
    let mut notice = use_signal(|| None::<String>);
    let mut editing_booking = use_signal(|| false);
    let mut availability = use_signal(|| None::<Availability>);

    let orders = use_resource(move || async move {
        revision();
        api::list_orders(&OrderFilter::default()).await.map(Rc::new)
    });
    let detail = use_resource(move || async move {
        revision();
        match selected() {
            Some(number) => api::get_order(number).await.map(Some),
            None => Ok(None),
        }
    });
    let messages = use_resource(move || async move {
        revision();
        match selected() {
            Some(number) => api::get_messages(number).await.map(|list| list.messages),
            None => Ok(Vec::new()),
        }
    });
    let resources = use_resource(move || async move {
        match (editing_booking(), selected()) {
            (true, Some(number)) => api::list_resources(number).await,
            _ => Ok(Vec::new()),
        }
    });

    use_future(move || async move {
        loop {
            if let Ok(state) = api::get_sync_state().await {
                let changed =
                    state.pending != sync.peek().pending || state.online != sync.peek().online;
                sync.set(state);
                if changed {
                    revision += 1;
                }
            }
            api::sleep(SYNC_POLL_MS).await;
        }
    });

    let mut report = move |result: ApiResult<()>| match result {
        Ok(()) => revision += 1,
        Err(error) => notice.set(Some(error.message)),
    };
    let version = move || match &*detail.peek() {
        Some(Ok(Some(order))) => Some(order.version),
        _ => None,
    };
    let on_action = move |action: OrderAction| {
        let Some(number) = selected() else { return };
        let version = version();
        spawn(async move {
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
            };
            report(result);
        });
    };
    let on_pick_day = move |(resource, date)| {
        availability.set(None);
        spawn(async move {
            match api::get_availability(resource, date).await {
                Ok(free) => availability.set(Some(free)),
                Err(error) => notice.set(Some(error.message)),
            }
        });
    };
    let on_save_booking = move |mut request: BookingEditRequest| {
        let Some(number) = selected() else { return };
        request.version = version();
        spawn(async move {
            let result = api::edit_booking(number, &request).await;
            if result.is_ok() {
                editing_booking.set(false);
            }
            report(result);
        });
    };

    let list = match &*orders.read() {
        None => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        Some(Err(error)) => rsx! { ErrorPanel { error: error.clone() } },
        Some(Ok(all)) => rsx! {
            OrderList {
                lang,
                orders: all.clone(),
                filter: filter(),
                selected: selected(),
                pending: Rc::new(sync().pending_orders),
                on_filter: move |f| filter.set(f),
                on_select: move |n| { editing_booking.set(false); selected.set(Some(n)) },
            }
        },
    };
    let detail_view = match (&*detail.read(), selected()) {
        (_, None) => rsx! {
            div { class: "empty placeholder",
                div { class: "empty-icon", aria_hidden: "true", "▤" }
                span { {t(lang, Text::SelectOrder)} }
            }
        },
        (None, Some(_)) => rsx! { div { class: "empty", {t(lang, Text::Loading)} } },
        (Some(Err(error)), Some(_)) => rsx! { ErrorPanel { error: error.clone() } },
        (Some(Ok(None)), Some(_)) => rsx! {},
        (Some(Ok(Some(order))), Some(_)) => match (editing_booking(), order.booking.clone()) {
            (true, Some(booking)) => rsx! {
                BookingEditor {
                    lang,
                    today: api::today(),
                    booking: booking.clone(),
                    comment: order.comment.clone(),
                    payer: order.payer.clone(),
                    payers: vec![order.payer.clone()],
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
                    messages: messages.read().clone().and_then(Result::ok).unwrap_or_default(),
                    on_action,
                }
            },
        },
    };

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
        if let Some(message) = notice() {
            div { class: "toast", role: "alert", onclick: move |_| notice.set(None), {message} }
        }
    }
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
