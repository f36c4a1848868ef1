//! The manager's screens for «Обращения и заказы», written with Dioxus and
//! compiled to wasm for the app's webview.
//!
//! [`api`] is the only module that talks to the app; [`components`] render
//! values; `store` holds the state of a signed-in session and its actions;
//! [`App`] creates the store and connects it to the components.

pub mod api;
mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod model;
mod store;
mod sync_status;

pub use app::App;
