//! The root of the UI: who is signed in and in which language. Signed in,
//! it creates the workspace store ([`crate::store`]), keeps it up to date
//! with what the core reports, and lays out the panes that read it.

mod admin;
mod notices;
mod panes;
#[cfg(test)]
mod tests;

use crate::api::{self, ApiError};
use crate::components::{Credentials, Dialog, LoginScreen, Shell};
use crate::i18n::{t, Lang, Text};
use crate::model::{Defaults, Notification, Session};
use crate::store::{choose_lang, use_workspace, use_workspace_provider};
use admin::AdminPane;
use dioxus::prelude::*;
use notices::{NoticeHistory, Toasts};
use orderdesk_domain::Role;
use panes::{DetailPane, ListPane};

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Starting,
    SignedOut,
    SignedIn(Box<Session>),
}

#[component]
pub fn App() -> Element {
    let lang = use_signal(api::load_lang);
    let mut phase = use_signal(|| Phase::Starting);
    let mut defaults = use_signal(Defaults::default);
    // The core speaks the interface's language (to the server, in
    // notifications, in its own messages): told at start and on each switch.
    use_effect(move || {
        let now = lang();
        spawn(async move {
            let _ = api::set_language(now).await;
        });
    });

    use_future(move || async move {
        if let Ok(found) = api::get_defaults().await {
            defaults.set(found);
        }
        match api::get_session().await {
            Ok(Some(session)) => phase.set(Phase::SignedIn(Box::new(session))),
            _ => phase.set(Phase::SignedOut),
        }
    });

    match phase() {
        Phase::Starting => rsx! {
            div { class: "splash", div { class: "brand-mark" } }
        },
        Phase::SignedOut => rsx! {
            SignIn {
                lang: lang(),
                defaults: defaults(),
                on_lang: move |next| choose_lang(lang, next),
                on_signed_in: move |session| phase.set(Phase::SignedIn(Box::new(session))),
            }
        },
        Phase::SignedIn(session) => rsx! {
            WorkspaceScreen { lang, session: *session, on_signed_out: move |_| phase.set(Phase::SignedOut) }
        },
    }
}

/// The sign-in screen with what the app remembers: the server address, and
/// why the saved session could not be read.
#[component]
fn SignIn(
    lang: Lang,
    defaults: Defaults,
    on_lang: EventHandler<Lang>,
    on_signed_in: EventHandler<Session>,
) -> Element {
    let mut login_error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let on_submit = move |form: Credentials| {
        busy.set(true);
        login_error.set(None);
        spawn(async move {
            match api::log_in(&form.server_url, &form.login, &form.password).await {
                Ok(session) => {
                    api::save_server_url(&form.server_url);
                    on_signed_in.call(session);
                }
                Err(error) => login_error.set(Some(error)),
            }
            busy.set(false);
        });
    };
    rsx! {
        LoginScreen {
            lang,
            busy: busy(),
            error: login_error().or_else(|| defaults.session_error.clone().map(|message| ApiError {
                code: api::ErrorCode::KeyringUnavailable,
                message,
            })),
            initial: Credentials {
                server_url: defaults.server_url.clone().unwrap_or_else(api::load_server_url),
                ..Credentials::default()
            },
            on_submit,
            on_lang,
        }
    }
}

/// The signed-in screen: the workspace store and what keeps it current.
#[component]
fn WorkspaceScreen(
    lang: Signal<Lang>,
    session: Session,
    on_signed_out: EventHandler<()>,
) -> Element {
    let workspace = use_workspace_provider(lang, session.clone(), on_signed_out);
    let sync = workspace.sync;
    let is_admin = session.user.role == Role::Admin;

    // Held for the screen's life; dropping it at sign-out stops listening.
    // The history is read only once the listener is in place, and merged,
    // never replacing what the listener already heard.
    use_hook(move || {
        std::rc::Rc::new(api::follow_notifications(
            move |fresh: Notification| workspace.add_notice(fresh),
            move |history: Vec<Notification>| workspace.catch_up_notices(history),
        ))
    });

    rsx! {
        Shell {
            lang: lang(),
            session,
            sync: sync(),
            today: api::today(),
            detail_open: (workspace.selected)().is_some(),
            list: rsx! { ListPane {} },
            detail: rsx! { DetailPane {} },
            admin: is_admin.then(|| rsx! { AdminPane {} }),
            unread: workspace.unread_count(),
            on_bell: move |_| workspace.toggle_history(),
            on_lang: move |next| workspace.set_lang(next),
            on_sign_out: move |_| workspace.sign_out(false),
        }
        Toasts {}
        NoticeHistory {}
        SignOutQuestion {}
    }
}

/// Asks before signing out would discard actions not yet sent.
#[component]
fn SignOutQuestion() -> Element {
    let workspace = use_workspace();
    let lang = (workspace.lang)();
    rsx! {
        if let Some(message) = (workspace.unsent)() {
            Dialog { id: "confirm-sign-out", role: "alertdialog", title: t(lang, Text::SignOutUnsentQuestion),
                on_close: move |_| workspace.keep_unsent(),
                p { class: "muted", {message} }
                div { class: "dialog-actions",
                    button { class: "btn btn-secondary", r#type: "button", id: "confirm-sign-out-no",
                        onclick: move |_| workspace.keep_unsent(), {t(lang, Text::No)} }
                    button { class: "btn btn-danger", r#type: "button", id: "confirm-sign-out-yes",
                        onclick: move |_| workspace.sign_out(true), {t(lang, Text::SignOutDiscarding)} }
                }
            }
        }
    }
}
