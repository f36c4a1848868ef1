//! The wasm entry point: mounts the UI on `#main`.

fn main() {
    dioxus::launch(orderdesk_ui::App);
}
