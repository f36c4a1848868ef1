//! The administrator's pane: reads the organisation through the app,
//! keeps what «Настройки экосистемы» shows (tab, open form, the change on
//! its way, its error) and sends what a form saves.
//!
//! The organisation is read again after every change, and whenever the
//! connection comes or goes; until the next answer the last one stays on
//! screen. Offline the app answers with the copy last read, marked not
//! fresh: the screens show it read-only.

use crate::api::admin::{self as admin_api, AdminEdit};
use crate::api::{ApiError, ErrorCode};
use crate::components::{AdminScreen, AdminTab, Editing, FormState};
use crate::i18n::{t, ta, AdminText, Lang, Text};
use crate::store::use_workspace;
use dioxus::prelude::*;
use orderdesk_protocol::ipc::AdminData;

#[component]
pub fn AdminPane() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    let mut revision = use_signal(|| 0_u32);
    let mut shown = use_signal(|| None::<AdminData>);
    let mut failed = use_signal(|| None::<ApiError>);
    let mut tab = use_signal(AdminTab::default);
    let mut editing = use_signal(|| None::<Editing>);
    let mut saving = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    let online = use_memo(move || (workspace.sync)().online);
    let _reading = use_resource(move || async move {
        revision();
        online();
        match admin_api::get_admin((workspace.lang)()).await {
            Ok(data) => {
                shown.set(Some(data));
                failed.set(None);
            }
            Err(problem) => failed.set(Some(problem)),
        }
    });
    let on_save = move |edit: AdminEdit| {
        let creating = matches!(
            edit,
            AdminEdit::CreateUser(_)
                | AdminEdit::CreateService(_)
                | AdminEdit::CreateObject(_)
                | AdminEdit::CreateProduct(_)
        );
        saving.set(true);
        error.set(None);
        spawn(async move {
            match admin_api::save(lang, edit).await {
                Ok(()) if creating => editing.set(None),
                Ok(()) => {}
                Err(problem) => error.set(Some(problem)),
            }
            saving.set(false);
            // Read again: the change, or (offline, stale) what is there now.
            revision += 1;
        });
    };
    let form = FormState {
        writable: shown().is_some_and(|d| d.fresh),
        saving,
        error,
        on_save: EventHandler::new(on_save),
        on_close: EventHandler::new(move |_| {
            error.set(None);
            editing.set(None);
        }),
        on_reload: EventHandler::new(move |_| {
            error.set(None);
            revision += 1;
        }),
    };
    match (shown(), failed()) {
        (Some(data), _) => rsx! {
            AdminScreen { lang, data, tab: tab(), editing: editing(), form,
                on_tab: move |next| {
                    tab.set(next);
                    editing.set(None);
                    error.set(None);
                },
                on_open: move |next| {
                    error.set(None);
                    editing.set(Some(next));
                },
            }
        },
        (None, Some(problem)) => rsx! {
            Unavailable { lang, problem, on_retry: move |_| revision += 1 }
        },
        (None, None) => {
            rsx! { div { class: "empty", {t(lang, Text::Loading)} } }
        }
    }
}

/// Nothing to show: never read on this device and no connection, or the
/// server refused (an account that is no longer an administrator).
#[component]
fn Unavailable(lang: Lang, problem: ApiError, on_retry: EventHandler<()>) -> Element {
    rsx! {
        div { class: "empty error-panel", role: "alert", id: "admin-unavailable",
            div { class: "empty-icon", aria_hidden: "true", "!" }
            if problem.code == ErrorCode::ServerUnreachable {
                span { {ta(lang, AdminText::NeverRead)} }
            } else {
                span { {problem.message.clone()} }
            }
            button { class: "btn btn-secondary", r#type: "button", id: "admin-retry",
                onclick: move |_| on_retry.call(()), {ta(lang, AdminText::Reload)} }
        }
    }
}
