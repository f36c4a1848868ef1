//! The frame around the work: side menu on a desktop, tab bar on a phone,
//! the sync banner, and the list/detail split.

use crate::components::login::LangSwitch;
use crate::components::{BellIcon, CloseButton, Dialog, SyncBanner};
use crate::format::synced_at;
use crate::i18n::{t, ta, AdminText, Lang, Text};
use crate::model::{Session, SyncStatus};
use chrono::NaiveDate;
use dioxus::prelude::*;

#[component]
pub fn Shell(
    lang: Lang,
    session: Session,
    sync: SyncStatus,
    /// In the device's time zone, for when the last sync was.
    today: NaiveDate,
    /// An order is open: on a phone the detail replaces the list.
    detail_open: bool,
    list: Element,
    detail: Element,
    /// «Настройки экосистемы»: given for an administrator only, who gets
    /// its entry in the menu and the tab bar.
    #[props(default)]
    admin: Option<Element>,
    /// Notices not yet opened, counted on the bell.
    #[props(default)]
    unread: usize,
    /// The bell was pressed: its history opens or closes.
    #[props(default)]
    on_bell: EventHandler<()>,
    on_lang: EventHandler<Lang>,
    on_sign_out: EventHandler<()>,
) -> Element {
    let mut settings_open = use_signal(|| false);
    let mut admin_open = use_signal(|| false);
    let synced = sync.last_sync.map(|at| synced_at(lang, at, today));
    let has_admin = admin.is_some();
    let admin_shown = admin.filter(|_| admin_open());
    let on_section = move |admin: bool| admin_open.set(admin);
    let shell_class = match (detail_open, admin_shown.is_some()) {
        (true, false) => "shell detail-open",
        _ => "shell",
    };
    let title = match admin_shown {
        Some(_) => ta(lang, AdminText::Section),
        None => t(lang, Text::OrdersSection),
    };
    rsx! {
        div { class: shell_class,
            Sidebar { lang, session: session.clone(), online: sync.online, synced, unread, on_bell,
                admin_entry: has_admin, admin_open: admin_open(), on_section,
                on_settings: move |_| settings_open.toggle() }
            main { class: "main",
                header { class: "topbar",
                    div { class: "topbar-tab", {t(lang, Text::TasksTab)} }
                    h1 { class: "topbar-title", {title} }
                }
                if let Some(admin) = admin_shown {
                    div { class: "admin-pane", {admin} }
                } else {
                    SyncBanner { lang, sync, today }
                    div { class: "split",
                        section { class: "pane pane-list", {list} }
                        section { class: "pane pane-detail", {detail} }
                    }
                }
            }
            TabBar { lang, admin_entry: has_admin, admin_open: admin_open(), on_section, unread, on_bell,
                on_settings: move |_| settings_open.toggle() }
            if settings_open() {
                Settings { lang, session, on_lang,
                    on_close: move |_| settings_open.set(false),
                    on_sign_out: move |_| { settings_open.set(false); on_sign_out.call(()) } }
            }
        }
    }
}

/// The phone's tab bar: «Задачи», «Настройки экосистемы» for an
/// administrator, the bell, and the settings.
#[component]
fn TabBar(
    lang: Lang,
    admin_entry: bool,
    admin_open: bool,
    on_section: EventHandler<bool>,
    unread: usize,
    on_bell: EventHandler<()>,
    on_settings: EventHandler<()>,
) -> Element {
    let (tasks_class, admin_class) = match admin_open {
        true => ("tab-item", "tab-item tab-item-on"),
        false => ("tab-item tab-item-on", "tab-item"),
    };
    rsx! {
        nav { class: "tabbar",
            a { class: tasks_class, href: "#", id: "tab-tasks",
                aria_current: if admin_open { "false" } else { "page" },
                onclick: move |e| { e.prevent_default(); on_section.call(false) },
                span { class: "tab-icon", aria_hidden: "true", "☑" }
                span { {t(lang, Text::TasksTab)} }
            }
            if admin_entry {
                button { class: admin_class, r#type: "button", id: "tab-admin",
                    onclick: move |_| on_section.call(true),
                    span { class: "tab-icon", aria_hidden: "true", "⚒" }
                    span { {ta(lang, AdminText::Section)} }
                }
            }
            Bell { lang, unread, id: "tab-bell", class: "tab-item", on_bell, label: true }
            button { class: "tab-item", r#type: "button", onclick: move |_| on_settings.call(()),
                span { class: "tab-icon", aria_hidden: "true", "⚙" }
                span { {t(lang, Text::Settings)} }
            }
        }
    }
}

/// The desktop's side menu: brand, the ecosystem's state with when the
/// cache last caught up, sections, and who is signed in with the settings
/// button.
#[component]
fn Sidebar(
    lang: Lang,
    session: Session,
    online: bool,
    synced: Option<String>,
    /// An administrator: «Настройки экосистемы» is offered.
    admin_entry: bool,
    admin_open: bool,
    on_section: EventHandler<bool>,
    unread: usize,
    on_bell: EventHandler<()>,
    on_settings: EventHandler<()>,
) -> Element {
    let role = session.user.role.label(lang);
    rsx! {
        aside { class: "sidebar",
            div { class: "brand",
                div { class: "brand-mark", aria_hidden: "true" }
                div { class: "brand-title", {t(lang, Text::AppName)} }
                Bell { lang, unread, id: "bell", class: "btn-ghost bell", on_bell, label: false }
            }
            div { class: "switcher",
                // Green while the server answers, amber while working from the cache.
                if online {
                    span { class: "switcher-dot", aria_hidden: "true" }
                } else {
                    span { class: "switcher-dot switcher-dot-offline", title: t(lang, Text::Offline) }
                }
                span { {t(lang, Text::Ecosystem)} }
            }
            if let Some(synced) = synced {
                div { class: "muted small side-synced", id: "last-sync", {synced} }
            }
            nav { class: "side-nav",
                a { class: if admin_open { "side-item" } else { "side-item side-item-on" }, href: "#",
                    aria_current: if admin_open { "false" } else { "page" }, id: "nav-orders",
                    onclick: move |e| { e.prevent_default(); on_section.call(false) },
                    span { class: "side-icon", aria_hidden: "true", "▤" }
                    {t(lang, Text::OrdersSection)}
                }
                if admin_entry {
                    a { class: if admin_open { "side-item side-item-on" } else { "side-item" }, href: "#",
                        aria_current: if admin_open { "page" } else { "false" }, id: "nav-admin",
                        onclick: move |e| { e.prevent_default(); on_section.call(true) },
                        span { class: "side-icon", aria_hidden: "true", "⚒" }
                        {ta(lang, AdminText::Section)}
                    }
                }
            }
            div { class: "side-foot",
                div { class: "me",
                    div { class: "strong", {session.user.name.clone()} }
                    div { class: "muted small", {role} }
                }
                button { class: "btn-ghost", r#type: "button", id: "open-settings",
                    aria_label: t(lang, Text::Settings), onclick: move |_| on_settings.call(()), "⚙" }
            }
        }
    }
}

/// The bell: its accessible name says how many notices are unread, the
/// badge shows the number.
#[component]
fn Bell(
    lang: Lang,
    unread: usize,
    id: &'static str,
    class: &'static str,
    /// Show the word under the icon, as the phone's tab bar does.
    label: bool,
    on_bell: EventHandler<()>,
) -> Element {
    let name = bell_name(lang, unread);
    rsx! {
        button { class, id, r#type: "button", aria_label: "{name}", title: "{name}",
            onclick: move |_| on_bell.call(()),
            span { class: "tab-icon bell-icon", aria_hidden: "true",
                BellIcon {}
                if unread > 0 {
                    span { class: "bell-count", "{unread}" }
                }
            }
            if label {
                span { aria_hidden: "true", {t(lang, Text::Notifications)} }
            }
        }
    }
}

/// «Уведомления, непрочитанных: 2».
pub fn bell_name(lang: Lang, unread: usize) -> String {
    let title = t(lang, Text::Notifications);
    if unread == 0 {
        title.to_owned()
    } else {
        format!(
            "{title}, {}: {unread}",
            t(lang, Text::Unread).to_lowercase()
        )
    }
}

/// The settings dialog: language, who is signed in where, and signing out.
#[component]
fn Settings(
    lang: Lang,
    session: Session,
    on_lang: EventHandler<Lang>,
    on_close: EventHandler<()>,
    on_sign_out: EventHandler<()>,
) -> Element {
    let role = session.user.role.label(lang);
    rsx! {
        Dialog { id: "settings", title: t(lang, Text::Settings), on_close,
            head: rsx! { CloseButton { id: "close-settings", label: t(lang, Text::Close), on_close } },
            div { class: "field-label", {t(lang, Text::Language)} }
            LangSwitch { lang, on_lang }
            div { class: "me",
                div { class: "strong", {session.user.name.clone()} }
                div { class: "muted small", "{role} · {session.server_url}" }
            }
            div { class: "dialog-actions",
                button { class: "btn btn-secondary", r#type: "button", id: "sign-out",
                    onclick: move |_| on_sign_out.call(()),
                    {t(lang, Text::SignOut)} }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;
    use chrono::DateTime;

    /// Offline since 14:32 on 1 December, or never synced.
    fn offline(synced: bool) -> SyncStatus {
        let at = DateTime::parse_from_rfc3339("2026-12-01T14:32:10+03:00").expect("a time");
        SyncStatus {
            signed_in: true,
            online: false,
            last_sync: synced.then_some(at),
            ..SyncStatus::default()
        }
    }

    fn shell(lang: Lang, sync: SyncStatus, today: &str) -> Element {
        let today: NaiveDate = today.parse().expect("a fixture day");
        rsx! {
            Shell { lang, session: fixtures::session(), sync, today,
                detail_open: false, list: rsx! {}, detail: rsx! {},
                on_lang: |_| {}, on_sign_out: |_| {} }
        }
    }

    #[test]
    fn offline_app_shows_when_it_last_synced_in_both_languages() {
        let html = fixtures::render(|| shell(Lang::Ru, offline(true), "2026-12-01"));
        assert!(html.contains("Нет связи с сервером"), "{html}");
        assert_eq!(
            html.matches("Синхронизировано в 14:32").count(),
            2,
            "in the banner and the side menu: {html}"
        );
        let html = fixtures::render(|| shell(Lang::En, offline(true), "2026-12-01"));
        assert!(html.contains("Synced at 14:32"), "{html}");
        // Offline since yesterday: the day shows too.
        let html = fixtures::render(|| shell(Lang::Ru, offline(true), "2026-12-02"));
        assert!(
            html.contains("Синхронизировано в 01.12.2026 14:32"),
            "{html}"
        );
    }

    #[test]
    fn only_an_administrator_gets_the_ecosystem_settings() {
        let html = fixtures::render(|| {
            let today: NaiveDate = "2026-12-01".parse().expect("a fixture day");
            rsx! {
                Shell { lang: Lang::Ru, session: fixtures::session(), sync: offline(true), today,
                    detail_open: false, list: rsx! {}, detail: rsx! {},
                    admin: rsx! { div { id: "admin-here" } },
                    on_lang: |_| {}, on_sign_out: |_| {} }
            }
        });
        assert!(html.contains("id=\"nav-admin\""), "{html}");
        assert!(html.contains("id=\"tab-admin\""), "{html}");
        assert!(html.contains("Настройки экосистемы"), "{html}");
        assert!(
            !html.contains("admin-here"),
            "the orders show first: {html}"
        );
        let html = fixtures::render(|| shell(Lang::Ru, offline(true), "2026-12-01"));
        assert!(
            !html.contains("nav-admin") && !html.contains("tab-admin"),
            "{html}"
        );
        assert!(!html.contains("Настройки экосистемы"), "{html}");
    }

    #[test]
    fn a_client_that_never_synced_shows_no_sync_time() {
        let html = fixtures::render(|| shell(Lang::Ru, offline(false), "2026-12-01"));
        assert!(html.contains("Нет связи с сервером"), "{html}");
        assert!(!html.contains("Синхронизировано"), "{html}");
    }

    #[test]
    fn the_bell_is_named_with_its_unread_count_in_both_languages() {
        let html = fixtures::render(|| {
            rsx! {
                Shell { lang: Lang::Ru, session: fixtures::session(), sync: SyncStatus::default(),
                    today: NaiveDate::default(), detail_open: false, list: rsx! {}, detail: rsx! {},
                    unread: 3, on_lang: |_| {}, on_sign_out: |_| {} }
            }
        });
        assert_eq!(
            html.matches("aria-label=\"Уведомления, непрочитанных: 3\"")
                .count(),
            2,
            "the side menu's bell and the tab bar's: {html}"
        );
        assert!(html.contains("class=\"bell-count\">3<"), "{html}");
        assert_eq!(bell_name(Lang::En, 0), "Notifications");
        assert_eq!(bell_name(Lang::En, 2), "Notifications, unread: 2");
    }
}
