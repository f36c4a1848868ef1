//! The order's chat: «Публичное» and «Внутреннее» tabs and a composer.

use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::ChatMessage;
use dioxus::prelude::*;
use orderdesk_domain::Visibility;

#[component]
pub fn Chat(
    lang: Lang,
    messages: Vec<ChatMessage>,
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
                for message in messages.iter().filter(|m| m.visibility == current) {
                    div {
                        key: "{message.id.0}",
                        class: if message.system { "msg msg-system" } else { "msg" },
                        div { class: "msg-author",
                            if message.system {
                                {t(lang, Text::System)}
                            } else {
                                {message.author_name.clone().unwrap_or_default()}
                            }
                        }
                        div { class: "msg-text", {message.text.clone()} }
                        div { class: "msg-time", {format::time(message.created_at)} }
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
