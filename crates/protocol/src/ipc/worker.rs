//! The browser shell's messages: in a browser the core runs in a dedicated
//! worker, and the page and the worker exchange these, each as one JSON
//! string, in place of Tauri's `invoke` and events. The page's side is the
//! boot script (`ui/web/boot.js`); it reads and writes exactly these shapes.

use serde::{Deserialize, Serialize};

use crate::AppError;

/// What the page sends the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// A command of the contract: `command` is its name, `args` its
    /// argument struct. The answer comes back with the same `id`.
    Call {
        id: u64,
        command: String,
        args: serde_json::Value,
    },
}

/// What the worker sends the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// The core is open: calls are answered from now on.
    Ready,
    /// The core could not be opened (e.g. the cache is held by another tab);
    /// `code` says which case, `message` says it to the manager.
    Failed {
        code: WorkerFailure,
        message: String,
    },
    /// The answer to the call `id`.
    Answer { id: u64, value: serde_json::Value },
    /// The refusal of the call `id`.
    Refusal { id: u64, error: AppError },
    /// An event of the app (`SYNC_STATUS_EVENT`, `NOTIFICATION_EVENT`) with
    /// its payload.
    Event {
        name: String,
        payload: serde_json::Value,
    },
}

/// Why the core did not open in the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerFailure {
    /// Another tab of the app holds the cache.
    CacheBusy,
    /// The browser offers no storage the cache can live in (a private
    /// window, an old browser).
    StorageUnavailable,
    /// Anything else.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's boot script reads and writes these exact shapes.
    #[test]
    fn messages_have_the_shapes_the_page_reads() {
        let call: ToWorker = serde_json::from_str(
            r#"{"kind":"call","id":7,"command":"get_order","args":{"number":12}}"#,
        )
        .expect("a call");
        assert_eq!(
            call,
            ToWorker::Call {
                id: 7,
                command: "get_order".into(),
                args: serde_json::json!({"number": 12}),
            }
        );
        let failed = FromWorker::Failed {
            code: WorkerFailure::CacheBusy,
            message: "busy".into(),
        };
        assert_eq!(
            serde_json::to_value(failed).expect("json"),
            serde_json::json!({"kind": "failed", "code": "cache_busy", "message": "busy"})
        );
        let answer = FromWorker::Answer {
            id: 7,
            value: serde_json::Value::Null,
        };
        assert_eq!(
            serde_json::to_value(answer).expect("json"),
            serde_json::json!({"kind": "answer", "id": 7, "value": null})
        );
    }
}
