//! A modal dialog: a backdrop, a titled box that takes focus when it opens
//! so the keyboard and a screen reader land in it, and closes on Esc or a
//! click beside it.

use dioxus::prelude::*;

#[component]
pub fn Dialog(
    /// The dialog's element id; its title gets `{id}-title`.
    id: &'static str,
    title: String,
    /// `alertdialog` for a question that needs an answer, else `dialog`.
    #[props(default = "dialog")]
    role: &'static str,
    /// Extra classes of the box.
    #[props(default = "")]
    class: &'static str,
    /// Elements shown beside the title, such as a close button.
    head: Option<Element>,
    on_close: EventHandler<()>,
    children: Element,
) -> Element {
    rsx! {
        div { class: "dialog-backdrop", onclick: move |_| on_close.call(()),
            div { class: "dialog {class}", role, aria_modal: "true", id,
                aria_labelledby: "{id}-title", tabindex: "-1",
                onclick: move |e| e.stop_propagation(),
                onmounted: move |e| async move { let _ = e.set_focus(true).await; },
                onkeydown: move |e| if e.key() == Key::Escape { on_close.call(()) },
                div { class: "dialog-head",
                    h3 { id: "{id}-title", {title} }
                    if let Some(head) = head {
                        {head}
                    }
                }
                {children}
            }
        }
    }
}

/// The «×» that closes a dialog, named for screen readers.
#[component]
pub fn CloseButton(id: &'static str, label: &'static str, on_close: EventHandler<()>) -> Element {
    rsx! {
        button { class: "btn-ghost dialog-close", r#type: "button", id, aria_label: label, title: label,
            onclick: move |_| on_close.call(()), "×" }
    }
}
