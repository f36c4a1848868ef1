//! The worker's life: install the OPFS pool, open the core, answer the
//! page's calls, forward the core's events.

use orderdesk_client_core::{answer, Client};
use orderdesk_protocol::ipc::{FromWorker, ToWorker, WorkerFailure, SYNC_STATUS_EVENT};
use sqlite_wasm_vfs::sahpool::{self, OpfsSAHPoolCfgBuilder};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::notify::PageNotifier;
use crate::token::OpfsTokenStore;

/// Where the core keeps its cache inside the pool.
const CACHE_DIR: &str = "/orderdesk";
/// The token's own file inside the pool.
const TOKEN_FILE: &str = "/orderdesk-session.sqlite3";

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends the page one message.
fn post(message: &FromWorker) {
    match serde_json::to_string(message) {
        Ok(text) => {
            if let Err(error) = scope().post_message(&JsValue::from_str(&text)) {
                web_sys::console::error_2(&"orderdesk: message not posted".into(), &error);
            }
        }
        Err(error) => tracing::warn!(%error, "message to the page not written"),
    }
}

/// Sends the page an event of the app.
pub fn post_event(name: &str, payload: impl serde::Serialize) {
    match serde_json::to_value(payload) {
        Ok(payload) => post(&FromWorker::Event {
            name: name.to_owned(),
            payload,
        }),
        Err(error) => tracing::warn!(%error, event = name, "event payload not written"),
    }
}

/// Starts the worker: panics go to the console, the core opens, and the
/// page hears `ready` or why not.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("orderdesk core: {info}").into());
    }));
    wasm_bindgen_futures::spawn_local(async {
        match open().await {
            Ok(client) => serve(client),
            Err((code, message)) => post(&FromWorker::Failed { code, message }),
        }
    });
}

/// Installs the OPFS pool as SQLite's default file system and opens the
/// core on it. The pool's files are held with exclusive access handles, so
/// a second tab of the app fails here with `CacheBusy`.
async fn open() -> Result<Client, (WorkerFailure, String)> {
    let pool = OpfsSAHPoolCfgBuilder::new()
        .directory("orderdesk")
        .initial_capacity(8u32)
        .build();
    sahpool::install::<sqlite_wasm_rs::WasmOsCallback>(&pool, true)
        .await
        .map_err(pool_failure)?;
    let internal =
        |error: orderdesk_client_core::CoreError| (WorkerFailure::Internal, error.to_string());
    let tokens = OpfsTokenStore::open(TOKEN_FILE).map_err(internal)?;
    Client::open(CACHE_DIR, Arc::new(tokens), Arc::new(PageNotifier)).map_err(internal)
}

/// Why the pool did not install: another tab holding the pool's files is
/// what a refused access handle means in practice; the browser's own words
/// go with the message.
fn pool_failure(error: sahpool::OpfsSAHError) -> (WorkerFailure, String) {
    use sahpool::OpfsSAHError::{CreateSyncAccessHandle, GetDirHandle, GetFileHandle};
    let code = match &error {
        CreateSyncAccessHandle(_) => WorkerFailure::CacheBusy,
        _ => WorkerFailure::StorageUnavailable,
    };
    let message = match &error {
        CreateSyncAccessHandle(js) | GetDirHandle(js) | GetFileHandle(js) => {
            let said = js_sys::Reflect::get(js, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            format!("{error}: {said}")
        }
        _ => error.to_string(),
    };
    (code, message)
}

/// Answers the page's calls and forwards the sync status, for the worker's
/// life.
fn serve(client: Client) {
    let origin = scope().location().origin();
    let handler_client = client.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let call = match serde_json::from_str::<ToWorker>(&text) {
            Ok(call) => call,
            Err(error) => {
                web_sys::console::warn_1(
                    &format!("orderdesk core: unreadable message: {error}").into(),
                );
                return;
            }
        };
        let client = handler_client.clone();
        let origin = origin.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match call {
                ToWorker::Call { id, command, args } => {
                    let answered = answer::answer(&client, &command, args, Some(origin)).await;
                    post(&match answered {
                        Ok(value) => FromWorker::Answer { id, value },
                        Err(error) => FromWorker::Refusal { id, error },
                    });
                }
            }
        });
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The worker lives as long as the page; so does its handler.
    onmessage.forget();
    forward_status(client.clone());
    post(&FromWorker::Ready);
    client.resume();
}

/// Posts every sync status the core publishes.
fn forward_status(client: Client) {
    let mut updates = client.watch_status();
    wasm_bindgen_futures::spawn_local(async move {
        post_event(SYNC_STATUS_EVENT, updates.borrow_and_update().clone());
        while updates.changed().await.is_ok() {
            let status = updates.borrow_and_update().clone();
            post_event(SYNC_STATUS_EVENT, status);
        }
    });
}
