//! The sign-in screen: server address, login, password.

use crate::api::{ApiError, ErrorCode};
use crate::i18n::{t, Lang, Text};
use dioxus::prelude::*;

/// What the manager typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub server_url: String,
    pub login: String,
    pub password: String,
}

/// Checks the form before anything is sent; `None` when it can be sent.
pub fn validate_credentials(lang: Lang, form: &Credentials) -> Option<&'static str> {
    let url = form.server_url.trim();
    let has_scheme = url.starts_with("https://") || url.starts_with("http://");
    let (ru, en) = if url.is_empty() {
        ("Укажите адрес сервера.", "Enter the server address.")
    } else if !has_scheme {
        (
            "Адрес сервера должен начинаться с https:// или http://.",
            "The server address must start with https:// or http://.",
        )
    } else if form.login.trim().is_empty() {
        ("Введите логин.", "Enter your login.")
    } else if form.password.is_empty() {
        ("Введите пароль.", "Enter your password.")
    } else {
        return None;
    };
    Some(match lang {
        Lang::Ru => ru,
        Lang::En => en,
    })
}

/// What the manager reads when sign-in fails.
pub fn login_error_text(lang: Lang, error: &ApiError) -> String {
    let fixed = match (error.code, lang) {
        (ErrorCode::Unauthorized, Lang::Ru) => "Неверный логин или пароль.",
        (ErrorCode::Unauthorized, Lang::En) => "Wrong login or password.",
        (ErrorCode::ServerUnreachable, Lang::Ru) => {
            "Сервер недоступен. Проверьте адрес сервера и подключение к сети."
        }
        (ErrorCode::ServerUnreachable, Lang::En) => {
            "The server cannot be reached. Check the address and the network."
        }
        _ => return error.message.clone(),
    };
    fixed.to_owned()
}

#[component]
pub fn LoginScreen(
    lang: Lang,
    busy: bool,
    error: Option<ApiError>,
    initial: Credentials,
    on_submit: EventHandler<Credentials>,
    on_lang: EventHandler<Lang>,
) -> Element {
    let mut form = use_signal(|| initial.clone());
    let mut local_error = use_signal(|| None::<&'static str>);
    let shown_error = local_error()
        .map(str::to_owned)
        .or_else(|| error.as_ref().map(|e| login_error_text(lang, e)));

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let current = form();
        match validate_credentials(lang, &current) {
            Some(problem) => local_error.set(Some(problem)),
            None => {
                local_error.set(None);
                on_submit.call(current);
            }
        }
    };

    rsx! {
        main { class: "login",
            div { class: "login-card",
                LoginBrand { lang }
                form { class: "form", onsubmit: submit, novalidate: true,
                    Field { label: t(lang, Text::ServerAddress),
                        input {
                            id: "server-url",
                            r#type: "url",
                            inputmode: "url",
                            autocomplete: "url",
                            placeholder: t(lang, Text::ServerAddressHint),
                            value: "{form().server_url}",
                            oninput: move |e| form.write().server_url = e.value(),
                        }
                    }
                    Field { label: t(lang, Text::Login),
                        input {
                            id: "login",
                            r#type: "text",
                            autocomplete: "username",
                            autocapitalize: "none",
                            value: "{form().login}",
                            oninput: move |e| form.write().login = e.value(),
                        }
                    }
                    Field { label: t(lang, Text::Password),
                        input {
                            id: "password",
                            r#type: "password",
                            autocomplete: "current-password",
                            value: "{form().password}",
                            oninput: move |e| form.write().password = e.value(),
                        }
                    }
                    if let Some(message) = shown_error {
                        p { class: "form-error", role: "alert", id: "login-error", {message} }
                    }
                    button {
                        id: "sign-in",
                        class: "btn btn-primary btn-block",
                        r#type: "submit",
                        disabled: busy,
                        if busy { {t(lang, Text::SigningIn)} } else { {t(lang, Text::SignIn)} }
                    }
                }
                LangSwitch { lang, on_lang }
            }
        }
    }
}

/// A labelled input of the form.
#[component]
fn Field(label: &'static str, children: Element) -> Element {
    rsx! {
        label { class: "field",
            span { class: "field-label", {label} }
            {children}
        }
    }
}

/// The app's mark and name over the form.
#[component]
fn LoginBrand(lang: Lang) -> Element {
    rsx! {
        div { class: "brand",
            div { class: "brand-mark", aria_hidden: "true" }
            div {
                h1 { class: "brand-title", {t(lang, Text::AppName)} }
                p { class: "brand-sub", {t(lang, Text::Ecosystem)} }
            }
        }
    }
}

/// Two buttons, RU and EN; the current one pressed.
#[component]
pub fn LangSwitch(lang: Lang, on_lang: EventHandler<Lang>) -> Element {
    rsx! {
        div { class: "lang-switch", role: "group", aria_label: t(lang, Text::Language),
            for (option, name, code) in [(Lang::Ru, "Русский", "ru"), (Lang::En, "English", "en")] {
                button {
                    r#type: "button",
                    // Each language named in itself, and marked as such.
                    lang: code,
                    class: if option == lang { "seg seg-on" } else { "seg" },
                    aria_pressed: option == lang,
                    onclick: move |_| on_lang.call(option),
                    {name}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    fn form(server: &str, login: &str, password: &str) -> Credentials {
        Credentials {
            server_url: server.into(),
            login: login.into(),
            password: password.into(),
        }
    }

    #[test]
    fn form_is_checked_field_by_field_in_russian() {
        let ok = form("https://orders.example.ru", "service", "demo");
        assert_eq!(validate_credentials(Lang::Ru, &ok), None);
        assert_eq!(
            validate_credentials(Lang::Ru, &form("", "a", "b")),
            Some("Укажите адрес сервера.")
        );
        assert_eq!(
            validate_credentials(Lang::Ru, &form("orders.example.ru", "a", "b")),
            Some("Адрес сервера должен начинаться с https:// или http://.")
        );
        assert_eq!(
            validate_credentials(Lang::Ru, &form("http://h", " ", "b")),
            Some("Введите логин.")
        );
        assert_eq!(
            validate_credentials(Lang::Ru, &form("http://h", "a", "")),
            Some("Введите пароль.")
        );
    }

    #[test]
    fn wrong_password_and_unreachable_server_read_clearly() {
        let wrong = ApiError {
            code: ErrorCode::Unauthorized,
            message: "401".into(),
        };
        assert_eq!(
            login_error_text(Lang::Ru, &wrong),
            "Неверный логин или пароль."
        );
        let down = ApiError {
            code: ErrorCode::ServerUnreachable,
            message: "connect refused".into(),
        };
        assert!(login_error_text(Lang::Ru, &down).starts_with("Сервер недоступен"));
    }

    #[test]
    fn login_screen_shows_the_russian_labels() {
        let html = fixtures::render(|| {
            rsx! {
                LoginScreen {
                    lang: Lang::Ru,
                    busy: false,
                    error: None,
                    initial: Credentials::default(),
                    on_submit: |_| {},
                    on_lang: |_| {},
                }
            }
        });
        for label in [
            "Адрес сервера",
            "Логин",
            "Пароль",
            "Войти",
            "Обращения и заказы",
        ] {
            assert!(html.contains(label), "{label} missing in {html}");
        }
    }
}
