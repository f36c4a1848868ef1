//! The order's chat: «Публичное» and «Внутреннее» tabs and a composer.

use crate::components::LockIcon;
use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{ChatMessage, MessageView};
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
    /// The service's canned replies, offered in the public tab.
    #[props(default)]
    replies: Vec<String>,
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
    let internal_on = current == Visibility::Internal;
    let placeholder = t(
        lang,
        if internal_on {
            Text::WriteInternal
        } else {
            Text::WriteMessage
        },
    );
    rsx! {
        section { class: if internal_on { "chat card chat-internal" } else { "chat card" }, id: "chat",
            "data-visibility": current.id(),
            ChatTabs { lang, current, internal, on_pick: move |v| tab.set(v) }
            div { class: "messages", role: "log", aria_label: "{current.label(lang)}",
                for view in in_time_order(&messages, current) {
                    MessageBubble { key: "{view.message.id.0}-{view.pending}", lang, mine: me.is_some() && view.message.author_id == me, view }
                }
            }
            if !internal_on && !replies.is_empty() {
                CannedReplies { lang, replies, on_pick: move |text| draft.set(text) }
            }
            form { class: "composer", onsubmit: send,
                input {
                    id: "chat-input",
                    r#type: "text",
                    placeholder,
                    aria_label: placeholder,
                    value: "{draft}",
                    oninput: move |e| draft.set(e.value()),
                }
                button { class: "btn btn-primary btn-icon", r#type: "submit", aria_label: t(lang, Text::Send), "➤" }
            }
        }
    }
}

/// «Публичное» and, for those who may read it, «Внутреннее» with a lock.
#[component]
fn ChatTabs(
    lang: Lang,
    current: Visibility,
    internal: bool,
    on_pick: EventHandler<Visibility>,
) -> Element {
    rsx! {
            div { class: "tabs", role: "tablist", aria_label: t(lang, Text::ChatLabel),
                for visibility in Visibility::ALL.into_iter().filter(|v| internal || *v == Visibility::Public) {
                    button {
                        r#type: "button",
                        role: "tab",
                        id: "chat-tab-{visibility.id()}",
                        class: match (visibility == current, visibility) {
                            (true, Visibility::Internal) => "tab tab-on tab-internal",
                            (true, _) => "tab tab-on",
                            (false, _) => "tab",
                        },
                        aria_selected: visibility == current,
                        onclick: move |_| on_pick.call(visibility),
                        if visibility == Visibility::Internal {
                            LockIcon {}
                        }
                        {visibility.label(lang)}
                    }
                }
            }
    }
}

/// The service's canned replies: picking one puts it in the composer.
#[component]
fn CannedReplies(lang: Lang, replies: Vec<String>, on_pick: EventHandler<String>) -> Element {
    rsx! {
        div { class: "canned",
            select { class: "select", id: "canned-replies", aria_label: t(lang, Text::CannedReplies),
                onchange: move |e| {
                    let chosen = e.value();
                    if !chosen.is_empty() { on_pick.call(chosen) }
                },
                option { value: "", selected: true, {t(lang, Text::ChooseReply)} }
                for reply in replies.iter() {
                    option { value: "{reply}", {reply.clone()} }
                }
            }
        }
    }
}

/// The messages of one tab, oldest first; those still waiting on this
/// device come last, in the order they were written.
pub fn in_time_order(messages: &[MessageView], visibility: Visibility) -> Vec<MessageView> {
    let mut shown: Vec<MessageView> = messages
        .iter()
        .filter(|m| m.message.visibility == visibility)
        .cloned()
        .collect();
    shown.sort_by_key(|m| (m.pending, m.message.created_at));
    shown
}

/// What a message says: a system message's note in the reader's language,
/// else its text as written.
pub fn message_text(message: &ChatMessage, lang: Lang) -> String {
    match &message.note {
        Some(note) => note.text(lang),
        None => message.text.clone(),
    }
}

/// One message: author, text, time or the waiting mark; an internal one
/// carries a label saying the requester does not see it.
#[component]
fn MessageBubble(lang: Lang, view: MessageView, mine: bool) -> Element {
    let MessageView { message, pending } = view;
    let internal = message.visibility == Visibility::Internal;
    let class = match (message.system, pending, mine) {
        (true, _, _) => "msg msg-system",
        (false, true, _) => "msg msg-own msg-pending",
        (false, false, true) => "msg msg-own",
        (false, false, false) => "msg",
    };
    rsx! {
        div { class: if internal { "{class} msg-internal" } else { "{class}" },
            div { class: "msg-author",
                if message.system {
                    {t(lang, Text::System)}
                } else {
                    {message.author_name.clone().unwrap_or_default()}
                }
            }
            if internal && !message.system {
                div { class: "msg-internal-mark", LockIcon {} {t(lang, Text::InternalMark)} }
            }
            div { class: "msg-text", {message_text(&message, lang)} }
            if pending {
                div { class: "msg-time", title: t(lang, Text::PendingChange),
                    "⟳ {t(lang, Text::PendingChange)}" }
            } else {
                div { class: "msg-time", {format::time(message.created_at)} }
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

    #[test]
    fn an_internal_message_is_labelled_and_coloured_as_such() {
        let html = fixtures::render(|| {
            let view = MessageView {
                message: fixtures::messages()[2].clone(),
                pending: false,
            };
            rsx! { MessageBubble { lang: Lang::Ru, view, mine: false } }
        });
        assert!(html.contains("msg-internal"), "{html}");
        assert!(html.contains("Внутреннее · не видно заявителю"), "{html}");
        let html = fixtures::render(|| {
            let view = MessageView {
                message: fixtures::messages()[1].clone(),
                pending: false,
            };
            rsx! { MessageBubble { lang: Lang::En, view, mine: false } }
        });
        assert!(!html.contains("msg-internal"), "{html}");
        // The public composer is labelled for screen readers too.
        let html = chat(true);
        assert!(
            html.contains("aria-label=\"Написать сообщение...\""),
            "{html}"
        );
        assert!(html.contains("aria-label=\"Чат заказа\""), "{html}");
    }

    #[test]
    fn messages_show_in_time_order_with_the_waiting_ones_last() {
        let mut views = fixtures::message_views();
        views.reverse();
        let ordered = in_time_order(&views, Visibility::Public);
        let times: Vec<_> = ordered
            .iter()
            .filter(|m| !m.pending)
            .map(|m| m.message.created_at)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(ordered.last().is_some_and(|m| m.pending));
        assert!(ordered
            .iter()
            .all(|m| m.message.visibility == Visibility::Public));
    }

    #[test]
    fn a_system_message_reads_in_the_readers_language_and_replies_are_offered() {
        let html = fixtures::render(|| {
            rsx! {
                Chat { lang: Lang::En, messages: fixtures::message_views(), internal: true,
                    replies: vec!["Заявка принята, мастер придёт сегодня.".to_owned()], on_send: |_| {} }
            }
        });
        assert!(!html.contains("Поступила оплата"), "{html}");
        assert!(
            html.contains(&orderdesk_domain::SystemNote::GatewayPayment.text(Lang::En)),
            "{html}"
        );
        assert!(html.contains("id=\"canned-replies\""), "{html}");
        assert!(html.contains("aria-label=\"Canned replies\""), "{html}");
        assert!(
            html.contains("Заявка принята, мастер придёт сегодня."),
            "{html}"
        );
    }
}
