//! What the server does to orders, between HTTP and SQL: load an order's
//! facts, ask the domain's rules, apply the effect, commit, publish.
//!
//! Handlers call these functions; nothing here knows about HTTP beyond the
//! error type, and nothing here writes SQL.

pub mod booking;
pub mod commands;
pub mod create;
pub mod effects;
pub mod facts;
pub mod money;
pub mod query;

pub use facts::OrderCtx;
