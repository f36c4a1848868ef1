//! The status with its coloured dot.

use crate::format::status_line;
use crate::i18n::Lang;
use dioxus::prelude::*;
use orderdesk_domain::Status;

#[component]
pub fn StatusBadge(lang: Lang, status: Status, awaiting_payment: bool) -> Element {
    let tone = status.tone();
    rsx! {
        span { class: "status tone-{tone}", "data-status": status.id(),
            span { class: "dot", aria_hidden: "true" }
            span { class: "status-text", {status_line(lang, status, awaiting_payment)} }
        }
    }
}
