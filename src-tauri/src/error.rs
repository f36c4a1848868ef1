//! The one error shape that crosses IPC: `{code, message}`, defined once in
//! the protocol crate so that the app and its UI agree on every code; the
//! core's errors become it in the client core.

pub use orderdesk_protocol::{AppError, ErrorCode};
