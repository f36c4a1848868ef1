//! The manager app in a browser: the offline client core runs in this
//! dedicated worker, with its cache and the session token in SQLite files on
//! the origin's private file system (OPFS), the only place the browser
//! offers synchronous file access, and only to a dedicated worker.
//!
//! The page (`ui/web/boot.js`) starts the worker once it holds the app's
//! Web Lock, so one tab owns the cache; it then sends the UI's calls as
//! `orderdesk_protocol::ipc::ToWorker` messages and receives answers and
//! events as `FromWorker`. The calls are answered by the same functions
//! the desktop app's commands use (`orderdesk_client_core::answer`).

#[cfg(target_arch = "wasm32")]
mod notify;
#[cfg(target_arch = "wasm32")]
mod token;
#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("orderdesk-web runs in a browser's worker: build it for wasm32-unknown-unknown");
}
