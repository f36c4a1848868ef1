//! The order's chat: «Публичное» and «Внутреннее» tabs and a composer.

use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::MessageView;
use dioxus::prelude::*;
use orderdesk_domain::{UserId, Visibility};

#[component]
pub fn Chat(
    lang: Lang,
    /// Sent ones and those still waiting on this device.
    messages: Vec<MessageView>,
    /// The signed-in manager: their messages sit on the right.
    #[props(default)]
    me: Option<UserId>,
    /// The manager may read and write internal messages.
    internal: bool,
    on_send: EventHandler<(String, Visibility)>,
) -> Element {
    let mut tab = use_signal(|| Visibility::Public);
    let mut draft = use_signal(String::new);
    let current = tab();
    let send = move |event: FormEvent| {
        event.prevent_default();
        let text = draft().trim().to_owned();
        if !text.is_empty() {
            on_send.call((text, tab()));
            draft.set(String::new());
        }
    };
    rsx! {
        section { class: "chat card", id: "chat",
            div { class: "tabs", role: "tablist",
                for visibility in Visibility::ALL.into_iter().filter(|v| internal || *v == Visibility::Public) {
                    button {
                        r#type: "button",
                        role: "tab",
                        class: if visibility == current { "tab tab-on" } else { "tab" },
                        aria_selected: visibility == current,
                        onclick: move |_| tab.set(visibility),
                        {visibility.label(lang)}
                    }
                }
            }
            div { class: "messages",
                for MessageView { message, pending } in messages.iter().filter(|m| m.message.visibility == current) {
                    div {
                        key: "{message.id.0}-{pending}",
                        class: match (message.system, *pending, me.is_some() && message.author_id == me) {
                            (true, _, _) => "msg msg-system",
                            (false, true, _) => "msg msg-own msg-pending",
                            (false, false, true) => "msg msg-own",
                            (false, false, false) => "msg",
                        },
                        div { class: "msg-author",
                            if message.system {
                                {t(lang, Text::System)}
                            } else {
                                {message.author_name.clone().unwrap_or_default()}
                            }
                        }
                        div { class: "msg-text", {message.text.clone()} }
                        if *pending {
                            div { class: "msg-time", title: t(lang, Text::PendingChange),
                                "⟳ {t(lang, Text::PendingChange)}" }
                        } else {
                            div { class: "msg-time", {format::time(message.created_at)} }
                        }
                    }
                }
            }
            form { class: "composer", onsubmit: send,
                input {
                    id: "chat-input",
                    r#type: "text",
                    placeholder: t(lang, Text::WriteMessage),
                    value: "{draft}",
                    oninput: move |e| draft.set(e.value()),
                }
                button { class: "btn btn-primary btn-icon", r#type: "submit", aria_label: t(lang, Text::Send), "➤" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;

    fn chat(internal: bool) -> String {
        if internal {
            fixtures::render(|| {
                rsx! {
                    Chat { lang: Lang::Ru, messages: fixtures::message_views(), internal: true, on_send: |_| {} }
                }
            })
        } else {
            fixtures::render(|| {
                rsx! {
                    Chat { lang: Lang::Ru, messages: fixtures::message_views(), internal: false, on_send: |_| {} }
                }
            })
        }
    }

    #[test]
    fn a_message_waiting_on_this_device_is_marked_until_sent() {
        // The public tab opens first: the sent message with its time, the
        // waiting one marked instead.
        let html = chat(true);
        assert!(html.contains("Нужен проектор и доска."));
        assert!(html.contains("Сейчас уточню у администратора."));
        assert_eq!(html.matches("msg-pending").count(), 1);
        // What this device wrote is its user's own, on the right.
        assert_eq!(html.matches("msg-own").count(), 1);
        assert_eq!(
            html.matches("Ожидает отправки").count(),
            2,
            "mark and its title"
        );
        assert_eq!(html.matches("role=\"tab\"").count(), 2);
        // Internal messages stay in their own tab.
        assert!(!html.contains("Проектор в переговорной Java"));
        let public_only = chat(false);
        assert_eq!(public_only.matches("role=\"tab\"").count(), 1);
    }
}
