//! Line icons drawn as SVG, so they show the same on every system (an emoji
//! needs a font the webview may not have). Decorative: hidden from screen
//! readers, the button or label around them carries the name.

use dioxus::prelude::*;

/// A bell, for the notification history.
#[component]
pub fn BellIcon() -> Element {
    rsx! {
        svg { class: "icon", view_box: "0 0 24 24", fill: "none", stroke: "currentColor",
            stroke_width: "2", stroke_linecap: "round", stroke_linejoin: "round", "aria-hidden": "true",
            path { d: "M18 8A6 6 0 0 0 6 8c0 7-3 9-3 9h18s-3-2-3-9" }
            path { d: "M13.73 21a2 2 0 0 1-3.46 0" }
        }
    }
}

/// A padlock, for what the requester does not see.
#[component]
pub fn LockIcon() -> Element {
    rsx! {
        svg { class: "icon icon-small", view_box: "0 0 24 24", fill: "none", stroke: "currentColor",
            stroke_width: "2.4", stroke_linecap: "round", stroke_linejoin: "round", "aria-hidden": "true",
            rect { x: "4", y: "11", width: "16", height: "10", rx: "2" }
            path { d: "M8 11V7a4 4 0 0 1 8 0v4" }
        }
    }
}
