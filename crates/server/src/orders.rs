//! What the server does to orders, between HTTP and SQL: load an order's
//! facts, ask the domain's rules, apply the effect, commit, publish.
//!
//! Handlers and sync call these functions; nothing here knows about HTTP
//! (errors are [`ServiceError`](crate::error::ServiceError)s), and nothing
//! here writes SQL. A change comes back staged: the caller adds what must
//! commit with it (its answer) and commits.

pub mod booking;
pub mod commands;
pub mod create;
pub mod effects;
pub mod facts;
pub mod lookup;
pub mod money;
pub mod naming;
pub mod query;

pub use facts::OrderCtx;
